/* archive_io.c — libarchive behind the few calls batch needs, with limits. */
#define _GNU_SOURCE
#include "archive_io.h"
#include "member_name.h"

#include <archive.h>
#include <archive_entry.h>
#include <errno.h>
#include <fcntl.h>
#include <glob.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Below this many expanded bytes the ratio is not judged: a few repetitive
 * small files can compress beyond any sane limit without harm, and a bomb
 * has done nothing yet at 1 MiB. */
#define RATIO_FLOOR (1u << 20)

void archive_limits_init(archive_limits *lim)
{
    lim->max_member = 256ull << 20;
    lim->max_total = 4ull << 30;
    lim->max_ratio = 200.0;
}

static bool ends_with(const char *s, const char *suffix)
{
    size_t n = strlen(s), m = strlen(suffix);
    return n > m && strcasecmp(s + n - m, suffix) == 0;
}

bool archive_path_is_archive(const char *path)
{
    static const char *const exts[] = {".tar", ".tar.gz", ".tgz", ".tar.zst", ".zip"};
    for (size_t i = 0; i < sizeof exts / sizeof exts[0]; i++)
        if (ends_with(path, exts[i]))
            return true;
    return false;
}

/* ------------------------------------------------------------------ reading */

struct archive_in {
    struct archive *a;
    archive_limits lim;
    uint64_t expanded; /* bytes of member data read so far */
};

archive_in *archive_in_open(const char *path, const void *data, size_t len, const archive_limits *lim,
                            char *msg, size_t msglen)
{
    archive_in *in = calloc(1, sizeof *in);
    if (!in || !(in->a = archive_read_new())) {
        snprintf(msg, msglen, "out of memory");
        free(in);
        return NULL;
    }
    in->lim = *lim;
    archive_read_support_filter_all(in->a);
    archive_read_support_format_all(in->a);
    int rc = path ? archive_read_open_filename(in->a, path, 1 << 16) : archive_read_open_memory(in->a, data, len);
    if (rc != ARCHIVE_OK) {
        snprintf(msg, msglen, "cannot read archive: %s", archive_error_string(in->a));
        archive_read_free(in->a);
        free(in);
        return NULL;
    }
    return in;
}

/* Archives inside archives are not expanded: each level multiplies what a
 * bomb can do, and a text cleaner has no use for their bytes. */
static bool looks_like_archive(const unsigned char *p, size_t n)
{
    static const struct { const char *magic; size_t len; } sigs[] = {
        {"PK\x03\x04", 4}, {"\x1f\x8b", 2}, {"\x28\xb5\x2f\xfd", 4}, {"BZh", 3},
        {"\xfd" "7zXZ", 5}, {"7z\xbc\xaf\x27\x1c", 6}, {"Rar!", 4},
    };
    for (size_t i = 0; i < sizeof sigs / sizeof sigs[0]; i++)
        if (n >= sigs[i].len && memcmp(p, sigs[i].magic, sigs[i].len) == 0)
            return true;
    return n >= 262 && memcmp(p + 257, "ustar", 5) == 0;
}

static const char *refuse_type(struct archive_entry *e)
{
    /* A hard link's target could be any file, inside the output or not. */
    if (archive_entry_hardlink(e))
        return "hard link not extracted";
    switch (archive_entry_filetype(e)) {
    case AE_IFREG: return NULL;
    case AE_IFLNK: return "symbolic link not extracted";
    case AE_IFCHR:
    case AE_IFBLK: return "device file not extracted";
    case AE_IFIFO: return "FIFO not extracted";
    case AE_IFSOCK: return "socket not extracted";
    default: return "unknown member type not extracted";
    }
}

/* Reads the current member's data under the limits. Returns 1 with m->data
 * set, 0 when this member is refused (m->refused says why), -1 when the
 * archive must stop. */
