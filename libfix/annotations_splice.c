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
 * goes unannotated. The search is a beam over the site's tokens (a token
 * adds fixed bytes, or branches over an unknown byte or a half-/full-width
 * choice); hypotheses with the same future are merged. Survivors are ranked
 * by plausibility, page evidence and ICU's word dictionary; only a clear
 * winner that reads as clean text is applied, anything else is reported as
 * ambiguous with its candidates. Lost bytes (a lead byte that swallowed an
 * ASCII byte other than '(') are not guessed.
 */
#include "annotations.h"

#include "pinyin.h"
#include "plausibility.h"

#include <stdlib.h>
#include <string.h>
#include <unicode/ubrk.h>
#include <unicode/ustring.h>

enum {
    MAX_TOKENS = 192,
    MAX_BYTES = 2 * MAX_TOKENS,
    BEAM = 64,        /* hypotheses kept after each token */
    PER_STATE = 16,   /* of which at most this many share a future */
    MAX_LISTED = 5,   /* candidates named in a note */
    MAX_RANKED = 32,  /* distinct results ranked by words */
};

/* Score units. An insertion explained by a character the page annotates
 * with that reading counts most, more than all other evidence of a site
 * together: the tool's dictionary is what the page shows annotated, and a
 * character it annotates but the page never shows aligned (請 in seed 003)
 * is the explanation only when no annotated one fits. Then a pair of characters seen elsewhere on the page,
 * then how common a character is on the page (log scale), then its
 * frequency class. The complete results are then ranked by how many of
 * their characters ICU's Chinese word dictionary puts inside words (信息 is
 * a word, 信溪 is not). The winner must lead by CLEAR_MARGIN. */
enum {
    BIGRAM = 4,
    BIGRAM_CAP = 3,
    DICTIONARY = 36,
    UNIGRAM_CAP = 3,
    RARE = 2,
    OTHER_SCRIPT = 4,
    NOT_HAN = 6,
    WORD = 5,
    WORD_PAIR = 6,
    AFTER = 3,
    AFTER_CAP = 6,
    CLEAR_MARGIN = 9,
};

typedef enum tok_kind {
    TK_CHAR,  /* a character, re-encoded as it is */
    TK_ANN,   /* "(pinyin)": inserted by the tool, removed */
    TK_QTAIL, /* "?pinyin)": an unknown lead byte that swallowed the '(' */
    TK_BTAIL, /* "芠kē]": a lead byte that took the '[' (0x5B) as its trail */
    TK_Q,     /* '?': a real question mark or a lead byte left at a chunk's end */
} tok_kind;

typedef struct tok {
    tok_kind kind;
    size_t start, end; /* in the text */
    uint32_t cp;       /* TK_CHAR, TK_BTAIL */
    int syllable;      /* TK_ANN, TK_QTAIL, TK_BTAIL */
    size_t tail;       /* TK_QTAIL, TK_BTAIL: where "pinyin)" starts */
} tok;

/* One partial reconstruction: the bytes rebuilt from the tokens read so far
 * and where the removed annotations were. */
typedef struct hyp {
    int score;
    uint16_t nbytes;
    uint16_t decoded;  /* bytes[0..decoded) are whole characters, scored */
    uint16_t checked;  /* pairs starting before this passed the dictionary check */
    uint16_t nins;
    bool skip;         /* the next token was already used */
    uint8_t guesses;   /* bytes chosen where nothing but plausibility decides:
                          a lead byte at a chunk cut, or a trail byte and the
                          ASCII byte lost with it; the first at bytes[guess] */
    bool guess_lost;   /* the first guess is of the second kind */
    uint16_t guess;
    uint32_t prev;     /* the last decoded character */
    uint16_t ins_pos[MAX_TOKENS / 2]; /* annotation followed bytes[pos-2..pos) */
    uint8_t ins_tok[MAX_TOKENS / 2];
    uint8_t bytes[MAX_BYTES];
} hyp;

typedef struct candidate {
    int score;
    bool reread; /* reads a zhuyin letter of the damaged text as part of a character */
    bool unsupported; /* a lead byte was guessed and the page does not back it */
    lf_buf text;
} candidate;

