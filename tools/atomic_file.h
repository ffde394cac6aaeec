/*
 * atomic_file.h — how batch writes a file: to a temporary name in the final
 * directory, renamed into place only when complete, so that no crash, kill
 * or full disk ever leaves a partial file under a final name.
 */
#ifndef LIBFIX_ATOMIC_FILE_H
#define LIBFIX_ATOMIC_FILE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* An output under construction: a temporary file (".NAME" BATCH_TMP_MARK
 * "XXXXXX") in the final directory, and the hash of what was written. On
 * failure, err holds the errno value. */
typedef struct tmp_out {
    int fd;
    char *tmp;
    uint64_t hash;
    bool failed;
    int err;
} tmp_out;

/* Creates the temporary twin of final (which must contain a '/'). false
 * with t->err set on failure. */
bool tmp_out_open(tmp_out *t, const char *final);
/* Writes len bytes; 0, or -1 once a write failed (t->err says why). Its
 * shape is lf_write_fn's, so a stream can write here directly. */
int tmp_out_write(void *t, const char *data, size_t len);
/* Removes the temporary file. */
void tmp_out_abort(tmp_out *t);
/* Syncs (unless sync is false) and renames into place. Returns NULL or the
 * reason it failed, and then the temporary file is gone. */
const char *tmp_out_commit(tmp_out *t, const char *final, bool sync);

/* Writes root "/" path into full (which must hold both) and creates the
 * directories above it, refusing to go through a symbolic link (which could
 * lead out of root). NULL or the reason it failed. */
const char *atomic_make_parents(const char *root, const char *path, char *full);

/* Keeps the original of an in-place replacement as final+suffix (a hard
 * link). A backup left by an earlier run is kept only when it holds the same
 * bytes. NULL or the reason it failed. */
const char *atomic_backup(const char *final, const char *suffix);

/* Removes, under dir recursively, the temporary files a killed run left. */
void atomic_remove_stale(const char *dir);

#endif
