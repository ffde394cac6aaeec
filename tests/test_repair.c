/* test_repair.c — the repair pass on hand-made documents: each damaged text
 * is made here from clean text with ICU (bytes of X decoded as Y), so the
 * expected output is always the clean text itself. Covers span-level repair
 * in mixed documents, the report (kind, spans, chain, confidence), dry runs,
 * lossy damage, text damaged and then saved in a legacy encoding, and one
 * context shared by threads. */
#include "check.h"
#include "support.h"
#include "libfix.h"
#include "repair.h"

#include <pthread.h>
#include <stdbool.h>
#include <unicode/ucnv.h>

/* The clean text damaged through X read as Y; NULL when that loses
 * information (a character X cannot encode, bytes Y cannot decode), since
 * such damage cannot be reversed and is tested apart. */
static char *damage(const char *clean, const char *x, const char *y)
{
    char *bytes = support_icu_convert(clean, strlen(clean), x, "UTF-8");
    char *back = bytes ? support_icu_convert(bytes, strlen(bytes), "UTF-8", x) : NULL;
    char *text = back && strcmp(back, clean) == 0 ? support_icu_convert(bytes, strlen(bytes), "UTF-8", y) : NULL;
    char *again = text ? support_icu_convert(text, strlen(text), y, "UTF-8") : NULL;
    if (!again || strcmp(again, bytes) != 0) {
        free(text);
        text = NULL;
    }
    free(again);
    free(bytes);
    free(back);
    return text;
}

static lf_context *make_context(int dry_run)
{
    lf_options opt;
    lf_options_init(&opt);
    opt.passes[0] = LF_PASS_REPAIR;
    opt.pass_count = 1;
    opt.repair_dry_run = dry_run;
    lf_context *ctx = NULL;
    lf_error err;
    CHECK(lf_context_new(&opt, &ctx, &err) == LF_OK);
    return ctx;
}

static lf_result *run(const lf_context *ctx, const char *text)
{
    lf_result *r = NULL;
    lf_error err;
    CHECK(lf_process(ctx, text, strlen(text), &r, &err) == LF_OK);
    return r;
}

/* Each chain on its own, over sentences in several scripts: every sentence
 * the chain damages losslessly comes back, and the report names the chain. */
static void test_chains(const lf_context *ctx)
{
    static const char *const pool[] = {
        "新华社北京电，国务院总理今天主持召开常务会议。A",
        "人工智能技术发展迅速，应用范围不断扩大。",
        "臺灣的中央研究院今天發表新的研究報告。A",
        "我們在臺北召開了新聞發布會，討論經濟發展問題。",
        "東京都は今日、新しい計画を発表しました。A",
        "日本語の文章を正しく表示します。",
        "서울시는 오늘 새로운 계획을 발표했습니다.",
        "한국어 문장을 올바르게 표시합니다.",
        "Le café était très agréable à Noël.",
        "Müller und Söhne verkaufen Käse in Zürich.",
        "São Paulo é a maior cidade do Brasil.",
    };
    static const struct {
        const char *x, *y, *note; /* note: the chain named in the report (prefix) */
        bool chinese_only;        /* GBK <-> Big5 is only reversed into Chinese (see mojibake.c) */
    } chains[] = {
        {"UTF-8", "GBK", "UTF-8 read as GBK"},
        {"UTF-8", "Big5", "UTF-8 read as Big5"},
        {"UTF-8", "Shift_JIS", "UTF-8 read as Shift_JIS"},
        {"UTF-8", "windows-949", "UTF-8 read as EUC-KR"},
        {"UTF-8", "windows-1252", "UTF-8 read as "},
        {"UTF-8", "ISO-8859-1", "UTF-8 read as "},
        {"UTF-8", "macintosh", "UTF-8 read as MacRoman"},
        {"GBK", "Big5", "GBK read as Big5", true},
        {"Big5", "GBK", "Big5 read as GBK", true},
        {"GBK", "windows-1252", "GBK read as "},
        {"Big5", "ISO-8859-1", "Big5 read as "},
        {"Shift_JIS", "windows-1252", "Shift_JIS read as "},
        {"windows-949", "windows-1252", "EUC-KR read as "},
    };
    for (size_t c = 0; c < sizeof chains / sizeof chains[0]; c++) {
        int tested = 0;
        for (size_t i = 0; i < sizeof pool / sizeof pool[0]; i++) {
            if (chains[c].chinese_only && i >= 4)
                continue;
            char *bad = damage(pool[i], chains[c].x, chains[c].y);
            if (!bad || strcmp(bad, pool[i]) == 0) {
                free(bad);
                continue;
            }
            tested++;
            lf_result *r = run(ctx, bad);
            if (r) {
                CHECK_STR(lf_result_text(r, NULL), pool[i]);
                CHECK(lf_result_change_count(r) >= 1);
                if (lf_result_change_count(r) >= 1) {
                    const lf_change *ch = lf_result_change(r, 0);
                    CHECK_STR(ch->kind, "mojibake");
                    CHECK(strncmp(ch->note, chains[c].note, strlen(chains[c].note)) == 0);
                    CHECK(ch->confidence > 0 && ch->confidence <= 1);
                    CHECK(ch->pass == LF_PASS_REPAIR);
                }
            }
            lf_result_free(r);
            free(bad);
        }
        if (tested == 0)
            fprintf(stderr, "no sentence is damaged losslessly by %s read as %s\n", chains[c].x, chains[c].y);
        CHECK(tested >= 1);
    }
}

