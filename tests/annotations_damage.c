/* annotations_damage.c — see annotations_damage.h. Test code: it uses ICU
 * directly, not the library's tables, so that the repair is checked against
 * an independent model of the damage. */
#include "annotations_damage.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unicode/ucnv.h>
#include <unicode/ustring.h>

typedef struct bytes {
    unsigned char *v;
    size_t n, cap;
} bytes;

static bool put(bytes *b, const void *p, size_t n)
{
    if (b->n + n + 1 > b->cap) {
        size_t cap = (b->n + n + 1) * 2;
        unsigned char *q = realloc(b->v, cap);
        if (!q)
            return false;
        b->v = q;
        b->cap = cap;
    }
    memcpy(b->v + b->n, p, n);
    b->n += n;
    b->v[b->n] = 0;
    return true;
}

static bool encode(UConverter *cnv, const char *utf8, size_t len, bytes *out)
{
    UErrorCode st = U_ZERO_ERROR;
    int32_t ulen = 0;
    u_strFromUTF8(NULL, 0, &ulen, utf8, (int32_t)len, &st);
    UChar *u = malloc(((size_t)ulen + 1) * sizeof *u);
    char *b = malloc((size_t)ulen * 4 + 4);
    bool ok = u && b;
    if (ok) {
        st = U_ZERO_ERROR;
        u_strFromUTF8(u, ulen + 1, NULL, utf8, (int32_t)len, &st);
        ucnv_reset(cnv);
        int32_t n = ucnv_fromUChars(cnv, b, ulen * 4 + 4, u, ulen, &st);
        ok = U_SUCCESS(st) && put(out, b, (size_t)n);
    }
    free(u);
    free(b);
    return ok;
}

/* Parses bytes[0..upto) the way an aligned decoder would: is upto the start
 * of a character? */
static bool at_boundary(const unsigned char *b, size_t upto)
{
    size_t i = 0;
    while (i < upto)
        i += (b[i] >= 0x81 && b[i] <= 0xFE) ? 2 : 1;
    return i == upto;
}

static size_t line_of(const unsigned char *b, size_t pos)
{
    size_t line = 0;
    for (size_t i = 0; i < pos; i++)
        line += b[i] == '\n';
    return line;
}

static void count_site(damage_stats *st, size_t line)
{
    if (line < st->nlines)
        st->sites_per_line[line]++;
}

/* Step 2: one entry's naive replace. */
static bool annotate(UConverter *cnv, const damage_params *p, const damage_entry *e, bytes *b, damage_stats *st)
{
    char key_utf8[8], ann_utf8[32];
    size_t kn = 0;
    uint32_t cp = e->cp;
    if (cp < 0x800) {
        key_utf8[kn++] = (char)(0xC0 | cp >> 6);
    } else {
        key_utf8[kn++] = (char)(0xE0 | cp >> 12);
        key_utf8[kn++] = (char)(0x80 | ((cp >> 6) & 0x3F));
    }
    key_utf8[kn++] = (char)(0x80 | (cp & 0x3F));
    snprintf(ann_utf8, sizeof ann_utf8, "%c%s%c", p->open, e->reading, p->close);
    bytes key = {0}, ann = {0}, out = {0};
    bool ok = encode(cnv, key_utf8, kn, &key) && encode(cnv, ann_utf8, strlen(ann_utf8), &ann) && key.n == 2;
    size_t i = 0;
    while (ok && i < b->n) {
        if (i + 1 < b->n && b->v[i] == key.v[0] && b->v[i + 1] == key.v[1]) {
            if (!at_boundary(b->v, i)) {
                st->straddled_inserts++;
                count_site(st, line_of(b->v, i));
            }
            ok = put(&out, b->v + i, 2) && put(&out, ann.v, ann.n);
            i += 2;
        } else {
            ok = put(&out, b->v + i, 1);
            i++;
        }
    }
    if (ok) {
        free(b->v);
        *b = out;
    } else {
        free(out.v);
    }
    free(key.v);
    free(ann.v);
    return ok;
}

/* Step 3 for one chunk; counts per line the bytes a '?' lost for good: a
 * lead byte alone at the chunk's end, an ASCII byte other than '(' that a
 * lead byte swallowed (line is the line of c[0] and advances at every line
 * break). */
static bool decode_chunk(UConverter *cnv, const unsigned char *c, size_t n, bytes *out, damage_stats *st,
                         size_t *line)
{
    bool ok = true;
    for (size_t i = 0; ok && i < n;) {
        unsigned char b = c[i];
        if (b < 0x80) {
            ok = put(out, &b, 1);
            *line += b == '\n';
            i++;
        } else if (b == 0x80) {
            ok = put(out, "\xE2\x82\xAC", 3);
            i++;
        } else if (b == 0xFF || i + 1 == n) {
            /* the byte's value is lost: any lead byte would show so */
            ok = put(out, "?", 1);
            if (*line < st->nlines)
                st->lost_per_line[*line]++;
            i++;
        } else if (c[i + 1] < 0x40 || c[i + 1] == 0x7F || c[i + 1] == 0xFF) {
            ok = put(out, "?", 1);
            if (c[i + 1] != '(' && *line < st->nlines) {
                st->lost_per_line[*line]++;
                st->break_lost[*line] |= c[i + 1] == '\n';
            }
            *line += c[i + 1] == '\n';
            i += 2;
        } else {
            UChar u[4];
            char u8[16];
            UErrorCode status = U_ZERO_ERROR;
            ucnv_reset(cnv);
            int32_t un = ucnv_toUChars(cnv, u, 4, (const char *)c + i, 2, &status);
            int32_t n8 = 0;
            if (U_SUCCESS(status) && un == 1 && u[0] != 0xFFFD && u[0] != 0x1A)
                u_strToUTF8(u8, sizeof u8, &n8, u, un, &status);
            ok = n8 > 0 ? put(out, u8, (size_t)n8) : put(out, "?", 1);
            i += 2;
        }
    }
    return ok;
}

