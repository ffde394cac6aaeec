/*
 * test_threads.c — one context shared by 16 threads, each running the whole
 * pipeline (decode and every built pass) over every encoded seed, whole and
 * streamed, plus detection. Every result must equal the single-threaded
 * reference. Built with -DLIBFIX_TSAN=ON it runs under ThreadSanitizer,
 * which reports any data race on the shared context.
 */
#include "check.h"
#include "support.h"
#include "libfix.h"

#include <dirent.h>
#include <pthread.h>

#define THREADS 16
#define MAX_INPUTS 64
#define ROUNDS 2

typedef struct input {
    char *bytes;
    size_t len;
    char *want; /* reference text */
    size_t want_len;
    const char *encoding;
} input;

static lf_context *ctx;
static input inputs[MAX_INPUTS];
static size_t ninputs;

/* The number of mismatches one thread saw (checks are counted per thread
 * and summed in main, since check.h's counters are not thread-safe). */
static void *worker(void *arg)
{
    size_t first = (size_t)(uintptr_t)arg, bad = 0;
    for (size_t round = 0; round < ROUNDS; round++) {
        for (size_t k = 0; k < ninputs; k++) {
            const input *in = &inputs[(first + k) % ninputs];
            lf_result *r = NULL;
            size_t n = 0;
            if (lf_process(ctx, in->bytes, in->len, &r, NULL) != LF_OK)
                bad++;
            else if (lf_result_text(r, &n), n != in->want_len || memcmp(lf_result_text(r, NULL), in->want, n) != 0 ||
                     strcmp(lf_result_encoding(r), in->encoding) != 0)
                bad++;
            lf_result_free(r);

            support_sink out = {0};
            lf_stream *s = NULL;
            bool ok = lf_stream_new(ctx, support_sink_write, &out, &s, NULL) == LF_OK;
            for (size_t i = 0; ok && i < in->len; i += 777)
                ok = lf_stream_write(s, in->bytes + i, in->len - i < 777 ? in->len - i : 777, NULL) == LF_OK;
            ok = ok && lf_stream_finish(s, NULL, NULL) == LF_OK;
            if (!ok || out.len != in->want_len || memcmp(out.data, in->want, out.len) != 0)
                bad++;
            lf_stream_free(s);
            free(out.data);

            const char *name = NULL;
            double conf;
            if (lf_detect_encoding(ctx, in->bytes, in->len, &name, &conf, NULL) != LF_OK ||
                strcmp(name, in->encoding) != 0)
                bad++;
        }
    }
    return (void *)(uintptr_t)bad;
}

static void load_inputs(void)
{
    DIR *d = opendir(LIBFIX_TESTDATA "/encoded");
    struct dirent *e;
    while (d && (e = readdir(d)) != NULL && ninputs < MAX_INPUTS) {
        if (e->d_name[0] == '.' || strstr(e->d_name, ".txt"))
            continue;
        char path[1024];
        snprintf(path, sizeof path, "%s/encoded/%s", LIBFIX_TESTDATA, e->d_name);
        input *in = &inputs[ninputs];
        in->bytes = check_read_file(path, &in->len);
        CHECK(in->bytes != NULL);
        if (!in->bytes)
            continue;
        lf_result *r = NULL;
        CHECK(lf_process(ctx, in->bytes, in->len, &r, NULL) == LF_OK);
        if (!r)
            continue;
        const char *t = lf_result_text(r, &in->want_len);
        in->want = malloc(in->want_len + 1);
        memcpy(in->want, t, in->want_len + 1);
        in->encoding = lf_result_encoding(r); /* a static string */
        lf_result_free(r);
        ninputs++;
    }
    if (d)
        closedir(d);
}

int main(void)
{
    lf_options opt;
    lf_options_init(&opt);
    opt.pass_count = 0;
    opt.passes[opt.pass_count++] = LF_PASS_DECODE;
    for (int p = LF_PASS_REPAIR; p < LF_PASS_COUNT; p++)
        if (lf_pass_available((lf_pass)p))
            opt.passes[opt.pass_count++] = (lf_pass)p;
    opt.to_script = LF_SCRIPT_SIMPLIFIED;
    CHECK(lf_context_new(&opt, &ctx, NULL) == LF_OK);
    if (!ctx)
        return check_done("test_threads");
    load_inputs();
    CHECK(ninputs >= 10);

    pthread_t t[THREADS];
    for (size_t i = 0; i < THREADS; i++)
        CHECK(pthread_create(&t[i], NULL, worker, (void *)(uintptr_t)i) == 0);
    size_t bad = 0;
    for (size_t i = 0; i < THREADS; i++) {
        void *ret;
        CHECK(pthread_join(t[i], &ret) == 0);
        bad += (size_t)(uintptr_t)ret;
    }
    printf("%d threads x %d rounds x %zu inputs x 3 calls: %zu mismatches\n", THREADS, ROUNDS, ninputs, bad);
    CHECK(bad == 0);
    for (size_t i = 0; i < ninputs; i++) {
        free(inputs[i].bytes);
        free(inputs[i].want);
    }
    lf_context_free(ctx);
    return check_done("test_threads");
}
