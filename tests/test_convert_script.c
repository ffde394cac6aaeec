/* test_convert_script.c — script detection and target scripts: accuracy on
 * the seeds and on paragraphs made by converting them both ways, what each
 * --to-script target does to each kind of paragraph, and the s2t -> t2s
 * round trip. */
#include "check.h"
#include "support.h"
#include "internal.h"
#include "script.h"

#include <opencc/opencc.h>
#include <unicode/uscript.h>


/* The seeds and the script each is written in (read by a person). */
static const struct {
    const char *file;
    lf_zh_script script;
} seeds[] = {
    {"000_2c2c842a2fec32c3.txt", LF_ZH_SIMPLIFIED}, {"001_74ed674026e8a210.txt", LF_ZH_SIMPLIFIED},
    {"002_d6a4e868b2ae8101.txt", LF_ZH_SIMPLIFIED}, {"003_3cb92859fe70f893.txt", LF_ZH_TRADITIONAL},
    {"004_be795c9853c9171b.txt", LF_ZH_SIMPLIFIED},
};
#define NSEEDS (sizeof seeds / sizeof seeds[0])

static char *read_seed(size_t i, size_t *len)
{
    char path[512];
    snprintf(path, sizeof path, "%s/seeds/%s", LIBFIX_TESTDATA, seeds[i].file);
    char *s = check_read_file(path, len);
    if (!s) {
        fprintf(stderr, "cannot read %s\n", path);
        exit(1);
    }
    return s;
}

static char *convert(opencc_t h, const char *s, size_t n)
{
    char *o = opencc_convert_utf8(h, s, n);
    char *copy = strdup(o);
    opencc_convert_utf8_free(o);
    return copy;
}

static size_t count_han(const char *s, size_t n)
{
    size_t c = 0;
    for (size_t i = 0; i < n; i++)
        c += (unsigned char)s[i] >= 0xE3 && (unsigned char)s[i] <= 0xE9; /* U+3000..U+9FFF leads */
    return c;
}

/* Paragraphs: lines of the seeds, long ones cut after each 。 so that the
 * seeds give a few hundred of them. */
struct para {
    char *text;
    lf_zh_script script;
};

static size_t split_paragraphs(const char *s, size_t len, lf_zh_script script, struct para *out, size_t cap)
{
    static const char stop[] = "\xe3\x80\x82"; /* 。 */
    size_t n = 0, pos = 0;
    while (pos < len && n < cap) {
        size_t end = pos;
        while (end < len && s[end] != '\n' && !(end + 3 <= len && memcmp(s + end, stop, 3) == 0))
            end++;
        if (end < len && s[end] != '\n')
            end += 3;
        if (count_han(s + pos, end - pos) > 0) {
            out[n].text = strndup(s + pos, end - pos);
            out[n].script = script;
            n++;
        }
        pos = end < len && s[end] == '\n' ? end + 1 : end;
    }
    return n;
}

static bool verdict_right(const struct para *p, const lf_zh_verdict *v)
{
    if (v->script == p->script)
        return true;
    return v->han < 8 && v->script == LF_ZH_UNKNOWN;
}

