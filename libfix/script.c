/* script.c — Simplified / Traditional / neither, from OpenCC's dictionaries. */
#include "script.h"
#include "plausibility.h"

#include <opencc/opencc.h>
#include <stdlib.h>
#include <string.h>
#include <unicode/uscript.h>

/* Code points past the last supplementary ideographic plane carry no Han. */
#define SCRIPT_LIMIT 0x40000u

enum {
    MARK_HAN = 1,
    MARK_SIMPLIFIED = 2,
    MARK_TRADITIONAL = 4,
    MARK_KANA = 8,
    MARK_WEAK = 16, /* the marker is also a character of the other script */
};

#define WEAK_WEIGHT 0.25

struct lf_script_table {
    unsigned char marks[SCRIPT_LIMIT];
};

/* Japanese writes kanji between kana; Chinese quotes a stray の at most. */
#define JAPANESE_KANA_SHARE 0.2

static lf_status mark_scripts(lf_script_table *t, size_t *nhan, lf_error *err)
{
    *nhan = 0;
    for (uint32_t cp = 0; cp < SCRIPT_LIMIT; cp++) {
        UErrorCode status = U_ZERO_ERROR;
        UScriptCode sc = uscript_getScript((UChar32)cp, &status);
        if (U_FAILURE(status))
            return lf_fail(err, LF_ERR_INTERNAL, "ICU uscript_getScript failed: %s", u_errorName(status));
        if (sc == USCRIPT_HAN) {
            t->marks[cp] = MARK_HAN;
            ++*nhan;
        } else if (sc == USCRIPT_HIRAGANA || sc == USCRIPT_KATAKANA) {
            t->marks[cp] = MARK_KANA;
        }
    }
    return LF_OK;
}

/* Converts "c\n" for every Han c through h and sets `mark` on the
 * characters whose line came back different. */
static lf_status probe(lf_script_table *t, const lf_buf *lines, opencc_t h, unsigned mark, lf_error *err)
{
    char *conv = opencc_convert_utf8(h, lines->data, lines->len);
    if (!conv)
        return lf_fail(err, LF_ERR_INTERNAL, "OpenCC failed to convert the Han character list");
    const char *p = lines->data, *q = conv;
    const char *pend = p + lines->len, *qend = q + strlen(conv);
    while (p < pend && q < qend) {
        const char *pn = memchr(p, '\n', (size_t)(pend - p));
        const char *qn = memchr(q, '\n', (size_t)(qend - q));
        if (!pn || !qn)
            break;
        uint32_t cp;
        lf_utf8_decode(p, (size_t)(pn - p), &cp);
        if (pn - p != qn - q || memcmp(p, q, (size_t)(pn - p)) != 0)
            t->marks[cp] |= mark;
        p = pn + 1;
        q = qn + 1;
    }
    bool aligned = (p == pend && q == qend);
    opencc_convert_utf8_free(conv);
    if (!aligned)
        return lf_fail(err, LF_ERR_INTERNAL, "OpenCC changed the line structure of the Han character list");
    return LF_OK;
}

lf_status lf_script_table_new(void *s2t, void *t2s, lf_script_table **out, lf_error *err)
{
    *out = NULL;
    lf_script_table *t = calloc(1, sizeof *t);
    if (!t)
        return lf_nomem(err);
    size_t nhan;
    lf_status st = mark_scripts(t, &nhan, err);
    lf_buf lines;
    lf_buf_init(&lines);
    if (st == LF_OK && !lf_buf_reserve(&lines, nhan * 5))
        st = lf_nomem(err);
    for (uint32_t cp = 0; st == LF_OK && cp < SCRIPT_LIMIT; cp++) {
        if (t->marks[cp] & MARK_HAN) {
            lf_buf_append_cp(&lines, cp); /* cannot fail: reserved above */
            lf_buf_append_char(&lines, '\n');
        }
    }
    /* A character only s2t changes is Simplified evidence, one only t2s
     * changes Traditional evidence; one both change is a variant either
     * side rewrites and says nothing. */
    if (st == LF_OK && (st = probe(t, &lines, s2t, MARK_SIMPLIFIED, err)) == LF_OK)
        st = probe(t, &lines, t2s, MARK_TRADITIONAL, err);
    lf_buf_free(&lines);
    if (st != LF_OK) {
        free(t);
        return st;
    }
    for (uint32_t cp = 0; cp < SCRIPT_LIMIT; cp++) {
        unsigned both = MARK_SIMPLIFIED | MARK_TRADITIONAL, m = t->marks[cp];
        if ((m & both) == both)
            m &= ~both;
        else if (((m & MARK_SIMPLIFIED) && (lf_cjk_class(cp) & (LF_CJK_TC1 | LF_CJK_TC2))) ||
                 ((m & MARK_TRADITIONAL) && (lf_cjk_class(cp) & (LF_CJK_SC1 | LF_CJK_SC2))))
            m |= MARK_WEAK;
        t->marks[cp] = (unsigned char)m;
    }
    *out = t;
    return LF_OK;
}