/* Double UTF-8: the note says "twice". */
static void test_twice(const lf_context *ctx)
{
    const char *clean = "Ça coûte 5 € à l’entrée.";
    char *once = damage(clean, "UTF-8", "windows-1252");
    char *twice = once ? damage(once, "UTF-8", "windows-1252") : NULL;
    CHECK(twice != NULL);
    lf_result *r = twice ? run(ctx, twice) : NULL;
    if (r) {
        CHECK_STR(lf_result_text(r, NULL), clean);
        CHECK(lf_result_change_count(r) >= 1);
        if (lf_result_change_count(r) >= 1)
            CHECK(strstr(lf_result_change(r, 0)->note, "twice") != NULL);
    }
    lf_result_free(r);
    free(once);
    free(twice);
}

/* "Š" is C5 A0 in UTF-8: read once as windows-1252 it is "Å" and a
 * no-break space, which reads as clean text, so the second level must still
 * be tried ("Ã…Â\u00A0irina" is "Širina", not "Å\u00A0irina"). */
static void test_twice_clean_looking(const lf_context *ctx)
{
    const char *clean = "Širina prostora, ki naj bo dodan desni strani gradnika.";
    char *once = damage(clean, "UTF-8", "windows-1252");
    char *twice = once ? damage(once, "UTF-8", "windows-1252") : NULL;
    CHECK(twice != NULL);
    lf_result *r = twice ? run(ctx, twice) : NULL;
    if (r)
        CHECK_STR(lf_result_text(r, NULL), clean);
    lf_result_free(r);
    free(once);
    free(twice);
}

/* A clean page with a damaged title line, a damaged paragraph and a damaged
 * phrase inside a clean sentence: every span repaired on its own, with its
 * own chain, and the spans point at the right bytes. */