static bool is_delim_match(const unsigned char *b, size_t i, const bytes *delims)
{
    for (size_t d = 0; d + 1 < delims->n; d += 2)
        if (b[i] == delims->v[d] && b[i + 1] == delims->v[d + 1])
            return true;
    return false;
}

/* Step 4, in place on UTF-8. */
static size_t fold(unsigned char *s, size_t n)
{
    size_t o = 0;
    for (size_t i = 0; i < n;) {
        if (i + 2 < n && s[i] == 0xEF && ((s[i + 1] == 0xBC && s[i + 2] >= 0x81) || (s[i + 1] == 0xBD && s[i + 2] <= 0x9E))) {
            unsigned cp = ((unsigned)(s[i + 1] & 0x3F) << 6 | (s[i + 2] & 0x3F)) + 0xF000;
            s[o++] = (unsigned char)(cp - 0xFEE0);
            i += 3;
        } else {
            s[o++] = s[i++];
        }
    }
    return o;
}

char *damage_apply(const damage_params *p, const char *clean, size_t len, size_t *out_len, damage_stats *st)
{
    memset(st, 0, sizeof *st);
    st->nlines = 1;
    for (size_t i = 0; i < len; i++)
        st->nlines += clean[i] == '\n';
    st->sites_per_line = calloc(st->nlines, sizeof *st->sites_per_line);
    st->lost_per_line = calloc(st->nlines, sizeof *st->lost_per_line);
    st->break_lost = calloc(st->nlines, sizeof *st->break_lost);
    UErrorCode err = U_ZERO_ERROR;
    UConverter *cnv = ucnv_open(p->encoding, &err);
    if (U_FAILURE(err) || !st->sites_per_line || !st->lost_per_line || !st->break_lost) {
        ucnv_close(cnv);
        return NULL;
    }
    ucnv_setFromUCallBack(cnv, UCNV_FROM_U_CALLBACK_STOP, NULL, NULL, NULL, &err);
    bytes b = {0}, delims = {0}, out = {0};
    bool ok = encode(cnv, clean, len, &b) && encode(cnv, "\xEF\xBC\x9B\xEF\xBC\x9F\xEF\xBC\x81", 9, &delims);
    for (size_t e = 0; ok && e < p->nentries; e++)
        ok = annotate(cnv, p, &p->entries[e], &b, st);
    size_t start = 0, next = p->chunk ? p->chunk : b.n + 1, line = 0;
    for (size_t i = 0; ok && i + 1 < b.n; i++) {
        if (!is_delim_match(b.v, i, &delims))
            continue;
        if (i >= next && i > start) {
            if (!at_boundary(b.v, i)) {
                st->straddled_cuts++;
                count_site(st, line_of(b.v, i));
            }
            ok = decode_chunk(cnv, b.v + start, i - start, &out, st, &line);
            start = i;
            while (next <= i)
                next += p->chunk;
        }
        i++;
    }
    ok = ok && decode_chunk(cnv, b.v + start, b.n - start, &out, st, &line);
    ucnv_close(cnv);
    free(b.v);
    free(delims.v);
    if (!ok) {
        free(out.v);
        return NULL;
    }
    *out_len = fold(out.v, out.n);
    out.v[*out_len] = 0;
    return (char *)out.v;
}

void damage_stats_free(damage_stats *st)
{
    free(st->sites_per_line);
    free(st->lost_per_line);
    free(st->break_lost);
    st->sites_per_line = st->lost_per_line = NULL;
    st->break_lost = NULL;
}

/* Each character of `set` in s[0..len) back to its full-width form, only
 * beside a non-ASCII character when beside_cjk. */
static char *unfold(const char *s, size_t len, const char *set, bool beside_cjk, size_t *out_len)
{
    bytes out = {0};
    bool ok = true;
    for (size_t i = 0; ok && i < len; i++) {
        bool cjk_side = (i > 0 && (unsigned char)s[i - 1] >= 0x80) || (i + 1 < len && (unsigned char)s[i + 1] >= 0x80);
        if (s[i] && strchr(set, s[i]) && (cjk_side || !beside_cjk)) {
            unsigned cp = 0xFEE0 + (unsigned char)s[i];
            char u8[3] = {(char)(0xE0 | cp >> 12), (char)(0x80 | ((cp >> 6) & 0x3F)), (char)(0x80 | (cp & 0x3F))};
            ok = put(&out, u8, 3);
        } else {
            ok = put(&out, s + i, 1);
        }
    }
    if (!ok) {
        free(out.v);
        return NULL;
    }
    *out_len = out.n;
    return (char *)out.v;
}

char *damage_unfold(const char *s, size_t len, const char *set, size_t *out_len)
{
    /* Punctuation next to a non-ASCII character was full-width. */
    return unfold(s, len, set, true, out_len);
}

char *damage_unfold_delimiters(const char *s, size_t len, size_t *out_len)
{
    return unfold(s, len, ";?!", false, out_len);
}
