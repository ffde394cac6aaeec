/* cli.c — reading inputs and writing outputs safely, for every tool. */
#define _GNU_SOURCE
#include "cli.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

char *cli_read_file(const char *prog, const char *path, size_t max_bytes, size_t *len, bool *too_big)
{
    bool is_stdin = strcmp(path, "-") == 0;
    FILE *f = is_stdin ? stdin : fopen(path, "rb");
    *too_big = false;
    if (!f) {
        fprintf(stderr, "%s: %s: %s\n", prog, path, strerror(errno));
        return NULL;
    }
    struct stat st;
    bool regular = false;
    if (fstat(fileno(f), &st) == 0) {
        regular = S_ISREG(st.st_mode);
    } else {
        st.st_mode = 0;
    }
    if (S_ISDIR(st.st_mode)) {
        fprintf(stderr, "%s: %s: is a directory\n", prog, path);
        if (!is_stdin)
            fclose(f);
        return NULL;
    }
    if (!is_stdin && regular && (size_t)st.st_size > max_bytes) {
        *too_big = true;
        fclose(f);
        return NULL;
    }
    /* A regular file is read into one buffer of its size; a pipe grows one. */
    size_t cap = 1 << 16, n = 0;
    if (!is_stdin && regular && st.st_size > 0)
        cap = (size_t)st.st_size + 1; /* + 1 so that reaching the end needs no growth */
    char *buf = malloc(cap + 1);
    while (buf) {
        size_t got = fread(buf + n, 1, cap - n, f);
        n += got;
        if (got == 0)
            break;
        if (n == cap) {
            char *p = cap > max_bytes ? NULL : realloc(buf, cap * 2 + 1);
            if (!p) {
                /* A regular file that grew can be opened again and
                 * streamed; what was read from a pipe is gone. */
                if (cap > max_bytes && regular)
                    *too_big = true;
                else if (cap > max_bytes)
                    fprintf(stderr, "%s: %s: more than %zu bytes from a pipe or device\n", prog, path, max_bytes);
                free(buf);
                buf = NULL;
                break;
            }
            buf = p;
            cap *= 2;
        }
    }
    if (buf && ferror(f)) {
        fprintf(stderr, "%s: %s: read error: %s\n", prog, path, strerror(errno));
        free(buf);
        buf = NULL;
    } else if (!buf && !*too_big && cap <= max_bytes) {
        fprintf(stderr, "%s: %s: out of memory\n", prog, path);
    }
    if (!is_stdin)
        fclose(f);
    if (buf) {
        buf[n] = '\0';
        *len = n;
    }
    return buf;
}

bool cli_reads_whole(const char *path, size_t max_bytes)
{
    struct stat st;
    if (strcmp(path, "-") == 0)
        return false;
    if (stat(path, &st) != 0)
        return true; /* cli_read_file says why it cannot be read */
    if (S_ISFIFO(st.st_mode) || S_ISCHR(st.st_mode) || S_ISSOCK(st.st_mode))
        return false;
    return !S_ISREG(st.st_mode) || (size_t)st.st_size <= max_bytes;
}

static bool same_file(const char *a, const char *b)
{
    struct stat sa, sb;
    return stat(a, &sa) == 0 && stat(b, &sb) == 0 && sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino;
}

bool cli_out_open(const char *prog, cli_out *o, const char *path, char *const *inputs, size_t ninputs)
{
    memset(o, 0, sizeof *o);
    if (!path || strcmp(path, "-") == 0) {
        o->f = stdout;
        return true;
    }
    for (size_t i = 0; i < ninputs; i++) {
        if (strcmp(inputs[i], "-") != 0 && same_file(path, inputs[i])) {
            fprintf(stderr, "%s: refusing to overwrite input file %s\n", prog, path);
            return false;
        }
    }
    o->path = strdup(path);
    if (!o->path || asprintf(&o->tmp_path, "%s.tmp.XXXXXX", path) < 0) {
        fprintf(stderr, "%s: out of memory\n", prog);
        free(o->path);
        o->path = NULL;
        return false;
    }
    int fd = mkstemp(o->tmp_path);
    if (fd < 0 || !(o->f = fdopen(fd, "wb"))) {
        fprintf(stderr, "%s: cannot create %s: %s\n", prog, o->tmp_path, strerror(errno));
        if (fd >= 0) {
            close(fd);
            unlink(o->tmp_path);
        }
        free(o->path);
        free(o->tmp_path);
        memset(o, 0, sizeof *o);
        return false;
    }
    /* A new file gets the usual permissions, not mkstemp's 0600. */
    mode_t mask = umask(0);
    umask(mask);
    fchmod(fd, 0666 & ~mask);
    return true;
}

void cli_out_abort(cli_out *o)
{
    if (o->path) {
        if (o->f)
            fclose(o->f);
        unlink(o->tmp_path);
        free(o->path);
        free(o->tmp_path);
    }
    memset(o, 0, sizeof *o);
}

bool cli_out_commit(const char *prog, cli_out *o)
{
    if (!o->path) {
        if (fflush(o->f) != 0) {
            fprintf(stderr, "%s: write error on standard output: %s\n", prog, strerror(errno));
            return false;
        }
        return true;
    }
    bool ok = fflush(o->f) == 0 && fsync(fileno(o->f)) == 0;
    int saved = errno;
    ok = (fclose(o->f) == 0) && ok;
    o->f = NULL;
    if (ok && rename(o->tmp_path, o->path) != 0) {
        saved = errno;
        ok = false;
    }
    if (!ok) {
        fprintf(stderr, "%s: cannot write %s: %s\n", prog, o->path, strerror(saved ? saved : errno));
        unlink(o->tmp_path);
    }
    free(o->path);
    free(o->tmp_path);
    memset(o, 0, sizeof *o);
    return ok;
}

bool cli_write(const char *prog, FILE *f, const char *data, size_t len)
{
    if (len && fwrite(data, 1, len, f) != len) {
        fprintf(stderr, "%s: write error: %s\n", prog, strerror(errno));
        return false;
    }
    return true;
}
