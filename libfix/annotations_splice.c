/*
 * annotations_splice.c — rebuilding the characters a byte-level annotation
 * tool broke.
 *
 * The damage (seed 003): the tool inserted "(pinyin)" into GBK bytes after
 * every two-byte match of a dictionary character, also matches straddling
 * two characters (日報 = C8 D5|88 F3 holds D5 88 = 請), and the bytes were
 * later cut in chunks before byte matches of ；？！ and decoded chunk by
 * chunk. A lead byte followed by '(' became a '?' that swallowed the '(',
 * a lead byte left alone at a chunk's end became '?', undefined codes became
 * private-use characters, and a displaced trail byte paired with the next
 * lead byte until an ASCII byte realigned the stream.
 *
 * Everything but the swallowed lead bytes survives, so a site is solved by
 * re-encoding it, treating each swallowed byte as unknown, removing the
 * inserted annotations and searching the unknown bytes for which the rebuilt
 * bytes decode to valid characters, each removed annotation follows a pair
 * that reads it, and no pair of a character annotated elsewhere on the page
 * goes unannotated. Survivors are ranked by plausibility and page evidence;
 * only a clear winner is applied.
 */
#include "annotations.h"

#include "pinyin.h"
#include "plausibility.h"

#include <stdlib.h>
#include <string.h>

enum {
    MAX_TOKENS = 96,
    MAX_BYTES = 2 * MAX_TOKENS,
    MAX_CANDIDATES = 512,
    MAX_EVALUATIONS = 100000,
    MAX_LISTED = 5,
};

/* Score units: one occurrence of a character pair elsewhere on the page is
 * worth more than the gap between a common and a rare character, and the
 * winner must lead by more than that gap. */
enum { EVIDENCE = 4, EVIDENCE_CAP = 3, RARE = 2, OTHER_SCRIPT = 4, NOT_HAN = 6, CLEAR_MARGIN = 5 };

typedef enum tok_kind {
    TK_CHAR,  /* a character, re-encoded as it is */
    TK_ANN,   /* "(pinyin)": inserted by the tool, removed */
    TK_QTAIL, /* "?pinyin)": an unknown lead byte that swallowed the '(' */
    TK_Q,     /* '?': a real question mark or a lead byte left at a chunk's end */
} tok_kind;

typedef struct tok {
    tok_kind kind;
    size_t start, end; /* in the text */
    uint32_t cp;       /* TK_CHAR */
    int syllable;      /* TK_ANN, TK_QTAIL */
} tok;

typedef struct insertion {
    size_t pos; /* in the rebuilt bytes: the annotation followed bytes[pos-2..pos) */
    int syllable;
    size_t tok;
} insertion;

typedef struct candidate {
    int score;
    lf_buf text;
} candidate;

typedef struct search {
    const lf_annot_codec *codec;
    const lf_annot_page *page;
    const char *s;
    bool keep;
    tok toks[MAX_TOKENS];
    size_t ntoks;
    uint8_t bytes[MAX_BYTES];
    size_t nbytes;
    insertion ins[MAX_TOKENS];
    size_t nins;
    candidate *cands;
    size_t ncands;
    size_t evaluations;
    bool overflow, nomem;
} search;

static bool is_delim(uint32_t c)
{
    return c == ';' || c == '?' || c == '!';
}

/* Characters a clean GBK or Big5 page can contain: not private use. */
static bool clean_char(uint32_t cp)
{
    return cp != 0 && !(cp >= 0xE000 && cp <= 0xF8FF) && cp != 0xFFFD;
}

static size_t char_before(const char *s, size_t i)
{
    size_t k = i;
    while (k > 0 && i - k < 4) {
        k--;
        if (((unsigned char)s[k] & 0xC0) != 0x80)
            break;
    }
    return k;
}

/* ------------------------------------------------------------ finding sites */