static void test_mixed_document(const lf_context *ctx)
{
    const char *title = "国务院常务会议部署经济工作A";
    const char *para = "這是臺灣的新聞報導，內容關於經濟發展。";
    const char *phrase = "Crédit Agricole";
    char *bad_title = damage(title, "UTF-8", "GBK");
    char *bad_para = damage(para, "GBK", "windows-1252");
    char *bad_phrase = damage(phrase, "UTF-8", "windows-1252");
    CHECK(bad_title && bad_para && bad_phrase);
    if (!bad_title || !bad_para || !bad_phrase)
        goto done;
    char doc[4096], want[4096];
    const char *clean_line = "这是一个干净的段落，不应该被修改。";
    snprintf(doc, sizeof doc, "%s\n%s\n%s\n据 %s 报道，市场平稳。\n", bad_title, clean_line, bad_para, bad_phrase);
    (void)para;
    lf_result *r = run(ctx, doc);
    if (!r)
        goto done;
    char *para_gbk_back = damage(bad_para, "windows-1252", "GBK"); /* what the repair should give */
    snprintf(want, sizeof want, "%s\n%s\n%s\n据 %s 报道，市场平稳。\n", title, clean_line,
             para_gbk_back ? para_gbk_back : "", phrase);
    free(para_gbk_back);
    CHECK_STR(lf_result_text(r, NULL), want);
    CHECK(lf_result_kind_count(r, LF_PASS_REPAIR, "mojibake") == 3);
    size_t out_len;
    const char *out = lf_result_text(r, &out_len);
    for (size_t i = 0; i < lf_result_change_count(r); i++) {
        const lf_change *c = lf_result_change(r, i);
        CHECK(c->in_end <= strlen(doc) && c->out_end <= out_len && c->in_start < c->in_end);
        if (i == 0) { /* the title: the whole first line */
            CHECK(c->in_start == 0 && c->in_end == strlen(bad_title));
            CHECK(c->out_end - c->out_start == strlen(title) && memcmp(out + c->out_start, title, strlen(title)) == 0);
            CHECK_STR(c->note, "UTF-8 read as GBK");
        }
        if (i == 2) { /* the phrase inside the clean sentence */
            CHECK(memcmp(doc + c->in_start, "Cr", 2) != 0); /* starts at the damage, not at the word */
            CHECK_STR(c->note, "UTF-8 read as windows-1252");
        }
    }
    lf_result_free(r);
done:
    free(bad_title);
    free(bad_para);
    free(bad_phrase);
}

static void test_dry_run(void)
{
    lf_context *ctx = make_context(1);
    char *bad = damage("这是一个测试。", "UTF-8", "GBK");
    lf_result *r = ctx && bad ? run(ctx, bad) : NULL;
    if (r) {
        CHECK_STR(lf_result_text(r, NULL), bad);
        CHECK(lf_result_kind_count(r, LF_PASS_REPAIR, "mojibake") == 1);
    }
    lf_result_free(r);
    free(bad);
    lf_context_free(ctx);
}

static bool has_lossy(const lf_result *r, const char *text, const char *needle)
{
    const char *at = strstr(text, needle);
    for (size_t i = 0; at && i < lf_result_change_count(r); i++) {
        const lf_change *c = lf_result_change(r, i);
        if (strcmp(c->kind, "lossy") == 0 && c->in_start <= (uint64_t)(at - text) &&
            c->in_end >= (uint64_t)(at - text) + strlen(needle))
            return true;
    }
    return false;
}

