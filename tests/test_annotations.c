/* test_annotations.c — stripping inline pinyin annotations and rebuilding the
 * characters they were spliced into (seed 003), options, and clean text that
 * must stay as it is. */
#include "annotations.h"
#include "annotations_damage.h"
#include "check.h"
#include "internal.h"
#include "pinyin.h"

#include <unicode/utrans.h>
#include <unicode/ustring.h>

#define SEED003 LIBFIX_TESTDATA "/seeds/003_3cb92859fe70f893.txt"

static lf_context *new_context(int keep, int dry)
{
    lf_options opt;
    lf_options_init(&opt);
    opt.pass_count = 0;
    opt.keep_annotations = keep;
    opt.repair_dry_run = dry;
    lf_context *ctx = NULL;
    lf_error err;
    CHECK(lf_context_new(&opt, &ctx, &err) == LF_OK);
    CHECK(lf_annotations_prepare(ctx, &err) == LF_OK);
    return ctx;
}

static void free_context(lf_context *ctx)
{
    lf_annotations_release(ctx);
    lf_context_free(ctx);
}

/* Runs the pass; returns the output (caller frees) and fills rep. */
static char *run(const lf_context *ctx, const char *in, size_t len, size_t *out_len, lf_report *rep)
{
    lf_buf out;
    lf_buf_init(&out);
    lf_error err;
    lf_report_init(rep, 0);
    CHECK(lf_annotations_run(ctx, in, len, &out, rep, &err) == LF_OK);
    CHECK(lf_utf8_validate(out.data ? out.data : "", out.len) == out.len);
    char *s = lf_buf_detach(&out, out_len);
    return s ? s : calloc(1, 1);
}

static size_t count_kind(const lf_report *rep, const char *kind)
{
    size_t n = 0;
    for (size_t i = 0; i < rep->nchanges; i++)
        n += strcmp(rep->changes[i].kind, kind) == 0;
    return n;
}

static size_t count_str(const char *s, const char *needle)
{
    size_t n = 0;
    for (const char *p = strstr(s, needle); p; p = strstr(p + 1, needle))
        n++;
    return n;
}

static size_t char_start(const char *s, size_t i)
{
    size_t k = i;
    while (k > 0 && i - k < 4 && ((unsigned char)s[--k] & 0xC0) == 0x80)
        ;
    return k;
}

/* Calls fn for every annotation in s whose reading is one of the character
 * before it. */
typedef void (*annotation_fn)(uint32_t cp, const char *reading, size_t len, void *user);
static size_t each_verified(const char *s, size_t len, annotation_fn fn, void *user)
{
    size_t n = 0;
    for (size_t i = 1; i < len; i++) {
        int syl;
        size_t end = lf_annot_parse(s, len, i, &syl);
        if (!end)
            continue;
        size_t cs = char_start(s, i);
        uint32_t cp;
        if (lf_utf8_decode(s + cs, i - cs, &cp) && lf_pinyin_reads(cp, syl)) {
            n++;
            if (fn)
                fn(cp, s + i + 1, end - i - 2, user);
        }
    }
    return n;
}

static void test_pinyin(void)
{
    CHECK(lf_pinyin_parse("hǎo", strlen("hǎo")) >= 0);
    CHECK(lf_pinyin_parse("hǎo", strlen("hǎo")) == lf_pinyin_parse("hao3", 4));
    CHECK(lf_pinyin_parse("lǜ", strlen("lǜ")) == lf_pinyin_parse("lv4", 3));
    CHECK(lf_pinyin_parse("lü4", strlen("lü4")) == lf_pinyin_parse("lv4", 3));
    CHECK(lf_pinyin_parse("ma", 2) == lf_pinyin_parse("ma5", 3));
    CHECK(lf_pinyin_parse("Běijīng", strlen("Běijīng")) < 0);
    CHECK(lf_pinyin_parse("běijīng", strlen("běijīng")) < 0);
    CHECK(lf_pinyin_parse("ISO", 3) < 0);
    CHECK(lf_pinyin_parse("2023", 4) < 0);
    CHECK(lf_pinyin_parse("hǎǒ", strlen("hǎǒ")) < 0);
    /* Zhuyin spells the same syllables. */
    CHECK(lf_pinyin_parse("ㄨㄤˇ", strlen("ㄨㄤˇ")) == lf_pinyin_parse("wang3", 5));
    CHECK(lf_pinyin_parse("˙ㄇㄚ", strlen("˙ㄇㄚ")) == lf_pinyin_parse("ma5", 3));
    CHECK(lf_pinyin_parse("ㄇㄚ˙", strlen("ㄇㄚ˙")) == lf_pinyin_parse("ma5", 3));
    CHECK(lf_pinyin_parse("ㄨㄤˇㄨ", strlen("ㄨㄤˇㄨ")) < 0);
    /* Polyphonic characters have all their readings. */
    CHECK(lf_pinyin_reads(0x9577, lf_pinyin_parse("zhǎng", strlen("zhǎng")))); /* 長 */
    CHECK(lf_pinyin_reads(0x9577, lf_pinyin_parse("cháng", strlen("cháng"))));
    CHECK(lf_pinyin_reads(0x6578, lf_pinyin_parse("shǔ", strlen("shǔ")))); /* 數 */
    CHECK(lf_pinyin_reads(0x6578, lf_pinyin_parse("shù", strlen("shù"))));
    CHECK(!lf_pinyin_reads(0x7DB2, lf_pinyin_parse("lǐng", strlen("lǐng")))); /* 網 */
    CHECK(lf_pinyin_first(0x7DB2) == lf_pinyin_parse("wang3", 5));
}

/* The readings printed in seed 003, against ICU's Han-Latin transliterator
 * (one reading per character) and against the Unihan table (all readings). */
struct hanlatin {
    UTransliterator *t;
    size_t checked, exact, in_table;
};

