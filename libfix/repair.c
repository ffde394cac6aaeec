/*
 * repair.c — the repair pass: reverse mojibake line by line (mojibake.c) and
 * say where information was lost (lossy.c).
 *
 * lf_repair_run is a dispatcher over steps that share the pass signature;
 * each step reads the previous step's output. Every step reports spans in its
 * own input and output, so only the first step's spans are offsets into the
 * pass's input; a second step (spliced annotations, annotations.c) must come
 * first in the list to keep that true for the mojibake spans too.
 */
#include "internal.h"
#include "lossy.h"
#include "mojibake.h"

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
                           out->len, f->confidence, "%s%s", f->note ? f->note : lf_mojibake_chain_note(f->chain),
                           f->depth == 2 ? " twice" : f->depth == 3 ? " three times" : ""))
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

static lf_status repair_mojibake(const lf_context *ctx, const char *in, size_t len, lf_buf *out, lf_report *rep,
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
        st = lf_mojibake_line(&s, in + pos, eol - pos, &fx, err);
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

lf_status lf_repair_run(const lf_context *ctx, const char *in, size_t len, lf_buf *out, lf_report *rep,
                        lf_error *err)
{
    if (!ctx->repair)
        return lf_fail(err, LF_ERR_INTERNAL, "repair: context was not prepared for the repair pass");
    return repair_mojibake(ctx, in, len, out, rep, err);
}
