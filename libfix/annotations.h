/*
 * annotations.h — inline pinyin annotations (網(wǎng)絡(luò)) and the damage a
 * byte-level annotation tool leaves in double-byte text: what the detection
 * and stripping code (annotations.c) shares with the splice solver
 * (splice.h: splice_sites.c, splice_search.c, splice_decide.c).
 */
#ifndef LIBFIX_ANNOTATIONS_H
#define LIBFIX_ANNOTATIONS_H

#include "internal.h"
#include "pinyin.h"

#include <unicode/ubrk.h>

/* A double-byte encoding seen as a table of its two-byte codes, built from an
 * ICU converter by lf_annotations_prepare. Lead bytes 0x81-0xFE, trail bytes
 * 0x40-0xFE. */
enum { LF_ANNOT_LEADS = 126, LF_ANNOT_TRAILS = 191 };

typedef struct lf_annot_codec {
    const char *name; /* static: "GBK", "Big5" */
    /* BMP code point of each two-byte code; 0 where the code is undefined. */
    uint16_t pair[LF_ANNOT_LEADS][LF_ANNOT_TRAILS];
    /* Two-byte code (lead << 8 | trail) of each BMP code point; 0 if none. */
    uint16_t encode[0x10000];
    /* The place of each code's character among the characters with
     * readings (lf_pinyin_char_index), NO_READINGS where it has none: the
     * solver asks whether a code reads a syllable for whole rows of codes. */
    uint16_t readings[LF_ANNOT_LEADS][LF_ANNOT_TRAILS];
} lf_annot_codec;

enum { LF_ANNOT_NO_READINGS = 0xFFFF };

enum { LF_ANNOT_CODECS = 2 };

/* The read-only data the pass keeps in the context (ctx->annotations). */
struct lf_annotations_data {
    lf_annot_codec codecs[LF_ANNOT_CODECS];
    /* ICU's Chinese word breaker, opened once: a call of the pass that
     * ranks by words clones it (ubrk_clone is thread-safe, a break iterator
     * in use is not), which costs a fifth of opening one. NULL without
     * ICU's word data. */
    UBreakIterator *words;
};

/* Code point of the two-byte code (lead, trail), or 0 when undefined. */
static inline uint32_t lf_annot_pair(const lf_annot_codec *c, unsigned lead, unsigned trail)
{
    if (lead < 0x81 || lead > 0xFE || trail < 0x40 || trail > 0xFE)
        return 0;
    return c->pair[lead - 0x81][trail - 0x40];
}

/* Whether the character of the two-byte code (lead, trail) reads syllable:
 * lf_pinyin_reads(lf_annot_pair(c, lead, trail), syllable), faster. */
static inline bool lf_annot_pair_reads(const lf_annot_codec *c, unsigned lead, unsigned trail, int syllable)
{
    if (lead < 0x81 || lead > 0xFE || trail < 0x40 || trail > 0xFE)
        return false;
    unsigned i = c->readings[lead - 0x81][trail - 0x40];
    return i != LF_ANNOT_NO_READINGS && lf_pinyin_index_reads((long)i, syllable);
}

/* The longest reading in brackets, in bytes: pinyin with tone marks is at
 * most 6 letters of up to 2 bytes each. */
enum { LF_ANNOT_MAX_BODY = 16 };

/* Parses the annotation whose open bracket, '(' or '[', is s[i]. Returns the
 * offset just past its close bracket and stores the syllable (an index for
 * lf_pinyin_reads), or returns 0 when s[i..] is not a bracketed syllable. */
size_t lf_annot_parse(const char *s, size_t len, size_t i, int *syllable);
/* Same for an annotation whose open bracket was lost: s[i..] is "pinyin)" or
 * "pinyin]". */
size_t lf_annot_parse_tail(const char *s, size_t len, size_t i, int *syllable);

/* Start of the UTF-8 character that ends just before s[i] (i > 0). */
size_t lf_annot_char_before(const char *s, size_t i);

/* What the document says about its annotations; built per call by
 * annotations.c, read by the solver. */
typedef struct lf_annot_page {
    const char *text;
    size_t len;
    bool traditional; /* more Traditional-only than Simplified-only characters */
    /* The page's dictionary: each character annotated on the page, with its
     * reading. Open addressing; cp 0 marks an empty slot. */
    uint32_t *dict_cp;
    int16_t *dict_syllable;
    size_t dict_cap;
    /* Page evidence: how often each character (key cp) and each pair of non-ASCII
     * characters (key first << 21 | second) occurs in the text with the
     * annotations removed. One word a slot, the key in its low 42 bits and
     * the count, which stops at 2^22 - 1, above them: every use of a count
     * is capped far below. Open addressing; 0 marks an empty slot. */
    uint64_t *bigram;
    size_t bigram_cap, bigram_keys;
    /* The counts of the characters of the BMP, which are most of the
     * evidence, by code point, stopping at 255: a page counts each of its
     * characters, and the solver asks for many. */
    uint8_t *unigram;
    bool evidence; /* the tables are built */
} lf_annot_page;

/* The page's reading for cp, or -1 when cp is not annotated on the page. */
int lf_annot_page_reading(const lf_annot_page *page, uint32_t cp);
/* How often the pair (a, b) occurs on the page; with a = 0, how often the
 * character b occurs (only non-ASCII characters are counted). Counts stop
 * at 255 or more; every use of one is capped far below. */
uint32_t lf_annot_page_bigram(const lf_annot_page *page, uint32_t a, uint32_t b);

/* Finds the next damaged site at or after from: a '?' that swallowed a lead
 * byte, a private-use character or a stray euro sign, widened to the
 * character before it (with its annotation) and to the point where the
 * decoding realigned. Returns false when there is none. */
bool lf_splice_next(const char *s, size_t len, size_t from, size_t *start, size_t *end);

typedef enum lf_splice_verdict {
    LF_SPLICE_NONE,      /* the site is explained without damage: leave it */
    LF_SPLICE_REPAIRED,  /* one reconstruction clearly wins: text holds it */
    LF_SPLICE_AMBIGUOUS, /* none or several fit: leave the span; note lists them */
} lf_splice_verdict;

typedef struct lf_splice_result {
    lf_splice_verdict verdict;
    size_t end;         /* the site ends here, at or before the end asked */
    const char *codec;  /* name of the encoding that explains the site */
    double confidence;
    lf_buf text;        /* the rebuilt span (REPAIRED) */
    lf_buf note;        /* candidates, for the report */
} lf_splice_result;

/* Scratch space for lf_splice_solve, one per call of the pass (12 MB of
 * address space, of which a search touches only the entries it uses);
 * lf_splice_work_new returns NULL when out of memory. */
typedef struct lf_splice_work lf_splice_work;
lf_splice_work *lf_splice_work_new(void);
void lf_splice_work_free(lf_splice_work *w);

/* Rebuilds s[start..end) (a span from lf_splice_next), or a shorter span
 * s[start..res->end) once the rest decodes the same under every
 * reconstruction. The result's buffers
 * are the caller's to free, also on failure; fails only with LF_ERR_NOMEM. */
lf_status lf_splice_solve(const struct lf_annotations_data *data, const lf_annot_page *page,
                          lf_splice_work *w, const char *s, size_t start, size_t end,
                          bool keep_annotations, lf_splice_result *res, lf_error *err);

#endif /* LIBFIX_ANNOTATIONS_H */
