/*
 * repair.c — the repair pass: reverse mojibake line by line (mojibake.c) and
 * say where information was lost (lossy.c).
 *
 * lf_repair_run is a dispatcher over steps that share the pass signature;
 * each step reads the previous step's output and reports spans in its own
 * text, and lf_repair_run_steps moves them onto the pass's input and output
 * afterwards. Spliced annotations (annotations.c) become one more entry in
 * steps[].
 */
#include "repair.h"

#include "lossy.h"
#include "mojibake.h"

#include <stdlib.h>
#include <string.h>

/* Appends one line's worth of output and its report entries. */
struct line_out {
    const lf_context *ctx;
    lf_buf *out;
    lf_report *rep;
    size_t in_base; /* offset of the line in the pass input */
};

/* Where in the output a byte offset of the line ended up, given the fixes. */
static size_t out_offset(const struct line_out *lo, size_t out_line_start, const lf_mojibake_fixes *fx, size_t pos)
{
    size_t o = out_line_start + pos;
    if (lo->ctx->opt.repair_dry_run)
        return o;
    for (size_t i = 0; i < fx->n && fx->v[i].end <= pos; i++)
        o = o - (fx->v[i].end - fx->v[i].start) + fx->v[i].len;
    return o;
}

static bool report_lossy(const struct line_out *lo, size_t out_line_start, const lf_mojibake_fixes *fx,
                         const lf_lossy_spans *ls)
{
    for (size_t i = 0; i < ls->n; i++) {
        const lf_lossy_span *l = &ls->v[i];
        size_t os = out_offset(lo, out_line_start, fx, l->start), oe = out_offset(lo, out_line_start, fx, l->end);
        for (size_t j = 0; j < fx->n; j++) {
            /* Inside a repaired span: its lost characters are now U+FFFD there. */
            if (l->start < fx->v[j].end && fx->v[j].start < l->end) {
                os = out_offset(lo, out_line_start, fx, fx->v[j].start);
                oe = os + (lo->ctx->opt.repair_dry_run ? fx->v[j].end - fx->v[j].start : fx->v[j].len);
            }
        }
        if (!lf_report_add(lo->rep, LF_PASS_REPAIR, "lossy", lo->in_base + l->start, lo->in_base + l->end, os, oe,
                           l->confidence, "%s (%zu)", lf_lossy_note(l->kind), l->count))
            return false;
    }
    return true;
}

/* A damaged span cut short: the start of one more character right after a
 * repair (found by mojibake.c), or up to two leftover characters and then
 * U+FFFD or '?' ("涓枃銆?" where "中文。" lost its last byte). */
static bool push_truncated(lf_lossy_spans *ls, size_t start, size_t end)
{
    if (ls->n == ls->cap) {
        size_t cap = ls->cap ? ls->cap * 2 : 8;
        lf_lossy_span *v = realloc(ls->v, cap * sizeof *v);
        if (!v)
            return false;
        ls->v = v;
        ls->cap = cap;
    }
    ls->v[ls->n++] = (lf_lossy_span){start, end, LF_LOSSY_TRUNCATED, 1, 0.8};
    return true;
}

static bool find_truncated(const char *line, size_t len, const lf_mojibake_fixes *fx, lf_lossy_spans *ls)
{
    for (size_t i = 0; i < fx->n; i++) {
        if (fx->v[i].tail_end > fx->v[i].end) {
            if (!push_truncated(ls, fx->v[i].end, fx->v[i].tail_end))
                return false;
            continue;
        }
        size_t p = fx->v[i].end;
        for (int k = 0; k < 3 && p < len; k++) {
            uint32_t c;
            size_t n = lf_utf8_decode(line + p, len - p, &c);
            if (c == 0xFFFD || c == '?') {
                if (k == 0)
                    break; /* a bare U+FFFD run is reported as such */
                if (!push_truncated(ls, fx->v[i].end, p + n))
                    return false;
                break;
            }
            if (c < 0x80)
                break;
            p += n;
        }
    }
    return true;
}

