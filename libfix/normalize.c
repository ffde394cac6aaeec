/*
 * normalize.c — the normalize pass.
 *
 * Two stages over valid UTF-8:
 *   A. one scan that decodes HTML entities, unifies newlines, drops invisible
 *      and control characters and folds full-width ASCII to half-width;
 *   B. Unicode normalization (NFC or NFKC) of just the segments that need it.
 *
 * Most text needs nothing: the context holds a bitmap of the BMP characters
 * that no switched-on rule touches ("quiet" characters), so clean text is a
 * validated copy. Stage B finds segments with ICU's quick-check properties and
 * only hands those to unorm2_normalize.
 *
 * Each change is reported in input and output offsets of the pass. Runs of
 * adjacent changes of one kind are listed as one entry and counted per
 * character.
 */
#include "internal.h"

#include <libxml/HTMLparser.h>
#include <stdlib.h>
#include <string.h>
#include <unicode/ucnv.h>
#include <unicode/uchar.h>
#include <unicode/unorm2.h>
#include <unicode/ustring.h>

struct lf_normalize_data {
    const UNormalizer2 *norm;   /* ICU-owned singleton, safe to share; NULL for LF_NORM_NONE */
    UProperty quick_check;      /* UCHAR_NFC_QUICK_CHECK or UCHAR_NFKC_QUICK_CHECK */
    uint32_t c1_cp1252[32];     /* what &#128;..&#159; mean (HTML: the windows-1252 character) */
    unsigned char quiet[0x10000 / 8];   /* no rule of either stage touches it */
    unsigned char quiet_b[0x10000 / 8]; /* stage B leaves it alone whatever surrounds it */
    bool han_quiet;                     /* all of U+4000..U+9FFF is quiet (true unless an option changes Han) */
};

static bool bit(const unsigned char *set, uint32_t c)
{
    return set[c >> 3] & (1u << (c & 7));
}

typedef struct edit {
    uint64_t a0, a1; /* source span */
    uint64_t b0, b1; /* target span */
    const char *kind;
} edit;

typedef struct edits {
    edit *v;
    size_t n, cap;
} edits;

static bool edits_push(edits *e, uint64_t a0, uint64_t a1, uint64_t b0, uint64_t b1, const char *kind)
{
    /* Extend the previous entry when this change continues it. */
    if (e->n && e->v[e->n - 1].a1 == a0 && e->v[e->n - 1].b1 == b0 && e->v[e->n - 1].kind == kind) {
        e->v[e->n - 1].a1 = a1;
        e->v[e->n - 1].b1 = b1;
        return true;
    }
    if (e->n == e->cap) {
        size_t cap = e->cap ? e->cap * 2 : 32;
        edit *p = realloc(e->v, cap * sizeof *p);
        if (!p)
            return false;
        e->v = p;
        e->cap = cap;
    }
    e->v[e->n++] = (edit){a0, a1, b0, b1, kind};
    return true;
}

/* One side of an edit: its source span going forward, its target span
 * going backward. */
typedef struct side {
    uint64_t start, end;
} side;

static side from_side(const edit *x, bool forward)
{
    return forward ? (side){x->a0, x->a1} : (side){x->b0, x->b1};
}

static side to_side(const edit *x, bool forward)
{
    return from_side(x, !forward);
}

/* Maps an offset through a sorted edit list, from source to target space
 * (forward) or back. An offset inside an edit maps to the other side's start
 * of the edit (or its end, when `end`); elsewhere it shifts with the edits
 * before it. */
