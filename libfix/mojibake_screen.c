/*
 * mojibake_screen.c — the first look at a line (mojibake_screen.h).
 *
 * Every line of a document passes here and most are clean: this is the
 * only walk over all of its characters that the search makes before the
 * pre-filters of mojibake.c, so it does as little per character as it
 * can. The marks that need a look at the next character all need a
 * non-ASCII one first, and most of them a rare one: they are looked for
 * only then.
 */
#include "mojibake_screen.h"
#include "plausibility.h"

#include <stdlib.h>

#include <unicode/uchar.h>

uint8_t *lf_mojibake_traits_new(void)
{
    uint8_t *t = calloc(0x10000, 1);
    for (uint32_t c = 0; t && c < 0x10000; c++) {
        if (!u_hasBinaryProperty((UChar32)c, UCHAR_IDEOGRAPHIC))
            continue;
        t[c] = LF_TRAIT_IDEOGRAPH;
        if (!(lf_cjk_class(c) & (LF_CJK_SC1 | LF_CJK_TC1 | LF_CJK_JP1)))
            t[c] |= LF_TRAIT_RARE_IDEOGRAPH;
    }
    return t;
}

bool lf_mojibake_is_ideograph(const struct lf_repair_data *d, uint32_t c)
{
    return c < 0x10000 ? d->traits[c] & LF_TRAIT_IDEOGRAPH : u_hasBinaryProperty((UChar32)c, UCHAR_IDEOGRAPHIC);
}

size_t lf_mojibake_rare_ideographs(const struct lf_repair_data *d, const uint32_t *cp, size_t n)
{
    size_t rare = 0;
    for (size_t i = 0; i < n; i++) {
        uint32_t c = cp[i];
        /* Beyond the BMP no character is in a national plane. */
        rare += c < 0x10000 ? (d->traits[c] & LF_TRAIT_RARE_IDEOGRAPH) != 0
                            : u_hasBinaryProperty((UChar32)c, UCHAR_IDEOGRAPHIC);
    }
    return rare;
}

/* Room for a line of len bytes (as many characters at most) in the
 * session's per-character arrays. */
static bool reserve(lf_mojibake_session *s, size_t len)
{
    if (len + 1 <= s->capcp)
        return true;
    size_t cap = len + 1;
    uint32_t *cp = realloc(s->cp, cap * sizeof *cp);
    if (cp)
        s->cp = cp;
    size_t *off = realloc(s->off, cap * sizeof *off);
    if (off)
        s->off = off;
    uint32_t *starts = realloc(s->starts, cap * sizeof *starts);
    if (starts)
        s->starts = starts;
    uint16_t *encs = realloc(s->encs, cap * sizeof *encs);
    if (encs)
        s->encs = encs;
    if (!cp || !off || !starts || !encs)
        return false;
    s->capcp = cap;
    return true;
}

/* The marks character c before next may set: only a non-ASCII c sets any. */
static void mark(const struct lf_repair_data *d, uint32_t c, uint32_t next, lf_line_marks *m)
{
    m->c1 |= c <= 0x9F;
    m->lost_mark |= c == 0xFFFD;
    m->surrogate |= c == 0xED && next >= 0xA0 && next <= 0xBF;
    m->space_after_high |= next == ' ';
    m->a_tilde_space |= c == 0xC3 && next == ' ';
    m->mark_after_high |= next == '?';
    m->lost_leads |= c < 0x10000 && next == 0xFFFD ? d->lead[c] : 0;
}

/* What the screen notes of character k, cp[k] = c, before next (0x10000
 * after the last). */
static inline void look_at(lf_mojibake_session *s, size_t k, uint32_t c, uint32_t next, lf_line_marks *m)
{
    const struct lf_repair_data *d = s->data;
    if (c < 0x80) {
        /* ASCII is no lead byte of any chain, and sets no mark. */
        s->starts[k] = 0;
        s->encs[k] = d->bmp[c];
        return;
    }
    if (c >= 0x10000) {
        s->starts[k] = 0;
        s->encs[k] = 0;
    } else {
        s->starts[k] = d->pair[c] | (next < 0x10000 ? d->lead[c] & d->follow[next] : 0);
        s->encs[k] = d->bmp[c];
        m->leads |= s->starts[k];
    }
    /* Every mark needs c, or the character after it, to be one of these. */
    if (c <= 0x9F || c == 0xED || c == 0xFFFD || next == ' ' || next == '?' || next == 0xFFFD)
        mark(d, c, next, m);
}

lf_status lf_mojibake_screen_line(lf_mojibake_session *s, const char *line, size_t len, lf_line_marks *marks,
                                  lf_error *err)
{
    if (!reserve(s, len))
        return lf_nomem(err);
    lf_line_marks m = {0};
    /* Each character is looked at once the next one is known. */
    size_t n = 0;
    for (size_t i = 0; i < len; n++) {
        s->off[n] = i;
        i += lf_utf8_next(line, len, i, &s->cp[n]);
        if (n > 0)
            look_at(s, n - 1, s->cp[n - 1], s->cp[n], &m);
    }
    if (n > 0)
        look_at(s, n - 1, s->cp[n - 1], 0x10000, &m);
    s->off[n] = len;
    s->ncp = n;
    *marks = m;
    return LF_OK;
}