typedef struct search {
    const lf_annot_codec *codec;
    const lf_annot_page *page;
    const char *s;
    bool keep;
    tok toks[MAX_TOKENS];
    size_t ntoks;
    hyp *beam, *next;  /* BEAM and next_cap entries, in the lf_splice_work */
    hyp **order;       /* next_cap entries: next, sorted */
    size_t nbeam, nnext, next_cap;
    candidate cands[MAX_RANKED];
    size_t ncands;     /* distinct complete reconstructions seen (listed or not) */
    UBreakIterator **words; /* the lf_splice_work's, NULL until first used */
    /* For the TK_QTAIL token memo_tok under memo_codec: for each byte b
     * before it (memo_known[b]), the lead bytes L (bit L - 0x81) whose pair
     * (b, L) reads its syllable. Every hypothesis in the beam asks. */
    size_t memo_tok;
    const lf_annot_codec *memo_codec;
    bool memo_known[256];
    uint64_t memo_leads[256][2];
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

static bool is_han(uint32_t cp)
{
    return cp >= 0x3400 && cp < 0xA000;
}

/* ------------------------------------------------------------ finding sites */

/* The end of "pinyin]" at s[i..] when the reading parses and the bracket is
 * ']', else 0. */
static size_t square_tail(const char *s, size_t len, size_t i, int *syllable)
{
    size_t k = lf_annot_parse_tail(s, len, i, syllable);
    return k && s[k - 1] == ']' ? k : 0;
}

/* Whether s[i..] is a non-ASCII character directly followed by "pinyin]":
 * a lead byte before an annotation's '[' (0x5B, a valid trail byte) decodes
 * with it as one character. Stores the tail's start and end. */
static bool swallowed_square(const char *s, size_t len, size_t i, size_t *tail, size_t *end, int *syllable)
{
    uint32_t cp;
    size_t n = lf_utf8_decode(s + i, len - i, &cp);
    if (n < 2 || cp == 0x20AC || (cp >= 0xB7 && cp <= 0x2FF) || (cp >= 0x3105 && cp <= 0x312F))
        return false;
    *tail = i + n;
    *end = square_tail(s, len, i + n, syllable);
    return *end != 0;
}

/* At a ']': the start of the character that swallowed its annotation's
 * '[', or SIZE_MAX. The reading is at most MAX_TAIL bytes. */
enum { MAX_TAIL = 24 };

static size_t square_anomaly(const char *s, size_t len, size_t from, size_t i)
{
    size_t b = i;
    while (b > from && i - b <= MAX_TAIL) {
        size_t p = lf_annot_char_before(s, b);
        unsigned char c = (unsigned char)s[p];
        if (c == '[' || (c < 0x80 && !(c >= 'a' && c <= 'z') && !(c >= '1' && c <= '5')))
            return SIZE_MAX;
        if (c >= 0x80) {
            size_t tail, end;
            int syl;
            if (p >= from && swallowed_square(s, len, p, &tail, &end, &syl) && end == i + 1)
                return p;
        }
        b = p;
    }
    return SIZE_MAX;
}

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

/* A letter or tone mark of zhuyin. Zhuyin letters are double-byte in GBK
 * and Big5, so the tool's later byte matches also land inside an earlier
 * annotation: 國(ㄍ?ㄊㄨㄥ)瑷郇@). */
static bool is_zhuyin(uint32_t cp)
{
    return (cp >= 0x3105 && cp <= 0x312F) || cp == 0x02C7 || cp == 0x02CA || cp == 0x02CB || cp == 0x02D9;
}

/* When the character at p (which ends before a) is inside the body of a
 * bracketed zhuyin annotation, the start of the character it annotates;
 * else p. */
static size_t annotated_char(const char *s, size_t from, size_t p, size_t a)
{
    size_t q = p;
    for (int n = 0; q > from && n < 8; n++) {
        uint32_t cp;
        if (s[q] == '(' || s[q] == '[')
            return q > from ? lf_annot_char_before(s, q) : p;
        if (lf_utf8_decode(s + q, a - q, &cp) == 0 || !is_zhuyin(cp))
            return p;
        q = lf_annot_char_before(s, q);
    }
    return p;
}

/* The site starts at the character before the anomaly, or before that
 * character's annotation: its bytes take part in the pairs. */
static size_t site_start(const char *s, size_t from, size_t a)
{
    if (a <= from)
        return from;
    size_t p = annotated_char(s, from, lf_annot_char_before(s, a), a);
    if (s[p] == ')' || s[p] == ']') {
        for (size_t o = p; o > from && a - o <= 20; o--) {
            int syl;
            if ((s[o - 1] == '(' || s[o - 1] == '[') && lf_annot_parse(s, a, o - 1, &syl) == a) {
                p = o - 1 > from ? lf_annot_char_before(s, o - 1) : from;
                break;
            }
        }
    }
    return p < from ? from : p;
}

/* An ASCII character realigns the decoding after it, unless it was a
 * full-width form decoded from a misaligned pair and folded afterwards; a
 * space, or two ASCII characters in a row, cannot be that. */
static bool surely_ascii(const char *s, size_t len, size_t j)
{
    return s[j] == ' ' || s[j] == '\t' || j + 1 == len || ((unsigned char)s[j + 1] < 0x80 && s[j + 1] != '?');
}

/* The site ends where the decoding has surely realigned, after any
 * annotation that follows, or at the end of the line. */
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
        size_t tail;
        if ((unsigned char)s[j] >= 0x80 && swallowed_square(s, len, j, &tail, &k, &syl)) {
            j = k;
            continue;
        }
        if ((unsigned char)s[j] < 0x80 && surely_ascii(s, len, j)) {
            j++;
            /* the close bracket of an annotation the damage was inside */
            if (j < len && (s[j] == ')' || s[j] == ']'))
                j++;
            while ((k = lf_annot_parse(s, len, j, &syl)))
                j = k;
            /* the rest of an annotation an insertion split after its '[' */
            if ((k = square_tail(s, len, j, &syl)))
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
        size_t a = i;
        int syl;
        if (c == ']')
            a = square_anomaly(s, len, from, i);
        else if (c == '[' && lf_annot_parse(s, len, i + 1, &syl))
            a = i; /* 等[[jia1]deng3]: the pair of 等's trail byte and '[' reads jiā */
        else if ((c != '?' && c != 0xEE && c != 0xEF && c != 0xE2) || !is_anomaly(s, len, i))
            continue;
        if (a == SIZE_MAX)
            continue;
        *start = site_start(s, from, a);
        *end = site_end(s, len, a);
        return true;
    }
    return false;
}