static uint64_t map_offset(const edits *e, uint64_t pos, bool end, bool forward)
{
    size_t lo = 0, hi = e->n;
    while (lo < hi) { /* the first edit ending after pos */
        size_t mid = (lo + hi) / 2;
        if (from_side(&e->v[mid], forward).end <= pos)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (lo < e->n && from_side(&e->v[lo], forward).start < pos)
        return end ? to_side(&e->v[lo], forward).end : to_side(&e->v[lo], forward).start;
    if (lo == 0)
        return pos;
    return pos - from_side(&e->v[lo - 1], forward).end + to_side(&e->v[lo - 1], forward).end;
}

/* ------------------------------------------------------------- the rules */

static bool is_invisible(uint32_t c)
{
    /* BOM / zero-width no-break space, zero-width space, word joiner and the
     * invisible math operators, soft hyphen, Mongolian vowel separator. ZWJ
     * and ZWNJ are kept: emoji sequences and Indic scripts need them. */
    return c == 0xFEFF || c == 0x200B || (c >= 0x2060 && c <= 0x2064) || c == 0x00AD || c == 0x180E;
}

static bool is_control(uint32_t c)
{
    return (c < 0x20 && c != '\t' && c != '\n' && c != '\r' && c != 0x0B && c != 0x0C) || c == 0x7F ||
           (c >= 0x80 && c <= 0x9F && c != 0x85);
}

static bool is_newline(uint32_t c)
{
    return c == '\r' || c == 0x0B || c == 0x0C || c == 0x85 || c == 0x2028 || c == 0x2029;
}

static bool is_foldable(const lf_options *o, uint32_t c)
{
    if (!o->fold_width)
        return false;
    if ((c >= 0xFF10 && c <= 0xFF19) || (c >= 0xFF21 && c <= 0xFF3A) || (c >= 0xFF41 && c <= 0xFF5A))
        return true;
    return o->fold_punct_width && ((c >= 0xFF01 && c <= 0xFF5E) || c == 0x3000);
}

static uint32_t fold(uint32_t c)
{
    return c == 0x3000 ? 0x20 : c - 0xFEE0;
}

/* Whether any switched-on stage-A rule applies to c. */
static bool stage_a_applies(const lf_options *o, uint32_t c)
{
    return (o->entities && c == '&') || (o->newlines && is_newline(c)) ||
           (o->invisibles && (is_invisible(c) || is_control(c))) || is_foldable(o, c);
}

/* Whether c is already normalized whatever surrounds it: quick-check Yes and
 * combining class 0 (a starter that never combines backwards). */
static bool compute_quiet_b(const struct lf_normalize_data *d, uint32_t c)
{
    if (!d->norm)
        return true;
    return u_getIntPropertyValue((UChar32)c, d->quick_check) == UNORM_YES && u_getCombiningClass((UChar32)c) == 0;
}

static bool stage_b_quiet(const struct lf_normalize_data *d, uint32_t c)
{
    return c < 0x10000 ? bit(d->quiet_b, c) : compute_quiet_b(d, c);
}

static bool is_quiet(const lf_context *ctx, uint32_t c)
{
    const struct lf_normalize_data *d = ctx->normalize;
    if (c < 0x10000)
        return bit(d->quiet, c);
    return !stage_a_applies(&ctx->opt, c) && compute_quiet_b(d, c);
}

lf_status lf_normalize_prepare(lf_context *ctx, lf_error *err)
{
    struct lf_normalize_data *d = calloc(1, sizeof *d);
    if (!d)
        return lf_nomem(err);
    UErrorCode ec = U_ZERO_ERROR;
    if (ctx->opt.norm_form == LF_NORM_NFC) {
        d->norm = unorm2_getNFCInstance(&ec);
        d->quick_check = UCHAR_NFC_QUICK_CHECK;
    } else if (ctx->opt.norm_form == LF_NORM_NFKC) {
        d->norm = unorm2_getNFKCInstance(&ec);
        d->quick_check = UCHAR_NFKC_QUICK_CHECK;
    }
    if (U_FAILURE(ec)) {
        free(d);
        return lf_fail(err, LF_ERR_DATA, "ICU normalization data unavailable: %s", u_errorName(ec));
    }
    /* HTML maps &#128;..&#159; to windows-1252; take the mapping from ICU. */
    UConverter *cp1252 = ucnv_open("windows-1252", &ec);
    for (int i = 0; i < 32; i++) {
        char byte = (char)(0x80 + i);
        const char *src = &byte;
        UErrorCode e2 = U_ZERO_ERROR;
        UChar32 c = U_SUCCESS(ec) ? ucnv_getNextUChar(cp1252, &src, src + 1, &e2) : 0xFFFD;
        d->c1_cp1252[i] = U_SUCCESS(e2) && c != 0x1A ? (uint32_t)c : 0xFFFD;
        if (cp1252)
            ucnv_reset(cp1252);
    }
    ucnv_close(cp1252);
    for (uint32_t c = 0; c < 0x10000; c++) {
        if (c >= 0xD800 && c <= 0xDFFF)
            continue;
        if (!compute_quiet_b(d, c))
            continue;
        d->quiet_b[c >> 3] |= (unsigned char)(1u << (c & 7));
        if (!stage_a_applies(&ctx->opt, c))
            d->quiet[c >> 3] |= (unsigned char)(1u << (c & 7));
    }
    d->han_quiet = true;
    for (uint32_t c = 0x4000; c <= 0x9FFF; c++)
        d->han_quiet = d->han_quiet && bit(d->quiet, c);
    ctx->normalize = d;
    return LF_OK;
}

void lf_normalize_release(lf_context *ctx)
{
    free(ctx->normalize);
    ctx->normalize = NULL;
}

/* ----------------------------------------------------------- entities */

/* Parses an entity or numeric character reference at s[0] == '&'. Only the
 * terminated forms (with ';') are decoded: "a=1&copy=2" in a URL stays. */
static size_t parse_entity(const struct lf_normalize_data *d, const char *s, size_t len, uint32_t *cp)
{
    size_t i = 1;
    if (i < len && s[i] == '#') {
        i++;
        int base = 10;
        if (i < len && (s[i] == 'x' || s[i] == 'X')) {
            base = 16;
            i++;
        }
        size_t digits = 0;
        uint32_t v = 0;
        while (i < len && digits < 8) {
            char c = s[i];
            int dv = c >= '0' && c <= '9' ? c - '0'
                     : base == 16 && c >= 'a' && c <= 'f' ? c - 'a' + 10
                     : base == 16 && c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
            if (dv < 0)
                break;
            v = v * (uint32_t)base + (uint32_t)dv;
            digits++;
            i++;
        }
        if (!digits || i >= len || s[i] != ';' || v == 0 || v > 0x10FFFF || (v >= 0xD800 && v <= 0xDFFF))
            return 0;
        *cp = v >= 0x80 && v <= 0x9F ? d->c1_cp1252[v - 0x80] : v;
        return i + 1;
    }
    char name[33];
    size_t n = 0;
    while (i < len && n < sizeof name - 1 &&
           ((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= 'A' && s[i] <= 'Z') || (n && s[i] >= '0' && s[i] <= '9')))
        name[n++] = s[i++];
    if (!n || i >= len || s[i] != ';')
        return 0;
    name[n] = '\0';
    /* libxml2's table of the HTML 4 entities: a static const lookup. */
    const htmlEntityDesc *e = htmlEntityLookup((const xmlChar *)name);
    if (!e)
        return 0;
    *cp = e->value;
    return i + 1;
}

/* ------------------------------------------------------------- stage A */

typedef struct scan {
    const lf_context *ctx;
    lf_buf *out;
    edits *ed;
} scan;

/* Applies the newline, invisible and width rules to one character that came
 * from in[i0..i1) and appends the result; kind0 names the change when the
 * character itself is already a change (an entity), else NULL. */
static bool emit(scan *sc, uint32_t c, uint64_t i0, uint64_t i1, const char *kind)
{
    const lf_options *o = &sc->ctx->opt;
    uint64_t b0 = sc->out->len;
    if (o->newlines && is_newline(c)) {
        c = '\n';
        kind = kind ? kind : "newline";
    } else if (o->invisibles && (is_invisible(c) || is_control(c))) {
        return edits_push(sc->ed, i0, i1, b0, b0, kind ? kind : is_invisible(c) ? "invisible" : "control");
    } else if (is_foldable(o, c)) {
        c = fold(c);
        kind = kind ? kind : "width";
    }
    if (!lf_buf_append_cp(sc->out, c))
        return false;
    return !kind || edits_push(sc->ed, i0, i1, b0, sc->out->len, kind);
}

static lf_status stage_a(const lf_context *ctx, const char *in, size_t len, lf_buf *out, edits *ed, lf_error *err)
{
    scan sc = {ctx, out, ed};
    size_t i = 0, run = 0; /* in[run..i) is quiet and not yet copied */
    while (i < len) {
        uint32_t c;
        size_t n = lf_utf8_decode(in + i, len - i, &c);
        if (n == 0)
            return lf_fail(err, LF_ERR_INVALID_INPUT, "normalize: invalid UTF-8 at byte %zu", i);
        if (is_quiet(ctx, c) || !stage_a_applies(&ctx->opt, c)) {
            i += n;
            continue;
        }
        if (!lf_buf_append(out, in + run, i - run))
            return lf_nomem(err);
        bool ok = true;
        if (c == '&') {
            uint32_t ent;
            size_t m = parse_entity(ctx->normalize, in + i, len - i, &ent);
            if (m) {
                ok = emit(&sc, ent, i, i + m, "entity");
                n = m;
            } else {
                ok = lf_buf_append_char(out, '&');
            }
        } else if (c == '\r' && i + 1 < len && in[i + 1] == '\n' && ctx->opt.newlines) {
            uint64_t b0 = out->len;
            ok = lf_buf_append_char(out, '\n') && edits_push(ed, i, i + 2, b0, b0 + 1, "newline");
            n = 2;
        } else {
            ok = emit(&sc, c, i, i + n, NULL);
        }
        if (!ok)
            return lf_nomem(err);
        i += n;
        run = i;
    }
    if (!lf_buf_append(out, in + run, len - run))
        return lf_nomem(err);
    return LF_OK;
}

/* ------------------------------------------------------------- stage B */

/* UAX #15's stream-safe limit: after this many non-starters in a row a
 * U+034F COMBINING GRAPHEME JOINER goes in before normalizing. ICU's
 * canonical reordering is an insertion sort, so without it a run of marks
 * of alternating classes (Zalgo text, or an attack) takes quadratic time:
 * 10 million such marks did not finish in minutes. */
#define MAX_NONSTARTERS 30

/* The longest segment handed to ICU in one call (512 MiB). */
#define MAX_SEGMENT (INT32_MAX / 4)

/* Normalizes s[0..len) with ICU into out; *inserted counts the CGJs that
 * the stream-safe limit added. */
static lf_status normalize_segment(const UNormalizer2 *norm, const char *s, size_t len, lf_buf *out,
                                   size_t *inserted, lf_error *err)
{
    /* ICU counts in int32_t: with this bound the UTF-16 copy, the joiners
     * and the 3x output room all fit. Only a whole-buffer call can reach
     * it; streaming windows are 1 MiB. */
    if (len > MAX_SEGMENT)
        return lf_fail(err, LF_ERR_LIMIT, "normalize: %zu bytes without a normalization boundary (limit %d); stream the input",
                       len, MAX_SEGMENT);
    UErrorCode ec = U_ZERO_ERROR;
    int32_t n16 = 0;
    u_strFromUTF8(NULL, 0, &n16, s, (int32_t)len, &ec);
    ec = U_ZERO_ERROR;
    int32_t room = n16 + n16 / MAX_NONSTARTERS + 1;
    UChar stack_src[256], stack_dst[512];
    UChar *src = room <= 256 ? stack_src : malloc(sizeof(UChar) * (size_t)room);
    UChar *dst = NULL;
    lf_status st = LF_OK;
    if (!src) {
        st = lf_nomem(err);
        goto done;
    }
    int32_t k = 0, run = 0;
    for (size_t i = 0; i < len;) {
        uint32_t c;
        i += lf_utf8_decode(s + i, len - i, &c);
        if (u_getCombiningClass((UChar32)c) == 0) {
            run = 0;
        } else if (++run > MAX_NONSTARTERS) {
            src[k++] = 0x034F;
            (*inserted)++;
            run = 1;
        }
        U16_APPEND_UNSAFE(src, k, c);
    }
    n16 = k;
    int32_t cap = n16 * 3 + 16; /* NFC/NFKC expand at most 3x in UTF-16 here; ICU says when it does not fit */
    dst = cap <= 512 ? stack_dst : malloc(sizeof(UChar) * (size_t)cap);
    if (!dst) {
        st = lf_nomem(err);
        goto done;
    }
    int32_t m = unorm2_normalize(norm, src, n16, dst, cap, &ec);
    if (U_FAILURE(ec)) {
        st = lf_fail(err, LF_ERR_INTERNAL, "ICU normalization failed: %s", u_errorName(ec));
        goto done;
    }
    int32_t n8 = 0;
    u_strToUTF8(NULL, 0, &n8, dst, m, &ec);
    ec = U_ZERO_ERROR;
    if (!lf_buf_reserve(out, (size_t)n8)) {
        st = lf_nomem(err);
        goto done;
    }
    u_strToUTF8(out->data + out->len, n8 + 1, NULL, dst, m, &ec);
    out->len += (size_t)n8;
    out->data[out->len] = '\0';
done:
    if (src != stack_src)
        free(src);
    if (dst && dst != stack_dst)
        free(dst);
    return st;
}

static lf_status stage_b(const lf_context *ctx, const char *in, size_t len, lf_buf *out, edits *ed, lf_error *err)
{
    const struct lf_normalize_data *d = ctx->normalize;
    const char *kind = ctx->opt.norm_form == LF_NORM_NFKC ? "nfkc" : "nfc";
    size_t i = 0, run = 0, boundary = 0; /* boundary: start of the last character with a boundary before it */
    while (i < len) {
        uint32_t c;
        size_t n = lf_utf8_decode(in + i, len - i, &c);
        if (n == 0)
            return lf_fail(err, LF_ERR_INVALID_INPUT, "normalize: invalid UTF-8 at byte %zu", i);
        if (stage_b_quiet(d, c)) {
            boundary = i;
            i += n;
            continue;
        }
        if (unorm2_hasBoundaryBefore(d->norm, (UChar32)c))
            boundary = i;
        /* The segment runs from the last boundary to the next quiet character. */
        size_t end = i + n;
        while (end < len) {
            uint32_t c2;
            size_t n2 = lf_utf8_decode(in + end, len - end, &c2);
            if (n2 == 0 || stage_b_quiet(d, c2))
                break;
            end += n2;
        }
        size_t seg = boundary > run ? boundary : run;
        if (!lf_buf_append(out, in + run, seg - run))
            return lf_nomem(err);
        size_t b0 = out->len, inserted = 0;
        lf_status st = normalize_segment(d->norm, in + seg, end - seg, out, &inserted, err);
        if (st != LF_OK)
            return st;
        if ((out->len - b0 != end - seg || memcmp(out->data + b0, in + seg, end - seg) != 0) &&
            !edits_push(ed, seg, end, b0, out->len, inserted ? "stream-safe" : kind))
            return lf_nomem(err);
        i = run = boundary = end;
    }
    if (!lf_buf_append(out, in + run, len - run))
        return lf_nomem(err);
    return LF_OK;
}

/* ------------------------------------------------------------- the pass */

/* Length of the prefix of in[0..len) that needs no work: the common case,
 * made fast (a table look-up per ASCII byte, a bitmap per other character). */
static size_t quiet_prefix(const lf_context *ctx, const char *in, size_t len)
{
    const unsigned char *quiet = ctx->normalize->quiet;
    size_t i = 0;
    while (i < len) {
        unsigned char b = (unsigned char)in[i];
        if (b < 0x80) {
            if (!bit(quiet, b))
                return i;
            i++;
            continue;
        }
        /* The input is valid UTF-8 (the pipeline checked it), so the common
         * three-byte case decodes without checks; lead bytes E4-E9 are
         * U+4000..U+9FFF, the ideographs, and need no decoding at all. */
        if (b >= 0xE4 && b <= 0xE9 && ctx->normalize->han_quiet && i + 3 <= len) {
            i += 3;
            while (i + 3 <= len && (unsigned char)in[i] >= 0xE4 && (unsigned char)in[i] <= 0xE9)
                i += 3;
            continue;
        }
        if (b >= 0xE0 && b < 0xF0 && i + 3 <= len) {
            uint32_t c = ((uint32_t)(b & 0x0F) << 12) | ((uint32_t)(in[i + 1] & 0x3F) << 6) | (in[i + 2] & 0x3F);
            if (!bit(quiet, c))
                return i;
            i += 3;
            continue;
        }
        uint32_t c;
        size_t n = lf_utf8_decode(in + i, len - i, &c);
        if (n == 0 || !is_quiet(ctx, c))
            return i;
        i += n;
    }
    return len;
}

static const char *note_for(const char *kind)
{
    if (strcmp(kind, "entity") == 0) return "HTML entity decoded";
    if (strcmp(kind, "newline") == 0) return "line break unified to LF";
    if (strcmp(kind, "invisible") == 0) return "invisible character removed";
    if (strcmp(kind, "control") == 0) return "control character removed";
    if (strcmp(kind, "width") == 0) return "full-width ASCII folded to half-width";
    if (strcmp(kind, "nfkc") == 0) return "Unicode NFKC normalization";
    if (strcmp(kind, "stream-safe") == 0) return "U+034F inserted after every 30 combining marks (UAX #15 stream-safe), then normalized";
    return "Unicode NFC normalization";
}

/* Counts the changes in a merged run: characters for the per-character
 * rules, references for entities, one per entry for NFC/NFKC (whose unit is
 * a segment, not a character). */
static uint64_t run_count(const char *kind, const char *src, uint64_t a0, uint64_t a1)
{
    uint64_t n = 0;
    if (strcmp(kind, "nfc") == 0 || strcmp(kind, "nfkc") == 0 || strcmp(kind, "stream-safe") == 0)
        return 1;
    for (uint64_t i = a0; i < a1; i++) {
        unsigned char b = (unsigned char)src[i];
        if (strcmp(kind, "entity") == 0 ? b == '&' : (b & 0xC0) != 0x80)
            n++;
    }
    /* A CRLF is one line break. */
    if (strcmp(kind, "newline") == 0)
        for (uint64_t i = a0; i + 1 < a1; i++)
            if (src[i] == '\r' && src[i + 1] == '\n')
                n--;
    return n ? n : 1;
}

/* Reports one edit of stage A (from_a) or stage B, in pass offsets: the
 * line starts at byte in_base of the pass input and out_base of its output. */
static bool report_edit(lf_report *rep, const char *in, const edits *ea, const char *mid, const edits *eb,
                        const edit *e, bool from_a, uint64_t in_base, uint64_t out_base)
{
    uint64_t n = run_count(e->kind, from_a ? in : mid, e->a0, e->a1);
    /* Stage A's spans are in the input, stage B's in the output. */
    uint64_t i0 = from_a ? e->a0 : map_offset(ea, e->a0, false, false);
    uint64_t i1 = from_a ? e->a1 : map_offset(ea, e->a1, true, false);
    uint64_t o0 = from_a ? map_offset(eb, e->b0, false, true) : e->b0;
    uint64_t o1 = from_a ? map_offset(eb, e->b1, true, true) : e->b1;
    i0 += in_base, i1 += in_base, o0 += out_base, o1 += out_base;
    bool ok = from_a ? lf_report_add(rep, LF_PASS_NORMALIZE, e->kind, i0, i1, o0, o1, 1.0, "%s (%llu)",
                                     note_for(e->kind), (unsigned long long)n)
                     : lf_report_add(rep, LF_PASS_NORMALIZE, e->kind, i0, i1, o0, o1, 1.0, "%s", note_for(e->kind));
    return ok && lf_report_tally(rep, LF_PASS_NORMALIZE, e->kind, n - 1);
}

/* Reports both stages' edits of one line merged in input order (then output
 * order), the order every pass lists its changes in and streaming reproduces. */
static lf_status report_edits(lf_report *rep, const char *in, const edits *ea, const char *mid, const edits *eb,
                              uint64_t in_base, uint64_t out_base, lf_error *err)
{
    size_t i = 0, j = 0;
    while (i < ea->n || j < eb->n) {
        bool take_a = j == eb->n;
        if (i < ea->n && j < eb->n) {
            const edit *a = &ea->v[i], *b = &eb->v[j];
            uint64_t ai = a->a0, bi = map_offset(ea, b->a0, false, false);
            uint64_t ao = map_offset(eb, a->b0, false, true), bo = b->b0;
            take_a = ai < bi || (ai == bi && ao <= bo);
        }
        const edit *e = take_a ? &ea->v[i++] : &eb->v[j++];
        if (!report_edit(rep, in, ea, mid, eb, e, take_a, in_base, out_base))
            return lf_nomem(err);
    }
    return LF_OK;
}

/* Both stages over one stretch of whole lines in[0..len), which starts at
 * in_base in the pass input. */
static lf_status normalize_lines(const lf_context *ctx, const char *in, size_t len, uint64_t in_base,
                                 lf_buf *out, lf_report *rep, lf_error *err)
{
    edits ea = {0}, eb = {0};
    lf_buf mid, seg;
    lf_buf_init(&mid);
    lf_buf_init(&seg);
    lf_status st = stage_a(ctx, in, len, &mid, &ea, err);
    if (st == LF_OK && ctx->normalize->norm)
        st = stage_b(ctx, mid.data ? mid.data : "", mid.len, &seg, &eb, err);
    else if (st == LF_OK && !lf_buf_append(&seg, mid.data, mid.len))
        st = lf_nomem(err);
    uint64_t out_base = out->len;
    if (st == LF_OK && !lf_buf_append(out, seg.data, seg.len))
        st = lf_nomem(err);
    if (st == LF_OK)
        st = report_edits(rep, in, &ea, mid.data, &eb, in_base, out_base, err);
    free(ea.v);
    free(eb.v);
    lf_buf_free(&mid);
    lf_buf_free(&seg);
    return st;
}

/* Copies quiet stretches as they are and sends each line that holds a
 * character needing work through both stages. A line break is a boundary
 * for every rule (entities, CRLF, normalization segments), so lines are
 * independent. */
lf_status lf_normalize_run(const lf_context *ctx, const char *in, size_t len,
                           lf_buf *out, lf_report *rep, lf_error *err)
{
    size_t i = 0;
    while (i < len) {
        size_t q = i + quiet_prefix(ctx, in + i, len - i);
        if (q == len)
            break;
        size_t ls = q, le = q;
        while (ls > i && in[ls - 1] != '\n')
            ls--;
        while (le < len && in[le] != '\n')
            le++;
        le += le < len; /* the line break itself */
        if (!lf_buf_append(out, in + i, ls - i))
            return lf_nomem(err);
        lf_status st = normalize_lines(ctx, in + ls, le - ls, ls, out, rep, err);
        if (st != LF_OK)
            return st;
        i = le;
    }
    return lf_buf_append(out, in + i, len - i) ? LF_OK : lf_nomem(err);
}