static void check_hanlatin(uint32_t cp, const char *reading, size_t len, void *user)
{
    struct hanlatin *h = user;
    UChar u[32];
    int32_t ulen = 0, cap = 32, limit;
    UErrorCode st = U_ZERO_ERROR;
    U16_APPEND_UNSAFE(u, ulen, cp);
    limit = ulen;
    utrans_transUChars(h->t, u, &ulen, cap, 0, &limit, &st);
    char got[64];
    int32_t n = 0;
    u_strToUTF8(got, sizeof got, &n, u, ulen, &st);
    h->checked++;
    h->exact += U_SUCCESS(st) && (size_t)n == len && memcmp(got, reading, len) == 0;
    h->in_table += lf_pinyin_reads(cp, lf_pinyin_parse(reading, len));
}

static void test_reading_sources(void)
{
    size_t len;
    char *seed = check_read_file(SEED003, &len);
    CHECK(seed != NULL);
    if (!seed)
        return;
    struct hanlatin h = {0};
    UErrorCode st = U_ZERO_ERROR;
    h.t = utrans_openU(u"Han-Latin", -1, UTRANS_FORWARD, NULL, 0, NULL, &st);
    CHECK(U_SUCCESS(st));
    if (U_SUCCESS(st)) {
        each_verified(seed, len, check_hanlatin, &h);
        utrans_close(h.t);
    }
    printf("seed 003: %zu annotations, Han-Latin exact for %zu, in the Unihan table %zu\n", h.checked, h.exact,
           h.in_table);
    CHECK(h.checked > 1000);
    CHECK(h.exact == h.checked);
    CHECK(h.in_table == h.checked);
    free(seed);
}

/* The sites the issue lists, plus the two it does not name, as they appear in
 * the seed and as they must read. */
static const char *const sites[][2] = {
    {"人民日?qǐng)?bào)", "人民日報"},
    {"域?qū)崿F(xiàn)", "領域實現"},
    {"發(fā)展?fàn)顩r統(tǒng)計", "發展狀況統計"},
    {"規(guī)?;\xEE\x87\xA7渴鸬捏w現(xiàn)", "規模化部署的體現"},
    {"電子社??\xEE\x9F\x91I(lǐng)用", "電子社保卡領用"},
    {"深入?yún)⑴c搭建", "深入參與搭建"},
    {"山地?cái)?shù)字", "山地數字"},
};

static size_t count_private_use(const char *s, size_t len)
{
    size_t n = 0;
    for (size_t i = 0; i < len;) {
        uint32_t cp;
        size_t k = lf_utf8_decode(s + i, len - i, &cp);
        n += cp >= 0xE000 && cp <= 0xF8FF;
        i += k ? k : 1;
    }
    return n;
}

static char *repaired_seed(size_t *out_len)
{
    size_t len;
    char *seed = check_read_file(SEED003, &len);
    CHECK(seed != NULL);
    if (!seed)
        return NULL;
    lf_context *ctx = new_context(0, 0);
    lf_report rep;
    char *out = run(ctx, seed, len, out_len, &rep);
    CHECK(count_kind(&rep, "annotation-splice") == sizeof sites / sizeof sites[0]);
    CHECK(count_kind(&rep, "annotation-ambiguous") == 0);
    CHECK(count_kind(&rep, "pinyin-annotation") + 2 * count_kind(&rep, "annotation-splice") > 1000);
    for (size_t i = 0; i < rep.nchanges; i++) {
        const lf_change *c = &rep.changes[i];
        CHECK(c->pass == LF_PASS_REPAIR && c->in_end <= len && c->out_end <= *out_len && c->note);
        CHECK(c->confidence >= 0.8);
    }
    lf_report_free(&rep);
    free_context(ctx);
    free(seed);
    return out;
}

static void test_seed_sites(void)
{
    size_t len, out_len;
    char *seed = check_read_file(SEED003, &len);
    char *out = repaired_seed(&out_len);
    if (!seed || !out)
        return;
    for (size_t i = 0; i < sizeof sites / sizeof sites[0]; i++) {
        CHECK(strstr(seed, sites[i][0]) != NULL);
        CHECK(strstr(out, sites[i][0]) == NULL);
        if (!strstr(out, sites[i][1]))
            fprintf(stderr, "site %zu not restored: %s\n", i, sites[i][1]);
        CHECK(strstr(out, sites[i][1]) != NULL);
    }
    CHECK(each_verified(seed, len, NULL, NULL) > 1000);
    CHECK(each_verified(out, out_len, NULL, NULL) == 0);
    /* The whole page, against the reconstruction made by hand (README). */
    size_t ref_len;
    char *ref = check_read_file(LIBFIX_TESTDATA "/annotations/seed003_clean.txt", &ref_len);
    CHECK(ref && ref_len == out_len && memcmp(ref, out, out_len) == 0);
    free(ref);
    /* The page's own question mark stays; nothing else of the damage does. */
    CHECK(count_str(out, "?") == 1);
    CHECK(strstr(out, "需要什么條件?") != NULL);
    CHECK(count_private_use(out, out_len) == 0);
    CHECK(strstr(out, "\xE2\x82\xAC") == NULL);
    /* Parentheses that are text stay. */
    CHECK(strstr(out, "(后改為委員會)") != NULL);
    CHECK(strstr(out, "(ISO)") != NULL);
    CHECK(strstr(out, "委(黨組)") != NULL);
    free(seed);
    free(out);
}

/* Reads testdata/annotations/seed003_params.txt and the page's annotations
 * into generator parameters. */
typedef struct seed_params {
    damage_entry entries[512];
    size_t n;
    size_t chunk;
    char encoding[32];
} seed_params;

