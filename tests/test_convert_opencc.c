/* test_convert_opencc.c — conformance with the `opencc` command-line tool.
 *
 * For every case of OpenCC's testcases.json and every config it names that
 * the installed OpenCC has, and for the golden files: libfix's output must
 * be byte-identical to what `opencc -c NAME.json` prints. Both are also
 * compared with the expectations, which belong to a newer OpenCC than
 * Debian's, so both miss the same ones; the counts are printed. */
#include "check.h"
#include "support.h"
#include "internal.h"

#include <jansson.h>
#include <unistd.h>

#define OPENCC_DIR "/usr/share/opencc/"

static char tmpdir[64];

/* Runs `opencc -c config.json` over in[0..len) and returns its output. */
static char *cli_convert(const char *config, const char *in, size_t len)
{
    char src[128], dst[128], cmd[512];
    snprintf(src, sizeof src, "%s/in.txt", tmpdir);
    snprintf(dst, sizeof dst, "%s/out.txt", tmpdir);
    FILE *f = fopen(src, "wb");
    if (!f || fwrite(in, 1, len, f) != len) {
        fprintf(stderr, "cannot write %s\n", src);
        exit(1);
    }
    fclose(f);
    snprintf(cmd, sizeof cmd, "cd '%s' && opencc -c %s.json -i in.txt -o out.txt", tmpdir, config);
    if (system(cmd) != 0) {
        fprintf(stderr, "failed: %s\n", cmd);
        return strdup("");
    }
    size_t n;
    char *out = check_read_file(dst, &n);
    return out ? out : strdup("");
}

/* testcases.json has trailing commas; drop those outside strings. */
static void strip_trailing_commas(char *s)
{
    bool in_string = false;
    char *w = s;
    for (char *r = s; *r; r++) {
        if (in_string) {
            if (*r == '\\' && r[1]) {
                *w++ = *r++;
            } else if (*r == '"') {
                in_string = false;
            }
        } else if (*r == '"') {
            in_string = true;
        } else if (*r == ',') {
            char *next = r + 1 + strspn(r + 1, " \t\r\n");
            if (*next == '}' || *next == ']')
                continue;
        }
        *w++ = *r;
    }
    *w = '\0';
}

static bool installed(const char *config)
{
    char path[256];
    snprintf(path, sizeof path, OPENCC_DIR "%s.json", config);
    return access(path, R_OK) == 0;
}

/* Checks every (case, config) pair of one config in a single CLI run: the
 * inputs, one per line, go through opencc together. */
static void run_config(const char *config, json_t *cases, size_t *pairs, size_t *lib_pass, size_t *cli_pass,
                       size_t *identical)
{
    lf_context *ctx = support_convert_context(config, LF_SCRIPT_KEEP, LF_FORMAT_TEXT);
    lf_buf joined;
    lf_buf_init(&joined);
    size_t i;
    json_t *c;
    json_array_foreach(cases, i, c)
    {
        if (!json_object_get(json_object_get(c, "expected"), config))
            continue;
        const char *in = json_string_value(json_object_get(c, "input"));
        lf_buf_append(&joined, in, strlen(in));
        lf_buf_append_char(&joined, '\n');
    }
    char *cli = cli_convert(config, joined.data ? joined.data : "", joined.len);
    char *line = cli;
    json_array_foreach(cases, i, c)
    {
        const char *want = json_string_value(json_object_get(json_object_get(c, "expected"), config));
        if (!want)
            continue;
        const char *in = json_string_value(json_object_get(c, "input"));
        char *nl = strchr(line, '\n');
        if (nl)
            *nl = '\0';
        char *lib = support_process(ctx, in, strlen(in));
        (*pairs)++;
        *lib_pass += strcmp(lib, want) == 0;
        *cli_pass += strcmp(line, want) == 0;
        if (strcmp(lib, line) == 0)
            (*identical)++;
        else
            fprintf(stderr, "  %s %s: libfix \"%s\", opencc \"%s\"\n", json_string_value(json_object_get(c, "id")),
                    config, lib, line);
        free(lib);
        line = nl ? nl + 1 : line + strlen(line);
    }
    free(cli);
    lf_buf_free(&joined);
    lf_context_free(ctx);
}

