/*
 * batch.c — fixtext's batch mode.
 *
 * One producer (the calling thread) lists the inputs, from a directory walk
 * or an archive, and queues them as jobs in order; -j workers take jobs,
 * run the shared context over them and write each output; the calling
 * thread then prints the summary. Outputs to a directory are written by the
 * workers themselves, each to a temporary name renamed into place, and then
 * recorded in the manifest. Outputs to an archive are appended in input
 * order, one worker at a time, so the archive is the same at any -j.
 */
#define _GNU_SOURCE
#include "batch.h"
#include "atomic_file.h"
#include "batch_summary.h"
#include "cli.h"
#include "manifest.h"
#include "member_name.h"
#include "tree_walk.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <locale.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Set by SIGINT/SIGTERM: no new file is started, files under way finish. */
static volatile sig_atomic_t interrupted;

static void on_signal(int sig)
{
    (void)sig;
    interrupted = 1;
}

void batch_settings_init(batch_settings *bs)
{
    memset(bs, 0, sizeof *bs);
    archive_limits_init(&bs->limits);
}

const char *batch_settings_check(const batch_settings *bs)
{
    if (!bs->input)
        return bs->output || bs->in_place ? "--output-dir and --in-place need --input-dir" : NULL;
    if (bs->in_place && bs->output)
        return "--in-place and --output-dir exclude each other";
    if (!bs->in_place && !bs->output)
        return "--input-dir needs --output-dir or --in-place";
    if (bs->backup_suffix && !bs->in_place)
        return "--backup-suffix needs --in-place";
    if (bs->backup_suffix && (!*bs->backup_suffix || strchr(bs->backup_suffix, '/')))
        return "--backup-suffix must be a non-empty name suffix without '/'";
    if (bs->in_place && archive_path_is_archive(bs->input))
        return "--in-place works on directories, not archives";
    if (bs->jobs < 0 || bs->jobs > 256)
        return "-j takes a number of threads from 1 to 256";
    return NULL;
}

/* ------------------------------------------------------------------- jobs */

typedef struct job {
    size_t seq;
    char *path;        /* output-relative UTF-8 path */
    char *src;         /* input file (directory input), else NULL */
    char *data;        /* contents (archive input), else NULL */
    size_t size;
    int64_t mtime_ns;
    const char *name_encoding;
    double name_confidence;
    const char *refused; /* static reason, or NULL */
} job;

static void job_free(job *j)
{
    if (j) {
        free(j->path);
        free(j->src);
        free(j->data);
        free(j);
    }
}

typedef struct batch {
    const batch_settings *bs;
    const lf_context *ctx, *name_ctx;
    const char *prog;
    bool quiet, tty;
    const char *out_root; /* directory outputs are written under this */
    archive_out *out_archive;
    manifest *man;

    pthread_mutex_t lock;
    pthread_cond_t cond;
    job **queue; /* ring buffer */
    size_t qhead, qlen, qcap;
    bool closed;          /* no more jobs will be queued */
    size_t archive_turn;  /* seq of the next job allowed to write to out_archive */
    bool archive_broken;  /* a write to out_archive failed; it will not be committed */
    file_outcome *outcomes; /* by seq */
    size_t noutcomes, capoutcomes;
    progress prog_state;
    bool finished;        /* the workers are done (stops the progress thread) */
} batch;

