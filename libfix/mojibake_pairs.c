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

/* Decodes byte b by itself into out[0..4); the number of UTF-16 units, or
 * -1 when cnv rejects it (invalid, or the first byte of a pair). */
static int32_t decode_alone(UConverter *cnv, char b, UChar out[4])
{
    UChar *o = out;
    const char *src = &b;
    UErrorCode st = U_ZERO_ERROR;
    ucnv_resetToUnicode(cnv);
    ucnv_toUnicode(cnv, &o, out + 4, &src, &b + 1, NULL, true, &st);
    return U_FAILURE(st) ? -1 : (int32_t)(o - out);
}

/* What cnv decodes byte b to by itself when that is one BMP character; 0
 * otherwise (invalid, or the first byte of a pair). *other is set when it
 * decodes to something else: then the table cannot stand in for ICU. */
static uint16_t decode_byte(UConverter *cnv, char b, bool *other)
{
    UChar out[4];
    int32_t n = decode_alone(cnv, b, out);
    if (n < 0)
        return 0;
    if (n == 1 && !U16_IS_SURROGATE(out[0]) && out[0] != 0)
        return out[0];
    *other = true;
    return 0;
}

/* Whether cnv decodes byte b alone to one character below 0x80, which
 * goes to *c. */
static bool ascii_alone(UConverter *cnv, char b, uint16_t *c)
{
    UChar out[4];
    if (decode_alone(cnv, b, out) != 1 || out[0] >= 0x80)
        return false;
    *c = out[0];
    return true;
}

/* Fills t[b0 << 8 | b1] for every b1 with one ICU call: the pairs go in
 * as "b0 b1 space" (a space is no second byte in these encodings, so each
 * triple starts afresh after a pair that fails) through `row`, which skips
 * what it cannot decode; the character of a pair is the unit whose source
 * offset is the pair's. One unit from one pair, or nothing. */
static void decode_row(UConverter *row, int b0, uint16_t *t, bool *other)
{
    char in[256 * 3];
    UChar u[256 * 3];
    int32_t offs[256 * 3], count[256] = {0};
    for (int b1 = 0; b1 < 256; b1++) {
        in[3 * b1] = (char)b0;
        in[3 * b1 + 1] = (char)b1;
        in[3 * b1 + 2] = ' ';
    }
    UChar *o = u;
    const char *src = in;
    UErrorCode st = U_ZERO_ERROR;
    ucnv_resetToUnicode(row);
    ucnv_toUnicode(row, &o, u + 256 * 3, &src, in + sizeof in, offs, true, &st);
    if (U_FAILURE(st)) {
        *other = true;
        return;
    }
    for (int32_t k = 0; k < (int32_t)(o - u); k++) {
        if (offs[k] < 0 || offs[k] % 3 != 0)
            continue; /* the space, or a second byte read alone */
        int b1 = offs[k] / 3;
        count[b1]++;
        t[b0 << 8 | b1] = U16_IS_SURROGATE(u[k]) || u[k] == 0 ? 0 : u[k];
    }
    for (int b1 = 0; b1 < 256; b1++)
        if (count[b1] > 1)
            *other = true; /* two units: beyond the BMP, or two characters */
}

lf_status lf_mojibake_pairs_new(const char *icu_name, uint16_t **out, lf_error *err)
{
    *out = NULL;
    UErrorCode status = U_ZERO_ERROR;
    UConverter *cnv = ucnv_open(icu_name, &status);
    UConverter *row = U_SUCCESS(status) ? ucnv_open(icu_name, &status) : NULL;
    if (U_SUCCESS(status))
        ucnv_setToUCallBack(cnv, UCNV_TO_U_CALLBACK_STOP, NULL, NULL, NULL, &status);
    if (U_SUCCESS(status))
        ucnv_setToUCallBack(row, UCNV_TO_U_CALLBACK_SKIP, NULL, NULL, NULL, &status);
    if (U_FAILURE(status)) {
        ucnv_close(cnv);
        ucnv_close(row);
        return lf_fail(err, LF_ERR_INTERNAL, "repair: cannot open ICU converter %s: %s", icu_name,
                       u_errorName(status));
    }
    uint16_t *t = calloc(LF_PAIRS_SIZE, sizeof *t);
    if (!t) {
        ucnv_close(cnv);
        ucnv_close(row);
        return lf_nomem(err);
    }
    bool other = ucnv_getMaxCharSize(cnv) > 2;
    /* The walk takes every ASCII byte for a character below 0x80 by itself
     * (Shift_JIS swaps some controls: 0x1A is U+001C). */
    for (int b = 0; b < 0x80 && !other; b++)
        other = !ascii_alone(cnv, (char)b, &t[b]);
    for (int b0 = 0x80; b0 < 0x100 && !other; b0++) {
        t[b0] = decode_byte(cnv, (char)b0, &other);
        if (!t[b0]) /* a character by itself starts no pair */
            decode_row(row, b0, t, &other);
    }
    ucnv_close(cnv);
    ucnv_close(row);
    if (other) {
        free(t); /* the search asks ICU instead */
        return LF_OK;
    }
    *out = t;
    return LF_OK;
}
