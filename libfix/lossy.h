/*
 * lossy.h — finding damage that lost information (see lossy.c).
 */
#ifndef LIBFIX_LOSSY_H
#define LIBFIX_LOSSY_H

#include "internal.h"

#include <stdlib.h>

enum lf_lossy_kind {
    LF_LOSSY_REPLACEMENT, /* a run of U+FFFD */
    LF_LOSSY_KUNJINKAO,   /* a run of "锟斤拷" */
    LF_LOSSY_QUESTION,    /* a run of '?' between CJK characters */
    LF_LOSSY_TRUNCATED,   /* the cut-off end of a damaged span */
};

typedef struct lf_lossy_span {
    size_t start, end; /* bytes of the line */
    enum lf_lossy_kind kind;
    size_t count;      /* characters lost, as far as can be told */
    double confidence;
} lf_lossy_span;

typedef struct lf_lossy_spans {
    lf_lossy_span *v;
    size_t n, cap;
} lf_lossy_spans;

/* Appends the lossy spans of line[0..len) (valid UTF-8) to *out, in order.
 * Returns false on allocation failure (*out keeps what it had; the caller
 * frees out->v). */
bool lf_lossy_scan(const char *line, size_t len, lf_lossy_spans *out);

/* A static note for the report. */
const char *lf_lossy_note(enum lf_lossy_kind kind);

#endif /* LIBFIX_LOSSY_H */
