/* test_convert_cli.c — the zhconv tool: output equals the library's, exit
 * codes as documented, outputs written atomically, inputs never overwritten. */
#include "check.h"
#include "support.h"
#include "libfix.h"

#include <dirent.h>
#include <sys/wait.h>

static char dir[64];

/* Runs a shell command; returns its exit status (-1 if it did not exit). */
static int sh(const char *fmt, const char *a, const char *b)
{
    char cmd[2048];
    snprintf(cmd, sizeof cmd, fmt, a, b);
    int st = system(cmd);
    return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

static char *lib_convert(const char *config, const char *in, size_t len)
{
    lf_context *ctx = support_convert_context(config, LF_SCRIPT_KEEP, LF_FORMAT_AUTO);
    char *out = support_process(ctx, in, len);
    lf_context_free(ctx);
    return out;
}

static char *slurp(const char *path)
{
    size_t len;
    return check_read_file(path, &len);
}

static size_t count_files(void)
{
    DIR *d = opendir(dir);
    size_t n = 0;
    for (struct dirent *e; d && (e = readdir(d));)
        n += e->d_name[0] != '.';
    if (d)
        closedir(d);
    return n;
}

int main(void)
{
    snprintf(dir, sizeof dir, "/tmp/lf_zhconv_XXXXXX");
    if (!mkdtemp(dir))
        return 1;
    const char *seed = LIBFIX_TESTDATA "/seeds/000_2c2c842a2fec32c3.txt";
    const char *seed2 = LIBFIX_TESTDATA "/seeds/003_3cb92859fe70f893.txt";
    char out[128], bad[128], both[128];
    snprintf(out, sizeof out, "%s/out.txt", dir);
    snprintf(bad, sizeof bad, "%s/bad.txt", dir);
    snprintf(both, sizeof both, "%s/both.txt", dir);

    /* -c NAME -i FILE -o FILE: the library's result, and nothing else left behind. */
    CHECK(sh(ZHCONV " -c s2tw -i '%s' -o '%s'", seed, out) == 0);
    char *in = slurp(seed), *got = slurp(out);
    char *want = in ? lib_convert("s2tw", in, strlen(in)) : NULL;
    CHECK(got && want && strcmp(got, want) == 0);
    CHECK(count_files() == 1);
    free(got), free(want);

    /* FILE... arguments are converted in turn to standard output. */
    CHECK(sh(ZHCONV " -c t2s '%s' '%s' >/dev/null", seed, seed2) == 0);
    char cmd[512];
    snprintf(cmd, sizeof cmd, ZHCONV " -c t2s '%s' '%s' > '%s'", seed, seed2, both);
    CHECK(system(cmd) == 0);
    char *in2 = slurp(seed2), *cat = slurp(both);
    char *w1 = lib_convert("t2s", in, strlen(in)), *w2 = lib_convert("t2s", in2, strlen(in2));
    CHECK(cat && w1 && w2 && strlen(cat) == strlen(w1) + strlen(w2) && strncmp(cat, w1, strlen(w1)) == 0 &&
          strcmp(cat + strlen(w1), w2) == 0);
    free(in2), free(cat), free(w1), free(w2);

    /* The output may not be an input; the input stays as it was. */
    CHECK(sh(ZHCONV " -c s2t -i '%s' -o '%s' 2>/dev/null", out, out) == 2);
    got = slurp(out);
    char *again = in ? lib_convert("s2tw", in, strlen(in)) : NULL;
    CHECK(got && again && strcmp(got, again) == 0);
    free(got), free(again);

    /* Usage errors, data errors, partial and total failure. */
    CHECK(sh(ZHCONV " -c x2y '%s' >/dev/null 2>&1%s", seed, "") == 2);
    CHECK(sh(ZHCONV " --bogus '%s' >/dev/null 2>&1%s", seed, "") == 2);
    CHECK(sh(ZHCONV " -t martian '%s' >/dev/null 2>&1%s", seed, "") == 2);
    CHECK(sh(ZHCONV " -c /nonexistent/s2t.json '%s' >/dev/null 2>&1%s", seed, "") == 3);
    FILE *f = fopen(bad, "wb");
    CHECK(f && fwrite("ok\xff\n", 1, 4, f) == 4);
    if (f)
        fclose(f);
    CHECK(sh(ZHCONV " '%s' '%s' >/dev/null 2>&1", seed, bad) == 1);
    snprintf(cmd, sizeof cmd, ZHCONV " '%s' 2>&1 >/dev/null | grep -q 'byte 2'", bad);
    CHECK(system(cmd) == 0);
    CHECK(sh(ZHCONV " '%s' '%s/missing.txt' >/dev/null 2>&1", bad, dir) == 3);
    /* A failed run leaves no output and no temporary file behind. */
    size_t before = count_files();
    CHECK(sh(ZHCONV " -i '%s' -o '%s/never.txt' 2>/dev/null", bad, dir) == 3);
    CHECK(count_files() == before);
    CHECK(sh(ZHCONV " --help | grep -q 'EXIT STATUS'%s%s", "", "") == 0);

    free(in);
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    if (system(cmd) != 0)
        fprintf(stderr, "could not remove %s\n", dir);
    return check_done("test_convert_cli");
}