static void add_entry(uint32_t cp, const char *reading, size_t len, void *user)
{
    seed_params *p = user;
    for (size_t i = 0; i < p->n; i++)
        if (p->entries[i].cp == cp)
            return;
    if (p->n == 512 || len >= sizeof p->entries[0].reading)
        return;
    p->entries[p->n].cp = cp;
    memcpy(p->entries[p->n].reading, reading, len);
    p->entries[p->n].reading[len] = '\0';
    p->n++;
}

static bool read_params(const char *seed, size_t len, seed_params *p)
{
    memset(p, 0, sizeof *p);
    each_verified(seed, len, add_entry, p);
    FILE *f = fopen(LIBFIX_TESTDATA "/annotations/seed003_params.txt", "r");
    if (!f)
        return false;
    char line[256];
    while (fgets(line, sizeof line, f)) {
        char a[32], b[32];
        if (sscanf(line, "encoding %31s", p->encoding) == 1 || sscanf(line, "chunk %zu", &p->chunk) == 1)
            continue;
        if (sscanf(line, "entry %31s %31s", a, b) == 2) {
            uint32_t cp;
            if (lf_utf8_decode(a, strlen(a), &cp))
                add_entry(cp, b, strlen(b), p);
        }
    }
    fclose(f);
    return p->chunk > 0 && p->encoding[0];
}

/* The generator, applied to the repaired text with the dictionary the page
 * shows, reproduces the seed byte for byte: the damage model is right, and
 * so is every repaired site. */
static void test_seed_reproduced(void)
{
    size_t len, out_len, pre_len, dmg_len;
    char *seed = check_read_file(SEED003, &len);
    char *out = repaired_seed(&out_len);
    seed_params p;
    CHECK(seed && out && read_params(seed, len, &p));
    if (!seed || !out || !p.chunk)
        return;
    char *pre = damage_unfold_delimiters(out, out_len, &pre_len);
    damage_params dp = {p.encoding, p.entries, p.n, '(', ')', p.chunk};
    damage_stats st = {0};
    char *dmg = pre ? damage_apply(&dp, pre, pre_len, &dmg_len, &st) : NULL;
    CHECK(dmg != NULL);
    if (dmg) {
        CHECK(dmg_len == len && memcmp(dmg, seed, len) == 0);
        CHECK(st.straddled_inserts == 5); /* 請 雲 範 財 驅 */
        CHECK(st.straddled_cuts == 2);    /* 模化 保卡 */
        for (size_t i = 0; i < len && i < dmg_len; i++) {
            if (dmg[i] != seed[i]) {
                fprintf(stderr, "first difference at byte %zu: %.40s\n", i, dmg + (i > 20 ? i - 20 : 0));
                break;
            }
        }
    }
    damage_stats_free(&st);
    free(dmg);
    free(pre);
    free(out);
    free(seed);
}

/* Whether text[0..len) has line as one of its lines. */
static bool has_line(const char *text, size_t len, const char *line, size_t n)
{
    for (size_t i = 0; i + n <= len;) {
        const char *nl = memchr(text + i, '\n', len - i);
        size_t end = nl ? (size_t)(nl - text) : len;
        if (end - i == n && memcmp(text + i, line, n) == 0)
            return true;
        i = end + 1;
    }
    return false;
}

/* Seed 003's damage made again from the repaired text with the seed's
 * dictionary and chunk size, but with the readings in square brackets
 * (a lead byte before '[' decodes with it as one character, no '?' left)
 * and in zhuyin (the tool's later matches land inside earlier annotations;
 * zhuyin letters are two bytes, so the chunk cuts fall elsewhere). Every
 * line where no byte was lost comes back exactly, every confident repair is
 * right, and only lines that lost bytes are reported ambiguous. */
static void check_variant(const seed_params *p, const char *clean, size_t clean_len, char open, char close,
                          bool zhuyin)
{
    static damage_entry entries[512];
    for (size_t i = 0; i < p->n; i++) {
        entries[i] = p->entries[i];
        int syl = lf_pinyin_parse(p->entries[i].reading, strlen(p->entries[i].reading));
        CHECK(syl >= 0);
        if (zhuyin && syl >= 0)
            snprintf(entries[i].reading, sizeof entries[i].reading, "%s", lf_pinyin_zhuyin[syl]);
    }
    size_t pre_len, dmg_len, out_len;
    char *pre = damage_unfold_delimiters(clean, clean_len, &pre_len);
    damage_params dp = {p->encoding, entries, p->n, open, close, p->chunk};
    damage_stats st = {0};
    char *dmg = pre ? damage_apply(&dp, pre, pre_len, &dmg_len, &st) : NULL;
    CHECK(dmg != NULL);
    if (dmg) {
        CHECK(st.straddled_inserts + st.straddled_cuts > 0);
        lf_context *ctx = new_context(0, 0);
        lf_report rep;
        char *out = run(ctx, dmg, dmg_len, &out_len, &rep);
        size_t lost_lines = 0;
        for (size_t l = 0, i = 0; l < st.nlines; l++) {
            const char *nl = memchr(clean + i, '\n', clean_len - i);
            size_t end = nl ? (size_t)(nl - clean) : clean_len;
            bool lost = st.lost_per_line[l] || st.break_lost[l] || (l > 0 && st.break_lost[l - 1]);
            lost_lines += st.lost_per_line[l] > 0;
            if (!lost && !has_line(out, out_len, clean + i, end - i)) {
                CHECK(!"a line without a lost byte comes back exactly");
                fprintf(stderr, "variant %c%s, line %zu: %.*s\n", open, zhuyin ? " zhuyin" : "", l,
                        (int)(end - i), clean + i);
            }
            i = end + 1;
        }
        CHECK(count_kind(&rep, "annotation-splice") > 0);
        CHECK(count_kind(&rep, "annotation-ambiguous") <= lost_lines);
        for (size_t i = 0; i < rep.nchanges; i++) {
            const lf_change *c = &rep.changes[i];
            if (strcmp(c->kind, "annotation-splice") != 0)
                continue;
            char *r = strndup(out + c->out_start, c->out_end - c->out_start);
            CHECK(r && strstr(clean, r));
            free(r);
        }
        lf_report_free(&rep);
        free(out);
        free_context(ctx);
    }
    damage_stats_free(&st);
    free(dmg);
    free(pre);
}

