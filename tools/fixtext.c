/*
 * fixtext — the libfix pipeline on the command line.
 *
 * All option parsing is in parse_options(); everything else is a thin layer
 * over lf_process() (whole files) and lf_stream_*() (stdin and large files).
 */
#define _GNU_SOURCE
#include "batch.h"
#include "cli.h"
#include "jsonl.h"
#include "libfix.h"

#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>

static const char *prog = "fixtext";

static const char usage_text[] =
    "Usage: fixtext [OPTION]... [FILE]...\n"
    "Turn damaged, mixed-encoding text into clean UTF-8. With no FILE, or when\n"
    "FILE is -, read standard input. Output goes to standard output or -o.\n"
    "\n"
    "Pipeline:\n"
    "  -p, --passes LIST      passes to run, in order (default decode,repair,normalize);\n"
    "                         known: decode, repair, normalize, convert, strip\n"
    "  -f, --from ENC         input encoding; skips detection (any ICU name: GB18030, Big5, ...)\n"
    "      --strict           fail on invalid bytes instead of replacing them with U+FFFD\n"
    "      --dry-run          report changes, write no output\n"
    "      --keep-annotations never strip inline pinyin annotations (repair)\n"
    "  Normalize:\n"
    "      --form FORM        nfc (default), nfkc or none\n"
    "      --no-fold-width    keep full-width ASCII letters and digits\n"
    "      --fold-punct       also fold full-width punctuation and U+3000\n"
    "      --no-newlines      keep CR, CRLF, NEL, LS, PS as they are\n"
    "      --no-invisibles    keep BOM, zero-width and control characters\n"
    "      --no-entities      keep HTML entities and character references\n"
    "  Convert:\n"
    "      --opencc NAME      OpenCC configuration (s2t, t2s, s2tw, s2twp, ...; .json optional)\n"
    "  -t, --to-script S      simplified, traditional, taiwan or hongkong\n"
    "  Strip:\n"
    "      --format F         auto (default), text or html\n"
    "      --drop-title       drop the title line too\n"
    "      --keep-bylines     keep source, author and date lines\n"
    "      --keep-captions    keep photo captions\n"
    "      --template FILE    remove the lines of a site template (made by deboil --learn-template)\n"
    "\n"
    "Batch (see docs/ingestion.md):\n"
    "      --input-dir IN     process every file under directory IN, or every member of\n"
    "                         archive IN (.tar, .tar.gz, .tgz, .tar.zst, .zip)\n"
    "      --output-dir OUT   write to directory OUT (same relative paths; an interrupted\n"
    "                         run resumes when restarted) or archive OUT (by extension)\n"
    "      --in-place         replace the files under IN instead (atomically)\n"
    "      --backup-suffix S  with --in-place, keep each original as NAME+S\n"
    "  -j, --jobs N           worker threads (default: the number of cores)\n"
    "      --no-fsync         do not sync each output before renaming it (faster; still\n"
    "                         atomic if the program dies, not if the machine does)\n"
    "      --max-member-size BYTES   refuse archive members larger (default 268435456)\n"
    "      --max-total-size BYTES    stop an archive expanding beyond (default 4294967296)\n"
    "      --max-ratio R      stop an archive expanding more than R times its size (default 200)\n"
    "JSON Lines:\n"
    "      --jsonl            one JSON object per line: clean FIELD, add a \"libfix\" summary\n"
    "      --field NAME       the field to clean (default text)\n"
    "      --out-field NAME   write the cleaned text here, keeping FIELD\n"
    "\n"
    "Output:\n"
    "  -o, --output FILE      write here (atomically: a temporary file renamed into place);\n"
    "                         an input file is never overwritten\n"
    "      --report FILE      write the report of every change as JSON\n"
    "      --explain          describe every change on standard error\n"
    "  -q, --quiet            no messages but errors\n"
    "  -h, --help             this text\n"
    "  -V, --version          the version\n"
    "\n"
    "Exit status: 0 all inputs processed, 1 some inputs failed, 2 usage error,\n"
    "3 nothing could be processed. In --jsonl mode a line that cannot be cleaned is\n"
    "passed through and flagged, and is not a failure.\n";

