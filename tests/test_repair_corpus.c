/* test_repair_corpus.c — the repair pass over the generated corpus:
 *   clean.tsv   (tools/gen_repair_clean.py): no clean paragraph is changed;
 *   corpus.tsv  (tools/gen_repair_corpus.py): per chain, at least 99% of the
 *               lossless pairs are restored exactly, and every lossy pair is
 *               reported as lossy.
 * Prints the rates and the first failures of each chain, so a run doubles as
 * the measurement behind the thresholds in mojibake.c. */
#include "check.h"
#include "support.h"
#include "libfix.h"

#include <string.h>

#define MAX_CHAINS 64

/* The targets: 99% of each chain's lossless pairs restored, every lossy
 * pair reported. */
enum { RESTORED_TARGET = 99, REPORTED_TARGET = 100 };

struct chain_stat {
    char name[64];
    int lossless, restored, lossy, reported, shown;
};

static struct chain_stat stats[MAX_CHAINS];
static int nstats;

static struct chain_stat *stat_for(const char *name)
{
    for (int i = 0; i < nstats; i++)
        if (strcmp(stats[i].name, name) == 0)
            return &stats[i];
    if (nstats == MAX_CHAINS)
        return NULL;
    struct chain_stat *s = &stats[nstats++];
    snprintf(s->name, sizeof s->name, "%s", name);
    return s;
}

static lf_result *repair(const lf_context *ctx, const char *text)
{
    lf_result *r = NULL;
    lf_error err;
    if (lf_process(ctx, text, strlen(text), &r, &err) != LF_OK) {
        fprintf(stderr, "lf_process: %s\n", err.message);
        return NULL;
    }
    return r;
}

/* Splits a line into n tab-separated fields in place. */
static int split_tabs(char *line, char **fields, int n)
{
    int k = 0;
    fields[k++] = line;
    for (char *p = line; *p && k < n; p++) {
        if (*p == '\t') {
            *p = '\0';
            fields[k++] = p + 1;
        }
    }
    return k;
}

static void test_clean(const lf_context *ctx)
{
    size_t len;
    char *data = check_read_file(LIBFIX_TESTDATA "/repair/clean.tsv", &len);
    CHECK(data != NULL);
    if (!data)
        return;
    int rows = 0, changed = 0, lossy_reports = 0;
    for (char *line = strtok(data, "\n"); line; line = strtok(NULL, "\n")) {
        char *f[2];
        if (split_tabs(line, f, 2) != 2)
            continue;
        rows++;
        lf_result *r = repair(ctx, f[1]);
        CHECK(r != NULL);
        if (!r)
            continue;
        const char *out = lf_result_text(r, NULL);
        if (strcmp(out, f[1]) != 0 || lf_result_kind_count(r, LF_PASS_REPAIR, "mojibake") != 0) {
            changed++;
            fprintf(stderr, "clean changed [%s]:\n  in:  %s\n  out: %s\n", f[0], f[1], out);
        }
        lossy_reports += (int)lf_result_kind_count(r, LF_PASS_REPAIR, "lossy");
        lf_result_free(r);
    }
    printf("clean controls: %d rows, %d changed, %d lossy reports\n", rows, changed, lossy_reports);
    CHECK(rows >= 5000);
    CHECK(changed == 0);
    free(data);
}

static void test_corpus(const lf_context *ctx)
{
    size_t len;
    char *data = check_read_file(LIBFIX_TESTDATA "/repair/corpus.tsv", &len);
    CHECK(data != NULL);
    if (!data)
        return;
    int total = 0;
    for (char *line = strtok(data, "\n"); line; line = strtok(NULL, "\n")) {
        char *f[4];
        if (split_tabs(line, f, 4) != 4)
            continue;
        struct chain_stat *s = stat_for(f[0]);
        lf_result *r = repair(ctx, f[2]);
        CHECK(s != NULL && r != NULL);
        if (!s || !r)
            continue;
        const char *out = lf_result_text(r, NULL);
        if (strcmp(f[1], "lossless") == 0) {
            total++;
            s->lossless++;
            if (strcmp(out, f[3]) == 0)
                s->restored++;
            else if (s->shown++ < 3)
                fprintf(stderr, "not restored [%s]:\n  damaged:  %s\n  got:      %s\n  expected: %s\n", f[0], f[2],
                        out, f[3]);
        } else {
            s->lossy++;
            if (lf_result_kind_count(r, LF_PASS_REPAIR, "lossy") > 0)
                s->reported++;
            else if (s->shown++ < 3)
                fprintf(stderr, "lossy not reported [%s]:\n  damaged: %s\n", f[0], f[2]);
        }
        lf_result_free(r);
    }
    printf("corpus: %d lossless pairs\n", total);
    CHECK(total >= 3000);
    for (int i = 0; i < nstats; i++) {
        struct chain_stat *s = &stats[i];
        printf("  %-36s restored %3d/%3d (%.1f%%)  lossy reported %d/%d\n", s->name, s->restored, s->lossless,
               s->lossless ? 100.0 * s->restored / s->lossless : 100.0, s->reported, s->lossy);
        CHECK(s->restored * 100 >= s->lossless * RESTORED_TARGET);
        CHECK(s->reported * 100 >= s->lossy * REPORTED_TARGET);
    }
    free(data);
}

int main(void)
{
    lf_context *ctx = support_context("repair");
    test_clean(ctx);
    test_corpus(ctx);
    lf_context_free(ctx);
    return check_done("test_repair_corpus");
}