static lf_status emit_line(const struct line_out *lo, const char *line, size_t len, const lf_mojibake_fixes *fx,
                           lf_error *err)
{
    lf_buf *out = lo->out;
    size_t out_line_start = out->len, cursor = 0;
    bool dry = lo->ctx->opt.repair_dry_run;
    for (size_t i = 0; i < fx->n; i++) {
        const lf_mojibake_fix *f = &fx->v[i];
        if (!lf_buf_append(out, line + cursor, f->start - cursor))
            return lf_nomem(err);
        size_t os = out->len;
        if (!(dry ? lf_buf_append(out, line + f->start, f->end - f->start) : lf_buf_append(out, f->text, f->len)))
            return lf_nomem(err);
        if (!lf_report_add(lo->rep, LF_PASS_REPAIR, "mojibake", lo->in_base + f->start, lo->in_base + f->end, os,
                           out->len, f->confidence, "%s%s%s%s%s", f->note ? f->note : lf_mojibake_chain_note(f->chain),
                           f->depth == 2 ? " twice" : f->depth == 3 ? " three times" : "", f->detail ? f->detail : "",
                           f->then_note ? "; under it, " : "", f->then_note ? f->then_note : ""))
            return lf_nomem(err);
        cursor = f->end;
    }
    if (!lf_buf_append(out, line + cursor, len - cursor))
        return lf_nomem(err);
    lf_lossy_spans ls = {0};
    bool ok = lf_lossy_scan(line, len, &ls) && find_truncated(line, len, fx, &ls) &&
              report_lossy(lo, out_line_start, fx, &ls);
    free(ls.v);
    return ok ? LF_OK : lf_nomem(err);
}

lf_status lf_repair_mojibake(const lf_context *ctx, const char *in, size_t len, lf_buf *out, lf_report *rep,
                             lf_error *err)
{
    lf_mojibake_session s;
    lf_mojibake_session_init(&s, ctx->repair);
    lf_mojibake_fixes fx = {0};
    lf_status st = LF_OK;
    size_t pos = 0;
    if (!lf_buf_reserve(out, len))
        return lf_nomem(err);
    while (pos < len && st == LF_OK) {
        const char *nl = memchr(in + pos, '\n', len - pos);
        size_t eol = nl ? (size_t)(nl - in) : len;
        struct line_out lo = {ctx, out, rep, pos};
        lf_mojibake_fixes_clear(&fx);
        st = lf_mojibake_line_layers(&s, in + pos, eol - pos, &fx, err);
        if (st == LF_OK)
            st = emit_line(&lo, in + pos, eol - pos, &fx, err);
        if (st == LF_OK && nl && !lf_buf_append_char(out, '\n'))
            st = lf_nomem(err);
        pos = nl ? eol + 1 : len;
    }
    lf_mojibake_fixes_free(&fx);
    lf_mojibake_session_free(&s);
    return st;
}

/* ------------------------------------------------------------- the steps */

/* The steps of the pass, in order; each reads the previous one's output.
 * Spliced annotations go first: the '?' and private-use characters they
 * leave are that damage, not mojibake, and must not be read as such. */
static const lf_pass_fn steps[] = {lf_annotations_run, lf_repair_mojibake};
enum { NSTEPS = sizeof steps / sizeof steps[0] };

/* Maps offset x of one side of a step's changes v[0..n) (sorted, from one
 * step) to the other side: through a change it goes to the change's start,
 * or to its end when x is the end; elsewhere it shifts by the changes
 * before it. from_in: x is on the input side. */
static uint64_t map_offset(const lf_change *v, size_t n, uint64_t x, bool from_in, bool is_end)
{
    int64_t delta = 0;
    for (size_t i = 0; i < n; i++) {
        uint64_t s = from_in ? v[i].in_start : v[i].out_start, e = from_in ? v[i].in_end : v[i].out_end;
        uint64_t ts = from_in ? v[i].out_start : v[i].in_start, te = from_in ? v[i].out_end : v[i].in_end;
        if (x < s || (x == s && !is_end))
            break;
        if (x <= e)
            return x == e || is_end ? te : ts;
        delta = (int64_t)te - (int64_t)e;
    }
    return (uint64_t)((int64_t)x + delta);
}

/* Whether a step's report entry edits the text. "lossy" and
 * "annotation-ambiguous" entries only point at text (their spans may even
 * lie inside an edit, or repeat its output span): mapping offsets through
 * them would count an edit twice or undo it. */
static bool is_edit(const lf_change *c)
{
    return strcmp(c->kind, "lossy") != 0 && strcmp(c->kind, "annotation-ambiguous") != 0;
}

static int by_in_start(const void *pa, const void *pb)
{
    const lf_change *a = pa, *b = pb;
    return a->in_start < b->in_start ? -1 : a->in_start > b->in_start;
}