static void test_seed_variants(void)
{
    size_t len, out_len;
    char *seed = check_read_file(SEED003, &len);
    char *clean = check_read_file(LIBFIX_TESTDATA "/annotations/seed003_clean.txt", &out_len);
    static seed_params p;
    CHECK(seed && clean && read_params(seed, len, &p));
    if (seed && clean && p.chunk) {
        check_variant(&p, clean, out_len, '[', ']', false);
        check_variant(&p, clean, out_len, '(', ')', true);
        check_variant(&p, clean, out_len, '[', ']', true);
    }
    free(clean);
    free(seed);
}

static void test_options(void)
{
    size_t len, out_len;
    char *seed = check_read_file(SEED003, &len);
    if (!seed)
        return;
    lf_report rep;
    /* keep_annotations: nothing stripped, the broken characters rebuilt with
     * the annotations of whole characters put back. */
    lf_context *ctx = new_context(1, 0);
    char *out = run(ctx, seed, len, &out_len, &rep);
    CHECK(count_kind(&rep, "pinyin-annotation") == 0);
    CHECK(count_kind(&rep, "annotation-splice") == sizeof sites / sizeof sites[0]);
    CHECK(strstr(out, "人民日報(bào)") != NULL);
    CHECK(strstr(out, "規(guī)模化部署的體現(xiàn)") != NULL);
    CHECK(each_verified(out, out_len, NULL, NULL) >= each_verified(seed, len, NULL, NULL) - 2);
    CHECK(count_private_use(out, out_len) == 0);
    lf_report_free(&rep);
    free(out);
    free_context(ctx);
    /* repair_dry_run: the same report, the text unchanged. */
    ctx = new_context(0, 1);
    out = run(ctx, seed, len, &out_len, &rep);
    CHECK(out_len == len && memcmp(out, seed, len) == 0);
    CHECK(count_kind(&rep, "annotation-splice") == sizeof sites / sizeof sites[0]);
    CHECK(count_kind(&rep, "pinyin-annotation") > 1000);
    for (size_t i = 0; i < rep.nchanges; i++)
        CHECK(rep.changes[i].out_end - rep.changes[i].out_start == rep.changes[i].in_end - rep.changes[i].in_start);
    lf_report_free(&rep);
    free(out);
    free_context(ctx);
    free(seed);
}

static void check_unchanged(const lf_context *ctx, const char *text, size_t len, const char *what)
{
    lf_report rep;
    size_t out_len;
    char *out = run(ctx, text, len, &out_len, &rep);
    bool same = out_len == len && memcmp(out, text, len) == 0;
    if (!same || rep.nchanges)
        fprintf(stderr, "changed: %s\n", what);
    CHECK(same);
    CHECK(rep.nchanges == 0);
    lf_report_free(&rep);
    free(out);
}

static void test_clean_unchanged(void)
{
    lf_context *ctx = new_context(0, 0);
    static const char *const texts[] = {
        "北京(Běijīng)是中國的首都。\n",
        /* one text of two lines: a language-teaching passage */
        ("你(nǐ)好(hǎo)!我(wǒ)是(shì)學(xué)生(shēng)。他(tā)是(shì)老(lǎo)師(shī)。\n"
         "請(qǐng)問(wèn),這(zhè)是(shì)什(shén)麼(me)?\n"),
        "國際標準化組織(ISO). 信息技術 詞匯(2023). 北京: 標準出版社(后改為委員會), 第(1)版.\n",
        "他說(lǐng)這個字念錯了?;真的嗎?\n",
        "綠(lǜ)色和綠(lv4)色, 女(nü3)人.\n",
        "價格100€, 符號\xEE\x80\x80不動。\n",
    };
    for (size_t i = 0; i < sizeof texts / sizeof texts[0]; i++)
        check_unchanged(ctx, texts[i], strlen(texts[i]), texts[i]);
    static const char *const seeds[] = {"000_2c2c842a2fec32c3", "001_74ed674026e8a210", "002_d6a4e868b2ae8101",
                                        "004_be795c9853c9171b"};
    for (size_t i = 0; i < sizeof seeds / sizeof seeds[0]; i++) {
        char path[512];
        snprintf(path, sizeof path, "%s/seeds/%s.txt", LIBFIX_TESTDATA, seeds[i]);
        size_t len;
        char *s = check_read_file(path, &len);
        CHECK(s != NULL);
        if (s)
            check_unchanged(ctx, s, len, seeds[i]);
        free(s);
    }
    free_context(ctx);
}

/* In an annotated page, text parentheses and a real question mark stay. */
static void test_annotated_page_keeps_text(void)
{
    size_t len, out_len;
    char *seed = check_read_file(SEED003, &len);
    if (!seed)
        return;
    static const char extra[] = "\n他說(lǐng)這個字念錯了?;真的嗎?見(ISO)。\n";
    char *doc = malloc(len + sizeof extra);
    memcpy(doc, seed, len);
    memcpy(doc + len, extra, sizeof extra);
    lf_context *ctx = new_context(0, 0);
    lf_report rep;
    char *out = run(ctx, doc, len + sizeof extra - 1, &out_len, &rep);
    CHECK(out_len >= sizeof extra - 1 && strcmp(out + out_len - (sizeof extra - 1), extra) == 0);
    lf_report_free(&rep);
    free(out);
    free(doc);
    free_context(ctx);
    free(seed);
}