static int read_data(archive_in *in, archive_member *m, char *msg, size_t msglen)
{
    size_t cap = 1 << 14, n = 0;
    char *buf = malloc(cap);
    for (;;) {
        if (!buf) {
            snprintf(msg, msglen, "out of memory");
            return -1;
        }
        ssize_t got = archive_read_data(in->a, buf + n, cap - n);
        if (got < 0) {
            free(buf);
            snprintf(msg, msglen, "corrupt member data: %s", archive_error_string(in->a));
            return -1;
        }
        if (got == 0)
            break;
        n += (size_t)got;
        in->expanded += (uint64_t)got;
        if (in->expanded > in->lim.max_total) {
            free(buf);
            snprintf(msg, msglen, "archive expands beyond %llu bytes (--max-total-size)",
                     (unsigned long long)in->lim.max_total);
            return -1;
        }
        int64_t packed = archive_filter_bytes(in->a, -1);
        if (in->expanded > RATIO_FLOOR && packed > 0 && (double)in->expanded / (double)packed > in->lim.max_ratio) {
            free(buf);
            snprintf(msg, msglen, "archive expands more than %.0f times its size (--max-ratio)", in->lim.max_ratio);
            return -1;
        }
        if (n > in->lim.max_member) {
            free(buf);
            m->refused = "member larger than --max-member-size";
            return 0;
        }
        if (n == cap) {
            char *p = realloc(buf, cap * 2);
            if (!p)
                free(buf);
            buf = p;
            cap *= 2;
        }
    }
    if (looks_like_archive((unsigned char *)buf, n)) {
        free(buf);
        m->refused = "nested archive not expanded";
        return 0;
    }
    m->data = buf;
    m->size = n;
    return 1;
}

int archive_in_next(archive_in *in, archive_member *m, char *msg, size_t msglen)
{
    memset(m, 0, sizeof *m);
    struct archive_entry *e;
    int rc = archive_read_next_header(in->a, &e);
    if (rc == ARCHIVE_EOF)
        return 0;
    if (rc < ARCHIVE_WARN) {
        snprintf(msg, msglen, "cannot read archive: %s", archive_error_string(in->a));
        return -1;
    }
    /* In the UTF-8 locale batch_run sets, names marked UTF-8 arrive as
     * UTF-8 and unmarked ones as stored (legacy bytes included). */
    const char *name = archive_entry_pathname(e);
    if (!name)
        name = archive_entry_pathname_utf8(e);
    if (!name) {
        name = "";
        m->refused = "unreadable member name";
    }
    m->raw_name = name;
    m->raw_len = strlen(name);
    m->mtime = archive_entry_mtime(e);
    if (archive_entry_filetype(e) == AE_IFDIR) {
        m->is_dir = true;
        return 1;
    }
    if (!m->refused)
        m->refused = refuse_type(e);
    if (m->refused)
        return 1;
    rc = read_data(in, m, msg, msglen);
    return rc < 0 ? -1 : 1;
}

void archive_in_close(archive_in *in)
{
    if (in) {
        archive_read_free(in->a);
        free(in);
    }
}

/* ------------------------------------------------------------------ writing */

struct archive_out {
    struct archive *a;
    char *path, *tmp_path;
    int fd;
};

static bool set_format(struct archive *a, const char *path)
{
    if (ends_with(path, ".zip"))
        return archive_write_set_format_zip(a) == ARCHIVE_OK &&
               archive_write_set_options(a, "zip:hdrcharset=UTF-8") == ARCHIVE_OK;
    if (archive_write_set_format_pax_restricted(a) != ARCHIVE_OK)
        return false;
    if (ends_with(path, ".tar.gz") || ends_with(path, ".tgz"))
        return archive_write_add_filter_gzip(a) == ARCHIVE_OK;
    if (ends_with(path, ".tar.zst"))
        return archive_write_add_filter_zstd(a) == ARCHIVE_OK;
    return ends_with(path, ".tar");
}

