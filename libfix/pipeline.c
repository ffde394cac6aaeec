/* pipeline.c — the pass list: which passes exist, and running them in order. */
#include "internal.h"

#include <stdlib.h>

/* The pass list. A pass that is not built has no run function; asking for it
 * is refused by lf_context_new, never skipped. prepare/release load and free
 * what the pass keeps in the context (e.g. OpenCC handles). */
struct pass_impl {
    lf_pass_fn run;
    lf_status (*prepare)(lf_context *ctx, lf_error *err);
    void (*release)(lf_context *ctx);
};

static const struct pass_impl impls[LF_PASS_COUNT] = {
    [LF_PASS_DECODE] = {lf_decode_run, lf_decode_prepare, lf_decode_release},
    [LF_PASS_NORMALIZE] = {lf_normalize_run, lf_normalize_prepare, lf_normalize_release},
    [LF_PASS_CONVERT] = {lf_convert_run, lf_convert_prepare, lf_convert_release},
    [LF_PASS_STRIP] = {lf_strip_run, lf_strip_prepare, NULL},
    [LF_PASS_REPAIR] = {lf_repair_run, lf_repair_prepare, lf_repair_release},
};

int lf_pass_available(lf_pass pass)
{
    return (unsigned)pass < LF_PASS_COUNT && impls[pass].run != NULL;
}

lf_status lf_pass_prepare(lf_context *ctx, lf_pass pass, lf_error *err)
{
    return impls[pass].prepare ? impls[pass].prepare(ctx, err) : LF_OK;
}

void lf_pass_release(lf_context *ctx, lf_pass pass)
{
    if (impls[pass].release)
        impls[pass].release(ctx);
}

/* Runs passes[first..) over one window, ping-ponging between two buffers.
 * When the list has no decode pass the input must already be valid UTF-8. */
lf_status lf_pipeline_run(const lf_context *ctx, size_t first, const char *in, size_t len,
                          lf_buf *out, lf_report *rep, lf_error *err)
{
    const lf_options *opt = &ctx->opt;
    if (first == 0 && (opt->pass_count == 0 || opt->passes[0] != LF_PASS_DECODE)) {
        size_t bad = lf_utf8_validate(in, len);
        if (bad < len)
            return lf_fail(err, LF_ERR_INVALID_INPUT,
                           "invalid UTF-8 at byte %llu (add the decode pass to accept other encodings)",
                           (unsigned long long)(rep->base_in[opt->pass_count ? opt->passes[0] : 0] + bad));
    }
    lf_buf tmp;
    lf_buf_init(&tmp);
    const char *cur = in;
    size_t cur_len = len;
    lf_buf *bufs[2] = {out, &tmp};
    int which = 0;
    lf_status st = LF_OK;
    for (size_t i = first; i < opt->pass_count; i++) {
        /* The last pass writes straight into out. */
        size_t remaining = opt->pass_count - i;
        which = (remaining % 2 == 1) ? 0 : 1;
        lf_buf *dst = bufs[which];
        lf_buf_clear(dst);
        /* Passes write about as much as they read: one allocation up front
         * instead of a doubling series of copies on large inputs. */
        if (!lf_buf_reserve(dst, cur_len + 64)) {
            st = lf_nomem(err);
            break;
        }
        lf_pass pass = opt->passes[i];
        st = impls[pass].run(ctx, cur, cur_len, dst, rep, err);
        if (st != LF_OK)
            break;
        rep->base_in[pass] += cur_len;
        rep->base_out[pass] += dst->len;
        cur = dst->data ? dst->data : "";
        cur_len = dst->len;
    }
    if (st == LF_OK && first >= opt->pass_count) {
        lf_buf_clear(out);
        if (!lf_buf_append(out, in, len))
            st = lf_nomem(err);
    }
    lf_buf_free(&tmp);
    return st;
}

lf_status lf_process(const lf_context *ctx, const void *in, size_t len, lf_result **out, lf_error *err)
{
    if (!ctx || !out || (!in && len))
        return lf_fail(err, LF_ERR_ARGUMENT, "lf_process: NULL argument");
    *out = NULL;
    lf_report rep;
    lf_report_init(&rep, ctx->opt.max_changes);
    lf_buf text;
    lf_buf_init(&text);
    lf_status st = lf_pipeline_run(ctx, 0, in ? in : "", len, &text, &rep, err);
    if (st == LF_OK) {
        lf_report_sort(&rep, &ctx->opt);
        st = lf_result_make(&rep, &text, out, err);
    }
    lf_report_free(&rep);
    lf_buf_free(&text);
    return st;
}
