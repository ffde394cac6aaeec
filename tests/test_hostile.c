/*
 * test_hostile.c — hostile text, small enough for every ctest run: the
 * heavy versions, with time and memory figures, are tools/hostile.sh and
 * docs/limits.md. Each case goes through decode plus every built pass
 * alone and through decode plus all of them, whole and streamed; each run
 * must succeed with valid UTF-8. The ctest TIMEOUT is the guard against a
 * hang (these are not timing tests).
 *
 * Cases: 200,000 combining marks (one kind, and two alternating canonical
 * classes, which made NFC quadratic before the stream-safe limit), <div> nested 100,000 deep, 100,000
 * unclosed tags, an entity storm, unterminated entity names and numbers of
 * 1 MB, 1 MB of mojibake and 1 MB of bytes valid in every CJK encoding,
 * neither with a line break.
 */
#include "check.h"
#include "internal.h"

#include <unicode/unorm2.h>
#include <unicode/ustring.h>

typedef struct text {
    char *s;
    size_t len, cap;
} text;

static void put(text *t, const char *s, size_t n)
{
    if (t->len + n + 1 > t->cap) {
        t->cap = (t->len + n + 1) * 2;
        t->s = realloc(t->s, t->cap);
        if (!t->s) {
            fprintf(stderr, "out of memory\n");
            exit(1);
        }
    }
    memcpy(t->s + t->len, s, n);
    t->len += n;
    t->s[t->len] = '\0';
}

static void repeat(text *t, const char *unit, size_t times)
{
    size_t n = strlen(unit);
    for (size_t i = 0; i < times; i++)
        put(t, unit, n);
}

static int collect(void *user, const char *data, size_t len)
{
    put(user, data, len);
    return 0;
}

/* One pipeline over one input, whole and streamed (in 64 KiB writes). */
static lf_result *run(const lf_options *opt, const text *in, const char *name)
{
    lf_context *ctx = NULL;
    lf_error err;
    CHECK(lf_context_new(opt, &ctx, &err) == LF_OK);
    if (!ctx)
        return NULL;
    lf_result *r = NULL;
    lf_status st = lf_process(ctx, in->s, in->len, &r, &err);
    if (st != LF_OK)
        fprintf(stderr, "%s: %s\n", name, err.message);
    CHECK(st == LF_OK);
    size_t n = 0;
    const char *out = r ? lf_result_text(r, &n) : "";
    CHECK(lf_utf8_validate(out, n) == n);

    text streamed = {0};
    lf_stream *s = NULL;
    st = lf_stream_new(ctx, collect, &streamed, &s, &err);
    for (size_t i = 0; st == LF_OK && i < in->len; i += 65536)
        st = lf_stream_write(s, in->s + i, in->len - i < 65536 ? in->len - i : 65536, &err);
    if (st == LF_OK)
        st = lf_stream_finish(s, NULL, &err);
    lf_stream_free(s);
    CHECK(st == LF_OK);
    CHECK(lf_utf8_validate(streamed.s ? streamed.s : "", streamed.len) == streamed.len);
    /* Equality is promised for lines under the 1 MiB window. */
    if (r && in->len < (1u << 20))
        CHECK(streamed.len == n && memcmp(streamed.s, out, n) == 0);
    free(streamed.s);
    lf_context_free(ctx);
    return r;
}

/* Runs every pipeline; returns the decode,normalize result (or NULL). */
static lf_result *run_all(const text *in, const char *name)
{
    lf_options opt;
    lf_options_init(&opt);
    opt.to_script = LF_SCRIPT_SIMPLIFIED;
    lf_result *normalized = NULL;
    opt.passes[0] = LF_PASS_DECODE;
    size_t all = 1;
    for (int p = LF_PASS_REPAIR; p < LF_PASS_COUNT; p++) {
        if (!lf_pass_available((lf_pass)p))
            continue;
        opt.passes[1] = (lf_pass)p;
        opt.pass_count = 2;
        for (int html = 0; html <= (p == LF_PASS_STRIP); html++) {
            opt.format = html ? LF_FORMAT_HTML : LF_FORMAT_AUTO;
            lf_result *r = run(&opt, in, name);
            if (p == LF_PASS_NORMALIZE && !normalized)
                normalized = r;
            else
                lf_result_free(r);
        }
        all++;
    }
    opt.format = LF_FORMAT_AUTO;
    opt.pass_count = 0;
    opt.passes[opt.pass_count++] = LF_PASS_DECODE;
    for (int p = LF_PASS_REPAIR; p < LF_PASS_COUNT; p++)
        if (lf_pass_available((lf_pass)p))
            opt.passes[opt.pass_count++] = (lf_pass)p;
    if (all > 2)
        lf_result_free(run(&opt, in, name));
    return normalized;
}