/* ------------------------------------------------------------ the search */

/* Splits s[start..end) into tokens. A longer site is cut at MAX_TOKENS: a
 * reconstruction must then be aligned at the cut to count. */
static void tokenize(search *S, size_t start, size_t end)
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
        } else if ((unsigned char)s[i] >= 0x80 && swallowed_square(s, end, i, &t->tail, &k, &t->syllable)) {
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
            if (!clean_char(cp))
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
        if (is_han(h->prev) && is_han(cp) && lf_plausibility_is_word_pair(h->prev, cp))
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

/* Adds h (a copy of a beam entry, changed) to the next beam if it holds. */
static void offer(search *S, hyp *h, bool final)
{
    if (!advance(S, h, final) || S->nnext == S->next_cap)
        return;
    S->next[S->nnext++] = *h;
}

static void push_byte(hyp *h, uint8_t b)
{
    h->bytes[h->nbytes++] = b;
}

/* Records that the annotation of token k followed the bytes so far; false
 * when those bytes do not end with a character of that reading. */
static bool push_insertion(const search *S, hyp *h, size_t k)
{
    if (h->nbytes < 2 || h->nins == MAX_TOKENS / 2)
        return false;
    uint32_t cp = pair_at(S, h, h->nbytes - 2u);
    int syl = S->toks[k].syllable;
    if (!lf_pinyin_reads(cp, syl))
        return false;
    if (lf_annot_page_reading(S->page, cp) == syl)
        h->score += DICTIONARY;
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
    return (t->kind == TK_CHAR || t->kind == TK_Q) && is_delim(t->cp);
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
            if (lf_pinyin_reads(lf_annot_pair(S->codec, b, lead), S->toks[k].syllable))
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
    return x != '(' && !is_delim(x) && x != ',' && x != ':';
}

/* A '?' after a pending byte may be that byte's trail and the ASCII byte
 * after it, both lost: the decoder, one byte off, read them as one pair
 * (the displaced byte of a chain before a line break, a space, a digit).
 * Only characters the page shows are tried, each with a line break and
 * with the bytes the page shows after it. */
static void expand_lost(search *S, const hyp *h, bool final)
{
    unsigned lead = h->bytes[h->nbytes - 1];
    for (unsigned trail = 0x40; trail <= 0xFE; trail++) {
        uint32_t cp = lf_annot_pair(S->codec, lead, trail);
        if (!clean_char(cp) || lf_annot_page_bigram(S->page, 0, cp) == 0)
            continue;
        for (unsigned x = 1; x < 0x40; x++) {
            if (!single_byte_after_han(x) || (x != '\n' && lf_annot_page_bigram(S->page, cp, x) == 0))
                continue;
            hyp c = *h;
            if (c.guesses++ == 0) {
                c.guess = (uint16_t)(c.nbytes - 1);
                c.guess_lost = true;
            }
            push_byte(&c, (uint8_t)trail);
            push_byte(&c, (uint8_t)x);
            offer(S, &c, final);
        }
    }
}

/* Every way token k continues hypothesis h. */
static void expand(search *S, const hyp *h, size_t k)
{
    const tok *t = &S->toks[k];
    bool final = k + 1 == S->ntoks;
    hyp c = *h;
    if (h->skip) {
        c.skip = false;
        offer(S, &c, final);
        return;
    }
    switch (t->kind) {
    case TK_CHAR:
    case TK_Q:
        if (push_char(S, &c, t->cp))
            offer(S, &c, final);
        /* Half-width ASCII may have been full-width before the page was
         * folded. That matters only where the decoding was misaligned (a
         * byte is pending) or where the next token's insertion may follow
         * a pair that starts with its trail byte (：通 holds BA CD = 和):
         * elsewhere both read the same. */
        if (t->cp > 0x20 && t->cp < 0x7F && (h->decoded < h->nbytes || next_is_tail(S, k))) {
            c = *h;
            if (push_char(S, &c, t->cp + 0xFEE0))
                offer(S, &c, final);
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
                if (!clean_char(lf_annot_pair(S->codec, lead, code >> 8)))
                    continue;
                c = *h;
                if (c.guesses++ == 0)
                    c.guess = c.nbytes;
                push_byte(&c, (uint8_t)lead);
                push_char(S, &c, delim);
                c.skip = true;
                offer(S, &c, false);
            }
        }
        break;
    case TK_ANN:
        if (push_insertion(S, &c, k))
            offer(S, &c, final);
        break;
    case TK_QTAIL: {
        /* A lead byte swallowed the '(' of the annotation: with the byte
         * before it, it forms a character of that reading. */
        const uint64_t *leads = h->nbytes > 0 ? reading_leads(S, k, h->bytes[h->nbytes - 1]) : NULL;
        for (unsigned lead = 0x81; leads && lead <= 0xFE; lead++) {
            if (!(leads[(lead - 0x81) >> 6] >> ((lead - 0x81) & 63) & 1))
                continue;
            c = *h;
            push_byte(&c, (uint8_t)lead);
            if (push_insertion(S, &c, k))
                offer(S, &c, final);
        }
        break;
    }
    case TK_BTAIL: {
        /* The character is a lead byte and the '[': the lead is known, and
         * with the byte before it forms a character of that reading. */
        uint16_t code = t->cp <= 0xFFFF ? S->codec->encode[t->cp] : 0;
        if ((code & 0xFF) != '[' || h->nbytes == 0)
            break;
        push_byte(&c, (uint8_t)(code >> 8));
        if (push_insertion(S, &c, k))
            offer(S, &c, final);
        break;
    }
    }
}

