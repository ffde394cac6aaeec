/* batch_summary.c — the progress line, the summary table, the JSON report. */
#define _GNU_SOURCE
#include "batch_summary.h"
#include "cli.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

void file_outcome_free(file_outcome *o)
{
    free(o->path);
    free(o->reason);
    result_summary_free(&o->summary);
    memset(o, 0, sizeof *o);
}

static double elapsed(const struct timespec *start)
{
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return (double)(now.tv_sec - start->tv_sec) + (now.tv_nsec - start->tv_nsec) / 1e9;
}

void progress_draw(FILE *f, const progress *p)
{
    double secs = elapsed(&p->start), rate = secs > 0 ? p->files_done / secs : 0;
    char bar[23] = "";
    if (p->files_total) {
        int fill = (int)(20.0 * p->files_done / p->files_total);
        memset(bar, '#', (size_t)fill);
        memset(bar + fill, '.', (size_t)(20 - fill));
        bar[20] = '\0';
    }
    fprintf(f, "\r\033[K%s%s%s %zu", p->files_total ? "[" : "", bar, p->files_total ? "]" : "", p->files_done);
    if (p->files_total)
        fprintf(f, "/%zu", p->files_total);
    fprintf(f, " files, %.1f MB, %.0f files/s, %.1f MB/s", p->bytes_done / 1e6, rate,
            secs > 0 ? p->bytes_done / 1e6 / secs : 0.0);
    if (p->files_total && rate > 0) {
        long eta = (long)((p->files_total - p->files_done) / rate);
        fprintf(f, ", ETA %ld:%02ld", eta / 60, eta % 60);
    }
    fflush(f);
}

typedef struct name_count {
    const char *name;
    size_t count;
} name_count;

static void count_name(name_count *v, size_t *n, size_t cap, const char *name)
{
    for (size_t i = 0; i < *n; i++)
        if (strcmp(v[i].name, name) == 0) {
            v[i].count++;
            return;
        }
    if (*n < cap)
        v[(*n)++] = (name_count){name, 1};
}

/* How many failures the table lists; the JSON report has them all. */
#define LISTED_FAILURES 20

void batch_summary_print(FILE *f, const file_outcome *o, size_t n, double seconds)
{
    size_t by_status[5] = {0};
    uint64_t in = 0, out = 0;
    name_count enc[32];
    size_t nenc = 0;
    kind_total *kinds = NULL;
    size_t nkinds = 0;
    for (size_t i = 0; i < n; i++) {
        by_status[o[i].status]++;
        in += o[i].bytes_in;
        out += o[i].bytes_out;
        if (o[i].status != FILE_DONE)
            continue;
        count_name(enc, &nenc, 32, o[i].summary.encoding ? o[i].summary.encoding : "?");
        for (size_t k = 0; k < o[i].summary.nkinds; k++) {
            const kind_total *t = &o[i].summary.kinds[k];
            kind_total_add(&kinds, &nkinds, t->pass, t->kind, t->count);
        }
    }
    fprintf(f, "\n%-28s %12s\n", "fixtext batch summary", "");
    fprintf(f, "  %-26s %12zu\n", "files processed", by_status[FILE_DONE]);
    fprintf(f, "  %-26s %12zu\n", "files already done (resume)", by_status[FILE_SKIPPED]);
    fprintf(f, "  %-26s %12zu\n", "files failed", by_status[FILE_FAILED]);
    fprintf(f, "  %-26s %12zu\n", "files refused", by_status[FILE_REFUSED]);
    if (by_status[FILE_PENDING])
        fprintf(f, "  %-26s %12zu\n", "files not reached", by_status[FILE_PENDING]);
    fprintf(f, "  %-26s %12llu\n", "bytes in", (unsigned long long)in);
    fprintf(f, "  %-26s %12llu\n", "bytes out", (unsigned long long)out);
    fprintf(f, "  %-26s %12.2f\n", "seconds", seconds);
    if (nenc)
        fprintf(f, "encodings detected\n");
    for (size_t i = 0; i < nenc; i++)
        fprintf(f, "  %-26s %12zu\n", enc[i].name, enc[i].count);
    if (nkinds)
        fprintf(f, "changes by pass/kind\n");
    for (size_t i = 0; i < nkinds; i++) {
        char label[128];
        snprintf(label, sizeof label, "%s/%s", lf_pass_name(kinds[i].pass), kinds[i].kind);
        fprintf(f, "  %-26s %12llu\n", label, (unsigned long long)kinds[i].count);
        free(kinds[i].kind);
    }
    free(kinds);
    size_t listed = 0, bad = by_status[FILE_FAILED] + by_status[FILE_REFUSED];
    if (bad)
        fprintf(f, "failures\n");
    for (size_t i = 0; i < n && listed < LISTED_FAILURES; i++)
        if (o[i].status == FILE_FAILED || o[i].status == FILE_REFUSED) {
            fprintf(f, "  %s: %s%s\n", o[i].path ? o[i].path : "?", o[i].status == FILE_REFUSED ? "refused: " : "",
                    o[i].reason ? o[i].reason : "failed");
            listed++;
        }
    if (bad > listed)
        fprintf(f, "  ... and %zu more (see --report)\n", bad - listed);
}

