/* test_strip.c — the strip pass: text mode against the seeds' gold and our
 * own pages (F1 by the metric of score.py), report spans, metadata, options,
 * site templates, and HTML mode against Readability's qq page and
 * trafilatura's CJK snippets. */
#include "check.h"
#include "support.h"
#include "strip.h"
#include "strip_score.h"

#include <dirent.h>
#include <iconv.h>
#include <pthread.h>
#include <strings.h>
#include <unistd.h>

static lf_context *make_ctx(lf_format format, int keep_title, int keep_bylines, const lf_template *tmpl)
{
    lf_options opt;
    lf_options_init(&opt);
    opt.passes[0] = LF_PASS_STRIP;
    opt.pass_count = 1;
    opt.format = format;
    opt.keep_title = keep_title;
    opt.keep_bylines = keep_bylines;
    opt.strip_template = tmpl;
    lf_context *ctx = NULL;
    lf_error err;
    if (lf_context_new(&opt, &ctx, &err) != LF_OK)
        fprintf(stderr, "lf_context_new: %s\n", err.message);
    return ctx;
}

static lf_result *strip(const lf_context *ctx, const char *in, size_t len)
{
    lf_result *r = NULL;
    lf_error err;
    if (lf_process(ctx, in, len, &r, &err) != LF_OK)
        fprintf(stderr, "lf_process: %s\n", err.message);
    return r;
}

static char *read_path(const char *dir, const char *name, const char *suffix, size_t *len)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/%s%s", dir, name, suffix);
    return check_read_file(path, len);
}

/* Scores every NAME.txt / NAME.gold.txt pair of dir; each page's F1 must
 * reach page_min and the micro average micro_min. */
static void check_gold_dir(const char *dir, double page_min, double micro_min)
{
    lf_context *ctx = make_ctx(LF_FORMAT_TEXT, 1, 0, NULL);
    DIR *d = opendir(dir);
    CHECK(ctx && d);
    if (!ctx || !d)
        return;
    score_counts total = {0, 0, 0};
    int pages = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        size_t n = strlen(e->d_name);
        if (n < 10 || strcmp(e->d_name + n - 9, ".gold.txt") != 0)
            continue;
        char name[512];
        snprintf(name, sizeof name, "%.*s", (int)(n - 9), e->d_name);
        size_t in_len, gold_len, out_len;
        char *in = read_path(dir, name, ".txt", &in_len), *gold = read_path(dir, name, ".gold.txt", &gold_len);
        lf_result *r = in ? strip(ctx, in, in_len) : NULL;
        CHECK(in && gold && r);
        if (in && gold && r) {
            const char *out = lf_result_text(r, &out_len);
            score_counts c = score_page(out, out_len, gold, gold_len);
            double f1 = score_f1(c);
            printf("  %-28s F1=%.3f\n", name, f1);
            CHECK(f1 >= page_min);
            total.matched += c.matched;
            total.pred += c.pred;
            total.gold += c.gold;
            pages++;
        }
        lf_result_free(r);
        free(in);
        free(gold);
    }
    closedir(d);
    printf("  %s: %d pages, micro F1=%.4f\n", dir, pages, score_f1(total));
    CHECK(pages > 0);
    CHECK(score_f1(total) >= micro_min);
    lf_context_free(ctx);
}

static void test_gold_sets(void)
{
    /* The target: F1 >= 0.98 on every seed. */
    check_gold_dir(LIBFIX_TESTDATA "/strip/gold", 0.98, 0.98);
    /* Our own 32 pages: 0.98 over the set; no page below 0.9. */
    check_gold_dir(LIBFIX_TESTDATA "/strip/pages", 0.90, 0.98);
    /* 8 pages written after tuning (first run 0.964, then 0.989 after the
     * keyword fixes they showed): now a regression guard like the others. */
    check_gold_dir(LIBFIX_TESTDATA "/strip/heldout", 0.90, 0.98);
}

/* Removes "(wǎng)"-style pinyin annotations, as the repair pass does: a
 * bracket holding only lowercase Latin letters (tone marks included). */