/* Without lf_annotations_prepare the pass builds its tables per call. */
static void test_unprepared(void)
{
    static const char text[] = "網(wǎng)絡(luò)網(wǎng)絡(luò)網(wǎng)絡(luò)網(wǎng)絡(luò)網(wǎng)絡(luò)人民日?qǐng)?bào) 好";
    lf_options opt;
    lf_options_init(&opt);
    opt.pass_count = 0;
    lf_context *ctx = NULL;
    lf_error err;
    CHECK(lf_context_new(&opt, &ctx, &err) == LF_OK);
    lf_report rep;
    size_t out_len;
    char *out = run(ctx, text, strlen(text), &out_len, &rep);
    CHECK_STR(out, "網絡網絡網絡網絡網絡人民日報 好");
    lf_report_free(&rep);
    free(out);
    lf_context_free(ctx);
}

/* Zhuyin annotations in square brackets strip and splice the same way. */
static void test_zhuyin_brackets(void)
{
    static const char text[] =
        "網[ㄨㄤˇ]絡[ㄌㄨㄛˋ]網[ㄨㄤˇ]絡[ㄌㄨㄛˋ]網[ㄨㄤˇ]絡[ㄌㄨㄛˋ]網[ㄨㄤˇ]絡[ㄌㄨㄛˋ]網[ㄨㄤˇ]絡[ㄌㄨㄛˋ]\n";
    lf_context *ctx = new_context(0, 0);
    lf_report rep;
    size_t out_len;
    char *out = run(ctx, text, strlen(text), &out_len, &rep);
    CHECK_STR(out, "網絡網絡網絡網絡網絡\n");
    CHECK(count_kind(&rep, "pinyin-annotation") == 10);
    lf_report_free(&rep);
    free(out);
    free_context(ctx);
}

/* A character the page annotates is no better than a same-sound one the page
 * annotates too (心 xīn, 新 xīn) when neither makes more words: the rebuilt
 * site is reported ambiguous, never confidently 展的心方. */
static void test_homophone_rival(void)
{
    static const char text[] = "创(chuàng)新(xīn)是发(fā)展(zhǎn)的(de)动(dòng)力(lì),中(zhōng)心(xīn)工(gōng)作(zuò)要(yào)抓(zhuā)好(hǎo)。\n"
                               "创(chuàng)新(xīn)是发(fā)展(zhǎn)的(de)动(dòng)力(lì),中(zhōng)心(xīn)工(gōng)作(zuò)要(yào)抓(zhuā)好(hǎo)。\n"
                               "推(tuī)动(dòng)发(fā)展(zhǎn)的(de)工(gōng)作(zuò)要(yào)用(yòng)的(de)心(xīn)思(sī)。\n"
                               "推(tuī)动(dòng)发(fā)展(zhǎn)?gōu)男?xīn)方(fāng)案(àn)落(luò)地(dì)。\n";
    lf_context *ctx = new_context(0, 0);
    lf_report rep;
    size_t out_len;
    char *out = run(ctx, text, strlen(text), &out_len, &rep);
    CHECK(strstr(out, "的心方") == NULL);
    CHECK(count_kind(&rep, "annotation-splice") == 0);
    CHECK(count_kind(&rep, "annotation-ambiguous") == 1);
    for (size_t i = 0; i < rep.nchanges; i++)
        if (strcmp(rep.changes[i].kind, "annotation-ambiguous") == 0) {
            CHECK(strstr(rep.changes[i].note, "展的心方") != NULL);
            CHECK(strstr(rep.changes[i].note, "展的新方") != NULL);
            CHECK(rep.changes[i].confidence < 0.7);
        }
    lf_report_free(&rep);
    free(out);
    free_context(ctx);
}

/* A zhuyin letter the damaged text shows in an annotation's body is never
 * read as the halves of two characters, even where the rebuilt bytes gain
 * as many letters elsewhere (set 8 of test_annotations_generated, pair 488:
 * 反?ㄘㄨㄥˊ)沉?ㄌ?ㄊㄞˊ)塄 was rebuilt as 反映粒卡台塄, the ㄌ of the
 * annotation of 了 read as the halves of 卡台, while 绋濉 before it was
 * rebuilt as ㄧㄥˇ). The page is that pair's, cut to the sentences that
 * still made the wrong repair. */
