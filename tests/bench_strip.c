/* bench_strip.c — throughput of the strip pass. Not a test: speed targets
 * live here and in tools/bench_strip.sh, never in ctest.
 *
 * Text mode: every page of testdata/strip/gold and testdata/strip/pages, one
 * lf_process call per page, repeated for at least a second. HTML mode: the
 * UTF-8 peer pages (Readability's qq page, trafilatura's CJK pages), likewise.
 * Prints MB/s and pages/s for each, over the process's CPU time (the
 * machine is shared, so wall time would measure the neighbours).
 * Usage: bench_strip [TESTDATA_DIR] */
#include "check.h"
#include "libfix.h"

#include <dirent.h>
#include <time.h>

typedef struct corpus {
    char *data[128];
    size_t len[128];
    int n;
} corpus;

static void add_file(corpus *c, const char *path)
{
    size_t len;
    char *p = c->n < 128 ? check_read_file(path, &len) : NULL;
    if (!p)
        return;
    c->data[c->n] = p;
    c->len[c->n++] = len;
}

static void add_dir(corpus *c, const char *dir)
{
    DIR *d = opendir(dir);
    struct dirent *e;
    while (d && (e = readdir(d)) != NULL) {
        size_t n = strlen(e->d_name);
        if (n > 4 && !strcmp(e->d_name + n - 4, ".txt") && !strstr(e->d_name, ".gold.")) {
            char path[1024];
            snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
            add_file(c, path);
        }
    }
    if (d)
        closedir(d);
}

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static int run(const char *label, lf_format format, const corpus *c)
{
    lf_options opt;
    lf_options_init(&opt);
    opt.passes[0] = LF_PASS_STRIP;
    opt.pass_count = 1;
    opt.format = format;
    lf_context *ctx;
    lf_error err;
    if (c->n == 0 || lf_context_new(&opt, &ctx, &err) != LF_OK) {
        fprintf(stderr, "bench_strip: %s: no pages or no context\n", label);
        return 1;
    }
    double start = now(), bytes = 0;
    long pages = 0;
    while (now() - start < 2.0) {
        for (int i = 0; i < c->n; i++) {
            lf_result *r;
            if (lf_process(ctx, c->data[i], c->len[i], &r, &err) != LF_OK) {
                fprintf(stderr, "bench_strip: %s\n", err.message);
                lf_context_free(ctx);
                return 1;
            }
            lf_result_free(r);
            bytes += (double)c->len[i];
            pages++;
        }
    }
    double secs = now() - start;
    printf("%s: %d distinct pages, %ld runs, %.1f MB in %.2f s CPU: %.1f MB/s, %.0f pages/s\n", label, c->n, pages,
           bytes / 1e6, secs, bytes / 1e6 / secs, (double)pages / secs);
    lf_context_free(ctx);
    return 0;
}

int main(int argc, char **argv)
{
    const char *base = argc > 1 ? argv[1] : LIBFIX_TESTDATA;
    char path[1024];
    corpus text = {0}, html = {0};
    snprintf(path, sizeof path, "%s/strip/gold", base);
    add_dir(&text, path);
    snprintf(path, sizeof path, "%s/strip/pages", base);
    add_dir(&text, path);
    static const char *const pages[] = {
        "readability/test/test-pages/qq/source.html",
        "trafilatura/tests/eval/xinhuanet.com.c_1125597921.html",
        "trafilatura/tests/eval/banyuetan.org.1000200033136171577956287380194268_1.html",
        "trafilatura/tests/eval/baike.baidu.com.tanya.html",
        "trafilatura/tests/eval/nhk.or.jp.k100.html",
        "trafilatura/tests/cache/chineselyrics4u.com.zhineng.html",
    };
    for (size_t i = 0; i < sizeof pages / sizeof pages[0]; i++) {
        snprintf(path, sizeof path, "%s/strip/peers/%s", base, pages[i]);
        add_file(&html, path);
    }
    int rc = run("text", LF_FORMAT_TEXT, &text) | run("html", LF_FORMAT_HTML, &html);
    for (int i = 0; i < text.n; i++)
        free(text.data[i]);
    for (int i = 0; i < html.n; i++)
        free(html.data[i]);
    return rc;
}