typedef struct settings {
    lf_options opt;
    const char *output;
    const char *report;
    bool explain, dry_run, quiet;
    char **files;
    size_t nfiles;
    lf_template *template; /* owned; the context borrows it */
    batch_settings batch;
    jsonl_settings jsonl;
} settings;

static int usage_error(const char *fmt, const char *arg)
{
    fprintf(stderr, "%s: ", prog);
    fprintf(stderr, fmt, arg);
    fprintf(stderr, "\nTry 'fixtext --help' for more information.\n");
    return CLI_USAGE;
}

static int pick(const char *arg, const char *const *names, int count)
{
    for (int i = 0; i < count; i++)
        if (strcmp(arg, names[i]) == 0)
            return i;
    return -1;
}

/* Returns -1 when the program should go on, else the exit status. */
static int parse_options(int argc, char **argv, settings *s)
{
    enum { O_STRICT = 256, O_DRY, O_KEEPANN, O_FORM, O_NOFOLD, O_FOLDP, O_NONL, O_NOINV, O_NOENT,
           O_OPENCC, O_FORMAT, O_REPORT, O_EXPLAIN, O_DROPTITLE, O_KEEPBY, O_KEEPCAP, O_TEMPLATE,
           O_INDIR, O_OUTDIR, O_INPLACE, O_BACKUP, O_MAXMEM, O_MAXTOT, O_MAXRATIO, O_JSONL, O_FIELD,
           O_OUTFIELD, O_NOFSYNC };
    static const struct option longopts[] = {
        {"passes", required_argument, 0, 'p'},   {"from", required_argument, 0, 'f'},
        {"strict", no_argument, 0, O_STRICT},    {"dry-run", no_argument, 0, O_DRY},
        {"keep-annotations", no_argument, 0, O_KEEPANN},
        {"form", required_argument, 0, O_FORM},  {"no-fold-width", no_argument, 0, O_NOFOLD},
        {"fold-punct", no_argument, 0, O_FOLDP}, {"no-newlines", no_argument, 0, O_NONL},
        {"no-invisibles", no_argument, 0, O_NOINV}, {"no-entities", no_argument, 0, O_NOENT},
        {"opencc", required_argument, 0, O_OPENCC}, {"to-script", required_argument, 0, 't'},
        {"format", required_argument, 0, O_FORMAT}, {"output", required_argument, 0, 'o'},
        {"drop-title", no_argument, 0, O_DROPTITLE}, {"keep-bylines", no_argument, 0, O_KEEPBY},
        {"keep-captions", no_argument, 0, O_KEEPCAP}, {"template", required_argument, 0, O_TEMPLATE},
        {"report", required_argument, 0, O_REPORT}, {"explain", no_argument, 0, O_EXPLAIN},
        {"quiet", no_argument, 0, 'q'},          {"help", no_argument, 0, 'h'},
        {"version", no_argument, 0, 'V'},
        {"input-dir", required_argument, 0, O_INDIR}, {"output-dir", required_argument, 0, O_OUTDIR},
        {"in-place", no_argument, 0, O_INPLACE}, {"backup-suffix", required_argument, 0, O_BACKUP},
        {"jobs", required_argument, 0, 'j'},     {"max-member-size", required_argument, 0, O_MAXMEM},
        {"max-total-size", required_argument, 0, O_MAXTOT}, {"max-ratio", required_argument, 0, O_MAXRATIO},
        {"jsonl", no_argument, 0, O_JSONL},      {"field", required_argument, 0, O_FIELD},
        {"out-field", required_argument, 0, O_OUTFIELD}, {"no-fsync", no_argument, 0, O_NOFSYNC},
        {0, 0, 0, 0},
    };
    static const char *const forms[] = {"nfc", "nfkc", "none"};
    static const char *const scripts[] = {"keep", "simplified", "traditional", "taiwan", "hongkong"};
    static const char *const formats[] = {"auto", "text", "html"};
    lf_options *o = &s->opt;
    lf_error err;
    int c, v;
    char *end;
    while ((c = getopt_long(argc, argv, "p:f:t:o:qhVj:", longopts, NULL)) != -1) {
        switch (c) {
        case 'p':
            if (lf_passes_parse(optarg, o->passes, &o->pass_count, &err) != LF_OK)
                return usage_error("%s", err.message);
            break;
        case 'f': o->from_encoding = optarg; break;
        case O_STRICT: o->invalid = LF_INVALID_STRICT; break;
        case O_DRY: s->dry_run = true; o->repair_dry_run = 1; break;
        case O_KEEPANN: o->keep_annotations = 1; break;
        case O_FORM:
            if ((v = pick(optarg, forms, 3)) < 0)
                return usage_error("unknown normalization form '%s' (nfc, nfkc, none)", optarg);
            o->norm_form = (lf_norm_form)v;
            break;
        case O_NOFOLD: o->fold_width = 0; break;
        case O_FOLDP: o->fold_punct_width = 1; break;
        case O_NONL: o->newlines = 0; break;
        case O_NOINV: o->invisibles = 0; break;
        case O_NOENT: o->entities = 0; break;
        case O_OPENCC: o->opencc_config = optarg; break;
        case 't':
            if ((v = pick(optarg, scripts, 5)) < 0)
                return usage_error("unknown script '%s' (simplified, traditional, taiwan, hongkong)", optarg);
            o->to_script = (lf_script)v;
            break;
        case O_FORMAT:
            if ((v = pick(optarg, formats, 3)) < 0)
                return usage_error("unknown format '%s' (auto, text, html)", optarg);
            o->format = (lf_format)v;
            break;
        case O_DROPTITLE: o->keep_title = 0; break;
        case O_KEEPBY: o->keep_bylines = 1; break;
        case O_KEEPCAP: o->keep_captions = 1; break;
        case O_TEMPLATE:
            lf_template_free(s->template);
            if (lf_template_load(optarg, &s->template, &err) != LF_OK)
                return usage_error("%s", err.message);
            o->strip_template = s->template;
            break;
        case 'o': s->output = optarg; break;
        case O_REPORT: s->report = optarg; break;
        case O_EXPLAIN: s->explain = true; break;
        case 'q': s->quiet = true; break;
        case 'h': fputs(usage_text, stdout); return CLI_OK;
        case 'V': printf("fixtext (libfix) %s\n", lf_version()); return CLI_OK;
        case O_INDIR: s->batch.input = optarg; break;
        case O_OUTDIR: s->batch.output = optarg; break;
        case O_INPLACE: s->batch.in_place = true; break;
        case O_BACKUP: s->batch.backup_suffix = optarg; break;
        case O_NOFSYNC: s->batch.no_fsync = true; break;
        case 'j':
            s->batch.jobs = (int)strtol(optarg, &end, 10);
            if (*end || s->batch.jobs < 1)
                return usage_error("-j takes a positive number of threads, not '%s'", optarg);
            break;
        case O_MAXMEM:
        case O_MAXTOT:
            errno = 0;
            unsigned long long bytes = strtoull(optarg, &end, 10);
            if (*end || errno || bytes == 0)
                return usage_error("a size in bytes is wanted, not '%s'", optarg);
            *(c == O_MAXMEM ? &s->batch.limits.max_member : &s->batch.limits.max_total) = bytes;
            break;
        case O_MAXRATIO:
            s->batch.limits.max_ratio = strtod(optarg, &end);
            if (*end || !(s->batch.limits.max_ratio >= 1))
                return usage_error("--max-ratio takes a number of at least 1, not '%s'", optarg);
            break;
        case O_JSONL: s->jsonl.on = true; break;
        case O_FIELD: s->jsonl.field = optarg; break;
        case O_OUTFIELD: s->jsonl.out_field = optarg; break;
        default: return usage_error("%s", "invalid option");
        }
    }
    const char *why = batch_settings_check(&s->batch);
    if (why)
        return usage_error("%s", why);
    if (s->batch.input && (optind < argc || s->jsonl.on || s->output || s->explain || s->dry_run))
        return usage_error("%s", "--input-dir takes no FILE, -o, --jsonl, --explain or --dry-run");
    if (s->jsonl.on && (s->explain || s->dry_run || s->report))
        return usage_error("%s", "--jsonl takes no --explain, --dry-run or --report (each record carries its report)");
    if (!s->jsonl.field)
        s->jsonl.field = "text";
    if ((why = jsonl_settings_check(&s->jsonl)))
        return usage_error("%s", why);
    static char *stdin_only[] = {"-"};
    s->files = optind < argc ? argv + optind : stdin_only;
    s->nfiles = optind < argc ? (size_t)(argc - optind) : 1;
    return -1;
}