static void test_zhuyin_letter_kept(void)
{
    static const char text[] =
        "8.构(ㄍㄡˋ)建网络(ㄌㄨㄛˋ)空(ㄎㄨㄥ)间命运(ㄩㄣˋ)共(ㄍㄨㄥˋ)同体造(ㄗㄠˋ)福(ㄈㄨˊ)人民是世界各(ㄍㄜˋ)"
        "国(ㄍㄨㄛˊ)共(ㄍㄨㄥˋ)同责任(ㄖㄣˋ)十多年来(ㄌㄞˊ),构(ㄍㄡˋ)建网络(ㄌㄨㄛˋ)空(ㄎㄨㄥ)间命运(ㄩㄣˋ)"
        "共(ㄍㄨㄥˋ)同体理念(ㄋㄧㄢˋ)已经(ㄐㄧㄥ)从(ㄘㄨㄥˊ)中(ㄓㄨㄥ)国(ㄍㄨㄛˊ)倡议扩大为(ㄨㄟˋ)国(ㄍㄨㄛˊ)"
        "际共(ㄍㄨㄥˋ)识(ㄕˊ),从(ㄘㄨㄥˊ)美好(ㄏㄠˇ)愿景转化(ㄏㄨㄚˋ)为(ㄨㄟˋ)丰富实(ㄕˊ)?ㄉㄠˇ)?ㄘㄨㄥˊ)"
        "理念(ㄋㄧㄢˋ)主(ㄓㄨˇ)张发展为(ㄨㄟˋ)科学体系,成为(ㄨㄟˋ)引(ㄧㄣˇ)领(ㄌ?ㄊㄞˊ)绋濉?时代(ㄉㄞˋ)前(ㄑㄧㄢˊ)"
        "进的(ㄉㄜ˙)光辉旗帜,反?ㄘㄨㄥˊ)沉?ㄌ?ㄊㄞˊ)塄B)国(ㄍㄨㄛˊ)际社会(ㄏㄨㄟˋ)的(ㄉㄜ˙)共(ㄍㄨㄥˋ)同期待,"
        "体现了(ㄌ?ㄊㄞˊ)塄B)中(ㄓㄨㄥ)国(ㄍㄨㄛˊ)积(ㄐㄧ)极(ㄐㄧˊ)作为(ㄨㄟˋ)的(ㄉㄜ˙)大国(ㄍㄨㄛˊ)担当,"
        "为(ㄨㄟˋ)推(ㄊㄨㄟ)动全(ㄑㄩㄢˊ)球(ㄑㄧㄡˊ)互(ㄏㄨˋ)联网发展治理贡(ㄍㄨㄥˋ)献了(ㄌ?ㄊㄞˊ)塄B)中(ㄓㄨㄥ)"
        "国(ㄍㄨㄛˊ)力量,赢得了(ㄌ?ㄊㄞˊ)塄B)国(ㄍㄨㄛˊ)际社会(ㄏㄨㄟˋ)的(ㄉㄜ˙)高度赞誉和广(ㄍㄨㄤˇ)泛认同。"
        "两年来(ㄌㄞˊ),这一平台(ㄊㄞˊ)始(ㄕˇ)终属于世界。"
        "\n";
    lf_context *ctx = new_context(0, 0);
    lf_report rep;
    size_t out_len;
    char *out = run(ctx, text, strlen(text), &out_len, &rep);
    CHECK(strstr(out, "卡台") == NULL);
    for (size_t i = 0; i < rep.nchanges; i++)
        if (strcmp(rep.changes[i].kind, "annotation-splice") == 0)
            CHECK(strstr(rep.changes[i].note, "-> 实践") == NULL);
    lf_report_free(&rep);
    free(out);
    free_context(ctx);
}

/* The same chain of straddled insertions after the same character is
 * rebuilt alike: set 4 of test_annotations_generated, pair 357, rebuilt
 * 分?zhì)?qí) as 分歧 once and as 分七 (the page shows 第七) three times
 * on one line, as one confident repair. The page is that pair's, cut to
 * the sentences that still made the wrong repair. */
static void test_chains_alike(void)
{
    static const char text[] =
        "为(wèi)此,国家网(wǎng)信(xìn)办主(zhǔ)任鲁炜在(zài)第(dì)七届中美互联网(wǎng)论坛上也(yě)曾表(biǎo)示,"
        "世界(jiè)互联网(wǎng)已经深度(dù)融合(hé),是你中有我(wǒ),我(wǒ)中有你的(de)命运(yùn)共同体(tǐ),"
        "但由于我(wǒ)们融合(hé)的(de)太深,太密切了,所以就有分?zhì)?qí),如果我(wǒ)们没有往来(lái),"
        "哪有分?zhì)?qí)。  世界(jiè)互联网(wǎng)大会虽名为(wèi)高峰会议,但实际上是一(yī)个重要(yào)的(de)国际互联网(wǎng)治理平(píng)台和机制(zhì)。"
        "\n";
    lf_context *ctx = new_context(0, 0);
    lf_report rep;
    size_t out_len;
    char *out = run(ctx, text, strlen(text), &out_len, &rep);
    CHECK(strstr(out, "分七") == NULL);
    CHECK(count_str(out, "分歧") == 2 || count_kind(&rep, "annotation-ambiguous") > 0);
    lf_report_free(&rep);
    free(out);
    free_context(ctx);
}

/* A homophone the page annotates does not crowd out the right character
 * before the words are weighed: set 9 of test_annotations_generated, pair
 * 75, rebuilt 发展(zhǎn)?gōu)墓?gòng)献 as 发展的共献 (the page annotates
 * 共 gòng), as 贡献 lost every place in the beam to 共 with other choices
 * earlier in the site. The page is that pair's, cut to the sentences that
 * still made the wrong repair. */
