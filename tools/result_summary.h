/*
 * result_summary.h — what batch and JSONL modes keep of a result: the
 * encoding and how many changes of each pass/kind were made.
 */
#ifndef LIBFIX_RESULT_SUMMARY_H
#define LIBFIX_RESULT_SUMMARY_H

#include "libfix.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct kind_total {
    lf_pass pass;
    char *kind; /* owned copy */
    uint64_t count;
} kind_total;

typedef struct result_summary {
    const char *encoding; /* static, from the library */
    double confidence;
    bool truncated;
    kind_total *kinds;
    size_t nkinds;
} result_summary;

/* Fills *s from r. Kinds are found in the listed changes and counted with
 * lf_result_kind_count, so a kind that occurs only past options.max_changes
 * is missed. false (and *s empty) when out of memory. */
bool result_summary_make(const lf_result *r, result_summary *s);

/* Adds count to the total of pass/kind in *kinds[0..*n), appending it when
 * new. false when out of memory. */
bool kind_total_add(kind_total **kinds, size_t *n, lf_pass pass, const char *kind, uint64_t count);

void result_summary_free(result_summary *s);

#endif