static char *drop_annotations(const char *s, size_t len, size_t *out_len)
{
    char *out = malloc(len + 1);
    size_t n = 0;
    for (size_t i = 0; out && i < len;) {
        if (s[i] == '(') {
            size_t j = i + 1;
            uint32_t cp;
            size_t k;
            while (j < len && (k = lf_utf8_decode(s + j, len - j, &cp)) > 0 &&
                   ((cp >= 'a' && cp <= 'z') || (cp >= 0xE0 && cp <= 0x1DC)))
                j += k;
            if (j > i + 1 && j < len && s[j] == ')') {
                i = j + 1;
                continue;
            }
        }
        out[n++] = s[i++];
    }
    if (out)
        out[n] = '\0';
    *out_len = n;
    return out;
}

/* Seed 003 as the repair pass leaves it (annotations gone): still F1 >= 0.98. */
static void test_seed_003_repaired(void)
{
    const char *dir = LIBFIX_TESTDATA "/strip/gold";
    size_t in_len, gold_len, a_len, b_len, out_len;
    char *in = read_path(dir, "003_3cb92859fe70f893", ".txt", &in_len);
    char *gold = read_path(dir, "003_3cb92859fe70f893", ".gold.txt", &gold_len);
    char *a = in ? drop_annotations(in, in_len, &a_len) : NULL, *b = gold ? drop_annotations(gold, gold_len, &b_len) : NULL;
    lf_context *ctx = make_ctx(LF_FORMAT_TEXT, 1, 0, NULL);
    lf_result *r = a && b && ctx ? strip(ctx, a, a_len) : NULL;
    CHECK(r != NULL && a_len < in_len);
    if (r) {
        const char *out = lf_result_text(r, &out_len);
        double f1 = score_f1(score_page(out, out_len, b, b_len));
        printf("  003 without annotations: F1=%.3f\n", f1);
        CHECK(f1 >= 0.98);
    }
    lf_result_free(r);
    lf_context_free(ctx);
    free(in);
    free(gold);
    free(a);
    free(b);
}

static const char clean_text[] =
    "今天的天气很好,我们去公园散步。\n"
    "\n"
    "公园里的桂花开了,香气扑鼻,很多老人在树下下棋、聊天,孩子们在草地上放风筝。\n"
    "\n"
    "傍晚回家的路上,我们买了一袋糖炒栗子,一边走一边吃,觉得这一天过得特别充实。\n";

static void test_clean_text_unchanged(void)
{
    lf_context *ctx = make_ctx(LF_FORMAT_AUTO, 1, 0, NULL);
    lf_result *r = ctx ? strip(ctx, clean_text, sizeof clean_text - 1) : NULL;
    CHECK(r != NULL);
    if (r) {
        CHECK_STR(lf_result_text(r, NULL), clean_text);
        CHECK(lf_result_kind_count(r, LF_PASS_STRIP, NULL) == 0);
    }
    lf_result_free(r);
    /* No final newline: the last line is written as it is. */
    static const char no_nl[] = "当前位置:首页 > 新闻\n今天的天气很好,我们去公园散步,看见许多人在湖边钓鱼、跑步和唱歌。";
    r = ctx ? strip(ctx, no_nl, sizeof no_nl - 1) : NULL;
    CHECK(r && strcmp(lf_result_text(r, NULL), strchr(no_nl, '\n') + 1) == 0);
    lf_result_free(r);
    lf_context_free(ctx);
}

/* The removed spans and the output together are exactly the input. */
static void test_report_spans(void)
{
    size_t len;
    char *in = check_read_file(LIBFIX_TESTDATA "/strip/gold/002_d6a4e868b2ae8101.txt", &len);
    lf_context *ctx = make_ctx(LF_FORMAT_TEXT, 1, 0, NULL);
    lf_result *r = in && ctx ? strip(ctx, in, len) : NULL;
    CHECK(r != NULL);
    if (r) {
        size_t out_len, pos = 0, out_pos = 0, bad = 0;
        const char *out = lf_result_text(r, &out_len);
        for (size_t i = 0; i < lf_result_change_count(r); i++) {
            const lf_change *c = lf_result_change(r, i);
            if (c->in_start < pos || c->out_start != c->out_end)
                bad++;
            size_t kept = (size_t)c->in_start - pos;
            if (c->out_start != out_pos + kept || memcmp(in + pos, out + out_pos, kept) != 0)
                bad++;
            out_pos += kept;
            pos = (size_t)c->in_end;
        }
        CHECK(bad == 0);
        CHECK(out_len - out_pos == len - pos && memcmp(in + pos, out + out_pos, len - pos) == 0);
        /* one entry per boilerplate line of the gold labels */
        size_t labels_len;
        char *labels = check_read_file(LIBFIX_TESTDATA "/strip/gold/002_d6a4e868b2ae8101.labels.tsv", &labels_len);
        uint64_t want = 0;
        for (const char *p = labels; p && (p = strstr(p, "\tboilerplate\t")) != NULL; p++)
            want++;
        CHECK(want > 0 && lf_result_kind_count(r, LF_PASS_STRIP, "boilerplate") == want);
        free(labels);
        const lf_change *first = lf_result_change(r, 0);
        CHECK(first && !strcmp(first->kind, "boilerplate") && !strcmp(first->note, "navigation"));
    }
    lf_result_free(r);
    lf_context_free(ctx);
    free(in);
}

