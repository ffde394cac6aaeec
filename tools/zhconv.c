/* zhconv — convert Chinese text between Simplified and Traditional with
 * libfix's convert pass (OpenCC underneath). */
#include "cli.h"
#include "libfix.h"

#include <getopt.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>

static const char usage_text[] =
    "NAME\n"
    "    zhconv - convert Chinese text between Simplified and Traditional\n"
    "\n"
    "SYNOPSIS\n"
    "    zhconv [-c CONFIG | -t SCRIPT] [--html | --text] [-i FILE] [-o FILE] [FILE...]\n"
    "\n"
    "DESCRIPTION\n"
    "    Converts UTF-8 text with an OpenCC configuration, like `opencc`, but\n"
    "    leaves URLs, NUL bytes and (in HTML) tags untouched and refuses\n"
    "    invalid UTF-8 instead of printing nothing. Input comes from -i FILE,\n"
    "    from the FILE arguments (converted in turn and concatenated), or from\n"
    "    standard input; output goes to -o FILE or standard output.\n"
    "\n"
    "OPTIONS\n"
    "    -c, --config CONFIG  an OpenCC configuration: s2t, t2s, s2tw, tw2s, s2twp,\n"
    "                         tw2sp, s2hk, hk2s, t2tw, tw2t, t2hk, hk2t, t2jp, jp2t,\n"
    "                         with or without .json, or the path of a config file.\n"
    "                         Default: s2t.\n"
    "    -t, --to-script SCRIPT  simplified, traditional, taiwan or hongkong: detect\n"
    "                         each paragraph's script and convert only those not\n"
    "                         already in SCRIPT. Overrides -c.\n"
    "    -i, --input FILE     read FILE (same as giving it as an argument).\n"
    "    -o, --output FILE    write to FILE, through a temporary file renamed into\n"
    "                         place; FILE may not be one of the inputs.\n"
    "        --html, --text   treat the input as HTML (tags kept) or plain text.\n"
    "                         Default: HTML when the input contains tags.\n"
    "    -v, --verbose        report on standard error how many paragraphs and\n"
    "                         characters were converted in each input.\n"
    "    -h, --help           show this text.\n"
    "    -V, --version        show the libfix version.\n"
    "\n"
    "EXIT STATUS\n"
    "    0  every input was converted\n"
    "    1  some inputs failed (unreadable, invalid UTF-8); the others were written\n"
    "    2  usage error (unknown option or config name, output is an input)\n"
    "    3  nothing could be processed (no input converted, OpenCC data missing,\n"
    "       output not writable)\n"
    "\n"
    "EXAMPLES\n"
    "    zhconv -c s2tw -i news.txt -o news.tw.txt\n"
    "    zhconv -t simplified page1.html page2.html > all.txt\n";

static void usage_error(const char *fmt, const char *arg)
{
    fprintf(stderr, "zhconv: ");
    fprintf(stderr, fmt, arg);
    fprintf(stderr, "\nTry 'zhconv --help'.\n");
}

static bool parse_script(const char *s, lf_script *out)
{
    static const struct {
        const char *name;
        lf_script script;
    } names[] = {
        {"simplified", LF_SCRIPT_SIMPLIFIED},
        {"traditional", LF_SCRIPT_TRADITIONAL},
        {"taiwan", LF_SCRIPT_TAIWAN},
        {"hongkong", LF_SCRIPT_HONGKONG},
    };
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        if (strcmp(s, names[i].name) == 0) {
            *out = names[i].script;
            return true;
        }
    }
    return false;
}

