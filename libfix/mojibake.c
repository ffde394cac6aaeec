/*
 * mojibake.c — find spans of a line that are bytes of one encoding decoded
 * as another, and reverse them.
 *
 * For every chain "X read as Y" the line is cut into runs of characters that
 * round-trip through Y. A run is encoded back to Y's bytes; inside those
 * bytes we look for the longest stretches that are valid X and start and end
 * on character boundaries of both encodings. Each such stretch decoded as X
 * is a candidate; the candidate is re-encoded to check that the reverse is
 * exact, scored with lf_plausibility_cost against the original, and kept only
 * under the rule in accept_chain() below. Of overlapping candidates (several
 * chains may explain the same span) the best ranked wins: the most cost
 * removed, dictionary words formed, UTF-8 misreadings before legacy ones.
 *
 * Most lines of clean CJK text give every chain between CJK encodings
 * something to try, and nothing to take. Pre-filters (may_read_as_words,
 * may_read_as_utf8, may_read_as_cjk, run_may_reach_consider, may_gain)
 * follow the search's stretches through tables made at context creation
 * and skip a chain, a run or a stretch only where nothing could pass the
 * shape checks and the cost floor; mojibake_screen.c takes the first look
 * at a line for them. The search itself reads tables taken from ICU where
 * it would ask ICU character by character: the bytes of single-byte code
 * pages (byte_of) and of CJK ones (code), what each byte and pair of a CJK
 * encoding reads as (pairs and chars, mojibake_pairs.c), and UTF-8 through
 * lf_utf8_decode (utf8_without_icu). What the chains of a line share is
 * made once a line: its runs and bytes in each wrong encoding (runs_of),
 * the full costs of its stretches (line_cost). test_repair_prefilter holds
 * all of them to the exhaustive search (lf_mojibake_session.exhaustive),
 * which asks ICU, scores afresh and filters nothing.
 *
 * Added for ftfy's cases (tests/test_repair_ftfy.c):
 *   - CESU-8 read as windows-1252 / Latin-1: emoji as two 3-byte surrogates;
 *     searched only on lines with a misread surrogate lead ("í" before A0-BF).
 *   - windows-1252 read as Latin-1 is judged one C1 control at a time
 *     (c1_one_by_one), so one beside UTF-8 mojibake is still mended.
 *   - UTF-8 read as a single-byte code page that lost bytes (search_lossy,
 *     utf8_lossy.c): U+FFFD and '?' for a lost byte, a space for 0xA0.
 *   - a second round over a repaired line, folded into the first
 *     (mojibake_layers.c): windows-1251 over windows-1252.
 *   - legacy CJK readings yield to UTF-8: not of UTF-8-shaped bytes
 *     (utf8_shaped), not where the UTF-8 readings of the parts remove as much
 *     (outweighed), not with symbols their script does not write.
 */
#include "mojibake.h"
#include "mojibake_screen.h"
#include "plausibility.h"
#include "utf8_lossy.h"
#include "words_icu.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <unicode/uchar.h>
#include <unicode/uscript.h>
#include <unicode/uset.h>
#include <unicode/ustring.h>
#include <unicode/utf8.h>

/* The ICU converter of each encoding. */
static const char *const icu_names[LF_ENC_COUNT] = {
    [LF_ENC_UTF8] = "UTF-8",
    [LF_ENC_CP1252] = "windows-1252",
    [LF_ENC_LATIN1] = "ISO-8859-1",
    [LF_ENC_MACROMAN] = "macintosh",
    [LF_ENC_CP1250] = "windows-1250",
    [LF_ENC_CP1251] = "windows-1251",
    [LF_ENC_CP1253] = "windows-1253",
    [LF_ENC_CP1254] = "windows-1254",
    [LF_ENC_CP1257] = "windows-1257",
    [LF_ENC_LATIN2] = "ISO-8859-2",
    [LF_ENC_CP437] = "ibm-437",
    [LF_ENC_GBK] = "GBK",
    [LF_ENC_BIG5] = "Big5",
    [LF_ENC_SJIS] = "Shift_JIS",
    /* Browsers and Windows read "EUC-KR" as its superset windows-949. */
    [LF_ENC_EUCKR] = "windows-949",
    [LF_ENC_CESU8] = "CESU-8",
};

/* The chains, most common first: on a tie the earlier one names the repair. */
static const struct chain {
    enum lf_enc bytes;   /* what the bytes really were */
    enum lf_enc read_as; /* what they were decoded as */
    const char *note;
} chains[] = {
    {LF_ENC_UTF8, LF_ENC_GBK, "UTF-8 read as GBK"},
    {LF_ENC_UTF8, LF_ENC_BIG5, "UTF-8 read as Big5"},
    {LF_ENC_UTF8, LF_ENC_SJIS, "UTF-8 read as Shift_JIS"},
    {LF_ENC_UTF8, LF_ENC_EUCKR, "UTF-8 read as EUC-KR"},
    {LF_ENC_UTF8, LF_ENC_CP1252, "UTF-8 read as windows-1252"},
    {LF_ENC_UTF8, LF_ENC_LATIN1, "UTF-8 read as Latin-1"},
    {LF_ENC_UTF8, LF_ENC_MACROMAN, "UTF-8 read as MacRoman"},
    {LF_ENC_UTF8, LF_ENC_CP1250, "UTF-8 read as windows-1250"},
    {LF_ENC_UTF8, LF_ENC_CP1251, "UTF-8 read as windows-1251"},
    {LF_ENC_UTF8, LF_ENC_CP1253, "UTF-8 read as windows-1253"},
    {LF_ENC_UTF8, LF_ENC_CP1254, "UTF-8 read as windows-1254"},
    {LF_ENC_UTF8, LF_ENC_CP1257, "UTF-8 read as windows-1257"},
    {LF_ENC_UTF8, LF_ENC_LATIN2, "UTF-8 read as ISO-8859-2"},
    {LF_ENC_UTF8, LF_ENC_CP437, "UTF-8 read as cp437"},
    {LF_ENC_GBK, LF_ENC_BIG5, "GBK read as Big5"},
    {LF_ENC_BIG5, LF_ENC_GBK, "Big5 read as GBK"},
    {LF_ENC_GBK, LF_ENC_CP1252, "GBK read as windows-1252"},
    {LF_ENC_GBK, LF_ENC_LATIN1, "GBK read as Latin-1"},
    {LF_ENC_BIG5, LF_ENC_CP1252, "Big5 read as windows-1252"},
    {LF_ENC_BIG5, LF_ENC_LATIN1, "Big5 read as Latin-1"},
    {LF_ENC_SJIS, LF_ENC_CP1252, "Shift_JIS read as windows-1252"},
    {LF_ENC_SJIS, LF_ENC_LATIN1, "Shift_JIS read as Latin-1"},
    {LF_ENC_EUCKR, LF_ENC_CP1252, "EUC-KR read as windows-1252"},
    {LF_ENC_EUCKR, LF_ENC_LATIN1, "EUC-KR read as Latin-1"},
    /* C1 controls are windows-1252 punctuation read as Latin-1 ("parlé\x85"). */
    {LF_ENC_CP1252, LF_ENC_LATIN1, "windows-1252 read as Latin-1"},
    /* Emoji written as two surrogates of three bytes each (Java's and
     * MySQL's "utf8"). Elsewhere CESU-8 is UTF-8 and its readings tie with
     * the chains above, which win ties: it is searched only on lines with
     * the misread first byte of a surrogate ("í" before A0-BF). */
    {LF_ENC_CESU8, LF_ENC_CP1252, "CESU-8 read as windows-1252"},
    {LF_ENC_CESU8, LF_ENC_LATIN1, "CESU-8 read as Latin-1"},
};
enum { NCHAINS = sizeof chains / sizeof chains[0] };
_Static_assert(NCHAINS <= 32, "the lead/follow/pair bits of a chain are one bit of a uint32_t");
_Static_assert(LF_ENC_COUNT <= 16, "struct lf_repair_data.bmp has one bit per encoding");

/* The index of the chain "bytes read as read_as", for the repairs made
 * outside the search (lost_nbsp, lone_kana); looked up rather than written
 * as a number so that reordering chains[] cannot name the wrong one. */
static int chain_of(enum lf_enc bytes, enum lf_enc read_as)
{
    int c = 0;
    while (c + 1 < NCHAINS && (chains[c].bytes != bytes || chains[c].read_as != read_as))
        c++; /* the callers name chains of the table: the bound only keeps a slip inside it */
    return c;
}

const char *lf_mojibake_chain_note(int chain)
{
    return chain >= 0 && chain < NCHAINS ? chains[chain].note : "unknown chain";
}

/* A Latin letter with the tone marks of pinyin (ā á ǎ à ... ü), which GBK
 * and Big5 carry in their phonetic rows. */
static bool is_pinyin(uint32_t c)
{
    UErrorCode st = U_ZERO_ERROR;
    return c >= 0xE0 && c <= 0x1DC && u_isalpha((UChar32)c) && uscript_getScript((UChar32)c, &st) == USCRIPT_LATIN;
}

/* What the right reading of Chinese bytes is made of: hanzi, CJK and ASCII
 * punctuation, pinyin letters; no kana, Greek, Cyrillic, box drawing or
 * vertical forms from the code pages' symbol rows. */
static bool is_chinese_reading(uint32_t c)
{
    UChar32 ch = (UChar32)c;
    return ch < 0x80 || u_hasBinaryProperty(ch, UCHAR_IDEOGRAPHIC) || (ch >= 0x3000 && ch <= 0x303F) ||
           (ch >= 0xFF00 && ch <= 0xFF5E) || (ch >= 0x2010 && ch <= 0x2027) || ch == 0xB7 || is_pinyin(c);
}

/* UTF-8 and its variant CESU-8 read alike: what one allows, the other does. */
static bool is_utf8_family(enum lf_enc e)
{
    return e == LF_ENC_UTF8 || e == LF_ENC_CESU8;
}

/* What the right reading of GBK or Big5 bytes, misread as a single-byte
 * code page, may hold besides Chinese: the kana of their Japanese rows and
 * the circled numbers of their symbol rows ("图②"); no box drawing ("┬"). */
static bool is_han_text(uint32_t c)
{
    return is_chinese_reading(c) || (c >= 0x3040 && c <= 0x30FF) || (c >= 0x2460 && c <= 0x24FF);
}

/* What the right reading of EUC-KR bytes is made of: Hangul, hanja, the
 * kana of KS X 1001's Japanese rows, ASCII, CJK and general punctuation. */
static bool is_korean_reading(uint32_t c)
{
    return c < 0x80 || (c >= 0xAC00 && c <= 0xD7A3) || u_hasBinaryProperty((UChar32)c, UCHAR_IDEOGRAPHIC) ||
           (c >= 0x3000 && c <= 0x30FF) || (c >= 0xFF01 && c <= 0xFF5E) || (c >= 0x2010 && c <= 0x2027) || c == 0xB7;
}

static bool is_cjk_encoding(enum lf_enc e)
{
    return e == LF_ENC_GBK || e == LF_ENC_BIG5 || e == LF_ENC_SJIS || e == LF_ENC_EUCKR;
}
_Static_assert(LF_ENC_BIG5 == LF_ENC_GBK + 1 && LF_ENC_SJIS == LF_ENC_GBK + 2 && LF_ENC_EUCKR == LF_ENC_GBK + 3,
               "struct lf_repair_data.code is indexed by e - LF_ENC_GBK");

/* The slot of struct lf_repair_data.reading of a chain between two CJK
 * encodings; -1 for the other chains. */
static int reading_slot(int chain)
{
    if (!is_cjk_encoding(chains[chain].bytes) || !is_cjk_encoding(chains[chain].read_as))
        return -1;
    int slot = 0;
    for (int k = 0; k < chain; k++)
        slot += is_cjk_encoding(chains[k].bytes) && is_cjk_encoding(chains[k].read_as);
    return slot;
}

/* ------------------------------------------------------------ context data */

static UConverter *open_converter(const char *name, UErrorCode *status)
{
    UConverter *cnv = ucnv_open(name, status);
    if (U_FAILURE(*status))
        return NULL;
    ucnv_setFromUCallBack(cnv, UCNV_FROM_U_CALLBACK_STOP, NULL, NULL, NULL, status);
    ucnv_setToUCallBack(cnv, UCNV_TO_U_CALLBACK_STOP, NULL, NULL, NULL, status);
    if (U_FAILURE(*status)) {
        ucnv_close(cnv);
        return NULL;
    }
    return cnv;
}

static lf_status mark_roundtrip_set(uint16_t *bmp, enum lf_enc e, lf_error *err)
{
    UErrorCode status = U_ZERO_ERROR;
    UConverter *cnv = open_converter(icu_names[e], &status);
    USet *set = uset_openEmpty();
    if (!cnv || !set) {
        ucnv_close(cnv);
        uset_close(set);
        return lf_fail(err, LF_ERR_INTERNAL, "repair: cannot open ICU converter %s: %s", icu_names[e],
                       u_errorName(status));
    }
    ucnv_getUnicodeSet(cnv, set, UCNV_ROUNDTRIP_SET, &status);
    int32_t items = U_SUCCESS(status) ? uset_getItemCount(set) : 0;
    for (int32_t i = 0; i < items; i++) {
        UChar32 lo, hi;
        if (uset_getItem(set, i, &lo, &hi, NULL, 0, &status) != 0)
            continue; /* a string, not a range */
        for (UChar32 c = lo; c <= hi && c < 0x10000; c++)
            bmp[c] |= (uint16_t)(1u << e);
    }
    uset_close(set);
    ucnv_close(cnv);
    if (U_FAILURE(status))
        return lf_fail(err, LF_ERR_INTERNAL, "repair: ICU set of %s: %s", icu_names[e], u_errorName(status));
    return LF_OK;
}

/* Whether byte b can start a non-ASCII character of encoding e. */
static bool can_lead(enum lf_enc e, unsigned char b)
{
    if (is_utf8_family(e))
        return b >= 0xC2 && b <= 0xF4;
    return b >= 0x81 && b <= 0xFE;
}

/* Whether byte b can follow a lead byte of encoding e. */
static bool can_follow(enum lf_enc e, unsigned char b)
{
    if (is_utf8_family(e))
        return b >= 0x80 && b <= 0xBF;
    return (b >= 0x40 && b <= 0x7E) || (b >= 0x80 && b <= 0xFE);
}

/* The characters of the BMP that encoding e has (bmp), from U+first on,
 * into u[0..0x10000); returns how many. UTF-16 units are the code points
 * themselves: surrogates are left out. */
static int32_t chars_of(const struct lf_repair_data *d, enum lf_enc e, uint32_t first, UChar *u)
{
    int32_t n = 0;
    for (uint32_t c = first; c < 0x10000; c++)
        if ((d->bmp[c] & (1u << e)) && (c < 0xD800 || c > 0xDFFF))
            u[n++] = (UChar)c;
    return n;
}

/* Sets the lead, follow and pair bits of the chains read as e: one ICU call encodes every
 * round-trip character of e, and the offsets tell each one's first byte. */
static lf_status mark_leads(struct lf_repair_data *d, enum lf_enc e, lf_error *err)
{
    UChar *u = malloc(0x10000 * sizeof *u);
    char *bytes = malloc(0x10000 * 4);
    int32_t *offs = malloc(0x10000 * 4 * sizeof *offs);
    lf_status st = LF_OK;
    if (!u || !bytes || !offs) {
        st = lf_nomem(err);
        goto done;
    }
    int32_t n = chars_of(d, e, 0x80, u);
    UErrorCode status = U_ZERO_ERROR;
    UConverter *cnv = open_converter(icu_names[e], &status);
    if (!cnv) {
        st = lf_fail(err, LF_ERR_INTERNAL, "repair: cannot open ICU converter %s: %s", icu_names[e],
                     u_errorName(status));
        goto done;
    }
    char *t = bytes;
    const UChar *src = u;
    ucnv_fromUnicode(cnv, &t, bytes + 0x10000 * 4, &src, u + n, offs, true, &status);
    ucnv_close(cnv);
    if (U_FAILURE(status)) {
        st = lf_fail(err, LF_ERR_INTERNAL, "repair: ICU encoding to %s: %s", icu_names[e], u_errorName(status));
        goto done;
    }
    int32_t nb = (int32_t)(t - bytes);
    for (int32_t j = 0; j < nb; j++) {
        if (j > 0 && offs[j] == offs[j - 1])
            continue; /* not the first byte of its character */
        uint32_t c = u[offs[j]];
        unsigned char b0 = (unsigned char)bytes[j];
        bool two = j + 1 < nb && offs[j + 1] == offs[j];
        bool three = j + 2 < nb && offs[j + 2] == offs[j];
        if (is_cjk_encoding(e))
            d->code[e - LF_ENC_GBK][c] = three ? 0 : two ? (uint16_t)(b0 << 8 | (unsigned char)bytes[j + 1]) : b0;
        for (int k = 0; k < NCHAINS; k++) {
            if (chains[k].read_as != e)
                continue;
            enum lf_enc x = chains[k].bytes;
            if (can_lead(x, b0))
                d->lead[c] |= 1u << k;
            if (can_follow(x, b0))
                d->follow[c] |= 1u << k;
            if (two && can_lead(x, b0) && can_follow(x, (unsigned char)bytes[j + 1]))
                d->pair[c] |= 1u << k;
        }
    }
done:
    free(u);
    free(bytes);
    free(offs);
    return st;
}

/* U+c written as y and read alone as x, for struct lf_repair_data.reading.
 * Inside a stretch the search sees the same: a character of y that is two
 * bytes read by x as one character, or rejected by x at its first byte,
 * keeps x's decoding on y's character boundaries, so each character of a
 * candidate is the reading of one of the line's and a stretch ends at the
 * first rejected one. Whatever may shift those boundaries (one byte, or a
 * first byte x takes alone) is LF_READ_ANY. */
