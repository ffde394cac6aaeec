/*
 * repair.h — the steps of the repair pass and how they are chained.
 *
 * lf_repair_run (internal.h) runs the steps in order through
 * lf_repair_run_steps; each step has the pass signature and reports spans in
 * its own input and output, which lf_repair_run_steps then moves to the
 * pass's input and final output.
 */
#ifndef LIBFIX_REPAIR_H
#define LIBFIX_REPAIR_H

#include "internal.h"

/* The mojibake step: reverses misread spans line by line and reports lossy
 * damage (kinds "mojibake", "lossy"). Errors: LF_ERR_NOMEM, LF_ERR_INTERNAL. */
lf_status lf_repair_mojibake(const lf_context *ctx, const char *in, size_t len, lf_buf *out, lf_report *rep,
                             lf_error *err);

/* Runs fns[0..n) in order over in[0..len), the last writing into out, and
 * maps every step's spans onto the pass's input and output: an offset inside
 * an earlier or later change goes to that change's start (or end, for an
 * end offset). Exact while the report is not truncated. Errors: those of the
 * steps, LF_ERR_NOMEM. */
lf_status lf_repair_run_steps(const lf_pass_fn *fns, size_t n, const lf_context *ctx, const char *in, size_t len,
                              lf_buf *out, lf_report *rep, lf_error *err);

#endif /* LIBFIX_REPAIR_H */