static void test_latest_choice_kept(void)
{
    static const char text[] =
        "8.构(gòu)建(jiàn)网(wǎng)络空(kōng)间(jiān)命运共(gòng)同(tóng)体造(zào)福人(rén)民(mín)是(shì)世(shì)界各(gè)国(guó)共(gòng)同(tóng)责(zé)任十多年(nián)来(lái),"
        "构(gòu)建(jiàn)网(wǎng)络空(kōng)间(jiān)命运共(gòng)同(tóng)体理念(niàn)已经(jīng)从(cóng)中(zhōng)国(guó)倡(chàng)议扩大为(wèi)国(guó)际(jì)共(gòng)识,"
        "从(cóng)美好愿景转化(huà)为(wèi)丰富实(shí)践(jiàn),从(cóng)理念(niàn)主张(zhāng)发展(zhǎn)为(wèi)科学体系,"
        "成为(wèi)引领时代(dài)前进的(de)光辉旗帜,反?cóng)沉斯?guó)际(jì)社(shè)会的(de)共(gòng)同(tóng)期待,"
        "体现了中(zhōng)国(guó)积极(jí)作(zuò)为(wèi)的(de)大国(guó)担当,"
        "为(wèi)推动(dòng)全(quán)球(qiú)互(hù)联网(wǎng)发展(zhǎn)治理贡(gòng)献了中(zhōng)国(guó)力量,"
        "赢得(dé)了国(guó)际(jì)社(shè)会的(de)高度赞誉和广泛(fàn)认同(tóng)。"
        "从(cóng)2019年(nián)世(shì)界互(hù)联网(wǎng)大会组(zǔ)委会https://china.qianlong.com/2024/1217/8397745.shtml世(shì)界互(hù)联网(wǎng)大会在(zài)凝聚共(gòng)识中(zhōng)勇毅前行\n"
        "世(shì)界互(hù)联网(wǎng)大会发布(bù)的(de)《携手构(gòu)建(jiàn)网(wǎng)络空(kōng)间(jiān)命运共(gòng)同(tóng)体》概念(niàn)文(wén)件(jiàn)指出(chū),"
        "中(zhōng)国(guó)既是(shì)全(quán)球(qiú)互(hù)联网(wǎng)发展(zhǎn)?gōu)闹匾芤?yì)者(zhě),"
        "也始(shǐ)终是(shì)国(guó)际(jì)网(wǎng)络空(kōng)间(jiān)和平的(de)建(jiàn)设者(zhě)、"
        "发展(zhǎn)?gōu)墓?gòng)献者(zhě)、秩序的(de)维护者(zhě)。大会成立了数据(jù)工(gōng)作(zuò)组(zǔ)、"
        "人(rén)工(gōng)智能(néng)工(gōng)作(zuò)组(zǔ)、跨境电商(shāng)工(gōng)作(zuò)组(zǔ),"
        "发布(bù)了“携手构(gòu)建(jiàn)网(wǎng)络空(kōng)间(jiān)命运共(gòng)同(tóng)体”实(shí)践(jiàn)案(àn)例集、"
        "《网(wǎng)络主权:理论与(yǔ)实(shí)践(jiàn)(4.0版)》、《跨境电子商(shāng)务国(guó)际(jì)规则体系发展(zhǎn)研(yán)究(jiū)报告》《发展(zhǎn)负责(zé)任的(de)生(shēng)成式(shì)人(rén)工(gōng)智能(néng)研(yán)究(jiū)报告及共(gòng)识文(wén)件(jiàn)》《发展(zhǎn)负责(zé)任的(de)生(shēng)成式(shì)人(rén)工(gōng)智能(néng)共(gòng)识》等(děng)成果文(wén)件(jiàn),"
        "发起(qǐ)了爱(AI)公益(yì)行动(dòng)计划等(děng)活(huó)动(dòng),为(wèi)网(wǎng)络空(kōng)间(jiān)注入理性(xìng)和爱心(xīn)。"
        "\n";
    lf_context *ctx = new_context(0, 0);
    lf_report rep;
    size_t out_len;
    char *out = run(ctx, text, strlen(text), &out_len, &rep);
    CHECK(strstr(out, "共献") == NULL);
    bool ranked = strstr(out, "发展的贡献") != NULL;
    for (size_t i = 0; i < rep.nchanges; i++)
        ranked = ranked || (strcmp(rep.changes[i].kind, "annotation-ambiguous") == 0 &&
                            strstr(rep.changes[i].note, "发展的贡献") != NULL);
    CHECK(ranked);
    lf_report_free(&rep);
    free(out);
    free_context(ctx);
}

/* A paragraph's end whose line break a '?' swallowed with the trail byte
 * of its 。 is rebuilt when the page ends lines with 。 and a blank line
 * follows: 孵化出来?chu3)? then a blank line (set 0 of
 * test_annotations_generated, pair 66, cut to the paragraphs that still
 * show it) is 孵化出来。, though the page never shows 来。. */
static void test_paragraph_end(void)
{
    static const char text[] =
        "作为(wei4)全(quan2)国(guo2)一(yi1)体(ti3)化算力(li4)网(wang3)络(luo4)国(guo2)家(贵(gui4)州)枢纽节点重要组成部分,"
        "中国(guo2)移动贵(gui4)阳数据(ju4)中心不(bu4)仅(jin3)支撑了(le5)超过2000个贵(gui4)州省内政府部门、"
        "国(guo2)企上(shang4)云项目,一(yi1)批“东数西算”应(ying1)用项目也从这里孵化出(chu1)来?chu3)?\n"
        "伴随著核(he2)心技(ji4)术(shu4)的突(tu1)破(po4)和(he2)信息基础(chu3)设(she4)施(shi1)的建(jian4)设(she4),"
        "我(wo3)国(guo2)大力(li4)发展数字经(jing1)济(ji4),以(yi3)信息化培育新(xin1)动能(neng2),"
        "用新(xin1)动能(neng2)推(tui1)动新(xin1)发展。\n"
        "几十(shi2)条分拣(jian3)线“火力(li4)全(quan2)开”传送?tu1)跷铮旨?jian3)装置不(bu4)停地发出(chu1)“嗡嗡”声,"
        "一(yi1)个个包裹在(zai4)“快速(su4)路”上(shang4)飞驰而(er2)去……在(zai4)北京郊区某电商分拣(jian3)中心?mo2)?yi1)派繁忙而(er2)有序的景象,"
        "这是中国(guo2)数字经(jing1)济(ji4)高速(su4)发展的一(yi1)个缩影。"
        "\n";
    lf_context *ctx = new_context(0, 0);
    lf_report rep;
    size_t out_len;
    char *out = run(ctx, text, strlen(text), &out_len, &rep);
    CHECK(strstr(out, "孵化出来。\n\n伴随") != NULL);
    CHECK(count_kind(&rep, "annotation-splice") >= 1);
    lf_report_free(&rep);
    free(out);
    free_context(ctx);
}

/* A symbol of the trail bytes' range that a misaligned pair leaves after a
 * Han character is no reconstruction: set 13 of
 * test_annotations_generated, pair 144 (Big5, zhuyin), rebuilt 奶?ㄊㄞˋ)深
 * as 奶茞` with confidence 0.95, the lead byte of 深 read as the trail of
 * 茞. The page is that pair's, cut to the sentences that still made the
 * wrong repair. */