static uint16_t read_alone(UConverter *x, UConverter *y, uint32_t c)
{
    UChar u = (UChar)c, out[4];
    char b[8];
    char *t = b;
    const UChar *usrc = &u;
    UErrorCode st = U_ZERO_ERROR;
    ucnv_resetFromUnicode(y);
    ucnv_fromUnicode(y, &t, b + sizeof b, &usrc, &u + 1, NULL, true, &st);
    if (U_FAILURE(st) || t - b != 2 || (unsigned char)b[0] < 0x80)
        return LF_READ_ANY;
    UChar *o = out;
    const char *src = b;
    ucnv_resetToUnicode(x);
    ucnv_toUnicode(x, &o, out + 4, &src, b + 2, NULL, true, &st);
    if (U_SUCCESS(st)) {
        if (o - out == 2 && U16_IS_LEAD(out[0]) && U16_IS_TRAIL(out[1]))
            return is_chinese_reading(U16_GET_SUPPLEMENTARY(out[0], out[1])) ? LF_READ_NOPAIR : LF_READ_OTHER;
        if (o - out != 1)
            return LF_READ_ANY; /* a single-byte character first: not aligned */
        return out[0] < 0x80 || !is_chinese_reading(out[0]) ? LF_READ_OTHER : out[0];
    }
    o = out;
    src = b;
    st = U_ZERO_ERROR;
    ucnv_resetToUnicode(x);
    ucnv_toUnicode(x, &o, out + 4, &src, b + 1, NULL, true, &st);
    return U_FAILURE(st) ? LF_READ_END : LF_READ_ANY;
}

/* Fills reading[] of chain k (a chain between two CJK encodings). */
static lf_status mark_readings(struct lf_repair_data *d, int k, lf_error *err)
{
    int slot = reading_slot(k);
    if (slot < 0 || slot >= (int)(sizeof d->reading / sizeof d->reading[0]))
        return lf_fail(err, LF_ERR_INTERNAL, "repair: no reading table for chain %s", chains[k].note);
    uint16_t *r = calloc(0x10000, sizeof *r);
    if (!r)
        return lf_nomem(err);
    d->reading[slot] = r;
    UErrorCode status = U_ZERO_ERROR;
    UConverter *x = open_converter(icu_names[chains[k].bytes], &status);
    UConverter *y = x ? open_converter(icu_names[chains[k].read_as], &status) : NULL;
    if (!y) {
        ucnv_close(x);
        return lf_fail(err, LF_ERR_INTERNAL, "repair: cannot open ICU converters for %s: %s", chains[k].note,
                       u_errorName(status));
    }
    uint16_t ybit = (uint16_t)(1u << chains[k].read_as);
    for (uint32_t c = 0x80; c < 0x10000; c++) {
        if (!(d->bmp[c] & ybit) || (c >= 0xD800 && c <= 0xDFFF))
            continue;
        /* Private use waives the dictionary test in plausible_shape. */
        r[c] = c >= 0xE000 && c <= 0xF8FF ? LF_READ_ANY : read_alone(x, y, c);
    }
    ucnv_close(x);
    ucnv_close(y);
    return LF_OK;
}

/* Fills byte_of[e] when e writes every character it has in one byte: one
 * ICU call encodes them all. Else byte_of[e] stays NULL and the search asks
 * ICU. */
static lf_status mark_bytes(struct lf_repair_data *d, enum lf_enc e, lf_error *err)
{
    UChar *u = malloc(0x10000 * sizeof *u);
    char *bytes = malloc(0x10000);
    uint8_t *table = calloc(0x10000, 1);
    UConverter *cnv = NULL;
    lf_status st = LF_OK;
    if (!u || !bytes || !table) {
        st = lf_nomem(err);
        goto done;
    }
    UErrorCode status = U_ZERO_ERROR;
    if (!(cnv = open_converter(icu_names[e], &status))) {
        st = lf_fail(err, LF_ERR_INTERNAL, "repair: cannot open ICU converter %s: %s", icu_names[e],
                     u_errorName(status));
        goto done;
    }
    if (ucnv_getMaxCharSize(cnv) != 1)
        goto done;
    int32_t n = chars_of(d, e, 0, u);
    char *t = bytes;
    const UChar *src = u;
    ucnv_fromUnicode(cnv, &t, bytes + 0x10000, &src, u + n, NULL, true, &status);
    if (U_FAILURE(status) || t - bytes != n)
        goto done;
    for (int32_t j = 0; j < n; j++)
        table[u[j]] = (uint8_t)bytes[j];
    d->byte_of[e] = table;
    table = NULL;
done:
    ucnv_close(cnv);
    free(u);
    free(bytes);
    free(table);
    return st;
}

static bool fits_reading(enum lf_enc x, uint32_t c);

/* Fills chars[x - LF_ENC_GBK] with ICU's decodings (lf_mojibake_pairs_new)
 * and pairs[x - LF_ENC_GBK] from them and fits_reading. */
static lf_status mark_pairs(struct lf_repair_data *d, enum lf_enc x, lf_error *err)
{
    uint16_t *chars;
    lf_status st = lf_mojibake_pairs_new(icu_names[x], &chars, err);
    if (st != LF_OK || !chars)
        return st;
    uint8_t *t = malloc(LF_PAIRS_SIZE);
    if (!t) {
        free(chars);
        return lf_nomem(err);
    }
    /* ASCII bytes are characters below 0x80 (lf_mojibake_pairs_new checks). */
    for (uint32_t i = 0; i < LF_PAIRS_SIZE; i++) {
        uint32_t c = chars[i];
        t[i] = i < 0x80 || (c && c < 0x80) ? LF_PAIR_LOW
               : !c                        ? LF_PAIR_NONE
               : fits_reading(x, c)        ? LF_PAIR_FITS
                                           : LF_PAIR_OTHER;
    }
    d->chars[x - LF_ENC_GBK] = chars;
    d->pairs[x - LF_ENC_GBK] = t;
    return LF_OK;
}

/* Writes into code[e - LF_ENC_GBK] the byte ICU writes each ASCII character
 * as in the CJK encoding e: itself, but for Shift_JIS's swapped controls
 * (U+001A is 0x7F). One ICU call encodes them all; an encoding that does
 * not write each in one byte loses its table (the search asks ICU). */
static lf_status mark_ascii(struct lf_repair_data *d, enum lf_enc e, lf_error *err)
{
    UErrorCode status = U_ZERO_ERROR;
    UConverter *cnv = open_converter(icu_names[e], &status);
    if (!cnv)
        return lf_fail(err, LF_ERR_INTERNAL, "repair: cannot open ICU converter %s: %s", icu_names[e],
                       u_errorName(status));
    UChar u[0x80];
    char bytes[0x80 * 4];
    for (int c = 0; c < 0x80; c++)
        u[c] = (UChar)c;
    char *t = bytes;
    const UChar *src = u;
    ucnv_fromUnicode(cnv, &t, bytes + sizeof bytes, &src, u + 0x80, NULL, true, &status);
    ucnv_close(cnv);
    uint16_t **code = &d->code[e - LF_ENC_GBK];
    if (U_FAILURE(status) || t - bytes != 0x80) {
        free(*code);
        *code = NULL;
        return LF_OK;
    }
    for (int c = 0; c < 0x80; c++)
        (*code)[c] = (unsigned char)bytes[c];
    return LF_OK;
}

/* The pre-filter reads every character's bytes from code[]: an encoding
 * with a character of more than two bytes has none, and its chains are
 * always searched. */
static void drop_partial_code(struct lf_repair_data *d, enum lf_enc e)
{
    uint16_t **code = &d->code[e - LF_ENC_GBK];
    for (uint32_t c = 0x80; c < 0x10000; c++) {
        if ((d->bmp[c] & (1u << e)) && (c < 0xD800 || c > 0xDFFF) && !(*code)[c]) {
            free(*code);
            *code = NULL;
            return;
        }
    }
}

lf_status lf_mojibake_prepare(lf_context *ctx, lf_error *err)
{
    struct lf_repair_data *d = calloc(1, sizeof *d);
    if (d) {
        d->bmp = calloc(0x10000, sizeof *d->bmp);
        d->lead = calloc(0x10000, sizeof *d->lead);
        d->follow = calloc(0x10000, sizeof *d->follow);
        d->pair = calloc(0x10000, sizeof *d->pair);
        for (int e = 0; e < 4; e++)
            d->code[e] = calloc(0x10000, sizeof *d->code[e]);
        d->classes = lf_plausibility_table_new();
        d->traits = lf_mojibake_traits_new();
    }
    if (!d || !d->bmp || !d->lead || !d->follow || !d->pair || !d->code[0] || !d->code[1] || !d->code[2] || !d->code[3] ||
        !d->classes || !d->traits) {
        if (d) {
            free(d->bmp);
            free(d->lead);
            free(d->follow);
            free(d->pair);
            for (int e = 0; e < 4; e++)
                free(d->code[e]);
            free(d->classes);
            free(d->traits);
        }
        free(d);
        return lf_nomem(err);
    }
    ctx->repair = d;
    for (uint32_t c = 0; c < 0x10000; c++)
        if (c < 0xD800 || c > 0xDFFF)
            d->bmp[c] = 1u << LF_ENC_UTF8;
    /* ASCII is the same byte in every encoding here: it may follow a lead
     * byte of the double-byte encodings. */
    for (uint32_t c = 0; c < 0x80; c++)
        for (int k = 0; k < NCHAINS; k++)
            if (can_follow(chains[k].bytes, (unsigned char)c))
                d->follow[c] |= 1u << k;
    lf_status st = LF_OK;
    /* Only the encodings text is misread as need their sets. */
    for (int e = 1; e < LF_ENC_COUNT && st == LF_OK; e++)
        if (!is_utf8_family((enum lf_enc)e))
            st = mark_roundtrip_set(d->bmp, (enum lf_enc)e, err);
    for (int e = 1; e < LF_ENC_COUNT && st == LF_OK; e++)
        if (!is_utf8_family((enum lf_enc)e))
            st = mark_leads(d, (enum lf_enc)e, err);
    for (int k = 0; k < NCHAINS && st == LF_OK; k++)
        if (reading_slot(k) >= 0)
            st = mark_readings(d, k, err);
    for (int e = LF_ENC_GBK; e <= LF_ENC_EUCKR && st == LF_OK; e++)
        drop_partial_code(d, (enum lf_enc)e);
    for (int e = LF_ENC_GBK; e <= LF_ENC_EUCKR && st == LF_OK; e++)
        if (d->code[e - LF_ENC_GBK])
            st = mark_ascii(d, (enum lf_enc)e, err);
    for (int e = 1; e < LF_ENC_COUNT && st == LF_OK; e++)
        if (!is_utf8_family((enum lf_enc)e) && !is_cjk_encoding((enum lf_enc)e))
            st = mark_bytes(d, (enum lf_enc)e, err);
    for (int e = LF_ENC_GBK; e <= LF_ENC_EUCKR && st == LF_OK; e++)
        st = mark_pairs(d, (enum lf_enc)e, err);
    if (st != LF_OK)
        lf_mojibake_release(ctx);
    else if ((st = lf_words_icu_open(&d->words, err)) != LF_OK)
        lf_mojibake_release(ctx);
    return st;
}

void lf_mojibake_release(lf_context *ctx)
{
    if (ctx->repair) {
        free(ctx->repair->bmp);
        free(ctx->repair->lead);
        free(ctx->repair->follow);
        free(ctx->repair->pair);
        for (int e = 0; e < 4; e++) {
            free(ctx->repair->code[e]);
            free(ctx->repair->pairs[e]);
            free(ctx->repair->chars[e]);
        }
        for (int e = 0; e < LF_ENC_COUNT; e++)
            free(ctx->repair->byte_of[e]);
        free(ctx->repair->reading[0]);
        free(ctx->repair->reading[1]);
        free(ctx->repair->classes);
        free(ctx->repair->traits);
        lf_words_icu_close(ctx->repair->words);
        free(ctx->repair);
        ctx->repair = NULL;
    }
}

/* ----------------------------------------------------------------- session */

void lf_mojibake_session_init(lf_mojibake_session *s, const struct lf_repair_data *data)
{
    memset(s, 0, sizeof *s);
    s->data = data;
}

void lf_mojibake_session_free(lf_mojibake_session *s)
{
    for (int e = 0; e < LF_ENC_COUNT; e++)
        ucnv_close(s->cnv[e]);
    free(s->cp);
    free(s->off);
    free(s->starts);
    free(s->encs);
    for (int i = 0; i < LF_MOJIBAKE_SCRATCH; i++)
        free(s->scratch[i]);
    for (int e = 0; e < LF_ENC_COUNT; e++) {
        free(s->runs[e].v);
        free(s->runs[e].bytes);
    }
    free(s->identity);
    free(s->all_true);
    memset(s, 0, sizeof *s);
}

static UConverter *converter(lf_mojibake_session *s, enum lf_enc e, lf_error *err)
{
    if (!s->cnv[e]) {
        UErrorCode status = U_ZERO_ERROR;
        s->cnv[e] = open_converter(icu_names[e], &status);
        if (!s->cnv[e])
            lf_fail(err, LF_ERR_INTERNAL, "repair: cannot open ICU converter %s: %s", icu_names[e],
                    u_errorName(status));
    }
    return s->cnv[e];
}

void lf_mojibake_fixes_clear(lf_mojibake_fixes *f)
{
    for (size_t i = 0; i < f->n; i++)
        free(f->v[i].text);
    f->n = 0;
}

void lf_mojibake_fixes_free(lf_mojibake_fixes *f)
{
    lf_mojibake_fixes_clear(f);
    free(f->v);
    memset(f, 0, sizeof *f);
}

bool lf_mojibake_fixes_push(lf_mojibake_fixes *f, const lf_mojibake_fix *fix)
{
    if (f->n == f->cap) {
        size_t cap = f->cap ? f->cap * 2 : 8;
        lf_mojibake_fix *v = realloc(f->v, cap * sizeof *v);
        if (!v)
            return false;
        f->v = v;
        f->cap = cap;
    }
    f->v[f->n++] = *fix;
    return true;
}

/* --------------------------------------------------------- conversions */

/* The arrays of one run's search, views of the session's scratch. */
struct scratch {
    char *bytes;     /* the run encoded */
    size_t *bcp;     /* code point index of the source of each byte, [nbytes] = run length */
    bool *cb;        /* byte starts a character of the wrong encoding */
    size_t nbytes;
};

/* The session's scratch arrays, by use. */
enum {
    SCRATCH_U16,
    SCRATCH_U16_CP,
    SCRATCH_BYTES,
    SCRATCH_BOFF,
    SCRATCH_BCP,
    SCRATCH_CB,
    SCRATCH_X_START,
    SCRATCH_STRETCH_U16,  /* valid_stretch's decoding */
    SCRATCH_STRETCH_OFFS,
    SCRATCH_BACK,         /* a candidate encoded back (encode_strict) */
    SCRATCH_PEEL,         /* a level encoded for the next (peel_again) */
    SCRATCH_LEVEL_U16,    /* consider's first level */
    SCRATCH_LEVEL_CP,
    SCRATCH_COUNT
};
_Static_assert(SCRATCH_COUNT == LF_MOJIBAKE_SCRATCH, "the session keeps every scratch array");

/* Scratch array `which` with room for at least size bytes, its contents
 * undefined; NULL when it cannot grow. */
static void *scratch(lf_mojibake_session *s, int which, size_t size)
{
    if (size > s->scratch_cap[which]) {
        size_t cap = size < 256 ? 256 : size + size / 2;
        void *p = realloc(s->scratch[which], cap);
        if (!p)
            return NULL;
        s->scratch[which] = p;
        s->scratch_cap[which] = cap;
    }
    return s->scratch[which];
}

/* Whether u[0..n) holds a surrogate that is not half of a pair. ICU's
 * CESU-8 decoder gives one back for a lone three-byte surrogate ("í®½"
 * read as CESU-8), and no text may carry it: its UTF-8 form is invalid. */
static bool has_lone_surrogate(const UChar *u, ptrdiff_t n)
{
    for (ptrdiff_t i = 0; i < n; i++) {
        if (U16_IS_LEAD(u[i]) && i + 1 < n && U16_IS_TRAIL(u[i + 1]))
            i++;
        else if (U16_IS_SURROGATE(u[i]))
            return true;
    }
    return false;
}

/* Decodes bytes[0..n) as the converter's encoding, strictly, into UTF-16
 * u[0..*out_len) (room for n * 2 + 2 units). False when the bytes are not
 * valid in it. */
static bool decode_strict_into(UConverter *cnv, const char *bytes, size_t n, UChar *u, int32_t *out_len)
{
    UErrorCode status = U_ZERO_ERROR;
    ucnv_resetToUnicode(cnv);
    UChar *t = u;
    const char *src = bytes;
    ucnv_toUnicode(cnv, &t, u + n * 2 + 2, &src, bytes + n, NULL, true, &status);
    if (U_FAILURE(status) || has_lone_surrogate(u, t - u))
        return false;
    *out_len = (int32_t)(t - u);
    return true;
}

/* Encodes u[0..n) strictly as the converter's encoding into the session's
 * scratch array `which` (*out is valid until that array is used again);
 * false when a character has no mapping or on allocation failure. */
static bool encode_strict(lf_mojibake_session *s, int which, UConverter *cnv, const UChar *u, int32_t n, char **out,
                          size_t *out_len, bool *nomem)
{
    size_t cap = (size_t)n * (size_t)ucnv_getMaxCharSize(cnv) + 4;
    char *b = scratch(s, which, cap);
    if (!b) {
        *nomem = true;
        return false;
    }
    UErrorCode status = U_ZERO_ERROR;
    ucnv_resetFromUnicode(cnv);
    char *t = b;
    const UChar *src = u;
    ucnv_fromUnicode(cnv, &t, b + cap, &src, u + n, NULL, true, &status);
    if (U_FAILURE(status))
        return false;
    *out = b;
    *out_len = (size_t)(t - b);
    return true;
}

