/*
 * splice_decide.c — ranking a site's reconstructions by words and deciding
 * (see splice.h), and lf_splice_solve, which runs the search under each
 * encoding in turn.
 */
#include "splice.h"

#include "pinyin.h"
#include "plausibility.h"

#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <unicode/ustring.h>

/* The complete results are ranked by how many of their characters ICU's
 * Chinese word dictionary puts inside words (信息 is a word, 信溪 is not),
 * WORD each. The winner must lead by CLEAR_MARGIN. */
enum {
    WORD = 5,
    CLEAR_MARGIN = 9,
};

/* How many Han characters of text ICU's dictionary-based word breaking puts
 * inside words of two or more characters, or -1 when out of memory. bi is
 * reused across calls. A text is some twenty characters: its UTF-16 form,
 * at most as many units as it has bytes, is on the stack unless it is long. */
enum { SHORT_TEXT = 256 };

static int word_chars(UBreakIterator *bi, const lf_buf *text)
{
    UChar small[SHORT_TEXT];
    UChar *buf = text->len < SHORT_TEXT ? small : malloc((text->len + 1) * sizeof *buf);
    if (!buf)
        return -1;
    UErrorCode status = U_ZERO_ERROR;
    int32_t n = 0;
    u_strFromUTF8(buf, (int32_t)text->len + 1, &n, text->data ? text->data : "", (int32_t)text->len, &status);
    ubrk_setText(bi, buf, n, &status);
    int count = 0;
    for (int32_t a = 0, b = U_SUCCESS(status) ? ubrk_first(bi) : UBRK_DONE;
         U_SUCCESS(status) && (b = ubrk_next(bi)) != UBRK_DONE; a = b) {
        bool han = b - a >= 2;
        for (int32_t i = a; i < b && han; i++)
            han = buf[i] >= 0x3400 && buf[i] < 0xA000;
        count += han ? b - a : 0;
    }
    ubrk_setText(bi, NULL, 0, &status);
    if (buf != small)
        free(buf);
    return status == U_MEMORY_ALLOCATION_ERROR ? -1 : count;
}

static int by_candidate_score(const void *a, const void *b)
{
    const candidate *x = a, *y = b;
    return (y->score > x->score) - (y->score < x->score);
}

/* Up to WORD_CONTEXT Han characters that touch the site on each side: words
 * run across the site's edges (数字化 of 数字?zhǐ)?huà)平). Annotations
 * between them are passed over, as the rebuilt text drops them (数(shù)
 * before 字?zhǐ)?huà)平). */
enum { WORD_CONTEXT = 3, MAX_ANNOTATION = 24 };

/* The start of the annotation that ends at s[end], or end when none does. */
static size_t annotation_ending(const char *s, size_t end)
{
    if (end == 0 || (s[end - 1] != ')' && s[end - 1] != ']'))
        return end;
    for (size_t i = end - 1; i-- > 0 && end - i <= MAX_ANNOTATION;) {
        int syl;
        if ((s[i] == '(' || s[i] == '[') && lf_annot_parse(s, end, i, &syl) == end)
            return i;
    }
    return end;
}

/* Appends the context before s[start], Han characters only. */
static bool context_before(lf_buf *b, const char *s, size_t start)
{
    size_t at[WORD_CONTEXT], len[WORD_CONTEXT], n = 0;
    for (size_t i = start; i > 0 && n < WORD_CONTEXT;) {
        i = annotation_ending(s, i);
        size_t p = lf_annot_char_before(s, i);
        uint32_t cp;
        if (!lf_utf8_decode(s + p, i - p, &cp) || !lf_splice_is_han(cp))
            break;
        at[n] = p;
        len[n++] = i - p;
        i = p;
    }
    for (size_t k = n; k-- > 0;)
        if (!lf_buf_append(b, s + at[k], len[k]))
            return false;
    return true;
}

/* Appends the context after s[end], Han characters only. */
static bool context_after(lf_buf *b, const char *s, size_t len, size_t end)
{
    for (size_t i = end, n = 0; i < len && n < WORD_CONTEXT; n++) {
        int syl;
        size_t a = lf_annot_parse(s, len, i, &syl);
        i = a ? a : i;
        uint32_t cp;
        size_t k = i < len ? lf_utf8_decode(s + i, len - i, &cp) : 0;
        if (!k || !lf_splice_is_han(cp))
            break;
        if (!lf_buf_append(b, s + i, k))
            return false;
        i += k;
    }
    return true;
}

