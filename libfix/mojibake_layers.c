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

/* The first round's repairs and where each put its text in the repaired
 * line: placed[i], and the shift (bytes added) by those before it,
 * shift[i] ([n + 1]). */
struct round {
    lf_mojibake_fixes *fx;
    size_t *placed;
    long *shift;
};

static bool round_init(struct round *r, lf_mojibake_fixes *fx)
{
    r->fx = fx;
    r->placed = malloc((fx->n + 1) * sizeof *r->placed);
    r->shift = malloc((fx->n + 1) * sizeof *r->shift);
    if (!r->placed || !r->shift) {
        free(r->placed);
        free(r->shift);
        return false;
    }
    r->shift[0] = 0;
    for (size_t i = 0; i < fx->n; i++) {
        r->placed[i] = (size_t)((long)fx->v[i].start + r->shift[i]);
        r->shift[i + 1] = r->shift[i] + (long)fx->v[i].len - (long)(fx->v[i].end - fx->v[i].start);
    }
    return true;
}

static void round_free(struct round *r)
{
    free(r->placed);
    free(r->shift);
}

/* The first repair whose text ends after p (at p or after, with at_end) in
 * the repaired line; r->fx->n when none. The ends grow with i. */
static size_t first_ending_after(const struct round *r, size_t p, bool at_end)
{
    size_t lo = 0, hi = r->fx->n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2, end = r->placed[mid] + r->fx->v[mid].len;
        if (at_end ? end < p : end <= p)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

/* The offset in the original line of offset p of the repaired line: the
 * edge of a first-round repair p falls inside (its start, or with is_end
 * its end), shifted by the repairs before it elsewhere. */
static size_t original_offset(const struct round *r, size_t p, bool is_end)
{
    size_t i = first_ending_after(r, p, is_end);
    if (i < r->fx->n && (is_end ? p > r->placed[i] : p >= r->placed[i]))
        return is_end ? r->fx->v[i].end : r->fx->v[i].start;
    return (size_t)((long)p - r->shift[i]);
}

/* Folds second-round repair g (offsets in the repaired line `mid`) into the
 * first-round repairs it overlaps: their span of the original line becomes
 * one repair *into whose text is g's with the first-round text around it.
 * The folded ones lose their text (NULL) for the caller to drop. *folded
 * stays false when g overlaps one folded before. False on allocation
 * failure. */
static bool fold(struct round *r, const char *mid, const lf_mojibake_fix *g, lf_mojibake_fix *into, bool *folded)
{
    lf_mojibake_fixes *fx = r->fx;
    *folded = false;
    size_t first = first_ending_after(r, g->start, false), last = first, mid_start = g->start, mid_end = g->end;
    for (size_t i = first; i < fx->n && r->placed[i] < g->end; i++) {
        if (!fx->v[i].text)
            return true;
        last = i;
    }
    bool overlaps = first < fx->n && r->placed[first] < g->end;
    if (overlaps) {
        mid_start = r->placed[first] < mid_start ? r->placed[first] : mid_start;
        size_t oe = r->placed[last] + fx->v[last].len;
        mid_end = oe > mid_end ? oe : mid_end;
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
    into->start = original_offset(r, mid_start, false);
    into->end = original_offset(r, mid_end, true);
    into->tail_end = into->end;
    into->text = text;
    into->len = n;
    if (overlaps) {
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

/* Whether second-round repair g reads bytes that a first-round repair
 * found cut off ([end, tail_end), reported as lost): they follow its text
 * in the repaired line unchanged, and reading them as something else
 * hides the loss behind a guess (ftfy's "hopeless garble" case
 * "...ã¢â‚¬å¡ã‚â¬ãƒâ€šã‚â" ended in "蝪繧筮繝窶壹や", a second-round
 * reading over the cut-off tail of the first). */
static bool reads_lost_tail(const struct round *r, const lf_mojibake_fix *g)
{
    for (size_t i = 0; i < r->fx->n; i++) {
        const lf_mojibake_fix *f = &r->fx->v[i];
        size_t from = r->placed[i] + f->len, to = from + (f->tail_end - f->end);
        if (f->tail_end > f->end && g->start < to && g->end > from)
            return true;
    }
    return false;
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
    struct round r;
    if (!round_init(&r, &round1)) {
        free(mid);
        return lf_nomem(err);
    }
    st = lf_mojibake_line(s, mid, mid_len, &round2, err);
    for (size_t j = 0; j < round2.n && st == LF_OK; j++) {
        lf_mojibake_fix folded_fix;
        bool folded = false;
        if (reads_lost_tail(&r, &round2.v[j]))
            continue;
        if (!fold(&r, mid, &round2.v[j], &folded_fix, &folded))
            st = lf_nomem(err);
        else if (folded && !lf_mojibake_fixes_push(out, &folded_fix)) {
            free(folded_fix.text);
            st = lf_nomem(err);
        }
        round1.v = out->v + first; /* the push may have moved them */
    }
    round_free(&r);
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
