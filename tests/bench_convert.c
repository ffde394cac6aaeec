/* bench_convert — time the convert pass on one file, in process.
 *
 * Usage: bench_convert (-c CONFIG | -t SCRIPT) FILE [OUT]
 * Reads FILE, runs lf_process with the convert pass alone, writes the
 * result to OUT when given, and prints one line:
 *   libfix CONFIG BYTES SECONDS MB/s PARAGRAPHS-CONVERTED
 * SECONDS covers lf_process only (not reading or writing the file).
 * tools/bench_convert.sh runs it next to `opencc`. */
#include <libfix.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static double now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

static char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *buf = n >= 0 ? malloc((size_t)n + 1) : NULL;
    if (buf && fread(buf, 1, (size_t)n, f) != (size_t)n) {
        free(buf);
        buf = NULL;
    }
    fclose(f);
    *len = (size_t)n;
    return buf;
}

int main(int argc, char **argv)
{
    if (argc < 4 || (strcmp(argv[1], "-c") != 0 && strcmp(argv[1], "-t") != 0)) {
        fprintf(stderr, "usage: bench_convert (-c CONFIG | -t simplified|traditional|taiwan|hongkong) FILE [OUT]\n");
        return 2;
    }
    lf_options opt;
    lf_options_init(&opt);
    opt.passes[0] = LF_PASS_CONVERT;
    opt.pass_count = 1;
    opt.format = LF_FORMAT_TEXT;
    if (strcmp(argv[1], "-c") == 0) {
        opt.opencc_config = argv[2];
    } else {
        static const char *const names[] = {"", "simplified", "traditional", "taiwan", "hongkong"};
        for (int s = 1; s <= 4; s++)
            if (strcmp(argv[2], names[s]) == 0)
                opt.to_script = (lf_script)s;
        if (opt.to_script == LF_SCRIPT_KEEP) {
            fprintf(stderr, "bench_convert: unknown script '%s'\n", argv[2]);
            return 2;
        }
    }
    size_t len;
    char *in = slurp(argv[3], &len);
    if (!in) {
        fprintf(stderr, "bench_convert: cannot read %s\n", argv[3]);
        return 3;
    }
    lf_context *ctx = NULL;
    lf_error err;
    if (lf_context_new(&opt, &ctx, &err) != LF_OK) {
        fprintf(stderr, "bench_convert: %s\n", err.message);
        return 3;
    }
    lf_result *r = NULL;
    double t0 = now();
    lf_status st = lf_process(ctx, in, len, &r, &err);
    double secs = now() - t0;
    if (st != LF_OK) {
        fprintf(stderr, "bench_convert: %s\n", err.message);
        return 3;
    }
    size_t olen;
    const char *out = lf_result_text(r, &olen);
    if (argc > 4) {
        FILE *f = fopen(argv[4], "wb");
        if (!f || fwrite(out, 1, olen, f) != olen || fclose(f) != 0) {
            fprintf(stderr, "bench_convert: cannot write %s\n", argv[4]);
            return 3;
        }
    }
    printf("libfix %s %zu %.3f %.1f %llu\n", argv[2], len, secs, (double)len / 1e6 / secs,
           (unsigned long long)lf_result_kind_count(r, LF_PASS_CONVERT, "convert"));
    lf_result_free(r);
    lf_context_free(ctx);
    free(in);
    return 0;
}
