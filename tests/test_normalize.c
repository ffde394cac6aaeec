/* test_normalize.c — every normalize switch, its report, and clean text untouched. */
#include "check.h"
#include "libfix.h"

static lf_context *make_ctx(void (*tweak)(lf_options *))
{
    lf_options opt;
    lf_options_init(&opt);
    opt.passes[0] = LF_PASS_NORMALIZE;
    opt.pass_count = 1;
    if (tweak)
        tweak(&opt);
    lf_context *ctx = NULL;
    CHECK(lf_context_new(&opt, &ctx, NULL) == LF_OK);
    return ctx;
}

/* Normalizes in and compares with want; returns the result for more checks. */
static lf_result *expect(lf_context *ctx, const char *in, const char *want)
{
    lf_result *r = NULL;
    lf_error err;
    CHECK(lf_process(ctx, in, strlen(in), &r, &err) == LF_OK);
    CHECK_STR(lf_result_text(r, NULL), want);
    return r;
}

static void expect_count(lf_context *ctx, const char *in, const char *want, const char *kind, uint64_t n)
{
    lf_result *r = expect(ctx, in, want);
    CHECK(lf_result_kind_count(r, LF_PASS_NORMALIZE, kind) == n);
    lf_result_free(r);
}

static void nfkc(lf_options *o) { o->norm_form = LF_NORM_NFKC; }
static void none(lf_options *o) { o->norm_form = LF_NORM_NONE; }
static void all_off(lf_options *o)
{
    o->norm_form = LF_NORM_NONE;
    o->fold_width = o->newlines = o->invisibles = o->entities = 0;
}
static void fold_punct(lf_options *o) { o->fold_punct_width = 1; }

static void test_defaults(void)
{
    lf_context *ctx = make_ctx(NULL);
    expect_count(ctx, "e\xCC\x81", "\xC3\xA9", "nfc", 1);                          /* e + U+0301 -> é */
    expect_count(ctx, "\xEF\xBC\xA1\xEF\xBC\xA2\xEF\xBC\x91", "AB1", "width", 3);   /* ＡＢ１ */
    expect_count(ctx, "\xE4\xB8\xAD\xEF\xBC\x8C\xE6\x96\x87", "中，文", "width", 0); /* full-width comma kept */
    expect_count(ctx, "a\r\nb\rc\xE2\x80\xA8" "d", "a\nb\nc\nd", "newline", 3);
    expect_count(ctx, "\xEF\xBB\xBFz\xE2\x80\x8Bw", "zw", "invisible", 2);           /* BOM, ZWSP */
    expect_count(ctx, "a\x01\x7F" "b\tc", "ab\tc", "control", 2);
    expect_count(ctx, "&lt;a&gt; &amp; &#20013;&#x6587; &nbsp;", "<a> & 中文 \xC2\xA0", "entity", 6);
    expect_count(ctx, "a=1&copy=2 &unknown; &#xD800; &#0;", "a=1&copy=2 &unknown; &#xD800; &#0;", "entity", 0);
    expect_count(ctx, "&#150;", "\xE2\x80\x93", "entity", 1);                        /* C1 ref: windows-1252 en dash */
    expect_count(ctx, "&#65313;", "A", "entity", 1);                                 /* entity result is folded too */
    /* ZWJ inside an emoji sequence is kept */
    expect_count(ctx, "\xF0\x9F\x91\xA8\xE2\x80\x8D\xF0\x9F\x91\xA9", "\xF0\x9F\x91\xA8\xE2\x80\x8D\xF0\x9F\x91\xA9",
                "invisible", 0);
    /* spans: "x" + "ＡＢ" + "y": one width entry covering input 1..7, output 1..3 */
    lf_result *r = expect(ctx, "x\xEF\xBC\xA1\xEF\xBC\xA2y", "xABy");
    CHECK(lf_result_change_count(r) == 1);
    const lf_change *c = lf_result_change(r, 0);
    CHECK(c && c->in_start == 1 && c->in_end == 7 && c->out_start == 1 && c->out_end == 3);
    lf_result_free(r);
    /* spans across both stages: an entity before an NFC change */
    r = expect(ctx, "&amp;e\xCC\x81", "&\xC3\xA9");
    CHECK(lf_result_change_count(r) == 2);
    const lf_change *e0 = lf_result_change(r, 0), *e1 = lf_result_change(r, 1);
    CHECK(e0 && e0->in_start == 0 && e0->in_end == 5 && e0->out_start == 0 && e0->out_end == 1);
    CHECK(e1 && e1->in_start == 5 && e1->in_end == 8 && e1->out_start == 1 && e1->out_end == 3);
    lf_result_free(r);
    lf_context_free(ctx);
}

