/*
 * batch_summary.h — what a batch remembers of each file, and how it is
 * shown: the progress line, the end-of-run table and the JSON report.
 */
#ifndef LIBFIX_BATCH_SUMMARY_H
#define LIBFIX_BATCH_SUMMARY_H

#include "result_summary.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <time.h>

typedef enum file_status {
    FILE_PENDING = 0, /* not reached (an interrupted or aborted run) */
    FILE_DONE,
    FILE_SKIPPED,     /* finished by an earlier run, per the manifest */
    FILE_FAILED,
    FILE_REFUSED      /* unsafe or unsupported input, never read */
} file_status;

typedef struct file_outcome {
    char *path;              /* output-relative UTF-8 path (or the raw name, escaped, when refused) */
    file_status status;
    char *reason;            /* for FAILED and REFUSED */
    const char *name_encoding; /* the encoding a legacy name was decoded from, else NULL */
    double name_confidence;
    uint64_t bytes_in, bytes_out;
    result_summary summary;  /* empty unless DONE */
} file_outcome;

void file_outcome_free(file_outcome *o);

typedef struct progress {
    size_t files_done, files_total;   /* total 0 when unknown (archive input) */
    uint64_t bytes_done, bytes_total;
    struct timespec start;
} progress;

/* Redraws the progress line on f (a terminal): files, bytes, rate, ETA. */
void progress_draw(FILE *f, const progress *p);

/* Prints the end-of-run table on f. */
void batch_summary_print(FILE *f, const file_outcome *o, size_t n, double seconds);

/* Writes the per-file JSON report to path atomically. false with a message. */
bool batch_report_write(const char *prog, const char *path, const file_outcome *o, size_t n);

#endif
