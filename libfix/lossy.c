/*
 * lossy.c — damage that cannot be reversed, only said: runs of U+FFFD, the
 * UTF-8 of U+FFFD read as GBK ("锟斤拷"), runs of '?' standing in CJK text
 * where an encoder had no mapping. The text is left alone; the report says
 * where and what was lost.
 */
#include "lossy.h"

#include <string.h>

/* "锟斤拷": EF BF BD EF BF BD (two U+FFFD in UTF-8) decoded as GBK. */
static const char KUNJINKAO[] = "\xe9\x94\x9f\xe6\x96\xa4\xe6\x8b\xb7";

static bool is_cjk_cp(uint32_t c)
{
    return (c >= 0x2E80 && c <= 0x9FFF) || (c >= 0xAC00 && c <= 0xD7AF) || (c >= 0xF900 && c <= 0xFAFF) ||
           (c >= 0xFF00 && c <= 0xFFEF) || (c >= 0x20000 && c <= 0x3FFFF);
}

/* The code point that ends just before line[i] (0 at the start). */
static uint32_t cp_before(const char *line, size_t i)
{
    if (i == 0)
        return 0;
    size_t j = i - 1;
    while (j > 0 && ((unsigned char)line[j] & 0xC0) == 0x80)
        j--;
    uint32_t c;
    return lf_utf8_decode(line + j, i - j, &c) ? c : 0;
}

static uint32_t cp_at(const char *line, size_t len, size_t i)
{
    uint32_t c;
    return i < len && lf_utf8_decode(line + i, len - i, &c) ? c : 0;
}

static bool push(lf_lossy_spans *out, size_t start, size_t end, enum lf_lossy_kind kind, size_t count,
                 double confidence)
{
    if (out->n == out->cap) {
        size_t cap = out->cap ? out->cap * 2 : 8;
        lf_lossy_span *v = realloc(out->v, cap * sizeof *v);
        if (!v)
            return false;
        out->v = v;
        out->cap = cap;
    }
    out->v[out->n++] = (lf_lossy_span){start, end, kind, count, confidence};
    return true;
}

/* The bytes a lossy pattern starts with: U+FFFD, "锟" and '?'. */
static const bool may_start[256] = {[0xEF] = true, [0xE9] = true, ['?'] = true};

bool lf_lossy_scan(const char *line, size_t len, lf_lossy_spans *out)
{
    size_t i = 0;
    while (i < len) {
        /* Every line of the text passes here: the bytes no pattern starts
         * with, most of them, are passed with one test each. */
        while (i < len && !may_start[(unsigned char)line[i]])
            i++;
        if (i == len)
            break;
        unsigned char b = (unsigned char)line[i];
        if (b == 0xEF && i + 2 < len && memcmp(line + i, "\xef\xbf\xbd", 3) == 0) {
            size_t j = i, k = 0;
            while (j + 2 < len && memcmp(line + j, "\xef\xbf\xbd", 3) == 0)
                j += 3, k++;
            if (!push(out, i, j, LF_LOSSY_REPLACEMENT, k, 1.0))
                return false;
            i = j;
        } else if (b == 0xE9 && len - i >= 9 && memcmp(line + i, KUNJINKAO, 9) == 0) {
            size_t j = i, k = 0;
            while (len - j >= 9 && memcmp(line + j, KUNJINKAO, 9) == 0)
                j += 9, k++;
            if (!push(out, i, j, LF_LOSSY_KUNJINKAO, 2 * k, 0.9))
                return false;
            i = j;
        } else if (b == '?' && i + 1 < len && line[i + 1] == '?') {
            size_t j = i;
            while (j < len && line[j] == '?')
                j++;
            /* Only between CJK characters: elsewhere "??" is punctuation. */
            if (is_cjk_cp(cp_before(line, i)) && is_cjk_cp(cp_at(line, len, j)) &&
                !push(out, i, j, LF_LOSSY_QUESTION, j - i, 0.6))
                return false;
            i = j;
        } else {
            i++;
        }
    }
    return true;
}

const char *lf_lossy_note(enum lf_lossy_kind kind)
{
    switch (kind) {
    case LF_LOSSY_REPLACEMENT:
        return "U+FFFD replacement characters: the original bytes were lost before this text was decoded";
    case LF_LOSSY_KUNJINKAO:
        return "U+FFFD written as UTF-8 and read as GBK (\xe9\x94\x9f\xe6\x96\xa4\xe6\x8b\xb7): the original characters are lost";
    case LF_LOSSY_QUESTION:
        return "'?' run inside CJK text: characters an encoder could not represent";
    case LF_LOSSY_TRUNCATED:
        return "truncated sequence: the last character of a damaged span is lost";
    }
    return "lossy";
}