/* Two hypotheses with the same last bytes, pending byte, last character and
 * recent annotations continue alike: only the best PER_STATE of them are kept. */
static int state_cmp(const hyp *x, const hyp *y)
{
    size_t xt = x->nins ? x->nbytes - x->ins_pos[x->nins - 1] : 9;
    size_t yt = y->nins ? y->nbytes - y->ins_pos[y->nins - 1] : 9;
    int64_t d = (int64_t)(xt > 2 ? 3 : xt) - (int64_t)(yt > 2 ? 3 : yt);
    if (!d)
        d = (int64_t)(x->nbytes - x->decoded) - (int64_t)(y->nbytes - y->decoded);
    if (!d)
        d = (int64_t)x->skip - (int64_t)y->skip;
    if (!d)
        d = (int64_t)x->prev - (int64_t)y->prev;
    for (int i = 1; !d && i <= 2; i++)
        d = (int64_t)(x->nbytes >= i ? x->bytes[x->nbytes - i] : 256) -
            (int64_t)(y->nbytes >= i ? y->bytes[y->nbytes - i] : 256);
    return (d > 0) - (d < 0);
}

static int by_state_then_score(const void *a, const void *b)
{
    const hyp *x = *(const hyp *const *)a, *y = *(const hyp *const *)b;
    int c = state_cmp(x, y);
    return c ? c : (y->score > x->score) - (y->score < x->score);
}

