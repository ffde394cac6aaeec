/* test_decode.c — the decode pass: seeds round-trip from every encoding they
 * were saved in, the invalid-byte policies, and hostile inputs. */
#include "check.h"
#include "libfix.h"

#include <iconv.h>

static lf_context *make_ctx(const char *from, lf_invalid_policy invalid)
{
    lf_options opt;
    lf_options_init(&opt);
    opt.passes[0] = LF_PASS_DECODE;
    opt.pass_count = 1;
    opt.from_encoding = from;
    opt.invalid = invalid;
    lf_context *ctx = NULL;
    lf_error err;
    CHECK(lf_context_new(&opt, &ctx, &err) == LF_OK);
    return ctx;
}

static const char *const seeds[] = {
    "000_2c2c842a2fec32c3", "001_74ed674026e8a210", "002_d6a4e868b2ae8101",
    "003_3cb92859fe70f893", "004_be795c9853c9171b",
};

/* Decodes the file at `encoded` and compares with the UTF-8 file `expected`. */
static void round_trip(lf_context *ctx, const char *encoded, const char *expected, const char *want_enc)
{
    size_t n_in, n_exp;
    char *in = check_read_file(encoded, &n_in);
    char *exp = check_read_file(expected, &n_exp);
    CHECK(in && exp);
    if (!in || !exp)
        goto done;
    lf_result *r = NULL;
    lf_error err;
    CHECK(lf_process(ctx, in, n_in, &r, &err) == LF_OK);
    size_t n_out;
    const char *out = lf_result_text(r, &n_out);
    CHECK(n_out == n_exp && memcmp(out, exp, n_exp) == 0);
    CHECK_STR(lf_result_encoding(r), want_enc);
    CHECK(lf_result_kind_count(r, LF_PASS_DECODE, "invalid-bytes") == 0);
    if (n_out != n_exp || memcmp(out, exp, n_exp) != 0)
        fprintf(stderr, "  round trip failed for %s\n", encoded);
    lf_result_free(r);
done:
    free(in);
    free(exp);
}

static void test_seeds(void)
{
    lf_context *ctx = make_ctx(NULL, LF_INVALID_STRICT);
    char a[512], b[512];
    for (size_t i = 0; i < sizeof seeds / sizeof seeds[0]; i++) {
        snprintf(b, sizeof b, LIBFIX_TESTDATA "/seeds/%s.txt", seeds[i]);
        round_trip(ctx, b, b, "UTF-8");
        snprintf(a, sizeof a, LIBFIX_TESTDATA "/encoded/%s.gb18030", seeds[i]);
        round_trip(ctx, a, b, "GB18030");
        snprintf(a, sizeof a, LIBFIX_TESTDATA "/encoded/%s.utf16le", seeds[i]);
        round_trip(ctx, a, b, "UTF-16LE");
        snprintf(a, sizeof a, LIBFIX_TESTDATA "/encoded/%s.trad.big5", seeds[i]);
        snprintf(b, sizeof b, LIBFIX_TESTDATA "/encoded/%s.trad.txt", seeds[i]);
        round_trip(ctx, a, b, "Big5");
    }
    lf_context_free(ctx);
}

/* Runs ctx over in[0..len) and returns the output, or the error message
 * (kept in a static buffer until the next call). */
static const char *run(lf_context *ctx, const char *in, size_t len, lf_result **r, lf_status *st)
{
    static lf_error err;
    *st = lf_process(ctx, in, len, r, &err);
    return *st == LF_OK ? lf_result_text(*r, NULL) : err.message;
}