static void test_detection(const lf_script_table *table, opencc_t s2t, opencc_t t2s)
{
    enum { CAP = 4000 };
    struct para *base = calloc(CAP, sizeof *base);
    size_t nbase = 0;
    for (size_t i = 0; i < NSEEDS; i++) {
        size_t len;
        char *s = read_seed(i, &len);
        nbase += split_paragraphs(s, len, seeds[i].script, base + nbase, CAP - nbase);
        free(s);
    }
    size_t right = 0;
    for (size_t i = 0; i < nbase; i++) {
        lf_zh_verdict v;
        lf_script_detect(table, base[i].text, strlen(base[i].text), &v);
        if (verdict_right(&base[i], &v))
            right++;
        else
            fprintf(stderr, "  seed paragraph read as %s (S %.2f, T %.2f): %.60s\n", lf_zh_script_name(v.script),
                    v.simplified, v.traditional, base[i].text);
    }
    printf("detection on %zu seed paragraphs: %zu right (%.2f%%)\n", nbase, right, 100.0 * right / nbase);
    CHECK(nbase >= 300);
    CHECK(right * 100 >= nbase * 99);

    /* 1,000 Simplified and 1,000 Traditional paragraphs made with t2s, s2t,
     * s2tw and s2hk; those that read the same both ways carry no script
     * and are left out. */
    opencc_t s2tw = support_opencc_open("s2tw"), s2hk = support_opencc_open("s2hk");
    opencc_t to_trad[] = {s2t, s2tw, s2hk};
    size_t made[2] = {0, 0}, good = 0, neutral = 0;
    for (size_t round = 0; made[0] + made[1] < 2000 && round < 12; round++) {
        for (size_t i = 0; i < nbase && made[0] + made[1] < 2000; i++) {
            bool want_trad = (i + round) % 2 == 1;
            if (made[want_trad] >= 1000)
                continue;
            const char *src = base[i].text;
            struct para p = {
                want_trad ? convert(to_trad[round % 3], src, strlen(src)) : convert(t2s, src, strlen(src)),
                want_trad ? LF_ZH_TRADITIONAL : LF_ZH_SIMPLIFIED,
            };
            char *as_s = convert(t2s, p.text, strlen(p.text)), *as_t = convert(s2t, p.text, strlen(p.text));
            if (strcmp(as_s, as_t) == 0) {
                neutral++;
            } else {
                lf_zh_verdict v;
                lf_script_detect(table, p.text, strlen(p.text), &v);
                good += verdict_right(&p, &v);
                made[want_trad]++;
            }
            free(as_s), free(as_t), free(p.text);
        }
    }
    size_t total = made[0] + made[1];
    printf("detection on %zu converted paragraphs (%zu Simplified, %zu Traditional; %zu script-neutral left out): "
           "%zu right (%.2f%%)\n",
           total, made[0], made[1], neutral, good, 100.0 * good / total);
    CHECK(total == 2000);
    CHECK(good * 100 >= total * 99);
    opencc_close(s2tw), opencc_close(s2hk);
    for (size_t i = 0; i < nbase; i++)
        free(base[i].text);
    free(base);
}

static void test_verdicts(const lf_script_table *table)
{
    lf_zh_verdict v;
    lf_script_detect(table, "plain ASCII, 123", 16, &v);
    CHECK(v.script == LF_ZH_NONE && v.confidence == 1.0 && v.han == 0);
    const char *ja = "日本語の文章は漢字と仮名で書かれています。";
    lf_script_detect(table, ja, strlen(ja), &v);
    CHECK(v.script == LF_ZH_JAPANESE);
    CHECK(strcmp(lf_zh_script_name(LF_ZH_TRADITIONAL), "traditional") == 0);
}

/* Each target, line by line over the seeds and their conversions both
 * ways: a line already in the target script comes back byte-identical,
 * any other line exactly as the configuration for its script makes it. */
static void test_targets(const lf_script_table *table, opencc_t s2t, opencc_t t2s)
{
    static const struct {
        lf_script target;
        const char *from_s, *from_t, *from_unknown;
    } cases[] = {
        {LF_SCRIPT_SIMPLIFIED, NULL, "t2s", "t2s"},
        {LF_SCRIPT_TRADITIONAL, "s2t", NULL, "s2t"},
        {LF_SCRIPT_TAIWAN, "s2tw", "t2tw", "s2tw"},
        {LF_SCRIPT_HONGKONG, "s2hk", "t2hk", "s2hk"},
    };
    lf_buf all;
    lf_buf_init(&all);
    for (size_t i = 0; i < NSEEDS; i++) {
        size_t len;
        char *s = read_seed(i, &len);
        char *a = convert(s2t, s, len), *b = convert(t2s, s, len);
        lf_buf_append(&all, s, len), lf_buf_append(&all, "\n", 1);
        lf_buf_append(&all, a, strlen(a)), lf_buf_append(&all, "\n", 1);
        lf_buf_append(&all, b, strlen(b)), lf_buf_append(&all, "\n", 1);
        free(s), free(a), free(b);
    }
    for (size_t c = 0; c < sizeof cases / sizeof cases[0]; c++) {
        lf_context *ctx = support_convert_context(NULL, cases[c].target, LF_FORMAT_TEXT);
        opencc_t from_s = cases[c].from_s ? support_opencc_open(cases[c].from_s) : NULL;
        opencc_t from_t = cases[c].from_t ? support_opencc_open(cases[c].from_t) : NULL;
        opencc_t from_u = support_opencc_open(cases[c].from_unknown);
        char *out = support_process(ctx, all.data, all.len);
        size_t pos = 0, opos = 0, bad = 0, kept = 0, lines = 0;
        while (pos < all.len) {
            const char *nl = memchr(all.data + pos, '\n', all.len - pos);
            size_t end = (size_t)(nl - all.data);
            const char *onl = strchr(out + opos, '\n');
            if (!onl) {
                bad++;
                break;
            }
            size_t oend = (size_t)(onl - out);
            const char *line = all.data + pos;
            lf_zh_verdict v;
            lf_script_detect(table, line, end - pos, &v);
            opencc_t h = v.script == LF_ZH_SIMPLIFIED    ? from_s
                         : v.script == LF_ZH_TRADITIONAL ? from_t
                         : v.script == LF_ZH_UNKNOWN     ? from_u
                                                         : NULL;
            char *want = h ? convert(h, line, end - pos) : strndup(line, end - pos);
            if (strlen(want) != oend - opos || memcmp(want, out + opos, oend - opos) != 0)
                bad++;
            kept += h == NULL && v.han > 0;
            lines++;
            free(want);
            pos = end + 1;
            opos = oend + 1;
        }
        CHECK(bad == 0);
        CHECK(kept > 0 || (cases[c].from_s && cases[c].from_t));
        printf("target %d: %zu lines, %zu with Han left byte-identical, %zu wrong\n", (int)cases[c].target, lines, kept,
               bad);
        free(out);
        if (from_s)
            opencc_close(from_s);
        if (from_t)
            opencc_close(from_t);
        opencc_close(from_u);
        lf_context_free(ctx);
    }
    lf_buf_free(&all);
}

