/* test_detect.c — encoding detection: the seeds in every encoding they can be
 * saved in, and 2,000 short Chinese snippets in GBK and Big5, where ICU's
 * detector alone is measured beside ours. */
#include "check.h"
#include "libfix.h"

#include <dirent.h>
#include <strings.h>
#include <unicode/ucsdet.h>

static lf_context *ctx;

static const char *detect(const char *data, size_t len)
{
    const char *name = NULL;
    double conf;
    CHECK(lf_detect_encoding(ctx, data, len, &name, &conf, NULL) == LF_OK);
    CHECK(conf >= 0.0 && conf <= 1.0);
    return name;
}

static const char *icu_detect(const char *data, size_t len)
{
    UErrorCode ec = U_ZERO_ERROR;
    UCharsetDetector *d = ucsdet_open(&ec);
    ucsdet_setText(d, data, (int32_t)len, &ec);
    const UCharsetMatch *m = ucsdet_detect(d, &ec);
    static __thread char name[64];
    snprintf(name, sizeof name, "%s", m && U_SUCCESS(ec) ? ucsdet_getName(m, &ec) : "?");
    ucsdet_close(d);
    return name;
}

static bool same_family(const char *expected, const char *got)
{
    if (strcmp(expected, "GBK") == 0)
        return strcmp(got, "GB18030") == 0 || strcmp(got, "GBK") == 0;
    return strcmp(expected, got) == 0;
}

static int unhex(char c)
{
    return c <= '9' ? c - '0' : c - 'a' + 10;
}

static void test_snippets(void)
{
    size_t len;
    char *tsv = check_read_file(LIBFIX_TESTDATA "/detect/snippets.tsv", &len);
    CHECK(tsv != NULL);
    if (!tsv)
        return;
    int total = 0, ours = 0, icu = 0;
    int per_total[2] = {0, 0}, per_ours[2] = {0, 0}, per_icu[2] = {0, 0};
    char *save = NULL;
    for (char *line = strtok_r(tsv, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
        char *tab = strchr(line, '\t');
        if (!tab)
            continue;
        *tab = '\0';
        const char *hex = tab + 1;
        size_t n = strlen(hex) / 2;
        char bytes[256];
        if (n > sizeof bytes)
            continue;
        for (size_t i = 0; i < n; i++)
            bytes[i] = (char)(unhex(hex[2 * i]) * 16 + unhex(hex[2 * i + 1]));
        int k = strcmp(line, "GBK") == 0 ? 0 : 1;
        bool ok = same_family(line, detect(bytes, n));
        bool icu_ok = same_family(line, icu_detect(bytes, n));
        total++, per_total[k]++;
        ours += ok, per_ours[k] += ok;
        icu += icu_ok, per_icu[k] += icu_ok;
    }
    printf("short snippets: libfix %d/%d (%.1f%%), ICU alone %d/%d (%.1f%%)\n", ours, total, 100.0 * ours / total,
           icu, total, 100.0 * icu / total);
    printf("  GBK:  libfix %d/%d, ICU %d/%d\n", per_ours[0], per_total[0], per_icu[0], per_total[0]);
    printf("  Big5: libfix %d/%d, ICU %d/%d\n", per_ours[1], per_total[1], per_icu[1], per_total[1]);
    CHECK(total == 2000);
    CHECK(ours * 100 >= total * 98); /* the target of issue 2 */
    free(tsv);
}

/* The encodings issue 2 puts in scope, by uchardet's file names, and the
 * names libfix may answer for each (UTF-16/32 samples carry a BOM and are
 * named without byte order; UHC is what libfix decodes as "EUC-KR"). */
static const struct {
    const char *file_prefix, *accepted[3];
} core[] = {
    {"utf-8.", {"UTF-8"}},          {"ascii.", {"UTF-8"}},
    {"utf-16", {"UTF-16LE", "UTF-16BE"}}, {"utf-32", {"UTF-32LE", "UTF-32BE"}},
    {"gb18030.", {"GB18030"}},      {"big5.", {"Big5"}},
    {"shift_jis.", {"Shift_JIS"}},  {"euc-jp.", {"EUC-JP"}},
    {"euc-kr.", {"EUC-KR"}},        {"uhc.", {"EUC-KR"}},
    {"iso-8859-1.", {"ISO-8859-1", "windows-1252"}}, {"windows-1252.", {"windows-1252", "ISO-8859-1"}},
    {"iso-2022-jp.", {"ISO-2022-JP"}}, {"iso-2022-kr.", {"ISO-2022-KR"}},
};

/* uchardet's own test files (testdata/uchardet, MPL): every file in a core
 * encoding must be right; the others (Cyrillic, Greek, Central European,
 * DOS and Mac code pages, for which libfix defers to ICU or has no detector)
 * are counted and printed. */
static void test_uchardet(void)
{
    int core_total = 0, core_ok = 0, other_total = 0, other_ok = 0;
    DIR *langs = opendir(LIBFIX_TESTDATA "/uchardet/test");
    CHECK(langs != NULL);
    struct dirent *l;
    while (langs && (l = readdir(langs))) {
        if (l->d_name[0] == '.')
            continue;
        char dir[512];
        snprintf(dir, sizeof dir, "%s/uchardet/test/%s", LIBFIX_TESTDATA, l->d_name);
        DIR *files = opendir(dir);
        struct dirent *f;
        while (files && (f = readdir(files))) {
            if (f->d_name[0] == '.')
                continue;
            char path[1024];
            snprintf(path, sizeof path, "%s/%s", dir, f->d_name);
            size_t len;
            char *data = check_read_file(path, &len);
            if (!data)
                continue;
            const char *got = detect(data, len);
            free(data);
            int k = -1;
            for (size_t i = 0; i < sizeof core / sizeof core[0]; i++)
                if (strncmp(f->d_name, core[i].file_prefix, strlen(core[i].file_prefix)) == 0)
                    k = (int)i;
            if (k < 0) {
                char expected[256];
                snprintf(expected, sizeof expected, "%s", f->d_name);
                *strchr(expected, '.') = '\0';
                other_total++;
                other_ok += strcasecmp(expected, got) == 0;
                continue;
            }
            bool ok = false;
            for (int a = 0; a < 3 && core[k].accepted[a]; a++)
                ok = ok || strcmp(got, core[k].accepted[a]) == 0;
            core_total++;
            core_ok += ok;
            if (!ok)
                fprintf(stderr, "  uchardet sample %s/%s detected as %s\n", l->d_name, f->d_name, got);
        }
        if (files)
            closedir(files);
    }
    if (langs)
        closedir(langs);
    printf("uchardet samples: core encodings %d/%d, others %d/%d exact\n", core_ok, core_total, other_ok,
           other_total);
    CHECK(core_total > 30 && core_ok == core_total);
}

int main(void)
{
    lf_options opt;
    lf_options_init(&opt);
    opt.passes[0] = LF_PASS_DECODE;
    opt.pass_count = 1;
    CHECK(lf_context_new(&opt, &ctx, NULL) == LF_OK);
    test_snippets();
    test_uchardet();
    lf_context_free(ctx);
    return check_done("test_detect");
}