static void test_invalid_utf8(void)
{
    lf_context *replace = make_ctx("UTF-8", LF_INVALID_REPLACE);
    lf_context *strict = make_ctx("UTF-8", LF_INVALID_STRICT);
    lf_result *r = NULL;
    lf_status st;
    /* start, middle, end */
    CHECK_STR(run(replace, "\xff" "abc", 4, &r, &st), "\xEF\xBF\xBD" "abc");
    CHECK(lf_result_change_count(r) == 1 && lf_result_change(r, 0)->in_start == 0 &&
          lf_result_change(r, 0)->in_end == 1);
    lf_result_free(r);
    CHECK_STR(run(replace, "ab\xc3\x28" "cd", 6, &r, &st), "ab\xEF\xBF\xBD(cd");
    lf_result_free(r);
    CHECK_STR(run(replace, "abc\xe4\xb8", 5, &r, &st), "abc\xEF\xBF\xBD");
    CHECK(lf_result_kind_count(r, LF_PASS_DECODE, "truncated") == 1);
    lf_result_free(r);
    /* strict names the offset */
    const char *msg = run(strict, "abcdef\xfe", 7, &r, &st);
    CHECK(st == LF_ERR_INVALID_INPUT);
    CHECK(strstr(msg, "offset 6") != NULL);
    CHECK(r == NULL);
    msg = run(strict, "abc\xe4\xb8", 5, &r, &st);
    CHECK(st == LF_ERR_INVALID_INPUT && strstr(msg, "truncated") && strstr(msg, "offset 3"));
    lf_context_free(replace);
    lf_context_free(strict);
}

static void test_invalid_gb18030(void)
{
    lf_context *replace = make_ctx("GB18030", LF_INVALID_REPLACE);
    lf_context *strict = make_ctx("GB18030", LF_INVALID_STRICT);
    lf_result *r = NULL;
    lf_status st;
    /* 中 = D6 D0; a lead byte before a byte that cannot trail keeps that byte. */
    CHECK_STR(run(replace, "\xd6\xd0\xd6 a", 5, &r, &st), "\xe4\xb8\xad\xEF\xBF\xBD a");
    CHECK(lf_result_kind_count(r, LF_PASS_DECODE, "invalid-bytes") == 1);
    lf_result_free(r);
    CHECK_STR(run(replace, "\xd6\xd0\xd6", 3, &r, &st), "\xe4\xb8\xad\xEF\xBF\xBD");
    CHECK(lf_result_kind_count(r, LF_PASS_DECODE, "truncated") == 1);
    lf_result_free(r);
    const char *msg = run(strict, "ab\xd6\xd0\xd6", 5, &r, &st);
    CHECK(st == LF_ERR_INVALID_INPUT && strstr(msg, "offset 4"));
    lf_context_free(replace);
    lf_context_free(strict);
}

/* GBK's lone 0x80 is the euro sign (Windows-936, the WHATWG decoder), though
 * glibc's GB18030 rejects it; 0xFF stays invalid (Windows-936 gives it a
 * private-use character), and EUC-KR gives 0x80 no character. (glibc's
 * BIG5-HKSCS reads 0x80 as U+0080, which the table leaves to it.) */
static void test_gbk_euro(void)
{
    lf_context *gbk = make_ctx("GBK", LF_INVALID_REPLACE);
    lf_context *euckr = make_ctx("EUC-KR", LF_INVALID_REPLACE);
    lf_result *r = NULL;
    lf_status st;
    /* "100€ 欧元" in GBK: 欧 = C5 B7, 元 = D4 AA */
    CHECK_STR(run(gbk, "100\x80 \xc5\xb7\xd4\xaa", 9, &r, &st), "100€ 欧元");
    CHECK(lf_result_kind_count(r, LF_PASS_DECODE, "invalid-bytes") == 0);
    lf_result_free(r);
    CHECK_STR(run(gbk, "\xd6\xd0\xff", 3, &r, &st), "中\xEF\xBF\xBD");
    CHECK(lf_result_kind_count(r, LF_PASS_DECODE, "invalid-bytes") == 1);
    lf_result_free(r);
    CHECK_STR(run(euckr, "a\x80", 2, &r, &st), "a\xEF\xBF\xBD");
    lf_result_free(r);
    lf_context_free(gbk);
    lf_context_free(euckr);
}

