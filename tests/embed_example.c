/* An ingestion job embedding libfix: one context shared by N threads,
 * records (lines) in on stdin, cleaned records out on stdout, in order.
 * Usage: embed_example [PASSES] < records > cleaned */
#include <libfix.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { THREADS = 4, MAX_RECORDS = 100000 };
static char *rec[MAX_RECORDS];
static size_t nrec, next;
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;

static void *work(void *ctx) /* takes the next record until none is left */
{
    for (size_t i;;) {
        pthread_mutex_lock(&lock);
        i = next++;
        pthread_mutex_unlock(&lock);
        if (i >= nrec)
            return NULL;
        lf_result *r;
        lf_error err;
        char *clean = NULL;
        if (lf_process(ctx, rec[i], strlen(rec[i]), &r, &err) != LF_OK) {
            fprintf(stderr, "record %zu kept as it came: %s\n", i + 1, err.message);
            continue;
        }
        if ((clean = strdup(lf_result_text(r, NULL)))) {
            free(rec[i]);
            rec[i] = clean;
        }
        lf_result_free(r);
    }
}

int main(int argc, char **argv)
{
    lf_options opt;
    lf_options_init(&opt); /* or set opt.passes, opt.to_script, ... */
    lf_error err;
    lf_context *ctx;
    if ((argc > 1 && lf_passes_parse(argv[1], opt.passes, &opt.pass_count, &err) != LF_OK) ||
        lf_context_new(&opt, &ctx, &err) != LF_OK) {
        fprintf(stderr, "libfix: %s\n", err.message);
        return 1;
    }
    char *line = NULL;
    size_t cap = 0;
    while (nrec < MAX_RECORDS && getline(&line, &cap, stdin) > 0)
        if (!(rec[nrec++] = strdup(line)))
            return 1;
    pthread_t t[THREADS];
    for (int i = 0; i < THREADS; i++)
        pthread_create(&t[i], NULL, work, ctx);
    for (int i = 0; i < THREADS; i++)
        pthread_join(t[i], NULL);
    for (size_t i = 0; i < nrec; i++) {
        fputs(rec[i], stdout);
        free(rec[i]);
    }
    free(line);
    lf_context_free(ctx);
    return 0;
}
