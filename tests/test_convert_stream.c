/* test_convert_stream.c — cutting long lines for streaming, and sharing one
 * context between threads.
 *
 * The chunk driver below feeds a text in chunks of every size from 1 to 64
 * bytes, converts whatever lies before lf_convert_safe_boundary() and keeps
 * the rest for the next chunk, as the streaming layer does; the result must
 * equal converting the whole buffer. */
#include "check.h"
#include "support.h"
#include "internal.h"

#include <pthread.h>

/* Runs the pass over s[0..n) and appends its output to out. */
static bool convert_into(const lf_context *ctx, const char *s, size_t n, lf_buf *out)
{
    lf_buf tmp;
    lf_buf_init(&tmp);
    lf_report rep;
    lf_report_init(&rep, 0);
    lf_error err;
    bool ok =
        lf_convert_run(ctx, s, n, &tmp, &rep, &err) == LF_OK && lf_buf_append(out, tmp.data ? tmp.data : "", tmp.len);
    lf_buf_free(&tmp);
    lf_report_free(&rep);
    return ok;
}

/* The chunked driver; also records the largest amount ever held back. */
static bool convert_chunked(const lf_context *ctx, const char *s, size_t n, size_t chunk, lf_buf *out,
                            size_t *max_pending)
{
    lf_buf pending;
    lf_buf_init(&pending);
    bool ok = true;
    *max_pending = 0;
    for (size_t pos = 0; ok && pos < n; pos += chunk) {
        size_t take = n - pos < chunk ? n - pos : chunk;
        ok = lf_buf_append(&pending, s + pos, take);
        size_t cut = lf_convert_safe_boundary(pending.data, pending.len);
        if (ok && cut > 0) {
            ok = convert_into(ctx, pending.data, cut, out);
            memmove(pending.data, pending.data + cut, pending.len - cut);
            pending.len -= cut;
        }
        if (pending.len > *max_pending)
            *max_pending = pending.len;
    }
    if (ok && pending.len)
        ok = convert_into(ctx, pending.data, pending.len, out);
    lf_buf_free(&pending);
    return ok;
}

static void test_boundary_basics(void)
{
    /* Nothing after an ASCII space can join it to a phrase. */
    CHECK(lf_convert_safe_boundary("abc ", 4) == 4);
    /* A cut never splits a UTF-8 sequence. */
    CHECK(lf_convert_safe_boundary("a \xe6\xb1", 4) == 2);
    /* "SQL注入" is a TWPhrases key: no cut inside it or right after it. */
    const char *k = "SQL注入";
    CHECK(lf_convert_safe_boundary(k, strlen(k)) == 0);
    const char *p = "他说，SQL注入";
    CHECK(lf_convert_safe_boundary(p, strlen(p)) == strlen("他说，"));
}

static char *read_file(const char *rel, size_t *len)
{
    char path[512];
    snprintf(path, sizeof path, "%s/%s", LIBFIX_TESTDATA, rel);
    char *s = check_read_file(path, len);
    if (!s) {
        fprintf(stderr, "cannot read %s\n", path);
        exit(1);
    }
    return s;
}

static void test_chunks(void)
{
    static const char *const files[] = {
        "seeds/000_2c2c842a2fec32c3.txt",
        "seeds/003_3cb92859fe70f893.txt",
        "opencc/test/golden/input/us_constitution_zhs.txt",
    };
    /* Keys with ASCII and fullwidth characters, phrases back to back. */
    static const char tricky[] = "用U盤做SQL注入測試，PN結。一〇〇．五公里外的計程車裏有乾燥劑和鼠标、内存、软件，"
                                 "香煙與着數，のぞみ号，1２3 http://x.cn/软件 完毕";
    static const char *const configs[] = {"s2twp", "t2s", "tw2sp", "s2hk", "jp2t"};
    for (size_t c = 0; c < sizeof configs / sizeof configs[0]; c++) {
        lf_context *ctx = support_convert_context(configs[c], LF_SCRIPT_KEEP, LF_FORMAT_TEXT);
        for (size_t f = 0; f <= sizeof files / sizeof files[0]; f++) {
            size_t len;
            char *s = f < sizeof files / sizeof files[0] ? read_file(files[f], &len) : strdup(tricky);
            if (f == sizeof files / sizeof files[0])
                len = strlen(s);
            lf_buf whole;
            lf_buf_init(&whole);
            CHECK(convert_into(ctx, s, len, &whole));
            size_t failures = 0, held = 0;
            for (size_t chunk = 1; chunk <= 64; chunk++) {
                lf_buf out;
                lf_buf_init(&out);
                size_t max_pending;
                bool ok = convert_chunked(ctx, s, len, chunk, &out, &max_pending);
                if (!ok || out.len != whole.len || memcmp(out.data, whole.data, whole.len) != 0) {
                    failures++;
                    fprintf(stderr, "  %s, file %zu, chunk %zu: differs from the whole-buffer result\n", configs[c], f,
                            chunk);
                }
                if (max_pending > held)
                    held = max_pending;
                lf_buf_free(&out);
            }
            CHECK(failures == 0);
            /* Cuts come often enough that little is held back (seed 003 has a
             * 464-byte stretch without punctuation). */
            CHECK(held < 1024);
            if (held >= 1024)
                fprintf(stderr, "  %s, file %zu: held back %zu bytes\n", configs[c], f, held);
            lf_buf_free(&whole);
            free(s);
        }
        lf_context_free(ctx);
    }
}

