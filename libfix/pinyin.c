/* pinyin.c — parsing written pinyin and looking up readings (see pinyin.h). */
#include "pinyin.h"

#include "internal.h"

#include <string.h>
#include <unicode/unorm2.h>

enum { MAX_LETTERS = 6 };

/* The tone a combining mark stands for, or 0. These four marks are the
 * definition of pinyin tone marks, not data any library provides. */
static int tone_of_mark(UChar mark)
{
    switch (mark) {
    case 0x0304: return 1; /* macron */
    case 0x0301: return 2; /* acute */
    case 0x030C: return 3; /* caron */
    case 0x0300: return 4; /* grave */
    default: return 0;
    }
}

/* Appends the letters of one non-ASCII character (its NFD decomposition:
 * base letter plus combining marks) to norm. Returns false when it is not a
 * pinyin letter. */
static bool add_decomposed(uint32_t cp, char *norm, size_t *n, int *tone)
{
    UErrorCode status = U_ZERO_ERROR;
    const UNormalizer2 *nfd = unorm2_getNFDInstance(&status);
    UChar d[8];
    int32_t dn = U_SUCCESS(status) ? unorm2_getDecomposition(nfd, (UChar32)cp, d, 8, &status) : -1;
    if (U_FAILURE(status) || dn < 2 || d[0] >= 0x80)
        return false;
    char base = (char)d[0];
    for (int32_t i = 1; i < dn; i++) {
        if (d[i] == 0x0308 && base == 'u') {
            base = 'v';
        } else {
            int t = tone_of_mark(d[i]);
            if (t == 0 || *tone != 0)
                return false;
            *tone = t;
        }
    }
    if (*n == MAX_LETTERS)
        return false;
    norm[(*n)++] = base;
    return true;
}

/* s (8 NUL-padded bytes) as a number that orders as strcmp orders the
 * strings: the compiler makes it one load. */
static uint64_t as_number(const char s[8])
{
    uint64_t v = 0;
    for (int i = 0; i < 8; i++)
        v = v << 8 | (unsigned char)s[i];
    return v;
}

/* norm and the table entries are 8 NUL-padded bytes, compared as numbers:
 * a call of memcmp at each step cost more than the rest of the search. */
static int find_syllable(const char norm[8])
{
    uint64_t key = as_number(norm);
    size_t lo = 0, hi = lf_pinyin_syllable_count;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        uint64_t v = as_number(lf_pinyin_syllables[mid]);
        if (v == key)
            return (int)mid;
        if (v < key)
            lo = mid + 1;
        else
            hi = mid;
    }
    return -1;
}

/* Bopomofo letters U+3105-U+312F, the tone marks ˊˇˋ and the neutral ˙. */
static bool is_zhuyin(uint32_t cp)
{
    return (cp >= 0x3105 && cp <= 0x312F) || cp == 0x02CA || cp == 0x02C7 || cp == 0x02CB || cp == 0x02D9;
}

static int parse_zhuyin(const char *s, size_t len)
{
    char key[20];
    if (len + 1 > sizeof key)
        return -1;
    /* The generated spellings put the neutral-tone mark ˙ (CB 99) last. */
    if (len > 2 && (unsigned char)s[0] == 0xCB && (unsigned char)s[1] == 0x99) {
        memcpy(key, s + 2, len - 2);
        memcpy(key + len - 2, s, 2);
    } else {
        memcpy(key, s, len);
    }
    key[len] = '\0';
    for (size_t i = 0; i < len;) {
        uint32_t cp;
        size_t k = lf_utf8_decode(key + i, len - i, &cp);
        if (!k || !is_zhuyin(cp))
            return -1;
        i += k;
    }
    size_t lo = 0, hi = lf_pinyin_zhuyin_count;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        int c = strcmp(lf_pinyin_zhuyin[lf_pinyin_zhuyin_order[mid]], key);
        if (c == 0)
            return lf_pinyin_zhuyin_order[mid];
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return -1;
}

int lf_pinyin_parse(const char *s, size_t len)
{
    uint32_t first;
    if (len >= 2 && lf_utf8_decode(s, len, &first) && is_zhuyin(first))
        return parse_zhuyin(s, len);
    char norm[8] = {0};
    size_t n = 0;
    int tone = 0;
    size_t i = 0;
    while (i < len) {
        unsigned char c = (unsigned char)s[i];
        if (c >= 'a' && c <= 'z') {
            if (n == MAX_LETTERS)
                return -1;
            norm[n++] = (char)c;
            i++;
        } else if (c >= '1' && c <= '5' && i + 1 == len && tone == 0 && n > 0) {
            tone = c - '0';
            i++;
        } else if (c >= 0x80) {
            uint32_t cp;
            size_t k = lf_utf8_decode(s + i, len - i, &cp);
            if (k == 0)
                return -1;
            if (cp == 0xFC) { /* ü without a tone mark */
                if (n == MAX_LETTERS)
                    return -1;
                norm[n++] = 'v';
            } else if (!add_decomposed(cp, norm, &n, &tone)) {
                return -1;
            }
            i += k;
        } else {
            return -1;
        }
    }
    if (n == 0)
        return -1;
    norm[n] = (char)('0' + (tone ? tone : 5));
    return find_syllable(norm);
}

/* A binary search of the characters of cp's block of 256: over all 40,000
 * characters (160 KB) the first steps of every lookup miss the cache, and
 * the splice solver looks up whole rows of a code table at a time. */
long lf_pinyin_char_index(uint32_t cp)
{
    if (cp >> 8 >= lf_pinyin_block_count)
        return -1;
    size_t lo = lf_pinyin_block_start[cp >> 8], hi = lf_pinyin_block_start[(cp >> 8) + 1];
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (lf_pinyin_chars[mid] == cp)
            return (long)mid;
        if (lf_pinyin_chars[mid] < cp)
            lo = mid + 1;
        else
            hi = mid;
    }
    return -1;
}

bool lf_pinyin_index_reads(long i, int syllable)
{
    if (i < 0 || syllable < 0)
        return false;
    for (uint32_t k = lf_pinyin_reading_start[i]; k < lf_pinyin_reading_start[i + 1]; k++)
        if (lf_pinyin_readings[k] == syllable)
            return true;
    return false;
}

bool lf_pinyin_reads(uint32_t cp, int syllable)
{
    return syllable >= 0 && lf_pinyin_index_reads(lf_pinyin_char_index(cp), syllable);
}

int lf_pinyin_first(uint32_t cp)
{
    long i = lf_pinyin_char_index(cp);
    return i < 0 ? -1 : lf_pinyin_readings[lf_pinyin_reading_start[i]];
}
