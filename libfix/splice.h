/*
 * splice.h — the splice solver: rebuilding the characters a byte-level
 * annotation tool broke. What its three files share; annotations.h has the
 * interface the pass uses (lf_splice_next, lf_splice_solve).
 *
 * The damage (seed 003): the tool inserted "(pinyin)" into GBK bytes after
 * every two-byte match of a dictionary character, also matches straddling
 * two characters (日報 = C8 D5|88 F3 holds D5 88 = 請), and the bytes were
 * later cut in chunks before byte matches of ；？！ and decoded chunk by
 * chunk. A lead byte followed by '(' became a '?' that swallowed the '(',
 * a lead byte before '[' (0x5B, a valid trail byte) became one character
 * with it, a lead byte left alone at a chunk's end became '?', undefined
 * codes became private-use characters, and a displaced trail byte paired
 * with the next lead byte until an ASCII byte realigned the stream (the
 * last pair, trail byte and ASCII byte, a '?' that lost both).
 *
 * splice_sites.c finds the damaged sites. splice_search.c re-encodes a site,
 * treats each swallowed byte as unknown, removes the inserted annotations
 * and searches the unknown bytes for which the rebuilt bytes decode to
 * valid characters, each removed annotation follows a pair that reads it,
 * and no pair of a character annotated elsewhere on the page goes
 * unannotated: a beam over the site's tokens (a token adds fixed bytes, or
 * branches over an unknown byte or a half-/full-width choice), hypotheses
 * with the same future merged. splice_decide.c ranks the survivors by ICU's
 * word dictionary on top of their plausibility and page evidence; only a
 * clear winner that reads as clean text, and whose guessed bytes the page
 * backs, is applied; anything else is reported as ambiguous with its
 * candidates.
 */
#ifndef LIBFIX_SPLICE_H
#define LIBFIX_SPLICE_H

#include "annotations.h"

#include <unicode/ubrk.h>

enum {
    MAX_TOKENS = 192,
    MAX_BYTES = 2 * MAX_TOKENS,
    BEAM = 64,        /* hypotheses kept after each token */
    RIVALS_KEPT = 4,  /* and at most this many rival choices at annotated tails (prune) */
    BEAM_KEPT = BEAM + RIVALS_KEPT,
    PER_STATE = 16,   /* of which at most this many share a future */
    MAX_LISTED = 5,   /* candidates named in a note */
    MAX_RANKED = 32 + RIVALS_KEPT, /* distinct results ranked by words: 32 and the rivals' */
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
    uint8_t verified;  /* of the guesses, those that close a zhuyin annotation
                          that then reads its character */
    uint16_t guess;
    uint8_t annotated; /* a hash of the lead bytes guessed at tails whose pairs the
                          page annotates with their readings, 0 for none: which
                          choices there prune keeps apart */
    uint32_t prev;     /* the last decoded character */
    uint16_t ins_pos[MAX_TOKENS / 2]; /* annotation followed bytes[pos-2..pos) */
    uint8_t ins_tok[MAX_TOKENS / 2];
    uint8_t bytes[MAX_BYTES];
} hyp;

/* A distinct complete reconstruction. */
typedef struct candidate {
    int score;
    bool reread; /* reads a zhuyin letter of the damaged text as part of a character */
    bool unsupported; /* a lead byte was guessed and the page does not back it */
    bool unlike;      /* two straddled tails rebuilt unlike (straddled_unlike) */
    uint8_t guesses;  /* bytes guessed, as in its hyp */
    int words;        /* Han characters inside words around the site (rank_by_words) */
    lf_buf text;
} candidate;

/* A hypothesis of the next beam as prune sorts it: its state (see
 * splice_search.c) as one number, its score and its place in the next beam. */
typedef struct beam_rank {
    uint64_t state;
    int score;
    uint32_t index;
} beam_rank;

/* One site's search: its tokens, beams and results. */
typedef struct search {
    const lf_annot_codec *codec;
    const lf_annot_page *page;
    const char *s;
    bool keep;
    size_t ntoks;
    /* The beam is BEAM pointers to the hypotheses the last prune kept,
     * which stay where they were built, in spare; the next beam is built in
     * next; prune swaps the two (next_cap entries each, in the
     * lf_splice_work), so that no hypothesis is copied to be kept. */
    hyp **beam, *next, *spare;
    beam_rank *order;  /* next_cap entries: next, sorted */
    beam_rank *order_tmp; /* next_cap entries, for sorting */
    size_t nbeam, nnext, next_cap;
    size_t nkept;      /* of the beam, the last nkept are rival choices kept (prune) */
    size_t ncands;     /* distinct complete reconstructions seen (listed or not) */
    size_t nlisted;    /* of them, those in cands */
    UBreakIterator **words; /* the lf_splice_work's, NULL until first used */
    const UBreakIterator *word_model; /* what it is cloned from, or NULL */
    /* For the TK_QTAIL token memo_tok under memo_codec: for each byte b
     * before it (memo_known[b]), the lead bytes L (bit L - 0x81) whose pair
     * (b, L) reads its syllable. Every hypothesis in the beam asks. */
    size_t memo_tok;
    const lf_annot_codec *memo_codec;
    /* The arrays, last: a site's search clears the fields above only, the
     * arrays are written before they are read (toks[0..ntoks),
     * cands[0..ncands), the memo once memo_codec is set). */
    tok toks[MAX_TOKENS];
    candidate cands[MAX_RANKED];
    bool memo_known[256];
    uint64_t memo_leads[256][2];
} search;

static inline bool lf_splice_is_delim(uint32_t c)
{
    return c == ';' || c == '?' || c == '!';
}

/* Characters a clean GBK or Big5 page can contain: not private use. */
static inline bool lf_splice_clean_char(uint32_t cp)
{
    return cp != 0 && !(cp >= 0xE000 && cp <= 0xF8FF) && cp != 0xFFFD;
}

static inline bool lf_splice_is_han(uint32_t cp)
{
    return cp >= 0x3400 && cp < 0xA000;
}

/* A letter or tone mark of zhuyin. Zhuyin letters are double-byte in GBK
 * and Big5, so the tool's later byte matches also land inside an earlier
 * annotation: 國(ㄍ?ㄊㄨㄥ)瑷郇@). */
static inline bool lf_splice_is_zhuyin(uint32_t cp)
{
    return (cp >= 0x3105 && cp <= 0x312F) || cp == 0x02C7 || cp == 0x02CA || cp == 0x02CB || cp == 0x02D9;
}

/* splice_sites.c. The end of "pinyin]" at s[i..] when the reading parses
 * and the bracket is ']', else 0. */
size_t lf_splice_square_tail(const char *s, size_t len, size_t i, int *syllable);
/* Whether s[i..] is a non-ASCII character directly followed by "pinyin]"
 * (a lead byte that took an annotation's '[' as its trail); stores where the
 * tail starts and ends. */
bool lf_splice_swallowed_square(const char *s, size_t len, size_t i, size_t *tail, size_t *end, int *syllable);

/* splice_search.c. Splits s[start..end) into S's tokens. */
void lf_splice_tokenize(search *S, size_t start, size_t end);
/* Runs the search over S's first ntoks tokens under codec; leaves the
 * distinct results in S->cands (by beam score) and may shorten S->ntoks
 * (the site ends where every hypothesis realigned). False when out of
 * memory. */
bool lf_splice_search(search *S, const lf_annot_codec *codec, size_t ntoks);
/* Frees S's results. */
void lf_splice_free_candidates(search *S);

#endif /* LIBFIX_SPLICE_H */
