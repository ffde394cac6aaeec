/* test_convert.c — the convert pass: configs and errors, agreement with
 * OpenCC, what must stay untouched, the report, target scripts, streaming
 * cut points and threads. The oracle is libopencc itself, called directly
 * on whole buffers. */
#include "check.h"
#include "internal.h"
#include "support.h"

#include <opencc/opencc.h>
#include <pthread.h>

#define OPENCC_DIR "/usr/share/opencc/"

static const char *const seeds[] = {
    "000_2c2c842a2fec32c3.txt", "001_74ed674026e8a210.txt", "002_d6a4e868b2ae8101.txt",
    "003_3cb92859fe70f893.txt", "004_be795c9853c9171b.txt",
};

static char *read_seed(size_t i, size_t *len)
{
    char path[512];
    snprintf(path, sizeof path, "%s/seeds/%s", LIBFIX_TESTDATA, seeds[i]);
    char *s = check_read_file(path, len);
    if (!s) {
        fprintf(stderr, "cannot read %s\n", path);
        exit(1);
    }
    return s;
}

/* The pass's output for in[0..len), malloc'd; NULL (and *st set) on failure. */
static char *run(const lf_context *ctx, const char *in, size_t len, lf_result **res, lf_status *st)
{
    lf_error err;
    lf_result *r = NULL;
    lf_status s = lf_process(ctx, in, len, &r, &err);
    if (st)
        *st = s;
    if (s != LF_OK)
        return NULL;
    size_t n;
    const char *t = lf_result_text(r, &n);
    char *copy = malloc(n + 1);
    memcpy(copy, t, n + 1);
    if (res)
        *res = r;
    else
        lf_result_free(r);
    return copy;
}

/* What libopencc makes of the whole buffer, malloc'd. */
static char *opencc_whole(const char *config, const char *in, size_t len)
{
    opencc_t h = support_opencc_open(config);
    char *o = opencc_convert_utf8(h, in, len);
    char *copy = strdup(o);
    opencc_convert_utf8_free(o);
    opencc_close(h);
    return copy;
}

static void test_errors(void)
{
    lf_options opt;
    lf_options_init(&opt);
    opt.passes[0] = LF_PASS_CONVERT;
    opt.pass_count = 1;
    lf_context *ctx = NULL;
    lf_error err;

    opt.opencc_config = "x2y";
    CHECK(lf_context_new(&opt, &ctx, &err) == LF_ERR_UNSUPPORTED && ctx == NULL);
    CHECK(strstr(err.message, "x2y") != NULL);

    opt.opencc_config = "/nonexistent/dir/s2t.json";
    CHECK(lf_context_new(&opt, &ctx, &err) == LF_ERR_DATA);
    CHECK(strstr(err.message, "/nonexistent/dir/s2t.json") != NULL);

    opt.opencc_config = LIBFIX_TESTDATA "/opencc/missing_dict.json";
    CHECK(lf_context_new(&opt, &ctx, &err) == LF_ERR_DATA);
    CHECK(strstr(err.message, "NoSuchPhrases.ocd2") != NULL);

    opt.opencc_config = NULL;
    CHECK(lf_context_new(&opt, &ctx, &err) == LF_ERR_ARGUMENT);

    /* "s2t", "s2t.json" and a full path are the same configuration. */
    const char *in = "汉字的简化与繁体转换";
    char *a = NULL, *b = NULL, *c = NULL;
    lf_context *ca = support_convert_context("s2t", LF_SCRIPT_KEEP, LF_FORMAT_TEXT);
    lf_context *cb = support_convert_context("s2t.json", LF_SCRIPT_KEEP, LF_FORMAT_TEXT);
    lf_context *cc = support_convert_context(OPENCC_DIR "s2t.json", LF_SCRIPT_KEEP, LF_FORMAT_TEXT);
    a = run(ca, in, strlen(in), NULL, NULL);
    b = run(cb, in, strlen(in), NULL, NULL);
    c = run(cc, in, strlen(in), NULL, NULL);
    char *want = opencc_whole("s2t", in, strlen(in));
    CHECK_STR(a, want);
    CHECK_STR(b, want);
    CHECK_STR(c, want);
    CHECK(strcmp(a, in) != 0);
    free(a), free(b), free(c), free(want);
    lf_context_free(ca), lf_context_free(cb), lf_context_free(cc);

    /* A custom config with text dictionaries, found beside its JSON file. */
    lf_context *ct =
        support_convert_context(LIBFIX_TESTDATA "/opencc/test/config_test/config_test.json", LF_SCRIPT_KEEP,
                                LF_FORMAT_TEXT);
    opencc_t h = opencc_open(LIBFIX_TESTDATA "/opencc/test/config_test/config_test.json");
    CHECK(h != (opencc_t)-1);
    const char *tin = "燕燕于飞差池其羽之子于归远送于野";
    char *got = run(ct, tin, strlen(tin), NULL, NULL);
    char *exp = opencc_convert_utf8(h, tin, strlen(tin));
    CHECK_STR(got, exp);
    opencc_convert_utf8_free(exp);
    opencc_close(h);
    free(got);
    lf_context_free(ct);
}