static const char *status_name(file_status s)
{
    static const char *const names[] = {"not-reached", "done", "already-done", "failed", "refused"};
    return names[s];
}

static json_t *file_json(const file_outcome *o)
{
    json_t *j = json_object();
    if (!j)
        return NULL;
    bool ok = json_object_set_new(j, "file", json_string(o->path ? o->path : "")) == 0 &&
              json_object_set_new(j, "status", json_string(status_name(o->status))) == 0 &&
              json_object_set_new(j, "bytes_in", json_integer((json_int_t)o->bytes_in)) == 0 &&
              json_object_set_new(j, "bytes_out", json_integer((json_int_t)o->bytes_out)) == 0;
    if (ok && o->reason)
        ok = json_object_set_new(j, "reason", json_string(o->reason)) == 0;
    if (ok && o->name_encoding)
        ok = json_object_set_new(j, "name_encoding", json_string(o->name_encoding)) == 0 &&
             json_object_set_new(j, "name_confidence", json_real(o->name_confidence)) == 0;
    if (ok && o->status == FILE_DONE) {
        json_t *counts = json_object();
        ok = counts && json_object_set_new(j, "encoding", json_string(o->summary.encoding)) == 0 &&
             json_object_set_new(j, "encoding_confidence", json_real(o->summary.confidence)) == 0 &&
             json_object_set_new(j, "counts", counts) == 0;
        for (size_t k = 0; ok && k < o->summary.nkinds; k++) {
            char key[128];
            snprintf(key, sizeof key, "%s/%s", lf_pass_name(o->summary.kinds[k].pass), o->summary.kinds[k].kind);
            ok = json_object_set_new(counts, key, json_integer((json_int_t)o->summary.kinds[k].count)) == 0;
        }
    }
    if (!ok) {
        json_decref(j);
        return NULL;
    }
    return j;
}

bool batch_report_write(const char *prog, const char *path, const file_outcome *o, size_t n)
{
    json_t *root = json_object(), *files = json_array();
    bool ok = root && files && json_object_set(root, "files", files) == 0;
    for (size_t i = 0; ok && i < n; i++)
        ok = json_array_append_new(files, file_json(&o[i])) == 0;
    json_decref(files);
    if (!ok) {
        json_decref(root);
        fprintf(stderr, "%s: out of memory writing the report\n", prog);
        return false;
    }
    cli_out out;
    ok = cli_out_open(prog, &out, path, NULL, 0);
    if (ok && json_dumpf(root, out.f, JSON_INDENT(1)) != 0) {
        fprintf(stderr, "%s: cannot write %s\n", prog, path);
        cli_out_abort(&out);
        ok = false;
    }
    if (ok)
        ok = cli_out_commit(prog, &out);
    json_decref(root);
    return ok;
}