static void explain(const char *file, const lf_result *r)
{
    fprintf(stderr, "%s: encoding %s (confidence %.2f)\n", file, lf_result_encoding(r),
            lf_result_encoding_confidence(r));
    for (size_t i = 0; i < lf_result_change_count(r); i++) {
        const lf_change *c = lf_result_change(r, i);
        fprintf(stderr, "%s: %s/%s bytes %llu-%llu -> %llu-%llu (confidence %.2f): %s\n", file,
                lf_pass_name(c->pass), c->kind, (unsigned long long)c->in_start, (unsigned long long)c->in_end,
                (unsigned long long)c->out_start, (unsigned long long)c->out_end, c->confidence,
                c->note ? c->note : "");
    }
    if (lf_result_truncated(r))
        fprintf(stderr, "%s: (more changes were made than listed)\n", file);
}

/* Appends one file's report to the JSON array being built in rep. */
static bool add_report(FILE *rep, bool first, const char *file, const lf_result *r)
{
    char *json;
    size_t len;
    if (lf_result_report_json(r, &json, &len, NULL) != LF_OK)
        return false;
    fprintf(rep, "%s{\"file\":\"", first ? "" : ",\n");
    for (const char *p = file; *p; p++) {
        if (*p == '"' || *p == '\\')
            fputc('\\', rep);
        if ((unsigned char)*p >= 0x20)
            fputc(*p, rep);
    }
    fprintf(rep, "\",\"report\":%s}", json);
    lf_free(json);
    return !ferror(rep);
}