/* Removes the temporary twins a killed run left beside path. */
static void remove_stale_twins(const char *tmp_pattern)
{
    char *pattern = strdup(tmp_pattern);
    if (!pattern)
        return;
    strcpy(pattern + strlen(pattern) - 6, "??????");
    glob_t g;
    if (glob(pattern, GLOB_NOSORT, NULL, &g) == 0) {
        for (size_t i = 0; i < g.gl_pathc; i++)
            unlink(g.gl_pathv[i]);
        globfree(&g);
    }
    free(pattern);
}

archive_out *archive_out_open(const char *path, char *msg, size_t msglen)
{
    archive_out *o = calloc(1, sizeof *o);
    if (!o || !(o->path = strdup(path)) || asprintf(&o->tmp_path, "%s" BATCH_TMP_MARK "XXXXXX", path) < 0 ||
        !(o->a = archive_write_new())) {
        snprintf(msg, msglen, "out of memory");
        if (o)
            free(o->path);
        free(o);
        return NULL;
    }
    o->fd = -1;
    if (!set_format(o->a, path)) {
        snprintf(msg, msglen, "%s: unsupported archive type (.tar, .tar.gz, .tar.zst, .zip): %s", path,
                 archive_error_string(o->a) ? archive_error_string(o->a) : "unknown extension");
        archive_out_abort(o);
        return NULL;
    }
    remove_stale_twins(o->tmp_path);
    o->fd = mkstemp(o->tmp_path);
    if (o->fd < 0) {
        snprintf(msg, msglen, "cannot create %s: %s", o->tmp_path, strerror(errno));
        free(o->tmp_path);
        o->tmp_path = NULL;
        archive_out_abort(o);
        return NULL;
    }
    mode_t mask = umask(0);
    umask(mask);
    fchmod(o->fd, 0666 & ~mask);
    if (archive_write_open_fd(o->a, o->fd) != ARCHIVE_OK) {
        snprintf(msg, msglen, "cannot write %s: %s", path, archive_error_string(o->a));
        archive_out_abort(o);
        return NULL;
    }
    return o;
}

bool archive_out_add(archive_out *o, const char *name, const void *data, size_t len, time_t mtime, char *msg,
                     size_t msglen)
{
    struct archive_entry *e = archive_entry_new();
    if (!e) {
        snprintf(msg, msglen, "out of memory");
        return false;
    }
    archive_entry_set_pathname_utf8(e, name);
    archive_entry_set_filetype(e, AE_IFREG);
    archive_entry_set_perm(e, 0644);
    archive_entry_set_size(e, (la_int64_t)len);
    archive_entry_set_mtime(e, mtime, 0);
    bool ok = archive_write_header(o->a, e) >= ARCHIVE_WARN &&
              (len == 0 || archive_write_data(o->a, data, len) == (la_ssize_t)len);
    if (!ok)
        snprintf(msg, msglen, "cannot add %s to %s: %s", name, o->path, archive_error_string(o->a));
    archive_entry_free(e);
    return ok;
}

bool archive_out_commit(archive_out *o, char *msg, size_t msglen)
{
    bool ok = archive_write_close(o->a) == ARCHIVE_OK;
    if (!ok)
        snprintf(msg, msglen, "cannot write %s: %s", o->path, archive_error_string(o->a));
    if (ok && (fsync(o->fd) != 0 || close(o->fd) != 0)) {
        snprintf(msg, msglen, "cannot write %s: %s", o->path, strerror(errno));
        ok = false;
    }
    o->fd = -1;
    if (ok && rename(o->tmp_path, o->path) != 0) {
        snprintf(msg, msglen, "cannot rename %s to %s: %s", o->tmp_path, o->path, strerror(errno));
        ok = false;
    }
    if (ok) {
        free(o->tmp_path);
        o->tmp_path = NULL;
    }
    archive_out_abort(o);
    return ok;
}

void archive_out_abort(archive_out *o)
{
    if (!o)
        return;
    if (o->a)
        archive_write_free(o->a);
    if (o->fd >= 0)
        close(o->fd);
    if (o->tmp_path)
        unlink(o->tmp_path);
    free(o->tmp_path);
    free(o->path);
    free(o);
}
