/* deboil — remove page boilerplate from scraped pages (a thin main() over
 * libfix's strip pass). Run `deboil --help` for the manual. */
#include "cli.h"
#include "libfix.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char usage[] =
    "NAME\n"
    "    deboil - remove page boilerplate from scraped pages, keep the article\n"
    "\n"
    "SYNOPSIS\n"
    "    deboil [OPTIONS] [FILE...]\n"
    "\n"
    "DESCRIPTION\n"
    "    Reads each FILE (or standard input when there is none, or for \"-\")\n"
    "    and writes the main content. Plain text keeps its lines byte for byte\n"
    "    and in order, minus breadcrumbs, bylines, widgets, related lists,\n"
    "    footers, disclaimers, counters, promotional intros and the like. HTML\n"
    "    yields the main text as one paragraph per line.\n"
    "    Input must be UTF-8 unless this libfix build has the decode pass.\n"
    "\n"
    "OPTIONS\n"
    "    -o, --output FILE     write the result to FILE (one input only)\n"
    "    -d, --outdir DIR      write each result to DIR/<input file name>\n"
    "                          (default: standard output)\n"
    "    --format text|html|auto\n"
    "                          input format (default auto: HTML when it looks like markup)\n"
    "    --keep-title          keep the title line (the default)\n"
    "    --drop-title          remove the title line too\n"
    "    --keep-bylines        keep source, author and date lines\n"
    "    --keep-captions       keep photo captions\n"
    "    --explain             list each removed line on standard error as\n"
    "                          FILE:LINE: REASON: TEXT\n"
    "    --metadata json       print one JSON object per input on standard output\n"
    "                          (file, title, date, source, author, url); the text then\n"
    "                          goes only to --output/--outdir, if given\n"
    "    --learn-template FILE learn the lines that repeat across the inputs (one\n"
    "                          site's pages, plain text), save them to FILE, and\n"
    "                          strip with them\n"
    "    --template FILE       strip with a template saved by --learn-template\n"
    "    -h, --help            show this text\n"
    "\n"
    "    An output file is written to a temporary file and renamed; an input\n"
    "    file is never overwritten.\n"
    "\n"
    "EXIT STATUS\n"
    "    0  every input was processed\n"
    "    1  some inputs failed (each is named on standard error)\n"
    "    2  usage error\n"
    "    3  no input could be processed, or the --template file could not be\n"
    "       read\n"
    "\n"
    "EXAMPLES\n"
    "    deboil --explain page.txt > clean.txt\n"
    "    deboil --learn-template site.tpl -d out/ site/*.txt\n"
    "    deboil --format html --metadata json page.html\n";

typedef struct args {
    const char *output, *outdir, *learn, *template_path;
    int explain, metadata;
    lf_options opt;
    char **files;
    int nfiles;
} args;

static int usage_error(const char *fmt, const char *what)
{
    fprintf(stderr, "deboil: ");
    fprintf(stderr, fmt, what);
    fprintf(stderr, "\nTry 'deboil --help'.\n");
    return 2;
}

