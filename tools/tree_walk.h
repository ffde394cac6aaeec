/*
 * tree_walk.h — the files under an input directory, for batch.
 */
#ifndef LIBFIX_TREE_WALK_H
#define LIBFIX_TREE_WALK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

/* A file found by the directory walk: its name relative to the root. */
typedef struct found {
    char *rel;
    size_t size;
    int64_t mtime_ns;
    const char *refused;
} found;

typedef struct walk {
    found *v;
    size_t n, cap;
    dev_t skip_dev; /* the output directory, when it lies inside the input */
    ino_t skip_ino;
    const char *backup_suffix;
} walk;

/* Lists every file under root, sorted by relative path. Symbolic links are
 * not followed and special files not read: they are listed with a refusal.
 * Directories matching w->skip_dev/skip_ino (the output directory inside the
 * input), batch's own files and names ending in w->backup_suffix are left
 * out. false with a message (and w emptied) on failure. */
bool tree_walk(walk *w, const char *root, char *msg, size_t msglen);
void tree_walk_free(walk *w);

#endif