/* How many bytes all n candidates share at their start and at their end,
 * cut back to character boundaries: only what lies between, with some
 * context, is segmented into words. */
static void shared_ends(const search *S, size_t n, size_t *prefix, size_t *suffix)
{
    const lf_buf *a = &S->cands[0].text;
    size_t p = a->len, q = a->len, shortest = a->len;
    for (size_t i = 1; i < n; i++) {
        const lf_buf *b = &S->cands[i].text;
        size_t k = 0;
        while (k < p && k < b->len && a->data[k] == b->data[k])
            k++;
        p = k;
        for (k = 0; k < q && k < b->len && a->data[a->len - 1 - k] == b->data[b->len - 1 - k];)
            k++;
        q = k;
        shortest = b->len < shortest ? b->len : shortest;
    }
    q = q + p > shortest ? shortest - p : q;
    while (p > 0 && p < a->len && ((unsigned char)a->data[p] & 0xC0) == 0x80)
        p--;
    while (q > 0 && ((unsigned char)a->data[a->len - q] & 0xC0) == 0x80)
        q--;
    *prefix = p;
    *suffix = q;
}

/* The offset n characters before s[at], or 0. */
static size_t chars_back(const char *s, size_t at, int n)
{
    while (at > 0 && n-- > 0)
        at = lf_annot_char_before(s, at);
    return at;
}

/* The offset n characters after s[at], or len. */
static size_t chars_on(const char *s, size_t len, size_t at, int n)
{
    while (at < len && n-- > 0) {
        uint32_t cp;
        size_t k = lf_utf8_decode(s + at, len - at, &cp);
        at += k ? k : 1;
    }
    return at;
}

/* Adds the word score to the ranked results and sorts them again. Returns
 * false when out of memory. Without ICU's word data there is no word score.
 * The break iterator is cloned once per call of the pass, at its first use. */
static bool rank_by_words(search *S)
{
    size_t n = S->nlisted;
    if (n < 2)
        return true;
    if (!*S->words) {
        if (!S->word_model)
            return true;
        UErrorCode status = U_ZERO_ERROR;
        *S->words = ubrk_clone(S->word_model, &status);
        if (U_FAILURE(status)) {
            *S->words = NULL;
            return status != U_MEMORY_ALLOCATION_ERROR;
        }
    }
    size_t start = S->toks[0].start, end = S->toks[S->ntoks - 1].end;
    size_t prefix, suffix;
    shared_ends(S, n, &prefix, &suffix);
    lf_buf text;
    lf_buf_init(&text);
    bool ok = true;
    for (size_t i = 0; ok && i < n; i++) {
        const lf_buf *c = &S->cands[i].text;
        const char *d = c->data ? c->data : "";
        size_t from = chars_back(d, prefix, WORD_CONTEXT);
        size_t to = chars_on(d, c->len, c->len - suffix, WORD_CONTEXT);
        lf_buf_clear(&text);
        ok = (from > 0 || context_before(&text, S->s, start)) && lf_buf_append(&text, d + from, to - from) &&
             (to < c->len || context_after(&text, S->s, S->page->len, end));
        int words = ok ? word_chars(*S->words, &text) : -1;
        ok = words >= 0;
        S->cands[i].words = words;
        S->cands[i].score += WORD * words;
    }
    lf_buf_free(&text);
    qsort(S->cands, n, sizeof *S->cands, by_candidate_score);
    return ok;
}

/* The site read as undamaged: annotations stripped (unless kept), every
 * '?' a question mark. */
static bool as_is(const search *S, lf_buf *b)
{
    for (size_t i = 0; i < S->ntoks; i++) {
        const tok *t = &S->toks[i];
        if (t->kind == TK_ANN && !S->keep)
            continue;
        if (!lf_buf_append(b, S->s + t->start, t->end - t->start))
            return false;
    }
    return true;
}

static bool list_candidates(const search *S, lf_buf *note)
{
    if (!lf_buf_printf(note, "%s: %zu%s candidate%s", S->codec->name, S->ncands,
                       S->ncands > MAX_LISTED ? "+" : "", S->ncands == 1 ? "" : "s"))
        return false;
    for (size_t i = 0; i < S->ncands && i < MAX_LISTED; i++)
        if (!lf_buf_printf(note, "%s%.*s (%d)", i ? ", " : ": ", (int)S->cands[i].text.len,
                           S->cands[i].text.data, S->cands[i].score))
            return false;
    return true;
}

