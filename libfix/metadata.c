/*
 * metadata.c — title, publication date, source, author and URL of a page,
 * found in the lines the strip pass classified (bylines, footers, the title
 * line), and dates normalised to ISO 8601.
 */
#define _GNU_SOURCE /* memmem */
#include "strip.h"

#include <stdio.h>
#include <string.h>

static bool digit_at(const char *s, size_t len, size_t i)
{
    return i < len && s[i] >= '0' && s[i] <= '9';
}

/* Reads 1..max digits at s[*i]; returns -1 when there are none or more. */
static int read_num(const char *s, size_t len, size_t *i, int max)
{
    int v = 0, n = 0;
    while (digit_at(s, len, *i) && n <= max) {
        v = v * 10 + (s[*i] - '0');
        (*i)++;
        n++;
    }
    return n >= 1 && n <= max ? v : -1;
}

static bool eat(const char *s, size_t len, size_t *i, const char *word)
{
    size_t n = strlen(word);
    if (*i + n > len || memcmp(s + *i, word, n) != 0)
        return false;
    *i += n;
    return true;
}

/* An optional time after a date: blanks, then 08:42[:00] or 8时42分. */
static void read_time(const char *s, size_t len, size_t *i, lf_date *d)
{
    size_t j = *i;
    while (j < len && (s[j] == ' ' || s[j] == 'T'))
        j++;
    eat(s, len, &j, "\xe3\x80\x80"); /* U+3000 */
    int h = read_num(s, len, &j, 2);
    if (h < 0 || h > 23)
        return;
    int m, sec = 0;
    if (eat(s, len, &j, ":")) {
        if ((m = read_num(s, len, &j, 2)) < 0 || m > 59)
            return;
        size_t k = j;
        if (eat(s, len, &k, ":") && (sec = read_num(s, len, &k, 2)) >= 0 && sec <= 59)
            j = k;
        else
            sec = 0;
    } else if (eat(s, len, &j, "\xe6\x97\xb6")) { /* 时 */
        if ((m = read_num(s, len, &j, 2)) < 0 || m > 59 || !eat(s, len, &j, "\xe5\x88\x86")) /* 分 */
            return;
    } else {
        return;
    }
    d->hour = h;
    d->minute = m;
    d->second = sec;
    *i = j;
}

/* A date starting exactly at s[i]. */
static bool date_at(const char *s, size_t len, size_t i, lf_date *d, size_t *end)
{
    size_t j = i;
    int y = read_num(s, len, &j, 4);
    d->hour = -1;
    if (y >= 1900 && y <= 2099 && j - i == 4) {
        char sep = j < len ? s[j] : 0;
        bool cjk = false;
        if (sep == '-' || sep == '/' || sep == '.')
            j++;
        else if (eat(s, len, &j, "\xe5\xb9\xb4")) /* 年 */
            cjk = true;
        else
            return false;
        int m = read_num(s, len, &j, 2);
        if (m < 1 || m > 12)
            return false;
        if (cjk ? !eat(s, len, &j, "\xe6\x9c\x88") : !(j < len && s[j] == sep && ++j)) /* 月 */
            return false;
        int day = read_num(s, len, &j, 2);
        if (day < 1 || day > 31)
            return false;
        if (cjk && !eat(s, len, &j, "\xe6\x97\xa5")) /* 日 */
            eat(s, len, &j, "\xe5\x8f\xb7");       /* 号 */
        *d = (lf_date){y, m, day, -1, 0, 0, !cjk};
    } else {
        j = i;
        int m = read_num(s, len, &j, 2);
        if (m < 1 || m > 12 || !eat(s, len, &j, "\xe6\x9c\x88")) /* 月 */
            return false;
        int day = read_num(s, len, &j, 2);
        if (day < 1 || day > 31 || !eat(s, len, &j, "\xe6\x97\xa5")) /* 日 */
            return false;
        *d = (lf_date){0, m, day, -1, 0, 0, false};
    }
    read_time(s, len, &j, d);
    *end = j;
    return true;
}

bool lf_find_date(const char *s, size_t len, lf_date *d, size_t *at, size_t *end)
{
    for (size_t i = 0; i < len; i++) {
        if (!digit_at(s, len, i) || (i > 0 && digit_at(s, len, i - 1)))
            continue;
        if (date_at(s, len, i, d, end)) {
            *at = i;
            return true;
        }
    }
    return false;
}

size_t lf_date_iso(const lf_date *d, char *buf)
{
    if (d->year == 0)
        return 0;
    int n = d->hour < 0 ? snprintf(buf, 20, "%04d-%02d-%02d", d->year, d->month, d->day)
                        : snprintf(buf, 20, "%04d-%02d-%02dT%02d:%02d:%02d", d->year, d->month, d->day,
                                   d->hour, d->minute, d->second);
    return n > 0 ? (size_t)n : 0;
}

