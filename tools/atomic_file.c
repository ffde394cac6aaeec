/* atomic_file.c — temporary files renamed into place, parents, backups. */
#define _GNU_SOURCE
#include "atomic_file.h"
#include "cli.h"
#include "manifest.h"
#include "member_name.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Backups are compared whole; files this large are not compared. */
#define COMPARE_MAX (64u * 1024 * 1024)

const char *atomic_make_parents(const char *root, const char *path, char *full)
{
    size_t rlen = strlen(root);
    memcpy(full, root, rlen);
    full[rlen] = '/';
    strcpy(full + rlen + 1, path);
    for (char *p = full + rlen + 1; (p = strchr(p, '/')); p++) {
        *p = '\0';
        struct stat st;
        if (lstat(full, &st) != 0) {
            if (mkdir(full, 0777) != 0 && errno != EEXIST) {
                *p = '/';
                return strerror(errno);
            }
        } else if (!S_ISDIR(st.st_mode)) {
            *p = '/';
            return S_ISLNK(st.st_mode) ? "a directory on the path is a symbolic link" : "a file is in the way of a directory";
        }
        *p = '/';
    }
    return NULL;
}


bool tmp_out_open(tmp_out *t, const char *final)
{
    const char *slash = strrchr(final, '/');
    int dlen = (int)(slash - final);
    t->hash = MANIFEST_HASH_INIT;
    t->failed = false;
    if (asprintf(&t->tmp, "%.*s/.%s" BATCH_TMP_MARK "XXXXXX", dlen, final, slash + 1) < 0) {
        t->tmp = NULL;
        t->err = ENOMEM;
        return false;
    }
    t->fd = mkstemp(t->tmp);
    if (t->fd < 0) {
        t->err = errno;
        free(t->tmp);
        t->tmp = NULL;
        return false;
    }
    mode_t mask = umask(0);
    umask(mask);
    fchmod(t->fd, 0666 & ~mask);
    return true;
}

int tmp_out_write(void *user, const char *data, size_t len)
{
    tmp_out *t = user;
    t->hash = manifest_hash_more(t->hash, data, len);
    while (len && !t->failed) {
        ssize_t n = write(t->fd, data, len);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0) {
            t->failed = true;
            t->err = n < 0 ? errno : ENOSPC;
            break;
        }
        data += n;
        len -= (size_t)n;
    }
    return t->failed ? -1 : 0;
}

void tmp_out_abort(tmp_out *t)
{
    if (t->tmp) {
        close(t->fd);
        unlink(t->tmp);
        free(t->tmp);
        t->tmp = NULL;
    }
}

const char *tmp_out_commit(tmp_out *t, const char *final, bool sync)
{
    if (!t->failed && ((sync && fsync(t->fd) != 0) || close(t->fd) != 0)) {
        t->failed = true;
        t->err = errno;
        t->fd = -1;
    }
    if (!t->failed && rename(t->tmp, final) != 0) {
        t->failed = true;
        t->err = errno;
    }
    if (t->failed) {
        if (t->fd >= 0)
            close(t->fd);
        unlink(t->tmp);
    }
    free(t->tmp);
    t->tmp = NULL;
    return t->failed ? strerror(t->err) : NULL;
}

static bool same_contents(const char *a, const char *b)
{
    size_t la, lb;
    bool big;
    char *da = cli_read_file("fixtext", a, COMPARE_MAX, &la, &big);
    char *db = da ? cli_read_file("fixtext", b, COMPARE_MAX, &lb, &big) : NULL;
    bool same = da && db && la == lb && memcmp(da, db, la) == 0;
    free(da);
    free(db);
    return same;
}

const char *atomic_backup(const char *final, const char *suffix)
{
    char *bak;
    if (asprintf(&bak, "%s%s", final, suffix) < 0)
        return "out of memory";
    const char *why = NULL;
    if (link(final, bak) != 0)
        why = errno != EEXIST ? strerror(errno)
              : same_contents(final, bak) ? NULL
                                          : "backup file exists and differs from the original";
    free(bak);
    return why;
}

void atomic_remove_stale(const char *dir)
{
    DIR *d = opendir(dir);
    if (!d)
        return;
    struct dirent *de;
    while ((de = readdir(d))) {
        if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
            continue;
        char *full;
        if (asprintf(&full, "%s/%s", dir, de->d_name) < 0)
            break;
        struct stat st;
        if (lstat(full, &st) == 0) {
            if (S_ISDIR(st.st_mode))
                atomic_remove_stale(full);
            else if (S_ISREG(st.st_mode) && strstr(de->d_name, BATCH_TMP_MARK))
                unlink(full);
        }
        free(full);
    }
    closedir(d);
}