/* Step k's changes, recorded in step k's own text, are moved to the pass's
 * input (back through the steps before k) and output (forward through the
 * steps after k), through each step's edits in text order. first[k] is the
 * index of step k's first change; changes before first[0] belong to earlier
 * passes. The report's bases are taken off and put back around the
 * mapping. False on allocation failure. */
static bool map_spans(lf_report *rep, const size_t *first, size_t nsteps)
{
    size_t total = first[nsteps];
    lf_change *edits = malloc((total ? total : 1) * sizeof *edits);
    size_t *efirst = malloc((nsteps + 1) * sizeof *efirst);
    if (!edits || !efirst) {
        free(edits);
        free(efirst);
        return false;
    }
    uint64_t bin = rep->base_in[LF_PASS_REPAIR], bout = rep->base_out[LF_PASS_REPAIR];
    size_t ne = 0;
    for (size_t k = 0; k < nsteps; k++) {
        efirst[k] = ne;
        for (size_t i = first[k]; i < first[k + 1]; i++) {
            lf_change *c = &rep->changes[i];
            c->in_start -= bin, c->in_end -= bin, c->out_start -= bout, c->out_end -= bout;
            if (is_edit(c))
                edits[ne++] = *c; /* each step's edits as it made them, for the mapping */
        }
        qsort(edits + efirst[k], ne - efirst[k], sizeof *edits, by_in_start);
    }
    efirst[nsteps] = ne;
    for (size_t k = 0; k < nsteps; k++) {
        for (size_t i = first[k]; i < first[k + 1]; i++) {
            lf_change *c = &rep->changes[i];
            for (size_t j = k; j-- > 0;) {
                c->in_start = map_offset(edits + efirst[j], efirst[j + 1] - efirst[j], c->in_start, false, false);
                c->in_end = map_offset(edits + efirst[j], efirst[j + 1] - efirst[j], c->in_end, false, true);
            }
            for (size_t j = k + 1; j < nsteps; j++) {
                c->out_start = map_offset(edits + efirst[j], efirst[j + 1] - efirst[j], c->out_start, true, false);
                c->out_end = map_offset(edits + efirst[j], efirst[j + 1] - efirst[j], c->out_end, true, true);
            }
        }
    }
    for (size_t i = first[0]; i < total; i++) {
        lf_change *c = &rep->changes[i];
        c->in_start += bin, c->in_end += bin, c->out_start += bout, c->out_end += bout;
    }
    free(edits);
    free(efirst);
    return true;
}

lf_status lf_repair_run_steps(const lf_pass_fn *fns, size_t n, const lf_context *ctx, const char *in, size_t len,
                              lf_buf *out, lf_report *rep, lf_error *err)
{
    if (n == 1)
        return fns[0](ctx, in, len, out, rep, err);
    size_t *first = malloc((n + 1) * sizeof *first);
    if (!first)
        return lf_nomem(err);
    lf_buf bufs[2];
    lf_buf_init(&bufs[0]);
    lf_buf_init(&bufs[1]);
    const char *cur = in;
    size_t cur_len = len;
    lf_status st = LF_OK;
    for (size_t k = 0; k < n && st == LF_OK; k++) {
        lf_buf *dst = k + 1 == n ? out : &bufs[k % 2];
        lf_buf_clear(dst);
        first[k] = rep->nchanges;
        st = fns[k](ctx, cur, cur_len, dst, rep, err);
        cur = dst->data ? dst->data : "";
        cur_len = dst->len;
    }
    first[n] = rep->nchanges;
    if (st == LF_OK && !map_spans(rep, first, n))
        st = lf_nomem(err);
    lf_buf_free(&bufs[0]);
    lf_buf_free(&bufs[1]);
    free(first);
    return st;
}

lf_status lf_repair_run(const lf_context *ctx, const char *in, size_t len, lf_buf *out, lf_report *rep,
                        lf_error *err)
{
    if (!ctx->repair)
        return lf_fail(err, LF_ERR_INTERNAL, "repair: context was not prepared for the repair pass");
    return lf_repair_run_steps(steps, NSTEPS, ctx, in, len, out, rep, err);
}

lf_status lf_repair_prepare(lf_context *ctx, lf_error *err)
{
    lf_status st = lf_annotations_prepare(ctx, err);
    if (st == LF_OK && (st = lf_mojibake_prepare(ctx, err)) != LF_OK)
        lf_annotations_release(ctx);
    return st;
}

void lf_repair_release(lf_context *ctx)
{
    lf_mojibake_release(ctx);
    lf_annotations_release(ctx);
}