/* Lost characters are said, not guessed: text left as it is. */
static void test_lossy(const lf_context *ctx)
{
    const char *cases[][2] = {
        {"正文\xef\xbf\xbd\xef\xbf\xbd结束", "\xef\xbf\xbd\xef\xbf\xbd"},
        {"编码错误：锟斤拷锟斤拷，请重试", "锟斤拷锟斤拷"},
        {"无法显示的字符??会变成问号", "??"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        lf_result *r = run(ctx, cases[i][0]);
        if (!r)
            continue;
        CHECK_STR(lf_result_text(r, NULL), cases[i][0]);
        CHECK(has_lossy(r, cases[i][0], cases[i][1]));
        lf_result_free(r);
    }
    /* A truncated damaged span: the repairable part is repaired, the cut-off
     * character is reported. "中文测试。" loses its last byte. */
    const char *clean = "中文测试。";
    char cut[64];
    snprintf(cut, sizeof cut, "%s", clean);
    cut[strlen(cut) - 1] = '\0';
    UErrorCode st = U_ZERO_ERROR;
    char bad[256];
    int32_t n = ucnv_convert("UTF-8", "GBK", bad, sizeof bad, cut, (int32_t)strlen(cut), &st);
    CHECK(U_SUCCESS(st) && n > 0);
    lf_result *r = run(ctx, bad);
    if (r) {
        CHECK(strncmp(lf_result_text(r, NULL), "中文测试", strlen("中文测试")) == 0);
        CHECK(lf_result_kind_count(r, LF_PASS_REPAIR, "lossy") >= 1);
    }
    lf_result_free(r);
}

/* Damaged, then saved as GBK by someone, then decoded as GBK again: the
 * decoded text is the same mojibake, and the repair still reverses it. */
static void test_damaged_then_saved(const lf_context *ctx)
{
    const char *clean = "人工智能技术发展迅速，应用范围不断扩大。A";
    char *bad = damage(clean, "UTF-8", "GBK");
    char *saved = bad ? support_icu_convert(bad, strlen(bad), "GBK", "UTF-8") : NULL;
    char *decoded = saved ? support_icu_convert(saved, strlen(saved), "UTF-8", "GBK") : NULL;
    CHECK(decoded != NULL);
    lf_result *r = decoded ? run(ctx, decoded) : NULL;
    if (r)
        CHECK_STR(lf_result_text(r, NULL), clean);
    lf_result_free(r);
    free(bad);
    free(saved);
    free(decoded);
}

struct job {
    const lf_context *ctx;
    const char *bad, *clean;
    int ok;
};

static void *worker(void *arg)
{
    struct job *j = arg;
    j->ok = 1;
    for (int i = 0; i < 50; i++) {
        lf_result *r = NULL;
        if (lf_process(j->ctx, j->bad, strlen(j->bad), &r, NULL) != LF_OK ||
            strcmp(lf_result_text(r, NULL), j->clean) != 0)
            j->ok = 0;
        lf_result_free(r);
    }
    return NULL;
}

static void test_threads(const lf_context *ctx)
{
    const char *clean[2] = {"人工智能技术发展迅速，应用范围不断扩大。A", "Une très belle journée d’été."};
    char *bad[2] = {damage(clean[0], "UTF-8", "GBK"), damage(clean[1], "UTF-8", "windows-1252")};
    struct job jobs[4];
    pthread_t t[4];
    CHECK(bad[0] && bad[1]);
    for (int i = 0; i < 4 && bad[0] && bad[1]; i++) {
        jobs[i] = (struct job){ctx, bad[i % 2], clean[i % 2], 0};
        CHECK(pthread_create(&t[i], NULL, worker, &jobs[i]) == 0);
    }
    for (int i = 0; i < 4 && bad[0] && bad[1]; i++) {
        pthread_join(t[i], NULL);
        CHECK(jobs[i].ok);
    }
    free(bad[0]);
    free(bad[1]);
}

/* A stand-in for a step before the mojibake step: doubles every '@'. */
static lf_status widen(const lf_context *ctx, const char *in, size_t len, lf_buf *out, lf_report *rep, lf_error *err)
{
    (void)ctx;
    for (size_t i = 0; i < len; i++) {
        size_t o = out->len;
        if (!lf_buf_append(out, in + i, 1) || (in[i] == '@' && !lf_buf_append_char(out, '@')))
            return lf_nomem(err);
        if (in[i] == '@' && !lf_report_add(rep, LF_PASS_REPAIR, "test-widen", i, i + 1, o, o + 2, 1.0, NULL))
            return lf_nomem(err);
    }
    return LF_OK;
}

/* Two steps: the mojibake step's spans land on the pass's input and output,
 * and the first step's output spans on the final output. */
static void test_steps(const lf_context *ctx)
{
    char *bad = damage("Crédit", "UTF-8", "windows-1252"); /* "CrÃ©dit" */
    CHECK(bad != NULL);
    if (!bad)
        return;
    char in[64];
    snprintf(in, sizeof in, "@ %s @", bad);
    const lf_pass_fn fns[] = {widen, lf_repair_mojibake};
    lf_report rep;
    lf_report_init(&rep, 0);
    lf_buf out;
    lf_buf_init(&out);
    lf_error err;
    CHECK(lf_repair_run_steps(fns, 2, ctx, in, strlen(in), &out, &rep, &err) == LF_OK);
    CHECK_STR(out.data, "@@ Crédit @@");
    CHECK(rep.nchanges == 3);
    for (size_t i = 0; i < rep.nchanges; i++) {
        const lf_change *c = &rep.changes[i];
        if (strcmp(c->kind, "mojibake") == 0) {
            /* "Ã©" sits at bytes 4..8 of the input, "é" at 5..7 of the output. */
            CHECK(c->in_start == 4 && c->in_end == 8);
            CHECK(c->out_start == 5 && c->out_end == 7);
        } else if (c->in_start == 0) {
            CHECK(c->out_start == 0 && c->out_end == 2);
        } else {
            CHECK(c->in_start == strlen(in) - 1 && c->in_end == strlen(in));
            CHECK(c->out_start == out.len - 2 && c->out_end == out.len);
        }
    }
    lf_buf_free(&out);
    lf_report_free(&rep);
    free(bad);
}

/* Every span of the report, through the real steps (annotations, then
 * mojibake with its lossy entries), slices the input and the output where
 * the change is: a U+FFFD (reported "lossy", no edit) and a mojibake repair
 * before pinyin annotations once shifted the annotations' output spans
 * (found by fuzz_pass_repair). */
static void test_step_spans(const lf_context *ctx)
{
    static const char in[] = "\xef\xbf\xbd\xc2\xa9\xe4\xbb\x88\xe7\xbc\x83\xe6\x88\x9e\xe4\xb8\x8d\xe9\x88\x91"
                             "國網(wǎng)國(guó)網(wǎng)民規(guī)樑國(guó)網(wǎng)䇺機(jī)遲機(jī)";
    lf_result *r = run(ctx, in);
    if (!r)
        return;
    size_t n;
    const char *out = lf_result_text(r, &n);
    size_t annotations = 0;
    for (size_t i = 0; i < lf_result_change_count(r); i++) {
        const lf_change *c = lf_result_change(r, i);
        CHECK(c->in_start <= c->in_end && c->in_end <= strlen(in));
        CHECK(c->out_start <= c->out_end && c->out_end <= n);
        if (strcmp(c->kind, "pinyin-annotation") == 0) {
            /* "字(pinyin)" became "字": the output span is the character the
             * input span starts with. */
            annotations++;
            CHECK(c->out_end - c->out_start == 3 && c->out_end <= n &&
                  memcmp(out + c->out_start, in + c->in_start, 3) == 0);
        }
    }
    CHECK(annotations == 8);
    lf_result_free(r);
}

/* A lone surrogate written as CESU-8 ("í®½" in windows-1252) is no
 * character: a repair must never put one in the output, where its UTF-8
 * form is invalid (found by fuzz_pipeline: "é›¶í®½" came out as 零 and
 * the bytes ED AE BD). */
static void test_no_lone_surrogate(const lf_context *ctx)
{
    static const char *const texts[] = {"é›¶í®½", "é›¶í®½ é›¶", "í®½é›¶", "aé›¶í°€b"};
    for (size_t i = 0; i < sizeof texts / sizeof texts[0]; i++) {
        lf_result *r = run(ctx, texts[i]);
        if (!r)
            continue;
        size_t n;
        const char *out = lf_result_text(r, &n);
        CHECK(lf_utf8_validate(out, n) == n);
        lf_result_free(r);
    }
}

/* Bytes that more than one chain reads back as text: the right reading
 * wins, or the line is left as it was; never another text. Each case once
 * went wrong: the EUC-KR reading of GBK bytes ("객큐쇌약"), Big5 "＃＃＃＃"
 * for the Chinese ellipsis, a kana in a second level of GBK read as Big5
 * ("秆盞ア毖"), windows-1252 "Œ®" for a Shift_JIS character beside ASCII. */
static void test_competing_readings(const lf_context *ctx)
{
    static const struct {
        const char *clean, *x, *y;
        bool restored; /* false: leaving the line alone is right too */
    } cases[] = {
        {"按钮间距", "GBK", "windows-1252", true},   {"CFA 法郎 BEAC", "GBK", "ISO-8859-1", true},
        {"…………", "GBK", "ISO-8859-1", true},       {"…………", "Big5", "GBK", true},
        {"解密失敗: %s", "GBK", "Big5", true},      {"PGP 鍵", "Shift_JIS", "ISO-8859-1", true},
        /* No OpenCC pair either way: ICU's dictionary has the word 法郎. */
        {"CFA 法郎 BEAC", "GBK", "Big5", true},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char *bad = damage(cases[i].clean, cases[i].x, cases[i].y);
        CHECK(bad != NULL);
        lf_result *r = bad ? run(ctx, bad) : NULL;
        if (r) {
            const char *out = lf_result_text(r, NULL);
            if (cases[i].restored)
                CHECK_STR(out, cases[i].clean);
            else
                CHECK(strcmp(out, cases[i].clean) == 0 || strcmp(out, bad) == 0);
            lf_result_free(r);
        }
        free(bad);
    }
    /* Short ideograph spans alone in Latin lines, clean: ICU's dictionary
     * finds words in them, so they stay as they are. */
    static const char *const clean[] = {"CFA 法郎 BEAC", "Canon CRW raw 画像", "makefile 変数", "秘密鍵 %s: %s"};
    for (size_t i = 0; i < sizeof clean / sizeof clean[0]; i++) {
        lf_result *r = run(ctx, clean[i]);
        if (r)
            CHECK_STR(lf_result_text(r, NULL), clean[i]);
        lf_result_free(r);
    }
}

/* One Japanese character in English text, its Shift_JIS bytes read as a
 * code page, comes back under its chain (mojibake.c, lone_kana); the
 * same two-character shapes that clean Latin text has stay. */
static void test_lone_kana(const lf_context *ctx)
{
    static const struct {
        const char *clean, *y, *note;
    } cases[] = {
        {"Ubuntu 10.04 'Lucid Lynx' の CD-ROM", "windows-1252", "Shift_JIS read as windows-1252"},
        {"FanFold US 式", "windows-1252", "Shift_JIS read as windows-1252"},
        {"PGP 鍵", "ISO-8859-1", "Shift_JIS read as Latin-1"},
        {"Press (ひ) twice", "windows-1252", "Shift_JIS read as windows-1252"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char *bad = damage(cases[i].clean, "Shift_JIS", cases[i].y);
        CHECK(bad != NULL);
        lf_result *r = bad ? run(ctx, bad) : NULL;
        if (r) {
            CHECK_STR(lf_result_text(r, NULL), cases[i].clean);
            CHECK(lf_result_change_count(r) == 1);
            if (lf_result_change_count(r) == 1)
                CHECK(strncmp(lf_result_change(r, 0)->note, cases[i].note, strlen(cases[i].note)) == 0);
            lf_result_free(r);
        }
        free(bad);
    }
    /* Doubled dashes and quotes (second byte below 0xA0), a pair inside a
     * word, a pair beside a digit, a line with no letter, a line with
     * other non-ASCII text, "§§" (no Shift_JIS lead byte). */
    static const char *const clean[] = {
        "He paused —— then left.", "She said “” nothing.", "Brand‚Ì name", "Price 12‚Ì", "‚Ì 12 34",
        "Café ‚Ì here",            "See §§ 823 ff. BGB",  "Mark ™® here",
    };
    for (size_t i = 0; i < sizeof clean / sizeof clean[0]; i++) {
        lf_result *r = run(ctx, clean[i]);
        if (r)
            CHECK_STR(lf_result_text(r, NULL), clean[i]);
        lf_result_free(r);
    }
}

int main(void)
{
    lf_context *ctx = make_context(0);
    if (!ctx)
        return check_done("test_repair");
    test_chains(ctx);
    test_twice(ctx);
    test_twice_clean_looking(ctx);
    test_mixed_document(ctx);
    test_dry_run();
    test_lossy(ctx);
    test_damaged_then_saved(ctx);
    test_threads(ctx);
    test_steps(ctx);
    test_step_spans(ctx);
    test_no_lone_surrogate(ctx);
    test_competing_readings(ctx);
    test_lone_kana(ctx);
    lf_context_free(ctx);
    return check_done("test_repair");
}