/* Every installed configuration on every seed: byte-identical to OpenCC
 * (the seeds' URLs hold no Han, so protecting them changes nothing). */
static void test_matches_opencc(void)
{
    static const char *const configs[] = {"s2t",  "t2s",  "s2tw", "tw2s", "s2twp", "tw2sp", "s2hk",
                                          "hk2s", "t2tw", "tw2t", "t2hk", "hk2t",  "t2jp",  "jp2t"};
    for (size_t c = 0; c < sizeof configs / sizeof configs[0]; c++) {
        lf_context *ctx = support_convert_context(configs[c], LF_SCRIPT_KEEP, LF_FORMAT_TEXT);
        for (size_t i = 0; i < sizeof seeds / sizeof seeds[0]; i++) {
            size_t len;
            char *in = read_seed(i, &len);
            char *got = run(ctx, in, len, NULL, NULL);
            char *want = opencc_whole(configs[c], in, len);
            CHECK(got && strcmp(got, want) == 0);
            if (!got || strcmp(got, want) != 0)
                fprintf(stderr, "  %s on %s differs from OpenCC\n", configs[c], seeds[i]);
            free(in), free(got), free(want);
        }
        lf_context_free(ctx);
    }
}

static void check_unchanged(const lf_context *ctx, const char *in, size_t len)
{
    lf_status st;
    char *got = run(ctx, in, len, NULL, &st);
    CHECK(st == LF_OK && got && memcmp(got, in, len) == 0 && got[len] == '\0');
    if (got && memcmp(got, in, len) != 0)
        fprintf(stderr, "  changed: %s\n", got);
    free(got);
}

static void test_untouched(void)
{
    lf_context *ctx = support_convert_context("s2twp", LF_SCRIPT_KEEP, LF_FORMAT_TEXT);
    /* No Han at all: Latin (with letters that start TWPhrases keys), digits,
     * whitespace of every kind, kana, a NUL. */
    static const char latin[] = "SQL injection, U-disk, PN junction: 3.14\t\r\n  \n\nカタカナ ひらがな\0end\n";
    check_unchanged(ctx, latin, sizeof latin - 1);
    /* IRIs keep their Han letters; the text around them converts. */
    const char *iri = "请看http://zh.wikipedia.org/wiki/软件开发，谢谢。";
    char *got = run(ctx, iri, strlen(iri), NULL, NULL);
    CHECK(got && strstr(got, "http://zh.wikipedia.org/wiki/软件开发，") != NULL);
    char *head = opencc_whole("s2twp", "请看", strlen("请看"));
    CHECK(got && strncmp(got, head, strlen(head)) == 0);
    free(got), free(head);
    /* Prose run straight after a URL is prose. */
    const char *after = "来源：http://a.cn/x.shtml编辑：张三";
    got = run(ctx, after, strlen(after), NULL, NULL);
    char *want_after = opencc_whole("s2twp", after, strlen(after));
    CHECK_STR(got, want_after);
    CHECK(got && strstr(got, "http://a.cn/x.shtml") != NULL);
    free(got), free(want_after);
    /* A NUL splits the text for OpenCC (which stops at one) and survives. */
    static const char nul[] = "汉字\0汉字";
    got = run(ctx, nul, sizeof nul - 1, NULL, NULL);
    char *one = opencc_whole("s2twp", "汉字", strlen("汉字"));
    CHECK(got && memcmp(got, one, strlen(one)) == 0 && got[strlen(one)] == '\0' &&
          strcmp(got + strlen(one) + 1, one) == 0);
    free(got), free(one);
    lf_context_free(ctx);

    /* HTML: tags, attributes and comments (even across lines) stay; text converts. */
    lf_context *html = support_convert_context("s2t", LF_SCRIPT_KEEP, LF_FORMAT_AUTO);
    const char *page = "<p title=\"简体\">简体</p><!-- 简体\n注释 -->\n<a\nhref=\"/简体\">简体</a>";
    got = run(html, page, strlen(page), NULL, NULL);
    char *t = opencc_whole("s2t", "简体", strlen("简体"));
    char want[256];
    snprintf(want, sizeof want, "<p title=\"简体\">%s</p><!-- 简体\n注释 -->\n<a\nhref=\"/简体\">%s</a>", t, t);
    CHECK_STR(got, want);
    free(got);
    /* Markup found anywhere in the window, not only at its start. */
    const char *mid = "简体<a title=\"简体\">简体</a>";
    got = run(html, mid, strlen(mid), NULL, NULL);
    snprintf(want, sizeof want, "%s<a title=\"简体\">%s</a>", t, t);
    CHECK_STR(got, want);
    free(got), free(t);
    lf_context_free(html);
}

