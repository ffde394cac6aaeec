/*
 * utf8_lossy.c — UTF-8 read back through the bytes a misreading lost.
 *
 * A code page without a character for a byte leaves U+FFFD in its place
 * (windows-1252 has none for 0x81, 0x8D, 0x8F, 0x90, 0x9D), and the
 * no-break space its byte 0xA0 gives is often turned into a plain space on
 * the way. Both bytes are continuation bytes of UTF-8, so the sequence
 * they were part of still shows: its lead byte says how long it is. A
 * sequence with an unknown byte cannot be recovered and becomes U+FFFD; the
 * ones around it can ("Ð ÑƒÑ�Ñ�ÐºÐ¸Ð¹" is "Ру��кий"). The caller
 * (mojibake.c) judges the result like any other candidate repair.
 */
#include "utf8_lossy.h"

#include "internal.h"

#include <string.h>

/* The length of the UTF-8 sequence lead byte b starts; 0 when b is none. */
static size_t sequence_length(unsigned char b)
{
    return b >= 0xC2 && b <= 0xDF ? 2 : b >= 0xE0 && b <= 0xEF ? 3 : b >= 0xF0 && b <= 0xF4 ? 4 : 0;
}

bool lf_utf8_joins_a_grave(const unsigned char *b, size_t n)
{
    if (n >= 1 && b[0] == 's')
        return n == 1 || b[1] == ' ';
    return n >= 4 && b[0] == 'q' && b[1] == 'u' && (b[2] == 'e' || b[2] == 'i') && b[3] == 'l';
}

/* Reads the sequence at b[0..n) starting with a lead byte. Returns its
 * length, 0 when it does not fit; *cp gets the character, U+FFFD when a
 * byte of it is lost. *restored counts the spaces read as 0xA0. */
static size_t read_sequence(const unsigned char *b, const unsigned char *kind, size_t n, uint32_t *cp,
                            size_t *restored, size_t *long_seqs, size_t *plain)
{
    size_t len = sequence_length(b[0]);
    if (len == 0 || len > n)
        return 0;
    char bytes[4] = {(char)b[0]};
    bool lost = false;
    size_t spaces = 0, kept = 0;
    for (size_t i = 1; i < len; i++) {
        if (kind[i] == LF_FLEX_LOST) {
            lost = true;
            bytes[i] = (char)0x80; /* any continuation byte: only the shape is checked */
        } else if (kind[i] == LF_FLEX_MARK && i == len - 1 && len >= 3 && kept > 0) {
            lost = true; /* "?" is a question mark too often to stand for less */
        } else if (kind[i] == LF_FLEX_SPACE) {
            spaces++;
            bytes[i] = (char)0xA0;
        } else if ((b[i] & 0xC0) == 0x80) {
            bytes[i] = (char)b[i];
            kept++;
        } else {
            return 0;
        }
    }
    if (!lost && !lf_utf8_decode(bytes, len, cp))
        return 0; /* an overlong form or a surrogate: not what an encoder wrote */
    if (lost)
        *cp = 0xFFFD;
    *restored += spaces;
    *long_seqs += len >= 3 && kept > 0 && (lost || spaces > 0);
    *plain += !lost && spaces == 0;
    return len;
}

lf_flex_read lf_utf8_flex_read(const unsigned char *b, const unsigned char *kind, size_t n, uint32_t *out)
{
    lf_flex_read r = {0};
    size_t i = 0, ncp = 0;
    while (i < n) {
        if (kind[i] != LF_FLEX_LOST && b[i] < 0x80) {
            bool next_ascii = i + 1 < n && kind[i + 1] != LF_FLEX_LOST && b[i + 1] < 0x80;
            if (next_ascii)
                break; /* an ASCII word: what follows is judged on its own */
            out[ncp++] = b[i];
            i++;
            continue;
        }
        if (kind[i] != LF_FLEX_BYTE)
            break;
        /* "Ã " before a word is "à" and a space ("voilà le"); before what
         * Portuguese joins to it, the space was the no-break space. */
        if (b[i] == 0xC3 && i + 1 < n && kind[i + 1] == LF_FLEX_SPACE && !lf_utf8_joins_a_grave(b + i + 2, n - i - 2) &&
            !(i + 2 < n && kind[i + 2] == LF_FLEX_SPACE)) {
            out[ncp++] = 0xE0;
            r.restored++;
            i++;
            r.end = i, r.ncp = ncp;
            continue;
        }
        uint32_t cp;
        size_t len = read_sequence(b + i, kind + i, n - i, &cp, &r.restored, &r.long_seqs, &r.plain);
        if (len == 0)
            break;
        out[ncp++] = cp;
        r.lost += cp == 0xFFFD;
        i += len;
        r.end = i, r.ncp = ncp;
    }
    return r;
}
