/*
 * mojibake.h — finding and reversing wrong decodings ("bytes of encoding X
 * were decoded as encoding Y") inside one line of UTF-8 text.
 *
 * Every encode and decode step goes through ICU converters. The context
 * keeps, per encoding, which BMP code points round-trip through it (taken
 * from ICU at context creation); converters themselves are opened per call
 * because ICU converters are not thread-safe.
 */
#ifndef LIBFIX_MOJIBAKE_H
#define LIBFIX_MOJIBAKE_H

#include "internal.h"

#include <unicode/ubrk.h>
#include <unicode/ucnv.h>

/* The encodings the chains are made of. */
enum lf_enc {
    LF_ENC_UTF8,
    LF_ENC_CP1252,
    LF_ENC_LATIN1,
    LF_ENC_MACROMAN,
    LF_ENC_CP1250,
    LF_ENC_CP1251,
    LF_ENC_CP1253,
    LF_ENC_CP1254,
    LF_ENC_CP1257,
    LF_ENC_LATIN2,
    LF_ENC_CP437,
    LF_ENC_GBK,
    LF_ENC_BIG5,
    LF_ENC_SJIS,
    LF_ENC_EUCKR,
    LF_ENC_CESU8, /* UTF-8 with characters beyond the BMP as two surrogates */
    LF_ENC_COUNT
};

/* What a byte or byte pair of a CJK encoding reads as (struct
 * lf_repair_data.pairs). */
enum {
    LF_PAIR_NONE = 0, /* no character: invalid, unassigned, or cut off */
    LF_PAIR_LOW,      /* a character below 0x80 */
    LF_PAIR_FITS,     /* one above, of the kind a right reading of the encoding holds */
    LF_PAIR_OTHER,    /* one above, of another kind */
};

/* Values of struct lf_repair_data.reading that are no character. */
enum {
    LF_READ_END = 0,    /* no reading: the search's stretches end here */
    LF_READ_ANY = 1,    /* nothing can be said: the search must look */
    LF_READ_OTHER = 2,  /* a character no repair between GBK and Big5 keeps */
    LF_READ_NOPAIR = 3, /* a Chinese character outside the BMP, in no dictionary pair */
};

/* Read-only data kept in the context (lf_context.repair). */
struct lf_repair_data {
    /* bmp[cp] has bit e set when U+cp round-trips through encoding e. */
    uint16_t *bmp;
    /* Bit c of lead[cp] is set when U+cp, written in chain c's wrong
     * encoding, starts with a byte that can start a non-ASCII character of
     * the chain's true encoding; of follow[cp], when that first byte can
     * follow such a lead; of pair[cp], when its own two bytes are lead and
     * follower. A line with neither a pair nor a lead before a follower
     * skips the chain. */
    uint32_t *lead, *follow, *pair;
    /* code[e - LF_ENC_GBK][cp]: the bytes of U+cp (from U+0080 on) in the
     * CJK encoding e, as b0 << 8 | b1, or b0 alone; 0 when it has none;
     * below U+0080 the one byte e writes it as. NULL when a character of e
     * has more than two. The pre-filter of the chains "UTF-8 read as" e
     * follows the search's stretches through them without ICU, and the
     * search writes the runs it reads as e with them. */
    uint16_t *code[4];
    /* For the two chains between GBK and Big5 (in chain order), what each
     * non-ASCII U+cp, written in the chain's wrong encoding, reads as in its
     * true one: a BMP character plausible_shape accepts in a Chinese
     * reading, or one of the LF_READ_ values. A line where no stretch reads
     * as Chinese with more dictionary words than it had skips the chain. */
    uint16_t *reading[2];
    /* pairs[e - LF_ENC_GBK]: what the CJK encoding e's bytes read as, by
     * the index of lf_mojibake_pairs_new's table, as one of LF_PAIR_;
     * NULL when a table cannot stand in for ICU. The search follows its
     * stretches through it. */
    uint8_t *pairs[4];
    /* chars[e - LF_ENC_GBK]: lf_mojibake_pairs_new's table of e, where
     * pairs is not NULL: the search decodes e's bytes through it. */
    uint16_t *chars[4];
    /* byte_of[e][cp]: the byte U+cp is in the single-byte encoding e, for
     * the characters bmp says e has; NULL for the other encodings. */
    uint8_t *byte_of[LF_ENC_COUNT];
    /* lf_plausibility_table_new's table. */
    uint16_t *classes;
    /* lf_mojibake_traits_new's table (mojibake_screen.h). */
    uint8_t *traits;
    /* ICU's word breaker for Chinese (lf_words_icu_open), cloned per use. */
    UBreakIterator *words;
};

/* Loads the round-trip sets from ICU into ctx->repair: LF_ERR_NOMEM or
 * LF_ERR_INTERNAL (a converter failed to open) on failure, with nothing
 * leaked. lf_mojibake_release frees them. Called by the repair pass's
 * prepare and release (repair.c). */
lf_status lf_mojibake_prepare(lf_context *ctx, lf_error *err);
void lf_mojibake_release(lf_context *ctx);

/* Entries of a pairs table: [b] is the character byte b >= 0x80 is by
 * itself, [b0 << 8 | b1] the one the pair b0 b1 is (for b0 that is not a
 * character by itself); 0 when none. [b] for b < 0x80 is the character
 * below 0x80 that byte is, always one (U+0000 included). */
#define LF_PAIRS_SIZE 0x10000

/* Makes *out, the pairs table of ICU's converter icu_name (malloc'd), or
 * leaves it NULL when the encoding has characters of more than two bytes or
 * bytes the table cannot describe. LF_ERR_NOMEM, or LF_ERR_INTERNAL when
 * the converter does not open. mojibake_pairs.c. */