static int by_score(const void *a, const void *b)
{
    const hyp *x = *(const hyp *const *)a, *y = *(const hyp *const *)b;
    return (y->score > x->score) - (y->score < x->score);
}

/* Keeps the best BEAM of next (at most PER_STATE per state) as the beam.
 * Sorts pointers: the hypotheses are large. */
static void prune(search *S)
{
    for (size_t i = 0; i < S->nnext; i++)
        S->order[i] = &S->next[i];
    qsort(S->order, S->nnext, sizeof *S->order, by_state_then_score);
    size_t kept = 0;
    for (size_t i = 0, same = 0; i < S->nnext; i++) {
        same = (i > 0 && state_cmp(S->order[i], S->order[i - 1]) == 0) ? same + 1 : 0;
        if (same < PER_STATE)
            S->order[kept++] = S->order[i];
    }
    qsort(S->order, kept, sizeof *S->order, by_score);
    S->nbeam = kept < BEAM ? kept : BEAM;
    for (size_t i = 0; i < S->nbeam; i++)
        S->beam[i] = *S->order[i];
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

/* The text of a complete hypothesis: its characters, folded to half-width as
 * the page was, with the annotations of whole characters when they are kept. */
static bool render(const search *S, const hyp *h, lf_buf *b)
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
    if (!S->keep)
        strip_verified(b);
    return true;
}

static void free_candidates(search *S)
{
    for (size_t i = 0; i < S->ncands && i < MAX_RANKED; i++)
        lf_buf_free(&S->cands[i].text);
    S->ncands = 0;
}

static bool is_zhuyin_tok(const tok *t)
{
    return t->kind == TK_CHAR && is_zhuyin(t->cp);
}

/* An annotation's tail whose reading is written in zhuyin. */
static bool zhuyin_tail(const search *S, const tok *t)
{
    uint32_t cp;
    return (t->kind == TK_QTAIL || t->kind == TK_BTAIL) && lf_utf8_decode(S->s + t->tail, t->end - t->tail, &cp) &&
           is_zhuyin(cp);
}

/* A zhuyin letter of the damaged site that stands in an annotation's body:
 * next to another, to a bracket or to an annotation's tail. (A lone one
 * between characters is a misaligned pair: 定中 read as 贫ㄖ械.) */
static bool zhuyin_in_body(const search *S, size_t k)
{
    if (!is_zhuyin_tok(&S->toks[k]))
        return false;
    const tok *p = k > 0 ? &S->toks[k - 1] : NULL, *n = k + 1 < S->ntoks ? &S->toks[k + 1] : NULL;
    return (p && (is_zhuyin_tok(p) || (p->kind == TK_CHAR && (p->cp == '(' || p->cp == '[')))) ||
           (n && (is_zhuyin_tok(n) || zhuyin_tail(S, n) || (n->kind == TK_CHAR && (n->cp == ')' || n->cp == ']'))));
}

/* Zhuyin letters are double-byte and in a page's annotations. A
 * reconstruction that has fewer of them than the damaged site shows in
 * annotation bodies read some as halves of characters: the bracket of that
 * annotation was lost where nothing models it (a '(' swallowed by a
 * displaced byte), and the characters it made up are not evidence. */
static bool rereads_zhuyin(const search *S, const hyp *h)
{
    size_t seen = 0, made = 0;
    for (size_t k = 0; k < S->ntoks; k++)
        seen += zhuyin_in_body(S, k);
    for (size_t i = 0; i < h->nbytes;) {
        if (h->bytes[i] < 0x81) {
            i++;
            continue;
        }
        made += is_zhuyin(pair_at(S, h, i));
        i += 2;
    }
    return made < seen;
}

