/*
 * mojibake_pairs.c — what ICU decodes each byte and each byte pair of a
 * double-byte CJK encoding to, asked of ICU once when the context is made.
 *
 * The mojibake search looks for the longest valid stretch of such bytes at
 * every non-ASCII byte of a run; asking ICU each time cost most of the
 * search on clean text (callgrind). A table read in the same order gives
 * the same stretches, because these converters are stateless and decode
 * every character from its own one or two bytes.
 */
#include "mojibake.h"

#include <stdlib.h>

/* What cnv decodes bytes b[0..n) to when they are exactly one BMP
 * character; 0 otherwise (invalid, unassigned, cut off, or more than one
 * character). *other is set when they decode to something else that is
 * not an error: then the table cannot stand in for ICU. */
static uint16_t decode_one(UConverter *cnv, const char *b, int32_t n, bool *other)
{
    UChar out[4];
    UChar *o = out;
    const char *src = b;
    UErrorCode st = U_ZERO_ERROR;
    ucnv_resetToUnicode(cnv);
    ucnv_toUnicode(cnv, &o, out + 4, &src, b + n, NULL, true, &st);
    if (U_FAILURE(st))
        return 0;
    if (o - out == 1 && !U16_IS_SURROGATE(out[0]) && out[0] != 0)
        return out[0];
    /* Two characters from a pair are a single-byte one and ASCII, which the
     * walk reads one byte at a time; anything else it cannot follow. */
    if (!(n == 2 && o - out == 2 && (unsigned char)b[1] < 0x80))
        *other = true;
    return 0;
}

/* Whether cnv decodes byte b alone to one character below 0x80. */
static bool ascii_alone(UConverter *cnv, char b)
{
    UChar out[4];
    UChar *o = out;
    const char *src = &b;
    UErrorCode st = U_ZERO_ERROR;
    ucnv_resetToUnicode(cnv);
    ucnv_toUnicode(cnv, &o, out + 4, &src, &b + 1, NULL, true, &st);
    return U_SUCCESS(st) && o - out == 1 && out[0] < 0x80;
}

lf_status lf_mojibake_pairs_new(const char *icu_name, uint16_t **out, lf_error *err)
{
    *out = NULL;
    UErrorCode status = U_ZERO_ERROR;
    UConverter *cnv = ucnv_open(icu_name, &status);
    if (U_SUCCESS(status)) {
        ucnv_setToUCallBack(cnv, UCNV_TO_U_CALLBACK_STOP, NULL, NULL, NULL, &status);
    }
    if (U_FAILURE(status)) {
        ucnv_close(cnv);
        return lf_fail(err, LF_ERR_INTERNAL, "repair: cannot open ICU converter %s: %s", icu_name,
                       u_errorName(status));
    }
    uint16_t *t = calloc(LF_PAIRS_SIZE, sizeof *t);
    if (!t) {
        ucnv_close(cnv);
        return lf_nomem(err);
    }
    bool other = ucnv_getMaxCharSize(cnv) > 2;
    /* The walk takes every ASCII byte for a character below 0x80 by itself
     * (Shift_JIS swaps some controls: 0x1A is U+001C). */
    for (int b = 0; b < 0x80 && !other; b++)
        other = !ascii_alone(cnv, (char)b);
    for (int b0 = 0x80; b0 < 0x100 && !other; b0++) {
        char pair[2] = {(char)b0, 0};
        t[b0] = decode_one(cnv, pair, 1, &other);
        if (t[b0])
            continue; /* a character by itself: no pair starts with it */
        for (int b1 = 0; b1 < 0x100 && !other; b1++) {
            pair[1] = (char)b1;
            t[b0 << 8 | b1] = decode_one(cnv, pair, 2, &other);
        }
    }
    ucnv_close(cnv);
    if (other) {
        free(t); /* the search asks ICU instead */
        return LF_OK;
    }
    *out = t;
    return LF_OK;
}