static void test_hostile(void)
{
    lf_context *ctx = make_ctx(NULL, LF_INVALID_REPLACE);
    lf_result *r = NULL;
    lf_status st;
    /* empty */
    CHECK_STR(run(ctx, "", 0, &r, &st), "");
    CHECK(st == LF_OK);
    lf_result_free(r);
    /* NUL bytes pass through decode (normalize removes them) */
    size_t n;
    run(ctx, "a\0b", 3, &r, &st);
    CHECK(st == LF_OK);
    const char *t = lf_result_text(r, &n);
    CHECK(n == 3 && t[1] == '\0');
    lf_result_free(r);
    /* binary: every byte value, never a crash, always valid UTF-8 out */
    char bin[4096];
    for (size_t i = 0; i < sizeof bin; i++)
        bin[i] = (char)((i * 7919u) >> 3);
    run(ctx, bin, sizeof bin, &r, &st);
    CHECK(st == LF_OK);
    lf_result_free(r);
    /* unknown encoding names are refused at context creation */
    lf_options opt;
    lf_options_init(&opt);
    opt.passes[0] = LF_PASS_DECODE;
    opt.pass_count = 1;
    opt.from_encoding = "no-such-encoding";
    lf_context *bad = NULL;
    lf_error err;
    CHECK(lf_context_new(&opt, &bad, &err) == LF_ERR_UNSUPPORTED);
    CHECK(bad == NULL && strstr(err.message, "no-such-encoding"));
    lf_context_free(ctx);
}

static void test_icu_fallback(void)
{
    /* KOI8-R is not in iconv's fast list: ICU decodes it. "привет" */
    lf_context *ctx = make_ctx("KOI8-R", LF_INVALID_STRICT);
    lf_result *r = NULL;
    lf_status st;
    CHECK_STR(run(ctx, "\xd0\xd2\xc9\xd7\xc5\xd4", 6, &r, &st), "привет");
    lf_result_free(r);
    lf_context_free(ctx);
}

/* The table fast path decodes every pair exactly as iconv does: all pairs
 * iconv accepts, each followed by a newline, through libfix and through
 * iconv in one call. Covers HKSCS pairs that decode to two code points. */
static void table_matches_iconv(const char *lf_name, const char *iconv_name)
{
    static char in[126 * 191 * 3], want[126 * 191 * 10];
    size_t n = 0;
    iconv_t cd = iconv_open("UTF-8", iconv_name);
    CHECK(cd != (iconv_t)-1);
    for (int lead = 0x81; lead <= 0xFE; lead++) {
        for (int trail = 0x40; trail <= 0xFE; trail++) {
            char pair[2] = {(char)lead, (char)trail}, u[16];
            char *ip = pair, *op = u;
            size_t il = 2, ol = sizeof u;
            iconv(cd, NULL, NULL, NULL, NULL);
            if (iconv(cd, &ip, &il, &op, &ol) == (size_t)-1 || il != 0)
                continue;
            in[n++] = (char)lead, in[n++] = (char)trail, in[n++] = '\n';
        }
    }
    char *ip = in, *op = want;
    size_t il = n, ol = sizeof want;
    iconv(cd, NULL, NULL, NULL, NULL);
    CHECK(iconv(cd, &ip, &il, &op, &ol) != (size_t)-1);
    iconv_close(cd);
    lf_context *ctx = make_ctx(lf_name, LF_INVALID_STRICT);
    lf_result *r = NULL;
    CHECK(lf_process(ctx, in, n, &r, NULL) == LF_OK);
    size_t got_len;
    const char *got = lf_result_text(r, &got_len);
    CHECK(got_len == (size_t)(op - want) && memcmp(got, want, got_len) == 0);
    printf("%s: %zu pairs decode as iconv does\n", lf_name, n / 3);
    lf_result_free(r);
    lf_context_free(ctx);
}

int main(void)
{
    table_matches_iconv("GB18030", "GB18030");
    table_matches_iconv("Big5-HKSCS", "BIG5-HKSCS");
    table_matches_iconv("EUC-KR", "CP949");
    test_seeds();
    test_invalid_utf8();
    test_invalid_gb18030();
    test_gbk_euro();
    test_hostile();
    test_icu_fallback();
    return check_done("test_decode");
}