static void check_meta(const char *file, const char *key, const char *want)
{
    size_t len;
    char *in = check_read_file(file, &len);
    lf_context *ctx = make_ctx(LF_FORMAT_TEXT, 1, 0, NULL);
    lf_result *r = in && ctx ? strip(ctx, in, len) : NULL;
    CHECK(r != NULL);
    if (r)
        CHECK_STR(lf_result_metadata(r, key), want);
    lf_result_free(r);
    lf_context_free(ctx);
    free(in);
}

static void test_metadata(void)
{
    const char *s002 = LIBFIX_TESTDATA "/strip/gold/002_d6a4e868b2ae8101.txt";
    check_meta(s002, "title", "让更多国家和人民共享互联网发展成果(和音)");
    check_meta(s002, "date", "2023-11-10T08:42:00");
    check_meta(s002, "source", "人民网-人民日报");
    check_meta(LIBFIX_TESTDATA "/strip/gold/001_74ed674026e8a210.txt", "url",
               "https://www.777doc.com/doc-12260917.html");
    check_meta(LIBFIX_TESTDATA "/strip/pages/p05_trad_news.txt", "author", "陳怡君");
    check_meta(LIBFIX_TESTDATA "/strip/pages/p28_mixed_punct_fullwidth.txt", "date", "2023-06-16");

    lf_date d;
    size_t at, end;
    char iso[20];
    CHECK(lf_find_date("发布于2024年3月5日 8时05分", strlen("发布于2024年3月5日 8时05分"), &d, &at, &end));
    CHECK(lf_date_iso(&d, iso) == 19 && !strcmp(iso, "2024-03-05T08:05:00"));
    CHECK(!lf_find_date("10.67亿人", strlen("10.67亿人"), &d, &at, &end));
    CHECK(!lf_find_date("2023-13-40", 10, &d, &at, &end));
}

static void test_keep_captions(void)
{
    size_t len;
    char *in = check_read_file(LIBFIX_TESTDATA "/strip/pages/p13_travel.txt", &len);
    lf_options opt;
    lf_options_init(&opt);
    opt.passes[0] = LF_PASS_STRIP;
    opt.pass_count = 1;
    opt.keep_captions = 1;
    lf_context *keep = NULL, *drop = make_ctx(LF_FORMAT_TEXT, 1, 0, NULL);
    lf_error err;
    CHECK(lf_context_new(&opt, &keep, &err) == LF_OK);
    lf_result *a = in && keep ? strip(keep, in, len) : NULL, *b = in && drop ? strip(drop, in, len) : NULL;
    CHECK(a && b);
    if (a && b) {
        CHECK(strstr(lf_result_text(a, NULL), "篁岭晒秋(摄影:周游)") != NULL);
        CHECK(strstr(lf_result_text(b, NULL), "篁岭晒秋(摄影:周游)") == NULL);
    }
    lf_result_free(a);
    lf_result_free(b);
    lf_context_free(keep);
    lf_context_free(drop);
    free(in);
}