static bool is_anomaly(const char *s, size_t len, size_t i)
{
    int syl;
    if (s[i] == '?')
        return lf_annot_parse_tail(s, len, i + 1, &syl) || (i + 1 < len && is_delim((unsigned char)s[i + 1]));
    uint32_t cp;
    if (lf_utf8_decode(s + i, len - i, &cp) == 0)
        return false;
    return (cp >= 0xE000 && cp <= 0xF8FF) || cp == 0x20AC;
}

/* The site starts at the character before the anomaly, or before that
 * character's annotation: its bytes take part in the pairs. */
static size_t site_start(const char *s, size_t from, size_t a)
{
    if (a <= from)
        return from;
    size_t p = char_before(s, a);
    if (s[p] == ')' || s[p] == ']') {
        for (size_t o = p; o > from && a - o <= 20; o--) {
            int syl;
            if ((s[o - 1] == '(' || s[o - 1] == '[') && lf_annot_parse(s, a, o - 1, &syl) == a) {
                p = o - 1 > from ? char_before(s, o - 1) : from;
                break;
            }
        }
    }
    return p < from ? from : p;
}

/* The site ends after the first ASCII byte that is not part of an
 * annotation (the decoding is aligned after it), and after any annotation
 * that follows that byte. */
static size_t site_end(const char *s, size_t len, size_t a)
{
    size_t j = a, k;
    int syl;
    while (j < len && s[j] != '\n') {
        if (s[j] == '?') {
            if ((k = lf_annot_parse_tail(s, len, j + 1, &syl))) {
                j = k;
                continue;
            }
            if (j + 1 < len && is_delim((unsigned char)s[j + 1])) {
                j += 2;
                continue;
            }
        }
        if ((k = lf_annot_parse(s, len, j, &syl))) {
            j = k;
            continue;
        }
        if ((unsigned char)s[j] < 0x80) {
            j++;
            while ((k = lf_annot_parse(s, len, j, &syl)))
                j = k;
            return j;
        }
        uint32_t cp;
        size_t n = lf_utf8_decode(s + j, len - j, &cp);
        j += n ? n : 1;
    }
    return j;
}

bool lf_splice_next(const char *s, size_t len, size_t from, size_t *start, size_t *end)
{
    for (size_t i = from; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c != '?' && c != 0xEE && c != 0xEF && c != 0xE2)
            continue;
        if (!is_anomaly(s, len, i))
            continue;
        *start = site_start(s, from, i);
        *end = site_end(s, len, i);
        return true;
    }
    return false;
}

/* ------------------------------------------------------------ the search */

static bool tokenize(search *S, size_t start, size_t end)
{
    const char *s = S->s;
    S->ntoks = 0;
    for (size_t i = start; i < end;) {
        if (S->ntoks == MAX_TOKENS)
            return false;
        tok *t = &S->toks[S->ntoks++];
        size_t k;
        t->start = i;
        if (s[i] == '?' && (k = lf_annot_parse_tail(s, end, i + 1, &t->syllable))) {
            t->kind = TK_QTAIL;
        } else if (s[i] == '?') {
            t->kind = TK_Q;
            k = i + 1;
        } else if ((k = lf_annot_parse(s, end, i, &t->syllable))) {
            t->kind = TK_ANN;
        } else {
            t->kind = TK_CHAR;
            size_t n = lf_utf8_decode(s + i, end - i, &t->cp);
            k = i + (n ? n : 1);
        }
        t->end = i = k;
    }
    return true;
}

static uint32_t pair_at(const search *S, size_t i)
{
    return lf_annot_pair(S->codec, S->bytes[i], S->bytes[i + 1]);
}

static bool inserted_at(const search *S, size_t pos, int syllable)
{
    for (size_t i = 0; i < S->nins; i++)
        if (S->ins[i].pos == pos && (syllable < 0 || S->ins[i].syllable == syllable))
            return true;
    return false;
}