/* s2t then t2s through the pass: how many Han characters come back
 * different. */
static void test_round_trip(void)
{
    lf_options opt;
    lf_options_init(&opt);
    opt.passes[0] = LF_PASS_CONVERT;
    opt.pass_count = 1;
    opt.format = LF_FORMAT_TEXT;
    lf_context *to_t = NULL, *to_s = NULL;
    lf_error err;
    opt.opencc_config = "s2t";
    CHECK(lf_context_new(&opt, &to_t, &err) == LF_OK);
    opt.opencc_config = "t2s";
    CHECK(lf_context_new(&opt, &to_s, &err) == LF_OK);
    size_t han = 0, differ = 0;
    lf_buf chars;
    lf_buf_init(&chars);
    for (size_t i = 0; i < NSEEDS; i++) {
        if (i == 3)
            continue; /* the Traditional seed */
        size_t len;
        char *s = read_seed(i, &len);
        char *t = support_process(to_t, s, len);
        char *back = support_process(to_s, t, strlen(t));
        CHECK(strlen(back) == len);
        for (size_t k = 0; k < len && k < strlen(back);) {
            uint32_t a, b;
            size_t la = lf_utf8_decode(s + k, len - k, &a);
            size_t lb = lf_utf8_decode(back + k, strlen(back) - k, &b);
            if (la == 0 || la != lb)
                break;
            UErrorCode e = U_ZERO_ERROR;
            if (uscript_getScript((UChar32)a, &e) == USCRIPT_HAN) {
                han++;
                if (a != b) {
                    differ++;
                    lf_buf_printf(&chars, " %.*s>%.*s", (int)la, s + k, (int)lb, back + k);
                }
            }
            k += la;
        }
        free(s), free(t), free(back);
    }
    printf("round trip s2t+t2s on seeds 000-002,004: %zu of %zu Han characters differ (%.3f%%):%s\n", differ, han,
           100.0 * differ / han, chars.data ? chars.data : "");
    CHECK(han > 5000);
    CHECK(differ * 1000 <= han * 5);
    lf_buf_free(&chars);
    lf_context_free(to_t);
    lf_context_free(to_s);
}

int main(void)
{
    opencc_t s2t = support_opencc_open("s2t"), t2s = support_opencc_open("t2s");
    lf_script_table *table = NULL;
    lf_error err;
    CHECK(lf_script_table_new(s2t, t2s, &table, &err) == LF_OK);
    if (table) {
        test_verdicts(table);
        test_detection(table, s2t, t2s);
        test_targets(table, s2t, t2s);
    }
    test_round_trip();
    lf_script_table_free(table);
    opencc_close(s2t);
    opencc_close(t2s);
    return check_done("test_convert_script");
}
