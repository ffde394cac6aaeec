/*
 * decode.h — the incremental decoder behind the decode pass and streaming.
 */
#ifndef LIBFIX_DECODE_H
#define LIBFIX_DECODE_H

#include "internal.h"

typedef struct lf_decoder lf_decoder;

/* Picks the encoding (ctx's from_encoding, else detection on sample[0..len))
 * and opens its converter. Free with lf_decoder_free(). */
lf_status lf_decoder_open(const lf_context *ctx, const char *sample, size_t len, lf_decoder **out, lf_error *err);

/* Decodes the next window in[0..len) and appends UTF-8 to out. A sequence cut by the end of the window is kept until the
 * next call; final=true marks the last window, where such a sequence is
 * reported as truncated. Report spans are stream offsets. */
lf_status lf_decoder_feed(lf_decoder *d, const char *in, size_t len, bool final,
                          lf_buf *out, lf_report *rep, lf_error *err);

/* The static name of the encoding in use and the detector's confidence. */
const char *lf_decoder_encoding(const lf_decoder *d, double *confidence);

void lf_decoder_free(lf_decoder *d);

#endif
