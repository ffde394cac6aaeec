/* bench_annotations.c — throughput of the annotation repair on seed-003-like
 * input: the seed itself (1,209 annotations, 7 damaged sites in 24.9 KB) and
 * the seed with its damaged lines removed (stripping only).
 *
 * Usage: bench_annotations [SECONDS]   (default 2 CPU seconds per input)
 * Prints MB/s (input bytes per CPU second) per input and the ratio to the
 * 50 MB/s target. */
#include "check.h"
#include "internal.h"

#include <time.h>

/* CPU time of this process: the machine is shared, wall time is not ours. */
static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int bench(const lf_context *ctx, const char *name, const char *text, size_t len, double seconds)
{
    size_t runs = 0;
    double start = now(), elapsed = 0;
    lf_buf out;
    lf_buf_init(&out);
    while (elapsed < seconds) {
        lf_report rep;
        lf_report_init(&rep, 0);
        lf_error err;
        lf_buf_clear(&out);
        if (lf_annotations_run(ctx, text, len, &out, &rep, &err) != LF_OK) {
            fprintf(stderr, "bench_annotations: %s: %s\n", name, err.message);
            lf_report_free(&rep);
            lf_buf_free(&out);
            return 1;
        }
        lf_report_free(&rep);
        runs++;
        elapsed = now() - start;
    }
    lf_buf_free(&out);
    double mbs = (double)len * (double)runs / elapsed / 1e6;
    printf("%-28s %8zu bytes %7zu runs %8.1f MB/s  (%.2fx the 50 MB/s target)\n", name, len, runs, mbs, mbs / 50.0);
    return 0;
}

int main(int argc, char **argv)
{
    double seconds = argc > 1 ? atof(argv[1]) : 2.0;
    if (seconds <= 0) {
        fprintf(stderr, "usage: bench_annotations [SECONDS]\n");
        return 2;
    }
    size_t len;
    char *seed = check_read_file(LIBFIX_TESTDATA "/seeds/003_3cb92859fe70f893.txt", &len);
    if (!seed) {
        fprintf(stderr, "bench_annotations: cannot read seed 003\n");
        return 1;
    }
    lf_options opt;
    lf_options_init(&opt);
    opt.pass_count = 0;
    lf_context *ctx;
    lf_error err;
    if (lf_context_new(&opt, &ctx, &err) != LF_OK || lf_annotations_prepare(ctx, &err) != LF_OK) {
        fprintf(stderr, "bench_annotations: %s\n", err.message);
        return 1;
    }
    /* The seed without its damaged lines: only stripping. */
    char *strip_only = malloc(len + 1);
    size_t slen = 0;
    for (size_t i = 0; i < len;) {
        const char *nl = memchr(seed + i, '\n', len - i);
        size_t end = nl ? (size_t)(nl - seed) + 1 : len;
        bool damaged = false;
        for (size_t k = i; k < end && !damaged; k++)
            damaged = seed[k] == '?' || (unsigned char)seed[k] == 0xEE;
        if (!damaged) {
            memcpy(strip_only + slen, seed + i, end - i);
            slen += end - i;
        }
        i = end;
    }
    int rc = bench(ctx, "seed 003", seed, len, seconds);
    rc |= bench(ctx, "seed 003, damaged lines cut", strip_only, slen, seconds);
    lf_annotations_release(ctx);
    lf_context_free(ctx);
    free(strip_only);
    free(seed);
    return rc;
}
