/* report.c — the change list every pass appends to, and its counts. */
#define _GNU_SOURCE /* qsort_r */
#include "internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const meta_keys[] = {"title", "date", "source", "author", "url"};

void lf_report_init(lf_report *r, size_t max_changes)
{
    memset(r, 0, sizeof *r);
    r->max_changes = max_changes ? max_changes : 100000;
    r->encoding = "UTF-8";
    r->encoding_confidence = 1.0;
}

void lf_report_free(lf_report *r)
{
    while (r->notes) {
        lf_note_block *next = r->notes->next;
        free(r->notes);
        r->notes = next;
    }
    free(r->changes);
    free(r->counts);
    for (size_t i = 0; i < sizeof r->meta / sizeof r->meta[0]; i++)
        free(r->meta[i]);
    memset(r, 0, sizeof *r);
}

static bool count_kind(lf_report *r, lf_pass pass, const char *kind, uint64_t n)
{
    for (size_t i = 0; i < r->ncounts; i++) {
        /* Kinds are static strings: the same kind is most often the same pointer. */
        if (r->counts[i].pass == pass && (r->counts[i].kind == kind || strcmp(r->counts[i].kind, kind) == 0)) {
            r->counts[i].count += n;
            return true;
        }
    }
    if (r->ncounts == r->capcounts) {
        size_t cap = r->capcounts ? r->capcounts * 2 : 8;
        lf_kind_count *p = realloc(r->counts, cap * sizeof *p);
        if (!p)
            return false;
        r->counts = p;
        r->capcounts = cap;
    }
    r->counts[r->ncounts++] = (lf_kind_count){pass, kind, n};
    return true;
}

bool lf_report_tally(lf_report *r, lf_pass pass, const char *kind, uint64_t n)
{
    return count_kind(r, pass, kind, n);
}

/* Counts one change of (pass, kind) and says in *listed whether the list
 * has room for it (else the report is marked truncated). False on
 * allocation failure. */
static bool count_change(lf_report *r, lf_pass pass, const char *kind, bool *listed)
{
    if (!count_kind(r, pass, kind, 1))
        return false;
    *listed = r->nchanges < r->max_changes;
    r->truncated |= !*listed;
    return true;
}

static bool push_change(lf_report *r, const lf_change *c)
{
    if (r->nchanges == r->capchanges) {
        size_t cap = r->capchanges ? r->capchanges * 2 : 16;
        lf_change *p = realloc(r->changes, cap * sizeof *p);
        if (!p)
            return false;
        r->changes = p;
        r->capchanges = cap;
    }
    r->changes[r->nchanges++] = *c;
    return true;
}

/* Room for a note of len bytes and its NUL in the newest block, or in a
 * new one (each at least twice the last, up to 64 KiB, so that a report of
 * many changes makes few blocks). NULL on allocation failure. */
static char *note_room(lf_report *r, size_t len)
{
    lf_note_block *b = r->notes;
    if (b && b->cap - b->used > len)
        return b->text + b->used;
    size_t cap = b ? b->cap * 2 : 1024;
    if (cap > 65536)
        cap = 65536;
    if (cap < len + 1)
        cap = len + 1;
    lf_note_block *nb = malloc(sizeof *nb + cap);
    if (!nb)
        return NULL;
    nb->next = b;
    nb->used = 0;
    nb->cap = cap;
    r->notes = nb;
    return nb->text;
}

/* Lists one counted change; note (or NULL), note_len bytes and a NUL,
 * was written where note_room said and is now taken into the newest block. */
static bool add_change(lf_report *r, lf_pass pass, const char *kind, uint64_t in_start, uint64_t in_end,
                       uint64_t out_start, uint64_t out_end, double confidence, const char *note, size_t note_len)
{
    lf_change c = {
        .pass = pass,
        .kind = kind,
        .in_start = r->base_in[pass] + in_start,
        .in_end = r->base_in[pass] + in_end,
        .out_start = r->base_out[pass] + out_start,
        .out_end = r->base_out[pass] + out_end,
        .confidence = confidence,
        .note = note,
    };
    if (!push_change(r, &c))
        return false;
    if (note)
        r->notes->used += note_len + 1;
    return true;
}