static int parse_args(int argc, char **argv, args *a)
{
    lf_options_init(&a->opt);
    /* With a decode pass in this build, any encoding is accepted. */
    a->opt.pass_count = 0;
    if (lf_pass_available(LF_PASS_DECODE))
        a->opt.passes[a->opt.pass_count++] = LF_PASS_DECODE;
    a->opt.passes[a->opt.pass_count++] = LF_PASS_STRIP;
    int i = 1;
    for (; i < argc; i++) {
        const char *s = argv[i];
        const char *next = i + 1 < argc ? argv[i + 1] : NULL;
        if (!strcmp(s, "--")) {
            i++;
            break;
        }
        if (s[0] != '-' || !strcmp(s, "-"))
            break;
        if (!strcmp(s, "-h") || !strcmp(s, "--help")) {
            fputs(usage, stdout);
            exit(0);
        } else if (!strcmp(s, "--keep-title")) {
            a->opt.keep_title = 1;
        } else if (!strcmp(s, "--drop-title")) {
            a->opt.keep_title = 0;
        } else if (!strcmp(s, "--keep-bylines")) {
            a->opt.keep_bylines = 1;
        } else if (!strcmp(s, "--keep-captions")) {
            a->opt.keep_captions = 1;
        } else if (!strcmp(s, "--explain")) {
            a->explain = 1;
        } else if (!next) {
            return usage_error("unknown option or missing value: %s", s);
        } else if (!strcmp(s, "-o") || !strcmp(s, "--output")) {
            a->output = argv[++i];
        } else if (!strcmp(s, "-d") || !strcmp(s, "--outdir")) {
            a->outdir = argv[++i];
        } else if (!strcmp(s, "--learn-template")) {
            a->learn = argv[++i];
        } else if (!strcmp(s, "--template")) {
            a->template_path = argv[++i];
        } else if (!strcmp(s, "--metadata")) {
            if (strcmp(argv[++i], "json") != 0)
                return usage_error("--metadata takes 'json', not '%s'", argv[i]);
            a->metadata = 1;
        } else if (!strcmp(s, "--format")) {
            const char *f = argv[++i];
            if (!strcmp(f, "text"))
                a->opt.format = LF_FORMAT_TEXT;
            else if (!strcmp(f, "html"))
                a->opt.format = LF_FORMAT_HTML;
            else if (!strcmp(f, "auto"))
                a->opt.format = LF_FORMAT_AUTO;
            else
                return usage_error("--format takes text, html or auto, not '%s'", f);
        } else {
            return usage_error("unknown option %s", s);
        }
    }
    a->files = argv + i;
    a->nfiles = argc - i;
    if (a->output && a->outdir)
        return usage_error("%s", "give --output or --outdir, not both");
    if (a->output && a->nfiles > 1)
        return usage_error("%s", "--output takes one input; use --outdir for several");
    if (a->learn && a->template_path)
        return usage_error("%s", "give --learn-template or --template, not both");
    return 0;
}

/* Reads a whole input ("-" is stdin); NULL after a message on failure. */
static char *read_input(const char *path, size_t *len)
{
    bool too_big;
    return cli_read_file("deboil", path, (size_t)-1 / 2, len, &too_big);
}

/* Writes data to path through a temporary file renamed into place, never
 * over the input it came from. */
static bool write_output(const char *path, const char *input, const char *data, size_t len)
{
    char *inputs[1] = {(char *)input};
    cli_out o;
    if (!cli_out_open("deboil", &o, path, inputs, 1))
        return false;
    if (!cli_write("deboil", o.f, data, len)) {
        cli_out_abort(&o);
        return false;
    }
    return cli_out_commit("deboil", &o);
}

static void json_string(FILE *f, const char *s)
{
    fputc('"', f);
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if (*p == '"' || *p == '\\')
            fprintf(f, "\\%c", *p);
        else if (*p < 0x20)
            fprintf(f, "\\u%04x", *p);
        else
            fputc(*p, f);
    }
    fputc('"', f);
}

static void print_metadata(const char *name, const lf_result *r)
{
    static const char *const keys[] = {"title", "date", "source", "author", "url"};
    printf("{\"file\":");
    json_string(stdout, name);
    for (size_t k = 0; k < 5; k++) {
        const char *v = lf_result_metadata(r, keys[k]);
        printf(",\"%s\":", keys[k]);
        if (v)
            json_string(stdout, v);
        else
            printf("null");
    }
    printf("}\n");
}

/* FILE:LINE: REASON: TEXT for every removed line (its first line if a span covers several). */
static void explain(const char *name, const char *in, size_t len, const lf_result *r)
{
    size_t line = 1, pos = 0;
    for (size_t i = 0; i < lf_result_change_count(r); i++) {
        const lf_change *c = lf_result_change(r, i);
        if (c->pass != LF_PASS_STRIP || strcmp(c->kind, "boilerplate") != 0 || c->in_start > len)
            continue;
        size_t at = (size_t)c->in_start;
        if (at < pos)
            line = 1, pos = 0;
        for (; pos < at; pos++)
            line += in[pos] == '\n';
        /* the span may start with blank lines that went with it */
        size_t s = at, l = line;
        while (s < len && (in[s] == '\n' || in[s] == ' ' || in[s] == '\r' || in[s] == '\t')) {
            l += in[s] == '\n';
            s++;
        }
        while (s > at && in[s - 1] != '\n')
            s--;
        const char *nl = memchr(in + s, '\n', len - s);
        size_t e = nl ? (size_t)(nl - in) : len;
        fprintf(stderr, "%s:%zu: %s: %.*s\n", name, l, c->note, (int)(e - s > 200 ? 200 : e - s), in + s);
    }
}

