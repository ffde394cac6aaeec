/*
 * mojibake_screen.h — the first look the mojibake search takes at a line:
 * decode it once, look up what each character is to every chain in tables
 * made at context creation, and note the few marks (C1 controls, U+FFFD,
 * a space or '?' after a non-ASCII character ...) that decide which chains
 * and which searches for lost bytes have anything to find.
 * mojibake_screen.c.
 */
#ifndef LIBFIX_MOJIBAKE_SCREEN_H
#define LIBFIX_MOJIBAKE_SCREEN_H

#include "mojibake.h"

/* Bits of struct lf_repair_data.traits, taken from ICU and the frequency
 * planes at context creation so that the search asks no property of ICU
 * character by character. */
enum {
    LF_TRAIT_IDEOGRAPH = 1 << 0,      /* UCHAR_IDEOGRAPHIC */
    LF_TRAIT_RARE_IDEOGRAPH = 1 << 1, /* an ideograph in no level-1 plane (GB 2312, Big5, JIS X 0208) */
};

/* Makes the traits table of the BMP (malloc'd, the caller frees it); NULL
 * when out of memory. */
uint8_t *lf_mojibake_traits_new(void);

/* Whether c is an ideograph (UCHAR_IDEOGRAPHIC); ICU answers beyond the
 * BMP. */
bool lf_mojibake_is_ideograph(const struct lf_repair_data *d, uint32_t c);

/* How many ideographs of cp[0..n) are in no level-1 plane (GB 2312, Big5,
 * JIS X 0208). */
size_t lf_mojibake_rare_ideographs(const struct lf_repair_data *d, const uint32_t *cp, size_t n);

/* Whether c is an ideograph in no level-1 plane: the table answers in the
 * BMP, lf_mojibake_rare_ideographs (ICU) beyond it. */
static inline bool lf_mojibake_is_rare_ideograph(const struct lf_repair_data *d, uint32_t c)
{
    return c < 0x10000 ? (d->traits[c] & LF_TRAIT_RARE_IDEOGRAPH) != 0 : lf_mojibake_rare_ideographs(d, &c, 1) > 0;
}

/* What lf_mojibake_screen_line found on the line besides the per-character
 * arrays of the session. */
typedef struct lf_line_marks {
    uint32_t leads;      /* chains with a character that may start a sequence (s->starts) */
    uint32_t lost_leads; /* chains with a lead byte right before a U+FFFD */
    bool c1;             /* a C1 control */
    bool lost_mark;      /* a U+FFFD */
    bool surrogate;      /* "í" before U+00A0..U+00BF: a misread CESU-8 surrogate */
    bool space_after_high; /* a space right after a non-ASCII character */
    bool mark_after_high;  /* a '?' right after a non-ASCII character */
    bool a_tilde_space;    /* "Ã" before a space: a lost no-break space (lost_nbsp) */
} lf_line_marks;

/* Decodes line[0..len) (valid UTF-8) into s->cp, s->off and fills
 * s->starts, s->encs and *marks. LF_ERR_NOMEM when the session's arrays
 * cannot grow. */
lf_status lf_mojibake_screen_line(lf_mojibake_session *s, const char *line, size_t len, lf_line_marks *marks,
                                  lf_error *err);

#endif /* LIBFIX_MOJIBAKE_SCREEN_H */