static size_t u16_to_cps(const UChar *u, int32_t n, uint32_t *cps)
{
    size_t k = 0;
    for (int32_t i = 0; i < n;) {
        UChar32 c;
        U16_NEXT(u, i, n, c);
        cps[k++] = (uint32_t)c;
    }
    return k;
}

static bool is_lower_letter(uint32_t c)
{
    return c && u_islower((UChar32)c);
}

static bool is_ascii_letter(uint32_t c)
{
    return (c | 0x20) >= 'a' && (c | 0x20) <= 'z';
}

/* The full plausibility cost of the line's characters [a, b) between
 * ctx and after. The chains of a line, and the deeper levels of one, score
 * the same stretches again and again: the answers are kept in s->costs for
 * the line, and a kept one is the very number lf_plausibility_cost gives.
 * The exhaustive search scores every time (test_repair_prefilter compares). */
static double line_cost(lf_mojibake_session *s, size_t a, size_t b, const uint32_t ctx[2], uint32_t after)
{
    if (s->exhaustive)
        return lf_plausibility_cost(s->data->classes, s->cp + a, b - a, ctx, after, HUGE_VAL);
    /* Multiplied by odd constants the stretches of a line, which share
     * starts and ends, spread over the table. The context counts too: a
     * word is scored both in the line and alone (no_word_worse), and the
     * two would take each other's place for every chain. */
    size_t slot = a * 2654435761u + b * 40503u + (ctx[1] ^ after) * 2246822519u;
    struct lf_mojibake_cost *k = &s->costs[slot % LF_MOJIBAKE_COSTS];
    if (k->line == s->line && k->a == a && k->b == b && k->ctx[0] == ctx[0] && k->ctx[1] == ctx[1] &&
        k->after == after)
        return k->cost;
    double cost = lf_plausibility_cost(s->data->classes, s->cp + a, b - a, ctx, after, HUGE_VAL);
    *k = (struct lf_mojibake_cost){a, b, {ctx[0], ctx[1]}, after, s->line, cost};
    return cost;
}

/* --------------------------------------------------------- the decision */

/*
 * The deciding rule. A candidate replaces the original when
 *   - the reverse is exact (re-encoding gives back the very bytes),
 *   - it passes the shape checks of plausible_shape(),
 *   - it removes at least MIN_GAIN of plausibility cost, and
 *   - what is left is at most MAX_RATIO of the original cost.
 * The floor keeps two-character coincidences in clean text (a GB 2312
 * hanzi whose two bytes happen to form valid UTF-8, "Ã" before a symbol in
 * Portuguese capitals) from flipping; the ratio demands that the result be
 * clearly better, not merely less bad.
 * Measured on testdata/repair (8,065 clean controls, 3,600 lossless pairs)
 * and ftfy's 151 cases, by building with each setting and running
 * test_repair_corpus and test_repair_ftfy (final code, 23 Nov 2026):
 *   MIN_GAIN/MAX_RATIO  clean changed  pairs restored  ftfy
 *   0.3 / 0.6           16             3570 (99.2%)    120
 *   0.5 / 0.6            6             3570 (99.2%)    120
 *   0.8 / 0.6            0             3570 (99.2%)    122
 *   1.5 / 0.5            0             3565 (99.0%)    121
 *   1.5 / 0.6            0             3566 (99.1%)    122   <- chosen
 *   1.5 / 0.7            0             3566 (99.1%)    122
 *   2.0 / 0.5            0             3553 (98.7%)    120
 *   2.5 / 0.5            0             3536 (98.2%)    120
 * Clean paragraphs start to flip below 0.8; 1.5 keeps about twice that
 * margin for a loss of 4 pairs: clean text matters more than the repair
 * rate. The ratio barely matters between 0.5 and 0.7.
 */
#define MIN_GAIN 1.5
#define MAX_RATIO 0.6
/* Between GBK and Big5 both readings of the bytes are exact and of the same
 * kind (ideographs), so a wrong reading is told from a right one mostly by
 * dictionary pairs (NON_WORD_PAIR in plausibility.c), which lower the cost
 * by less and never by half: a smaller floor and a milder ratio. Measured
 * as above (MIN_GAIN_DBCS / MAX_RATIO_DBCS): 0.3/0.75, 0.5/0.9 and 1.2/0.75
 * all gave 0 clean changed and 3566 pairs, 2.0/0.6 3556 (the shape checks
 * decide most of these readings); 0.8 and 0.75 sit in the middle. */
#define MIN_GAIN_DBCS 0.8
#define MAX_RATIO_DBCS 0.75
/* Two single-byte misreadings whose results differ and whose gains are
 * within this ratio leave a span alone (ftfy's "DrÃ¥ber" case). */
#define AMBIGUITY 0.8

static double smaller(double a, double b)
{
    return a < b ? a : b;
}

/* The highest cost a candidate may have against an original costing orig. */
static double acceptable_cost(int chain, double orig)
{
    const struct chain *c = &chains[chain];
    if (is_cjk_encoding(c->bytes) && is_cjk_encoding(c->read_as))
        return smaller(orig - MIN_GAIN_DBCS, orig * MAX_RATIO_DBCS);
    return smaller(orig - MIN_GAIN, orig * MAX_RATIO);
}

static bool accept_chain(int chain, double orig_cost, double cand_cost)
{
    return cand_cost <= acceptable_cost(chain, orig_cost);
}

/* How much less plausible one word of a legacy CJK reading may become
 * (no_word_worse); a word of Latin letters with an ASCII one may not become
 * less plausible at all. Measured with each clean control paragraph
 * followed on its line by GBK read as windows-1252 ("ÖÐÎÄ²âÊÔ"), 7,133
 * lines: clean paragraphs changed 723 without the check; with a slack for
 * every word 36 / 310 / 358 at 1.0 / 2.0 / 3.0 (at 1.0 the corpus loses an
 * EUC-KR pair: "xp_pad°¡" is "xp_pad가"), with none for Latin words 72 at
 * 2.0, the corpus losing nothing. Judging the edge words with the line's
 * characters around them (18 changed) loses EUC-KR pairs ("URLÀÇ" is
 * "URL의"). */
#define WORD_SLACK 2.0

/* Between overlapping candidates of about equal gain, each dictionary word
 * pair of a reading counts this much ("圖示" over "瓜ボ" for the same bytes). */
#define WORD_RANK 0.3

/* What each kana costs a GBK or Big5 reading in the ranking (push_fix). */
#define KANA_RANK 0.5

/* UTF-8 misread is far more common today than legacy CJK bytes misread:
 * between overlapping readings, a legacy one needs this much more gain
 * ("Â«" is "«", not the GBK "芦"). */
#define LEGACY_PRIOR 1.0

/* "Ã " for "à" is a reverse that is not exact (see lost_nbsp). */
#define LOST_NBSP_CONFIDENCE 0.6
/* One Shift_JIS character alone in Latin text (lone_kana): its shape is
 * narrow, but two bytes are little evidence. */
#define LONE_KANA_CONFIDENCE 0.6

/* A lost character is certain to be lost, less certain to be what the
 * three characters before the mark were. */
#define LOST_CONFIDENCE 0.6

/* What a U+FFFD costs (PC_LOST in plausibility.c). */
#define LOST_MARK_COST 1.0

/* Below this cost a result reads as clean text: no further level is tried. */
#define PEEL_FLOOR 0.0

/* Confidence grows with the cost removed: 0.5 at the floor, 0.9 at 4x it. */
static double confidence_of(double gain)
{
    double c = gain / (gain + MIN_GAIN);
    return c > 0.99 ? 0.99 : c;
}

/* ------------------------------------------------------- the candidate search */

struct search {
    lf_mojibake_session *s;
    int chain;
    UConverter *x, *y;
    size_t run_start;        /* code point index of the run in the line */
    lf_mojibake_fixes *cand; /* collected candidates */
    bool nomem;
};

/* Whether the chain's true encoding is UTF-8 decoded without ICU: ICU's
 * strict UTF-8 decoder and lf_utf8_decode keep the same rules (RFC 3629: no
 * overlongs, no surrogates, nothing past U+10FFFF), and valid UTF-8 encodes
 * back to its very bytes, so the exact-reverse check has nothing to find.
 * The exhaustive search asks ICU, and test_repair_prefilter compares. */
static bool utf8_without_icu(const struct search *q)
{
    return chains[q->chain].bytes == LF_ENC_UTF8 && !q->s->exhaustive;
}

/* The tables of the chain's true encoding X when it is a double-byte one
 * the search decodes (chars) and encodes (code) without ICU; NULL when it
 * has none, and in the exhaustive search, which test_repair_prefilter
 * compares them with. */
static const uint16_t *chars_of_x(const struct search *q)
{
    enum lf_enc x = chains[q->chain].bytes;
    return is_cjk_encoding(x) && !q->s->exhaustive ? q->s->data->chars[x - LF_ENC_GBK] : NULL;
}

static const uint16_t *code_of_x(const struct search *q)
{
    enum lf_enc x = chains[q->chain].bytes;
    return is_cjk_encoding(x) && !q->s->exhaustive ? q->s->data->code[x - LF_ENC_GBK] : NULL;
}

/* decode_strict_into through X's chars table: these stateless converters
 * decode every character from its own one or two bytes, so the table read
 * in order gives what ICU gives, and fails where ICU would (a byte or pair
 * that is no character, a pair cut off at the end). */
static bool decode_pairs(const uint16_t *chars, const char *bytes, size_t n, UChar *u, int32_t *out_len)
{
    const unsigned char *b = (const unsigned char *)bytes;
    int32_t k = 0;
    for (size_t i = 0; i < n;) {
        uint16_t c = chars[b[i]];
        if (b[i] < 0x80 || c) {
            i++;
        } else {
            if (i + 1 == n || !(c = chars[b[i] << 8 | b[i + 1]]))
                return false;
            i += 2;
        }
        u[k++] = c;
    }
    *out_len = k;
    return true;
}

/* decode_strict_into for the chain's true encoding X. */
static bool decode_x_into(struct search *q, const char *bytes, size_t n, UChar *u, int32_t *out_len)
{
    const uint16_t *chars = chars_of_x(q);
    if (chars)
        return decode_pairs(chars, bytes, n, u, out_len);
    if (!utf8_without_icu(q))
        return decode_strict_into(q->x, bytes, n, u, out_len);
    int32_t k = 0;
    for (size_t i = 0; i < n;) {
        uint32_t c;
        size_t len = lf_utf8_decode(bytes + i, n - i, &c);
        if (!len)
            return false;
        U16_APPEND_UNSAFE(u, k, c);
        i += len;
    }
    *out_len = k;
    return true;
}

/* decode_x_into a new array (*out, malloc'd); false also on allocation
 * failure (q->nomem set). */
static bool decode_x(struct search *q, const char *bytes, size_t n, UChar **out, int32_t *out_len)
{
    UChar *u = malloc((n * 2 + 2) * sizeof *u);
    if (!u) {
        q->nomem = true;
        return false;
    }
    if (!decode_x_into(q, bytes, n, u, out_len)) {
        free(u);
        return false;
    }
    *out = u;
    return true;
}

/* The exact-reverse check through code[] of a double-byte X: 1 when
 * u[0..nu) is written as the very bytes[0..n), 0 when not. A character
 * that round-trips through X is the bytes code[] holds (ASCII: the byte
 * mark_ascii found); on one that does not, ICU may still write it by a
 * fallback mapping (private use): -1 unless a byte before it differs
 * already, and ICU must be asked. */
static int encodes_back_code(const struct search *q, const uint16_t *code, const UChar *u, int32_t nu,
                             const char *bytes, size_t n)
{
    const unsigned char *b = (const unsigned char *)bytes;
    uint16_t xbit = (uint16_t)(1u << chains[q->chain].bytes);
    size_t j = 0;
    for (int32_t i = 0; i < nu; i++) {
        UChar c = u[i];
        if (U16_IS_SURROGATE(c) || (c >= 0x80 && !(q->s->data->bmp[c] & xbit)))
            return -1;
        uint16_t w = code[c];
        if (c >= 0x80 && w > 0xFF) {
            if (j + 2 > n || b[j] != w >> 8 || b[j + 1] != (w & 0xFF))
                return 0;
            j += 2;
        } else {
            if (j + 1 > n || b[j] != w)
                return 0;
            j++;
        }
    }
    return j == n;
}

/* The exact-reverse check of a first-level candidate: it encodes back to
 * the very bytes it was decoded from. */
static bool encodes_back(struct search *q, const UChar *u, int32_t nu, const char *bytes, size_t n)
{
    if (utf8_without_icu(q))
        return true;
    const uint16_t *code = code_of_x(q);
    int known = code ? encodes_back_code(q, code, u, nu, bytes, n) : -1;
    if (known >= 0)
        return known;
    char *back;
    size_t nback;
    return encode_strict(q->s, SCRATCH_BACK, q->x, u, nu, &back, &nback, &q->nomem) && nback == n &&
           memcmp(back, bytes, n) == 0;
}

/* Decodes bytes[0..n) as X and checks the reverse is exact: the result
 * encodes back to the very same bytes. */
static bool decode_exact(struct search *q, const char *bytes, size_t n, UChar **out, int32_t *nout)
{
    if (!decode_x(q, bytes, n, out, nout))
        return false;
    if (encodes_back(q, *out, *nout, bytes, n))
        return true;
    free(*out);
    return false;
}

/* Writes character c of a double-byte encoding through its code[] table
 * into out; returns the number of bytes. */
static size_t put_code(const uint16_t *code, uint32_t c, char *out)
{
    if (c >= 0x80 && code[c] > 0xFF) {
        out[0] = (char)(code[c] >> 8);
        out[1] = (char)(code[c] & 0xFF);
        return 2;
    }
    out[0] = (char)(code[c] & 0xFF);
    return 1;
}

/* Encodes cp[0..n) (cu[0..ncu) in UTF-16), characters that all round-trip
 * through the chain's wrong encoding Y, into the session's scratch array
 * `which`: through Y's byte_of or code[] table, which give what ICU gives
 * these stateless converters, else (and in the exhaustive search) through
 * ICU. False on allocation failure (q->nomem set) or when ICU fails. */
static bool encode_y(struct search *q, int which, const uint32_t *cp, size_t n, const UChar *cu, int32_t ncu,
                     char **out, size_t *out_len)
{
    lf_mojibake_session *s = q->s;
    enum lf_enc y = chains[q->chain].read_as;
    const uint8_t *byte_of = s->exhaustive ? NULL : s->data->byte_of[y];
    const uint16_t *code = s->exhaustive || !is_cjk_encoding(y) ? NULL : s->data->code[y - LF_ENC_GBK];
    if (!byte_of && !code)
        return encode_strict(s, which, q->y, cu, ncu, out, out_len, &q->nomem);
    char *b = scratch(s, which, 2 * n + 1);
    if (!b) {
        q->nomem = true;
        return false;
    }
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        if (byte_of)
            b[k++] = (char)byte_of[cp[i]];
        else
            k += put_code(code, cp[i], b + k);
    }
    *out = b;
    *out_len = k;
    return true;
}

/* One more level of the same chain on a whole candidate cand[0..ncand)
 * (cu[0..ncu) in UTF-16) ("Ã¢â‚¬â„¢" -> "â€™" -> "’"): the level below in
 * *out_cp, *out_u (malloc'd, the caller's). False when there is none; most
 * candidates hold a character the wrong encoding lacks and fail before
 * anything is allocated. */
static bool peel_again(struct search *q, const uint32_t *cand, size_t ncand, const UChar *cu, int32_t ncu,
                       uint32_t **out_cp, size_t *out_n, UChar **out_u, int32_t *out_nu)
{
    const struct lf_repair_data *d = q->s->data;
    uint32_t bit = 1u << q->chain;
    bool starts = false; /* a lead byte beside a follower, as in lf_mojibake_line */
    for (size_t i = 0; i < ncand; i++) {
        uint32_t c = cand[i], next = i + 1 < ncand ? cand[i + 1] : 0;
        if (c >= 0x10000 || !(d->bmp[c] & (1u << chains[q->chain].read_as)))
            return false;
        starts |= (d->pair[c] & bit) || ((d->lead[c] & bit) && next < 0x10000 && (d->follow[next] & bit));
    }
    if (!starts)
        return false;
    char *bytes;
    size_t nb;
    /* decode_exact encodes into SCRATCH_BACK: these bytes stay apart. */
    if (!encode_y(q, SCRATCH_PEEL, cand, ncand, cu, ncu, &bytes, &nb))
        return false;
    UChar *u2;
    int32_t n2;
    if (!decode_exact(q, bytes, nb, &u2, &n2))
        return false;
    uint32_t *c2 = malloc(((size_t)n2 + 1) * sizeof *c2);
    if (!c2) {
        q->nomem = true;
        free(u2);
        return false;
    }
    *out_n = u16_to_cps(u2, n2, c2);
    *out_cp = c2;
    *out_u = u2;
    *out_nu = n2;
    return true;
}

/* One CJK character read back as UTF-8 is one letter of U+0080..U+07FF:
 * believable only beside Latin letters (plausible_shape). True for other
 * chains and longer spans. */
static bool lone_letter_ok(const struct search *q, size_t norig, uint32_t before, uint32_t after)
{
    const struct chain *c = &chains[q->chain];
    if (c->bytes != LF_ENC_UTF8 || !is_cjk_encoding(c->read_as) || norig != 1)
        return true;
    return is_ascii_letter(before) || is_ascii_letter(after);
}

