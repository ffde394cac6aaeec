/*
 * fuzz_decode.c — the decode pass with detection, and forced encodings.
 *
 * Byte 0 picks the encoding (detection most often) and the invalid-byte
 * policy; the rest is the input. Besides the shared invariants it checks
 * the round trip decode(encode(x)) == x for every valid UTF-8 input x that
 * GBK or GB18030 can represent (a leading U+FEFF is excluded: decode
 * removes a byte order mark by design):
 *   - GBK is encoded with ICU's "GBK" (windows-936), an implementation
 *     independent of the glibc converter libfix decodes with. It writes
 *     U+20AC as the single byte 0x80, which glibc's GB18030 rejects and
 *     libfix reads as browsers do, as U+20AC
 *     (testdata/fuzz-regressions/decode/euro found the difference).
 *   - GB18030 is encoded with glibc iconv, since ICU 72 implements
 *     GB18030-2005 and glibc 2.36 GB18030-2022, which map 24 vertical forms
 *     and private-use code points differently (U+FE10: 84 31 82 36 in
 *     ICU, A6 D9 in glibc). For the same reason the ICU-encoded GBK round
 *     trip leaves out text with private-use characters or vertical forms
 *     (testdata/fuzz-regressions/decode/gbk-pua-2005-vs-2022: U+E863).
 */
#include <iconv.h>

#include "fuzz_common.h"

static const char *const encodings[8] = {
    NULL, NULL, NULL, "GB18030", "Big5", "Shift_JIS", "UTF-16LE", "EUC-KR",
};

static lf_context *decode_context(const char *enc, lf_invalid_policy invalid)
{
    lf_options opt;
    lf_options_init(&opt);
    opt.passes[0] = LF_PASS_DECODE;
    opt.pass_count = 1;
    opt.from_encoding = enc;
    opt.invalid = invalid;
    lf_context *ctx = NULL;
    if (lf_context_new(&opt, &ctx, NULL) != LF_OK)
        fuzz_fail("decode context refused");
    return ctx;
}

/* Encodes UTF-8 x into enc with ICU; NULL when some character has no
 * round-trip mapping there. The caller frees the bytes. */
static char *icu_encode(const char *enc, const char *x, size_t len, size_t *out_len)
{
    UErrorCode ec = U_ZERO_ERROR;
    int32_t n16 = 0;
    u_strFromUTF8(NULL, 0, &n16, x, (int32_t)len, &ec);
    ec = U_ZERO_ERROR;
    UChar *u = malloc(((size_t)n16 + 1) * sizeof *u);
    char *bytes = malloc((size_t)n16 * 4 + 4);
    UConverter *cnv = ucnv_open(enc, &ec);
    if (!u || !bytes || U_FAILURE(ec))
        fuzz_fail("ICU setup failed");
    u_strFromUTF8(u, n16 + 1, NULL, x, (int32_t)len, &ec);
    ucnv_setFromUCallBack(cnv, UCNV_FROM_U_CALLBACK_STOP, NULL, NULL, NULL, &ec);
    int32_t n = ucnv_fromUChars(cnv, bytes, n16 * 4 + 4, u, n16, &ec);
    /* ICU drops unmappable default-ignorables (U+FE0F) without an error,
     * so "representable" means ICU's own decoding gives x back. */
    UChar *back = malloc(((size_t)n16 + 1) * sizeof *back);
    if (!back)
        fuzz_fail("out of memory");
    int32_t nback = U_SUCCESS(ec) ? ucnv_toUChars(cnv, back, n16 + 1, bytes, n, &ec) : 0;
    bool same = U_SUCCESS(ec) && nback == n16 && memcmp(back, u, (size_t)n16 * sizeof *u) == 0;
    ucnv_close(cnv);
    free(u);
    free(back);
    if (!same) {
        free(bytes);
        return NULL;
    }
    *out_len = (size_t)n;
    return bytes;
}