lf_status lf_mojibake_pairs_new(const char *icu_name, uint16_t **out, lf_error *err);

/* How many scratch arrays a session keeps. */
#define LF_MOJIBAKE_SCRATCH 13

/* How many answers of the cost floor (mojibake.c, costs_enough) a session
 * keeps for the line it searches. */
#define LF_MOJIBAKE_KNOWN 32

struct lf_mojibake_known {
    size_t a, b; /* the line's characters [a, b) */
    bool enough; /* they cost MIN_GAIN or more */
};

/* How many full plausibility costs of the line's stretches (mojibake.c,
 * line_cost) a session keeps, by position; a later one may take the place
 * of an earlier. */
#define LF_MOJIBAKE_COSTS 256

struct lf_mojibake_cost {
    size_t a, b;            /* the line's characters [a, b) */
    uint32_t ctx[2], after; /* what they were scored beside */
    unsigned long line;     /* the session's line it was scored on; 0 for none */
    double cost;
};

/* The runs of a line's characters that one encoding has (bmp), as start
 * and end indexes one after the other in v[0..n). */
struct lf_mojibake_runs {
    size_t *v;
    size_t n, cap;
    /* For a single-byte encoding (byte_of), the byte of each character of
     * the runs, at its index in the line ([0..bytes_cap)); else unset. */
    char *bytes;
    size_t bytes_cap;
    unsigned long line; /* the session's line they are of; 0 for none */
};

/* Per-call state: converters opened on first use, scratch arrays. Lives on
 * the caller's stack between lf_mojibake_session_init and _free. */
typedef struct lf_mojibake_session {
    const struct lf_repair_data *data;
    UConverter *cnv[LF_ENC_COUNT];
    uint32_t *cp;   /* the line's code points */
    size_t *off;    /* byte offset of each, plus the line length at [n] */
    uint32_t *starts; /* chains a UTF-8 or double-byte character may start at each */
    uint16_t *encs;   /* the encodings each round-trips through (bmp) */
    /* The candidate search's scratch arrays (mojibake.c names them), grown
     * as needed and kept from line to line. */
    void *scratch[LF_MOJIBAKE_SCRATCH];
    size_t scratch_cap[LF_MOJIBAKE_SCRATCH];
    size_t ncp, capcp;
    struct lf_mojibake_known known[LF_MOJIBAKE_KNOWN];
    size_t nknown;
    struct lf_mojibake_cost costs[LF_MOJIBAKE_COSTS];
    unsigned long line; /* counts the lines searched, from 1 */
    /* The line's runs for each wrong encoding, made for the first chain
     * that reads the line as it and kept for the others (mojibake.c,
     * runs_of). */
    struct lf_mojibake_runs runs[LF_ENC_COUNT];
    /* identity[i] == i and all_true[i] for i < nidentity: the byte-to-
     * character map and character starts of text in a single-byte
     * encoding, whatever the text. */
    size_t *identity;
    bool *all_true;
    size_t nidentity;
    /* Set by tests only: search every chain the lead bytes allow, without
     * the pre-filters that prove a chain can find nothing on a line. */
    bool exhaustive;
} lf_mojibake_session;

void lf_mojibake_session_init(lf_mojibake_session *s, const struct lf_repair_data *data);
void lf_mojibake_session_free(lf_mojibake_session *s);

/* One repair: line bytes [start, end) become text (owned, NUL-terminated). */
typedef struct lf_mojibake_fix {
    size_t start, end;
    char *text;
    size_t len;
    double gain;       /* plausibility cost removed */
    double rank;       /* orders overlapping candidates: the gain, plus dictionary words formed */
    double confidence; /* in [0,1] */
    int chain;         /* index for lf_mojibake_chain_note */
    int depth;         /* 1, or 2 when the chain had been applied twice */
    size_t tail_end;   /* > end when [end, tail_end) is the cut-off start of
                          one more character: a truncated sequence, lost */
    const char *note;  /* static note replacing the chain's, or NULL */
    const char *detail; /* static words the report adds to the note, or NULL */
    bool needs_company; /* kept only beside another repair of its chain */
    const char *then_note; /* a second chain's note when the text under this
                              chain's misreading was itself misread, or NULL */
} lf_mojibake_fix;

typedef struct lf_mojibake_fixes {
    lf_mojibake_fix *v;
    size_t n, cap;
} lf_mojibake_fixes;

void lf_mojibake_fixes_clear(lf_mojibake_fixes *f);
/* Appends a copy of *fix (its text now owned by f); false when out of memory. */
bool lf_mojibake_fixes_push(lf_mojibake_fixes *f, const lf_mojibake_fix *fix);
void lf_mojibake_fixes_free(lf_mojibake_fixes *f);

/* Finds the repairs for line[0..len) (valid UTF-8, no newline): the chosen,
 * non-overlapping ones in order of position are appended to *out. Errors:
 * LF_ERR_NOMEM, LF_ERR_INTERNAL (an ICU converter failed). */
lf_status lf_mojibake_line(lf_mojibake_session *s, const char *line, size_t len, lf_mojibake_fixes *out,
                           lf_error *err);

/* lf_mojibake_line, then once more over the repaired line when it
 * repaired something: a repair found there is folded into the first-round
 * ones it overlaps (then_note), so that mojibake of mojibake made by two
 * different chains comes undone ("Г‚ВЈ" -> "Â£" -> "£"). mojibake_layers.c.
 * Same errors. */
lf_status lf_mojibake_line_layers(lf_mojibake_session *s, const char *line, size_t len, lf_mojibake_fixes *out,
                                  lf_error *err);

/* "UTF-8 read as GBK" and the like, for the report. */
const char *lf_mojibake_chain_note(int chain);

#endif /* LIBFIX_MOJIBAKE_H */