static int char_score(const search *S, uint32_t cp)
{
    if (cp < 0x80 || (cp >= 0x3000 && cp <= 0x303F) || (cp >= 0xFF00 && cp <= 0xFFEF) ||
        (cp >= 0x2010 && cp <= 0x2027))
        return 0;
    unsigned cls = lf_cjk_class(cp);
    unsigned common = S->page->traditional ? LF_CJK_TC1 : LF_CJK_SC1;
    unsigned rare = S->page->traditional ? LF_CJK_TC2 : LF_CJK_SC2;
    if (cls & common)
        return 0;
    if (cls & rare)
        return -RARE;
    if (cls & (LF_CJK_TC1 | LF_CJK_TC2 | LF_CJK_SC1 | LF_CJK_SC2))
        return -OTHER_SCRIPT;
    return -NOT_HAN;
}

static void add_candidate(search *S, int score, const lf_buf *text)
{
    for (size_t i = 0; i < S->ncands; i++) {
        candidate *c = &S->cands[i];
        if (c->text.len == text->len && memcmp(c->text.data, text->data, text->len) == 0) {
            if (score > c->score)
                c->score = score;
            return;
        }
    }
    if (S->ncands == MAX_CANDIDATES) {
        S->overflow = true;
        return;
    }
    candidate *c = &S->cands[S->ncands];
    lf_buf_init(&c->text);
    if (!lf_buf_append(&c->text, text->data ? text->data : "", text->len)) {
        S->nomem = true;
        return;
    }
    c->score = score;
    S->ncands++;
}

/* Appends the annotation of token t as it would have been written. */
static bool append_annotation(lf_buf *b, const search *S, const tok *t)
{
    const char *s = S->s;
    if (t->kind == TK_QTAIL) /* the open bracket was swallowed */
        return lf_buf_append_char(b, s[t->end - 1] == ']' ? '[' : '(') &&
               lf_buf_append(b, s + t->start + 1, t->end - t->start - 1);
    return lf_buf_append(b, s + t->start, t->end - t->start);
}

/* Judges one complete assignment of the unknown bytes. */
static void evaluate(search *S)
{
    if (++S->evaluations > MAX_EVALUATIONS) {
        S->overflow = true;
        return;
    }
    for (size_t i = 0; i < S->nins; i++) {
        size_t p = S->ins[i].pos;
        if (p < 2 || !lf_pinyin_reads(lf_annot_pair(S->codec, S->bytes[p - 2], S->bytes[p - 1]), S->ins[i].syllable))
            return;
    }
    for (size_t i = 0; i + 1 < S->nbytes; i++) {
        int d = lf_annot_page_reading(S->page, pair_at(S, i));
        if (d >= 0 && !inserted_at(S, i + 2, d) && !inserted_at(S, i + 1, -1))
            return;
    }
    lf_buf text;
    lf_buf_init(&text);
    int score = 0;
    uint32_t prev = 0;
    for (size_t i = 0; i < S->nbytes;) {
        uint32_t cp = S->bytes[i];
        if (cp >= 0x81) {
            cp = i + 1 < S->nbytes ? pair_at(S, i) : 0;
            if (!clean_char(cp))
                goto done;
            i += 2;
        } else {
            cp = cp == 0x80 ? 0x20AC : cp; /* Windows-936 and -950 show byte 0x80 as € */
            i++;
        }
        score += char_score(S, cp);
        if (prev >= 0x3400 && cp >= 0x3400) {
            uint32_t n = lf_annot_page_bigram(S->page, prev, cp);
            score += EVIDENCE * (int)(n < EVIDENCE_CAP ? n : EVIDENCE_CAP);
        }
        prev = cp;
        /* The page was folded to half-width after the damage. */
        if (!lf_buf_append_cp(&text, cp >= 0xFF01 && cp <= 0xFF5E ? cp - 0xFEE0 : cp))
            goto nomem;
        for (size_t k = 0; S->keep && k < S->nins; k++)
            if (S->ins[k].pos == i && cp >= 0x3400 && lf_pinyin_reads(cp, S->ins[k].syllable) &&
                !append_annotation(&text, S, &S->toks[S->ins[k].tok]))
                goto nomem;
    }
    add_candidate(S, score, &text);
    goto done;
nomem:
    S->nomem = true;
done:
    lf_buf_free(&text);
}

