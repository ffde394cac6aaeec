/*
 * mojibake_layers.c — mojibake of mojibake by two different chains.
 *
 * "£" written as UTF-8 and read as windows-1252 is "Â£"; those characters
 * written as UTF-8 and read as windows-1251 are "Г‚ВЈ". The search of
 * mojibake.c peels further levels of one chain only, so a line it repaired
 * is searched once more, and each repair found there is folded into the
 * first-round repairs it touches: one repair from the original bytes to the
 * final text, whose note names both chains.
 */
#include "mojibake.h"

#include <stdlib.h>
#include <string.h>

/* The line with the first round's repairs applied (malloc'd, *len bytes). */
static char *apply_fixes(const char *line, size_t len, const lf_mojibake_fixes *fx, size_t *out_len)
{
    size_t n = len;
    for (size_t i = 0; i < fx->n; i++)
        n = n - (fx->v[i].end - fx->v[i].start) + fx->v[i].len;
    char *out = malloc(n + 1);
    if (!out)
        return NULL;
    size_t o = 0, cursor = 0;
    for (size_t i = 0; i < fx->n; i++) {
        memcpy(out + o, line + cursor, fx->v[i].start - cursor);
        o += fx->v[i].start - cursor;
        memcpy(out + o, fx->v[i].text, fx->v[i].len);
        o += fx->v[i].len;
        cursor = fx->v[i].end;
    }
    memcpy(out + o, line + cursor, len - cursor);
    out[n] = '\0';
    *out_len = n;
    return out;
}

/* Where first-round repair i put its text in the repaired line. */
static size_t placed_at(const lf_mojibake_fixes *fx, size_t i)
{
    size_t o = fx->v[i].start;
    for (size_t k = 0; k < i; k++)
        o = o - (fx->v[k].end - fx->v[k].start) + fx->v[k].len;
    return o;
}

/* The offset in the original line of offset p of the repaired line: the
 * edge of a first-round repair p falls inside (its start, or with is_end
 * its end), shifted by the repairs before it elsewhere. */
static size_t original_offset(const lf_mojibake_fixes *fx, size_t p, bool is_end)
{
    long delta = 0;
    for (size_t i = 0; i < fx->n; i++) {
        size_t o = placed_at(fx, i), oe = o + fx->v[i].len;
        if (is_end ? p <= o : p < o)
            break;
        if (is_end ? p <= oe : p < oe)
            return is_end ? fx->v[i].end : fx->v[i].start;
        delta += (long)fx->v[i].len - (long)(fx->v[i].end - fx->v[i].start);
    }
    return (size_t)((long)p - delta);
}

/* Folds second-round repair g (offsets in the repaired line `mid`) into the
 * first-round repairs it overlaps: their span of the original line becomes
 * one repair *into whose text is g's with the first-round text around it.
 * The folded ones lose their text (NULL) for the caller to drop. *folded
 * stays false when g overlaps one folded before. False on allocation
 * failure. */
static bool fold(lf_mojibake_fixes *fx, const char *mid, const lf_mojibake_fix *g, lf_mojibake_fix *into,
                 bool *folded)
{
    *folded = false;
    size_t first = fx->n, last = 0, mid_start = g->start, mid_end = g->end;
    for (size_t i = 0; i < fx->n; i++) {
        size_t o = placed_at(fx, i), oe = o + fx->v[i].len;
        if (g->start < oe && o < g->end) {
            if (!fx->v[i].text)
                return true;
            if (first == fx->n)
                first = i, mid_start = o < mid_start ? o : mid_start;
            last = i;
            mid_end = oe > mid_end ? oe : mid_end;
        }
    }
    size_t n = (g->start - mid_start) + g->len + (mid_end - g->end);
    char *text = malloc(n + 1);
    if (!text)
        return false;
    memcpy(text, mid + mid_start, g->start - mid_start);
    memcpy(text + (g->start - mid_start), g->text, g->len);
    memcpy(text + (g->start - mid_start) + g->len, mid + g->end, mid_end - g->end);
    text[n] = '\0';
    *into = *g;
    into->start = original_offset(fx, mid_start, false);
    into->end = original_offset(fx, mid_end, true);
    into->tail_end = into->end;
    into->text = text;
    into->len = n;
    if (first < fx->n) {
        const lf_mojibake_fix *f = &fx->v[first];
        into->chain = f->chain;
        into->depth = f->depth;
        into->note = f->note;
        into->detail = f->detail;
        into->then_note = g->note ? g->note : lf_mojibake_chain_note(g->chain);
        into->confidence = g->confidence < f->confidence ? g->confidence : f->confidence;
        if (fx->v[last].end == into->end)
            into->tail_end = fx->v[last].tail_end;
        for (size_t i = first; i <= last; i++) {
            free(fx->v[i].text);
            fx->v[i].text = NULL;
        }
    }
    *folded = true;
    return true;
}

static int by_start(const void *pa, const void *pb)
{
    const lf_mojibake_fix *a = pa, *b = pb;
    return a->start < b->start ? -1 : a->start > b->start;
}

lf_status lf_mojibake_line_layers(lf_mojibake_session *s, const char *line, size_t len, lf_mojibake_fixes *out,
                                  lf_error *err)
{
    size_t first = out->n;
    lf_status st = lf_mojibake_line(s, line, len, out, err);
    if (st != LF_OK || out->n == first)
        return st;
    lf_mojibake_fixes round1 = {out->v + first, out->n - first, out->n - first};
    size_t mid_len;
    char *mid = apply_fixes(line, len, &round1, &mid_len);
    if (!mid)
        return lf_nomem(err);
    lf_mojibake_fixes round2 = {0};
    st = lf_mojibake_line(s, mid, mid_len, &round2, err);
    for (size_t j = 0; j < round2.n && st == LF_OK; j++) {
        lf_mojibake_fix folded_fix;
        bool folded = false;
        if (!fold(&round1, mid, &round2.v[j], &folded_fix, &folded))
            st = lf_nomem(err);
        else if (folded && !lf_mojibake_fixes_push(out, &folded_fix)) {
            free(folded_fix.text);
            st = lf_nomem(err);
        }
        round1.v = out->v + first; /* the push may have moved them */
    }
    free(mid);
    lf_mojibake_fixes_free(&round2);
    /* Drop the folded first-round repairs, put the rest in order. */
    size_t k = first;
    for (size_t i = first; i < out->n; i++)
        if (out->v[i].text)
            out->v[k++] = out->v[i];
    out->n = k;
    if (out->n - first > 1)
        qsort(out->v + first, out->n - first, sizeof *out->v, by_start);
    return st;
}
