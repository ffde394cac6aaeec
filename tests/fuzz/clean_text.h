/*
 * clean_text.h — clean-text controls for the repair pass: valid UTF-8 made
 * only of CJK ideographs, kana, Hangul, ASCII letters, digits and spaces and
 * CJK punctuation, that contains no mojibake signature. Repair must return
 * such text unchanged.
 *
 * "No mojibake signature" is decided independently of repair: text could be
 * mojibake only if re-encoding it in some legacy encoding X yields bytes that
 * contain a multi-byte UTF-8 sequence (the reverse chain repair tries). Real
 * mojibake of Chinese is itself made of ideographs (测试 read as GBK is
 * 娴嬭瘯), so random ideographs are not clean by construction: the builder
 * rejects any character whose bytes in some X would complete such a
 * sequence, and uses the next candidate instead.
 */
#ifndef LIBFIX_CLEAN_TEXT_H
#define LIBFIX_CLEAN_TEXT_H

#include "fuzz_common.h"

/* The encodings whose misreading repair might reverse. */
static const char *const clean_legacy[] = {
    "GBK", "GB18030", "Big5-HKSCS", "Shift_JIS", "EUC-JP", "windows-949", "windows-1252", "ISO-8859-1",
};
#define CLEAN_NLEGACY (sizeof clean_legacy / sizeof clean_legacy[0])

typedef struct clean_text {
    char *s; /* UTF-8 */
    size_t len, cap;
    unsigned char tail[CLEAN_NLEGACY][8]; /* last bytes of the text in each X */
    size_t ntail[CLEAN_NLEGACY];
} clean_text;

static UConverter *clean_cnv[CLEAN_NLEGACY];

/* Whether b[0..n) holds a complete multi-byte UTF-8 sequence that ends in
 * b[from..n). Lead bytes C2-F4 with enough continuation bytes count, even
 * overlong-free checks aside: over-rejecting only makes controls stricter. */
static inline bool clean_utf8_in(const unsigned char *b, size_t n, size_t from)
{
    for (size_t i = 0; i < n; i++) {
        if (b[i] < 0xC2 || b[i] > 0xF4)
            continue;
        size_t k = b[i] < 0xE0 ? 1 : b[i] < 0xF0 ? 2 : 3;
        if (i + k >= n || i + k < from)
            continue;
        size_t j = 1;
        while (j <= k && (b[i + j] & 0xC0) == 0x80)
            j++;
        if (j > k)
            return true;
    }
    return false;
}

static UConverter *clean_cross[2]; /* GBK and Big5, decoding */

/* The other mojibake signature: repair also reverses GBK read as Big5 and
 * Big5 read as GBK, so a character whose bytes in one of the two decode as
 * a character of the other could be such mojibake (most ideographs can:
 * controls then hold few of them). */
static inline bool clean_cross_reads(UChar32 cp)
{
    static const char *const names[2] = {"GBK", "Big5-HKSCS"};
    UChar u[2];
    int32_t ulen = 0;
    U16_APPEND_UNSAFE(u, ulen, cp);
    for (int k = 0; k < 2; k++) {
        UErrorCode ec = U_ZERO_ERROR;
        if (!clean_cross[k]) {
            clean_cross[k] = ucnv_open(names[k], &ec);
            ucnv_setToUCallBack(clean_cross[k], UCNV_TO_U_CALLBACK_STOP, NULL, NULL, NULL, &ec);
            ucnv_setFromUCallBack(clean_cross[k], UCNV_FROM_U_CALLBACK_STOP, NULL, NULL, NULL, &ec);
            if (U_FAILURE(ec))
                fuzz_fail("ICU converter for the clean-text control");
        }
        char bytes[8];
        ucnv_resetFromUnicode(clean_cross[k]);
        int32_t n = ucnv_fromUChars(clean_cross[k], bytes, sizeof bytes, u, ulen, &ec);
        if (U_FAILURE(ec) || n != 2)
            continue;
        UConverter *other = clean_cross[1 - k];
        if (!other)
            return true; /* opened on the next call; be strict meanwhile */
        UChar back[4];
        ec = U_ZERO_ERROR;
        ucnv_resetToUnicode(other);
        ucnv_toUChars(other, back, 4, bytes, n, &ec);
        if (U_SUCCESS(ec))
            return true;
    }
    return false;
}

