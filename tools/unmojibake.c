/* unmojibake — reverse mojibake in UTF-8 text with libfix's repair pass. */
#include "cli.h"
#include "libfix.h"

#include <signal.h>
#include <stdlib.h>
#include <string.h>

static const char usage[] =
    "NAME\n"
    "    unmojibake - reverse mojibake (text decoded with the wrong encoding)\n"
    "\n"
    "SYNOPSIS\n"
    "    unmojibake [--explain] [--dry-run] [-o OUTPUT] [FILE...]\n"
    "\n"
    "DESCRIPTION\n"
    "    Reads each UTF-8 FILE (standard input when there is none, or for \"-\"),\n"
    "    finds the spans that are bytes of one encoding decoded as another (UTF-8\n"
    "    read as GBK, Big5, Shift_JIS, EUC-KR, windows-1252, Latin-1, MacRoman;\n"
    "    GBK and Big5 read as each other; legacy CJK read as windows-1252; CESU-8\n"
    "    read as windows-1252; the same done twice, or two of them one over the\n"
    "    other), reverses them when the reverse is exact and the result is\n"
    "    clearly more plausible, and writes the repaired text to standard output\n"
    "    (all inputs in order) or to OUTPUT. Clean text is passed through unchanged.\n"
    "    Lost characters (U+FFFD, \"\xe9\x94\x9f\xe6\x96\xa4\xe6\x8b\xb7\", '?' runs in CJK text) are reported, not guessed;\n"
    "    inside UTF-8 misread as windows-1252 and the like, what is around a lost\n"
    "    byte is recovered and the character that lost it becomes U+FFFD.\n"
    "\n"
    "OPTIONS\n"
    "    --explain      print every repair and every lossy span to standard error:\n"
    "                   file, kind, byte span in, byte span out, confidence, chain\n"
    "    --dry-run      report (with --explain) but write the input unchanged\n"
    "    -o OUTPUT      write to OUTPUT through a temporary file renamed into place;\n"
    "                   OUTPUT must not be one of the inputs\n"
    "    -h, --help     show this text\n"
    "\n"
    "EXIT STATUS\n"
    "    0  every input was processed\n"
    "    1  some inputs failed (unreadable, not UTF-8); the others were processed\n"
    "    2  usage error\n"
    "    3  nothing could be processed\n";

struct options {
    int explain, dry_run;
    const char *output;
};

static void explain(const char *name, const lf_result *r)
{
    size_t n = lf_result_change_count(r);
    for (size_t i = 0; i < n; i++) {
        const lf_change *c = lf_result_change(r, i);
        fprintf(stderr, "%s: %s [%llu,%llu) -> [%llu,%llu) confidence %.2f: %s\n", name, c->kind,
                (unsigned long long)c->in_start, (unsigned long long)c->in_end, (unsigned long long)c->out_start,
                (unsigned long long)c->out_end, c->confidence, c->note ? c->note : "");
    }
    if (lf_result_truncated(r))
        fprintf(stderr, "%s: (more changes than could be listed)\n", name);
}

/* Repairs one input and appends the text to out. Returns 0 or 1 (failed). */
static int process(const lf_context *ctx, const struct options *o, const char *path, FILE *out)
{
    const char *name = strcmp(path, "-") == 0 ? "(stdin)" : path;
    size_t len = 0;
    bool too_big;
    char *buf = cli_read_file("unmojibake", path, (size_t)-1 / 2, &len, &too_big);
    if (!buf)
        return 1; /* cli_read_file said why */
    lf_result *r = NULL;
    lf_error err;
    lf_status st = lf_process(ctx, buf, len, &r, &err);
    free(buf);
    if (st != LF_OK) {
        fprintf(stderr, "unmojibake: %s: %s\n", name, err.message);
        return 1;
    }
    if (o->explain)
        explain(name, r);
    size_t outlen;
    const char *text = lf_result_text(r, &outlen);
    int rc = cli_write("unmojibake", out, text, outlen) ? 0 : 1;
    lf_result_free(r);
    return rc;
}

int main(int argc, char **argv)
{
    struct options o = {0};
    const char **files = calloc((size_t)argc + 1, sizeof *files);
    size_t nfiles = 0;
    if (!files)
        return 3;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
            fputs(usage, stdout);
            free(files);
            return 0;
        } else if (strcmp(a, "--explain") == 0) {
            o.explain = 1;
        } else if (strcmp(a, "--dry-run") == 0) {
            o.dry_run = 1;
        } else if (strcmp(a, "-o") == 0 && i + 1 < argc) {
            o.output = argv[++i];
        } else if (a[0] == '-' && a[1] != '\0') {
            fprintf(stderr, "unmojibake: unknown option '%s' (see --help)\n", a);
            free(files);
            return 2;
        } else {
            files[nfiles++] = a;
        }
    }
    if (nfiles == 0)
        files[nfiles++] = "-";
    signal(SIGPIPE, SIG_IGN); /* a closed pipe is a write error we report */

    lf_options opt;
    lf_options_init(&opt);
    opt.passes[0] = LF_PASS_REPAIR;
    opt.pass_count = 1;
    opt.repair_dry_run = o.dry_run;
    lf_context *ctx;
    lf_error err;
    if (lf_context_new(&opt, &ctx, &err) != LF_OK) {
        fprintf(stderr, "unmojibake: %s\n", err.message);
        free(files);
        return 3;
    }

    cli_out out;
    if (!cli_out_open("unmojibake", &out, o.output, (char *const *)files, nfiles)) {
        free(files);
        lf_context_free(ctx);
        return 2;
    }
    size_t failed = 0;
    for (size_t i = 0; i < nfiles; i++)
        failed += (size_t)process(ctx, &o, files[i], out.f);
    int rc = failed == 0 ? 0 : failed < nfiles ? 1 : 3;
    if (rc == 3)
        cli_out_abort(&out);
    else if (!cli_out_commit("unmojibake", &out))
        rc = 3;
    lf_context_free(ctx);
    free(files);
    return rc;
}