/* Why writing the output failed (0: it has not). Set by the stream
 * callback too, so the message names the write error rather than the
 * stopped stream; after it the output is incomplete and never committed. */
static int write_errno;

/* Stream output callback; a NULL file (a dry run) discards the text. */
static int write_to(void *user, const char *data, size_t len)
{
    if (!user || fwrite(data, 1, len, (FILE *)user) == len)
        return 0;
    write_errno = errno;
    return -1;
}

/* Streams one input through the pipeline; for stdin, pipes, devices and
 * large files. */
static lf_status stream_file(const lf_context *ctx, const char *path, FILE *out, lf_result **res, lf_error *err)
{
    FILE *in = strcmp(path, "-") == 0 ? stdin : fopen(path, "rb");
    if (!in) {
        snprintf(err->message, sizeof err->message, "%s", strerror(errno));
        return LF_ERR_ARGUMENT;
    }
    lf_stream *s;
    lf_status st = lf_stream_new(ctx, write_to, out, &s, err);
    static char buf[1 << 16];
    size_t n;
    while (st == LF_OK && (n = fread(buf, 1, sizeof buf, in)) > 0)
        st = lf_stream_write(s, buf, n, err);
    if (st == LF_OK && ferror(in)) {
        snprintf(err->message, sizeof err->message, "read error: %s", strerror(errno));
        st = LF_ERR_ARGUMENT;
    }
    if (st == LF_OK)
        st = lf_stream_finish(s, res, err);
    lf_stream_free(s);
    if (in != stdin)
        fclose(in);
    return st;
}