/* Whether cp can stand in a rebuilt text: punctuation, Latin letters, a Han
 * character of the page's script, or any character the page uses elsewhere
 * too (but never a zhuyin letter: outside an annotation it is a piece of one). A rebuilt
 * text with anything else (kana, box drawing, a rare character) is still
 * misaligned somewhere. */
static bool plausible_char(const search *S, uint32_t cp)
{
    if (cp >= 0x3105 && cp <= 0x312F) /* zhuyin outside an annotation */
        return false;
    if (cp < 0x80 || (cp >= 0x3000 && cp <= 0x303F) || (cp >= 0xFF00 && cp <= 0xFFEF) ||
        (cp >= 0x2010 && cp <= 0x2027) || (cp >= 0xB7 && cp <= 0x24F))
        return true;
    unsigned own = S->page->traditional ? LF_CJK_TC1 | LF_CJK_TC2 : LF_CJK_SC1 | LF_CJK_SC2;
    return (lf_cjk_class(cp) & own) || lf_annot_page_bigram(S->page, 0, cp) >= 2;
}

/* A symbol of the trail bytes' ASCII range (0x40-0x7E) right after a Han
 * character where the page never writes it: what is left of a character
 * whose first byte a misaligned pair took (奶?ㄊㄞˋ)深 rebuilt as 奶茞`,
 * the lead byte of 深 read as the trail of 茞: set 13 of
 * test_annotations_generated, pair 144). */
static bool stray_symbol(const search *S, uint32_t prev, uint32_t cp)
{
    return cp < 0x80 && cp && strchr("@\\^_`{|}~", (int)cp) && lf_splice_is_han(prev) &&
           lf_annot_page_bigram(S->page, prev, cp) == 0;
}

/* Also implausible: a lone ASCII letter or question mark between two Han
 * characters, which is what a misaligned pair or a lost byte leaves, and an
 * annotation that does not read the character before it (one rebuilt
 * wrongly: 中(ㄓㄨˋ)). Kept annotations are skipped. */
static bool plausible_text(const search *S, const lf_buf *text)
{
    uint32_t prev2 = 0, prev = 0;
    for (size_t i = 0; i < text->len;) {
        int syl;
        size_t end = lf_annot_parse(text->data, text->len, i, &syl);
        if (end) {
            if (!lf_pinyin_reads(prev, syl))
                return false;
            i = end;
            continue;
        }
        uint32_t cp;
        size_t k = lf_utf8_decode(text->data + i, text->len - i, &cp);
        if (!k || !plausible_char(S, cp))
            return false;
        bool lone = prev == '?' || (prev < 0x80 && ((prev | 0x20) >= 'a' && (prev | 0x20) <= 'z'));
        if (lone && lf_splice_is_han(prev2) && lf_splice_is_han(cp))
            return false;
        if (stray_symbol(S, prev, cp))
            return false;
        prev2 = prev;
        prev = cp;
        i += k;
    }
    return true;
}

/* A rebuilt text that still shows damage repaired only part of its site. */
static bool residual_damage(const lf_buf *text)
{
    size_t a, b;
    return text->len && lf_splice_next(text->data, text->len, 0, &a, &b);
}

/* A guess is weighed against the rest of its site: a site with more than
 * MAX_GUESSED_TAILS annotations whose '(' a lead byte swallowed holds
 * other choices that only the page's readings decide, and those can be
 * wrong (技?jì)?shù) rebuilt as 技数: the page annotates 数 shù, the
 * tool's 术 never stands aligned), which a backed guess does not make
 * right. */
enum { MAX_GUESSED_TAILS = 3 };

static bool few_tails(const search *S)
{
    size_t tails = 0;
    for (size_t k = 0; k < S->ntoks; k++)
        tails += S->toks[k].kind == TK_QTAIL;
    return tails <= MAX_GUESSED_TAILS;
}

/* Whether a and b differ in exactly one character, at the same place: its
 * offset goes to *at, its two versions to *ca and *cb. */
static bool one_char_apart(const lf_buf *a, const lf_buf *b, size_t *at, uint32_t *ca, uint32_t *cb)
{
    size_t p = 0, q = 0;
    while (p < a->len && p < b->len && a->data[p] == b->data[p])
        p++;
    while (p > 0 && ((unsigned char)a->data[p] & 0xC0) == 0x80)
        p--;
    while (q < a->len - p && q < b->len - p && a->data[a->len - 1 - q] == b->data[b->len - 1 - q])
        q++;
    while (q > 0 && ((unsigned char)a->data[a->len - q] & 0xC0) == 0x80)
        q--;
    size_t ka = p < a->len ? lf_utf8_decode(a->data + p, a->len - p, ca) : 0;
    size_t kb = p < b->len ? lf_utf8_decode(b->data + p, b->len - p, cb) : 0;
    *at = p;
    return ka && kb && p + ka + q == a->len && p + kb + q == b->len;
}

