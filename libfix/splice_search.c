/*
 * splice_search.c — the beam search over a damaged site's bytes (see
 * splice.h): tokens, hypotheses, their scores from page evidence, and the
 * distinct reconstructions they render to.
 */
#include "splice.h"

#include "pinyin.h"
#include "plausibility.h"

#include <stddef.h>
#include <stdlib.h>
#include <string.h>

/* Score units. An insertion explained by a character the page annotates
 * with that reading counts most, more than all other evidence of a site
 * together: the tool's dictionary is what the page shows annotated, and a
 * character it annotates but the page never shows aligned (請 in seed 003)
 * is the explanation only when no annotated one fits. Then a pair of
 * characters seen elsewhere on the page, then a pair inside an OpenCC
 * phrase, then how common a character is on the page (log scale), then its
 * frequency class. */
enum {
    BIGRAM = 4,
    BIGRAM_CAP = 3,
    DICTIONARY = 36,
    HOMOPHONE_DICTIONARY = DICTIONARY / 4,
    UNIGRAM_CAP = 3,
    RARE = 2,
    OTHER_SCRIPT = 4,
    NOT_HAN = 6,
    WORD_PAIR = 6,
    AFTER = 3,
    AFTER_CAP = 6,
};

/* Splits s[start..end) into tokens. A longer site is cut at MAX_TOKENS: a
 * reconstruction must then be aligned at the cut to count. */