/* NFC of s by ICU directly: the reference for the combining-mark cases. */
static char *icu_nfc(const char *s, size_t len, size_t *out_len)
{
    UErrorCode ec = U_ZERO_ERROR;
    const UNormalizer2 *nfc = unorm2_getNFCInstance(&ec);
    int32_t n16 = 0;
    u_strFromUTF8(NULL, 0, &n16, s, (int32_t)len, &ec);
    ec = U_ZERO_ERROR;
    UChar *u = malloc(((size_t)n16 + 1) * sizeof *u), *v = malloc(((size_t)n16 * 2 + 1) * sizeof *v);
    u_strFromUTF8(u, n16 + 1, NULL, s, (int32_t)len, &ec);
    int32_t nv = unorm2_normalize(nfc, u, n16, v, n16 * 2 + 1, &ec);
    int32_t n8 = 0;
    u_strToUTF8(NULL, 0, &n8, v, nv, &ec);
    ec = U_ZERO_ERROR;
    char *out = malloc((size_t)n8 + 1);
    u_strToUTF8(out, n8 + 1, NULL, v, nv, &ec);
    CHECK(U_SUCCESS(ec));
    free(u);
    free(v);
    *out_len = (size_t)n8;
    return out;
}

/* Counts code point cp in UTF-8 s[0..len). */
static size_t count_cp(const char *s, size_t len, uint32_t cp)
{
    size_t n = 0;
    for (size_t i = 0; i < len;) {
        uint32_t c;
        size_t k = lf_utf8_decode(s + i, len - i, &c);
        i += k ? k : 1;
        n += c == cp;
    }
    return n;
}

/* Removes every U+034F COMBINING GRAPHEME JOINER (in place). */
static size_t drop_cgj(char *s, size_t len)
{
    size_t j = 0;
    for (size_t i = 0; i < len; i++) {
        if (i + 1 < len && (unsigned char)s[i] == 0xCD && (unsigned char)s[i + 1] == 0x8F)
            i++;
        else
            s[j++] = s[i];
    }
    return j;
}

/* 'a' and 200,000 marks. Past 30 marks in a row normalize inserts U+034F
 * (UAX #15 stream-safe format), which keeps NFC linear. One class: without
 * the joiners the output is ICU's NFC of the input. Two alternating classes
 * (the quadratic case for canonical reordering): the output is NFC and no
 * mark is lost, with 'a' + U+0301 composed to U+00E1. */
static void test_marks(const char *mark_unit, const char *name)
{
    text t = {0};
    put(&t, "a", 1);
    repeat(&t, mark_unit, 200000 / (strlen(mark_unit) / 2));
    put(&t, "\n", 1);
    lf_result *r = run_all(&t, name);
    if (r) {
        size_t n;
        const char *got = lf_result_text(r, &n);
        CHECK(count_cp(got, n, 0x034F) >= 200000 / 30 - 1);
        CHECK(lf_result_kind_count(r, LF_PASS_NORMALIZE, "stream-safe") > 0);
        char *plain = malloc(n + 1);
        memcpy(plain, got, n);
        size_t pn = drop_cgj(plain, n);
        if (strlen(mark_unit) == 2) {
            size_t want_len;
            char *want = icu_nfc(t.s, t.len, &want_len);
            CHECK(pn == want_len && memcmp(plain, want, pn) == 0);
            free(want);
        } else {
            UErrorCode ec = U_ZERO_ERROR;
            int32_t n16 = 0;
            u_strFromUTF8(NULL, 0, &n16, got, (int32_t)n, &ec);
            ec = U_ZERO_ERROR;
            UChar *u = malloc(((size_t)n16 + 1) * sizeof *u);
            u_strFromUTF8(u, n16 + 1, NULL, got, (int32_t)n, &ec);
            CHECK(unorm2_isNormalized(unorm2_getNFCInstance(&ec), u, n16, &ec) && U_SUCCESS(ec));
            free(u);
            CHECK(count_cp(plain, pn, 0x0316) == count_cp(t.s, t.len, 0x0316));
            CHECK(count_cp(plain, pn, 0x0301) + count_cp(plain, pn, 0x00E1) == count_cp(t.s, t.len, 0x0301));
            CHECK(count_cp(plain, pn, 'a') + count_cp(plain, pn, 0x00E1) == 1);
        }
        free(plain);
    }
    lf_result_free(r);
    free(t.s);
}