static void test_keep_options(void)
{
    size_t len;
    char *in = check_read_file(LIBFIX_TESTDATA "/strip/gold/002_d6a4e868b2ae8101.txt", &len);
    lf_context *bylines = make_ctx(LF_FORMAT_TEXT, 1, 1, NULL), *notitle = make_ctx(LF_FORMAT_TEXT, 0, 0, NULL);
    lf_result *a = in && bylines ? strip(bylines, in, len) : NULL, *b = in && notitle ? strip(notitle, in, len) : NULL;
    CHECK(a && b);
    if (a && b) {
        CHECK(strstr(lf_result_text(a, NULL), "来源:人民网-人民日报\n") != NULL);
        CHECK(strstr(lf_result_text(a, NULL), "让更多国家和人民共享互联网发展成果(和音)") != NULL);
        CHECK(strstr(lf_result_text(b, NULL), "来源:人民网") == NULL);
        CHECK(strstr(lf_result_text(b, NULL), "让更多国家和人民共享互联网发展成果(和音)") == NULL);
        CHECK(strstr(lf_result_text(b, NULL), "信息革命时代潮流浩荡前行") != NULL);
    }
    lf_result_free(a);
    lf_result_free(b);
    lf_context_free(bylines);
    lf_context_free(notitle);
    free(in);
}

/* A site line no rule knows, on every page: only a template removes it. */
static const char site_line[] = "欣赏美文,感悟人生,尽在美文阅读网每日更新的精彩文章之中,愿你在这里找到温暖。";

static void make_page(char *buf, size_t cap, int k)
{
    static const char *const bodies[] = {
        "春天来了,河边的柳树发出了嫩绿的新芽,燕子从南方飞回来,在屋檐下忙着筑巢。",
        "夏天的夜晚,我们坐在院子里乘凉,奶奶摇着蒲扇给我们讲牛郎织女的故事。",
        "秋天的田野一片金黄,稻谷沉甸甸地弯下了腰,农民伯伯的脸上露出了丰收的笑容。",
    };
    snprintf(buf, cap, "第%d篇 四季随笔\n\n%s\n\n%s\n", k + 1, bodies[k], site_line);
}

static void test_template(void)
{
    lf_template *t = NULL;
    lf_error err;
    char pages[3][512];
    CHECK(lf_template_new(&t, &err) == LF_OK);
    for (int k = 0; k < 3 && t; k++) {
        make_page(pages[k], sizeof pages[k], k);
        CHECK(lf_template_add_page(t, pages[k], strlen(pages[k]), &err) == LF_OK);
    }
    CHECK(lf_template_page_count(t) == 3);
    CHECK(lf_template_line_count(t) == 1);
    CHECK(lf_template_add_page(t, "\xff", 1, &err) == LF_ERR_INVALID_INPUT);

    char path[] = "/tmp/libfix_template_XXXXXX";
    int fd = mkstemp(path);
    CHECK(fd >= 0);
    if (fd >= 0)
        close(fd);
    CHECK(lf_template_save(t, path, &err) == LF_OK);
    lf_template *loaded = NULL;
    CHECK(lf_template_load(path, &loaded, &err) == LF_OK);
    CHECK(lf_template_line_count(loaded) == 1 && lf_template_page_count(loaded) == 3);

    lf_context *plain = make_ctx(LF_FORMAT_TEXT, 1, 0, NULL), *with = make_ctx(LF_FORMAT_TEXT, 1, 0, loaded);
    lf_result *a = plain ? strip(plain, pages[0], strlen(pages[0])) : NULL;
    lf_result *b = with ? strip(with, pages[0], strlen(pages[0])) : NULL;
    CHECK(a && b);
    if (a && b) {
        CHECK(strstr(lf_result_text(a, NULL), site_line) != NULL);
        CHECK(strstr(lf_result_text(b, NULL), site_line) == NULL);
        CHECK(strstr(lf_result_text(b, NULL), "燕子从南方飞回来") != NULL);
        const lf_change *c = lf_result_change(b, lf_result_change_count(b) - 1);
        CHECK(c && !strcmp(c->note, "template"));
    }
    lf_result_free(a);
    lf_result_free(b);
    lf_context_free(plain);
    lf_context_free(with);

    FILE *f = fopen(path, "w");
    if (f) {
        fputs("not a template\n", f);
        fclose(f);
    }
    lf_template *broken = NULL;
    CHECK(lf_template_load(path, &broken, &err) == LF_ERR_DATA && broken == NULL);
    CHECK(lf_template_load("/nonexistent/libfix.tpl", &broken, &err) == LF_ERR_DATA);
    unlink(path);
    lf_template_free(loaded);
    lf_template_free(t);
}

