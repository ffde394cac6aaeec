/* utf8.c — strict UTF-8 decoding (RFC 3629: no overlongs, no surrogates). */
#include "internal.h"

size_t lf_utf8_decode(const char *str, size_t len, uint32_t *cp)
{
    const unsigned char *s = (const unsigned char *)str;
    unsigned char c = s[0];
    if (c < 0x80) {
        *cp = c;
        return 1;
    }
    size_t n;
    uint32_t v;
    uint32_t min;
    if (c >= 0xC2 && c <= 0xDF) {
        n = 2, v = c & 0x1F, min = 0x80;
    } else if (c >= 0xE0 && c <= 0xEF) {
        n = 3, v = c & 0x0F, min = 0x800;
    } else if (c >= 0xF0 && c <= 0xF4) {
        n = 4, v = c & 0x07, min = 0x10000;
    } else {
        *cp = 0xFFFD;
        return 0;
    }
    if (len < n) {
        *cp = 0xFFFD;
        return 0;
    }
    for (size_t i = 1; i < n; i++) {
        if ((s[i] & 0xC0) != 0x80) {
            *cp = 0xFFFD;
            return 0;
        }
        v = (v << 6) | (s[i] & 0x3F);
    }
    if (v < min || v > 0x10FFFF || (v >= 0xD800 && v <= 0xDFFF)) {
        *cp = 0xFFFD;
        return 0;
    }
    *cp = v;
    return n;
}

size_t lf_utf8_validate(const char *str, size_t len)
{
    const unsigned char *s = (const unsigned char *)str;
    size_t i = 0;
    while (i < len) {
        unsigned char c = s[i];
        if (c < 0x80) {
            /* After an ASCII byte, skip a following ASCII run 8 bytes at a
             * time (Latin text); in CJK text the check runs once per stray
             * ASCII byte, not once per character. */
            i++;
            uint64_t w;
            while (i + 8 <= len && (__builtin_memcpy(&w, s + i, 8), !(w & 0x8080808080808080ULL)))
                i += 8;
            continue;
        }
        /* Three-byte sequences outside the surrogates and overlongs (E1-EC,
         * EE-EF) are almost every character of CJK text: check them inline,
         * and a run of them without going round the loop for each. */
        if (c >= 0xE1 && c != 0xED && c <= 0xEF && i + 3 <= len && (s[i + 1] & 0xC0) == 0x80 &&
            (s[i + 2] & 0xC0) == 0x80) {
            i += 3;
            while (i + 3 <= len && s[i] >= 0xE1 && s[i] <= 0xEF && s[i] != 0xED && (s[i + 1] & 0xC0) == 0x80 &&
                   (s[i + 2] & 0xC0) == 0x80)
                i += 3;
            continue;
        }
        uint32_t cp;
        size_t n = lf_utf8_decode(str + i, len - i, &cp);
        if (n == 0)
            return i;
        i += n;
    }
    return len;
}

size_t lf_utf8_boundary(const char *str, size_t len)
{
    const unsigned char *s = (const unsigned char *)str;
    /* Walk back over at most 3 continuation bytes to the lead byte. */
    size_t i = len;
    size_t back = 0;
    while (i > 0 && back < 4 && (s[i - 1] & 0xC0) == 0x80) {
        i--;
        back++;
    }
    if (i == 0)
        return len;
    unsigned char lead = s[i - 1];
    size_t need = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : lead >= 0xC0 ? 2 : 1;
    if (lead < 0xC0)
        return len; /* stray continuation bytes: nothing is pending */
    return back + 1 < need ? i - 1 : len;
}
