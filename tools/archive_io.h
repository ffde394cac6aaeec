/*
 * archive_io.h — batch inputs and outputs that are archives (tar, tar.gz,
 * tar.zst, zip, through libarchive), read with limits against hostile files.
 *
 * Reading hands out one member at a time, in archive order. Only regular
 * files carry data; links, devices and nested archives are refused with a
 * reason, and expansion is capped (member size, total size, ratio of
 * expanded to compressed bytes) so a zip bomb stops early. Writing goes to a
 * temporary file beside the final name, renamed into place by
 * archive_out_commit, so an interrupted run never leaves a partial archive.
 */
#ifndef LIBFIX_ARCHIVE_IO_H
#define LIBFIX_ARCHIVE_IO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

typedef struct archive_limits {
    uint64_t max_member; /* bytes one member may expand to */
    uint64_t max_total;  /* bytes the whole archive may expand to */
    double max_ratio;    /* expanded / compressed bytes, checked past the first MiB */
} archive_limits;

/* The defaults: 256 MiB per member, 4 GiB in all, ratio 200. */
void archive_limits_init(archive_limits *lim);

/* Whether a path names an archive by its extension (.tar, .tar.gz, .tgz,
 * .tar.zst, .zip). */
bool archive_path_is_archive(const char *path);

typedef struct archive_in archive_in;

typedef struct archive_member {
    const char *raw_name; /* bytes as stored; valid until the next call */
    size_t raw_len;
    const char *refused;  /* NULL for a readable regular file, else why it is skipped */
    bool is_dir;          /* directories are skipped silently */
    char *data;           /* malloc'd contents (caller frees), NULL when refused */
    size_t size;
    time_t mtime;
} archive_member;

/* Opens path for reading (from memory when path is NULL: data[0..len),
 * which must outlive the reader). Returns NULL with a message in msg. */
archive_in *archive_in_open(const char *path, const void *data, size_t len, const archive_limits *lim,
                            char *msg, size_t msglen);
/* Reads the next member: 1 with *m filled, 0 at the end, -1 when the archive
 * cannot be read further (corrupt, or a total limit was crossed; msg says). */
int archive_in_next(archive_in *in, archive_member *m, char *msg, size_t msglen);
void archive_in_close(archive_in *in);

typedef struct archive_out archive_out;

/* Creates path's temporary twin and picks the format from the extension.
 * Returns NULL with a message in msg. */
archive_out *archive_out_open(const char *path, char *msg, size_t msglen);
/* Adds a regular file under the UTF-8 name. false with a message on error. */
bool archive_out_add(archive_out *o, const char *name, const void *data, size_t len, time_t mtime,
                     char *msg, size_t msglen);
/* Finishes, syncs and renames into place; frees o. false with a message on
 * error, and then nothing is left under either name. */
bool archive_out_commit(archive_out *o, char *msg, size_t msglen);
/* Removes the temporary file; frees o. NULL is allowed. */
void archive_out_abort(archive_out *o);

#endif
