/*
 * cli.h — what every libfix tool shares: reading inputs, writing outputs
 * atomically, refusing to overwrite an original, and the exit codes.
 */
#ifndef LIBFIX_CLI_H
#define LIBFIX_CLI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

/* Exit codes of every tool (documented in each --help). */
enum {
    CLI_OK = 0,        /* every input processed */
    CLI_SOME_FAILED = 1, /* some inputs failed; the others were processed */
    CLI_USAGE = 2,     /* bad command line */
    CLI_ALL_FAILED = 3 /* nothing could be processed */
};

/* Files up to this size are processed whole, so that the strip and
 * annotation passes see the whole page; larger ones and stdin are streamed,
 * which keeps memory flat and is faster on big inputs (no page faults on
 * input-sized buffers: a 58 MB GB18030 file took 243 ms whole and about
 * 170 ms streamed). 1 MiB is the stream's own window, so a page that fits
 * is treated the same either way, and a file gives the same output alone or
 * in a batch. */
#define CLI_WHOLE_FILE_MAX (1024u * 1024)

/* Reads a whole file ("-" is stdin) into a malloc'd buffer. On failure
 * returns NULL and prints "prog: path: reason" to stderr. A regular file
 * larger than max_bytes is refused without a message (NULL, *too_big =
 * true) so the caller can open it again and stream it; a pipe or device
 * that gives more than max_bytes is an error with a message, since what
 * was read from it cannot be read again. */
char *cli_read_file(const char *prog, const char *path, size_t max_bytes, size_t *len, bool *too_big);

/* Whether a tool that streams large inputs should read path whole: a
 * regular file of at most max_bytes, or anything cli_read_file will refuse
 * with a message (a directory, a missing file). Standard input ("-"),
 * pipes, FIFOs, sockets and character devices are read only once, so they
 * are always streamed: reading ahead to learn their size would lose what
 * was read. */
bool cli_reads_whole(const char *path, size_t max_bytes);

/* An output written to a temporary file beside its final name and renamed
 * over it only by cli_out_commit, so a crash or error never leaves a
 * half-written file under the final name. path NULL or "-" means stdout. */
typedef struct cli_out {
    FILE *f;
    char *path;     /* final name, NULL for stdout */
    char *tmp_path; /* temporary name */
} cli_out;

/* Opens an output. Refuses (returns false with a message) when path names
 * the same file as one of inputs[0..ninputs). */
bool cli_out_open(const char *prog, cli_out *o, const char *path, char *const *inputs, size_t ninputs);
/* Flushes, syncs and renames into place. Returns false (with a message) on
 * any write error, and then removes the temporary file. */
bool cli_out_commit(const char *prog, cli_out *o);
/* Removes the temporary file without touching the final name. */
void cli_out_abort(cli_out *o);

/* Writes len bytes to f; false on error (message printed). */
bool cli_write(const char *prog, FILE *f, const char *data, size_t len);

#endif