bool lf_report_add(lf_report *r, lf_pass pass, const char *kind,
                   uint64_t in_start, uint64_t in_end, uint64_t out_start, uint64_t out_end,
                   double confidence, const char *note_fmt, ...)
{
    bool listed;
    if (!count_change(r, pass, kind, &listed))
        return false;
    if (!listed)
        return true;
    char *note = NULL;
    size_t len = 0;
    if (note_fmt) {
        /* Formatted straight into the newest block when it fits. */
        lf_note_block *b = r->notes;
        size_t room = b ? b->cap - b->used : 0;
        va_list ap;
        va_start(ap, note_fmt);
        int n = vsnprintf(b ? b->text + b->used : NULL, room, note_fmt, ap);
        va_end(ap);
        if (n < 0)
            return false;
        len = (size_t)n;
        if (len < room) {
            note = b->text + b->used;
        } else {
            if (!(note = note_room(r, len)))
                return false;
            va_start(ap, note_fmt);
            vsnprintf(note, len + 1, note_fmt, ap);
            va_end(ap);
        }
    }
    return add_change(r, pass, kind, in_start, in_end, out_start, out_end, confidence, note, len);
}

bool lf_report_add_text(lf_report *r, lf_pass pass, const char *kind, uint64_t in_start, uint64_t in_end,
                        uint64_t out_start, uint64_t out_end, double confidence, const char *note, size_t len)
{
    bool listed;
    if (!count_change(r, pass, kind, &listed))
        return false;
    if (!listed)
        return true;
    char *copy = note_room(r, len);
    if (!copy)
        return false;
    memcpy(copy, note, len);
    copy[len] = '\0';
    return add_change(r, pass, kind, in_start, in_end, out_start, out_end, confidence, copy, len);
}

int lf_report_meta_index(const char *key)
{
    for (size_t i = 0; i < sizeof meta_keys / sizeof meta_keys[0]; i++)
        if (key && strcmp(key, meta_keys[i]) == 0)
            return (int)i;
    return -1;
}

bool lf_report_set_meta(lf_report *r, const char *key, const char *value, size_t len)
{
    int i = lf_report_meta_index(key);
    if (i < 0)
        return true;
    char *copy = malloc(len + 1);
    if (!copy)
        return false;
    memcpy(copy, value, len);
    copy[len] = '\0';
    free(r->meta[i]);
    r->meta[i] = copy;
    return true;
}


/* The order of the listed changes: pass by pass in pipeline order, then by
 * input span, output span and kind, so that a whole-buffer run and a stream
 * (whose windows interleave the passes) list the same changes alike. */
static int change_order(const void *a, const void *b, void *arg)
{
    const lf_change *x = a, *y = b;
    const lf_options *opt = arg;
    size_t px = 0, py = 0;
    for (size_t i = 0; i < opt->pass_count; i++) {
        if (opt->passes[i] == x->pass)
            px = i;
        if (opt->passes[i] == y->pass)
            py = i;
    }
    if (px != py)
        return px < py ? -1 : 1;
    if (x->in_start != y->in_start)
        return x->in_start < y->in_start ? -1 : 1;
    if (x->in_end != y->in_end)
        return x->in_end < y->in_end ? -1 : 1;
    if (x->out_start != y->out_start)
        return x->out_start < y->out_start ? -1 : 1;
    if (x->out_end != y->out_end)
        return x->out_end < y->out_end ? -1 : 1;
    return strcmp(x->kind, y->kind);
}

void lf_report_sort(lf_report *r, const lf_options *opt)
{
    if (r->nchanges > 1)
        qsort_r(r->changes, r->nchanges, sizeof *r->changes, change_order, (void *)opt);
}
