/* bench_repair.c — how fast the repair pass is, on clean and on damaged text.
 *
 *   bench_repair TESTDATA_DIR [DAMAGED_OUT]
 *
 * Reads the clean controls (repair/clean.tsv) and the damaged side of the
 * corpus (repair/corpus.tsv), one paragraph per line, and times, best of
 * five runs over the whole text:
 *   - the repair pass on the clean text,
 *   - the clean fast path: the default pipeline without repair, when this
 *     build has those passes (decode, normalize), else validation and copy,
 *   - the repair pass on the damaged text.
 * Prints one "name seconds MB/s" line each (process CPU time, best of five,
 * since the machine may be shared). With DAMAGED_OUT, writes the
 * damaged text there so tools/bench_repair.sh can time ftfy on the very same
 * input. Exit status 0, or 1 when an input is missing. */
#include "libfix.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts); /* CPU time: the machine is shared */
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* Reads column `col` (0-based, tab-separated) of every line of path into one
 * newline-separated malloc'd text. */
static char *read_column(const char *path, int col, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    size_t cap = 1 << 20, n = 0;
    char *out = malloc(cap);
    char *line = NULL;
    size_t lcap = 0;
    ssize_t got;
    while (out && (got = getline(&line, &lcap, f)) > 0) {
        char *p = line;
        for (int c = 0; c < col && p; c++) {
            p = strchr(p, '\t');
            p = p ? p + 1 : NULL;
        }
        if (!p)
            continue;
        size_t k = strcspn(p, "\t\n");
        if (n + k + 2 > cap) {
            cap = (n + k + 2) * 2;
            char *q = realloc(out, cap);
            if (!q) {
                free(out);
                out = NULL;
                break;
            }
            out = q;
        }
        memcpy(out + n, p, k);
        n += k;
        out[n++] = '\n';
    }
    free(line);
    fclose(f);
    if (out) {
        out[n] = '\0';
        *len = n;
    }
    return out;
}

static lf_context *context_for(const char *passes)
{
    lf_options opt;
    lf_options_init(&opt);
    lf_error err;
    if (lf_passes_parse(passes, opt.passes, &opt.pass_count, &err) != LF_OK)
        return NULL;
    for (size_t i = 0; i < opt.pass_count; i++)
        if (!lf_pass_available(opt.passes[i]))
            return NULL;
    lf_context *ctx = NULL;
    return lf_context_new(&opt, &ctx, &err) == LF_OK ? ctx : NULL;
}

/* Best of five runs of the context over text, in seconds; -1 on failure. */
static double best_time(const lf_context *ctx, const char *text, size_t len)
{
    double best = -1;
    for (int run = 0; run < 5; run++) {
        lf_result *r = NULL;
        double t0 = now();
        lf_status st = lf_process(ctx, text, len, &r, NULL);
        double t = now() - t0;
        lf_result_free(r);
        if (st != LF_OK)
            return -1;
        if (best < 0 || t < best)
            best = t;
    }
    return best;
}

static void report(const char *name, double secs, size_t len)
{
    printf("%-24s %.4f s  %.1f MB/s\n", name, secs, secs > 0 ? (double)len / secs / 1e6 : 0.0);
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: bench_repair TESTDATA_DIR [DAMAGED_OUT]\n");
        return 2;
    }
    char path[1024];
    size_t clean_len = 0, damaged_len = 0;
    snprintf(path, sizeof path, "%s/repair/clean.tsv", argv[1]);
    char *clean = read_column(path, 1, &clean_len);
    snprintf(path, sizeof path, "%s/repair/corpus.tsv", argv[1]);
    char *damaged = read_column(path, 2, &damaged_len);
    if (!clean || !damaged) {
        fprintf(stderr, "bench_repair: cannot read the repair test data under %s\n", argv[1]);
        free(clean);
        free(damaged);
        return 1;
    }
    if (argc > 2) {
        FILE *f = fopen(argv[2], "wb");
        if (!f || fwrite(damaged, 1, damaged_len, f) != damaged_len || fclose(f) != 0) {
            fprintf(stderr, "bench_repair: cannot write %s\n", argv[2]);
            return 1;
        }
    }
    lf_context *repair = context_for("repair");
    lf_context *fast = context_for("decode,normalize");
    const char *fast_name = "fast-path(decode,normalize)";
    if (!fast) {
        fast = context_for("repair");
        fast_name = NULL;
    }
    if (!repair) {
        fprintf(stderr, "bench_repair: no repair pass in this build\n");
        return 1;
    }
    printf("clean text %zu bytes, damaged text %zu bytes\n", clean_len, damaged_len);
    report("repair(clean)", best_time(repair, clean, clean_len), clean_len);
    if (fast_name)
        report(fast_name, best_time(fast, clean, clean_len), clean_len);
    else
        printf("%-24s (decode and normalize are not built here: no fast-path baseline)\n", "fast-path");
    report("repair(damaged)", best_time(repair, damaged, damaged_len), damaged_len);
    lf_context_free(repair);
    if (fast_name)
        lf_context_free(fast);
    free(clean);
    free(damaged);
    return 0;
}
