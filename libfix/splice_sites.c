/*
 * splice_sites.c — where the splice damage is: the anomalies a byte-level
 * annotation tool leaves once its bytes are decoded (a '?' that swallowed a
 * byte, a private-use character, a stray euro sign, a character followed
 * by "pinyin]"), widened to the span whose bytes take part: from the
 * character before (with its annotation, or the annotation it is inside)
 * to where the decoding surely realigned. See splice.h.
 */
#include "splice.h"

#include <stdint.h>
#include <string.h>

/* The end of "pinyin]" at s[i..] when the reading parses and the bracket is
 * ']', else 0. It is asked after every character of a site, mostly Han
 * text, where the parse would read the 16 bytes a reading may have before
 * it fails: without a ']' among them, none is looked for. */
size_t lf_splice_square_tail(const char *s, size_t len, size_t i, int *syllable)
{
    if (i >= len)
        return 0;
    size_t reach = len - i < LF_ANNOT_MAX_BODY + 1 ? len - i : LF_ANNOT_MAX_BODY + 1;
    if (!memchr(s + i, ']', reach))
        return 0;
    size_t k = lf_annot_parse_tail(s, len, i, syllable);
    return k && s[k - 1] == ']' ? k : 0;
}

/* Whether s[i..] is a non-ASCII character directly followed by "pinyin]":
 * a lead byte before an annotation's '[' (0x5B, a valid trail byte) decodes
 * with it as one character. Stores the tail's start and end. */
bool lf_splice_swallowed_square(const char *s, size_t len, size_t i, size_t *tail, size_t *end, int *syllable)
{
    uint32_t cp;
    size_t n = lf_utf8_decode(s + i, len - i, &cp);
    if (n < 2 || cp == 0x20AC || (cp >= 0xB7 && cp <= 0x2FF) || (cp >= 0x3105 && cp <= 0x312F))
        return false;
    *tail = i + n;
    *end = lf_splice_square_tail(s, len, i + n, syllable);
    return *end != 0;
}

/* At a ']': the start of the character that swallowed its annotation's
 * '[', or SIZE_MAX. The reading is at most MAX_TAIL bytes. */
enum { MAX_TAIL = 24 };

static size_t square_anomaly(const char *s, size_t len, size_t from, size_t i)
{
    size_t b = i;
    while (b > from && i - b <= MAX_TAIL) {
        size_t p = lf_annot_char_before(s, b);
        unsigned char c = (unsigned char)s[p];
        if (c == '[' || (c < 0x80 && !(c >= 'a' && c <= 'z') && !(c >= '1' && c <= '5')))
            return SIZE_MAX;
        if (c >= 0x80) {
            size_t tail, end;
            int syl;
            if (p >= from && lf_splice_swallowed_square(s, len, p, &tail, &end, &syl) && end == i + 1)
                return p;
        }
        b = p;
    }
    return SIZE_MAX;
}

static bool is_anomaly(const char *s, size_t len, size_t i)
{
    int syl;
    if (s[i] == '?')
        return lf_annot_parse_tail(s, len, i + 1, &syl) || (i + 1 < len && lf_splice_is_delim((unsigned char)s[i + 1]));
    uint32_t cp;
    if (lf_utf8_decode(s + i, len - i, &cp) == 0)
        return false;
    return (cp >= 0xE000 && cp <= 0xF8FF) || cp == 0x20AC;
}


/* When the character at p (which ends before a) is inside the body of a
 * bracketed zhuyin annotation, the start of the character it annotates;
 * else p. */
static size_t annotated_char(const char *s, size_t from, size_t p, size_t a)
{
    size_t q = p;
    for (int n = 0; q > from && n < 8; n++) {
        uint32_t cp;
        if (s[q] == '(' || s[q] == '[')
            return q > from ? lf_annot_char_before(s, q) : p;
        if (lf_utf8_decode(s + q, a - q, &cp) == 0 || !lf_splice_is_zhuyin(cp))
            return p;
        q = lf_annot_char_before(s, q);
    }
    return p;
}

/* The site starts at the character before the anomaly, or before that
 * character's annotation: its bytes take part in the pairs. */