static void test_html(void)
{
    text nest = {0};
    put(&nest, "<html><body>", 12);
    repeat(&nest, "<div>", 100000);
    put(&nest, "正文", strlen("正文"));
    repeat(&nest, "</div>", 100000);
    put(&nest, "</body></html>\n", 15);
    lf_result *r = run_all(&nest, "nested <div>");
    if (r) { /* nothing in it for normalize to change */
        size_t n;
        const char *got = lf_result_text(r, &n);
        CHECK(n == nest.len && memcmp(got, nest.s, n) == 0);
    }
    lf_result_free(r);
    free(nest.s);

    text unclosed = {0};
    put(&unclosed, "<html><body>", 12);
    repeat(&unclosed, "<p><b><i>文", 100000);
    lf_result_free(run_all(&unclosed, "unclosed tags"));
    free(unclosed.s);
}

static void test_entities(void)
{
    /* Per unit six entities decode (&amp; &#x4E2D; &nbsp; &lt; &#20013;
     * &copy;); &#0;, &#x110000;, &bogus; and a lone & stay as they are. */
    const size_t units = 20000;
    text storm = {0};
    repeat(&storm, "&amp;&#x4E2D;&nbsp;&lt;&#20013;&copy;&#0;&#x110000;&bogus;&", units);
    lf_result *r = run_all(&storm, "entity storm");
    if (r)
        CHECK(lf_result_kind_count(r, LF_PASS_NORMALIZE, "entity") == 6 * units);
    lf_result_free(r);
    free(storm.s);

    text longname = {0};
    put(&longname, "&", 1);
    repeat(&longname, "a", 1000000);
    put(&longname, "\n&#", 3);
    repeat(&longname, "9", 1000000);
    put(&longname, "\n", 1);
    r = run_all(&longname, "unterminated entities");
    if (r) { /* neither is an entity: unchanged */
        size_t n;
        const char *got = lf_result_text(r, &n);
        CHECK(n == longname.len && memcmp(got, longname.s, n) == 0);
    }
    lf_result_free(r);
    free(longname.s);
}

static void test_repair_search(void)
{
    /* 互联网治理网络空间， in UTF-8 read as GBK, as UTF-8: repair's search. */
    text moji = {0};
    while (moji.len < (1u << 20))
        put(&moji, "浜掕仈缃戞不鐞嗙綉缁滅┖闂达紝", strlen("浜掕仈缃戞不鐞嗙綉缁滅┖闂达紝"));
    lf_result_free(run_all(&moji, "mojibake run"));
    free(moji.s);

    text amb = {0};
    while (amb.len < (1u << 20))
        put(&amb, "\xB0\xA1\xC4\xE3\xE9\xAB", 6); /* valid in GBK, Big5, Shift_JIS, EUC-KR */
    lf_result_free(run_all(&amb, "ambiguous bytes"));
    free(amb.s);
}

int main(void)
{
    test_marks("\xCC\x81", "combining marks");                 /* U+0301, ccc 230 */
    test_marks("\xCC\x81\xCC\x96", "alternating combining marks"); /* U+0301, U+0316 (ccc 220) */
    test_html();
    test_entities();
    test_repair_search();
    return check_done("test_hostile");
}
