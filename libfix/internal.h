/*
 * internal.h — what the passes share. Not installed.
 *
 * Every pass has the same shape (lf_pass_fn): it reads a whole window of
 * input, appends its output to an lf_buf, and records its changes in an
 * lf_report. All passes but decode take and return valid UTF-8.
 */
#ifndef LIBFIX_INTERNAL_H
#define LIBFIX_INTERNAL_H

#include "libfix.h"

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* ------------------------------------------------------------ lf_buf (buffer.c) */

/* A growable byte buffer, always NUL-terminated when data != NULL. */
typedef struct lf_buf {
    char *data;
    size_t len;
    size_t cap;
} lf_buf;

void lf_buf_init(lf_buf *b);
void lf_buf_free(lf_buf *b);
void lf_buf_clear(lf_buf *b);
/* Each returns false when an allocation failed; the buffer is then unchanged. */
bool lf_buf_reserve(lf_buf *b, size_t extra);
bool lf_buf_append(lf_buf *b, const void *data, size_t len);
bool lf_buf_append_char(lf_buf *b, char c);
bool lf_buf_append_cp(lf_buf *b, uint32_t cp); /* UTF-8 encoding of a code point */
bool lf_buf_printf(lf_buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Hands the bytes over to the caller (who frees them) and resets b. */
char *lf_buf_detach(lf_buf *b, size_t *len);

/* ------------------------------------------------------------- errors (error.c) */

/* Sets err (if not NULL) and returns code, so callers can write
 * `return lf_fail(err, LF_ERR_NOMEM, "out of memory");`. */
lf_status lf_fail(lf_error *err, lf_status code, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
lf_status lf_nomem(lf_error *err);

/* --------------------------------------------------------------- UTF-8 (utf8.c) */

/* Decodes one code point at s[0..len). Returns its length in bytes (1-4) and
 * stores it in *cp; for an invalid or truncated sequence returns 0 and stores
 * U+FFFD. len must be > 0. */
size_t lf_utf8_decode(const char *s, size_t len, uint32_t *cp);
/* lf_utf8_decode of s[i..len) for the walks that decode every character of
 * a page or a line: ASCII and the three-byte sequences that cannot be
 * overlong or a surrogate (lead byte E1-EC or EE-EF: Han, kana, Hangul,
 * full-width forms) are most of such text and need no call. Returns the
 * length, at least 1 (U+FFFD in *cp where the bytes are not UTF-8). */
static inline size_t lf_utf8_next(const char *s, size_t len, size_t i, uint32_t *cp)
{
    const unsigned char *u = (const unsigned char *)s + i;
    if (u[0] < 0x80) {
        *cp = u[0];
        return 1;
    }
    if (u[0] >= 0xE1 && u[0] <= 0xEF && u[0] != 0xED && len - i >= 3 && (u[1] & 0xC0) == 0x80 &&
        (u[2] & 0xC0) == 0x80) {
        *cp = (uint32_t)(u[0] & 0x0F) << 12 | (uint32_t)(u[1] & 0x3F) << 6 | (u[2] & 0x3F);
        return 3;
    }
    size_t k = lf_utf8_decode(s + i, len - i, cp);
    return k ? k : 1;
}
/* Byte offset of the first invalid sequence, or len when s is valid UTF-8. */
size_t lf_utf8_validate(const char *s, size_t len);
/* Largest n <= len such that s[0..n) does not end inside a sequence. */
size_t lf_utf8_boundary(const char *s, size_t len);

/* ------------------------------------------------------------- report (report.c) */

typedef struct lf_kind_count {
    lf_pass pass;
    const char *kind; /* static string */
    uint64_t count;
} lf_kind_count;

/* Notes live in blocks the report owns, so that a change costs no malloc
 * of its own; a block never moves, so a note's pointer stays valid. */
typedef struct lf_note_block {
    struct lf_note_block *next;
    size_t used, cap;
    char text[];
} lf_note_block;

typedef struct lf_report {
    lf_change *changes;
    lf_note_block *notes; /* newest first */
    size_t nchanges, capchanges, max_changes;
    bool truncated;
    lf_kind_count *counts;
    size_t ncounts, capcounts;
    /* Added to every span, so that streaming windows report stream offsets. */
    uint64_t base_in[LF_PASS_COUNT], base_out[LF_PASS_COUNT];
    /* decode's verdict */
    const char *encoding; /* static string */
    double encoding_confidence;
    /* strip's metadata: keys title, date, source, author, url */
    char *meta[5];
} lf_report;

void lf_report_init(lf_report *r, size_t max_changes);
void lf_report_free(lf_report *r);
/* Records one change. kind must be a static string; note is formatted and
 * copied. Returns false on allocation failure. */
bool lf_report_add(lf_report *r, lf_pass pass, const char *kind,
                   uint64_t in_start, uint64_t in_end, uint64_t out_start, uint64_t out_end,
                   double confidence, const char *note_fmt, ...) __attribute__((format(printf, 9, 10)));
/* lf_report_add with a note that is already text, note[0..len) (copied):
 * for passes that record thousands of changes, where formatting each note
 * through printf would cost more than the change itself. */
bool lf_report_add_text(lf_report *r, lf_pass pass, const char *kind, uint64_t in_start, uint64_t in_end,
                        uint64_t out_start, uint64_t out_end, double confidence, const char *note, size_t len);
/* Adds n to the count of (pass, kind) without listing a change; for passes
 * that list a run of n identical changes as one entry. */
bool lf_report_tally(lf_report *r, lf_pass pass, const char *kind, uint64_t n);
/* Sets metadata key ("title", "date", "source", "author", "url") to a copy of value[0..len). */
bool lf_report_set_meta(lf_report *r, const char *key, const char *value, size_t len);
int lf_report_meta_index(const char *key);
/* Puts the listed changes in their documented order (see lf_change). */
void lf_report_sort(lf_report *r, const lf_options *opt);

/* ------------------------------------------------------------ context (context.c) */

struct lf_convert;   /* convert.c: OpenCC handles */
struct lf_normalize_data; /* normalize.c: which characters need no work */
struct lf_decode_data; /* decode.c: code tables of the double-byte encodings */
struct lf_strip_data; /* strip.c */
struct lf_annotations_data; /* annotations.c: GBK and Big5 code tables */
struct lf_repair_data; /* mojibake.c: which code points each legacy encoding round-trips */

struct lf_context {
    lf_options opt;          /* string fields point into owned copies below */
    char *from_encoding;     /* owned copy or NULL */
    char *opencc_config;     /* owned copy or NULL */
    struct lf_convert *convert; /* NULL unless the pipeline converts */
    struct lf_normalize_data *normalize; /* NULL unless the pipeline normalizes */
    struct lf_decode_data *decode; /* NULL unless the pipeline decodes */
    struct lf_annotations_data *annotations; /* NULL until lf_annotations_prepare */
    struct lf_repair_data *repair; /* NULL unless the pipeline repairs */
};

/* --------------------------------------------------------------- the passes */

/* A pass reads in[0..len) and appends its output to out. Spans it reports are
 * offsets into in and into the bytes it appended (out->len at entry is 0 for
 * every pass; the pipeline hands each pass an empty buffer). */
typedef lf_status (*lf_pass_fn)(const lf_context *ctx, const char *in, size_t len,
                                lf_buf *out, lf_report *rep, lf_error *err);

/* decode.c. When enc is NULL detection picks the encoding; *used receives the
 * static name of the encoding used. */
lf_status lf_decode_run(const lf_context *ctx, const char *in, size_t len,
                        lf_buf *out, lf_report *rep, lf_error *err);
lf_status lf_decode_prepare(lf_context *ctx, lf_error *err);
void lf_decode_release(lf_context *ctx);
/* detect.c */
const char *lf_detect(const char *in, size_t len, double *confidence);

/* annotations.c, part of the repair pass: strips verified inline pinyin
 * annotations and rebuilds the characters they were spliced into. prepare
 * builds the read-only code tables into ctx->annotations (LF_ERR_NOMEM,
 * LF_ERR_INTERNAL when ICU lacks a converter); release frees them. run works
 * without prepare too, building the tables for the call. */
lf_status lf_annotations_run(const lf_context *ctx, const char *in, size_t len,
                             lf_buf *out, lf_report *rep, lf_error *err);
lf_status lf_annotations_prepare(lf_context *ctx, lf_error *err);
void lf_annotations_release(lf_context *ctx);

/* normalize.c */
lf_status lf_normalize_run(const lf_context *ctx, const char *in, size_t len,
                           lf_buf *out, lf_report *rep, lf_error *err);
lf_status lf_normalize_prepare(lf_context *ctx, lf_error *err);
void lf_normalize_release(lf_context *ctx);

/* convert.c: Simplified <-> Traditional through OpenCC. prepare opens the
 * OpenCC handles named by opencc_config or to_script into ctx->convert
 * (LF_ERR_UNSUPPORTED for an unknown config name, LF_ERR_DATA naming the
 * file for a missing config or dictionary); release closes them. */
lf_status lf_convert_run(const lf_context *ctx, const char *in, size_t len,
                         lf_buf *out, lf_report *rep, lf_error *err);
lf_status lf_convert_prepare(lf_context *ctx, lf_error *err);
void lf_convert_release(lf_context *ctx);
/* The largest n <= len at which the valid UTF-8 text s may be cut so that
 * converting s[0..n) and the rest separately equals converting the whole,
 * under any installed OpenCC configuration; 0 when there is none. Why it is
 * safe: OpenCC (1.1) segments greedily by longest dictionary match, then
 * each step of the conversion chain rewrites each segment by greedy longest
 * match. A match can only span the cut if some key holds the character
 * before the cut directly followed by the one after it. n is chosen so that
 * one of the two occurs in no key at all (keys hold only Han characters and
 * lf_opencc_key_extras): no segment or match crosses the cut, and that
 * character is copied unchanged by every step, so later steps see a
 * non-key character at the cut too. The cut also never falls inside what
 * the pass keeps whole (a URL, an open HTML tag). Dictionaries of configs
 * given by path are not covered. */
size_t lf_convert_safe_boundary(const char *s, size_t len);
/* convert_keychars.c (generated by tools/gen_opencc_keychars.py): the
 * characters other than CJK ideographs found in OpenCC dictionary keys. */
extern const uint32_t lf_opencc_key_extras[];
extern const size_t lf_opencc_key_extras_count;

/* strip.c: removes boilerplate lines (text) or extracts the main text (HTML),
 * and fills rep's metadata. prepare initialises libxml2's parser once. */
lf_status lf_strip_run(const lf_context *ctx, const char *in, size_t len,
                       lf_buf *out, lf_report *rep, lf_error *err);
lf_status lf_strip_prepare(lf_context *ctx, lf_error *err);

/* repair.c: the repair pass. prepare loads what its steps keep in the
 * context (ctx->annotations, ctx->repair); release frees it. */
lf_status lf_repair_run(const lf_context *ctx, const char *in, size_t len,
                        lf_buf *out, lf_report *rep, lf_error *err);
lf_status lf_repair_prepare(lf_context *ctx, lf_error *err);
void lf_repair_release(lf_context *ctx);

/* pipeline.c: runs ctx's passes (all but those before first_pass) on one window. */
lf_status lf_pipeline_run(const lf_context *ctx, size_t first_pass, const char *in, size_t len,
                          lf_buf *out, lf_report *rep, lf_error *err);
lf_status lf_pass_prepare(lf_context *ctx, lf_pass pass, lf_error *err);
void lf_pass_release(lf_context *ctx, lf_pass pass);
/* decode.c: LF_ERR_UNSUPPORTED when no ICU converter has that name. */
lf_status lf_decode_check_encoding(const char *name, lf_error *err);

/* result.c: wraps a finished report and text into a public result. */
lf_status lf_result_make(lf_report *rep, lf_buf *text, lf_result **out, lf_error *err);

#endif /* LIBFIX_INTERNAL_H */