static void push_insertion(search *S, size_t k)
{
    S->ins[S->nins++] = (insertion){S->nbytes, S->toks[k].syllable, k};
}

static void dfs(search *S, size_t k, bool after_lone_lead);

/* A '?' that was a lead byte left at a chunk's end: the chunk was cut just
 * before a byte match of ；？！, whose first byte was this lead's trail. */
static void try_lone_lead(search *S, size_t k)
{
    if (k + 1 >= S->ntoks)
        return;
    const tok *next = &S->toks[k + 1];
    uint32_t d = next->kind == TK_Q ? '?' : next->kind == TK_CHAR ? next->cp : 0;
    uint16_t code = is_delim(d) ? S->codec->encode[d + 0xFEE0] : 0;
    if (!code)
        return;
    for (unsigned lead = 0x81; lead <= 0xFE; lead++) {
        if (!clean_char(lf_annot_pair(S->codec, lead, code >> 8)))
            continue;
        S->bytes[S->nbytes++] = (uint8_t)lead;
        dfs(S, k + 1, true);
        S->nbytes--;
    }
}

/* A '?' that swallowed the '(' of an annotation: an unknown lead byte that
 * completed a pair, with the byte before it, reading the annotation. */
static void try_swallowed_bracket(search *S, size_t k)
{
    if (S->nbytes == 0)
        return;
    uint8_t prev = S->bytes[S->nbytes - 1];
    for (unsigned lead = 0x81; lead <= 0xFE; lead++) {
        if (!lf_pinyin_reads(lf_annot_pair(S->codec, prev, lead), S->toks[k].syllable))
            continue;
        S->bytes[S->nbytes++] = (uint8_t)lead;
        push_insertion(S, k);
        dfs(S, k + 1, false);
        S->nins--;
        S->nbytes--;
    }
}

static void dfs(search *S, size_t k, bool after_lone_lead)
{
    if (S->nomem || S->overflow)
        return;
    if (k == S->ntoks) {
        if (!after_lone_lead)
            evaluate(S);
        return;
    }
    const tok *t = &S->toks[k];
    size_t mark = S->nbytes;
    if (after_lone_lead) { /* t is the delimiter, once full-width */
        uint32_t d = t->kind == TK_Q ? '?' : t->cp;
        uint16_t code = S->codec->encode[d + 0xFEE0];
        S->bytes[S->nbytes++] = (uint8_t)(code >> 8);
        S->bytes[S->nbytes++] = (uint8_t)code;
        dfs(S, k + 1, false);
        S->nbytes = mark;
        return;
    }
    switch (t->kind) {
    case TK_CHAR:
        if (t->cp < 0x80) {
            S->bytes[S->nbytes++] = (uint8_t)t->cp;
        } else if (t->cp == 0x20AC) {
            S->bytes[S->nbytes++] = 0x80;
        } else if (t->cp <= 0xFFFF && S->codec->encode[t->cp]) {
            S->bytes[S->nbytes++] = (uint8_t)(S->codec->encode[t->cp] >> 8);
            S->bytes[S->nbytes++] = (uint8_t)S->codec->encode[t->cp];
        } else {
            return; /* not in this encoding: the site cannot come from it */
        }
        dfs(S, k + 1, false);
        break;
    case TK_ANN:
        push_insertion(S, k);
        dfs(S, k + 1, false);
        S->nins--;
        break;
    case TK_QTAIL:
        try_swallowed_bracket(S, k);
        break;
    case TK_Q:
        S->bytes[S->nbytes++] = '?';
        dfs(S, k + 1, false);
        S->nbytes = mark;
        try_lone_lead(S, k);
        break;
    }
    S->nbytes = mark;
}