/* Whether c may stand in a reading of bytes of the CJK encoding x (see
 * plausible_shape). */
static bool fits_reading(enum lf_enc x, uint32_t c)
{
    if (x == LF_ENC_SJIS)
        return c < 0xFF61 || c > 0xFF9F;
    if (x == LF_ENC_EUCKR)
        return is_korean_reading(c);
    return x != LF_ENC_GBK && x != LF_ENC_BIG5 ? true : is_han_text(c);
}

/* Whether every letter a C1 control of orig[0..n) becomes in cand (the
 * letters windows-1252 keeps at 0x8A-0x9F: Š Œ Ž š œ ž Ÿ) has a letter
 * beside it: those letters are written inside words only. A lone C1
 * control beside a Latin-1 character in ASCII text is rather one half of a
 * two-byte CJK character ("PGP \x8c®" is Shift_JIS 8C AE "鍵", not "Œ®").
 * ƒ is left out: it stands alone as the f-number sign ("ƒ/2.8"). */
static bool c1_letters_in_words(const uint32_t *orig, size_t norig, const uint32_t *cand, size_t ncand,
                                uint32_t before, uint32_t after)
{
    if (norig != ncand)
        return true;
    for (size_t i = 0; i < ncand; i++) {
        if (orig[i] < 0x80 || orig[i] > 0x9F || !u_isalpha((UChar32)cand[i]) || cand[i] == 0x192)
            continue;
        uint32_t l = i > 0 ? cand[i - 1] : before, r = i + 1 < ncand ? cand[i + 1] : after;
        if (!u_isalpha((UChar32)l) && !u_isalpha((UChar32)r))
            return false;
    }
    return true;
}

/* Between GBK and Big5, a short span whose two readings are both all
 * ideographs of the level-1 planes, neither forming a pair of OpenCC's
 * phrase lists, ties on every other evidence when it is the only non-ASCII
 * text of a line of Latin text ("CFA 楊檔 BEAC" is "CFA 法郎 BEAC"). There
 * ICU's word-break dictionary decides: the reading with a word of it wins
 * over a span without any. Elsewhere the tie is left alone: in the first
 * tries, asking ICU about every short piece of Chinese cost 31% more
 * instructions on the clean controls (tools/fixtext -p repair under
 * callgrind), about every line with a short piece alone 19%. */
#define TIE_SPAN 4

/* Whether the line holds ASCII letters and n non-ASCII characters. */
static bool latin_line_with(const lf_mojibake_session *s, size_t n)
{
    size_t high = 0;
    bool letter = false;
    for (size_t i = 0; i < s->ncp; i++) {
        high += s->cp[i] >= 0x80;
        letter = letter || is_ascii_letter(s->cp[i]);
    }
    return letter && high == n;
}

/* Whether cp[0..n) is 2 to TIE_SPAN ideographs of the level-1 planes. */
static bool short_ideograph_span(const struct lf_repair_data *d, const uint32_t *cp, size_t n)
{
    if (n < 2 || n > TIE_SPAN)
        return false;
    for (size_t i = 0; i < n; i++)
        if (!lf_mojibake_is_ideograph(d, cp[i]) || lf_mojibake_is_rare_ideograph(d, cp[i]))
            return false;
    return true;
}

/* Whether a span and its reading between GBK and Big5 may tie (see
 * above); ICU is asked later (dictionary_breaks_tie), and only when the
 * costs tie too. */
static bool may_tie(const struct search *q, const uint32_t *orig, size_t norig, const uint32_t *cand, size_t ncand)
{
    const struct chain *c = &chains[q->chain];
    return is_cjk_encoding(c->bytes) && is_cjk_encoding(c->read_as) && short_ideograph_span(q->s->data, orig, norig) &&
           short_ideograph_span(q->s->data, cand, ncand) && latin_line_with(q->s, norig);
}

static bool dictionary_breaks_tie(struct search *q, const uint32_t *orig, size_t norig, const uint32_t *cand,
                                  size_t ncand)
{
    const UBreakIterator *words = q->s->data->words;
    return lf_words_icu_count(words, orig, norig, &q->nomem) == 0 && lf_words_icu_count(words, cand, ncand, &q->nomem) > 0;
}

/* Shape checks before any scoring. One CJK character read back as UTF-8 is
 * one letter of U+0080..U+07FF: believable only beside Latin letters
 * ("caf茅" for "café"), not inside CJK text. A legacy CJK reading must give at least
 * two non-ASCII characters: one is too weak an evidence ("‰s" is a valid
 * Shift_JIS character, a pinyin "è" beside a bracket a valid Big5 one, "çã"
 * a GBK one). A line misread as a whole is still reversed whole, short
 * pieces included (see search_run).
 * Between GBK and Big5, whose byte ranges overlap almost wholly, the span
 * must also be mostly CJK (ideographs, kana, CJK punctuation) with at least
 * one ideograph or two private-use characters: Cyrillic, kana or
 * Greek text sits in both code pages' symbol rows and "decodes" to common
 * hanzi. */
static bool plausible_shape(const struct search *q, const uint32_t *orig, size_t norig, const uint32_t *cand,
                            size_t ncand, uint32_t before, uint32_t after, bool *tie)
{
    const struct chain *c = &chains[q->chain];
    if (c->bytes == LF_ENC_UTF8 && is_cjk_encoding(c->read_as) && norig == 1)
        return lone_letter_ok(q, norig, before, after);
    if (is_utf8_family(c->bytes) && !is_cjk_encoding(c->read_as)) {
        /* Every UTF-8 lead byte read as Latin-1 or cp1252 is a letter
         * (Â..ô, or × for Hebrew); in MacRoman or cp437 it may be a symbol, but a span with
         * no letter at all ("¬´", "∆°", "├┤") is too often real symbols,
         * unless it gives back two Latin-1 letters or more ("caf√© √©tait"),
         * or one, alone in the span, joined to a word ("st√∏rre", "est√†"). */
        for (size_t i = 0; i < norig; i++)
            if (orig[i] >= 0x80 && (u_isalpha((UChar32)orig[i]) || orig[i] == 0xD7))
                return true;
        size_t letters = 0;
        for (size_t i = 0; i < ncand; i++)
            letters += cand[i] >= 0xC0 && cand[i] <= 0xFF && u_isalpha((UChar32)cand[i]);
        return letters >= 2 || (letters == 1 && norig <= 3 && (is_ascii_letter(before) || is_ascii_letter(after)));
    }
    if (c->bytes == LF_ENC_CP1252)
        return c1_letters_in_words(orig, norig, cand, ncand, before, after);
    if (!is_cjk_encoding(c->bytes))
        return true;
    size_t high = 0;
    for (size_t i = 0; i < ncand; i++)
        high += cand[i] >= 0x80;
    if (high < 2)
        return false;
    /* Modern Japanese hardly writes half-width katakana, and Chinese and
     * Korean text is letters and punctuation: a Shift_JIS reading with the
     * one, a GBK, Big5 or EUC-KR reading with symbols from the code pages'
     * rows of box drawing, squared units and signs, read bytes that were
     * something else (UTF-8 misread twice: "ãƒâ€ ã¢â‚¬" is not
     * "繝窶 罎竄ｬ", "â?¬â?¢" not "砂?┬"). */
    for (size_t i = 0; i < ncand; i++)
        if (!fits_reading(c->bytes, cand[i]))
            return false;
    if (!is_cjk_encoding(c->read_as))
        return true;
    size_t cjk = 0, other = 0, han = 0, pua = 0;
    for (size_t i = 0; i < norig; i++) {
        UChar32 ch = (UChar32)orig[i];
        if (ch < 0x80)
            continue;
        if (u_hasBinaryProperty(ch, UCHAR_IDEOGRAPHIC))
            han++;
        if (ch >= 0xE000 && ch <= 0xF8FF)
            pua++;
        /* Private use counts with CJK: the code pages' user-defined rows
         * decode there. */
        if (u_hasBinaryProperty(ch, UCHAR_IDEOGRAPHIC) || (ch >= 0x3000 && ch <= 0x30FF) ||
            (ch >= 0xFF00 && ch <= 0xFFEF) || (ch >= 0xE000 && ch <= 0xF8FF))
            cjk++;
        else
            other++;
    }
    if (cjk < 2 || cjk < other || (han == 0 && pua < 2))
        return false;
    /* The right reading forms more dictionary words than the wrong one,
     * unless the wrong one shows user-defined (private use) characters or
     * ideographs outside every level-1 plane where the right one has none,
     * evidence enough: the dictionary pairs come from OpenCC's phrase
     * lists, which lack most words that convert character by character
     * ("具有工具提示" has none, its Big5 reading "撿衄馱撿枑尨" two level-2
     * characters). */
    if (pua == 0 && lf_plausibility_word_pairs(cand, ncand) <= lf_plausibility_word_pairs(orig, norig) &&
        !(lf_mojibake_rare_ideographs(q->s->data, orig, norig) > 0 &&
          lf_mojibake_rare_ideographs(q->s->data, cand, ncand) == 0)) {
        /* A short span with no pair either way is left to ICU's
         * dictionary when tie is given (dictionary_breaks_tie). */
        if (!tie || !may_tie(q, orig, norig, cand, ncand))
            return false;
        *tie = true;
    }
    /* The right reading of Chinese bytes is Chinese. */
    for (size_t i = 0; i < ncand; i++)
        if (!is_chinese_reading(cand[i]))
            return false;
    return true;
}

/* When the truncated sequence bytes[e..tail) is at least min_len bytes long
 * and is followed by a U+FFFD or '?' standing for its lost last byte ("â€�"
 * is "”" or "…" whose last byte was lost): the index of the character after
 * the mark. 0 otherwise. */
static size_t lost_mark_at(const struct search *q, const struct scratch *sc, size_t e, size_t tail, size_t min_len)
{
    if (tail - e < min_len)
        return 0;
    /* '?' only after a single-byte misreading: Chinese text puts ASCII
     * question marks right after ideographs. */
    if (tail < sc->nbytes)
        return sc->bytes[tail] == '?' && !is_cjk_encoding(chains[q->chain].read_as) ? q->run_start + sc->bcp[tail] + 1
                                                                                   : 0;
    size_t next = q->run_start + sc->bcp[tail];
    return next < q->s->ncp && q->s->cp[next] == 0xFFFD ? next + 1 : 0;
}
/* One level of a chain's reverse: its text as code points and UTF-16. */
struct level {
    uint32_t *cp;
    size_t n;
    UChar *u;
    int32_t nu;
    double cost;
};

/* Whether a deeper level cp[0..n) still reads as what the chain's bytes
 * were: the shape checks plausible_shape makes of the first level's
 * characters (fits_reading; Chinese only between GBK and Big5). Without
 * this, a second pass of GBK read as Big5 won on cost with a katakana in the
 * middle of the hanzi ("解密失敗" became "秆盞ア毖": a kana breaks the run of
 * ideograph pairs that pay NON_WORD_PAIR). */
static bool level_fits(const struct search *q, const uint32_t *cp, size_t n)
{
    const struct chain *c = &chains[q->chain];
    if (!is_cjk_encoding(c->bytes))
        return true;
    bool chinese = is_cjk_encoding(c->read_as);
    for (size_t i = 0; i < n; i++)
        if (!fits_reading(c->bytes, cp[i]) || (chinese && !is_chinese_reading(cp[i])))
            return false;
    return true;
}

/* Peels further levels of the same chain below lv[0] while they exist and
 * returns the depth (1-3) of the level that costs least among those that
 * pass level_fits: the middle level of a double encoding is itself mojibake
 * ("Ãƒâ€¡" -> "Ã‡" -> "Ç") and need not look better. *nlv receives the
 * number of levels made; the caller frees them. */
static int peel_levels(struct search *q, struct level lv[3], int *nlv, const uint32_t ctx[2], uint32_t after,
                       double limit)
{
    int depth = 1;
    *nlv = 1;
    /* A result that already reads as clean text has no deeper level worth a
     * try, but for one that is itself exact UTF-8 read the chain's way
     * ("Ã…Â\u00A0" -> "Å\u00A0", the bytes C5 A0 of "Š"): there the deeper
     * level wins a tie, since clean text seldom spells UTF-8 by chance. */
    while (*nlv < 3 && (lv[*nlv - 1].cost > PEEL_FLOOR || is_utf8_family(chains[q->chain].bytes))) {
        struct level *prev = &lv[*nlv - 1], *next = &lv[*nlv];
        if (!peel_again(q, prev->cp, prev->n, prev->u, prev->nu, &next->cp, &next->n, &next->u, &next->nu))
            break;
        next->cost = lf_plausibility_cost(q->s->data->classes, next->cp, next->n, ctx, after, limit);
        double best = lv[depth - 1].cost;
        if ((next->cost < best || (best <= PEEL_FLOOR && next->cost <= best)) && level_fits(q, next->cp, next->n))
            depth = *nlv + 1;
        (*nlv)++;
    }
    return depth;
}

/* Records the repair of line characters [a, b) by cand[0..n): characters it
 * leaves as they were are no part of it (but at the end when a cut-off
 * character follows, bytes [e, tail) of the run), and a cut-off character
 * with its loss mark becomes one U+FFFD. */
static void push_fix(struct search *q, const struct scratch *sc, size_t a, size_t b, size_t e, size_t tail,
                     const uint32_t *cand, size_t n, double gain, int depth)
{
    const lf_mojibake_session *s = q->s;
    size_t lo = 0, hi = n;
    while (lo < hi && a + lo < b && cand[lo] == s->cp[a + lo])
        lo++;
    while (tail <= e && hi > lo && b - (n - hi) > a + lo && cand[hi - 1] == s->cp[b - (n - hi) - 1])
        hi--;
    size_t end = b - (n - hi), t = tail > e ? q->run_start + sc->bcp[tail] : end;
    a += lo;
    lf_buf text;
    lf_buf_init(&text);
    /* Room for the text and its loss mark at once: most candidates are
     * dropped, and growing each one character by character cost more than
     * making it. */
    bool built = lf_buf_reserve(&text, 4 * (hi - lo) + 4);
    for (size_t i = lo; i < hi && built; i++)
        built = lf_buf_append_cp(&text, cand[i]);
    size_t lost_end = tail > e ? lost_mark_at(q, sc, e, tail, 1) : 0;
    if (lost_end) {
        built = built && lf_buf_append_cp(&text, 0xFFFD);
        end = t = lost_end;
    }
    built = built && lf_buf_reserve(&text, 1);
    double rank = gain + WORD_RANK * (double)lf_plausibility_word_pairs(cand, n) -
                  (is_utf8_family(chains[q->chain].bytes) ? 0 : LEGACY_PRIOR);
    /* Kana in a GBK or Big5 reading come from rows Chinese text hardly
     * uses: such a reading yields to another ("<¤À¤ä>" is Big5 "分支", not
     * GBK "だや"). */
    if (chains[q->chain].bytes == LF_ENC_GBK || chains[q->chain].bytes == LF_ENC_BIG5)
        for (size_t i = 0; i < n; i++)
            rank -= cand[i] >= 0x3040 && cand[i] <= 0x30FF ? KANA_RANK : 0;
    lf_mojibake_fix fix = {s->off[a], s->off[end], text.data, text.len, gain, rank,
                           confidence_of(gain), q->chain, depth, s->off[t], NULL};
    if (!built || !lf_mojibake_fixes_push(q->cand, &fix)) {
        lf_buf_free(&text);
        q->nomem = true;
    }
}

static bool is_hangul(uint32_t c)
{
    return c >= 0xAC00 && c <= 0xD7A3;
}

static size_t hangul_count(const lf_mojibake_session *s)
{
    size_t n = 0;
    for (size_t i = 0; i < s->ncp; i++)
        n += is_hangul(s->cp[i]);
    return n;
}

/* Whether a legacy CJK reading of single-byte text, compared word by word
 * (the words between spaces, which both sides keep: no GBK, Big5,
 * Shift_JIS or EUC-KR character has a space in it), makes no word much
 * less plausible (WORD_SLACK). A stretch misread as a whole is judged as a
 * whole, so that its short pieces ride along; this keeps clean words
 * beside it from riding along too ("CONFEDERAÇÃO SUÍÇA | ÖÐÎÄ" is not
 * "CONFEDERA敲O"). */
static bool no_word_worse(const struct search *q, size_t a, size_t b, const uint32_t *cand, size_t ncand)
{
    const struct chain *c = &chains[q->chain];
    if (!is_cjk_encoding(c->bytes) || is_cjk_encoding(c->read_as))
        return true;
    const uint32_t *orig = q->s->cp + a;
    size_t norig = b - a;
    const uint32_t none[2] = {0, 0};
    const uint16_t *classes = q->s->data->classes;
    size_t i = 0, j = 0;
    while (i < norig && j < ncand) {
        size_t ie = i, je = j;
        while (ie < norig && orig[ie] != ' ')
            ie++;
        while (je < ncand && cand[je] != ' ')
            je++;
        /* A word of Latin letters gets no slack: "CONFEDERAÇÃO" is no
         * "CONFEDERA敲O". */
        bool latin_word = true, ascii_letter = false;
        for (size_t k = i; k < ie; k++) {
            latin_word = latin_word && u_isalpha((UChar32)orig[k]) && orig[k] < 0x250;
            ascii_letter = ascii_letter || is_ascii_letter(orig[k]);
        }
        double limit = line_cost(q->s, a + i, a + ie, none, 0) + (latin_word && ascii_letter ? 0 : WORD_SLACK);
        if (lf_plausibility_cost(classes, cand + j, je - j, none, 0, limit) > limit)
            return false;
        i = ie + 1;
        j = je + 1;
    }
    return true;
}

/* Judges the stretch bytes[p..e) of the run as a reverse of the chain;
 * true when it became a candidate. */
