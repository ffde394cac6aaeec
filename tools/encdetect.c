/*
 * encdetect — print the detected encoding of each file, like uchardet.
 */
#include "cli.h"
#include "libfix.h"

#include <getopt.h>
#include <stdlib.h>
#include <string.h>

static const char *prog = "encdetect";

static const char usage_text[] =
    "Usage: encdetect [OPTION]... [FILE]...\n"
    "Print the encoding libfix detects for each FILE (standard input when none,\n"
    "or for -) and the confidence, one line per file: FILE: ENCODING (CONFIDENCE).\n"
    "Detection reads the first 64 KiB.\n"
    "\n"
    "  -n, --name-only  print only the encoding name\n"
    "  -h, --help       this text\n"
    "  -V, --version    the version\n"
    "\n"
    "Exit status: 0 all inputs read, 1 some could not be read, 2 usage error,\n"
    "3 none could be read.\n";

int main(int argc, char **argv)
{
    static const struct option longopts[] = {
        {"name-only", no_argument, 0, 'n'}, {"help", no_argument, 0, 'h'}, {"version", no_argument, 0, 'V'}, {0, 0, 0, 0}};
    bool name_only = false;
    int c;
    while ((c = getopt_long(argc, argv, "nhV", longopts, NULL)) != -1) {
        switch (c) {
        case 'n': name_only = true; break;
        case 'h': fputs(usage_text, stdout); return CLI_OK;
        case 'V': printf("encdetect (libfix) %s\n", lf_version()); return CLI_OK;
        default: fprintf(stderr, "Try 'encdetect --help' for more information.\n"); return CLI_USAGE;
        }
    }
    char *stdin_only[] = {"-"};
    char **files = optind < argc ? argv + optind : stdin_only;
    size_t nfiles = optind < argc ? (size_t)(argc - optind) : 1, failed = 0;
    lf_options opt;
    lf_options_init(&opt);
    opt.passes[0] = LF_PASS_DECODE;
    opt.pass_count = 1;
    lf_context *ctx;
    lf_error err;
    if (lf_context_new(&opt, &ctx, &err) != LF_OK) {
        fprintf(stderr, "%s: %s\n", prog, err.message);
        return CLI_ALL_FAILED;
    }
    for (size_t i = 0; i < nfiles; i++) {
        size_t len;
        bool too_big;
        /* Detection samples 64 KiB; read a little more so a cut sequence is seen as cut. */
        char *data = cli_read_file(prog, files[i], (size_t)-1 / 2, &len, &too_big);
        if (!data) {
            failed++;
            continue;
        }
        const char *name;
        double conf;
        lf_detect_encoding(ctx, data, len, &name, &conf, NULL);
        if (name_only)
            printf("%s\n", name);
        else
            printf("%s: %s (%.2f)\n", files[i], name, conf);
        free(data);
    }
    lf_context_free(ctx);
    if (fflush(stdout) != 0) {
        fprintf(stderr, "%s: write error\n", prog);
        return CLI_ALL_FAILED;
    }
    return failed == nfiles ? CLI_ALL_FAILED : failed ? CLI_SOME_FAILED : CLI_OK;
}