/* Readability's qq page declares gb2312 but is UTF-8: every paragraph of
 * Readability's expected article must come out (tags stripped). */
static void test_html_qq(void)
{
    const char *dir = LIBFIX_TESTDATA "/strip/peers/readability/test/test-pages/qq";
    size_t len, exp_len;
    char *in = read_path(dir, "source", ".html", &len), *expected = read_path(dir, "expected", ".html", &exp_len);
    char charset[32];
    CHECK(in && expected);
    if (!in || !expected) {
        free(in);
        free(expected);
        return;
    }
    CHECK(lf_html_declared_charset(in, len, charset, sizeof charset) && !strcmp(charset, "gb2312"));
    CHECK_STR(lf_html_choose_charset(in, len, charset, sizeof charset), "UTF-8");
    CHECK(lf_html_detect(in, len) && !lf_html_detect(clean_text, sizeof clean_text - 1));
    lf_context *ctx = make_ctx(LF_FORMAT_AUTO, 1, 0, NULL);
    lf_result *r = ctx ? strip(ctx, in, len) : NULL;
    CHECK(r != NULL);
    if (r) {
        const char *out = lf_result_text(r, NULL);
        int paragraphs = 0, found = 0;
        for (const char *p = expected; (p = strstr(p, "<p>")) != NULL;) {
            p += 3;
            const char *end = strstr(p, "</p>");
            if (!end)
                break;
            if (!memchr(p, '<', (size_t)(end - p)) && end - p >= 30) {
                char para[2048];
                snprintf(para, sizeof para, "%.*s", (int)(end - p), p);
                paragraphs++;
                found += strstr(out, para) != NULL;
            }
            p = end;
        }
        printf("  qq: %d of %d plain expected paragraphs found\n", found, paragraphs);
        CHECK(paragraphs >= 5 && found == paragraphs);
        CHECK_STR(lf_result_metadata(r, "title"), "DeepMind新电脑已可利用记忆自学 人工智能迈上新台阶");
        CHECK(strstr(out, "<script") == NULL && strstr(out, "function(") == NULL);
    }
    lf_result_free(r);
    lf_context_free(ctx);
    free(in);
    free(expected);
}

/* GB18030 bytes to UTF-8 with glibc iconv (the decode pass's job, which this
 * test does not depend on). */
static char *gb18030_to_utf8(const char *in, size_t len, size_t *out_len)
{
    iconv_t cd = iconv_open("UTF-8", "GB18030");
    if (cd == (iconv_t)-1)
        return NULL;
    size_t cap = len * 2 + 16, left = cap;
    char *out = malloc(cap), *dst = out, *src = (char *)in;
    size_t src_left = len;
    if (out && iconv(cd, &src, &src_left, &dst, &left) == (size_t)-1) {
        free(out);
        out = NULL;
    }
    iconv_close(cd);
    if (out)
        *out_len = cap - left;
    return out;
}

/* trafilatura's annotations for its CJK pages: snippets that must and must
 * not be in the main text. */