static void test_testcases(void)
{
    size_t len;
    char *text = check_read_file(LIBFIX_TESTDATA "/opencc/test/testcases/testcases.json", &len);
    CHECK(text != NULL);
    if (!text)
        return;
    strip_trailing_commas(text);
    json_error_t jerr;
    json_t *root = json_loads(text, 0, &jerr);
    free(text);
    CHECK(root != NULL);
    if (!root) {
        fprintf(stderr, "testcases.json: %s at line %d\n", jerr.text, jerr.line);
        return;
    }
    json_t *cases = json_object_get(root, "cases");
    /* Every config any case names, once. */
    const char *configs[32];
    size_t nconfigs = 0, skipped = 0, i;
    json_t *c;
    json_array_foreach(cases, i, c)
    {
        const char *key;
        json_t *v;
        json_object_foreach(json_object_get(c, "expected"), key, v)
        {
            size_t k = 0;
            while (k < nconfigs && strcmp(configs[k], key) != 0)
                k++;
            if (k == nconfigs && nconfigs < 32)
                configs[nconfigs++] = key;
        }
    }
    size_t pairs = 0, lib_pass = 0, cli_pass = 0, identical = 0;
    for (size_t k = 0; k < nconfigs; k++) {
        if (!installed(configs[k])) {
            json_array_foreach(cases, i, c) skipped +=
                json_object_get(json_object_get(c, "expected"), configs[k]) != NULL;
            continue;
        }
        run_config(configs[k], cases, &pairs, &lib_pass, &cli_pass, &identical);
    }
    printf("testcases.json: %zu cases, %zu pairs with an installed config (%zu skipped): libfix passes %zu, "
           "opencc passes %zu, identical output %zu\n",
           json_array_size(cases), pairs, skipped, lib_pass, cli_pass, identical);
    CHECK(pairs > 500);
    CHECK(identical == pairs);
    CHECK(lib_pass == cli_pass);
    json_decref(root);
}

static void test_golden(void)
{
    static const char *const configs[] = {"s2t", "s2tw", "s2twp", "s2hk", "s2hkp"};
    size_t len;
    char *in = check_read_file(LIBFIX_TESTDATA "/opencc/test/golden/input/us_constitution_zhs.txt", &len);
    CHECK(in != NULL);
    if (!in)
        return;
    size_t tested = 0, lib_pass = 0, cli_pass = 0, identical = 0;
    for (size_t k = 0; k < sizeof configs / sizeof configs[0]; k++) {
        if (!installed(configs[k]))
            continue;
        char path[512];
        snprintf(path, sizeof path, LIBFIX_TESTDATA "/opencc/test/golden/output/us_constitution_zhs.%s.txt",
                 configs[k]);
        size_t wlen;
        char *want = check_read_file(path, &wlen);
        lf_context *ctx = support_convert_context(configs[k], LF_SCRIPT_KEEP, LF_FORMAT_TEXT);
        char *lib = support_process(ctx, in, len);
        char *cli = cli_convert(configs[k], in, len);
        tested++;
        lib_pass += want && strcmp(lib, want) == 0;
        cli_pass += want && strcmp(cli, want) == 0;
        identical += strcmp(lib, cli) == 0;
        free(want), free(lib), free(cli);
        lf_context_free(ctx);
    }
    printf("golden us_constitution_zhs: %zu configs installed: libfix passes %zu, opencc passes %zu, identical %zu\n",
           tested, lib_pass, cli_pass, identical);
    CHECK(tested >= 4);
    CHECK(identical == tested);
    free(in);
}

int main(void)
{
    snprintf(tmpdir, sizeof tmpdir, "/tmp/lf_opencc_XXXXXX");
    if (!mkdtemp(tmpdir)) {
        perror("mkdtemp");
        return 1;
    }
    test_testcases();
    test_golden();
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmpdir);
    if (system(cmd) != 0)
        fprintf(stderr, "could not remove %s\n", tmpdir);
    return check_done("test_convert_opencc");
}