/* Whether a guess is backed by the page: the character a lead byte guessed
 * at a chunk cut makes stands next to the same neighbour elsewhere on the
 * page (規模 of 規?;, which the page shows nine more times); a character
 * whose trail byte was lost with the byte after it stands next to both
 * neighbours elsewhere (日報 and 報 followed by a space). A guess the page
 * does not back rests on general plausibility only: never confident. */
static bool guess_supported(const search *S, const hyp *h)
{
    if (h->guesses == 0)
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
    return h->guess_lost ? before && after : before || after;
}

/* Collects the distinct texts of the final beam, best first. */
static bool collect(search *S)
{
    lf_buf text;
    lf_buf_init(&text);
    for (size_t i = 0; i < S->nbeam; i++) {
        lf_buf_clear(&text);
        if (!render(S, &S->beam[i], &text)) {
            lf_buf_free(&text);
            return false;
        }
        size_t j = 0, listed = S->ncands < MAX_RANKED ? S->ncands : MAX_RANKED;
        while (j < listed && !(S->cands[j].text.len == text.len &&
                               memcmp(S->cands[j].text.data, text.data ? text.data : "", text.len) == 0))
            j++;
        if (j < listed)
            continue;
        if (S->ncands < MAX_RANKED) {
            S->cands[S->ncands].score = S->beam[i].score;
            S->cands[S->ncands].reread = rereads_zhuyin(S, &S->beam[i]);
            S->cands[S->ncands].unsupported = !guess_supported(S, &S->beam[i]);
            S->cands[S->ncands].text = text;
            lf_buf_init(&text);
        }
        S->ncands++;
    }
    lf_buf_free(&text);
    return true;
}

/* How many Han characters of text ICU's dictionary-based word breaking puts
 * inside words of two or more characters, or -1 when out of memory. bi is
 * reused across calls. */
static int word_chars(UBreakIterator *bi, const lf_buf *text)
{
    UErrorCode status = U_ZERO_ERROR;
    int32_t n = 0;
    u_strFromUTF8(NULL, 0, &n, text->data ? text->data : "", (int32_t)text->len, &status);
    status = U_ZERO_ERROR;
    UChar *buf = malloc(((size_t)n + 1) * sizeof *buf);
    if (!buf)
        return -1;
    u_strFromUTF8(buf, n + 1, &n, text->data ? text->data : "", (int32_t)text->len, &status);
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
    free(buf);
    return status == U_MEMORY_ALLOCATION_ERROR ? -1 : count;
}

static int by_candidate_score(const void *a, const void *b)
{
    const candidate *x = a, *y = b;
    return (y->score > x->score) - (y->score < x->score);
}

/* Up to WORD_CONTEXT Han characters that touch the site on each side: words
 * run across the site's edges (数字化 of 数字?zhǐ)?huà)平). */
enum { WORD_CONTEXT = 3 };

static size_t han_before(const char *s, size_t start)
{
    size_t i = start;
    for (int n = 0; i > 0 && n < WORD_CONTEXT; n++) {
        size_t p = lf_annot_char_before(s, i);
        uint32_t cp;
        if (!lf_utf8_decode(s + p, i - p, &cp) || !is_han(cp))
            break;
        i = p;
    }
    return i;
}

static size_t han_after(const char *s, size_t len, size_t end)
{
    size_t i = end;
    for (int n = 0; i < len && n < WORD_CONTEXT; n++) {
        uint32_t cp;
        size_t k = lf_utf8_decode(s + i, len - i, &cp);
        if (!k || !is_han(cp))
            break;
        i += k;
    }
    return i;
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
 * The break iterator is opened once per call of the pass, at its first use. */
static bool rank_by_words(search *S)
{
    size_t n = S->ncands < MAX_RANKED ? S->ncands : MAX_RANKED;
    if (n < 2)
        return true;
    if (!*S->words) {
        UErrorCode status = U_ZERO_ERROR;
        *S->words = ubrk_open(UBRK_WORD, "zh", NULL, 0, &status);
        if (U_FAILURE(status)) {
            *S->words = NULL;
            return status != U_MEMORY_ALLOCATION_ERROR;
        }
    }
    size_t start = S->toks[0].start, end = S->toks[S->ntoks - 1].end;
    size_t before = han_before(S->s, start), after = han_after(S->s, S->page->len, end);
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
        ok = (from > 0 || lf_buf_append(&text, S->s + before, start - before)) &&
             lf_buf_append(&text, d + from, to - from) &&
             (to < c->len || lf_buf_append(&text, S->s + end, after - end));
        int words = ok ? word_chars(*S->words, &text) : -1;
        ok = words >= 0;
        S->cands[i].score += WORD * words;
    }
    lf_buf_free(&text);
    qsort(S->cands, n, sizeof *S->cands, by_candidate_score);
    return ok;
}