static bool consider(struct search *q, struct scratch *sc, size_t p, size_t e, size_t tail)
{
    lf_mojibake_session *s = q->s;
    size_t a = q->run_start + sc->bcp[p], b = q->run_start + sc->bcp[e];
    uint32_t before = a > 0 ? s->cp[a - 1] : 0, after = b < s->ncp ? s->cp[b] : 0;
    /* A character cut off by the end of the line follows ([e, tail)):
     * what comes next is a lost character, reported as such, not the
     * letters its bytes read as ("Canon CRW raw ç”»åƒ" is "画" and the first
     * two bytes of "像"). Inside a line a lead byte before ASCII is no
     * cut-off without a loss mark ("MÄ£ÄM" stays). */
    if (tail > e && q->run_start + sc->bcp[tail] == s->ncp)
        after = 0xFFFD;
    /* A lone ideograph between spaces is judged by the words around it
     * (Italian "è" read as GBK is "nomi 猫 %d"), and so is a lone Hangul
     * syllable in a line without other Hangul ("nomi 챔 %d"); in Korean
     * text it is a word ("%lu 키,"). */
    bool lone_han = b - a == 1 && (u_hasBinaryProperty((UChar32)s->cp[a], UCHAR_IDEOGRAPHIC) ||
                                   (is_hangul(s->cp[a]) && hangul_count(s) == 1));
    if (lone_han && before == ' ' && a >= 2)
        before = s->cp[a - 2];
    if (lone_han && after == ' ' && b + 1 < s->ncp)
        after = s->cp[b + 1];
    /* The one shape check that needs no decoding, made before it. */
    if (!lone_letter_ok(q, b - a, before, after))
        return false;
    struct level lv[3] = {{0}};
    /* The first level lives in the session's scratch: most stretches end
     * with it, and deeper levels are allocated only when they exist. */
    size_t n = e - p;
    lv[0].u = scratch(s, SCRATCH_LEVEL_U16, (n * 2 + 2) * sizeof *lv[0].u);
    lv[0].cp = scratch(s, SCRATCH_LEVEL_CP, (n * 2 + 2) * sizeof *lv[0].cp);
    if (!lv[0].u || !lv[0].cp) {
        q->nomem = true;
        return false;
    }
    if (!decode_x_into(q, sc->bytes + p, n, lv[0].u, &lv[0].nu))
        return false;
    lv[0].n = u16_to_cps(lv[0].u, lv[0].nu, lv[0].cp);
    bool taken = false;
    int nlv = 1;
    bool tie = false;
    if (plausible_shape(q, s->cp + a, b - a, lv[0].cp, lv[0].n, before, after, &tie)) {
        const uint32_t ctx[2] = {a > 1 && before == s->cp[a - 1] ? s->cp[a - 2] : 0, before};
        double orig_cost = line_cost(s, a, b, ctx, after);
        /* Beyond this a candidate cannot be accepted: score no further. */
        double limit = acceptable_cost(q->chain, orig_cost);
        lv[0].cost = lf_plausibility_cost(s->data->classes, lv[0].cp, lv[0].n, ctx, after, limit);
        int depth = peel_levels(q, lv, &nlv, ctx, after, limit);
        const struct level *best = &lv[depth - 1];
        taken = (tie ? best->cost <= orig_cost && dictionary_breaks_tie(q, s->cp + a, b - a, best->cp, best->n)
                     : accept_chain(q->chain, orig_cost, best->cost)) &&
                no_word_worse(q, a, b, best->cp, best->n) &&
                encodes_back(q, lv[0].u, lv[0].nu, sc->bytes + p, e - p);
        if (taken)
            push_fix(q, sc, a, b, e, tail, best->cp, best->n, orig_cost - best->cost, depth);
    }
    for (int i = 1; i < nlv; i++) {
        free(lv[i].cp);
        free(lv[i].u);
    }
    return taken;
}

/* Longest prefix of bytes[p..n) that is valid X and ends on a boundary of
 * both encodings; returns its end (p when there is none). Sets x_start[i]
 * for i up to the bytes it looked at: whether bytes[p + i] starts an X
 * character. */
/* A stretch is decoded at most this far: the search calls valid_stretch at
 * every piece of a line, so an unbounded stretch makes long lines quadratic
 * (a 110 KB line of short pieces took 8 s). 4 KiB is longer than any
 * paragraph of the test corpora, so no decision there changes; a longer
 * misread span is judged in 4 KiB pieces. */
#define MAX_STRETCH 4096

/* valid_stretch for UTF-8: a quick structural scan finds the stretch; ICU
 * decodes it later. */
static size_t valid_stretch_utf8(const struct scratch *sc, size_t p, size_t n, bool *x_start)
{
    size_t i = p, e = p;
    while (i < n) {
        uint32_t c;
        size_t k = lf_utf8_decode(sc->bytes + i, n - i, &c);
        if (!k)
            break;
        x_start[i - p] = true;
        for (size_t j = 1; j < k; j++)
            x_start[i - p + j] = false;
        i += k;
        if (sc->cb[i])
            e = i;
    }
    x_start[i - p] = true;
    return e;
}

/* The length of the character the double-byte encoding's bytes b[0..left)
 * start with, what it reads as in *kind (LF_PAIR_, from the pairs table);
 * 0 when they start none. Every ASCII byte is a character below 0x80 by
 * itself (lf_mojibake_pairs_new checks). */
static inline size_t pair_char(const uint8_t *pairs, const unsigned char *b, size_t left, unsigned *kind)
{
    if (pairs[b[0]]) {
        *kind = pairs[b[0]];
        return 1;
    }
    *kind = left > 1 ? pairs[b[0] << 8 | b[1]] : LF_PAIR_NONE;
    return *kind ? 2 : 0;
}

/* valid_stretch for a double-byte CJK encoding, through its pairs table:
 * the characters ICU would decode, one after another, up to the first it
 * rejects. */
static size_t valid_stretch_pairs(const uint8_t *pairs, const struct scratch *sc, size_t p, size_t n, bool *x_start)
{
    const unsigned char *bytes = (const unsigned char *)sc->bytes;
    size_t i = p, e = p, len;
    unsigned kind;
    while (i < n && (len = pair_char(pairs, bytes + i, n - i, &kind)) > 0) {
        x_start[i - p] = true;
        if (len == 2)
            x_start[i - p + 1] = false;
        i += len;
        if (sc->cb[i])
            e = i;
    }
    x_start[i - p] = true;
    return e;
}

/* The pairs table valid_stretch follows for the chain's true encoding;
 * NULL where it asks ICU (and always in the exhaustive search, which
 * test_repair_prefilter compares the table with). */
static const uint8_t *pairs_of(const struct search *q)
{
    enum lf_enc x = chains[q->chain].bytes;
    return is_cjk_encoding(x) && !q->s->exhaustive ? q->s->data->pairs[x - LF_ENC_GBK] : NULL;
}

/* Whether a character of X may start at byte p of the run: false where
 * valid_stretch would find none at once (a byte that leads no UTF-8
 * sequence, bytes that are no character of the pairs table), so that the
 * search passes them by without the call. Always true in the exhaustive
 * search, which test_repair_prefilter compares with. */
static bool may_start_x(const struct search *q, const struct scratch *sc, size_t p)
{
    const unsigned char *b = (const unsigned char *)sc->bytes + p;
    if (q->s->exhaustive)
        return true;
    if (chains[q->chain].bytes == LF_ENC_UTF8)
        return b[0] >= 0xC2 && b[0] <= 0xF4;
    const uint8_t *pairs = pairs_of(q);
    unsigned kind;
    return !pairs || pair_char(pairs, b, sc->nbytes - p, &kind) > 0;
}

static size_t valid_stretch(struct search *q, struct scratch *sc, size_t p, bool *x_start)
{
    const char *bytes = sc->bytes;
    size_t n = sc->nbytes - p > MAX_STRETCH ? p + MAX_STRETCH : sc->nbytes, e = p;
    if (chains[q->chain].bytes == LF_ENC_UTF8)
        return valid_stretch_utf8(sc, p, n, x_start);
    const uint8_t *pairs = pairs_of(q);
    if (pairs)
        return valid_stretch_pairs(pairs, sc, p, n, x_start);
    int32_t cap = (int32_t)(n - p) + 2;
    UChar *u = scratch(q->s, SCRATCH_STRETCH_U16, (size_t)cap * sizeof *u);
    int32_t *offs = scratch(q->s, SCRATCH_STRETCH_OFFS, (size_t)cap * sizeof *offs);
    if (!u || !offs) {
        q->nomem = true;
        return p;
    }
    UErrorCode status = U_ZERO_ERROR;
    ucnv_resetToUnicode(q->x);
    UChar *t = u;
    const char *src = bytes + p;
    ucnv_toUnicode(q->x, &t, u + cap, &src, bytes + n, offs, true, &status);
    size_t valid = (size_t)(src - (bytes + p));
    if (U_FAILURE(status)) {
        char bad[32];
        int8_t nbad = sizeof bad;
        UErrorCode st2 = U_ZERO_ERROR;
        ucnv_getInvalidChars(q->x, bad, &nbad, &st2);
        valid = U_SUCCESS(st2) && (size_t)nbad <= valid ? valid - (size_t)nbad : 0;
    }
    memset(x_start, 0, valid + 1);
    for (int32_t k = 0; k < (int32_t)(t - u); k++)
        if (offs[k] >= 0 && (size_t)offs[k] < valid)
            x_start[offs[k]] = true;
    x_start[valid] = true;
    for (size_t i = p + 1; i <= p + valid; i++)
        if (sc->cb[i] && x_start[i - p])
            e = i;
    return e;
}

/* Two ASCII characters in a row end a stretch: mojibake of a non-ASCII
 * character never produces them, so what follows is judged on its own
 * ("Ã© and naÃ¯ve" is two repairs, and a lone valid pair far away in a
 * clean Latin sentence does not ride on a real repair). */
static size_t cut_at_ascii_words(const struct scratch *sc, size_t p, size_t e, const bool *x_start)
{
    for (size_t i = p + 1; i + 1 < e; i++)
        if ((unsigned char)sc->bytes[i] < 0x80 && (unsigned char)sc->bytes[i + 1] < 0x80 && sc->cb[i] &&
            x_start[i - p] && sc->cb[i + 1] && x_start[i + 1 - p])
            return i;
    return e;
}

/* After a stretch of UTF-8 ending at e: when the bytes from e on are the
 * start of one more UTF-8 character that breaks off (the end of the run, or
 * a byte that cannot continue it), its end; e otherwise. CESU-8 is UTF-8
 * here: otherwise its reading of a stretch before a cut-off character
 * differs from the UTF-8 chain's and can win over it on lines the CESU-8
 * chains are not searched on (the prefilter differential's damaged lines
 * with characters replaced found "REPÃƒÅ¡BåICA"). */
static size_t truncated_tail(const struct search *q, const struct scratch *sc, size_t e)
{
    if (!is_utf8_family(chains[q->chain].bytes) || e >= sc->nbytes)
        return e;
    unsigned char lead = (unsigned char)sc->bytes[e];
    size_t need = lead >= 0xF0 && lead <= 0xF4 ? 4 : lead >= 0xE0 && lead <= 0xEF ? 3 : lead >= 0xC2 && lead <= 0xDF ? 2 : 0;
    size_t k = 1;
    while (e + k < sc->nbytes && k < need && ((unsigned char)sc->bytes[e + k] & 0xC0) == 0x80)
        k++;
    if (need == 0 || k >= need || !sc->cb[e + k])
        return e;
    return e + k;
}

/* The stretch [p, e) less its trailing ASCII, which is the same in every
 * encoding. It stays when a truncated sequence follows it ("(huì)" and then
 * the first two bytes of "、" at the end of the line): the tail is seen
 * only right after the stretch, and the ASCII changes nothing. */
static size_t without_trailing_ascii(const struct search *q, const struct scratch *sc, size_t p, size_t e,
                                     const bool *x_start)
{
    if (truncated_tail(q, sc, e) > e)
        return e;
    while (e > p && (unsigned char)sc->bytes[e - 1] < 0x80 && sc->cb[e - 1] && x_start[e - 1 - p])
        e--;
    return e;
}

/* A truncated sequence of two bytes or more with its loss mark and nothing
 * repairable before it ("â€�" alone): the characters become one U+FFFD. */
static void lost_character(struct search *q, struct scratch *sc, size_t p, size_t end)
{
    lf_mojibake_session *s = q->s;
    size_t a = q->run_start + sc->bcp[p];
    char *text = malloc(4);
    if (!text) {
        q->nomem = true;
        return;
    }
    memcpy(text, "\xef\xbf\xbd", 4);
    /* The shape is the evidence (a three- or four-byte lead, a continuation,
     * the mark); the gain only ranks it against other candidates. */
    uint32_t before = a > 0 ? s->cp[a - 1] : 0, after = end < s->ncp ? s->cp[end] : 0;
    const uint32_t ctx[2] = {a > 1 ? s->cp[a - 2] : 0, before};
    double gain = lf_plausibility_cost(s->data->classes, s->cp + a, end - a, ctx, after, HUGE_VAL);
    lf_mojibake_fix fix = {s->off[a], s->off[end], text, 3, gain, gain, LOST_CONFIDENCE, q->chain, 1, s->off[end],
                           NULL};
    if (!lf_mojibake_fixes_push(q->cand, &fix)) {
        q->nomem = true;
        free(text);
    }
}

/* Whether b[0..n) is UTF-8 in its structure: at least two sequences (a
 * lead and its continuation bytes, CESU-8's surrogate halves included) and
 * at most one non-ASCII byte in eight outside one (a real "’" among
 * misread ones); the last may be cut off. Such bytes were UTF-8 before they were
 * misread, whatever a legacy CJK encoding makes of them ("à¤¹à¤¿" is
 * Devanagari, not the GBK "啶灌た"); real GBK, Big5, Shift_JIS or EUC-KR
 * bytes seldom line up so for more than a character or two. */
static bool utf8_shaped(const char *b, size_t n)
{
    size_t seqs = 0, high = 0, stray = 0;
    for (size_t i = 0; i < n;) {
        unsigned char lead = (unsigned char)b[i];
        if (lead < 0x80) {
            i++;
            continue;
        }
        size_t k = lead >= 0xC2 && lead <= 0xDF ? 2 : lead >= 0xE0 && lead <= 0xEF ? 3 : lead >= 0xF0 && lead <= 0xF4 ? 4 : 1;
        size_t j = 1;
        while (j < k && i + j < n && ((unsigned char)b[i + j] & 0xC0) == 0x80)
            j++;
        if (k > 1 && (j == k || i + j == n)) { /* whole, or cut off at the end */
            seqs += j == k;
            high += j;
            i += j;
        } else {
            stray++;
            high++;
            i++;
        }
    }
    return seqs >= 2 && stray * 8 <= high;
}

/* plausible_shape's checks of every character of a legacy CJK reading
 * (two non-ASCII ones at least, each one its script writes), made on the
 * stretch [p, e) through the pairs table before ICU decodes it: most
 * stretches of Latin text read as GBK hold a symbol or a kana. */
static bool reads_as_cjk(const struct search *q, const struct scratch *sc, size_t p, size_t e, const bool *x_start)
{
    const uint8_t *pairs = pairs_of(q);
    if (!pairs)
        return true;
    size_t high = 0;
    for (size_t i = p; i < e; i++) {
        unsigned kind;
        if (!x_start[i - p] || !pair_char(pairs, (const unsigned char *)sc->bytes + i, e - i, &kind))
            continue;
        if (kind == LF_PAIR_OTHER)
            return false;
        high += kind == LF_PAIR_FITS;
    }
    return high >= 2;
}

/* The shape checks a stretch of a legacy CJK reading must pass that can be
 * made before decoding it: two or more non-ASCII characters (their lead
 * bytes), and between GBK and Big5 an ideograph in the original (or two
 * user-defined characters). Most
 * stretches of these readings fail here, cheaply. */
static bool worth_a_look(const struct search *q, const struct scratch *sc, size_t p, size_t e, const bool *x_start)
{
    const struct chain *c = &chains[q->chain];
    if (!is_cjk_encoding(c->bytes))
        return true;
    size_t leads = 0;
    for (size_t i = p; i < e && leads < 2; i++)
        leads += x_start[i - p] && (unsigned char)sc->bytes[i] >= 0x81;
    if (leads < 2 || !reads_as_cjk(q, sc, p, e, x_start))
        return false;
    if (!is_cjk_encoding(c->read_as))
        return !utf8_shaped(sc->bytes + p, e - p);
    const lf_mojibake_session *s = q->s;
    size_t pua = 0;
    for (size_t i = q->run_start + sc->bcp[p]; i < q->run_start + sc->bcp[e]; i++) {
        if (lf_mojibake_is_ideograph(s->data, s->cp[i]))
            return true;
        pua += s->cp[i] >= 0xE000 && s->cp[i] <= 0xF8FF;
    }
    return pua >= 2;
}

/* Whether the original characters [a, b) of a stretch cost enough for a
 * repair to remove MIN_GAIN (accept_chain; costs are never negative). */
static bool costs_enough(lf_mojibake_session *s, size_t a, size_t b)
{
    /* The chains of one line ask about the same stretches: the answers
     * given on the line are kept (LF_MOJIBAKE_KNOWN of them). */
    for (size_t i = 0; i < s->nknown; i++)
        if (s->known[i].a == a && s->known[i].b == b)
            return s->known[i].enough;
    uint32_t before = a > 0 ? s->cp[a - 1] : 0, after = b < s->ncp ? s->cp[b] : 0;
    const uint32_t ctx[2] = {a > 1 ? s->cp[a - 2] : 0, before};
    bool enough = lf_plausibility_cost(s->data->classes, s->cp + a, b - a, ctx, after, MIN_GAIN) >= MIN_GAIN;
    if (s->nknown < LF_MOJIBAKE_KNOWN)
        s->known[s->nknown++] = (struct lf_mojibake_known){a, b, enough};
    return enough;
}