void lf_splice_tokenize(search *S, size_t start, size_t end)
{
    const char *s = S->s;
    S->ntoks = 0;
    for (size_t i = start; i < end && S->ntoks < MAX_TOKENS;) {
        tok *t = &S->toks[S->ntoks++];
        size_t k;
        t->start = i;
        if (s[i] == '?' && (k = lf_annot_parse_tail(s, end, i + 1, &t->syllable))) {
            t->kind = TK_QTAIL;
            t->tail = i + 1;
        } else if ((unsigned char)s[i] >= 0x80 && lf_splice_swallowed_square(s, end, i, &t->tail, &k, &t->syllable)) {
            t->kind = TK_BTAIL;
            lf_utf8_decode(s + i, end - i, &t->cp);
        } else if (s[i] == '?') {
            t->kind = TK_Q;
            t->cp = '?';
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
}

static uint32_t pair_at(const search *S, const hyp *h, size_t i)
{
    return lf_annot_pair(S->codec, h->bytes[i], h->bytes[i + 1]);
}

static bool inserted_at(const hyp *h, size_t pos, const search *S, int syllable)
{
    for (size_t i = 0; i < h->nins; i++)
        if (h->ins_pos[i] == pos && (syllable < 0 || S->toks[h->ins_tok[i]].syllable == syllable))
            return true;
    return false;
}

/* 1 + log2(n), at most cap; 0 for 0. */
static int log_count(uint32_t n, int cap)
{
    int bits = 0;
    while (n > 0 && bits < cap) {
        bits++;
        n >>= 1;
    }
    return bits;
}

static int char_score(const search *S, uint32_t cp)
{
    if (cp < 0x80)
        return 0;
    int score = log_count(lf_annot_page_bigram(S->page, 0, cp), UNIGRAM_CAP);
    if ((cp >= 0x3000 && cp <= 0x303F) || (cp >= 0xFF00 && cp <= 0xFFEF) || (cp >= 0x2010 && cp <= 0x2027))
        return score;
    unsigned cls = lf_cjk_class(cp);
    unsigned common = S->page->traditional ? LF_CJK_TC1 : LF_CJK_SC1;
    unsigned rare = S->page->traditional ? LF_CJK_TC2 : LF_CJK_SC2;
    if (cls & common)
        return score;
    if (cls & rare)
        return score - RARE;
    if (cls & (LF_CJK_TC1 | LF_CJK_TC2 | LF_CJK_SC1 | LF_CJK_SC2))
        return score - OTHER_SCRIPT;
    return score - NOT_HAN;
}

/* Decodes and scores the whole characters h has gained, and checks the pairs
 * no further annotation can follow: a pair of a character the page annotates
 * must be followed by its annotation, unless an annotation split it. */
static bool advance(const search *S, hyp *h, bool final)
{
    while (h->decoded < h->nbytes) {
        uint32_t cp = h->bytes[h->decoded];
        if (cp >= 0x81) {
            if (h->decoded + 1 == h->nbytes)
                break;
            cp = pair_at(S, h, h->decoded);
            if (!lf_splice_clean_char(cp))
                return false;
            h->decoded += 2;
        } else {
            cp = cp == 0x80 ? 0x20AC : cp; /* Windows-936 and -950 show byte 0x80 as € */
            h->decoded++;
        }
        h->score += char_score(S, cp);
        if (h->prev >= 0x80 && cp >= 0x80) {
            uint32_t n = lf_annot_page_bigram(S->page, h->prev, cp);
            h->score += BIGRAM * (int)(n < BIGRAM_CAP ? n : BIGRAM_CAP);
        } else if (h->prev >= 0x80 && cp < 0x40) {
            /* a byte lost after a character (expand_lost): how often the
             * page shows it there, on a log scale (。 and a line break
             * dozens of times, 。 and a digit once) */
            h->score += AFTER * log_count(lf_annot_page_bigram(S->page, h->prev, cp), AFTER_CAP);
        }
        if (lf_splice_is_han(h->prev) && lf_splice_is_han(cp) && lf_plausibility_is_word_pair(h->prev, cp))
            h->score += WORD_PAIR;
        h->prev = cp;
    }
    for (; h->checked + 1 < h->nbytes && (final || h->checked + 2 < h->nbytes); h->checked++) {
        int d = lf_annot_page_reading(S->page, pair_at(S, h, h->checked));
        if (d >= 0 && !inserted_at(h, h->checked + 2u, S, d) && !inserted_at(h, h->checked + 1u, S, -1))
            return false;
    }
    return !final || (h->decoded == h->nbytes && !h->skip);
}

/* Copies the part of src in use: a hypothesis has room for the longest
 * site, most use a fraction of it, and every continuation starts as a copy. */
static void copy_hyp(hyp *dst, const hyp *src)
{
    memcpy(dst, src, offsetof(hyp, ins_pos) + src->nins * sizeof src->ins_pos[0]);
    memcpy(dst->ins_tok, src->ins_tok, src->nins * sizeof src->ins_tok[0]);
    memcpy(dst->bytes, src->bytes, src->nbytes);
}

/* A continuation of h is built in place, in the next beam's free slot: a
 * copy of h to change, or NULL when the next beam is full (the
 * continuation is dropped). offer keeps it if it holds. */
static hyp *fork_hyp(search *S, const hyp *h)
{
    if (S->nnext == S->next_cap)
        return NULL;
    hyp *c = &S->next[S->nnext];
    copy_hyp(c, h);
    return c;
}

static void offer(search *S, hyp *c, bool final)
{
    if (advance(S, c, final))
        S->nnext++;
}

static void push_byte(hyp *h, uint8_t b)
{
    h->bytes[h->nbytes++] = b;
}

/* Whether a double-byte character of h starts at bytes[at]. */
static bool char_at(const hyp *h, size_t at)
{
    size_t i = 0;
    while (i < at)
        i += h->bytes[i] >= 0x81 ? 2 : 1;
    return i == at && h->bytes[at] >= 0x81;
}

/* Whether the lead byte h just guessed for an annotation of reading syl
 * whose '(' it swallowed rebuilds the character that annotation reads as
 * every earlier one of that reading after the same bytes did. Such a tail
 * closes a chain of straddled insertions: the pair it reads was whole, and
 * its first byte was itself guessed or displaced (分?zhì)?qí) is 分 B7D6,
 * ?zhì) the C6 that makes D6C6 制, ?qí) the E7 that makes C6E7 歧). The
 * same damage after the same character comes from the same bytes: 分歧
 * once and 分七 three times on one line went out as one confident repair.
 * Only a pair whole after a whole character is compared; the scan for
 * that runs only where an earlier tail differs. */
static bool chained_alike(const search *S, const hyp *h, int syl)
{
    size_t pos = h->nbytes;
    if (pos < 4)
        return true;
    for (size_t i = 0; i < h->nins; i++) {
        size_t p = h->ins_pos[i];
        const tok *t = &S->toks[h->ins_tok[i]];
        if (t->kind != TK_QTAIL || t->syllable != syl || p < 4 || h->bytes[p - 1] == h->bytes[pos - 1] ||
            memcmp(h->bytes + p - 4, h->bytes + pos - 4, 3) != 0)
            continue;
        if (char_at(h, pos - 4) && char_at(h, pos - 2) && char_at(h, p - 4) && char_at(h, p - 2))
            return false;
    }
    return true;
}

/* Records that the annotation of token k followed the bytes so far; false
 * when those bytes do not end with a character of that reading. A
 * character the page annotates with that reading explains it best, but
 * less where a lead byte swallowed the '(' and the page never shows the
 * character after the one before it: the tool's dictionary may hold a
 * homophone the page never shows aligned, always straddled after the same
 * neighbour (技?jì)?shù) is 技术, the page annotates 数 shù and never
 * shows 术 whole). Measured with test_annotations_generated sets 0 to 8:
 * a quarter of DICTIONARY there cut the wrong confident repairs from 25
 * to 7 (none on sets 0 and 1 either way), for some 2.5% of the sites
 * restored; half of it left 14, and none at all made 42 on sets 0, 1
 * and 6 to 8 alone. */
static bool push_insertion(const search *S, hyp *h, size_t k)
{
    if (h->nbytes < 2 || h->nins == MAX_TOKENS / 2)
        return false;
    int syl = S->toks[k].syllable;
    if (!lf_annot_pair_reads(S->codec, h->bytes[h->nbytes - 2u], h->bytes[h->nbytes - 1u], syl))
        return false;
    if (S->toks[k].kind == TK_QTAIL && !chained_alike(S, h, syl))
        return false;
    uint32_t cp = pair_at(S, h, h->nbytes - 2u);
    if (lf_annot_page_reading(S->page, cp) == syl) {
        bool aligned = h->decoded + 2u == h->nbytes;
        bool unseen = aligned && S->toks[k].kind == TK_QTAIL && lf_splice_is_han(h->prev) &&
                      lf_annot_page_bigram(S->page, h->prev, cp) == 0;
        h->score += unseen ? HOMOPHONE_DICTIONARY : DICTIONARY;
        if (S->toks[k].kind == TK_QTAIL)
            h->annotated = (uint8_t)(h->annotated * 31u + h->bytes[h->nbytes - 1u]);
    }
    h->ins_pos[h->nins] = h->nbytes;
    h->ins_tok[h->nins++] = (uint8_t)k;
    return true;
}

static bool push_char(const search *S, hyp *h, uint32_t cp)
{
    if (cp < 0x80) {
        push_byte(h, (uint8_t)cp);
    } else if (cp == 0x20AC) {
        push_byte(h, 0x80);
    } else if (cp <= 0xFFFF && S->codec->encode[cp]) {
        push_byte(h, (uint8_t)(S->codec->encode[cp] >> 8));
        push_byte(h, (uint8_t)S->codec->encode[cp]);
    } else {
        return false; /* not in this encoding: the site cannot come from it */
    }
    return true;
}

static bool is_delim_tok(const tok *t)
{
    return (t->kind == TK_CHAR || t->kind == TK_Q) && lf_splice_is_delim(t->cp);
}

/* The memo of the lead bytes that follow byte b to read token k's
 * syllable (see struct search). */
static const uint64_t *reading_leads(search *S, size_t k, unsigned b)
{
    if (S->memo_tok != k || S->memo_codec != S->codec) {
        memset(S->memo_known, 0, sizeof S->memo_known);
        S->memo_tok = k;
        S->memo_codec = S->codec;
    }
    uint64_t *leads = S->memo_leads[b];
    if (!S->memo_known[b]) {
        leads[0] = leads[1] = 0;
        for (unsigned lead = 0x81; lead <= 0xFE; lead++)
            if (lf_annot_pair_reads(S->codec, b, lead, S->toks[k].syllable))
                leads[(lead - 0x81) >> 6] |= 1ull << ((lead - 0x81) & 63);
        S->memo_known[b] = true;
    }
    return leads;
}

static bool next_is_tail(const search *S, size_t k)
{
    return k + 1 < S->ntoks && (S->toks[k + 1].kind == TK_QTAIL || S->toks[k + 1].kind == TK_BTAIL);
}

/* Whether x can follow a double-byte character as one byte: Chinese text
 * writes ,:;?! full-width next to its characters (the page shows them
 * half-width only because it was folded), and a '(' a lead byte swallowed
 * is an annotation's, read as such (TK_QTAIL). */
static bool single_byte_after_han(unsigned x)
{
    return x != '(' && !lf_splice_is_delim(x) && x != ',' && x != ':';
}

/* Whether the zhuyin annotation h's bytes end with, "(" letters ")", reads
 * the character before its bracket: the annotations the tool wrote do. */
static bool closes_reading(const search *S, const hyp *h)
{
    size_t q = h->nbytes - 3; /* the last letter's pair */
    while (q >= 2 && h->bytes[q - 2] >= 0x81 && lf_splice_is_zhuyin(pair_at(S, h, q - 2)))
        q -= 2;
    if (q < 3 || (h->bytes[q - 1] != '(' && h->bytes[q - 1] != '[') || h->bytes[q - 3] < 0x81)
        return false;
    char body[8 * 3];
    size_t n = 0;
    for (size_t i = q; i + 2 < (size_t)h->nbytes && n + 3 <= sizeof body; i += 2) {
        uint32_t cp = pair_at(S, h, i); /* U+02C7..U+312F: two or three bytes */
        if (cp < 0x800) {
            body[n++] = (char)(0xC0 | cp >> 6);
        } else {
            body[n++] = (char)(0xE0 | cp >> 12);
            body[n++] = (char)(0x80 | ((cp >> 6) & 0x3F));
        }
        body[n++] = (char)(0x80 | (cp & 0x3F));
    }
    return lf_pinyin_reads(pair_at(S, h, q - 3), lf_pinyin_parse(body, n));
}

/* A '?' after a pending byte may be that byte's trail and the ASCII byte
 * after it, both lost: the decoder, one byte off, read them as one pair
 * (the displaced byte of a chain before a line break, a space, a digit).
 * Only characters the page shows are tried: each with the bytes the page
 * shows after it, with a line break if the page shows it after the
 * character before, and the letters of a zhuyin annotation with its close
 * bracket when the annotation then reads its character. (Each hypothesis
 * may continue in hundreds of ways here; the next beam has room for 130 a
 * hypothesis.) */
static void expand_lost(search *S, const hyp *h, bool final)
{
    unsigned lead = h->bytes[h->nbytes - 1];
    for (unsigned trail = 0x40; trail <= 0xFE; trail++) {
        uint32_t cp = lf_annot_pair(S->codec, lead, trail);
        bool zhuyin = lf_splice_is_zhuyin(cp); /* the page's evidence reads through annotations */
        if (!lf_splice_clean_char(cp) || (!zhuyin && lf_annot_page_bigram(S->page, 0, cp) == 0))
            continue;
        bool follows = lf_annot_page_bigram(S->page, h->prev, cp) > 0;
        for (unsigned x = 1; x < 0x40; x++) {
            bool closes = zhuyin && (x == ')' || x == ']');
            if (!single_byte_after_han(x) ||
                (!closes && !(x == '\n' && follows) && lf_annot_page_bigram(S->page, cp, x) == 0))
                continue;
            hyp *c = fork_hyp(S, h);
            if (!c)
                return;
            if (c->guesses++ == 0) {
                c->guess = (uint16_t)(c->nbytes - 1);
                c->guess_lost = true;
            }
            push_byte(c, (uint8_t)trail);
            push_byte(c, (uint8_t)x);
            if (!closes) {
                offer(S, c, final);
            } else if (closes_reading(S, c)) {
                c->verified++;
                offer(S, c, final);
            }
        }
    }
}

/* Every way token k continues hypothesis h. */
static void expand(search *S, const hyp *h, size_t k)
{
    const tok *t = &S->toks[k];
    bool final = k + 1 == S->ntoks;
    hyp *c = fork_hyp(S, h);
    if (!c)
        return;
    if (h->skip) {
        c->skip = false;
        offer(S, c, final);
        return;
    }
    switch (t->kind) {
    case TK_CHAR:
    case TK_Q:
        if (push_char(S, c, t->cp))
            offer(S, c, final);
        /* Half-width ASCII may have been full-width before the page was
         * folded. That matters only where the decoding was misaligned (a
         * byte is pending) or where the next token's insertion may follow
         * a pair that starts with its trail byte (：通 holds BA CD = 和):
         * elsewhere both read the same. */
        if (t->cp > 0x20 && t->cp < 0x7F && (h->decoded < h->nbytes || next_is_tail(S, k))) {
            if ((c = fork_hyp(S, h)) && push_char(S, c, t->cp + 0xFEE0))
                offer(S, c, final);
        }
        if (t->kind == TK_Q && h->decoded < h->nbytes)
            expand_lost(S, h, final);
        /* A '?' may be a lead byte left at a chunk's end, cut before a
         * byte match of ；？！ (the next token, once full-width) whose first
         * byte was this lead's trail. */
        if (t->kind == TK_Q && k + 1 < S->ntoks && is_delim_tok(&S->toks[k + 1])) {
            uint32_t delim = S->toks[k + 1].cp + 0xFEE0;
            uint16_t code = S->codec->encode[delim];
            for (unsigned lead = 0x81; code && lead <= 0xFE; lead++) {
                if (!lf_splice_clean_char(lf_annot_pair(S->codec, lead, code >> 8)))
                    continue;
                if (!(c = fork_hyp(S, h)))
                    break;
                if (c->guesses++ == 0)
                    c->guess = c->nbytes;
                push_byte(c, (uint8_t)lead);
                push_char(S, c, delim);
                c->skip = true;
                offer(S, c, false);
            }
        }
        break;
    case TK_ANN:
        if (push_insertion(S, c, k))
            offer(S, c, final);
        break;
    case TK_QTAIL: {
        /* A lead byte swallowed the '(' of the annotation: with the byte
         * before it, it forms a character of that reading. */
        const uint64_t *leads = h->nbytes > 0 ? reading_leads(S, k, h->bytes[h->nbytes - 1]) : NULL;
        for (unsigned lead = 0x81; leads && lead <= 0xFE; lead++) {
            if (!(leads[(lead - 0x81) >> 6] >> ((lead - 0x81) & 63) & 1))
                continue;
            if (!(c = fork_hyp(S, h)))
                break;
            push_byte(c, (uint8_t)lead);
            if (push_insertion(S, c, k))
                offer(S, c, final);
        }
        break;
    }
    case TK_BTAIL: {
        /* The character is a lead byte and the '[': the lead is known, and
         * with the byte before it forms a character of that reading. */
        uint16_t code = t->cp <= 0xFFFF ? S->codec->encode[t->cp] : 0;
        if ((code & 0xFF) != '[' || h->nbytes == 0)
            break;
        push_byte(c, (uint8_t)(code >> 8));
        if (push_insertion(S, c, k))
            offer(S, c, final);
        break;
    }
    }
}

/* Two hypotheses with the same last bytes, pending byte, last character and
 * recent annotations continue alike: only the best PER_STATE of them are
 * kept. The state as one number, its fields from the most significant: how
 * far back the last annotation was (0-2 bytes, or more), how many bytes
 * are pending, whether the next token was used, the last character, the
 * last three bytes (256 where there is none). prev is at most U+FFFF, and
 * at most one byte is ever pending, but each field has room for more. The
 * future depends on the last two bytes only; the third keeps apart, for
 * one more character, hypotheses that differ in the byte they chose last,
 * whose words are weighed only at the end: in 发展?gōu)墓?gòng)献 the
 * best PER_STATE after 献 all had 共, which the page annotates, and
 * differed in older choices only, so 贡献 was never ranked. */
static uint64_t state_of(const hyp *h)
{
    size_t since = h->nins ? h->nbytes - h->ins_pos[h->nins - 1] : 9;
    uint64_t last = h->nbytes >= 1 ? h->bytes[h->nbytes - 1] : 256;
    uint64_t before = h->nbytes >= 2 ? h->bytes[h->nbytes - 2] : 256;
    uint64_t third = h->nbytes >= 3 ? h->bytes[h->nbytes - 3] : 256;
    return (uint64_t)(since > 2 ? 3 : since) << 60 | (uint64_t)(h->nbytes - h->decoded) << 54 |
           (uint64_t)h->skip << 53 | (uint64_t)h->prev << 27 | third << 18 | last << 9 | before;
}

/* Best first; among equals by state, then the one offered first. */
static int by_score_then_state(const void *a, const void *b)
{
    const beam_rank *x = a, *y = b;
    if (x->score != y->score)
        return x->score > y->score ? -1 : 1;
    if (x->state != y->state)
        return x->state < y->state ? -1 : 1;
    return (x->index > y->index) - (x->index < y->index);
}

/* Sorts r[0..n) by by_score_then_state, a total order, with tmp[0..n) as
 * scratch: a merge sort whose comparisons the compiler inlines, insertion
 * for short runs. A next beam holds some fifteen hypotheses on average
 * (seed 003) and at most a hundred, where qsort's calls of the comparison
 * cost more than the sort. */
enum { INSERTION_SORT_MAX = 16 };

static void sort_ranks(beam_rank *r, beam_rank *tmp, size_t n)
{
    if (n > INSERTION_SORT_MAX) {
        size_t half = n / 2, a = 0, b = half, k = 0;
        sort_ranks(r, tmp, half);
        sort_ranks(r + half, tmp, n - half);
        while (a < half && b < n)
            tmp[k++] = by_score_then_state(&r[b], &r[a]) < 0 ? r[b++] : r[a++];
        while (a < half)
            tmp[k++] = r[a++];
        memcpy(r, tmp, b * sizeof *r);
        return;
    }
    for (size_t i = 1; i < n; i++) {
        beam_rank x = r[i];
        size_t j = i;
        for (; j > 0 && by_score_then_state(&x, &r[j - 1]) < 0; j--)
            r[j] = r[j - 1];
        r[j] = x;
    }
}

static bool annotated_kept(const search *S, uint8_t choices)
{
    for (size_t i = 0; i < S->nbeam; i++)
        if (S->beam[i]->annotated == choices)
            return true;
    return false;
}

/* Keeps the best BEAM of next, at most PER_STATE of a state, as the beam,
 * in that order, then the best hypothesis of each set of choices at tails
 * whose pairs the page annotates (hyp.annotated) that the beam lost, up to
 * BEAM_KEPT: in a long site the variants of older choices of the leading
 * set fill the beam (set 20 of test_annotations_generated, pair 336: every
 * hypothesis with 贡 of 发展?gou1)墓?gong4)献, 18 points behind 共, the
 * page annotating both, was dropped 40 tokens on, and 共献 went out as a
 * confident repair). One sort of small records: the hypotheses are
 * large, and a state is computed once rather than at every comparison. Taken best
 * first, a state's hypotheses come in the order that picks its best
 * PER_STATE. */
static void prune(search *S)
{
    for (size_t i = 0; i < S->nnext; i++)
        S->order[i] = (beam_rank){state_of(&S->next[i]), S->next[i].score, (uint32_t)i};
    sort_ranks(S->order, S->order_tmp, S->nnext);
    uint64_t states[BEAM];
    int count[BEAM];
    size_t nstates = 0, i;
    S->nbeam = 0;
    for (i = 0; i < S->nnext && S->nbeam < BEAM; i++) {
        size_t j = 0;
        while (j < nstates && states[j] != S->order[i].state)
            j++;
        if (j == nstates) {
            states[nstates] = S->order[i].state;
            count[nstates++] = 0;
        }
        if (count[j]++ < PER_STATE)
            S->beam[S->nbeam++] = &S->next[S->order[i].index];
    }
    size_t best = S->nbeam;
    for (i = 0; i < S->nnext && S->nbeam < BEAM_KEPT; i++) {
        hyp *h = &S->next[S->order[i].index];
        if (h->annotated && !annotated_kept(S, h->annotated))
            S->beam[S->nbeam++] = h;
    }
    S->nkept = S->nbeam - best;
    hyp *kept = S->next;
    S->next = S->spare;
    S->spare = kept;
    S->nnext = 0;
}

/* Appends the annotation of token t as it was written. */
static bool append_annotation(lf_buf *b, const search *S, const tok *t)
{
    const char *s = S->s;
    if (t->kind == TK_QTAIL || t->kind == TK_BTAIL) /* the open bracket was swallowed */
        return lf_buf_append_char(b, s[t->end - 1] == ']' ? '[' : '(') &&
               lf_buf_append(b, s + t->tail, t->end - t->tail);
    return lf_buf_append(b, s + t->start, t->end - t->start);
}

/* Removes from b the annotations that verify against the character before
 * them: those the damage was inside of come out whole once rebuilt. */
static void strip_verified(lf_buf *b)
{
    size_t o = 0;
    for (size_t i = 0; i < b->len;) {
        int syl;
        size_t end = i > 0 ? lf_annot_parse(b->data, b->len, i, &syl) : 0;
        size_t c = o > 0 ? lf_annot_char_before(b->data, o) : 0;
        uint32_t cp;
        if (end && o > 0 && lf_utf8_decode(b->data + c, o - c, &cp) && lf_pinyin_reads(cp, syl)) {
            i = end;
            continue;
        }
        b->data[o++] = b->data[i++];
    }
    b->len = o;
    if (b->data)
        b->data[o] = '\0';
}

/* How many annotations in b read their character as the page annotates it
 * elsewhere: an annotation rebuilt from its pieces (中(ㄓ?ㄅㄨˋ)馳?) is the
 * tool's, which gives a character one reading. */
static int page_readings(const search *S, const lf_buf *b)
{
    int n = 0;
    for (size_t i = 1; i < b->len; i++) {
        int syl;
        if ((b->data[i] != '(' && b->data[i] != '[') || !lf_annot_parse(b->data, b->len, i, &syl))
            continue;
        size_t c = lf_annot_char_before(b->data, i);
        uint32_t cp;
        if (lf_utf8_decode(b->data + c, i - c, &cp) && lf_annot_page_reading(S->page, cp) == syl)
            n++;
    }
    return n;
}

/* The text of a complete hypothesis: its characters, folded to half-width as
 * the page was, with the annotations of whole characters when they are kept.
 * Adds to *readings the annotations that read as the page's (page_readings). */
static bool render(const search *S, const hyp *h, lf_buf *b, int *readings)
{
    for (size_t i = 0; i < h->nbytes;) {
        uint32_t cp = h->bytes[i];
        if (cp >= 0x81) {
            cp = pair_at(S, h, i);
            i += 2;
        } else {
            cp = cp == 0x80 ? 0x20AC : cp;
            i++;
        }
        if (!lf_buf_append_cp(b, cp >= 0xFF01 && cp <= 0xFF5E ? cp - 0xFEE0 : cp))
            return false;
        for (size_t k = 0; S->keep && k < h->nins; k++) {
            const tok *t = &S->toks[h->ins_tok[k]];
            if (h->ins_pos[k] == i && cp >= 0x3400 && lf_pinyin_reads(cp, t->syllable) &&
                !append_annotation(b, S, t))
                return false;
        }
    }
    *readings = page_readings(S, b);
    if (!S->keep)
        strip_verified(b);
    return true;
}

void lf_splice_free_candidates(search *S)
{
    for (size_t i = 0; i < S->nlisted; i++)
        lf_buf_free(&S->cands[i].text);
    S->ncands = S->nlisted = 0;
}

static bool is_zhuyin_tok(const tok *t)
{
    return t->kind == TK_CHAR && lf_splice_is_zhuyin(t->cp);
}

/* An annotation's tail whose reading is written in zhuyin. */
static bool zhuyin_tail(const search *S, const tok *t)
{
    uint32_t cp;
    return (t->kind == TK_QTAIL || t->kind == TK_BTAIL) && lf_utf8_decode(S->s + t->tail, t->end - t->tail, &cp) &&
           lf_splice_is_zhuyin(cp);
}

/* Where a zhuyin letter of the damaged site stands. In an annotation's
 * body: next to another, to a bracket or after a '?' (a lead byte that
 * swallowed the '('), IN_BODY; only next to an annotation's tail,
 * BESIDE_TAIL, which a misaligned pair before a lead byte that took a '['
 * can be too (定中 read as 贫ㄖ衃ㄓㄨㄥ]). A lone one between characters is
 * a misaligned pair (定中 read as 贫ㄖ械), NOT_IN_BODY. */
typedef enum zhuyin_place { NOT_IN_BODY, BESIDE_TAIL, IN_BODY } zhuyin_place;

static zhuyin_place zhuyin_in_body(const search *S, size_t k)
{
    if (!is_zhuyin_tok(&S->toks[k]))
        return NOT_IN_BODY;
    const tok *p = k > 0 ? &S->toks[k - 1] : NULL, *n = k + 1 < S->ntoks ? &S->toks[k + 1] : NULL;
    if ((p && (is_zhuyin_tok(p) || p->kind == TK_Q || (p->kind == TK_CHAR && (p->cp == '(' || p->cp == '[')))) ||
        (n && (is_zhuyin_tok(n) || (n->kind == TK_CHAR && (n->cp == ')' || n->cp == ']')))))
        return IN_BODY;
    return n && zhuyin_tail(S, n) ? BESIDE_TAIL : NOT_IN_BODY;
}

/* The index of a zhuyin letter or tone mark among ZHUYIN_SIGNS, to count
 * each on its own. */
enum { ZHUYIN_LETTERS = 0x312F - 0x3105 + 1, ZHUYIN_SIGNS = ZHUYIN_LETTERS + 4 };

static size_t zhuyin_index(uint32_t cp)
{
    if (cp >= 0x3105 && cp <= 0x312F)
        return cp - 0x3105;
    return ZHUYIN_LETTERS + (cp == 0x02C7 ? 0 : cp == 0x02CA ? 1 : cp == 0x02CB ? 2 : 3);
}

/* Zhuyin letters are double-byte and in a page's annotations. A
 * reconstruction that has fewer of them than the damaged site shows in
 * annotation bodies read some as halves of characters: the bracket of that
 * annotation was lost where nothing models it (a '(' swallowed by a
 * displaced byte), and the characters it made up are not evidence. The
 * letters surely in a body are also counted each on its own: letters the
 * rebuilt bytes gain elsewhere (an annotation rebuilt from misaligned
 * pairs, 绋濉 read as ㄧㄥˇ) make up for none of those (ㄌ of 沉?ㄌ?ㄊㄞˊ)
 * reread as the halves of 卡台). */
static bool rereads_zhuyin(const search *S, const hyp *h)
{
    uint16_t sure[ZHUYIN_SIGNS] = {0}, made[ZHUYIN_SIGNS] = {0};
    size_t seen = 0, made_all = 0;
    for (size_t k = 0; k < S->ntoks; k++) {
        zhuyin_place place = zhuyin_in_body(S, k);
        seen += place != NOT_IN_BODY;
        if (place == IN_BODY)
            sure[zhuyin_index(S->toks[k].cp)]++;
    }
    for (size_t i = 0; i < h->nbytes;) {
        if (h->bytes[i] < 0x81) {
            i++;
            continue;
        }
        uint32_t cp = pair_at(S, h, i);
        if (lf_splice_is_zhuyin(cp)) {
            made[zhuyin_index(cp)]++;
            made_all++;
        }
        i += 2;
    }
    for (size_t z = 0; z < ZHUYIN_SIGNS; z++)
        if (made[z] < sure[z])
            return true;
    return made_all < seen;
}

/* A paragraph's end whose line break a '?' swallowed with the trail byte
 * of its closing mark (新方案。 then a blank line, damaged as 新?lù)桨浮?
 * and the blank line): the mark stands after the paragraph's last
 * character, which the page seldom shows before it (案。), so the guess is
 * backed instead by the page ending lines with that mark LINE_ENDS times,
 * when the rebuilt mark follows a Han character, the lost byte is a line
 * break and a line break follows the site (the blank line). Measured with
 * test_annotations_generated: restored sites went from 71.27% to 73.44% on
 * set 0 and from 77.15% to 79.62% on set 1; without the Han character
 * before, 时!” then a blank line was rebuilt 时!。 on sets 0 and 1 (9
 * wrong confident); without the line break after, lines were split where
 * the lost byte was another (80 clean lines changed on set 0). */
enum { LINE_ENDS = 2 };

static bool is_sentence_end(uint32_t cp)
{
    return cp == 0x3002 || cp == 0xFF01 || cp == 0xFF1F; /* 。！？ */
}

static bool paragraph_end(const search *S, const hyp *h, uint32_t prev, uint32_t cp, uint32_t next)
{
    size_t end = S->toks[S->ntoks - 1].end;
    return h->guess_lost && is_sentence_end(cp) && lf_splice_is_han(prev) && next == '\n' &&
           h->guess + 3u == h->nbytes && end < S->page->len && S->s[end] == '\n';
}

/* Whether a guess is backed by the page: the character a lead byte guessed
 * at a chunk cut makes stands next to the same neighbour elsewhere on the
 * page (規模 of 規?;, which the page shows nine more times); a character
 * whose trail byte was lost with the byte after it stands next to both
 * neighbours elsewhere (日報 and 報 followed by a space), or ends a
 * paragraph as the page's lines end (paragraph_end). Guesses that
 * each close a zhuyin annotation reading its character are backed by that
 * reading, however many. A guess the page does not back rests on general
 * plausibility only: never confident. */
static bool guess_supported(const search *S, const hyp *h)
{
    if (h->guesses == h->verified)
        return true;
    if (h->guesses > 1)
        return false;
    uint32_t prev = 0, cp = 0, next = 0;
    for (size_t i = 0; i < h->nbytes;) {
        size_t n = h->bytes[i] >= 0x81 && i + 1 < h->nbytes ? 2 : 1;
        uint32_t c = n == 2 ? pair_at(S, h, i) : h->bytes[i];
        if (cp) {
            next = c;
            break;
        }
        if (i + n > h->guess)
            cp = c;
        else
            prev = c;
        i += n;
    }
    bool before = prev && lf_annot_page_bigram(S->page, prev, cp) > 0;
    bool after = next && lf_annot_page_bigram(S->page, cp, next) > 0;
    if (paragraph_end(S, h, prev, cp, next))
        return lf_annot_page_bigram(S->page, cp, next) >= LINE_ENDS;
    return h->guess_lost ? before && after : before || after;
}

/* Whether h rebuilt two straddled tails of one reading unlike: the lead
 * byte each guessed follows the same whole character and precedes the same
 * byte, yet differs (分?zhì)纾 three times rebuilt with C6, 分歧, and once
 * 分?zhì)纭 with CE, 分午: D6C6 制 and D6CE 治 both read zhì). The same
 * bytes around a tail come from the same character, as in chained_alike,
 * which cannot tell this at the tail: the byte after is not read yet. */
static bool straddled_unlike(const search *S, const hyp *h)
{
    for (size_t i = 0; i < h->nins; i++) {
        size_t p = h->ins_pos[i];
        if (S->toks[h->ins_tok[i]].kind != TK_QTAIL || p < 3 || p >= h->nbytes)
            continue;
        for (size_t j = i + 1; j < h->nins; j++) {
            size_t q = h->ins_pos[j];
            if (S->toks[h->ins_tok[j]].kind != TK_QTAIL || S->toks[h->ins_tok[j]].syllable !=
                S->toks[h->ins_tok[i]].syllable || q < 3 || q >= h->nbytes || h->bytes[p - 1] == h->bytes[q - 1] ||
                h->bytes[p] != h->bytes[q] || memcmp(h->bytes + p - 3, h->bytes + q - 3, 2) != 0)
                continue;
            if (char_at(h, p - 3) && char_at(h, q - 3))
                return true;
        }
    }
    return false;
}

/* Adds the text of h to the distinct results unless it is there, at most
 * limit of them listed; false when out of memory. */
static bool collect_one(search *S, const hyp *h, lf_buf *text, size_t limit)
{
    lf_buf_clear(text);
    int readings;
    if (!render(S, h, text, &readings))
        return false;
    size_t j = 0;
    while (j < S->nlisted && !(S->cands[j].text.len == text->len &&
                               memcmp(S->cands[j].text.data, text->data ? text->data : "", text->len) == 0))
        j++;
    if (j < S->nlisted)
        return true;
    S->ncands++;
    if (S->nlisted >= limit)
        return true;
    candidate *c = &S->cands[S->nlisted++];
    c->score = h->score + DICTIONARY * readings;
    c->reread = rereads_zhuyin(S, h);
    c->guesses = h->guesses;
    c->words = 0;
    c->unsupported = !guess_supported(S, h);
    c->unlike = straddled_unlike(S, h);
    c->text = *text;
    lf_buf_init(text);
    return true;
}

/* Collects the distinct texts of the final beam, best first, and those of
 * the rival choices prune kept in RIVALS_KEPT more places: taking their
 * places from the best 32 made set 9 of test_annotations_generated, pair
 * 75, wrong again (发展的共献). */
static bool collect(search *S)
{
    lf_buf text;
    lf_buf_init(&text);
    size_t main = S->nbeam - S->nkept;
    bool ok = true;
    for (size_t i = 0; ok && i < main; i++)
        ok = collect_one(S, S->beam[i], &text, MAX_RANKED - RIVALS_KEPT);
    for (size_t i = main; ok && i < S->nbeam; i++)
        ok = collect_one(S, S->beam[i], &text, MAX_RANKED);
    lf_buf_free(&text);
    return ok;
}

static bool is_anomaly_tok(const tok *t)
{
    return t->kind == TK_QTAIL || t->kind == TK_BTAIL || t->kind == TK_Q ||
           (t->kind == TK_CHAR && ((t->cp >= 0xE000 && t->cp <= 0xF8FF) || t->cp == 0x20AC));
}

/* Whether token k is inside the rest of an annotation that an insertion
 * split after its '[' (等[[jia1]deng3]): letters of a reading since the
 * last removed annotation, which a "pinyin]" tail follows that ends after token k. */
static bool inside_split_tail(const search *S, size_t k)
{
    for (size_t j = k + 1; j-- > 0;) {
        const tok *t = &S->toks[j];
        if (t->kind == TK_ANN) {
            int syl;
            return lf_splice_square_tail(S->s, S->toks[S->ntoks - 1].end, t->end, &syl) > S->toks[k].end;
        }
        bool letter = t->cp < 0x80 || (t->cp >= 0xC0 && t->cp <= 0x24F) || lf_splice_is_zhuyin(t->cp);
        if (t->kind != TK_CHAR || !letter)
            return false;
    }
    return false;
}

/* After the last damaged token, once every hypothesis is aligned at a token
 * boundary, the rest of the site decodes the same in all of them: the site
 * ends there. Runs the final checks on the beam and returns whether it cut. */
static bool cut_when_aligned(search *S, size_t k, size_t last_anomaly)
{
    if (k <= last_anomaly || k + 1 == S->ntoks || S->toks[k].kind != TK_CHAR || S->toks[k + 1].kind != TK_CHAR ||
        inside_split_tail(S, k))
        return false;
    for (size_t i = 0; i < S->nbeam; i++)
        if (S->beam[i]->decoded != S->beam[i]->nbytes || S->beam[i]->skip)
            return false;
    size_t kept = 0, main = S->nbeam - S->nkept, kept_main = 0;
    for (size_t i = 0; i < S->nbeam; i++) {
        if (advance(S, S->beam[i], true)) {
            S->beam[kept++] = S->beam[i];
            kept_main += i < main;
        }
    }
    S->nbeam = kept;
    S->nkept = kept - kept_main;
    S->ntoks = k + 1;
    return true;
}

/* Runs the search for one codec; leaves the distinct results in S->cands. */
bool lf_splice_search(search *S, const lf_annot_codec *codec, size_t ntoks)
{
    lf_splice_free_candidates(S);
    S->codec = codec;
    S->ntoks = ntoks;
    memset(&S->spare[0], 0, sizeof S->spare[0]);
    S->beam[0] = &S->spare[0];
    S->nbeam = 1;
    S->nkept = 0;
    S->nnext = 0;
    size_t last_anomaly = 0;
    for (size_t k = 0; k < S->ntoks; k++)
        if (is_anomaly_tok(&S->toks[k]))
            last_anomaly = k;
    for (size_t k = 0; k < S->ntoks && S->nbeam > 0; k++) {
        for (size_t i = 0; i < S->nbeam; i++)
            expand(S, S->beam[i], k);
        prune(S);
        if (cut_when_aligned(S, k, last_anomaly))
            break;
    }
    return collect(S);
}