static void test_html_trafilatura(void)
{
    const char *base = LIBFIX_TESTDATA "/strip/peers/trafilatura";
    size_t len;
    char *tsv = read_path(base, "snippets", ".tsv", &len);
    CHECK(tsv != NULL);
    lf_context *ctx = make_ctx(LF_FORMAT_HTML, 1, 0, NULL);
    int with_found = 0, with_total = 0, without_kept = 0, without_total = 0;
    char last_file[256] = "";
    lf_result *r = NULL;
    for (char *line = tsv, *next; ctx && line && *line; line = next) {
        next = strchr(line, '\n');
        if (next)
            *next++ = '\0';
        char *kind = strchr(line, '\t'), *snippet = kind ? strchr(kind + 1, '\t') : NULL;
        if (!snippet)
            continue;
        *kind++ = '\0';
        *snippet++ = '\0';
        if (strcmp(line, last_file) != 0) {
            lf_result_free(r);
            r = NULL;
            snprintf(last_file, sizeof last_file, "%s", line);
            char path[1024];
            snprintf(path, sizeof path, "%s/tests/%s", base, line);
            size_t page_len, utf8_len;
            char *page = check_read_file(path, &page_len);
            char cs[32];
            const char *enc = page ? lf_html_choose_charset(page, page_len, cs, sizeof cs) : NULL;
            CHECK(enc != NULL);
            if (page && enc && strcasecmp(enc, "UTF-8") != 0) {
                CHECK_STR(enc, "GB18030");
                char *utf8 = gb18030_to_utf8(page, page_len, &utf8_len);
                free(page);
                page = utf8;
                page_len = utf8_len;
            }
            r = page ? strip(ctx, page, page_len) : NULL;
            free(page);
        }
        CHECK(r != NULL);
        bool present = r && strstr(lf_result_text(r, NULL), snippet) != NULL;
        if (!strcmp(kind, "with")) {
            with_total++;
            with_found += present;
        } else {
            without_total++;
            without_kept += present;
        }
    }
    lf_result_free(r);
    printf("  trafilatura CJK snippets: %d/%d must-keep found, %d/%d must-drop kept\n", with_found, with_total,
           without_kept, without_total);
    /* Measured 17/17 and 2/19 (kept: a one-word heading between two Baike
     * sections, and NHK's note under its article). */
    CHECK(with_total == 17 && without_total == 19);
    CHECK(with_found == 17 && without_kept <= 2);
    lf_context_free(ctx);
    free(tsv);
}

/* One context, four threads, text and HTML pages: every thread gets the
 * output a single thread gets. */
typedef struct job {
    const lf_context *ctx;
    const char *in;
    size_t len;
    const char *want;
    int mismatches;
} job;

static void *run_job(void *arg)
{
    job *j = arg;
    for (int k = 0; k < 20; k++) {
        if (!support_process_equals(j->ctx, j->in, j->len, j->want))
            j->mismatches++;
    }
    return NULL;
}

static void test_threads(void)
{
    size_t len[2];
    char *in[2] = {check_read_file(LIBFIX_TESTDATA "/strip/gold/003_3cb92859fe70f893.txt", &len[0]),
                   check_read_file(LIBFIX_TESTDATA "/strip/peers/readability/test/test-pages/qq/source.html", &len[1])};
    lf_context *ctx = make_ctx(LF_FORMAT_AUTO, 1, 0, NULL);
    lf_result *ref[2] = {NULL, NULL};
    for (int i = 0; i < 2 && ctx && in[i]; i++)
        ref[i] = strip(ctx, in[i], len[i]);
    CHECK(ref[0] && ref[1]);
    if (ref[0] && ref[1]) {
        job jobs[4];
        pthread_t th[4];
        for (int i = 0; i < 4; i++) {
            jobs[i] = (job){ctx, in[i % 2], len[i % 2], lf_result_text(ref[i % 2], NULL), 0};
            CHECK(pthread_create(&th[i], NULL, run_job, &jobs[i]) == 0);
        }
        for (int i = 0; i < 4; i++) {
            pthread_join(th[i], NULL);
            CHECK(jobs[i].mismatches == 0);
        }
    }
    lf_result_free(ref[0]);
    lf_result_free(ref[1]);
    lf_context_free(ctx);
    free(in[0]);
    free(in[1]);
}

static void test_invalid_input(void)
{
    lf_context *ctx = make_ctx(LF_FORMAT_TEXT, 1, 0, NULL);
    lf_result *r = NULL;
    lf_error err;
    CHECK(ctx && lf_process(ctx, "abc\xff\n", 5, &r, &err) == LF_ERR_INVALID_INPUT && r == NULL);
    lf_status st = ctx ? lf_process(ctx, "", 0, &r, &err) : LF_ERR_ARGUMENT;
    if (st != LF_OK)
        fprintf(stderr, "empty input: %s\n", err.message);
    CHECK(st == LF_OK && r && lf_result_text(r, NULL)[0] == '\0');
    lf_result_free(r);
    lf_context_free(ctx);
}

int main(void)
{
    test_gold_sets();
    test_seed_003_repaired();
    test_clean_text_unchanged();
    test_report_spans();
    test_metadata();
    test_keep_options();
    test_keep_captions();
    test_template();
    test_html_qq();
    test_html_trafilatura();
    test_invalid_input();
    test_threads();
    return check_done("test_strip");
}