/* Prints "prog: fmt..." on stderr, clearing the progress line first. */
static void say(batch *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void say(batch *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    flockfile(stderr);
    fprintf(stderr, "%s%s: ", b->tty ? "\r\033[K" : "", b->prog);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    funlockfile(stderr);
    va_end(ap);
}

/* Queues a job (taking ownership), waiting while the queue is full. Its
 * outcome slot is made here so that seq order is the order of the report. */
static bool enqueue(batch *b, job *j)
{
    pthread_mutex_lock(&b->lock);
    if (b->noutcomes == b->capoutcomes) {
        size_t cap = b->capoutcomes ? b->capoutcomes * 2 : 256;
        file_outcome *o = realloc(b->outcomes, cap * sizeof *o);
        if (!o) {
            pthread_mutex_unlock(&b->lock);
            job_free(j);
            return false;
        }
        b->outcomes = o;
        b->capoutcomes = cap;
    }
    j->seq = b->noutcomes;
    b->outcomes[b->noutcomes++] = (file_outcome){0};
    while (b->qlen == b->qcap)
        pthread_cond_wait(&b->cond, &b->lock);
    b->queue[(b->qhead + b->qlen++) % b->qcap] = j;
    pthread_cond_broadcast(&b->cond);
    pthread_mutex_unlock(&b->lock);
    return true;
}

/* The next job, or NULL when the queue is closed and empty. */
static job *dequeue(batch *b)
{
    pthread_mutex_lock(&b->lock);
    while (b->qlen == 0 && !b->closed)
        pthread_cond_wait(&b->cond, &b->lock);
    job *j = NULL;
    if (b->qlen) {
        j = b->queue[b->qhead];
        b->qhead = (b->qhead + 1) % b->qcap;
        b->qlen--;
        pthread_cond_broadcast(&b->cond);
    }
    pthread_mutex_unlock(&b->lock);
    return j;
}

static void close_queue(batch *b)
{
    pthread_mutex_lock(&b->lock);
    b->closed = true;
    pthread_cond_broadcast(&b->cond);
    pthread_mutex_unlock(&b->lock);
}

/* --------------------------------------------------------------- workers */

static lf_status fail_with(lf_error *err, const char *why)
{
    err->code = LF_ERR_ARGUMENT;
    snprintf(err->message, sizeof err->message, "%s", why);
    return LF_ERR_ARGUMENT;
}

/* Whether an earlier run finished this file: the input is unchanged and
 * the output is the one it wrote. In place, the file is that output. */
static bool already_done(const batch *b, const job *j, const char *path, const char *final, uint64_t in_hash)
{
    const manifest_entry *e = b->man ? manifest_find(b->man, path) : NULL;
    uint64_t out_hash;
    if (!e || !manifest_hash_file(final, &out_hash) || out_hash != e->out_hash)
        return false;
    return b->bs->in_place || (e->in_size == j->size && e->in_mtime_ns == j->mtime_ns && e->in_hash == in_hash);
}

/* Streams a large input file into the temporary output; the context's
 * window keeps memory flat. */
static lf_status stream_into(const batch *b, const char *src, tmp_out *t, lf_result **r, lf_error *err)
{
    FILE *in = fopen(src, "rb");
    if (!in)
        return fail_with(err, strerror(errno));
    lf_stream *s;
    lf_status st = lf_stream_new(b->ctx, tmp_out_write, t, &s, err);
    char buf[1 << 16];
    size_t n;
    while (st == LF_OK && (n = fread(buf, 1, sizeof buf, in)) > 0)
        st = lf_stream_write(s, buf, n, err);
    if (st == LF_OK && ferror(in))
        st = fail_with(err, "read error");
    if (st == LF_OK)
        st = lf_stream_finish(s, r, err);
    if (st == LF_OK && t->failed)
        st = fail_with(err, strerror(t->err));
    lf_stream_free(s);
    fclose(in);
    return st;
}

/* Appends to the output archive when it is this job's turn (input order).
 * Returns NULL or the reason it failed. */
static const char *archive_write_in_turn(batch *b, const job *j, const char *path, const char *text, size_t len)
{
    char msg[512];
    pthread_mutex_lock(&b->lock);
    while (b->archive_turn != j->seq)
        pthread_cond_wait(&b->cond, &b->lock);
    if (!b->archive_broken &&
        !archive_out_add(b->out_archive, path, text, len, (time_t)(j->mtime_ns / 1000000000), msg, sizeof msg)) {
        b->archive_broken = true;
        say(b, "%s", msg);
    }
    bool broken = b->archive_broken;
    pthread_mutex_unlock(&b->lock);
    return broken ? "output archive could not be written" : NULL;
}

static void end_turn(batch *b, const job *j)
{
    if (!b->out_archive)
        return;
    pthread_mutex_lock(&b->lock);
    while (b->archive_turn != j->seq)
        pthread_cond_wait(&b->cond, &b->lock);
    b->archive_turn++;
    pthread_cond_broadcast(&b->cond);
    pthread_mutex_unlock(&b->lock);
}

/* Loads the job's input when it is a file. NULL or the reason it failed. */
static const char *load_input(job *j, bool *stream, uint64_t *in_hash)
{
    *stream = false;
    if (!j->src) {
        *in_hash = manifest_hash(j->data, j->size);
        return NULL;
    }
    bool big;
    size_t len;
    /* cli_read_file prints its own reason; ours goes in the summary too. */
    j->data = cli_read_file("fixtext", j->src, CLI_WHOLE_FILE_MAX, &len, &big);
    if (!j->data && !big)
        return "cannot read (reason above)";
    if (big) {
        *stream = true;
        return manifest_hash_file(j->src, in_hash) ? NULL : "cannot read";
    }
    j->size = len;
    *in_hash = manifest_hash(j->data, len);
    return NULL;
}

/* The final name of a job's output in a directory (malloc'd), creating
 * its parent directories. NULL with *why set on failure. */
static char *final_name(const batch *b, const job *j, const char *path, const char **why)
{
    /* In place, the file keeps its name as stored, whatever its decoded name. */
    char *final = b->bs->in_place ? strdup(j->src) : malloc(strlen(b->out_root) + strlen(path) + 2);
    if (!final)
        *why = "out of memory";
    else if (!b->bs->in_place && (*why = atomic_make_parents(b->out_root, path, final)))
        final = (free(final), NULL);
    return final;
}

/* Writes text (or, when streaming, the stream of j->src) to final through a
 * temporary file, keeps a backup in place if asked, and records the file in
 * the manifest. Returns NULL or the reason it failed (which may point into
 * err); *out_len gets the size. */
static const char *write_to_dir(batch *b, const job *j, const char *path, const char *final, bool stream,
                                uint64_t in_hash, lf_result **r, size_t *out_len, lf_error *err)
{
    tmp_out t;
    if (!tmp_out_open(&t, final))
        return strerror(t.err);
    const char *why = NULL;
    if (stream) {
        if (stream_into(b, j->src, &t, r, err) != LF_OK)
            why = err->message;
    } else {
        const char *text = lf_result_text(*r, out_len);
        if (tmp_out_write(&t, text, *out_len) != 0)
            why = strerror(t.err);
    }
    if (!why && b->bs->in_place && b->bs->backup_suffix)
        why = atomic_backup(final, b->bs->backup_suffix);
    if (why) {
        tmp_out_abort(&t);
        return why;
    }
    uint64_t out_hash = t.hash;
    if ((why = tmp_out_commit(&t, final, !b->bs->no_fsync)))
        return why;
    manifest_entry e = {j->size, j->mtime_ns, in_hash, out_hash};
    pthread_mutex_lock(&b->lock);
    if (b->man && !manifest_add(b->man, path, &e))
        say(b, "warning: cannot update the resume manifest: %s", strerror(errno));
    pthread_mutex_unlock(&b->lock);
    struct stat st;
    if (stream)
        *out_len = stat(final, &st) == 0 ? (size_t)st.st_size : 0;
    return NULL;
}

/* Runs one job to its outcome (which takes over j->path). */
static void run_job(batch *b, job *j, file_outcome *o)
{
    char *path = o->path = j->path;
    j->path = NULL;
    o->name_encoding = j->name_encoding;
    o->name_confidence = j->name_confidence;
    o->bytes_in = j->size;
    if (j->refused) {
        o->status = FILE_REFUSED;
        o->reason = strdup(j->refused);
        return;
    }
    char *final = NULL;
    const char *why;
    lf_result *r = NULL;
    lf_error err = {0};
    bool stream;
    uint64_t in_hash;
    size_t len = 0;
    if ((why = load_input(j, &stream, &in_hash)))
        goto out;
    if (b->out_archive) {
        if (stream)
            why = "files over 64 MiB are streamed, and cannot go into an output archive";
        else if (lf_process(b->ctx, j->data, j->size, &r, &err) != LF_OK)
            why = err.message;
        if (r) {
            const char *text = lf_result_text(r, &len);
            why = archive_write_in_turn(b, j, path, text, len);
        }
        goto out;
    }
    if (!(final = final_name(b, j, path, &why)))
        goto out;
    if (already_done(b, j, path, final, in_hash)) {
        o->status = FILE_SKIPPED;
        goto out;
    }
    if (!stream && lf_process(b->ctx, j->data, j->size, &r, &err) != LF_OK)
        why = err.message;
    else
        why = write_to_dir(b, j, path, final, stream, in_hash, &r, &len, &err);
out:
    if (!why && o->status == FILE_PENDING) {
        o->status = FILE_DONE;
        o->bytes_out = len;
        if (!result_summary_make(r, &o->summary))
            why = "out of memory";
    }
    if (why) {
        o->status = FILE_FAILED;
        o->reason = strdup(why);
        say(b, "%s: %s", path, why);
    }
    lf_result_free(r);
    free(final);
}

static void *worker(void *arg)
{
    batch *b = arg;
    job *j;
    while ((j = dequeue(b))) {
        file_outcome o = {0};
        if (interrupted) {
            o.path = j->path;
            j->path = NULL;
        } else {
            run_job(b, j, &o);
        }
        end_turn(b, j);
        pthread_mutex_lock(&b->lock);
        b->outcomes[j->seq] = o;
        if (o.status != FILE_PENDING) {
            b->prog_state.files_done++;
            b->prog_state.bytes_done += o.bytes_in;
        }
        pthread_mutex_unlock(&b->lock);
        job_free(j);
    }
    return NULL;
}

/* Redraws the progress line four times a second. The condition variable
 * is shared with the queue, so most wakeups come early and draw nothing. */
static void *progress_thread(void *arg)
{
    batch *b = arg;
    pthread_mutex_lock(&b->lock);
    while (!b->finished) {
        struct timespec until;
        clock_gettime(CLOCK_REALTIME, &until);
        until.tv_nsec += 250000000;
        if (until.tv_nsec >= 1000000000) {
            until.tv_sec++;
            until.tv_nsec -= 1000000000;
        }
        while (!b->finished && pthread_cond_timedwait(&b->cond, &b->lock, &until) != ETIMEDOUT)
            ;
        progress p = b->prog_state;
        flockfile(stderr);
        progress_draw(stderr, &p);
        funlockfile(stderr);
    }
    pthread_mutex_unlock(&b->lock);
    return NULL;
}

/* ---------------------------------------------------------------- inputs */

/* Makes a job from a raw name, deciding its output path or its refusal. */
static job *new_job(batch *b, name_set *names, const char *raw, size_t raw_len, const char *refused)
{
    job *j = calloc(1, sizeof *j);
    if (!j)
        return NULL;
    member_name mn;
    const char *why = refused ? refused : member_name_make(b->name_ctx, raw, raw_len, &mn);
    if (!why) {
        j->path = mn.path;
        j->name_encoding = mn.encoding;
        j->name_confidence = mn.confidence;
        if (mn.encoding && !b->quiet)
            say(b, "name %s decoded from %s (confidence %.2f)", j->path, mn.encoding, mn.confidence);
        int added = member_name_is_reserved(j->path) ? 0 : name_set_add(names, j->path);
        if (added < 0) {
            job_free(j);
            return NULL;
        }
        if (added == 0)
            why = member_name_is_reserved(j->path) ? "name reserved for fixtext's own files" : "duplicate name";
    }
    if (why) {
        free(j->path);
        j->path = member_name_printable(raw, raw_len);
        j->refused = why;
        if (!j->path) {
            job_free(j);
            return NULL;
        }
        say(b, "%s: refused: %s", j->path, why);
    }
    return j;
}

/* Queues every file under the input directory, in name order. */
static bool produce_from_dir(batch *b, char *msg, size_t msglen)
{
    walk w = {0};
    struct stat st;
    if (b->out_root && !b->bs->in_place && stat(b->out_root, &st) == 0) {
        w.skip_dev = st.st_dev;
        w.skip_ino = st.st_ino;
    }
    w.backup_suffix = b->bs->backup_suffix;
    bool ok = tree_walk(&w, b->bs->input, msg, msglen);
    pthread_mutex_lock(&b->lock);
    b->prog_state.files_total = w.n;
    for (size_t i = 0; i < w.n; i++)
        b->prog_state.bytes_total += w.v[i].size;
    pthread_mutex_unlock(&b->lock);
    name_set names = {0};
    for (size_t i = 0; ok && i < w.n && !interrupted; i++) {
        job *j = new_job(b, &names, w.v[i].rel, strlen(w.v[i].rel), w.v[i].refused);
        if (!j || asprintf(&j->src, "%s/%s", b->bs->input, w.v[i].rel) < 0) {
            if (j)
                j->src = NULL;
            job_free(j);
            snprintf(msg, msglen, "out of memory");
            ok = false;
            break;
        }
        j->size = w.v[i].size;
        j->mtime_ns = w.v[i].mtime_ns;
        ok = enqueue(b, j);
    }
    tree_walk_free(&w);
    name_set_free(&names);
    return ok;
}

/* Queues every member of the input archive, in archive order. */
static bool produce_from_archive(batch *b, char *msg, size_t msglen)
{
    archive_in *in = archive_in_open(b->bs->input, NULL, 0, &b->bs->limits, msg, msglen);
    if (!in)
        return false;
    name_set names = {0};
    archive_member m;
    int rc;
    bool ok = true;
    while (ok && !interrupted && (rc = archive_in_next(in, &m, msg, msglen)) > 0) {
        if (m.is_dir)
            continue;
        job *j = new_job(b, &names, m.raw_name, m.raw_len, m.refused);
        if (!j) {
            free(m.data);
            snprintf(msg, msglen, "out of memory");
            ok = false;
            break;
        }
        j->data = m.data;
        j->size = m.size;
        j->mtime_ns = (int64_t)m.mtime * 1000000000;
        ok = enqueue(b, j);
    }
    if (ok && rc < 0)
        ok = false;
    else if (!ok && msg[0] == '\0')
        snprintf(msg, msglen, "out of memory");
    archive_in_close(in);
    name_set_free(&names);
    return ok;
}

/* ------------------------------------------------------------------ setup */

/* The settings that shape the output, as the manifest's key: a resumed run
 * must use the same ones, or its outputs would mix two configurations. */
static char *settings_key(const lf_options *o)
{
    char *key;
    char passes[64] = "";
    for (size_t i = 0; i < o->pass_count; i++)
        snprintf(passes + strlen(passes), sizeof passes - strlen(passes), "%s,", lf_pass_name(o->passes[i]));
    if (asprintf(&key, "libfix %s passes=%s from=%s invalid=%d dry=%d ann=%d form=%d fw=%d fp=%d nl=%d inv=%d ent=%d "
                       "opencc=%s script=%d format=%d title=%d bylines=%d captions=%d",
                 lf_version(), passes, o->from_encoding ? o->from_encoding : "", o->invalid, o->repair_dry_run,
                 o->keep_annotations, o->norm_form, o->fold_width, o->fold_punct_width, o->newlines, o->invisibles,
                 o->entities, o->opencc_config ? o->opencc_config : "", o->to_script, o->format, o->keep_title,
                 o->keep_bylines, o->keep_captions) < 0)
        return NULL;
    return key;
}

/* Prepares the output side: a directory with its manifest, or an archive. */
static bool open_output(batch *b, const lf_options *opt, char *msg, size_t msglen)
{
    const batch_settings *bs = b->bs;
    if (bs->output && archive_path_is_archive(bs->output)) {
        b->out_archive = archive_out_open(bs->output, msg, msglen);
        return b->out_archive != NULL;
    }
    b->out_root = bs->in_place ? bs->input : bs->output;
    if (!bs->in_place && mkdir(b->out_root, 0777) != 0 && errno != EEXIST) {
        snprintf(msg, msglen, "cannot create %s: %s", b->out_root, strerror(errno));
        return false;
    }
    struct stat st;
    if (stat(b->out_root, &st) != 0 || !S_ISDIR(st.st_mode)) {
        snprintf(msg, msglen, "%s is not a directory", b->out_root);
        return false;
    }
    atomic_remove_stale(b->out_root);
    char *key = settings_key(opt), *mpath = NULL;
    if (!key || asprintf(&mpath, "%s/%s", b->out_root, BATCH_MANIFEST) < 0) {
        free(key);
        snprintf(msg, msglen, "out of memory");
        return false;
    }
    bool resumed;
    b->man = manifest_open(mpath, key, &resumed, msg, msglen);
    if (b->man && resumed && !b->quiet)
        say(b, "resuming: files finished by an earlier run with the same settings are skipped");
    free(key);
    free(mpath);
    return b->man != NULL;
}

/* Whether writing to output could replace an input: output is the input
 * directory or holds it. (An output inside the input is skipped by the walk.) */
static bool output_covers_input(const batch_settings *bs)
{
    if (bs->in_place || !bs->output || archive_path_is_archive(bs->output) || archive_path_is_archive(bs->input))
        return false;
    char *in = realpath(bs->input, NULL), *out = realpath(bs->output, NULL);
    size_t n = out ? strlen(out) : 0;
    bool covers = in && out && strncmp(in, out, n) == 0 && (in[n] == '\0' || in[n] == '/' || n == 1);
    free(in);
    free(out);
    return covers;
}

static int exit_status(const file_outcome *o, size_t n, bool complete)
{
    size_t good = 0, bad = 0;
    for (size_t i = 0; i < n; i++) {
        if (o[i].status == FILE_DONE || o[i].status == FILE_SKIPPED)
            good++;
        else
            bad++;
    }
    if (!complete && good == 0)
        return CLI_ALL_FAILED;
    if (bad == 0 && complete)
        return CLI_OK;
    return good ? CLI_SOME_FAILED : CLI_ALL_FAILED;
}

static bool make_name_ctx(batch *b, char *msg, size_t msglen)
{
    lf_options o;
    lf_options_init(&o);
    o.passes[0] = LF_PASS_DECODE;
    o.pass_count = 1;
    o.invalid = LF_INVALID_STRICT;
    lf_context *ctx;
    lf_error err;
    if (lf_context_new(&o, &ctx, &err) != LF_OK) {
        snprintf(msg, msglen, "%s", err.message);
        return false;
    }
    b->name_ctx = ctx;
    return true;
}

/* Runs the workers over what the producer queues, then joins them. */
static bool run_workers(batch *b, int jobs, bool (*produce)(batch *, char *, size_t), char *msg, size_t msglen)
{
    pthread_t threads[256], progress_tid;
    int started = 0;
    bool progress_on = b->tty && !b->quiet && pthread_create(&progress_tid, NULL, progress_thread, b) == 0;
    for (; started < jobs; started++)
        if (pthread_create(&threads[started], NULL, worker, b) != 0)
            break;
    bool ok = started > 0;
    if (!ok)
        snprintf(msg, msglen, "cannot start worker threads");
    else
        ok = produce(b, msg, msglen);
    close_queue(b);
    for (int i = 0; i < started; i++)
        pthread_join(threads[i], NULL);
    pthread_mutex_lock(&b->lock);
    b->finished = true;
    pthread_cond_broadcast(&b->cond);
    pthread_mutex_unlock(&b->lock);
    if (progress_on) {
        pthread_join(progress_tid, NULL);
        fputs("\r\033[K", stderr);
    }
    return ok;
}

int batch_run(const batch_settings *bs, const lf_options *opt, const lf_context *ctx, const char *report,
              bool quiet, const char *prog)
{
    batch b = {.bs = bs, .ctx = ctx, .prog = prog, .quiet = quiet, .tty = isatty(2) != 0};
    if (output_covers_input(bs)) {
        fprintf(stderr, "%s: the output directory must not be the input directory or hold it "
                        "(--in-place replaces the inputs)\n", prog);
        return CLI_USAGE;
    }
    /* libarchive hands out member names through the locale: in a UTF-8
     * locale, UTF-8 names arrive as such and legacy names as their raw
     * bytes, which member_name_make then decodes. */
    setlocale(LC_CTYPE, "C.UTF-8");
    char msg[512] = "";
    int jobs = bs->jobs > 0 ? bs->jobs : (int)sysconf(_SC_NPROCESSORS_ONLN);
    if (jobs < 1)
        jobs = 1;
    if (jobs > 256)
        jobs = 256;
    b.qcap = (size_t)jobs * 4;
    b.queue = calloc(b.qcap, sizeof *b.queue);
    pthread_mutex_init(&b.lock, NULL);
    pthread_cond_init(&b.cond, NULL);
    clock_gettime(CLOCK_MONOTONIC, &b.prog_state.start);
    bool from_archive = archive_path_is_archive(bs->input);
    bool ok = b.queue && make_name_ctx(&b, msg, sizeof msg) && open_output(&b, opt, msg, sizeof msg);
    if (!b.queue)
        snprintf(msg, sizeof msg, "out of memory");
    if (ok) {
        struct sigaction sa = {0};
        sa.sa_handler = on_signal;
        sa.sa_flags = SA_RESETHAND; /* a second signal ends the program at once */
        sigaction(SIGINT, &sa, NULL);
        sigaction(SIGTERM, &sa, NULL);
        /* Past a file size limit, a write fails (EFBIG) like on a full disk. */
        signal(SIGXFSZ, SIG_IGN);
        ok = run_workers(&b, jobs, from_archive ? produce_from_archive : produce_from_dir, msg, sizeof msg);
        signal(SIGINT, SIG_DFL);
        signal(SIGTERM, SIG_DFL);
    }
    bool complete = ok && !interrupted;
    if (!ok && msg[0])
        say(&b, "%s", msg);
    if (interrupted)
        say(&b, "interrupted: run the same command again to finish the rest");
    if (b.out_archive) {
        /* An input read only in part, or a failed write, gives no archive
         * rather than one that looks complete. */
        if (complete && !b.archive_broken && !archive_out_commit(b.out_archive, msg, sizeof msg)) {
            say(&b, "%s", msg);
            complete = false;
            for (size_t i = 0; i < b.noutcomes; i++)
                if (b.outcomes[i].status == FILE_DONE)
                    b.outcomes[i].status = FILE_FAILED;
        } else if (!complete || b.archive_broken) {
            archive_out_abort(b.out_archive);
            say(&b, "%s not written", bs->output);
            for (size_t i = 0; i < b.noutcomes; i++)
                if (b.outcomes[i].status == FILE_DONE)
                    b.outcomes[i].status = FILE_FAILED;
            complete = false;
        }
    }
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    double secs = (double)(now.tv_sec - b.prog_state.start.tv_sec) + (now.tv_nsec - b.prog_state.start.tv_nsec) / 1e9;
    if (!quiet)
        batch_summary_print(stderr, b.outcomes, b.noutcomes, secs);
    int rc = exit_status(b.outcomes, b.noutcomes, complete);
    if (report && !batch_report_write(prog, report, b.outcomes, b.noutcomes))
        rc = rc == CLI_OK ? CLI_SOME_FAILED : rc;
    for (size_t i = 0; i < b.noutcomes; i++)
        file_outcome_free(&b.outcomes[i]);
    free(b.outcomes);
    free(b.queue);
    manifest_close(b.man);
    lf_context_free((lf_context *)b.name_ctx);
    pthread_mutex_destroy(&b.lock);
    pthread_cond_destroy(&b.cond);
    return rc;
}
