/*
 * jsonl.h — fixtext's JSON Lines mode, for ingestion jobs.
 *
 * One JSON object per line in, one per line out, in the same order, with no
 * state carried from one line to the next: the contract of a Hadoop
 * Streaming mapper and of Spark's RDD.pipe. The field named by --field is
 * cleaned and replaced (or written to --out-field), and a "libfix" object
 * with the report summary is added; every other field is kept.
 */
#ifndef LIBFIX_JSONL_H
#define LIBFIX_JSONL_H

#include "libfix.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

typedef struct jsonl_settings {
    bool on;               /* --jsonl */
    const char *field;     /* --field: the text to clean (default "text") */
    const char *out_field; /* --out-field: where the cleaned text goes (default: field) */
} jsonl_settings;

/* Checks the settings; returns NULL or a usage message. The field names
 * must differ from "libfix", the member this mode adds. */
const char *jsonl_settings_check(const jsonl_settings *js);

typedef enum jsonl_outcome {
    JSONL_FIXED,     /* the field was cleaned */
    JSONL_NOT_FIXED, /* an object, but the field is missing, not a string, or could not be cleaned: libfix.error says why */
    JSONL_MALFORMED  /* not a JSON object: passed through byte for byte */
} jsonl_outcome;

/* Cleans one line (without its newline). On return *out (malloc'd, caller
 * frees; NULL only when out of memory) holds the line to write, without a
 * newline, and *why a message for NOT_FIXED and MALFORMED (in a buffer of
 * whylen bytes). */
jsonl_outcome jsonl_fix_line(const lf_context *ctx, const jsonl_settings *js, const char *line, size_t len,
                             char **out, size_t *outlen, char *why, size_t whylen);

/* Runs the mode from in to out. Messages for malformed lines go to stderr as
 * "prog: name:LINE: ..." (unless quiet). Returns the exit status: CLI_OK,
 * CLI_SOME_FAILED when some line was not cleaned, CLI_ALL_FAILED when none
 * was or on a read or write error. */
int jsonl_run(const jsonl_settings *js, const lf_context *ctx, FILE *in, const char *name, FILE *out,
              const char *prog, bool quiet);

#endif