static size_t site_start(const char *s, size_t from, size_t a)
{
    if (a <= from)
        return from;
    size_t p = annotated_char(s, from, lf_annot_char_before(s, a), a);
    if (s[p] == ')' || s[p] == ']') {
        for (size_t o = p; o > from && a - o <= 20; o--) {
            int syl;
            if ((s[o - 1] == '(' || s[o - 1] == '[') && lf_annot_parse(s, a, o - 1, &syl) == a) {
                p = o - 1 > from ? lf_annot_char_before(s, o - 1) : from;
                break;
            }
        }
    }
    return p < from ? from : p;
}

/* An ASCII character realigns the decoding after it, unless it was a
 * full-width form decoded from a misaligned pair and folded afterwards; a
 * space, or two ASCII characters in a row, cannot be that. */
static bool surely_ascii(const char *s, size_t len, size_t j)
{
    return s[j] == ' ' || s[j] == '\t' || j + 1 == len || ((unsigned char)s[j + 1] < 0x80 && s[j + 1] != '?');
}

/* The site ends where the decoding has surely realigned, after any
 * annotation that follows, or at the end of the line. */
static size_t site_end(const char *s, size_t len, size_t a)
{
    size_t j = a, k;
    int syl;
    while (j < len && s[j] != '\n') {
        if (s[j] == '?') {
            if ((k = lf_annot_parse_tail(s, len, j + 1, &syl))) {
                j = k;
                continue;
            }
            if (j + 1 < len && lf_splice_is_delim((unsigned char)s[j + 1])) {
                j += 2;
                continue;
            }
        }
        if ((k = lf_annot_parse(s, len, j, &syl))) {
            j = k;
            continue;
        }
        size_t tail;
        if ((unsigned char)s[j] >= 0x80 && lf_splice_swallowed_square(s, len, j, &tail, &k, &syl)) {
            j = k;
            continue;
        }
        if ((unsigned char)s[j] < 0x80 && surely_ascii(s, len, j)) {
            /* the rest of an annotation an insertion split after its '['
             * (動[[lǎn]dòng] read as 苿覽[lǎn]dòng]) */
            if ((k = lf_splice_square_tail(s, len, j, &syl)))
                return k;
            j++;
            /* the close bracket of an annotation the damage was inside */
            if (j < len && (s[j] == ')' || s[j] == ']'))
                j++;
            while ((k = lf_annot_parse(s, len, j, &syl)))
                j = k;
            /* the rest of an annotation an insertion split after its '[' */
            if ((k = lf_splice_square_tail(s, len, j, &syl)))
                j = k;
            return j;
        }
        uint32_t cp;
        size_t n = lf_utf8_decode(s + j, len - j, &cp);
        j += n ? n : 1;
    }
    return j;
}

/* The bytes an anomaly starts with: '?', a bracket, and the lead bytes of
 * the euro sign (E2) and of the private-use characters (EE, EF). The scan
 * passes every byte of the page, and a table tests one in a single step. */
static const bool may_start[256] = {['?'] = true, ['['] = true, [']'] = true,
                                    [0xE2] = true, [0xEE] = true, [0xEF] = true};

/* The first byte at or after i that may start an anomaly, or len. */
static size_t next_candidate(const char *s, size_t len, size_t i)
{
    while (i < len && !may_start[(unsigned char)s[i]])
        i++;
    return i;
}

bool lf_splice_next(const char *s, size_t len, size_t from, size_t *start, size_t *end)
{
    for (size_t i = next_candidate(s, len, from); i < len; i = next_candidate(s, len, i + 1)) {
        unsigned char c = (unsigned char)s[i];
        size_t a = i;
        int syl;
        if (c == ']')
            a = square_anomaly(s, len, from, i);
        else if (c == '[' && lf_annot_parse(s, len, i + 1, &syl))
            a = i; /* 等[[jia1]deng3]: the pair of 等's trail byte and '[' reads jiā */
        else if (!is_anomaly(s, len, i))
            continue;
        if (a == SIZE_MAX)
            continue;
        *start = site_start(s, from, a);
        *end = site_end(s, len, a);
        return true;
    }
    return false;
}