/* Field labels whose value follows a colon-like mark. */
static const char *const source_labels[] = {"来源", "來源", "稿源", "出处", "出處", NULL};
static const char *const author_labels[] = {"作者", "记者", "記者", "文/", "文|", "文丨", NULL};
static const char *const title_labels[] = {"本文标题", "本文標題", NULL};

static size_t skip_marks(const char *s, size_t len, size_t i)
{
    static const char *const marks[] = {":", "\xef\xbc\x9a", "\xe4\xb8\xa8", "|", "\xef\xbd\x9c", " ",
                                        "\xe3\x80\x80", NULL}; /* ： 丨 ｜ U+3000 */
    for (bool again = true; again;) {
        again = false;
        for (size_t k = 0; marks[k]; k++)
            if (eat(s, len, &i, marks[k]))
                again = true;
    }
    return i;
}

/* The value ends at a blank run of two, at a blank before a new "label:"
 * field, or at the line end. */
static size_t value_end(const char *s, size_t len, size_t i)
{
    for (size_t j = i; j < len; j++) {
        if (s[j] != ' ')
            continue;
        if (j + 1 < len && s[j + 1] == ' ')
            return j;
        size_t k = j + 1;
        while (k < len && s[k] != ' ' && k - j < 40) {
            if (s[k] == ':' || (k + 3 <= len && memcmp(s + k, "\xef\xbc\x9a", 3) == 0))
                return j;
            k++;
        }
    }
    return len;
}

/* Finds "label<marks>value" in s and stores the value under key. Returns
 * false only on allocation failure. */
static bool field(lf_report *rep, const char *key, const char *const *labels, const char *s, size_t len)
{
    if (rep->meta[lf_report_meta_index(key)])
        return true;
    for (size_t k = 0; labels[k]; k++) {
        const char *p = memmem(s, len, labels[k], strlen(labels[k]));
        if (!p)
            continue;
        size_t i = skip_marks(s, len, (size_t)(p - s) + strlen(labels[k]));
        size_t e = value_end(s, len, i);
        if (e > i)
            return lf_report_set_meta(rep, key, s + i, e - i);
    }
    return true;
}

/* A URL in the line; a file extension split off by a stray blank
 * ("doc-12260917 .html", seed 001) is joined back. */
static bool url_field(lf_report *rep, const char *s, size_t len)
{
    if (rep->meta[lf_report_meta_index("url")])
        return true;
    const char *p = memmem(s, len, "http", 4);
    if (!p)
        return true;
    size_t i = (size_t)(p - s), e = i;
    while (e < len && (unsigned char)s[e] > ' ' && (unsigned char)s[e] < 0x80)
        e++;
    if (e - i < 10)
        return true;
    if (e + 2 < len && s[e] == ' ' && s[e + 1] == '.') {
        size_t x = e + 2;
        while (x < len && ((s[x] >= 'a' && s[x] <= 'z') || (s[x] >= 'A' && s[x] <= 'Z')))
            x++;
        if (x - e - 2 >= 2 && x - e - 2 <= 5 && x == len) {
            char joined[2048];
            if (x - i - 1 < sizeof joined) {
                memcpy(joined, s + i, e - i);
                memcpy(joined + (e - i), s + e + 1, x - e - 1);
                return lf_report_set_meta(rep, "url", joined, x - i - 1);
            }
        }
    }
    return lf_report_set_meta(rep, "url", s + i, e - i);
}

static bool date_field(lf_report *rep, const char *s, size_t len)
{
    if (rep->meta[lf_report_meta_index("date")])
        return true;
    size_t pos = 0, at, end;
    lf_date d;
    while (pos < len && lf_find_date(s + pos, len - pos, &d, &at, &end)) {
        char iso[20];
        size_t n = lf_date_iso(&d, iso);
        if (n)
            return lf_report_set_meta(rep, "date", iso, n);
        pos += end;
    }
    return true;
}

bool lf_strip_text_metadata(const char *text, const lf_line *lines, size_t n, lf_report *rep)
{
    bool ok = true;
    for (size_t i = 0; i < n && ok; i++) {
        const lf_line *l = &lines[i];
        if (!l->is_title && l->family != LF_FAM_BYLINE && l->family != LF_FAM_FOOTER)
            continue;
        size_t a, b;
        lf_strip_trim(text, l, &a, &b);
        const char *s = text + a;
        size_t len = b - a;
        if (l->is_title && !rep->meta[lf_report_meta_index("title")])
            ok = lf_report_set_meta(rep, "title", s, len);
        else if (l->family == LF_FAM_BYLINE)
            ok = date_field(rep, s, len) && field(rep, "source", source_labels, s, len) &&
                 field(rep, "author", author_labels, s, len);
        else if (l->family == LF_FAM_FOOTER)
            ok = field(rep, "title", title_labels, s, len) && url_field(rep, s, len) && date_field(rep, s, len);
    }
    return ok;
}