/* Tries to append cp; false when it would create a signature. */
static inline bool clean_try(clean_text *t, UChar32 cp)
{
    if (cp >= 0x80 && clean_cross_reads(cp))
        return false;
    unsigned char next[CLEAN_NLEGACY][16];
    size_t nnext[CLEAN_NLEGACY];
    for (size_t e = 0; e < CLEAN_NLEGACY; e++) {
        UErrorCode ec = U_ZERO_ERROR;
        UChar u[2];
        int32_t ulen = 0;
        U16_APPEND_UNSAFE(u, ulen, cp);
        char bytes[8];
        ucnv_resetFromUnicode(clean_cnv[e]);
        int32_t n = ucnv_fromUChars(clean_cnv[e], bytes, sizeof bytes, u, ulen, &ec);
        if (U_FAILURE(ec)) { /* not representable: no chain through X spans it */
            nnext[e] = 0;
            continue;
        }
        memcpy(next[e], t->tail[e], t->ntail[e]);
        memcpy(next[e] + t->ntail[e], bytes, (size_t)n);
        nnext[e] = t->ntail[e] + (size_t)n;
        if (clean_utf8_in(next[e], nnext[e], t->ntail[e]))
            return false;
    }
    for (size_t e = 0; e < CLEAN_NLEGACY; e++) { /* keep the last 3 bytes */
        size_t keep = nnext[e] < 3 ? nnext[e] : 3;
        memcpy(t->tail[e], next[e] + nnext[e] - keep, keep);
        t->ntail[e] = keep;
    }
    if (t->len + 4 >= t->cap) {
        t->cap = t->cap ? t->cap * 2 : 256;
        t->s = realloc(t->s, t->cap);
        if (!t->s)
            fuzz_fail("out of memory in the control");
    }
    U8_APPEND_UNSAFE(t->s, t->len, cp);
    return true;
}

/* Candidate number i (of a class chosen by sel) for the control. */
static inline UChar32 clean_candidate(uint8_t sel, unsigned v)
{
    static const char ascii[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789 ";
    static const UChar32 punct[] = {0x3001, 0x3002, 0x300C, 0x300D, 0x300E, 0x300F,
                                    0xFF0C, 0xFF01, 0xFF1F, 0xFF1A, 0xFF1B};
    switch (sel % 5) {
    case 0: return (UChar32)ascii[v % (sizeof ascii - 1)];
    case 1: return 0x4E00 + (UChar32)(v % (0x9FA5 - 0x4E00 + 1)); /* URO ideographs */
    case 2: return v % 176 < 86 ? 0x3041 + (UChar32)(v % 176) : 0x30A1 + (UChar32)(v % 176 - 86);
    case 3: return 0xAC00 + (UChar32)(v % 11172); /* Hangul syllables */
    default: return punct[v % (sizeof punct / sizeof punct[0])];
    }
}

/* Builds a control from fuzz bytes: each character takes a class byte and a
 * two-byte index. The caller frees t->s. */
static inline void clean_build(clean_text *t, const uint8_t *in, size_t len)
{
    memset(t, 0, sizeof *t);
    for (size_t e = 0; e < CLEAN_NLEGACY; e++) {
        if (!clean_cnv[e]) {
            UErrorCode ec = U_ZERO_ERROR;
            clean_cnv[e] = ucnv_open(clean_legacy[e], &ec);
            ucnv_setFromUCallBack(clean_cnv[e], UCNV_FROM_U_CALLBACK_STOP, NULL, NULL, NULL, &ec);
            if (U_FAILURE(ec))
                fuzz_fail("ICU converter for the clean-text control");
        }
    }
    for (size_t i = 0; i + 2 < len; i += 3) {
        unsigned v = (unsigned)in[i + 1] << 8 | in[i + 2];
        /* Up to 64 candidates of the class, then a plain letter. */
        bool done = false;
        for (unsigned k = 0; k < 64 && !done; k++)
            done = clean_try(t, clean_candidate(in[i], v + k * 7919));
        if (!done && !clean_try(t, 'a'))
            fuzz_fail("clean-text control cannot continue");
    }
}

#endif
