/* test_repair_prefilter.c — the pre-filters of the mojibake search only skip
 * work: on every line of the repair corpus, the clean controls, the seeds
 * and ftfy's cases, on damaged lines placed after clean text and on damaged
 * lines with characters replaced, the repairs found with the pre-filters
 * are the very repairs the exhaustive search finds
 * (lf_mojibake_session.exhaustive). The exhaustive search also asks ICU
 * where the other reads tables made from ICU at context creation (pairs,
 * byte_of, UTF-8 decoded by lf_utf8_decode), so the tables are held to ICU
 * here too. */
#include "check.h"
#include "support.h"
#include "libfix.h"
#include "mojibake.h"

#include <dirent.h>
#include <jansson.h>

struct differ {
    lf_mojibake_session fast, full;
    lf_mojibake_fixes a, b;
    size_t lines, repaired;
};

static bool same_fix(const lf_mojibake_fix *x, const lf_mojibake_fix *y)
{
    return x->start == y->start && x->end == y->end && x->len == y->len && memcmp(x->text, y->text, x->len) == 0 &&
           x->chain == y->chain && x->depth == y->depth && x->tail_end == y->tail_end && x->note == y->note &&
           x->confidence == y->confidence && x->gain == y->gain;
}

/* Compares the two searches on one line (skipped unless valid UTF-8). */
static void compare_line(struct differ *d, const char *line, size_t len)
{
    if (lf_utf8_validate(line, len) != len || memchr(line, '\n', len))
        return;
    lf_error err;
    lf_mojibake_fixes_clear(&d->a);
    lf_mojibake_fixes_clear(&d->b);
    CHECK(lf_mojibake_line(&d->fast, line, len, &d->a, &err) == LF_OK);
    CHECK(lf_mojibake_line(&d->full, line, len, &d->b, &err) == LF_OK);
    bool same = d->a.n == d->b.n;
    for (size_t i = 0; same && i < d->a.n; i++)
        same = same_fix(&d->a.v[i], &d->b.v[i]);
    CHECK(same);
    if (!same)
        fprintf(stderr, "  pre-filter changed the repairs of: %.*s\n", (int)len, line);
    d->lines++;
    d->repaired += d->b.n > 0;
}

/* Every line of text, and every tab-separated field of it. */
static void compare_text(struct differ *d, const char *text, size_t len)
{
    for (size_t pos = 0; pos < len;) {
        const char *nl = memchr(text + pos, '\n', len - pos);
        size_t eol = nl ? (size_t)(nl - text) : len;
        compare_line(d, text + pos, eol - pos);
        for (size_t f = pos; f < eol;) {
            const char *tab = memchr(text + f, '\t', eol - f);
            size_t fe = tab ? (size_t)(tab - text) : eol;
            if (tab || f > pos)
                compare_line(d, text + f, fe - f);
            f = fe + 1;
        }
        pos = eol + 1;
    }
}

static void compare_file(struct differ *d, const char *path)
{
    size_t len;
    char *text = check_read_file(path, &len);
    CHECK(text != NULL);
    if (text)
        compare_text(d, text, len);
    free(text);
}

/* The third field (the damaged text) of a corpus row row[0..len), and its
 * length in *dlen; NULL when the row has fewer fields. */
static const char *damaged_field(const char *row, size_t len, size_t *dlen)
{
    const char *end = row + len;
    const char *t1 = memchr(row, '\t', len);
    const char *t2 = t1 ? memchr(t1 + 1, '\t', (size_t)(end - t1 - 1)) : NULL;
    if (!t2)
        return NULL;
    const char *t3 = memchr(t2 + 1, '\t', (size_t)(end - t2 - 1));
    *dlen = (size_t)((t3 ? t3 : end) - (t2 + 1));
    return t2 + 1;
}

/* The damaged field of every corpus row after a clean line of the seeds:
 * the chains must still be searched where the mojibake is. */
static void compare_mixed(struct differ *d, const char *corpus_path, const char *clean_line)
{
    size_t len;
    char *text = check_read_file(corpus_path, &len);
    CHECK(text != NULL);
    lf_buf line;
    lf_buf_init(&line);
    for (size_t pos = 0; text && pos < len;) {
        const char *nl = memchr(text + pos, '\n', len - pos);
        size_t eol = nl ? (size_t)(nl - text) : len;
        size_t dlen;
        const char *damaged = damaged_field(text + pos, eol - pos, &dlen);
        if (damaged) {
            lf_buf_clear(&line);
            CHECK(lf_buf_append(&line, clean_line, strlen(clean_line)) && lf_buf_append(&line, damaged, dlen));
            compare_line(d, line.data, line.len);
        }
        pos = eol + 1;
    }
    lf_buf_free(&line);
    free(text);
}

/* The damaged field of every corpus row with one character replaced, twice
 * over, by one of U+00A0..U+00FF or an ASCII letter (a fixed sequence of
 * pseudo-random choices): stretches then break off in the middle, where the
 * byte tables the search reads (pairs, byte_of) must end them exactly where
 * ICU would. */
