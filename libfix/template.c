/*
 * template.c — site templates: lines that repeat across the pages of one
 * site, learned from a batch, saved and loaded as a small text file.
 *
 * A template is a hash set of trimmed lines with the number of pages each
 * was seen on. A line belongs to the template when it was seen on at least
 * MIN_PAGES pages and on at least 1/SHARE_DIVISOR of all pages: menus,
 * footers and disclaimers are on nearly every page of a site, while a quote
 * shared by two articles of a large batch is not.
 */
#include "strip.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

enum { MIN_PAGES = 2, SHARE_DIVISOR = 3 };

typedef struct entry {
    uint64_t hash;   /* 0: empty slot */
    size_t count;    /* pages seen on */
    size_t last_page;/* the page that counted it last, to count a page once */
    char *text;
    size_t len;
} entry;

struct lf_template {
    entry *slots;
    size_t cap, used;  /* cap is a power of two */
    size_t pages;
};

/* FNV-1a, never 0 so that 0 marks an empty slot. */
static uint64_t hash_bytes(const char *s, size_t len)
{
    uint64_t h = 1469598103934665603u;
    for (size_t i = 0; i < len; i++)
        h = (h ^ (unsigned char)s[i]) * 1099511628211u;
    return h ? h : 1;
}

static entry *find_slot(const lf_template *t, uint64_t h, const char *s, size_t len)
{
    if (!t->cap)
        return NULL;
    for (size_t i = h & (t->cap - 1);; i = (i + 1) & (t->cap - 1)) {
        entry *e = &t->slots[i];
        if (e->hash == 0 || (e->hash == h && e->len == len && memcmp(e->text, s, len) == 0))
            return e;
    }
}

static bool grow(lf_template *t)
{
    size_t cap = t->cap ? t->cap * 2 : 256;
    entry *slots = calloc(cap, sizeof *slots);
    if (!slots)
        return false;
    lf_template bigger = {slots, cap, t->used, t->pages};
    for (size_t i = 0; i < t->cap; i++)
        if (t->slots[i].hash)
            *find_slot(&bigger, t->slots[i].hash, t->slots[i].text, t->slots[i].len) = t->slots[i];
    free(t->slots);
    *t = bigger;
    return true;
}

/* The entry for a line, created with count 0 if new; NULL when out of memory. */
static entry *intern(lf_template *t, const char *s, size_t len)
{
    if ((t->used + 1) * 2 > t->cap && !grow(t))
        return NULL;
    uint64_t h = hash_bytes(s, len);
    entry *e = find_slot(t, h, s, len);
    if (e->hash == 0) {
        char *copy = malloc(len + 1);
        if (!copy)
            return NULL;
        memcpy(copy, s, len);
        copy[len] = '\0';
        *e = (entry){h, 0, 0, copy, len};
        t->used++;
    }
    return e;
}

static bool in_template(const lf_template *t, const entry *e)
{
    return e->count >= MIN_PAGES && e->count * SHARE_DIVISOR >= t->pages;
}

lf_status lf_template_new(lf_template **out, lf_error *err)
{
    if (!out)
        return lf_fail(err, LF_ERR_ARGUMENT, "lf_template_new: NULL argument");
    *out = calloc(1, sizeof **out);
    return *out ? LF_OK : lf_nomem(err);
}

void lf_template_free(lf_template *t)
{
    if (!t)
        return;
    for (size_t i = 0; i < t->cap; i++)
        free(t->slots[i].text);
    free(t->slots);
    free(t);
}

lf_status lf_template_add_page(lf_template *t, const char *text, size_t len, lf_error *err)
{
    if (!t || (!text && len))
        return lf_fail(err, LF_ERR_ARGUMENT, "lf_template_add_page: NULL argument");
    size_t bad = lf_utf8_validate(text, len);
    if (bad < len)
        return lf_fail(err, LF_ERR_INVALID_INPUT, "invalid UTF-8 at byte %zu", bad);
    t->pages++;
    for (size_t pos = 0; pos < len;) {
        const char *nl = memchr(text + pos, '\n', len - pos);
        lf_line l = {.start = pos, .end = nl ? (size_t)(nl - text) : len};
        size_t a, b;
        lf_strip_trim(text, &l, &a, &b);
        if (b > a) {
            entry *e = intern(t, text + a, b - a);
            if (!e)
                return lf_nomem(err);
            if (e->last_page != t->pages) { /* once per page */
                e->count++;
                e->last_page = t->pages;
            }
        }
        pos = nl ? l.end + 1 : len;
    }
    return LF_OK;
}