/* In HTML mode tags are kept whole, so no cut may fall inside one, even
 * one that runs over several lines. */
static void test_chunks_html(void)
{
    static const char page[] =
        "<html><head><title>简体中文网页</title></head>\n<body><p class=\"正文\" title=\"简体标题，还有逗号\">"
        "这是简体中文，里面有链接<a\nhref=\"http://x.cn/软件/下载\"\ndata-note=\"说明 文字\">软件下载</a>。"
        "<!-- 注释里的简体， 不改 -->后面还有简体字。</p>\n</body></html>\n";
    lf_context *ctx = support_convert_context("s2t", LF_SCRIPT_KEEP, LF_FORMAT_HTML);
    lf_buf whole;
    lf_buf_init(&whole);
    CHECK(convert_into(ctx, page, sizeof page - 1, &whole));
    CHECK(whole.data && strstr(whole.data, "title=\"简体标题，还有逗号\"") &&
          strstr(whole.data, "<!-- 注释里的简体， 不改 -->"));
    size_t failures = 0;
    for (size_t chunk = 1; chunk <= 64; chunk++) {
        lf_buf out;
        lf_buf_init(&out);
        size_t held;
        if (!convert_chunked(ctx, page, sizeof page - 1, chunk, &out, &held) || out.len != whole.len ||
            memcmp(out.data, whole.data, whole.len) != 0) {
            failures++;
            fprintf(stderr, "  HTML, chunk %zu: differs from the whole-buffer result\n", chunk);
        }
        lf_buf_free(&out);
    }
    CHECK(failures == 0);
    lf_buf_free(&whole);
    lf_context_free(ctx);
}

struct job {
    const lf_context *ctx;
    const char *in;
    size_t len;
    const char *want;
    int mismatches;
};

static void *worker(void *arg)
{
    struct job *j = arg;
    for (int round = 0; round < 4; round++) {
        if (!support_process_equals(j->ctx, j->in, j->len, j->want))
            j->mismatches++;
    }
    return NULL;
}

/* Eight threads share one context (and so each OpenCC handle and the
 * script table); every result equals the one made alone. */
static void test_threads(void)
{
    lf_buf all;
    lf_buf_init(&all);
    static const char *const files[] = {
        "seeds/000_2c2c842a2fec32c3.txt", "seeds/001_74ed674026e8a210.txt", "seeds/002_d6a4e868b2ae8101.txt",
        "seeds/003_3cb92859fe70f893.txt", "seeds/004_be795c9853c9171b.txt",
    };
    for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
        size_t len;
        char *s = read_file(files[i], &len);
        lf_buf_append(&all, s, len);
        free(s);
    }
    lf_context *ctxs[] = {support_convert_context("s2twp", LF_SCRIPT_KEEP, LF_FORMAT_TEXT),
                          support_convert_context(NULL, LF_SCRIPT_TAIWAN, LF_FORMAT_TEXT)};
    for (size_t c = 0; c < 2; c++) {
        lf_result *r = NULL;
        lf_error err;
        CHECK(lf_process(ctxs[c], all.data, all.len, &r, &err) == LF_OK);
        char *want = strdup(lf_result_text(r, NULL));
        lf_result_free(r);
        CHECK(strcmp(want, all.data) != 0);
        pthread_t t[8];
        struct job jobs[8];
        for (int i = 0; i < 8; i++) {
            jobs[i] = (struct job){ctxs[c], all.data, all.len, want, 0};
            CHECK(pthread_create(&t[i], NULL, worker, &jobs[i]) == 0);
        }
        int mismatches = 0;
        for (int i = 0; i < 8; i++) {
            pthread_join(t[i], NULL);
            mismatches += jobs[i].mismatches;
        }
        CHECK(mismatches == 0);
        free(want);
        lf_context_free(ctxs[c]);
    }
    lf_buf_free(&all);
}

int main(void)
{
    test_boundary_basics();
    test_chunks();
    test_chunks_html();
    test_threads();
    return check_done("test_convert_stream");
}