/* Encodes UTF-8 x into enc with glibc iconv; NULL when not representable. */
static char *iconv_encode(const char *enc, const char *x, size_t len, size_t *out_len)
{
    iconv_t cd = iconv_open(enc, "UTF-8");
    if (cd == (iconv_t)-1)
        fuzz_fail("iconv_open failed");
    size_t cap = len * 4 + 4, left = cap;
    char *bytes = malloc(cap), *inp = (char *)x, *outp = bytes;
    size_t inleft = len;
    if (!bytes)
        fuzz_fail("out of memory");
    size_t r = iconv(cd, &inp, &inleft, &outp, &left);
    iconv_close(cd);
    if (r == (size_t)-1 || r > 0) { /* unconvertible, or converted irreversibly */
        free(bytes);
        return NULL;
    }
    *out_len = cap - left;
    return bytes;
}

typedef char *(*encode_fn)(const char *enc, const char *x, size_t len, size_t *out_len);

/* Whether valid UTF-8 x holds a character the two GB18030 editions map
 * differently: private use (U+E000..U+F8FF) or the vertical forms
 * (U+FE10..U+FE19). */
static bool has_edition_difference(const char *x, size_t len)
{
    for (size_t i = 0; i + 2 < len; i++) {
        unsigned char a = (unsigned char)x[i], b = (unsigned char)x[i + 1];
        if ((a == 0xEE || (a == 0xEF && b < 0xA4)) ||     /* U+E000..U+F8FF */
            (a == 0xEF && b == 0xB8 && (unsigned char)x[i + 2] >= 0x90 && (unsigned char)x[i + 2] <= 0x99))
            return true;
    }
    return false;
}

static void check_round_trip(lf_context *ctx, const char *enc, encode_fn encode, const char *x, size_t len)
{
    size_t n;
    char *bytes = encode(enc, x, len, &n);
    if (!bytes)
        return;
    lf_result *r = NULL;
    if (lf_process(ctx, bytes, n, &r, NULL) != LF_OK)
        fuzz_fail("decoding representable text failed");
    size_t got_len;
    const char *got = lf_result_text(r, &got_len);
    if (got_len != len || memcmp(got, x, len) != 0) {
        fprintf(stderr, "round trip through %s changed the text\n", enc);
        fuzz_fail("decode(encode(x)) != x");
    }
    lf_result_free(r);
    free(bytes);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static lf_context *ctxs[16], *gbk, *gb18030;
    if (!gbk) {
        gbk = decode_context("GBK", LF_INVALID_STRICT);
        gb18030 = decode_context("GB18030", LF_INVALID_STRICT);
    }
    if (size == 0)
        return 0;
    unsigned pick = data[0] & 15;
    if (!ctxs[pick])
        ctxs[pick] = decode_context(encodings[pick & 7], pick & 8 ? LF_INVALID_STRICT : LF_INVALID_REPLACE);
    const uint8_t *in = data + 1;
    size_t len = size - 1;

    lf_result *r = NULL;
    lf_status st = lf_process(ctxs[pick], in, len, &r, NULL);
    if (!(st == LF_ERR_INVALID_INPUT && (pick & 8)))
        fuzz_check_outcome(st, r, true, in, len);
    lf_result_free(r);

    const char *name = NULL;
    double conf = -1;
    if (lf_detect_encoding(ctxs[pick], in, len, &name, &conf, NULL) != LF_OK || !name || !(conf >= 0 && conf <= 1))
        fuzz_fail("lf_detect_encoding failed");

    const char *x = (const char *)in;
    if (len < (1u << 20) && fuzz_valid_utf8(x, len) && !(len >= 3 && memcmp(x, "\xEF\xBB\xBF", 3) == 0)) {
        if (!has_edition_difference(x, len)) /* see the top of the file */
            check_round_trip(gbk, "GBK", icu_encode, x, len);
        check_round_trip(gb18030, "GB18030", iconv_encode, x, len);
    }
    return 0;
}