/* Whether a stretch [p, e) of legacy CJK bytes misread as a single-byte
 * code page costs enough for accept_chain to take a reverse of it: the cost
 * checked before the stretch is decoded, where consider would check it
 * after. (Such a stretch is two characters or more: consider judges it
 * with the very context costs_enough uses.) On clean Latin text most
 * stretches of these chains fail here; on UTF-8 misread as a code page
 * worth_a_look has dropped them already. Not in the exhaustive search,
 * which test_repair_prefilter compares with. */
static bool may_gain(const struct search *q, const struct scratch *sc, size_t p, size_t e)
{
    const struct chain *c = &chains[q->chain];
    if (!is_cjk_encoding(c->bytes) || is_cjk_encoding(c->read_as) || q->s->exhaustive)
        return true;
    return costs_enough(q->s, q->run_start + sc->bcp[p], q->run_start + sc->bcp[e]);
}

/* Latin-1 and windows-1252 differ only in 0x80-0x9F: each C1 control is a
 * repair of its own, so that one left over beside a span misread otherwise
 * ("â\x80\x98US pressureâ\x80\x99\x85": the quotes are UTF-8, the
 * ellipsis windows-1252) is still mended. */
static void c1_one_by_one(struct search *q, struct scratch *sc)
{
    for (size_t p = 0; p < sc->nbytes && !q->nomem; p++)
        if ((unsigned char)sc->bytes[p] >= 0x80 && (unsigned char)sc->bytes[p] <= 0x9F)
            consider(q, sc, p, p + 1, p + 1);
}

/* ------------------------------------------ lost bytes (utf8_lossy.c) */

/* Whether the characters cand[0..n) a misreading lost only no-break spaces
 * of are characters of the code page the text was misread as: "Šveices"
 * from windows-1257, "Р" from windows-1251; not the Hangul or Samaritan
 * letters clean "huì “hù" or "là « GTK" would give, nor windows-1251's
 * "Ӡ" from "У паролі". The exceptions: "à", the word whose no-break space
 * is lost most ("Г l’ouest" in windows-1251 is "à l’ouest"), and the
 * braille blank U+2800 (E2 A0 80), a filler in social media posts. */
static bool restores_own_letters(const struct search *q, const uint32_t *cand, size_t n)
{
    uint16_t bit = (uint16_t)(1u << chains[q->chain].read_as);
    for (size_t i = 0; i < n; i++)
        if (cand[i] >= 0x80 && cand[i] != 0x2800 && cand[i] != 0xE0 && (cand[i] >= 0x10000 || !(q->s->data->bmp[cand[i]] & bit)))
            return false;
    return true;
}

/* Judges line characters [a, b), read back as cand[0..n) through lost
 * bytes (r), as a repair of the chain. Besides the usual rule
 * (accept_chain), the shape is evidence: a sequence of three or four bytes
 * that kept a continuation byte ("â€�", "âš "), or two bytes inside a word
 * ("Ä�ina", "Å veices") when the result costs no more than the original.
 * A space read as a no-break space is weak evidence: clean Cyrillic is
 * full of one-letter words whose windows-1251 bytes lead a UTF-8 sequence
 * ("в і" would be "⠳"). A repair that restored one and lost nothing is
 * kept only beside another repair of the chain on the line (needs_company,
 * see choose). */
static void consider_lossy(struct search *q, size_t a, size_t b, const uint32_t *cand, size_t n, lf_flex_read r)
{
    lf_mojibake_session *s = q->s;
    uint32_t before = a > 0 ? s->cp[a - 1] : 0, after = b < s->ncp ? s->cp[b] : 0;
    if (!plausible_shape(q, s->cp + a, b - a, cand, n, before, after, NULL))
        return;
    const uint32_t ctx[2] = {a > 1 ? s->cp[a - 2] : 0, before};
    double orig_cost = line_cost(s, a, b, ctx, after);
    double cost = lf_plausibility_cost(s->data->classes, cand, n, ctx, after, HUGE_VAL);
    bool taken = accept_chain(q->chain, orig_cost, cost);
    uint32_t next = after == ' ' && b + 1 < s->ncp ? s->cp[b + 1] : after;
    if (!taken && (r.lost == 0 || r.long_seqs == 0)) {
        /* Two bytes: "Ä�ina" is a word that lost a letter, "Å veices" one
         * that lost its no-break space. */
        bool word_goes_on = r.lost ? r.restored == 0 && u_isalpha((UChar32)after)
                                   : is_lower_letter(next) || r.long_seqs > 0;
        if (cost > orig_cost || !word_goes_on)
            return;
    }
    if (r.lost == 0 && r.plain == 0 && !restores_own_letters(q, cand, n))
        return;
    /* A lone two-byte letter given its space back starts the word it joins
     * ("Šveices"); at the end of a word it is a letter before a space
     * ("ФАЙЛОВ таким" is no "ФАЙЛО\u00A0таким"). */
    if (r.lost == 0 && r.plain == 0 && r.long_seqs == 0 && u_isalpha((UChar32)before))
        return;
    lf_buf text;
    lf_buf_init(&text);
    bool built = true;
    for (size_t i = 0; i < n && built; i++)
        built = lf_buf_append_cp(&text, cand[i]);
    built = built && lf_buf_reserve(&text, 1);
    /* The U+FFFD a lost sequence becomes is the damage the original's
     * U+FFFD already is: like lost_character, the rank does not count it
     * against the repair. */
    double gain = orig_cost - cost, rank = gain + LOST_MARK_COST * (double)r.lost;
    lf_mojibake_fix fix = {s->off[a], s->off[b], text.data, text.len, gain, rank,
                           r.lost ? LOST_CONFIDENCE : LOST_NBSP_CONFIDENCE, q->chain, 1, s->off[b], NULL,
                           r.lost ? ", bytes lost on the way" : ", its no-break space turned into a space",
                           r.lost == 0};
    if (!built || !lf_mojibake_fixes_push(q->cand, &fix)) {
        lf_buf_free(&text);
        q->nomem = true;
    }
}

/* The run cp[a..b) of characters of the chain's (single-byte) wrong
 * encoding and U+FFFD, searched for UTF-8 that lost bytes on the way: a
 * lost byte where U+FFFD stands, 0xA0 where a space stands. Stretches that
 * lost nothing are search_run's. */
static void search_lossy_run(struct search *q, size_t a, size_t b)
{
    lf_mojibake_session *s = q->s;
    size_t n = b - a;
    UChar *u = scratch(s, SCRATCH_U16, (n + 1) * sizeof *u);
    unsigned char *bytes = scratch(s, SCRATCH_BYTES, n + 4);
    unsigned char *kind = scratch(s, SCRATCH_CB, n + 1);
    uint32_t *out = scratch(s, SCRATCH_STRETCH_U16, (n + 1) * sizeof *out);
    if (!u || !bytes || !kind || !out) {
        q->nomem = true;
        return;
    }
    for (size_t i = 0; i < n; i++) {
        uint32_t c = s->cp[a + i];
        u[i] = c == 0xFFFD ? '?' : (UChar)c; /* the run is BMP: see lf_mojibake_line */
        kind[i] = c == 0xFFFD ? LF_FLEX_LOST : c == ' ' ? LF_FLEX_SPACE : c == '?' ? LF_FLEX_MARK : LF_FLEX_BYTE;
    }
    /* The run's characters are Y's (or the '?' put for U+FFFD): its byte
     * table writes them as ICU does; the exhaustive search asks ICU. */
    const uint8_t *byte_of = s->exhaustive ? NULL : s->data->byte_of[chains[q->chain].read_as];
    if (byte_of) {
        for (size_t i = 0; i < n; i++)
            bytes[i] = byte_of[u[i]];
    } else {
        UErrorCode status = U_ZERO_ERROR;
        ucnv_resetFromUnicode(q->y);
        char *t = (char *)bytes;
        const UChar *src = u;
        ucnv_fromUnicode(q->y, &t, (char *)bytes + n + 4, &src, u + n, NULL, true, &status);
        if (U_FAILURE(status) || (size_t)(t - (char *)bytes) != n)
            return; /* not one byte per character: no single-byte reading */
    }
    for (size_t p = 0; p < n && !q->nomem;) {
        if (kind[p] != LF_FLEX_BYTE || bytes[p] < 0xC2) {
            p++;
            continue;
        }
        lf_flex_read r = lf_utf8_flex_read(bytes + p, kind + p, n - p, out);
        if (r.end > 0 && (r.lost || r.restored))
            consider_lossy(q, a + p, a + p + r.end, out, r.ncp, r);
        p += r.end ? r.end : 1;
    }
}

/* Encodes the n characters of the run at cp[a] with ICU into sc (bytes,
 * bcp, cb of the bytes; cap bytes of room); false when it cannot. */
static bool encode_run_icu(struct search *q, struct scratch *sc, size_t a, size_t n, size_t cap)
{
    lf_mojibake_session *s = q->s;
    UChar *u16 = scratch(s, SCRATCH_U16, (2 * n + 1) * sizeof *u16);
    size_t *u16_cp = scratch(s, SCRATCH_U16_CP, (2 * n + 1) * sizeof *u16_cp);
    int32_t *boff = scratch(s, SCRATCH_BOFF, cap * sizeof *boff);
    if (!u16 || !u16_cp || !boff) {
        q->nomem = true;
        return false;
    }
    size_t nu = 0;
    for (size_t i = 0; i < n; i++) {
        uint32_t c = s->cp[a + i];
        if (c >= 0x10000) {
            u16_cp[nu] = i;
            u16[nu++] = U16_LEAD(c);
            u16_cp[nu] = i;
            u16[nu++] = U16_TRAIL(c);
        } else {
            u16_cp[nu] = i;
            u16[nu++] = (UChar)c;
        }
    }
    UErrorCode status = U_ZERO_ERROR;
    ucnv_resetFromUnicode(q->y);
    char *t = sc->bytes;
    const UChar *src = u16;
    ucnv_fromUnicode(q->y, &t, sc->bytes + cap, &src, u16 + nu, boff, true, &status);
    if (U_FAILURE(status))
        return false; /* the round-trip set said otherwise; nothing to reverse */
    sc->nbytes = (size_t)(t - sc->bytes);
    for (size_t j = 0; j < sc->nbytes; j++) {
        sc->bcp[j] = u16_cp[boff[j]];
        sc->cb[j] = j == 0 || sc->bcp[j] != sc->bcp[j - 1];
    }
    return true;
}

/* Writes the n characters of the run at cp[a] into sc (bytes, bcp, cb)
 * through code[] of a double-byte wrong encoding: the run's characters all
 * round-trip through it, and these stateless converters write each one as
 * the bytes ICU gave it alone. */
static void encode_run_code(const lf_mojibake_session *s, const uint16_t *code, struct scratch *sc, size_t a,
                            size_t n)
{
    size_t j = 0;
    for (size_t i = 0; i < n; i++) {
        size_t len = put_code(code, s->cp[a + i], sc->bytes + j);
        for (size_t k = 0; k < len; k++) {
            sc->bcp[j + k] = i;
            sc->cb[j + k] = k == 0;
        }
        j += len;
    }
    sc->nbytes = j;
}

/* Encodes the run cp[a..b) in the wrong encoding and collects candidates.
 * A single-byte wrong encoding is written through its byte table
 * (struct lf_repair_data.byte_of), one byte per character, a double-byte
 * one through its code[]; the exhaustive search asks ICU. */
static void search_run(struct search *q, const struct lf_mojibake_runs *runs, size_t a, size_t b)
{
    lf_mojibake_session *s = q->s;
    struct scratch sc = {0};
    size_t n = b - a;
    enum lf_enc y = chains[q->chain].read_as;
    const uint8_t *byte_of = s->exhaustive ? NULL : s->data->byte_of[y];
    const uint16_t *code = s->exhaustive || !is_cjk_encoding(y) ? NULL : s->data->code[y - LF_ENC_GBK];
    size_t cap = byte_of ? n + 1 : 2 * n * (size_t)ucnv_getMaxCharSize(q->y) + 4;
    bool *x_start = scratch(s, SCRATCH_X_START, cap + 1);
    if (!x_start) {
        q->nomem = true;
        return;
    }
    if (byte_of) {
        /* The line's bytes in y, made once for all its chains (runs_of):
         * one byte a character. */
        sc.bytes = runs->bytes + a;
        sc.bcp = s->identity;
        sc.cb = s->all_true;
        sc.nbytes = n;
    } else {
        sc.bytes = scratch(s, SCRATCH_BYTES, cap);
        sc.bcp = scratch(s, SCRATCH_BCP, (cap + 1) * sizeof *sc.bcp);
        sc.cb = scratch(s, SCRATCH_CB, cap + 1);
        if (!sc.bytes || !sc.bcp || !sc.cb) {
            q->nomem = true;
            return;
        }
        if (code)
            encode_run_code(s, code, &sc, a, n);
        else if (!encode_run_icu(q, &sc, a, n, cap))
            return;
        sc.bcp[sc.nbytes] = n;
        sc.cb[sc.nbytes] = true;
    }
    if (chains[q->chain].bytes == LF_ENC_CP1252) {
        c1_one_by_one(q, &sc);
        return;
    }
    size_t p = 0;
    while (p < sc.nbytes && (unsigned char)sc.bytes[p] < 0x80)
        p++;
    /* The longest stretch from the first non-ASCII byte, when it reverses
     * as one: a line misread as a whole is judged as a whole, so its short
     * pieces ("Äê" for 年) ride along. Taken, its pieces need no look of
     * their own, and the search goes on after it. */
    /* Not taken, the first stretch is where the loop below starts: its end
     * and x_start, which nothing in between writes, serve again. */
    size_t first = p, first_end = p;
    if (p < sc.nbytes) {
        first_end = valid_stretch(q, &sc, p, x_start);
        size_t e = without_trailing_ascii(q, &sc, p, first_end, x_start);
        if (e > p && cut_at_ascii_words(&sc, p, e, x_start) < e && worth_a_look(q, &sc, p, e, x_start) &&
            may_gain(q, &sc, p, e) && consider(q, &sc, p, e, truncated_tail(q, &sc, e)))
            p = e;
    }
    while (p < sc.nbytes && !q->nomem) {
        if ((unsigned char)sc.bytes[p] < 0x80 || !sc.cb[p]) {
            p++;
            continue;
        }
        size_t e = p == first ? first_end : may_start_x(q, &sc, p) ? valid_stretch(q, &sc, p, x_start) : p;
        e = cut_at_ascii_words(&sc, p, e, x_start);
        /* Misread as a single-byte code page, a lost character is
         * search_lossy's, which reads on past it ("âš ï¸�"): where no
         * stretch starts there is nothing to look at. */
        bool lossy_searched = !is_cjk_encoding(chains[q->chain].read_as);
        if (e == p && lossy_searched) {
            p++;
            continue;
        }
        e = without_trailing_ascii(q, &sc, p, e, x_start);
        size_t tail = truncated_tail(q, &sc, e);
        size_t lost_end = e == p && tail > p && !lossy_searched ? lost_mark_at(q, &sc, p, tail, 2) : 0;
        if (lost_end) {
            lost_character(q, &sc, p, lost_end);
            p = tail;
        } else if (e > p) {
            if (worth_a_look(q, &sc, p, e, x_start) && may_gain(q, &sc, p, e))
                consider(q, &sc, p, e, tail);
            p = e;
        } else {
            p++;
        }
    }
}

static int by_rank(const void *pa, const void *pb)
{
    const lf_mojibake_fix *a = pa, *b = pb;
    if (a->rank != b->rank)
        return a->rank < b->rank ? 1 : -1;
    return a->chain - b->chain;
}

static int by_start(const void *pa, const void *pb)
{
    const lf_mojibake_fix *a = pa, *b = pb;
    return a->start < b->start ? -1 : a->start > b->start;
}

/* Most lines have a handful of candidates, where qsort's setup costs more
 * than the sorting: they are sorted by insertion, larger sets by qsort.
 * Both keep equal elements in order (glibc's qsort is a merge sort), so
 * the two give the same order. */
#define INSERTION_SORT_MAX 64

static void sort_fixes(lf_mojibake_fix *v, size_t n, int (*cmp)(const void *, const void *))
{
    if (n > INSERTION_SORT_MAX) {
        qsort(v, n, sizeof *v, cmp);
        return;
    }
    for (size_t i = 1; i < n; i++) {
        lf_mojibake_fix f = v[i];
        size_t j = i;
        for (; j > 0 && cmp(&v[j - 1], &f) > 0; j--)
            v[j] = v[j - 1];
        v[j] = f;
    }
}

/* Whether MacRoman and a Windows or ISO code page, both misreadings of
 * UTF-8, explain the same span almost as well with different results
 * ("DrÃ¥ber" reads back as "Dråber" through Latin-1 and otherwise through
 * MacRoman): then neither is clearly right. A CESU-8 reading counts as the
 * UTF-8 one it equals outside surrogates, or it would survive where that
 * one does not. */
static bool ambiguous(const lf_mojibake_fixes *cand, size_t i)
{
    const lf_mojibake_fix *f = &cand->v[i];
    if (is_cjk_encoding(chains[f->chain].read_as) || !is_utf8_family(chains[f->chain].bytes))
        return false;
    for (size_t j = 0; j < cand->n; j++) {
        const lf_mojibake_fix *g = &cand->v[j];
        if (j == i || g->start != f->start || g->end != f->end || !g->text || g->depth != f->depth ||
            is_cjk_encoding(chains[g->chain].read_as) || !is_utf8_family(chains[g->chain].bytes))
            continue;
        bool mac = chains[g->chain].read_as == LF_ENC_MACROMAN || chains[f->chain].read_as == LF_ENC_MACROMAN;
        if (mac && g->gain >= f->gain * AMBIGUITY && (g->len != f->len || memcmp(g->text, f->text, f->len) != 0))
            return true;
    }
    return false;
}