static void test_switches(void)
{
    lf_context *ctx = make_ctx(nfkc);
    expect_count(ctx, "\xEF\xAC\x81", "fi", "nfkc", 1); /* ﬁ ligature */
    lf_context_free(ctx);
    ctx = make_ctx(none);
    expect_count(ctx, "e\xCC\x81", "e\xCC\x81", "nfc", 0);
    lf_context_free(ctx);
    ctx = make_ctx(all_off);
    const char *messy = "\xEF\xBB\xBF&amp;\r\n\xEF\xBC\xA1" "e\xCC\x81\x01";
    lf_result *r = expect(ctx, messy, messy);
    CHECK(lf_result_change_count(r) == 0);
    lf_result_free(r);
    lf_context_free(ctx);
    ctx = make_ctx(fold_punct);
    expect_count(ctx, "\xEF\xBC\x8C\xE3\x80\x80", ", ", "width", 2);
    lf_context_free(ctx);
}

/* Clean text of several scripts comes back byte-identical with no report. */
static void test_clean(void)
{
    static const char *const clean[] = {
        "加强全球互联网治理，目的在于让网络空间更加普惠繁荣。",
        "網路空間命運共同體（繁體）",
        "日本語のテキスト、ひらがなとカタカナ。",
        "한국어 문장입니다.",
        "Ação, coração, São Paulo — “quotes” … Ñandú",
        "Pīnyīn: Běijīng, lǜ, nǚ",
        "emoji 😀👍🏽 and 𠀀 (CJK Ext B)",
        "tab\tand newline\n",
    };
    lf_context *ctx = make_ctx(NULL);
    for (size_t i = 0; i < sizeof clean / sizeof clean[0]; i++) {
        lf_result *r = expect(ctx, clean[i], clean[i]);
        CHECK(lf_result_change_count(r) == 0);
        lf_result_free(r);
    }
    lf_context_free(ctx);
}

static void test_seeds_untouched_by_nfc(void)
{
    lf_context *ctx = make_ctx(NULL);
    size_t len = 0;
    char *seed = check_read_file(LIBFIX_TESTDATA "/seeds/002_d6a4e868b2ae8101.txt", &len);
    CHECK(seed != NULL);
    lf_result *r = NULL;
    CHECK(lf_process(ctx, seed, len, &r, NULL) == LF_OK);
    /* seed 002 is clean NFC; only its NBSP-free text must come back as is */
    size_t n;
    const char *out = lf_result_text(r, &n);
    CHECK(n == len && memcmp(out, seed, len) == 0);
    lf_result_free(r);
    free(seed);
    lf_context_free(ctx);
}

static void test_invalid_utf8_refused(void)
{
    lf_context *ctx = make_ctx(NULL);
    lf_result *r = NULL;
    lf_error err;
    CHECK(lf_process(ctx, "ok\xff", 3, &r, &err) == LF_ERR_INVALID_INPUT);
    CHECK(strstr(err.message, "byte 2") != NULL);
    CHECK(r == NULL);
    lf_context_free(ctx);
}

int main(void)
{
    test_defaults();
    test_switches();
    test_clean();
    test_seeds_untouched_by_nfc();
    test_invalid_utf8_refused();
    return check_done("test_normalize");
}
