/*
 * batch.h — fixtext's batch mode: a directory tree or an archive in, a
 * directory tree or an archive out (or the inputs replaced in place), with
 * worker threads sharing one context, resume after interruption, progress,
 * a summary and a per-file JSON report.
 */
#ifndef LIBFIX_BATCH_H
#define LIBFIX_BATCH_H

#include "archive_io.h"
#include "libfix.h"

#include <stdbool.h>

typedef struct batch_settings {
    const char *input;         /* --input-dir: a directory or an archive; NULL: no batch mode */
    const char *output;        /* --output-dir: a directory or an archive name */
    bool in_place;             /* --in-place: replace the inputs (directory input only) */
    const char *backup_suffix; /* --backup-suffix: keep each original under name+suffix */
    int jobs;                  /* -j: worker threads; 0 means the number of cores */
    bool no_fsync;             /* --no-fsync: rename without syncing each output first */
    archive_limits limits;     /* --max-member-size, --max-total-size, --max-ratio */
} batch_settings;

/* Fills the defaults: no batch, jobs 0, archive_limits_init. */
void batch_settings_init(batch_settings *bs);

/* Checks the combination of options; returns NULL or a usage message. */
const char *batch_settings_check(const batch_settings *bs);

/* Runs a batch with ctx (made from *opt, which also names the settings that
 * the resume manifest must match). Messages go to stderr as "prog: ...";
 * quiet leaves only errors. report, when not NULL, receives the per-file
 * JSON report. Returns the exit status (CLI_OK, CLI_SOME_FAILED,
 * CLI_ALL_FAILED; CLI_USAGE when the output directory is, or holds, the
 * input directory). */
int batch_run(const batch_settings *bs, const lf_options *opt, const lf_context *ctx, const char *report,
              bool quiet, const char *prog);

#endif