/* How often the page pairs cp, standing at text[at], with the characters
 * around it in text; the ends of the text pair with nothing. */
static uint32_t page_pairs(const search *S, const lf_buf *text, size_t at, uint32_t cp)
{
    uint32_t n = 0, before, after;
    size_t p = at > 0 ? lf_annot_char_before(text->data, at) : at;
    if (p < at && lf_utf8_decode(text->data + p, at - p, &before))
        n += lf_annot_page_bigram(S->page, before, cp);
    size_t k = lf_utf8_decode(text->data + at, text->len - at, &after);
    if (k && at + k < text->len && lf_utf8_decode(text->data + at + k, text->len - at - k, &after))
        n += lf_annot_page_bigram(S->page, cp, after);
    return n;
}

/* Whether a ranked rival that reads as clean stands one character apart
 * from the winner, within HOMOPHONE_LEAD of it, the two characters read
 * alike by the page's own annotations, the rival putting as many
 * characters inside words and neither character paired with a neighbour
 * PAGE_PAIR times on the page. Then only the page-annotation weight (a
 * same-sound character the page happens to annotate: 心 xīn beside 新)
 * separates them, and the site is ambiguous. HOMOPHONE_LEAD is one
 * annotation weight (36) and one bigram step (4). Measured on
 * test_annotations_generated sets 0 to 8: 5 of the 7 wrong confident
 * repairs have such a rival (分歧争意 for 争议, 展的心方 for 新方,
 * 发展心机 for 新机), and 3 and 5 right ones on sets 0 and 1 (中心 over
 * 中新, 融合 over 融和, 会 over 惠); counting pairs seen twice or more as
 * well would add 8 right ones there (的 over 地, 社 over 设) and no wrong
 * one. */
enum { HOMOPHONE_LEAD = 40, PAGE_PAIR = 2 };

static bool homophone_rival(const search *S, const candidate *win, size_t ranked)
{
    for (size_t i = 0; i < ranked; i++) {
        const candidate *c = &S->cands[i];
        size_t at;
        uint32_t a, b;
        if (c == win || c->words < win->words || win->score - c->score > HOMOPHONE_LEAD ||
            !one_char_apart(&win->text, &c->text, &at, &a, &b))
            continue;
        int reading = lf_annot_page_reading(S->page, a);
        if (reading < 0 || reading != lf_annot_page_reading(S->page, b) || c->reread ||
            !plausible_text(S, &c->text) || residual_damage(&c->text))
            continue;
        if (page_pairs(S, &win->text, at, a) < PAGE_PAIR && page_pairs(S, &c->text, at, b) < PAGE_PAIR)
            return true;
    }
    return false;
}

/* Whether the winner is taken. A clear lead of a winner whose guess (if
 * any) is backed; where more than one byte was guessed (lost bytes of
 * zhuyin annotations that then read their characters) only in a site with
 * few tails. A winner that leads by less is still taken when it
 * guessed a byte the page backs (guess_supported) and the runner-up's
 * guess has no such backing, in a site with few tails: the page separates
 * them where the score barely does (confidence 0.7, the runner-up named
 * in the note). Measured on the sites
 * test_annotations_generated left ambiguous (sets 0 to 5, each 500 pairs):
 * no wrong choice added; leads of 3 to 8 with nothing guessed, right on
 * sets 0 and 1, were wrong 5 times on sets 2 and 3, and stay ambiguous.
 * A winner that rebuilt two straddled tails unlike (straddled_unlike) is
 * never taken. */
static bool taken(const search *S, const candidate *win, const candidate *second, int margin)
{
    if (win->unsupported || win->unlike || margin <= 0)
        return false;
    if (margin >= CLEAR_MARGIN)
        return win->guesses <= 1 || few_tails(S);
    return win->guesses > 0 && (!second || second->unsupported) && few_tails(S);
}