static int by_score(const void *a, const void *b)
{
    const candidate *x = a, *y = b;
    return (y->score > x->score) - (y->score < x->score);
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

static void free_candidates(search *S)
{
    for (size_t i = 0; i < S->ncands; i++)
        lf_buf_free(&S->cands[i].text);
    S->ncands = 0;
}

static bool list_candidates(const search *S, lf_buf *note)
{
    if (!lf_buf_printf(note, "%s: %zu candidate%s", S->codec->name, S->ncands, S->ncands == 1 ? "" : "s"))
        return false;
    for (size_t i = 0; i < S->ncands && i < MAX_LISTED; i++)
        if (!lf_buf_printf(note, "%s%.*s (%d)", i ? ", " : ": ", (int)S->cands[i].text.len,
                           S->cands[i].text.data, S->cands[i].score))
            return false;
    return true;
}

/* Runs the search for one codec; the candidates are left sorted in S. */
static void solve_with(search *S, const lf_annot_codec *codec)
{
    free_candidates(S);
    S->codec = codec;
    S->nbytes = S->nins = S->evaluations = 0;
    S->overflow = false;
    dfs(S, 0, false);
    qsort(S->cands, S->ncands, sizeof *S->cands, by_score);
}

static lf_status decide(search *S, lf_splice_result *res, lf_error *err)
{
    res->codec = S->codec->name;
    if (S->overflow || S->ncands == 0) {
        res->verdict = LF_SPLICE_AMBIGUOUS;
        res->confidence = 0;
        bool ok = S->overflow ? lf_buf_printf(&res->note, "%s: too many reconstructions", S->codec->name)
                              : lf_buf_printf(&res->note, "no reconstruction fits GBK or Big5");
        return ok ? LF_OK : lf_nomem(err);
    }
    const candidate *best = &S->cands[0];
    int margin = S->ncands > 1 ? best->score - S->cands[1].score : CLEAR_MARGIN * 4;
    lf_buf plain;
    lf_buf_init(&plain);
    if (!as_is(S, &plain)) {
        lf_buf_free(&plain);
        return lf_nomem(err);
    }
    bool unchanged = plain.len == best->text.len && memcmp(plain.data, best->text.data, plain.len) == 0;
    lf_buf_free(&plain);
    if (unchanged && margin >= CLEAR_MARGIN) {
        res->verdict = LF_SPLICE_NONE;
        return LF_OK;
    }
    bool ok = true;
    if (margin >= CLEAR_MARGIN && !unchanged) {
        res->verdict = LF_SPLICE_REPAIRED;
        res->confidence = S->ncands == 1 ? 0.95 : margin >= 2 * CLEAR_MARGIN ? 0.9 : 0.8;
        ok = lf_buf_append(&res->text, best->text.data, best->text.len);
        if (ok && S->ncands > 1)
            ok = list_candidates(S, &res->note);
    } else {
        res->verdict = LF_SPLICE_AMBIGUOUS;
        res->confidence = 0.5;
        ok = list_candidates(S, &res->note);
    }
    return ok ? LF_OK : lf_nomem(err);
}

lf_status lf_splice_solve(const struct lf_annotations_data *data, const lf_annot_page *page, const char *s,
                          size_t start, size_t end, bool keep_annotations, lf_splice_result *res, lf_error *err)
{
    search *S = calloc(1, sizeof *S);
    candidate *cands = calloc(MAX_CANDIDATES, sizeof *cands);
    if (!S || !cands) {
        free(S);
        free(cands);
        return lf_nomem(err);
    }
    S->page = page;
    S->s = s;
    S->keep = keep_annotations;
    S->cands = cands;
    res->verdict = LF_SPLICE_AMBIGUOUS;
    res->codec = "";
    lf_status st = LF_OK;
    if (!tokenize(S, start, end)) {
        res->confidence = 0;
        if (!lf_buf_printf(&res->note, "site too long to solve"))
            st = lf_nomem(err);
    } else {
        /* The first encoding under which the site has a reconstruction explains it. */
        for (size_t c = 0; c < LF_ANNOT_CODECS; c++) {
            solve_with(S, &data->codecs[c]);
            if (S->nomem || S->ncands > 0 || S->overflow)
                break;
        }
        st = S->nomem ? lf_nomem(err) : decide(S, res, err);
    }
    free_candidates(S);
    free(cands);
    free(S);
    return st;
}
