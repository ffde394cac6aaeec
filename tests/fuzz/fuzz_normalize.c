/*
 * fuzz_normalize.c — the normalize pass with entity decoding on.
 *
 * Byte 0 picks the other switches (form, width folding, newlines,
 * invisibles); the rest is the input, which the pass must refuse when it is
 * not valid UTF-8. Besides the shared invariants: the output is in the
 * requested normalization form, checked with ICU's unorm2_isNormalized.
 */
#include "fuzz_common.h"

#include <unicode/unorm2.h>

static lf_context *normalize_context(unsigned bits)
{
    lf_options opt;
    lf_options_init(&opt);
    opt.passes[0] = LF_PASS_NORMALIZE;
    opt.pass_count = 1;
    opt.entities = 1;
    opt.norm_form = (lf_norm_form)((bits & 3) % 3);
    opt.fold_width = (bits >> 2) & 1;
    opt.fold_punct_width = (bits >> 3) & 1;
    opt.newlines = (bits >> 4) & 1;
    opt.invisibles = (bits >> 5) & 1;
    lf_context *ctx = NULL;
    if (lf_context_new(&opt, &ctx, NULL) != LF_OK)
        fuzz_fail("normalize context refused");
    return ctx;
}

static void check_form(lf_norm_form form, const char *s, size_t len)
{
    if (form == LF_NORM_NONE || len == 0)
        return;
    UErrorCode ec = U_ZERO_ERROR;
    const UNormalizer2 *norm = form == LF_NORM_NFC ? unorm2_getNFCInstance(&ec) : unorm2_getNFKCInstance(&ec);
    int32_t n16 = 0;
    u_strFromUTF8(NULL, 0, &n16, s, (int32_t)len, &ec);
    ec = U_ZERO_ERROR;
    UChar *u = malloc(((size_t)n16 + 1) * sizeof *u);
    if (!u)
        fuzz_fail("out of memory in the check");
    u_strFromUTF8(u, n16 + 1, NULL, s, (int32_t)len, &ec);
    UBool ok = unorm2_isNormalized(norm, u, n16, &ec);
    free(u);
    if (U_FAILURE(ec) || !ok)
        fuzz_fail("output is not in the requested normalization form");
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static lf_context *ctxs[64];
    if (size == 0)
        return 0;
    unsigned bits = data[0] & 63;
    if (!ctxs[bits])
        ctxs[bits] = normalize_context(bits);
    lf_result *r = NULL;
    lf_status st = lf_process(ctxs[bits], data + 1, size - 1, &r, NULL);
    fuzz_check_outcome(st, r, false, data + 1, size - 1);
    if (r) {
        size_t n;
        const char *text = lf_result_text(r, &n);
        check_form((lf_norm_form)((bits & 3) % 3), text, n);
    }
    lf_result_free(r);
    return 0;
}