static char *output_path(const args *a, const char *input)
{
    if (a->output)
        return strdup(a->output);
    if (!a->outdir)
        return NULL;
    const char *base = strrchr(input, '/');
    base = base ? base + 1 : input;
    if (!strcmp(input, "-"))
        base = "stdin.txt";
    size_t n = strlen(a->outdir) + strlen(base) + 2;
    char *p = malloc(n);
    if (p)
        snprintf(p, n, "%s/%s", a->outdir, base);
    return p;
}

static int process_one(const args *a, const lf_context *ctx, const char *name)
{
    size_t len;
    char *in = read_input(name, &len);
    if (!in)
        return 1;
    lf_result *r = NULL;
    lf_error err;
    int rc = 0;
    if (lf_process(ctx, in, len, &r, &err) != LF_OK) {
        fprintf(stderr, "deboil: %s: %s\n", name, err.message);
        free(in);
        return 1;
    }
    size_t out_len;
    const char *text = lf_result_text(r, &out_len);
    char *path = output_path(a, name);
    if ((a->output || a->outdir) && !path) {
        fprintf(stderr, "deboil: out of memory\n");
        rc = 1;
    } else if (path) {
        if (!write_output(path, name, text, out_len))
            rc = 1;
    } else if (!a->metadata && fwrite(text, 1, out_len, stdout) != out_len) {
        fprintf(stderr, "deboil: cannot write standard output\n");
        rc = 1;
    }
    if (a->explain)
        explain(name, in, len, r);
    if (a->metadata)
        print_metadata(name, r);
    free(path);
    lf_result_free(r);
    free(in);
    return rc;
}

static int learn_template(const args *a, lf_template **out)
{
    lf_error err;
    if (lf_template_new(out, &err) != LF_OK) {
        fprintf(stderr, "deboil: %s\n", err.message);
        return 3;
    }
    for (int i = 0; i < a->nfiles; i++) {
        size_t len;
        char *in = read_input(a->files[i], &len);
        if (in && lf_template_add_page(*out, in, len, &err) != LF_OK)
            fprintf(stderr, "deboil: %s: not learned from: %s\n", a->files[i], err.message);
        free(in);
    }
    if (lf_template_save(*out, a->learn, &err) != LF_OK) {
        fprintf(stderr, "deboil: %s\n", err.message);
        return 3;
    }
    fprintf(stderr, "deboil: learned %zu template lines from %zu pages into %s\n", lf_template_line_count(*out),
            lf_template_page_count(*out), a->learn);
    return 0;
}

int main(int argc, char **argv)
{
    args a = {0};
    int rc = parse_args(argc, argv, &a);
    if (rc)
        return rc;
    char *stdin_only[] = {"-"};
    if (a.nfiles == 0) {
        a.files = stdin_only;
        a.nfiles = 1;
    }
    if (a.learn && a.nfiles < 2)
        return usage_error("%s", "--learn-template needs the pages of one site (two or more files)");
    lf_template *tmpl = NULL;
    lf_error err;
    if (a.learn && (rc = learn_template(&a, &tmpl)) != 0) {
        lf_template_free(tmpl);
        return rc;
    }
    if (a.template_path && lf_template_load(a.template_path, &tmpl, &err) != LF_OK) {
        fprintf(stderr, "deboil: %s\n", err.message);
        return 3;
    }
    a.opt.strip_template = tmpl;
    lf_context *ctx;
    if (lf_context_new(&a.opt, &ctx, &err) != LF_OK) {
        fprintf(stderr, "deboil: %s\n", err.message);
        lf_template_free(tmpl);
        return 3;
    }
    int failed = 0;
    for (int i = 0; i < a.nfiles; i++)
        failed += process_one(&a, ctx, a.files[i]);
    lf_context_free(ctx);
    lf_template_free(tmpl);
    if (failed == a.nfiles)
        return 3;
    return failed ? 1 : 0;
}