/* A UTF-8 or windows-1252 reading of part of a line, for outweighed. */
struct part {
    size_t start, end;
    double gain;
};

static int part_by_start(const void *pa, const void *pb)
{
    const struct part *a = pa, *b = pb;
    return a->start < b->start ? -1 : a->start > b->start;
}

/* The UTF-8 and windows-1252 readings among the candidates (sorted by
 * rank), taken best first without overlap, in order of position; *before
 * (malloc'd, [*np + 1]) gets the sum of the gains of those before each.
 * NULL when out of memory. */
static struct part *parts_of(const lf_mojibake_fixes *cand, size_t *np, double **before)
{
    size_t len = 0, n = 0;
    for (size_t i = 0; i < cand->n; i++)
        len = cand->v[i].end > len ? cand->v[i].end : len;
    bool *used = calloc(len + 1, 1);
    struct part *v = malloc((cand->n + 1) * sizeof *v);
    *before = malloc((cand->n + 1) * sizeof **before);
    if (!used || !v || !*before) {
        free(used);
        free(v);
        free(*before);
        return NULL;
    }
    for (size_t i = 0; i < cand->n; i++) {
        const lf_mojibake_fix *g = &cand->v[i];
        size_t k = g->start;
        while (k < g->end && !used[k])
            k++;
        if (is_cjk_encoding(chains[g->chain].bytes) || k < g->end)
            continue;
        memset(used + g->start, 1, g->end - g->start);
        v[n++] = (struct part){g->start, g->end, g->gain};
    }
    free(used);
    if (n > 1)
        qsort(v, n, sizeof *v, part_by_start);
    (*before)[0] = 0;
    for (size_t k = 0; k < n; k++)
        (*before)[k + 1] = (*before)[k] + v[k].gain;
    *np = n;
    return v;
}

