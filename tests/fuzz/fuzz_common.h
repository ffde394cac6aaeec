/*
 * fuzz_common.h — what the libFuzzer targets share: choosing a pipeline and
 * options from the input's first bytes, caching the contexts so built (an
 * OpenCC load per input would be far too slow), and the invariants every
 * result must meet. A broken invariant aborts, which libFuzzer reports as a
 * crash and saves the input.
 *
 * Fuzz targets are test programs: the context cache is process-global on
 * purpose and is never freed (libFuzzer runs until it is killed).
 */
#ifndef LIBFIX_FUZZ_COMMON_H
#define LIBFIX_FUZZ_COMMON_H

#include "libfix.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unicode/ucnv.h>
#include <unicode/ustring.h>

/* Stops the run with a message; libFuzzer saves the input as a crash. */
static inline void fuzz_fail(const char *what)
{
    fprintf(stderr, "fuzz invariant broken: %s\n", what);
    abort();
}

/* Validity by ICU's own UTF-8 reader, independent of libfix's validator. */
static inline bool fuzz_valid_utf8(const char *s, size_t len)
{
    UErrorCode ec = U_ZERO_ERROR;
    int32_t n = 0;
    if (len > INT32_MAX)
        return false;
    u_strFromUTF8(NULL, 0, &n, s, (int32_t)len, &ec);
    return ec == U_BUFFER_OVERFLOW_ERROR || ec == U_STRING_NOT_TERMINATED_WARNING || U_SUCCESS(ec);
}

/* The passes after decode that this build has, in pipeline order. */
static inline size_t fuzz_text_passes(lf_pass out[LF_PASS_COUNT])
{
    size_t n = 0;
    for (int p = LF_PASS_REPAIR; p < LF_PASS_COUNT; p++)
        if (lf_pass_available((lf_pass)p))
            out[n++] = (lf_pass)p;
    return n;
}

/* Options by "variant": bit 0 switches to each pass's less common
 * settings; bit 1 (used by the clean-text control, never by fuzz input)
 * keeps annotations, so that repair is tested on mojibake alone. */
static inline void fuzz_options(lf_options *opt, unsigned variant)
{
    lf_options_init(opt);
    opt->keep_annotations = (variant >> 1) & 1;
    opt->to_script = variant & 1 ? LF_SCRIPT_TRADITIONAL : LF_SCRIPT_SIMPLIFIED;
    opt->format = variant & 1 ? LF_FORMAT_HTML : LF_FORMAT_AUTO;
    opt->norm_form = variant & 1 ? LF_NORM_NFKC : LF_NORM_NFC;
    opt->fold_punct_width = variant & 1;
    opt->keep_bylines = opt->keep_captions = variant & 1;
    opt->max_changes = variant & 1 ? 3 : 0; /* also exercise report truncation */
}

/*
 * A pipeline chosen by two bytes: b0 bit 7 adds decode; b0's low bits pick a
 * subset of the built text passes and b1 a permutation of it; b1 bit 7 the
 * option variant. Passes that land later in the build are covered without
 * touching this file.
 */
typedef struct fuzz_pipeline {
    lf_pass passes[LF_PASS_COUNT];
    size_t count;
    unsigned variant;
} fuzz_pipeline;

static inline void fuzz_pick_pipeline(uint8_t b0, uint8_t b1, fuzz_pipeline *fp)
{
    lf_pass text[LF_PASS_COUNT], chosen[LF_PASS_COUNT];
    size_t n = fuzz_text_passes(text), k = 0;
    for (size_t i = 0; i < n; i++)
        if (b0 & (1u << i))
            chosen[k++] = text[i];
    fp->count = 0;
    if (b0 & 0x80)
        fp->passes[fp->count++] = LF_PASS_DECODE;
    /* Lehmer code: b1 picks one of the k! orders. */
    unsigned code = b1 & 0x7F;
    for (size_t left = k; left > 0; left--) {
        size_t j = code % left;
        code /= left;
        fp->passes[fp->count++] = chosen[j];
        memmove(chosen + j, chosen + j + 1, (left - j - 1) * sizeof *chosen);
    }
    if (fp->count == 0) /* an empty pipeline is refused; use decode alone */
        fp->passes[fp->count++] = LF_PASS_DECODE;
    fp->variant = b1 >> 7;
}