static void compare_mutated(struct differ *d, const char *corpus_path)
{
    size_t len;
    char *text = check_read_file(corpus_path, &len);
    CHECK(text != NULL);
    uint32_t seed = 12345, cps[4096];
    lf_buf line;
    lf_buf_init(&line);
    for (size_t pos = 0; text && pos < len;) {
        const char *nl = memchr(text + pos, '\n', len - pos);
        size_t eol = nl ? (size_t)(nl - text) : len;
        size_t dlen = 0, n = 0;
        const char *damaged = damaged_field(text + pos, eol - pos, &dlen);
        for (size_t i = 0; damaged && i < dlen && n < 4096;) {
            size_t k = lf_utf8_decode(damaged + i, dlen - i, &cps[n++]);
            i += k ? k : 1;
        }
        for (int round = 0; round < 2 && n > 0; round++) {
            seed = seed * 1103515245u + 12345u;
            size_t at = (seed >> 8) % n;
            seed = seed * 1103515245u + 12345u;
            cps[at] = (seed >> 8) % 4 == 0 ? 'a' + (seed >> 12) % 26 : 0xA0 + (seed >> 12) % 0x60;
            lf_buf_clear(&line);
            for (size_t i = 0; i < n; i++)
                CHECK(lf_buf_append_cp(&line, cps[i]));
            compare_line(d, line.data, line.len);
        }
        pos = eol + 1;
    }
    lf_buf_free(&line);
    free(text);
}

static void compare_ftfy(struct differ *d, const char *path)
{
    json_error_t jerr;
    json_t *cases = json_load_file(path, 0, &jerr);
    CHECK(cases != NULL && json_is_array(cases));
    size_t i;
    json_t *c;
    json_array_foreach(cases, i, c) {
        const char *fields[] = {"original", "fixed", "fixed-encoding"};
        for (size_t f = 0; f < 3; f++) {
            json_t *s = json_object_get(c, fields[f]);
            if (json_is_string(s))
                compare_text(d, json_string_value(s), json_string_length(s));
        }
    }
    json_decref(cases);
}

static void compare_dir(struct differ *d, const char *dir, const char *suffix)
{
    DIR *dp = opendir(dir);
    CHECK(dp != NULL);
    struct dirent *e;
    while (dp && (e = readdir(dp)) != NULL) {
        size_t n = strlen(e->d_name), k = strlen(suffix);
        if (n <= k || strcmp(e->d_name + n - k, suffix) != 0)
            continue;
        char path[4096];
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        if (strcmp(suffix, ".json") == 0)
            compare_ftfy(d, path);
        else
            compare_file(d, path);
    }
    if (dp)
        closedir(dp);
}

int main(void)
{
    lf_context *ctx = support_context("repair");
    /* The pre-filters are in force: every CJK encoding has its byte table. */
    for (int e = 0; e < 4; e++)
        CHECK(ctx->repair->code[e] != NULL);
    struct differ d = {0};
    lf_mojibake_session_init(&d.fast, ctx->repair);
    lf_mojibake_session_init(&d.full, ctx->repair);
    d.full.exhaustive = true;

    compare_file(&d, LIBFIX_TESTDATA "/repair/corpus.tsv");
    compare_file(&d, LIBFIX_TESTDATA "/repair/clean.tsv");
    compare_dir(&d, LIBFIX_TESTDATA "/seeds", ".txt");
    compare_dir(&d, LIBFIX_TESTDATA "/annotations", ".txt");
    compare_dir(&d, LIBFIX_TESTDATA "/ftfy", ".json");
    compare_mutated(&d, LIBFIX_TESTDATA "/repair/corpus.tsv");
    compare_mixed(&d, LIBFIX_TESTDATA "/repair/corpus.tsv", "第三届世界互联网大会将于2016年11月16日至18日在浙江乌镇举办。");
    compare_mixed(&d, LIBFIX_TESTDATA "/repair/corpus.tsv", "中華民國的國語，是以北京話為基礎的標準語。 ");
    /* Accented Latin text and pinyin before the damage: the chains "legacy
     * CJK read as windows-1252" follow their stretches through both
     * (run_may_reach_consider), and so do the chains "UTF-8 read as" a CJK
     * encoding (may_read_as_utf8). */
    compare_mixed(&d, LIBFIX_TESTDATA "/repair/corpus.tsv", "Opções de exibição: não foi possível, é ");
    compare_mixed(&d, LIBFIX_TESTDATA "/repair/corpus.tsv", "Zhōngguó rénmín yínháng (huì)");
    printf("compared %zu lines, %zu with repairs\n", d.lines, d.repaired);
    /* The comparison means something only if repairs were found. */
    CHECK(d.lines > 10000 && d.repaired > 1000);

    lf_mojibake_fixes_free(&d.a);
    lf_mojibake_fixes_free(&d.b);
    lf_mojibake_session_free(&d.fast);
    lf_mojibake_session_free(&d.full);
    lf_context_free(ctx);
    return check_done("test_repair_prefilter");
}
