/*
 * manifest.h — the record that lets an interrupted batch resume.
 *
 * The manifest is a text file in the output directory (BATCH_MANIFEST): a
 * header line naming the settings that shape the output, then one line per
 * finished file, appended only after that file's output was renamed into
 * place: input size, mtime and hash, output hash, path. A run whose settings
 * differ starts the manifest afresh. A line cut short by a crash is ignored
 * (that file is simply done again), so the file needs no locking beyond the
 * caller's mutex and no repair.
 */
#ifndef LIBFIX_MANIFEST_H
#define LIBFIX_MANIFEST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

typedef struct manifest_entry {
    uint64_t in_size;
    int64_t in_mtime_ns;
    uint64_t in_hash, out_hash;
} manifest_entry;

typedef struct manifest manifest;

/* A 64-bit FNV-1a hash. It detects changed files, nothing more: it is not a
 * defence against someone crafting collisions. */
uint64_t manifest_hash(const void *data, size_t len);
/* The same hash computed piecewise: h = MANIFEST_HASH_INIT, then
 * h = manifest_hash_more(h, piece, n) for each piece in order. */
#define MANIFEST_HASH_INIT 0xcbf29ce484222325ull
uint64_t manifest_hash_more(uint64_t h, const void *data, size_t len);

/* Hashes a whole file into *h; false when it cannot be read. */
bool manifest_hash_file(const char *path, uint64_t *h);

/* Opens (creating when needed) the manifest at path for settings (a string
 * that changes whenever the output would). Entries of an earlier run with the
 * same settings are loaded. *resumed tells whether any were. NULL with a
 * message in msg on error. */
manifest *manifest_open(const char *path, const char *settings, bool *resumed, char *msg, size_t msglen);
/* The entry recorded for path, or NULL. */
const manifest_entry *manifest_find(const manifest *m, const char *path);
/* Appends and flushes a finished file's line. false on a write error. */
bool manifest_add(manifest *m, const char *path, const manifest_entry *e);
void manifest_close(manifest *m);

#endif