/* The index of the first part starting at or after pos. */
static size_t first_part_from(const struct part *v, size_t n, size_t pos)
{
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (v[mid].start < pos)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

/* Whether a legacy CJK reading of a span (f) removes no more cost than the
 * UTF-8 and windows-1252 readings of its parts together (parts_of): a line
 * of quotes misread one way and a C1 control another is not GBK
 * ("â\x80\x9cmismatched quotes\x85\x94"). */
static bool outweighed(const lf_mojibake_fix *f, const struct part *v, size_t n, const double *before)
{
    if (!is_cjk_encoding(chains[f->chain].bytes))
        return false;
    size_t lo = first_part_from(v, n, f->start), hi = first_part_from(v, n, f->end);
    if (hi > lo && v[hi - 1].end > f->end)
        hi--; /* the parts do not overlap: only the last may reach past the span */
    double parts = before[hi] - before[lo];
    return parts > 0 && parts >= f->gain - LEGACY_PRIOR;
}

/* Whether another candidate of the same chain, one that stands on its own,
 * is on the line. */
static bool has_company(const lf_mojibake_fixes *cand, size_t i)
{
    for (size_t j = 0; j < cand->n; j++)
        if (j != i && !cand->v[j].needs_company && cand->v[j].chain == cand->v[i].chain)
            return true;
    return false;
}

/* Keeps the best of overlapping candidates, appends them to out by position. */
static lf_status choose(lf_mojibake_fixes *cand, lf_mojibake_fixes *out, lf_error *err)
{
    sort_fixes(cand->v, cand->n, by_rank);
    size_t nparts = 0;
    double *before = NULL;
    struct part *parts = parts_of(cand, &nparts, &before);
    if (!parts)
        return lf_nomem(err);
    /* The bytes of the line the chosen repairs cover. */
    size_t len = 0;
    for (size_t i = 0; i < cand->n; i++)
        len = cand->v[i].end > len ? cand->v[i].end : len;
    bool *used = calloc(len + 1, 1);
    lf_status st = used ? LF_OK : lf_nomem(err);
    size_t first = out->n;
    for (size_t i = 0; i < cand->n && st == LF_OK; i++) {
        lf_mojibake_fix *f = &cand->v[i];
        size_t k = f->start;
        while (k < f->end && !used[k])
            k++;
        if (k < f->end || ambiguous(cand, i) || outweighed(f, parts, nparts, before) ||
            (f->needs_company && !has_company(cand, i)))
            continue;
        if (!lf_mojibake_fixes_push(out, f)) {
            st = lf_nomem(err);
            break;
        }
        memset(used + f->start, 1, f->end - f->start);
        f->text = NULL; /* now owned by out */
    }
    free(used);
    free(parts);
    free(before);
    if (st != LF_OK)
        return st;
    if (out->n > first) /* out->v is NULL while out holds nothing */
        sort_fixes(out->v + first, out->n - first, by_start);
    return LF_OK;
}

/* lf_utf8_joins_a_grave for the word at cp[k]. */
static bool joins_a_grave(const lf_mojibake_session *s, size_t k)
{
    unsigned char word[5];
    size_t n = 0;
    for (; n < sizeof word && k + n < s->ncp; n++)
        word[n] = s->cp[k + n] < 0x80 ? (unsigned char)s->cp[k + n] : 0x80;
    return lf_utf8_joins_a_grave(word, n);
}

/*
 * "voilÃ le", "Ã perturber": "à" is C3 A0 in UTF-8; read as windows-1252 it
 * is "Ã" and a no-break space, and the no-break space often became a plain
 * space on the way (and merged with the space after it). The reverse is not
 * exact, so it is taken only in lower-case text: after a lower-case letter
 * or apostrophe, or before a lower-case word, never in capitals ("IRMÃ").
 */
static bool lost_nbsp(lf_mojibake_session *s, lf_mojibake_fixes *cand)
{
    for (size_t i = 0; i + 1 < s->ncp; i++) {
        if (s->cp[i] != 0xC3 || s->cp[i + 1] != ' ')
            continue;
        uint32_t before = i > 0 ? s->cp[i - 1] : 0;
        size_t next = i + 1;
        while (next < s->ncp && s->cp[next] == ' ')
            next++;
        uint32_t after = next < s->ncp ? s->cp[next] : 0;
        bool lower = is_lower_letter(before) || ((before == 0 || before == ' ' || before == '\'' || before == 0x2019) &&
                                                 is_lower_letter(after));
        if (!lower || (before && u_isupper((UChar32)before)))
            continue;
        /* Two spaces were the no-break space and a space: keep one. One
         * space is the no-break space itself before the Portuguese
         * contractions of "a" ("às", "àquele", "àquilo"), a space after
         * the word "à" otherwise ("voilà le"). */
        size_t end = next - i >= 3 || (next - i == 2 && joins_a_grave(s, next)) ? i + 2 : i + 1;
        char *text = malloc(3);
        if (!text)
            return false;
        memcpy(text, "\xc3\xa0", 3);
        lf_mojibake_fix fix = {s->off[i], s->off[end], text, 2, MIN_GAIN, MIN_GAIN, LOST_NBSP_CONFIDENCE,
                               chain_of(LF_ENC_UTF8, LF_ENC_CP1252), 1,
                               s->off[end], "UTF-8 read as windows-1252, its no-break space turned into a space"};
        if (!lf_mojibake_fixes_push(cand, &fix)) {
            free(text);
            return false;
        }
    }
    return true;
}

/*
 * "FanFold US Ž®", "'Lucid Lynx' ‚Ì CD-ROM", "PGP \x8c®": one Japanese
 * character in English text, its Shift_JIS bytes read as windows-1252 or
 * Latin-1. The search wants two characters of a legacy CJK reading
 * (plausible_shape: one is too weak an evidence), so this one shape is
 * taken apart from it, narrowly: the line is ASCII but for the two
 * characters, they stand apart from letters and digits, the first is a
 * byte of 0x81-0x9F (windows-1252's punctuation and C1-row letters, or a
 * C1 control: there Shift_JIS has kana and level-1 kanji, GBK only its
 * rare extension rows, Big5 and EUC-KR nothing) and the second one of
 * 0xA0-0xFC, and the bytes read as kana or a JIS X 0208 level-1 kanji.
 * Doubled dashes and quotes ("——", "“”") have a second byte below 0xA0 and
 * stay. No clean control has this shape (test_repair_corpus); the corpus's
 * three lines of one Shift_JIS character read as a code page are its cases.
 */
static size_t lone_kana_at(const lf_mojibake_session *s, unsigned *pair)
{
    const struct lf_repair_data *d = s->data;
    const uint8_t *byte_of = d->byte_of[LF_ENC_CP1252];
    size_t k = 0, letters = 0;
    while (k < s->ncp && s->cp[k] < 0x80)
        k++;
    if (k + 1 >= s->ncp || !byte_of)
        return SIZE_MAX;
    uint32_t c0 = s->cp[k], c1 = s->cp[k + 1];
    unsigned b0 = c0 >= 0x81 && c0 <= 0x9F ? c0 : c0 <= 0xFFFF && (d->bmp[c0] & (1u << LF_ENC_CP1252)) ? byte_of[c0] : 0;
    if (b0 < 0x81 || b0 > 0x9F || c1 < 0xA0 || c1 > 0xFC)
        return SIZE_MAX;
    for (size_t i = 0; i < s->ncp; i++) {
        if (s->cp[i] >= 0x80 && i != k && i != k + 1)
            return SIZE_MAX;
        letters += is_ascii_letter(s->cp[i]);
    }
    uint32_t before = k > 0 ? s->cp[k - 1] : ' ', after = k + 2 < s->ncp ? s->cp[k + 2] : ' ';
    if (letters == 0 || u_isalnum((UChar32)before) || u_isalnum((UChar32)after))
        return SIZE_MAX;
    *pair = b0 << 8 | c1; /* U+00A0..U+00FC are those bytes in both code pages */
    return k;
}

static bool lone_kana(lf_mojibake_session *s, lf_mojibake_fixes *cand)
{
    unsigned pair = 0;
    size_t k = lone_kana_at(s, &pair);
    const struct lf_repair_data *d = s->data;
    const uint8_t *pairs = d->pairs[LF_ENC_SJIS - LF_ENC_GBK];
    const uint16_t *chars = d->chars[LF_ENC_SJIS - LF_ENC_GBK];
    if (k == SIZE_MAX || !pairs || !chars)
        return true;
    uint32_t c = chars[pair];
    bool kana = c >= 0x3041 && c <= 0x30FA;
    if (pairs[pair] != LF_PAIR_FITS || !(kana || (lf_cjk_class(c) & LF_CJK_JP1)))
        return true;
    char *text = malloc(4);
    if (!text)
        return false;
    int32_t len = 0;
    U8_APPEND_UNSAFE(text, len, c); /* kana and kanji: three bytes */
    text[len] = '\0';
    int chain = chain_of(LF_ENC_SJIS, s->cp[k] <= 0x9F ? LF_ENC_LATIN1 : LF_ENC_CP1252);
    lf_mojibake_fix fix = {s->off[k], s->off[k + 2], text, (size_t)len, MIN_GAIN, MIN_GAIN, LONE_KANA_CONFIDENCE,
                           chain, 1, s->off[k + 2], NULL, ", one character alone in Latin text"};
    if (!lf_mojibake_fixes_push(cand, &fix)) {
        free(text);
        return false;
    }
    return true;
}

/* Whether an ASCII letter is at most two characters from cp[k]. */
static bool letter_near(const lf_mojibake_session *s, size_t k)
{
    for (size_t i = k >= 2 ? k - 2 : 0; i <= k + 2 && i < s->ncp; i++)
        if (i != k && is_ascii_letter(s->cp[i]))
            return true;
    return false;
}

/* The bytes search_run gives a run of a chain "UTF-8 read as" a CJK
 * encoding, read from struct lf_repair_data.code instead of ICU. */
struct vbytes {
    lf_mojibake_session *s;
    const uint16_t *code;
    size_t end;   /* the run's end, a character index */
    uint32_t bit; /* the chain's bit in lead, follow and pair */
};

/* Whether a UTF-8 sequence can start at character k: a lead byte before a
 * follower, in the character or across to the next (the line's starts;
 * a next character outside the run follows no lead of the chain).
 * Elsewhere vb_stretch stops at once. */
static bool vb_may_start(const struct vbytes *v, size_t k)
{
    return v->s->starts[k] & v->bit;
}

/* The states of utf8_step: 0 between sequences, 1-3 that many continuation
 * bytes still to come, and four that narrow the next one (after E0, ED, F0
 * and F4: no overlong form, surrogate or code point past U+10FFFF, the
 * rules of lf_utf8_decode). */
enum { U8_NEED1 = 1, U8_NEED2, U8_NEED3, U8_AFTER_E0, U8_AFTER_ED, U8_AFTER_F0, U8_AFTER_F4, U8_INVALID };

/* The state after byte b in state st of a UTF-8 decoder. */
static unsigned utf8_step(unsigned st, unsigned b)
{
    switch (st) {
    case 0:
        return b < 0x80                ? 0
               : b >= 0xC2 && b <= 0xDF ? U8_NEED1
               : b == 0xE0              ? U8_AFTER_E0
               : b == 0xED              ? U8_AFTER_ED
               : b >= 0xE1 && b <= 0xEF ? U8_NEED2
               : b == 0xF0              ? U8_AFTER_F0
               : b >= 0xF1 && b <= 0xF3 ? U8_NEED3
               : b == 0xF4              ? U8_AFTER_F4
                                        : U8_INVALID;
    case U8_NEED1:
    case U8_NEED2:
    case U8_NEED3:
        return (b & 0xC0) == 0x80 ? st - 1 : U8_INVALID;
    case U8_AFTER_E0:
        return b >= 0xA0 && b <= 0xBF ? U8_NEED1 : U8_INVALID;
    case U8_AFTER_ED:
        return b >= 0x80 && b <= 0x9F ? U8_NEED1 : U8_INVALID;
    case U8_AFTER_F0:
        return b >= 0x90 && b <= 0xBF ? U8_NEED2 : U8_INVALID;
    case U8_AFTER_F4:
        return b >= 0x80 && b <= 0x8F ? U8_NEED2 : U8_INVALID;
    default:
        return U8_INVALID;
    }
}

/* valid_stretch for UTF-8 from the start of character k: the end of the
 * longest valid prefix that ends on a character boundary, k when none.
 * Each character's bytes (one, or two from code[]) go through utf8_step:
 * the prefix is valid up to the first byte that makes the state invalid,
 * or up to the end of the run with a sequence open. */
static size_t vb_stretch(const struct vbytes *v, size_t k)
{
    size_t e = k;
    unsigned st = 0;
    for (size_t ck = k; ck < v->end && st != U8_INVALID; ck++) {
        uint32_t c = v->s->cp[ck];
        uint16_t b = c < 0x80 ? (uint16_t)c : v->code[c];
        if (b > 0xFF)
            st = utf8_step(st, b >> 8);
        st = utf8_step(st, b & 0xFF);
        if (st == 0)
            e = ck + 1;
    }
    return e;
}

/* cut_at_ascii_words (when cut) and the trim of trailing ASCII after it. */
static size_t vb_cut(const struct vbytes *v, size_t k, size_t e, bool cut)
{
    const uint32_t *cp = v->s->cp;
    for (size_t m = k + 1; cut && m + 1 < e; m++)
        if (cp[m] < 0x80 && cp[m + 1] < 0x80)
            e = m;
    while (e > k && cp[e - 1] < 0x80)
        e--;
    return e;
}

/* Whether the stretch [a, b) of the line could pass plausible_shape and
 * accept_chain. */
static bool stretch_may_repair(lf_mojibake_session *s, size_t a, size_t b)
{
    return b - a == 1 ? letter_near(s, a) : costs_enough(s, a, b);
}

/* search_run's stretches of the run [k, end) for UTF-8: the first one
 * uncut, and each one of the main loop. */
static bool run_may_repair(const struct vbytes *v, size_t k)
{
    const uint32_t *cp = v->s->cp;
    while (k < v->end && cp[k] < 0x80)
        k++;
    if (k < v->end && vb_may_start(v, k)) {
        size_t e = vb_stretch(v, k), whole = vb_cut(v, k, e, false);
        if (whole > k && vb_cut(v, k, e, true) < whole && stretch_may_repair(v->s, k, whole))
            return true;
    }
    while (k < v->end) {
        if (!vb_may_start(v, k)) {
            k++;
            continue;
        }
        size_t e = vb_cut(v, k, vb_stretch(v, k), true);
        if (e > k && stretch_may_repair(v->s, k, e))
            return true;
        k = e > k ? e : k + 1;
    }
    return false;
}

/* Whether a chain "UTF-8 read as" a CJK encoding could find a repair on the
 * line: it follows search_run's stretches through the table of the
 * encoding's bytes. A stretch of one character needs an ASCII letter beside
 * it or beside the space beside it (plausible_shape, consider's lone
 * ideograph), a longer one a cost of MIN_GAIN to remove. Lost characters
 * (lost_mark_at) are the caller's: they need a U+FFFD on the line. */
static bool may_read_as_utf8(lf_mojibake_session *s, int chain)
{
    enum lf_enc y = chains[chain].read_as;
    const uint16_t *code = s->data->code[y - LF_ENC_GBK];
    if (!code)
        return true;
    uint16_t ybit = (uint16_t)(1u << y);
    size_t k = 0;
    while (k < s->ncp) {
        size_t start = k;
        while (k < s->ncp && (s->encs[k] & ybit))
            k++;
        struct vbytes v = {s, code, k, 1u << chain};
        if (k > start && run_may_repair(&v, start))
            return true;
        k += k == start;
    }
    return false;
}

/* Whether the characters [a, b) of a stretch have more dictionary pairs
 * read than as they stand. */
static bool gains_words(const lf_mojibake_session *s, const uint16_t *reading, size_t a, size_t b)
{
    /* Wrong readings seldom form a word: the pairs read are counted first,
     * and the ones as they stand only up to as many. */
    size_t read = 0, orig = 0;
    for (size_t k = a + 1; k < b; k++) {
        uint32_t p = s->cp[k - 1], c = s->cp[k];
        if (p >= 0x80 && c >= 0x80)
            read += lf_plausibility_is_word_pair(reading[p], reading[c]);
    }
    for (size_t k = a + 1; k < b && orig < read; k++)
        orig += lf_plausibility_is_word_pair(s->cp[k - 1], s->cp[k]);
    return read > orig;
}

/* Whether the piece [a, b) of the line (single ASCII characters between
 * the others) holds a span dictionary_breaks_tie may accept: its non-ASCII
 * characters in a row, they and their readings all level-1 ideographs, the
 * line's only non-ASCII ones, and ICU's dictionary finds a word in the
 * reading only (letting such lines through to the search unasked cost 6%
 * more instructions on the clean controls). *latin holds the answer of
 * latin_line_with once asked (-1 before): lines of Chinese have many short
 * pieces. */
static bool may_tie_alone(const lf_mojibake_session *s, const uint16_t *reading, size_t a, size_t b, int *latin)
{
    uint32_t orig[TIE_SPAN], read[TIE_SPAN];
    size_t han = 0, last = a;
    for (size_t k = a; k < b; k++) {
        uint32_t c = s->cp[k];
        if (c < 0x80)
            continue;
        if (han == TIE_SPAN || (han > 0 && last + 1 != k) || c >= 0x10000 || !lf_mojibake_is_ideograph(s->data, c) ||
            lf_mojibake_is_rare_ideograph(s->data, c) || !lf_mojibake_is_ideograph(s->data, reading[c]) ||
            lf_mojibake_is_rare_ideograph(s->data, reading[c]))
            return false;
        orig[han] = c;
        read[han++] = reading[c];
        last = k;
    }
    if (han < 2)
        return false;
    if (*latin < 0)
        *latin = latin_line_with(s, han);
    if (!*latin)
        return false;
    /* When ICU fails the search asks again and meets the failure. */
    bool nomem = false;
    int have = lf_words_icu_count(s->data->words, orig, han, &nomem);
    return have != 0 ? have < 0 : lf_words_icu_count(s->data->words, read, han, &nomem) != 0;
}

/* Whether a chain between GBK and Big5 could find a repair on the line.
 * Each character of a candidate is the reading of one of the line's
 * (read_alone), and a stretch of the search ends where a character has no
 * reading, at the end of a run and before two ASCII characters in a row
 * (cut_at_ascii_words), or holds several such pieces (the first stretch of
 * a run). Without private use (LF_READ_ANY), plausible_shape wants a
 * stretch read as Chinese with more dictionary pairs than it has, or with
 * a rare ideograph: then one of the pieces is, or has one. */
static bool may_read_as_words(const lf_mojibake_session *s, const uint16_t *reading)
{
    const uint32_t *cp = s->cp;
    size_t start = 0;
    int latin = -1;
    bool chinese = true, rare = false; /* the piece [start, k) reads as Chinese, holds a rare ideograph */
    for (size_t k = 0; k <= s->ncp; k++) {
        uint32_t c = k < s->ncp ? cp[k] : 0x10000;
        if (c < 0x80 && (k == 0 || cp[k - 1] >= 0x80))
            continue; /* one ASCII character: no reading, no break */
        uint16_t r = c < 0x80 ? LF_READ_NOPAIR : c < 0x10000 ? reading[c] : LF_READ_END;
        if (r == LF_READ_ANY)
            return true;
        if (r == LF_READ_END || c < 0x80) {
            /* The dictionary is asked only about pieces read as Chinese;
             * a rare ideograph in one (lf_mojibake_rare_ideographs) may do
             * instead of words, whatever the piece's length, since the
             * first stretch of a run joins pieces. */
            if (chinese && k > start && (rare || (k > start + 1 && gains_words(s, reading, start, k))))
                return true;
            /* A short piece of ideographs alone in a Latin line is for
             * ICU's dictionary (dictionary_breaks_tie). */
            if (chinese && k >= start + 2 && k - start <= 2 * TIE_SPAN && may_tie_alone(s, reading, start, k, &latin))
                return true;
            start = k + (r == LF_READ_END);
            chinese = true;
            rare = false; /* the piece starts at an ASCII character or after k */
            continue;
        }
        chinese = chinese && r != LF_READ_OTHER;
        rare = rare || lf_mojibake_is_rare_ideograph(s->data, c);
    }
    return false;
}

/* How many characters that can start a non-ASCII character of X a run
 * needs before search_run can find anything in it. A legacy CJK reading of
 * single-byte text needs two lead bytes in one stretch (worth_a_look), and
 * each character of the run is one byte: a run with fewer leads holds no
 * such stretch. (Chinese quotation marks alone, in windows-1252, are the
 * common case on clean text.) */
static size_t leads_needed(int chain)
{
    return is_cjk_encoding(chains[chain].bytes) && !is_cjk_encoding(chains[chain].read_as) ? 2 : 1;
}

/* Whether the run cp[a..b) of a chain "legacy CJK read as a code page"
 * holds two characters of the CJK encoding, one after the other, that a
 * reading plausible_shape accepts may hold (LF_PAIR_FITS): a stretch that
 * passes worth_a_look holds two, each one byte by itself or two bytes of
 * two of the run's characters. The most such characters one can take
 * without overlap, earliest end first, are counted through the byte tables,
 * before ICU or any stretch. True for the other chains. */
static bool may_read_as_cjk(const lf_mojibake_session *s, int chain, size_t a, size_t b)
{
    enum lf_enc x = chains[chain].bytes, y = chains[chain].read_as;
    if (!is_cjk_encoding(x) || is_cjk_encoding(y) || !s->data->pairs[x - LF_ENC_GBK] || !s->data->byte_of[y])
        return true;
    const uint8_t *pairs = s->data->pairs[x - LF_ENC_GBK], *byte_of = s->data->byte_of[y];
    size_t found = 0;
    for (size_t k = a; k < b && found < 2;) {
        if (s->cp[k] < 0x80) {
            k++; /* an ASCII byte is a character below 0x80 by itself */
            continue;
        }
        unsigned b0 = byte_of[s->cp[k]];
        if (pairs[b0] || k + 1 == b) {
            found += pairs[b0] == LF_PAIR_FITS;
            k++;
        } else if (pairs[b0 << 8 | byte_of[s->cp[k + 1]]] == LF_PAIR_FITS) {
            found++;
            k += 2;
        } else {
            k++;
        }
    }
    return found >= 2;
}

/* valid_stretch_pairs up to the first two ASCII characters in a row, the
 * place cut_at_ascii_words cuts the stretch: the bytes after them are
 * never looked at. */
static size_t stretch_to_ascii_pair(const uint8_t *pairs, const struct scratch *sc, size_t p, size_t n, bool *x_start)
{
    const unsigned char *bytes = (const unsigned char *)sc->bytes;
    size_t i = p, e = p, len;
    unsigned kind;
    bool ascii_before = false;
    while (i < n && (len = pair_char(pairs, bytes + i, n - i, &kind)) > 0) {
        x_start[i - p] = true;
        if (len == 2)
            x_start[i - p + 1] = false;
        bool ascii = len == 1 && bytes[i] < 0x80;
        i += len;
        if (sc->cb[i])
            e = i;
        if (ascii && ascii_before)
            break;
        ascii_before = ascii;
    }
    x_start[i - p] = true;
    return e;
}

/* Whether search_run, on the run [a, b) of a chain "legacy CJK read as a
 * single-byte code page", would judge a stretch (call consider): it
 * follows the same stretches with the same checks before consider
 * (worth_a_look, may_gain), and stops each of them at the place
 * cut_at_ascii_words cuts it, where search_run decodes on to the end of
 * what is valid (most of a line of Latin text) and cuts after. A run of
 * these chains has no lost characters (search_lossy's) and no first
 * stretch taken unless it was judged. True for the other chains. */
static bool run_may_reach_consider(lf_mojibake_session *s, int chain, const struct lf_mojibake_runs *runs, size_t a,
                                   size_t b)
{
    enum lf_enc x = chains[chain].bytes, y = chains[chain].read_as;
    if (!is_cjk_encoding(x) || is_cjk_encoding(y) || !s->data->byte_of[y] || s->exhaustive)
        return true;
    struct search q = {s, chain, NULL, NULL, a, NULL, false};
    const uint8_t *pairs = pairs_of(&q);
    size_t n = b - a;
    /* The run's bytes in y as search_run reads them: runs_of wrote them
     * once for the line, one byte a character. */
    struct scratch sc = {runs->bytes + a, s->identity, s->all_true, n};
    bool *x_start = scratch(s, SCRATCH_X_START, n + 1);
    if (!pairs || !x_start)
        return true; /* search_run asks ICU, or meets the allocation failure */
    size_t p = 0;
    while (p < n && (unsigned char)sc.bytes[p] < 0x80)
        p++;
    if (p < n) {
        size_t end = n - p > MAX_STRETCH ? p + MAX_STRETCH : n;
        size_t e = without_trailing_ascii(&q, &sc, p, valid_stretch_pairs(pairs, &sc, p, end, x_start), x_start);
        if (e > p && cut_at_ascii_words(&sc, p, e, x_start) < e && worth_a_look(&q, &sc, p, e, x_start) &&
            may_gain(&q, &sc, p, e))
            return true;
    }
    while (p < n) {
        if ((unsigned char)sc.bytes[p] < 0x80) {
            p++;
            continue;
        }
        size_t end = n - p > MAX_STRETCH ? p + MAX_STRETCH : n;
        size_t e = cut_at_ascii_words(&sc, p, stretch_to_ascii_pair(pairs, &sc, p, end, x_start), x_start);
        e = without_trailing_ascii(&q, &sc, p, e, x_start);
        if (e > p && worth_a_look(&q, &sc, p, e, x_start) && may_gain(&q, &sc, p, e))
            return true;
        p = e > p ? e : p + 1;
    }
    return false;
}

/* Grows s->identity and s->all_true to n entries at least; false when
 * out of memory. */
static bool grow_identity(lf_mojibake_session *s, size_t n)
{
    if (n <= s->nidentity)
        return true;
    size_t *id = realloc(s->identity, n * sizeof *id);
    if (id)
        s->identity = id;
    bool *t = realloc(s->all_true, n * sizeof *t);
    if (t)
        s->all_true = t;
    if (!id || !t)
        return false;
    for (size_t i = s->nidentity; i < n; i++) {
        s->identity[i] = i;
        s->all_true[i] = true;
    }
    s->nidentity = n;
    return true;
}

/* The runs of the line's characters that encoding y has, and for a
 * single-byte y their bytes (byte_of): made for the first chain that reads
 * the line as y, kept for the others. NULL when out of memory. */
static const struct lf_mojibake_runs *runs_of(lf_mojibake_session *s, enum lf_enc y)
{
    struct lf_mojibake_runs *r = &s->runs[y];
    if (r->line == s->line)
        return r;
    const uint8_t *byte_of = s->exhaustive ? NULL : s->data->byte_of[y];
    if (r->cap < s->ncp + 2) {
        size_t *v = realloc(r->v, (s->ncp + 2) * sizeof *v);
        if (!v)
            return NULL;
        r->v = v;
        r->cap = s->ncp + 2;
    }
    if (byte_of && r->bytes_cap < s->ncp + 1) {
        char *b = realloc(r->bytes, s->ncp + 1);
        if (!b)
            return NULL;
        r->bytes = b;
        r->bytes_cap = s->ncp + 1;
    }
    if (byte_of && !grow_identity(s, s->ncp + 1))
        return NULL;
    uint16_t bit = (uint16_t)(1u << y);
    r->n = 0;
    for (size_t k = 0; k < s->ncp;) {
        if (!(s->encs[k] & bit)) {
            k++;
            continue;
        }
        r->v[r->n++] = k;
        for (; k < s->ncp && (s->encs[k] & bit); k++)
            if (byte_of)
                r->bytes[k] = (char)byte_of[s->cp[k]];
        r->v[r->n++] = k;
    }
    r->line = s->line;
    return r;
}

/* Whether one of the candidates is chain c's. */
static bool has_chain(const lf_mojibake_fixes *cand, int c)
{
    for (size_t i = 0; i < cand->n; i++)
        if (cand->v[i].chain == c)
            return true;
    return false;
}

/* Runs search_lossy_run over the line's runs of characters of chain c's
 * wrong encoding and U+FFFD. */
static lf_status search_lossy(lf_mojibake_session *s, int c, lf_mojibake_fixes *cand, lf_error *err)
{
    struct search q = {s, c, NULL, NULL, 0, cand, false};
    if (!(q.x = converter(s, chains[c].bytes, err)) || !(q.y = converter(s, chains[c].read_as, err)))
        return LF_ERR_INTERNAL;
    uint16_t bit = (uint16_t)(1u << chains[c].read_as);
    for (size_t k = 0; k < s->ncp;) {
        size_t a = k;
        bool lost = false;
        while (k < s->ncp && ((s->encs[k] & bit) || s->cp[k] == 0xFFFD)) {
            lost |= s->cp[k] == 0xFFFD || s->cp[k] == ' ' || s->cp[k] == '?';
            k++;
        }
        if (lost) {
            q.run_start = a;
            search_lossy_run(&q, a, k);
            if (q.nomem)
                return lf_nomem(err);
        }
        k += k == a;
    }
    return LF_OK;
}

lf_status lf_mojibake_line(lf_mojibake_session *s, const char *line, size_t len, lf_mojibake_fixes *out,
                           lf_error *err)
{
    size_t i = 0;
    while (i < len && (unsigned char)line[i] < 0x80)
        i++;
    if (i == len)
        return LF_OK;
    lf_line_marks m;
    lf_status st = lf_mojibake_screen_line(s, line, len, &m, err);
    s->nknown = 0;
    s->line++;
    if (st != LF_OK)
        return st;
    lf_mojibake_fixes cand = {0};
    const uint32_t *lead = s->data->lead;
    /* The chains with a chance here: a character that is a lead byte and a
     * following byte by itself, or a lead beside a follower (m.leads).
     * Without C1 controls, Latin-1 gives the same bytes as windows-1252 for
     * every character it has: its chains would only repeat those. */
    for (int c = 0; c < NCHAINS && st == LF_OK; c++) {
        if (!(m.leads & (1u << c)) || (chains[c].read_as == LF_ENC_LATIN1 && !m.c1) ||
            (!s->exhaustive && chains[c].bytes == LF_ENC_CESU8 && !m.surrogate))
            continue;
        int slot = reading_slot(c);
        if (!s->exhaustive && slot >= 0 && !may_read_as_words(s, s->data->reading[slot]))
            continue;
        if (!s->exhaustive && !m.lost_mark && chains[c].bytes == LF_ENC_UTF8 && is_cjk_encoding(chains[c].read_as) &&
            !may_read_as_utf8(s, c))
            continue;
        struct search q = {s, c, NULL, NULL, 0, &cand, false};
        const struct lf_mojibake_runs *runs = runs_of(s, chains[c].read_as);
        if (!runs) {
            st = lf_nomem(err);
            break;
        }
        size_t need = s->exhaustive ? 1 : leads_needed(c);
        for (size_t r = 0; r < runs->n; r += 2) {
            /* A run: characters Y can encode, with `need` that can start a
             * non-ASCII character of X. */
            size_t a = runs->v[r], k = runs->v[r + 1], leads = 0;
            for (size_t j = a; j < k && leads < need; j++)
                leads += (lead[s->cp[j]] >> c) & 1;
            if (leads >= need && (s->exhaustive || (may_read_as_cjk(s, c, a, k) && run_may_reach_consider(s, c, runs, a, k)))) {
                if (!q.x && (!(q.x = converter(s, chains[c].bytes, err)) ||
                             !(q.y = converter(s, chains[c].read_as, err)))) {
                    st = LF_ERR_INTERNAL;
                    break;
                }
                q.run_start = a;
                search_run(&q, runs, a, k);
                if (q.nomem) {
                    st = lf_nomem(err);
                    break;
                }
            }
        }
    }
    /* Lost bytes: for the chains the line's leads flag, on lines with a
     * U+FFFD or a '?' after a non-ASCII character (what a lost byte
     * leaves), or with a space after one when the chain has found a repair
     * already: a space read as a no-break space is kept only beside one
     * (needs_company). The exhaustive search (test_repair_prefilter) looks
     * on every line. */
    bool may_have_lost = s->exhaustive || m.lost_mark || m.mark_after_high || m.space_after_high;
    for (int c = 0; may_have_lost && c < NCHAINS && st == LF_OK; c++) {
        bool lost = m.lost_mark || m.mark_after_high || (m.space_after_high && has_chain(&cand, c));
        if ((s->exhaustive || lost) && ((m.leads | m.lost_leads) & (1u << c)) && chains[c].bytes == LF_ENC_UTF8 &&
            !is_cjk_encoding(chains[c].read_as) && (chains[c].read_as != LF_ENC_LATIN1 || m.c1))
            st = search_lossy(s, c, &cand, err);
    }
    if (st == LF_OK && m.a_tilde_space && !lost_nbsp(s, &cand))
        st = lf_nomem(err);
    if (st == LF_OK && cand.n == 0 && !lone_kana(s, &cand))
        st = lf_nomem(err);
    if (st == LF_OK && cand.n > 0)
        st = choose(&cand, out, err);
    lf_mojibake_fixes_free(&cand);
    return st;
}