static void test_stray_symbol(void)
{
    static const char text[] =
        "它是?ㄑㄧㄢˊ)⒗?ㄌㄧˇ)巴(ㄅㄚ)巴(ㄅㄚ)的寶庫,裏面有取之不(ㄅㄨˋ)盡(ㄐㄧㄣˇ)的寶物;用(ㄩㄥˋ)不(ㄅㄨˋ)好,"
        "它是潘多拉的魔盒,給人類(ㄌㄟˋ)自己帶來(ㄌㄞˊ)無(ㄨˊ)盡(ㄐㄧㄣˇ)的傷(ㄕㄤ)害。”不(ㄅㄨˋ)難看出,構建網(ㄨㄤˇ)絡空間(ㄐㄧㄢ)命運共(ㄍㄨㄥˋ)同體,"
        "已(ㄧˇ)經(ㄐㄧㄥ)成爲(ㄨㄟˋ)全(ㄑㄩㄢˊ)球互聯網(ㄨㄤˇ)共(ㄍㄨㄥˋ)同需(ㄒㄩ)要(ㄧㄠˋ)面對(ㄉㄨㄟˋ)的課題。"
        "爲(ㄨㄟˋ)此,國家網(ㄨㄤˇ)信辦主任(ㄖㄣˋ)魯煒在(ㄗㄞˋ)第七屆中(ㄓㄨㄥ)美(ㄇㄟˇ)互聯網(ㄨㄤˇ)論(ㄌㄨㄣˋ)壇上(ㄕㄤˋ)也曾表示,"
        "世界互聯網(ㄨㄤˇ)已(ㄧˇ)經(ㄐㄧㄥ)深度融(ㄖㄨㄥˊ)合,是你中(ㄓㄨㄥ)有我,我中(ㄓㄨㄥ)有你的命運共(ㄍㄨㄥˋ)同體,"
        "但由於我們(ㄇㄣ˙)融(ㄖㄨㄥˊ)合?ㄒㄧˋ)奶?ㄊㄞˋ)深,\n";
    lf_context *ctx = new_context(0, 0);
    lf_report rep;
    size_t out_len;
    char *out = run(ctx, text, strlen(text), &out_len, &rep);
    CHECK(strstr(out, "奶茞") == NULL);
    CHECK(strstr(out, "?ㄊㄞˋ)深") != NULL);
    CHECK(count_kind(&rep, "annotation-ambiguous") >= 1);
    lf_report_free(&rep);
    free(out);
    free_context(ctx);
}

/* A rival choice at a tail whose character the page annotates with that
 * reading outlives a long site: set 20 of test_annotations_generated, pair
 * 336, rebuilt 发(fa1)展?gou1)墓?gong4)献 as 发展的共献 with confidence 0.8
 * (the page annotates 共 gong4), as every hypothesis with 贡 was dropped 40
 * tokens on, at 实?dao3). The page is that pair's, cut to the sentences that
 * still made the wrong repair. */
static void test_rival_kept(void)
{
    static const char text[] =
        "反映了国(guo2)际(ji4)社会(hui4)的(de5)共(gong4)同(tong2)期待,为(wei4)推动全(quan2)球互联网(wang3)发(fa1)展治(zhi4)理贡(gong4)献了中国(guo2)力量,"
        "中国(guo2)既是全(quan2)球互联网(wang3)发(fa1)展?gou1)闹匾芤?yi4)者,也(ye3)始终是国(guo2)际(ji4)网(wang3)络(luo4)空间和平的(de5)建设(she4)者、"
        "发(fa1)展?gou1)墓?gong4)献者、秩序的(de5)维护者。已连续举(ju3)办(ban4)三年(nian2)的(de5)“携(xie2)手(shou3)构(gou4)建网(wang3)络(luo4)空间命(ming4)运(yun4)共(gong4)同(tong2)体”实?dao3)?an4)例发(fa1)布展示活(huo2)动逐渐成(cheng2)为(wei4)宣介阐释习近平主(zhu3)席关于(yu2)构(gou4)建网(wang3)络(luo4)空间命(ming4)运(yun4)共(gong4)同(tong2)体理念主(zhu3)张、"
        "促进网(wang3)络(luo4)空间国(guo2)际(ji4)交流合(he2)作的(de5)重要平台。这是中国(guo2)在(zai4)数(shu4)字(zi4)时代提(ti2)出的(de5)推动人类(lei4)共(gong4)同(tong2)发(fa1)展?gou1)男路(lu4)?fang1)案(an4)。"
        "发(fa1)起(qi3)了爱(AI)公(gong1)益(yi4)行动计划等(deng3)活(huo2)动,其中包(bao1)括8位(wei4)外国(guo2)领(ling3)导(dao3)人、"
        "近50位(wei4)外国(guo2)部长(zhang3)级官员。\n";
    lf_context *ctx = new_context(0, 0);
    lf_report rep;
    size_t out_len;
    char *out = run(ctx, text, strlen(text), &out_len, &rep);
    CHECK(strstr(out, "共献") == NULL);
    bool ranked = strstr(out, "发展的贡献") != NULL;
    for (size_t i = 0; i < rep.nchanges; i++)
        ranked = ranked || (strcmp(rep.changes[i].kind, "annotation-ambiguous") == 0 &&
                            strstr(rep.changes[i].note, "发展的贡献") != NULL);
    CHECK(ranked);
    lf_report_free(&rep);
    free(out);
    free_context(ctx);
}

int main(void)
{
    test_pinyin();
    test_reading_sources();
    test_seed_sites();
    test_seed_reproduced();
    test_seed_variants();
    test_options();
    test_clean_unchanged();
    test_annotated_page_keeps_text();
    test_unprepared();
    test_zhuyin_brackets();
    test_homophone_rival();
    test_zhuyin_letter_kept();
    test_chains_alike();
    test_latest_choice_kept();
    test_paragraph_end();
    test_stray_symbol();
    test_rival_kept();
    return check_done("test_annotations");
}