static lf_status decide(search *S, lf_splice_result *res, lf_error *err)
{
    res->codec = S->codec->name;
    if (S->ncands == 0) {
        res->verdict = LF_SPLICE_AMBIGUOUS;
        res->confidence = 0;
        return lf_buf_printf(&res->note, "no reconstruction fits GBK or Big5") ? LF_OK : lf_nomem(err);
    }
    const candidate *best = &S->cands[0];
    int margin = S->ncands > 1 ? best->score - S->cands[1].score : 4 * CLEAR_MARGIN;
    lf_buf plain;
    lf_buf_init(&plain);
    if (!as_is(S, &plain)) {
        lf_buf_free(&plain);
        return lf_nomem(err);
    }
    bool unchanged = plain.len == best->text.len && memcmp(plain.data, best->text.data, plain.len) == 0;
    lf_buf_free(&plain);
    bool ok = true;
    if (margin >= CLEAR_MARGIN && unchanged) {
        res->verdict = LF_SPLICE_NONE;
        return LF_OK;
    }
    /* Only texts that read as clean compete: one with an annotation that
     * does not read its character, a stray letter or leftover damage is no
     * reconstruction at all, however it scored. */
    size_t ranked = S->nlisted;
    const candidate *win = NULL, *second = NULL;
    margin = 4 * CLEAR_MARGIN;
    for (size_t i = 0; i < ranked; i++) {
        const candidate *c = &S->cands[i];
        if (c->reread || !plausible_text(S, &c->text) || residual_damage(&c->text))
            continue;
        if (win) {
            second = c;
            margin = win->score - c->score;
            break;
        }
        win = c;
        if (S->ncands > ranked)
            margin = 0; /* unranked ones may read as clean too */
    }
    if (win && taken(S, win, second, margin) && !homophone_rival(S, win, ranked)) {
        res->verdict = LF_SPLICE_REPAIRED;
        res->confidence = margin < CLEAR_MARGIN ? 0.7 : S->ncands == 1 ? 0.95 : margin >= 2 * CLEAR_MARGIN ? 0.9 : 0.8;
        ok = lf_buf_append(&res->text, win->text.data, win->text.len);
        if (ok && S->ncands > 1)
            ok = list_candidates(S, &res->note);
    } else {
        res->verdict = LF_SPLICE_AMBIGUOUS;
        res->confidence = 0.5;
        ok = list_candidates(S, &res->note);
    }
    return ok ? LF_OK : lf_nomem(err);
}

/* Per-call scratch space: one search and its beams, reused for every site of
 * a call so that a page with many sites allocates once. */
struct lf_splice_work {
    search S;
    UBreakIterator *words;
    hyp *beam[BEAM_KEPT];
    /* Room for 130 continuations of each hypothesis (an unknown byte has at
     * most 126); further ones are dropped (see offer). */
    hyp next[BEAM_KEPT * (0xFE - 0x81 + 3)];
    hyp spare[BEAM_KEPT * (0xFE - 0x81 + 3)];
    beam_rank order[BEAM_KEPT * (0xFE - 0x81 + 3)];
    beam_rank order_tmp[BEAM_KEPT * (0xFE - 0x81 + 3)];
};

lf_splice_work *lf_splice_work_new(void)
{
    lf_splice_work *w = malloc(sizeof *w);
    if (w)
        w->words = NULL;
    return w;
}

void lf_splice_work_free(lf_splice_work *w)
{
    if (w && w->words)
        ubrk_close(w->words);
    free(w);
}

lf_status lf_splice_solve(const struct lf_annotations_data *data, const lf_annot_page *page, lf_splice_work *w,
                          const char *s, size_t start, size_t end, bool keep_annotations, lf_splice_result *res,
                          lf_error *err)
{
    search *S = &w->S;
    memset(S, 0, offsetof(search, toks));
    S->page = page;
    S->s = s;
    S->keep = keep_annotations;
    S->beam = w->beam;
    S->next = w->next;
    S->spare = w->spare;
    S->order = w->order;
    S->order_tmp = w->order_tmp;
    S->words = &w->words;
    S->word_model = data->words;
    S->next_cap = sizeof w->next / sizeof w->next[0];
    res->verdict = LF_SPLICE_AMBIGUOUS;
    res->codec = "";
    res->end = end;
    lf_splice_tokenize(S, start, end);
    /* The first encoding under which the site has a reconstruction explains it. */
    bool ok = true;
    size_t ntoks = S->ntoks;
    for (size_t c = 0; ok && c < LF_ANNOT_CODECS; c++)
        if (!(ok = lf_splice_search(S, &data->codecs[c], ntoks)) || S->ncands > 0)
            break;
    ok = ok && rank_by_words(S);
    res->end = S->ntoks ? S->toks[S->ntoks - 1].end : end;
    lf_status st = ok ? decide(S, res, err) : lf_nomem(err);
    lf_splice_free_candidates(S);
    return st;
}