static void test_invalid_utf8(void)
{
    lf_context *ctx = support_convert_context("s2t", LF_SCRIPT_KEEP, LF_FORMAT_TEXT);
    lf_result *r = NULL;
    lf_error err;
    CHECK(lf_process(ctx, "abc\xe6\xb1", 5, &r, &err) == LF_ERR_INVALID_INPUT && r == NULL);
    CHECK(strstr(err.message, "byte 3") != NULL);
    /* The pass itself checks too, whatever ran before it. */
    lf_buf out;
    lf_buf_init(&out);
    lf_report rep;
    lf_report_init(&rep, 0);
    CHECK(lf_convert_run(ctx, "\xe6\xb1\x89\xff", 4, &out, &rep, &err) == LF_ERR_INVALID_INPUT);
    CHECK(strstr(err.message, "byte 3") != NULL);
    lf_buf_free(&out);
    lf_report_free(&rep);
    lf_context_free(ctx);
}

static size_t count_chars(const char *s, size_t n)
{
    size_t c = 0;
    for (size_t i = 0; i < n; i++)
        c += ((unsigned char)s[i] & 0xC0) != 0x80;
    return c;
}

/* One "convert" entry per changed line; its spans cut out exactly that line
 * of input and output, and its count is the characters that differ. */
static void test_report(void)
{
    lf_context *ctx = support_convert_context("s2t", LF_SCRIPT_KEEP, LF_FORMAT_TEXT);
    size_t len;
    char *in = read_seed(0, &len);
    lf_result *r = NULL;
    char *out = run(ctx, in, len, &r, NULL);
    size_t changed_lines = 0, pos = 0, opos = 0, outlen = strlen(out);
    size_t entry = 0;
    while (pos < len) {
        const char *nl = memchr(in + pos, '\n', len - pos);
        const char *onl = memchr(out + opos, '\n', outlen - opos);
        size_t end = nl ? (size_t)(nl - in) : len, oend = onl ? (size_t)(onl - out) : outlen;
        if (end - pos != oend - opos || memcmp(in + pos, out + opos, end - pos) != 0) {
            changed_lines++;
            const lf_change *c = entry < lf_result_change_count(r) ? lf_result_change(r, entry) : NULL;
            entry++;
            CHECK(c && c->pass == LF_PASS_CONVERT && strcmp(c->kind, "convert") == 0);
            CHECK(c && c->in_start == pos && c->in_end == end && c->out_start == opos && c->out_end == oend);
            /* s2t maps characters one to one on this seed: count them. */
            size_t diff = 0;
            for (size_t i = pos, j = opos; i < end;) {
                size_t a = 1, b = 1;
                while (i + a < end && ((unsigned char)in[i + a] & 0xC0) == 0x80)
                    a++;
                while (j + b < oend && ((unsigned char)out[j + b] & 0xC0) == 0x80)
                    b++;
                diff += a != b || memcmp(in + i, out + j, a) != 0;
                i += a, j += b;
            }
            CHECK(count_chars(in + pos, end - pos) == count_chars(out + opos, oend - opos));
            CHECK(c && (size_t)strtoul(c->note, NULL, 10) == diff);
        }
        pos = nl ? end + 1 : len;
        opos = onl ? oend + 1 : outlen;
    }
    CHECK(changed_lines > 10);
    CHECK(lf_result_change_count(r) == changed_lines);
    CHECK(lf_result_kind_count(r, LF_PASS_CONVERT, "convert") == changed_lines);
    lf_result_free(r);
    free(in), free(out);
    lf_context_free(ctx);
}

int main(void)
{
    test_errors();
    test_matches_opencc();
    test_untouched();
    test_invalid_utf8();
    test_report();
    return check_done("test_convert");
}