/* Cached contexts, keyed by pass list and variant. */
#define FUZZ_CACHE 512
static struct {
    fuzz_pipeline key;
    lf_context *ctx;
} fuzz_cache[FUZZ_CACHE];
static size_t fuzz_cached;

static inline bool same_pipeline(const fuzz_pipeline *a, const fuzz_pipeline *b)
{
    return a->count == b->count && a->variant == b->variant &&
           memcmp(a->passes, b->passes, a->count * sizeof a->passes[0]) == 0;
}

/* The context for a pipeline; aborts when it cannot be made, since every
 * combination of built passes must be accepted. */
static inline lf_context *fuzz_context(const fuzz_pipeline *fp)
{
    for (size_t i = 0; i < fuzz_cached; i++)
        if (same_pipeline(&fuzz_cache[i].key, fp))
            return fuzz_cache[i].ctx;
    lf_options opt;
    fuzz_options(&opt, fp->variant);
    memcpy(opt.passes, fp->passes, fp->count * sizeof fp->passes[0]);
    opt.pass_count = fp->count;
    lf_context *ctx = NULL;
    lf_error err;
    if (lf_context_new(&opt, &ctx, &err) != LF_OK) {
        fprintf(stderr, "lf_context_new: %s\n", err.message);
        fuzz_fail("a pipeline of built passes was refused");
    }
    /* 2 x 65 ordered subsets of 4 text passes x 2 variants, plus the
     * control's one: 261 keys at most. */
    if (fuzz_cached == FUZZ_CACHE)
        fuzz_fail("context cache full");
    fuzz_cache[fuzz_cached].key = *fp;
    fuzz_cache[fuzz_cached++].ctx = ctx;
    return ctx;
}

/*
 * The invariants of any lf_process() outcome: a pipeline with decode accepts
 * any bytes; without decode only invalid UTF-8 may be refused; a result's
 * text is valid UTF-8 of the length it claims; every change has ordered
 * spans and a kind; the JSON report is valid UTF-8.
 */
static inline void fuzz_check_outcome(lf_status st, const lf_result *r, bool decodes, const uint8_t *in, size_t len)
{
    if (st != LF_OK) {
        if (r)
            fuzz_fail("a failed call returned a result");
        if (st == LF_ERR_INVALID_INPUT && !decodes && !fuzz_valid_utf8((const char *)in, len))
            return;
        if (st == LF_ERR_LIMIT)
            return; /* a documented limit; the message says which */
        fuzz_fail("lf_process failed on input it must accept");
    }
    size_t n = 0;
    const char *text = lf_result_text(r, &n);
    if (!text || text[n] != '\0')
        fuzz_fail("result text is not NUL-terminated at its length");
    if (!fuzz_valid_utf8(text, n))
        fuzz_fail("output is not valid UTF-8");
    for (size_t i = 0; i < lf_result_change_count(r); i++) {
        const lf_change *c = lf_result_change(r, i);
        if (!c || !c->kind || c->in_end < c->in_start || c->out_end < c->out_start ||
            !(c->confidence >= 0.0 && c->confidence <= 1.0) || (unsigned)c->pass >= LF_PASS_COUNT)
            fuzz_fail("malformed change entry");
    }
    char *json = NULL;
    size_t jlen = 0;
    if (lf_result_report_json(r, &json, &jlen, NULL) != LF_OK)
        fuzz_fail("report JSON failed");
    if (!fuzz_valid_utf8(json, jlen) || strlen(json) != jlen)
        fuzz_fail("report JSON is not valid UTF-8 of its length");
    lf_free(json);
}

#endif
