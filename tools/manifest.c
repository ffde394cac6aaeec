/* manifest.c — the resume manifest: load, look up, append. */
#define _GNU_SOURCE
#include "manifest.h"

#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define MANIFEST_MAGIC "fixtext-manifest 1"

typedef struct slot {
    char *path;
    manifest_entry e;
} slot;

/* An open-addressing table keyed by path; later lines win. */
struct manifest {
    FILE *f;
    slot *slots;
    size_t nslots, used;
};

uint64_t manifest_hash_more(uint64_t h, const void *data, size_t len)
{
    const unsigned char *p = data;
    for (size_t i = 0; i < len; i++)
        h = (h ^ p[i]) * 0x100000001b3ull;
    return h;
}

uint64_t manifest_hash(const void *data, size_t len)
{
    return manifest_hash_more(MANIFEST_HASH_INIT, data, len);
}

bool manifest_hash_file(const char *path, uint64_t *h)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return false;
    char buf[1 << 16];
    size_t n;
    *h = MANIFEST_HASH_INIT;
    while ((n = fread(buf, 1, sizeof buf, f)) > 0)
        *h = manifest_hash_more(*h, buf, n);
    bool ok = !ferror(f);
    fclose(f);
    return ok;
}

static slot *find_slot(slot *slots, size_t nslots, const char *path)
{
    size_t i = manifest_hash(path, strlen(path)) & (nslots - 1);
    while (slots[i].path && strcmp(slots[i].path, path) != 0)
        i = (i + 1) & (nslots - 1);
    return &slots[i];
}

static bool grow(manifest *m)
{
    size_t n = m->nslots ? m->nslots * 2 : 1024;
    slot *s = calloc(n, sizeof *s);
    if (!s)
        return false;
    for (size_t i = 0; i < m->nslots; i++)
        if (m->slots[i].path)
            *find_slot(s, n, m->slots[i].path) = m->slots[i];
    free(m->slots);
    m->slots = s;
    m->nslots = n;
    return true;
}

static bool put(manifest *m, const char *path, const manifest_entry *e)
{
    if ((m->used + 1) * 2 > m->nslots && !grow(m))
        return false;
    slot *s = find_slot(m->slots, m->nslots, path);
    if (!s->path) {
        if (!(s->path = strdup(path)))
            return false;
        m->used++;
    }
    s->e = *e;
    return true;
}

const manifest_entry *manifest_find(const manifest *m, const char *path)
{
    if (!m->nslots)
        return NULL;
    const slot *s = find_slot(m->slots, m->nslots, path);
    return s->path ? &s->e : NULL;
}

/* Paths are stored with \, tab, CR and LF escaped, so one line is one entry. */
static void write_escaped(FILE *f, const char *s)
{
    for (; *s; s++) {
        if (*s == '\\' || *s == '\t' || *s == '\n' || *s == '\r')
            fprintf(f, "\\%02x", (unsigned char)*s);
        else
            fputc(*s, f);
    }
}

static bool unescape(char *s)
{
    char *w = s;
    for (char *r = s; *r; r++) {
        if (*r != '\\') {
            *w++ = *r;
            continue;
        }
        unsigned v;
        if (sscanf(r + 1, "%2x", &v) != 1 || !r[1] || !r[2])
            return false;
        *w++ = (char)v;
        r += 2;
    }
    *w = '\0';
    return true;
}

/* Parses "size\tmtime\tinhash\touthash\tpath\n"; false for a torn line. */
static bool parse_line(char *line, manifest_entry *e, char **path)
{
    size_t n = strlen(line);
    if (n == 0 || line[n - 1] != '\n')
        return false;
    line[n - 1] = '\0';
    int used = 0;
    if (sscanf(line, "%" SCNu64 "\t%" SCNd64 "\t%" SCNx64 "\t%" SCNx64 "\t%n", &e->in_size, &e->in_mtime_ns,
               &e->in_hash, &e->out_hash, &used) != 4 || used == 0)
        return false;
    *path = line + used;
    return **path && unescape(*path);
}

static bool load(manifest *m, FILE *f, bool *resumed)
{
    char *line = NULL;
    size_t cap = 0;
    manifest_entry e;
    char *path;
    bool ok = true;
    while (ok && getline(&line, &cap, f) > 0)
        if (parse_line(line, &e, &path)) {
            ok = put(m, path, &e);
            *resumed = true;
        }
    free(line);
    return ok;
}

manifest *manifest_open(const char *path, const char *settings, bool *resumed, char *msg, size_t msglen)
{
    char header[512];
    snprintf(header, sizeof header, "%s %016" PRIx64 "\n", MANIFEST_MAGIC, manifest_hash(settings, strlen(settings)));
    *resumed = false;
    manifest *m = calloc(1, sizeof *m);
    if (!m) {
        snprintf(msg, msglen, "out of memory");
        return NULL;
    }
    FILE *old = fopen(path, "r");
    bool same = false;
    if (old) {
        char line[512];
        same = fgets(line, sizeof line, old) && strcmp(line, header) == 0;
        if (same && !load(m, old, resumed)) {
            fclose(old);
            snprintf(msg, msglen, "out of memory");
            manifest_close(m);
            return NULL;
        }
        fclose(old);
    }
    /* A torn last line would swallow the next entry appended to it. */
    m->f = fopen(path, same ? "a" : "w");
    if (m->f && same && fputc('\n', m->f) == EOF)
        same = false;
    if (!m->f || (!same && fputs(header, m->f) == EOF) || fflush(m->f) != 0) {
        snprintf(msg, msglen, "cannot write %s: %s", path, strerror(errno));
        manifest_close(m);
        return NULL;
    }
    return m;
}

bool manifest_add(manifest *m, const char *path, const manifest_entry *e)
{
    fprintf(m->f, "%" PRIu64 "\t%" PRId64 "\t%016" PRIx64 "\t%016" PRIx64 "\t", e->in_size, e->in_mtime_ns,
            e->in_hash, e->out_hash);
    write_escaped(m->f, path);
    fputc('\n', m->f);
    /* Flushed per line so a kill -9 loses at most the line being written. */
    return fflush(m->f) == 0 && put(m, path, e);
}

void manifest_close(manifest *m)
{
    if (!m)
        return;
    if (m->f)
        fclose(m->f);
    for (size_t i = 0; i < m->nslots; i++)
        free(m->slots[i].path);
    free(m->slots);
    free(m);
}