static bool is_anomaly_tok(const tok *t)
{
    return t->kind == TK_QTAIL || t->kind == TK_BTAIL || t->kind == TK_Q ||
           (t->kind == TK_CHAR && ((t->cp >= 0xE000 && t->cp <= 0xF8FF) || t->cp == 0x20AC));
}

/* Whether token k is inside the rest of an annotation that an insertion
 * split after its '[' (等[[jia1]deng3]): ASCII since the last removed
 * annotation, which a "pinyin]" tail follows that ends after token k. */
static bool inside_split_tail(const search *S, size_t k)
{
    for (size_t j = k + 1; j-- > 0;) {
        const tok *t = &S->toks[j];
        if (t->kind == TK_ANN) {
            int syl;
            return square_tail(S->s, S->toks[S->ntoks - 1].end, t->end, &syl) > S->toks[k].end;
        }
        if (t->kind != TK_CHAR || t->cp >= 0x80)
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
        if (S->beam[i].decoded != S->beam[i].nbytes || S->beam[i].skip)
            return false;
    size_t kept = 0;
    for (size_t i = 0; i < S->nbeam; i++)
        if (advance(S, &S->beam[i], true))
            S->beam[kept++] = S->beam[i];
    S->nbeam = kept;
    S->ntoks = k + 1;
    return true;
}

/* Runs the search for one codec; leaves the distinct results in S->cands. */
static bool solve_with(search *S, const lf_annot_codec *codec, size_t ntoks)
{
    free_candidates(S);
    S->codec = codec;
    S->ntoks = ntoks;
    memset(&S->beam[0], 0, sizeof S->beam[0]);
    S->nbeam = 1;
    S->nnext = 0;
    size_t last_anomaly = 0;
    for (size_t k = 0; k < S->ntoks; k++)
        if (is_anomaly_tok(&S->toks[k]))
            last_anomaly = k;
    for (size_t k = 0; k < S->ntoks && S->nbeam > 0; k++) {
        for (size_t i = 0; i < S->nbeam; i++)
            expand(S, &S->beam[i], k);
        prune(S);
        if (cut_when_aligned(S, k, last_anomaly))
            break;
    }
    return collect(S) && rank_by_words(S);
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
        if (lone && is_han(prev2) && is_han(cp))
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
    } else if (margin >= CLEAR_MARGIN && !best->reread && !best->unsupported && plausible_text(S, &best->text) &&
               !residual_damage(&best->text)) {
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

/* Per-call scratch space: one search and its beams, reused for every site of
 * a call so that a page with many sites allocates once. */
struct lf_splice_work {
    search S;
    UBreakIterator *words;
    hyp beam[BEAM];
    hyp next[BEAM * (0xFE - 0x81 + 3)]; /* each hypothesis has at most 128 continuations */
    hyp *order[BEAM * (0xFE - 0x81 + 3)];
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
    memset(S, 0, sizeof *S);
    S->page = page;
    S->s = s;
    S->keep = keep_annotations;
    S->beam = w->beam;
    S->next = w->next;
    S->order = w->order;
    S->words = &w->words;
    S->next_cap = sizeof w->next / sizeof w->next[0];
    res->verdict = LF_SPLICE_AMBIGUOUS;
    res->codec = "";
    res->end = end;
    tokenize(S, start, end);
    /* The first encoding under which the site has a reconstruction explains it. */
    bool ok = true;
    size_t ntoks = S->ntoks;
    for (size_t c = 0; ok && c < LF_ANNOT_CODECS; c++)
        if (!(ok = solve_with(S, &data->codecs[c], ntoks)) || S->ncands > 0)
            break;
    res->end = S->ntoks ? S->toks[S->ntoks - 1].end : end;
    lf_status st = ok ? decide(S, res, err) : lf_nomem(err);
    free_candidates(S);
    return st;
}