/* Converts one input and writes it to out. Returns 0 or 1 (this input failed). */
static int convert_one(const lf_context *ctx, const char *name, FILE *out, int verbose)
{
    size_t len = 0;
    bool too_big;
    char *text = cli_read_file("zhconv", name, (size_t)-1 / 2, &len, &too_big);
    if (!text)
        return 1; /* cli_read_file said why */
    lf_result *r = NULL;
    lf_error err;
    lf_status st = lf_process(ctx, text, len, &r, &err);
    free(text);
    if (st != LF_OK) {
        fprintf(stderr, "zhconv: %s: %s\n", name, err.message);
        return 1;
    }
    size_t olen;
    const char *o = lf_result_text(r, &olen);
    int rc = cli_write("zhconv", out, o, olen) ? 0 : 1;
    if (verbose) {
        unsigned long long chars = 0;
        for (size_t i = 0; i < lf_result_change_count(r); i++)
            chars += strtoull(lf_result_change(r, i)->note, NULL, 10);
        fprintf(stderr, "zhconv: %s: %llu paragraphs, %llu characters converted\n", name,
                (unsigned long long)lf_result_kind_count(r, LF_PASS_CONVERT, "convert"), chars);
    }
    lf_result_free(r);
    return rc;
}

int main(int argc, char **argv)
{
    static const struct option longopts[] = {
        {"config", required_argument, NULL, 'c'}, {"to-script", required_argument, NULL, 't'},
        {"input", required_argument, NULL, 'i'},  {"output", required_argument, NULL, 'o'},
        {"html", no_argument, NULL, 'H'},         {"text", no_argument, NULL, 'T'},
        {"verbose", no_argument, NULL, 'v'},      {"help", no_argument, NULL, 'h'},
        {"version", no_argument, NULL, 'V'},      {NULL, 0, NULL, 0},
    };
    lf_options opt;
    lf_options_init(&opt);
    opt.passes[0] = LF_PASS_CONVERT;
    opt.pass_count = 1;
    const char *config = "s2t", *input = NULL, *output = NULL;
    int verbose = 0, c;
    while ((c = getopt_long(argc, argv, "c:t:i:o:vhV", longopts, NULL)) != -1) {
        switch (c) {
        case 'c': config = optarg; break;
        case 't':
            if (!parse_script(optarg, &opt.to_script)) {
                usage_error("unknown script '%s' (simplified, traditional, taiwan, hongkong)", optarg);
                return 2;
            }
            break;
        case 'i': input = optarg; break;
        case 'o': output = optarg; break;
        case 'H': opt.format = LF_FORMAT_HTML; break;
        case 'T': opt.format = LF_FORMAT_TEXT; break;
        case 'v': verbose = 1; break;
        case 'h': fputs(usage_text, stdout); return 0;
        case 'V': printf("zhconv (libfix) %s\n", lf_version()); return 0;
        default: fprintf(stderr, "Try 'zhconv --help'.\n"); return 2;
        }
    }
    if (opt.to_script == LF_SCRIPT_KEEP)
        opt.opencc_config = config;

    /* The inputs: -i, then the arguments; standard input when none. */
    size_t ninputs = (size_t)(argc - optind) + (input != NULL);
    const char **inputs = calloc(ninputs ? ninputs : 1, sizeof *inputs);
    if (!inputs) {
        fprintf(stderr, "zhconv: out of memory\n");
        return 3;
    }
    size_t k = 0;
    if (input)
        inputs[k++] = input;
    for (int a = optind; a < argc; a++)
        inputs[k++] = argv[a];
    if (ninputs == 0)
        inputs[ninputs++] = "-";
    signal(SIGPIPE, SIG_IGN); /* a closed pipe is a write error we report */

    lf_context *ctx = NULL;
    lf_error err;
    lf_status st = lf_context_new(&opt, &ctx, &err);
    if (st != LF_OK) {
        fprintf(stderr, "zhconv: %s\n", err.message);
        free(inputs);
        return st == LF_ERR_UNSUPPORTED || st == LF_ERR_ARGUMENT ? 2 : 3;
    }

    cli_out out;
    if (!cli_out_open("zhconv", &out, output, (char *const *)inputs, ninputs)) {
        free(inputs);
        lf_context_free(ctx);
        return 2;
    }
    size_t failed = 0;
    for (size_t i = 0; i < ninputs; i++)
        failed += (size_t)convert_one(ctx, inputs[i], out.f, verbose);
    int rc = failed == 0 ? 0 : failed < ninputs ? 1 : 3;
    if (rc == 3)
        cli_out_abort(&out);
    else if (!cli_out_commit("zhconv", &out))
        rc = 3;
    free(inputs);
    lf_context_free(ctx);
    return rc;
}
