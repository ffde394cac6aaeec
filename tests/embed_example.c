/* An ingestion job embedding libfix: one context, N threads, one record per
 * line in (stdin), the cleaned records out (stdout) in the same order.
 * Usage: embed_example [PASSES] < records > cleaned */
#include <libfix.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
enum { THREADS = 4, MAX = 100000 };
static char *in[MAX], *out[MAX];
static size_t n, next;
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static void *work(void *ctx)
{
    for (;;) {
        pthread_mutex_lock(&lock);
        size_t i = next++;
        pthread_mutex_unlock(&lock);
        if (i >= n)
            return NULL;
        lf_result *r;
        lf_error err;
        if (lf_process(ctx, in[i], strlen(in[i]), &r, &err) != LF_OK) {
            fprintf(stderr, "record %zu: %s\n", i + 1, err.message);
            continue; /* out[i] stays NULL: the record is kept as it came */
        }
        out[i] = strdup(lf_result_text(r, NULL));
        lf_result_free(r);
    }
}
int main(int argc, char **argv)
{
    lf_options opt;
    lf_options_init(&opt);
    lf_error err;
    lf_context *ctx;
    if ((argc > 1 && lf_passes_parse(argv[1], opt.passes, &opt.pass_count, &err) != LF_OK) ||
        lf_context_new(&opt, &ctx, &err) != LF_OK) {
        fprintf(stderr, "libfix: %s\n", err.message);
        return 1;
    }
    char *line = NULL;
    size_t cap = 0;
    while (n < MAX && getline(&line, &cap, stdin) > 0)
        in[n++] = strdup(line);
    pthread_t t[THREADS];
    for (int i = 0; i < THREADS; i++)
        pthread_create(&t[i], NULL, work, ctx);
    for (int i = 0; i < THREADS; i++)
        pthread_join(t[i], NULL);
    for (size_t i = 0; i < n; i++) {
        fputs(out[i] ? out[i] : in[i], stdout);
        free(in[i]);
        free(out[i]);
    }
    free(line);
    lf_context_free(ctx);
    return 0;
}