/* Processes one input; returns whether it succeeded. */
static bool process_one(const settings *s, const lf_context *ctx, const char *path, FILE *out, FILE *rep, bool *first_rep)
{
    lf_error err = {0};
    lf_result *r = NULL;
    lf_status st;
    size_t len;
    bool too_big = false;
    bool whole = cli_reads_whole(path, CLI_WHOLE_FILE_MAX);
    char *data = whole ? cli_read_file(prog, path, CLI_WHOLE_FILE_MAX, &len, &too_big) : NULL;
    if (!whole || too_big) {
        st = stream_file(ctx, path, s->dry_run ? NULL : out, &r, &err);
    } else if (!data) {
        return false; /* cli_read_file said why */
    } else {
        st = lf_process(ctx, data, len, &r, &err);
        free(data);
        if (st == LF_OK && !s->dry_run) {
            size_t n;
            const char *text = lf_result_text(r, &n);
            if (!cli_write(prog, out, text, n)) {
                write_errno = errno ? errno : EIO;
                lf_result_free(r);
                return false;
            }
        }
    }
    if (st != LF_OK && write_errno) {
        fprintf(stderr, "%s: %s: write error: %s\n", prog, path, strerror(write_errno));
        lf_result_free(r);
        return false;
    }
    if (st != LF_OK) {
        fprintf(stderr, "%s: %s: %s\n", prog, path, err.message);
        lf_result_free(r);
        return false;
    }
    if (s->explain)
        explain(path, r);
    bool ok = true;
    if (rep) {
        ok = add_report(rep, *first_rep, path, r);
        *first_rep = false;
    }
    lf_result_free(r);
    return ok;
}

/* Runs the JSON Lines mode over one input; returns whether it could be read
 * and written through. */
static bool jsonl_file(const settings *s, const lf_context *ctx, const char *path, FILE *out)
{
    FILE *in = strcmp(path, "-") == 0 ? stdin : fopen(path, "rb");
    if (!in) {
        fprintf(stderr, "%s: %s: %s\n", prog, path, strerror(errno));
        return false;
    }
    int rc = jsonl_run(&s->jsonl, ctx, in, path, out, prog, s->quiet);
    if (in != stdin)
        fclose(in);
    return rc == CLI_OK;
}

int main(int argc, char **argv)
{
    settings s = {0};
    batch_settings_init(&s.batch);
    lf_options_init(&s.opt);
    int rc = parse_options(argc, argv, &s);
    if (rc >= 0) {
        lf_template_free(s.template);
        return rc;
    }
    /* A closed pipe or a file size limit is a write error we report (and
     * clean up after), not a silent death. */
    signal(SIGPIPE, SIG_IGN);
    signal(SIGXFSZ, SIG_IGN);

    lf_context *ctx;
    lf_error err;
    if (lf_context_new(&s.opt, &ctx, &err) != LF_OK) {
        fprintf(stderr, "%s: %s\n", prog, err.message);
        lf_template_free(s.template);
        return err.code == LF_ERR_ARGUMENT || err.code == LF_ERR_UNSUPPORTED ? CLI_USAGE : CLI_ALL_FAILED;
    }
    if (s.batch.input) {
        rc = batch_run(&s.batch, &s.opt, ctx, s.report, s.quiet, prog);
        lf_context_free(ctx);
        lf_template_free(s.template);
        return rc;
    }
    cli_out out = {0}, rep = {0};
    if ((!s.dry_run && !cli_out_open(prog, &out, s.output, s.files, s.nfiles)) ||
        (s.report && !cli_out_open(prog, &rep, s.report, s.files, s.nfiles))) {
        cli_out_abort(&out);
        lf_context_free(ctx);
        lf_template_free(s.template);
        return CLI_ALL_FAILED;
    }
    if (rep.f)
        fputs("{\"files\":[\n", rep.f);
    size_t failed = 0;
    bool first_rep = true;
    for (size_t i = 0; i < s.nfiles && !write_errno; i++)
        if (s.jsonl.on ? !jsonl_file(&s, ctx, s.files[i], out.f) : !process_one(&s, ctx, s.files[i], out.f, rep.f, &first_rep))
            failed++;
    if (rep.f)
        fputs("\n]}\n", rep.f);
    bool written = !write_errno && (s.dry_run || cli_out_commit(prog, &out)) && (!rep.f || cli_out_commit(prog, &rep));
    if (!written) {
        cli_out_abort(&out);
        cli_out_abort(&rep);
    }
    lf_context_free(ctx);
    lf_template_free(s.template);
    if (!written || failed == s.nfiles)
        return CLI_ALL_FAILED;
    return failed ? CLI_SOME_FAILED : CLI_OK;
}