size_t lf_template_page_count(const lf_template *t)
{
    return t ? t->pages : 0;
}

size_t lf_template_line_count(const lf_template *t)
{
    size_t n = 0;
    for (size_t i = 0; t && i < t->cap; i++)
        n += t->slots[i].hash && in_template(t, &t->slots[i]);
    return n;
}

bool lf_template_has_line(const lf_template *t, const char *text, size_t start, size_t end)
{
    if (!t || end <= start)
        return false;
    const entry *e = find_slot(t, hash_bytes(text + start, end - start), text + start, end - start);
    return e && e->hash && in_template(t, e);
}

lf_status lf_template_save(const lf_template *t, const char *path, lf_error *err)
{
    if (!t || !path)
        return lf_fail(err, LF_ERR_ARGUMENT, "lf_template_save: NULL argument");
    size_t plen = strlen(path);
    char *tmp = malloc(plen + 8);
    if (!tmp)
        return lf_nomem(err);
    memcpy(tmp, path, plen);
    memcpy(tmp + plen, ".XXXXXX", 8);
    int fd = mkstemp(tmp);
    FILE *f = fd >= 0 ? fdopen(fd, "w") : NULL;
    if (!f) {
        int e = errno;
        if (fd >= 0) {
            close(fd);
            unlink(tmp);
        }
        free(tmp);
        return lf_fail(err, LF_ERR_DATA, "cannot write template next to %s: %s", path, strerror(e));
    }
    bool ok = fprintf(f, "libfix-template 1 %zu\n", t->pages) > 0;
    for (size_t i = 0; ok && i < t->cap; i++)
        if (t->slots[i].hash && in_template(t, &t->slots[i]))
            ok = fprintf(f, "%zu\t%s\n", t->slots[i].count, t->slots[i].text) > 0;
    ok = fclose(f) == 0 && ok;
    if (!ok || rename(tmp, path) != 0) {
        int e = errno;
        unlink(tmp);
        free(tmp);
        return lf_fail(err, LF_ERR_DATA, "cannot write template %s: %s", path, strerror(e));
    }
    free(tmp);
    return LF_OK;
}

static lf_status parse_line(lf_template *t, char *line, size_t n, const char *path, size_t lineno, lf_error *err)
{
    char *tab = memchr(line, '\t', n);
    char *end;
    size_t count = tab ? strtoul(line, &end, 10) : 0;
    if (!tab || end != tab || count == 0)
        return lf_fail(err, LF_ERR_DATA, "%s:%zu: expected COUNT<TAB>LINE", path, lineno);
    size_t len = n - (size_t)(tab + 1 - line);
    if (lf_utf8_validate(tab + 1, len) < len)
        return lf_fail(err, LF_ERR_DATA, "%s:%zu: invalid UTF-8", path, lineno);
    entry *e = intern(t, tab + 1, len);
    if (!e)
        return lf_nomem(err);
    e->count += count;
    return LF_OK;
}

lf_status lf_template_load(const char *path, lf_template **out, lf_error *err)
{
    if (!path || !out)
        return lf_fail(err, LF_ERR_ARGUMENT, "lf_template_load: NULL argument");
    *out = NULL;
    FILE *f = fopen(path, "rb");
    if (!f)
        return lf_fail(err, LF_ERR_DATA, "cannot open template %s: %s", path, strerror(errno));
    lf_template *t;
    lf_status st = lf_template_new(&t, err);
    char *line = NULL;
    size_t cap = 0, lineno = 0;
    ssize_t n;
    while (st == LF_OK && (n = getline(&line, &cap, f)) >= 0) {
        lineno++;
        if (n > 0 && line[n - 1] == '\n')
            line[--n] = '\0';
        if (lineno == 1) {
            if (sscanf(line, "libfix-template 1 %zu", &t->pages) != 1)
                st = lf_fail(err, LF_ERR_DATA, "%s:1: not a libfix template file", path);
        } else {
            st = parse_line(t, line, (size_t)n, path, lineno, err);
        }
    }
    if (st == LF_OK && lineno == 0)
        st = lf_fail(err, LF_ERR_DATA, "%s: empty file, not a libfix template", path);
    free(line);
    fclose(f);
    if (st != LF_OK) {
        lf_template_free(t);
        return st;
    }
    *out = t;
    return LF_OK;
}
