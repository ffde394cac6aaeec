/* tree_walk.c — listing a directory tree for batch. */
#define _GNU_SOURCE
#include "tree_walk.h"
#include "member_name.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static bool walk_add(walk *w, char *rel, const struct stat *st, const char *refused)
{
    if (w->n == w->cap) {
        size_t cap = w->cap ? w->cap * 2 : 1024;
        found *v = realloc(w->v, cap * sizeof *v);
        if (!v) {
            free(rel);
            return false;
        }
        w->v = v;
        w->cap = cap;
    }
    w->v[w->n++] = (found){rel, (size_t)st->st_size,
                           (int64_t)st->st_mtim.tv_sec * 1000000000 + st->st_mtim.tv_nsec, refused};
    return true;
}

static bool has_suffix(const char *s, const char *suffix)
{
    size_t n = strlen(s), m = strlen(suffix);
    return n > m && strcmp(s + n - m, suffix) == 0;
}

/* Lists root/rel recursively. Symbolic links are not followed: the batch
 * covers the tree as it is, and a link could lead anywhere. */
static bool walk_dir(walk *w, const char *root, const char *rel, char *msg, size_t msglen)
{
    char *dirpath;
    if (asprintf(&dirpath, "%s%s%s", root, *rel ? "/" : "", rel) < 0)
        return false;
    DIR *d = opendir(dirpath);
    if (!d && *rel) {
        /* One unreadable directory fails its files, not the whole batch. */
        free(dirpath);
        char *copy = strdup(rel);
        return copy && walk_add(w, copy, &(struct stat){0}, "directory cannot be read");
    }
    if (!d) {
        snprintf(msg, msglen, "%s: %s", dirpath, strerror(errno));
        free(dirpath);
        return false;
    }
    bool ok = true;
    struct dirent *de;
    while (ok && (de = readdir(d))) {
        if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
            continue;
        char *sub, *full;
        if (asprintf(&sub, "%s%s%s", rel, *rel ? "/" : "", de->d_name) < 0)
            return closedir(d), free(dirpath), false;
        if (asprintf(&full, "%s/%s", root, sub) < 0)
            return free(sub), closedir(d), free(dirpath), false;
        struct stat st;
        if (lstat(full, &st) != 0) {
            ok = walk_add(w, sub, &(struct stat){0}, "cannot stat");
        } else if (S_ISDIR(st.st_mode)) {
            if (!(st.st_dev == w->skip_dev && st.st_ino == w->skip_ino))
                ok = walk_dir(w, root, sub, msg, msglen);
            free(sub);
        } else if (member_name_is_reserved(sub) || (w->backup_suffix && has_suffix(sub, w->backup_suffix))) {
            free(sub);
        } else {
            ok = walk_add(w, sub, &st,
                          S_ISREG(st.st_mode) ? NULL
                          : S_ISLNK(st.st_mode) ? "symbolic link not followed"
                                                : "not a regular file");
        }
        free(full);
    }
    closedir(d);
    free(dirpath);
    return ok;
}

static int by_name(const void *a, const void *b)
{
    return strcmp(((const found *)a)->rel, ((const found *)b)->rel);
}

bool tree_walk(walk *w, const char *root, char *msg, size_t msglen)
{
    if (!walk_dir(w, root, "", msg, msglen)) {
        if (!msg[0])
            snprintf(msg, msglen, "out of memory");
        tree_walk_free(w);
        return false;
    }
    if (w->n)
        qsort(w->v, w->n, sizeof *w->v, by_name);
    return true;
}

void tree_walk_free(walk *w)
{
    for (size_t i = 0; i < w->n; i++)
        free(w->v[i].rel);
    free(w->v);
    w->v = NULL;
    w->n = w->cap = 0;
}