void lf_script_table_free(lf_script_table *t)
{
    free(t);
}

/* Decodes one code point of valid UTF-8 and advances *i. */
static uint32_t next_cp(const unsigned char *s, size_t *i)
{
    unsigned char c = s[*i];
    if (c < 0x80) {
        *i += 1;
        return c;
    }
    if (c < 0xE0) {
        uint32_t cp = ((uint32_t)(c & 0x1F) << 6) | (s[*i + 1] & 0x3F);
        *i += 2;
        return cp;
    }
    if (c < 0xF0) {
        uint32_t cp = ((uint32_t)(c & 0x0F) << 12) | ((uint32_t)(s[*i + 1] & 0x3F) << 6) | (s[*i + 2] & 0x3F);
        *i += 3;
        return cp;
    }
    uint32_t cp = ((uint32_t)(c & 0x07) << 18) | ((uint32_t)(s[*i + 1] & 0x3F) << 12) |
                  ((uint32_t)(s[*i + 2] & 0x3F) << 6) | (s[*i + 3] & 0x3F);
    *i += 4;
    return cp;
}

static void decide(lf_zh_verdict *v)
{
    if (v->han == 0) {
        v->script = LF_ZH_NONE;
        v->confidence = 1.0;
        return;
    }
    if (v->kana >= 2 && (double)v->kana >= JAPANESE_KANA_SHARE * (double)(v->kana + v->han)) {
        v->script = LF_ZH_JAPANESE;
        v->confidence = (double)v->kana / (double)(v->kana + v->han) + 0.5;
        if (v->confidence > 1.0)
            v->confidence = 1.0;
        return;
    }
    double s = v->simplified, t = v->traditional;
    if (s == t) {
        v->script = LF_ZH_UNKNOWN;
        v->confidence = 0.5;
        return;
    }
    double win = s > t ? s : t, lose = s > t ? t : s;
    v->script = s > t ? LF_ZH_SIMPLIFIED : LF_ZH_TRADITIONAL;
    /* One marker alone gives 0.75; a stray marker of the other script in a
     * long paragraph costs little. */
    v->confidence = 1.0 - (lose + 0.5) / (win + lose + 1.0);
}

void lf_script_detect(const lf_script_table *t, const char *str, size_t len, lf_zh_verdict *v)
{
    const unsigned char *s = (const unsigned char *)str;
    memset(v, 0, sizeof *v);
    size_t i = 0;
    while (i < len) {
        if (s[i] < 0x80) {
            i++;
            continue;
        }
        uint32_t cp = next_cp(s, &i);
        unsigned m = cp < SCRIPT_LIMIT ? t->marks[cp] : 0;
        if (!m)
            continue;
        double weight = (m & MARK_WEAK) ? WEAK_WEIGHT : 1.0;
        v->han += (m & MARK_HAN) != 0;
        v->simplified += (m & MARK_SIMPLIFIED) ? weight : 0.0;
        v->traditional += (m & MARK_TRADITIONAL) ? weight : 0.0;
        v->kana += (m & MARK_KANA) != 0;
    }
    decide(v);
}

const char *lf_zh_script_name(lf_zh_script s)
{
    static const char *const names[] = {"none", "unknown", "simplified", "traditional", "japanese"};
    return (unsigned)s < sizeof names / sizeof names[0] ? names[s] : "unknown";
}
