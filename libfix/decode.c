/*
 * decode.c — the decode pass: bytes in a known or detected encoding to UTF-8.
 *
 * UTF-8 input takes a fast path (validate and copy). Every other encoding is
 * transcoded by glibc iconv when it knows the name (it is the fastest
 * converter here for the CJK multi-byte encodings) and by ICU otherwise.
 * Invalid bytes never vanish: under LF_INVALID_REPLACE each maximal invalid
 * sequence becomes U+FFFD and a report entry; under LF_INVALID_STRICT the
 * pass fails naming the byte offset.
 *
 * A decoder is incremental so that the streaming layer can feed it windows:
 * a multi-byte sequence cut by the end of a window waits in `carry` for the
 * next one.
 */
#include "decode.h"
#include "dbcs.h"
#include "strip.h"

#include <errno.h>
#include <iconv.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unicode/ucnv.h>

/* Canonical names we report, and the converter that decodes each best.
 * Big5 uses the HKSCS superset so Hong Kong text decodes too; Shift_JIS and
 * EUC-KR use the Windows supersets that web pages actually contain. */
static const struct {
    const char *name;
    const char *iconv_name;
} known[] = {
    {"GB18030", "GB18030"},     {"GBK", "GB18030"},        {"GB2312", "GB18030"},
    {"Big5", "BIG5-HKSCS"},     {"Big5-HKSCS", "BIG5-HKSCS"}, {"Shift_JIS", "CP932"},
    {"EUC-JP", "EUC-JP"},       {"EUC-KR", "CP949"},       {"windows-1252", "CP1252"},
    {"ISO-8859-1", "ISO-8859-1"}, {"UTF-16LE", "UTF-16LE"}, {"UTF-16BE", "UTF-16BE"},
    {"UTF-32LE", "UTF-32LE"},   {"UTF-32BE", "UTF-32BE"},
};

/* The double-byte encodings decoded through a table (dbcs.c) built from
 * iconv once per context: 3-4x faster than calling iconv per character.
 * Shift_JIS is not among them: its single-byte katakana break the
 * lead/trail shape the table decoder assumes. */
static const char *const table_names[] = {"GB18030", "BIG5-HKSCS", "CP949"};
/* Each family's Windows code page in ICU, for the lone bytes iconv rejects. */
static const char *const table_windows_names[] = {"windows-936-2000", "windows-950-2000", "windows-949-2000"};
#define NTABLES (sizeof table_names / sizeof table_names[0])

struct lf_decode_data {
    lf_dbcs tables[NTABLES];
};

struct lf_decoder {
    const char *name;       /* canonical or ICU standard name (static) */
    double confidence;
    bool utf8;              /* fast path */
    iconv_t cd;             /* (iconv_t)-1 when unused */
    const lf_dbcs *table;   /* fast path for cd's encoding, or NULL */
    UConverter *icu;        /* NULL when unused */
    lf_invalid_policy invalid;
    bool started;           /* BOM check done */
    unsigned char carry[8]; /* an incomplete sequence from the previous window */
    size_t ncarry;
    uint64_t consumed;      /* input bytes before the current window (excluding carry) */
    uint64_t produced;      /* output bytes before the current call */
    size_t out_base;        /* out->len when the current call began */
};

static const char *iconv_name_for(const char *name)
{
    for (size_t i = 0; i < sizeof known / sizeof known[0]; i++)
        if (strcasecmp(name, known[i].name) == 0)
            return known[i].iconv_name;
    return NULL;
}

static bool is_utf8_name(const char *name)
{
    return strcasecmp(name, "UTF-8") == 0 || strcasecmp(name, "UTF8") == 0;
}

lf_status lf_decode_check_encoding(const char *name, lf_error *err)
{
    UErrorCode ec = U_ZERO_ERROR;
    if (is_utf8_name(name) || iconv_name_for(name))
        return LF_OK;
    UConverter *c = ucnv_open(name, &ec);
    if (U_FAILURE(ec))
        return lf_fail(err, LF_ERR_UNSUPPORTED, "unknown encoding '%s'", name);
    ucnv_close(c);
    return LF_OK;
}

/* Opens the converter for name: iconv for the names it knows (with a table
 * fast path when the context has one), ICU otherwise. */
static lf_status open_converter(lf_decoder *d, const char *name, const struct lf_decode_data *tables,
                                lf_error *err)
{
    d->cd = (iconv_t)-1;
    d->icu = NULL;
    if (is_utf8_name(name)) {
        d->utf8 = true;
        d->name = "UTF-8";
        return LF_OK;
    }
    const char *iname = iconv_name_for(name);
    if (iname) {
        d->cd = iconv_open("UTF-8", iname);
        if (d->cd == (iconv_t)-1)
            return errno == ENOMEM ? lf_nomem(err)
                                   : lf_fail(err, LF_ERR_INTERNAL, "iconv cannot open %s", iname);
        for (size_t i = 0; i < NTABLES && tables; i++)
            if (strcmp(iname, table_names[i]) == 0)
                d->table = &tables->tables[i];
        return LF_OK;
    }
    UErrorCode ec = U_ZERO_ERROR;
    d->icu = ucnv_open(name, &ec);
    if (U_FAILURE(ec))
        return ec == U_MEMORY_ALLOCATION_ERROR ? lf_nomem(err)
                                               : lf_fail(err, LF_ERR_UNSUPPORTED, "unknown encoding '%s'", name);
    /* Stop at invalid input so that we can apply our own policy. */
    ucnv_setToUCallBack(d->icu, UCNV_TO_U_CALLBACK_STOP, NULL, NULL, NULL, &ec);
    const char *std = ucnv_getName(d->icu, &ec);
    d->name = U_SUCCESS(ec) && std ? ucnv_getStandardName(std, "IANA", &ec) : NULL;
    if (!d->name || U_FAILURE(ec))
        d->name = "(ICU converter)";
    return LF_OK;
}

/* Whether an ICU converter decodes sample[0..len) without an invalid byte
 * (a sequence cut by the end of the sample is not counted). */
static bool decodes_cleanly(const char *icu_name, const char *sample, size_t len)
{
    UErrorCode ec = U_ZERO_ERROR;
    UConverter *c = ucnv_open(icu_name, &ec);
    if (U_FAILURE(ec))
        return false;
    ucnv_setToUCallBack(c, UCNV_TO_U_CALLBACK_STOP, NULL, NULL, NULL, &ec);
    UChar buf[1024];
    const char *src = sample, *end = sample + len;
    while (U_SUCCESS(ec) && src < end) {
        UChar *t = buf;
        ucnv_toUnicode(c, &t, buf + 1024, &src, end, NULL, false, &ec);
        if (ec == U_BUFFER_OVERFLOW_ERROR)
            ec = U_ZERO_ERROR;
    }
    ucnv_close(c);
    return U_SUCCESS(ec);
}

/* The encoding an HTML page declares (<meta charset>, http-equiv), when it
 * should win over detection: the label names a converter we know, it is not
 * what detection found, detection is not certain, and the declared encoding
 * decodes the sample cleanly. When the label is wrong (readability's qq page
 * declares gb2312 and is UTF-8) the bytes decide. Returns a static name. */
static const char *declared_encoding(const char *sample, size_t len, const char *detected, double confidence)
{
    char label[64];
    const char *declared = lf_html_choose_charset(sample, len, label, sizeof label);
    if (!declared || strcasecmp(declared, detected) == 0 || confidence >= 0.99)
        return NULL;
    UErrorCode ec = U_ZERO_ERROR;
    const char *name = ucnv_getStandardName(declared, "MIME", &ec);
    if (!name) {
        ec = U_ZERO_ERROR;
        name = ucnv_getStandardName(declared, "IANA", &ec);
    }
    if (!name || U_FAILURE(ec) || strcasecmp(name, detected) == 0 || !decodes_cleanly(name, sample, len))
        return NULL;
    return name;
}

lf_status lf_decoder_open(const lf_context *ctx, const char *sample, size_t len, lf_decoder **out, lf_error *err)
{
    lf_decoder *d = calloc(1, sizeof *d);
    if (!d)
        return lf_nomem(err);
    d->invalid = ctx->opt.invalid;
    const char *name = ctx->opt.from_encoding;
    d->confidence = 1.0;
    if (!name) {
        name = lf_detect(sample, len, &d->confidence);
        const char *declared = declared_encoding(sample, len < 65536 ? len : 65536, name, d->confidence);
        if (declared) {
            name = declared;
            d->confidence = 0.9;
        }
    }
    d->name = name;
    const char *canonical = iconv_name_for(name) ? name : NULL;
    lf_status st = open_converter(d, name, ctx->decode, err);
    if (st != LF_OK) {
        free(d);
        return st;
    }
    if (canonical)
        d->name = canonical;
    *out = d;
    return LF_OK;
}

void lf_decoder_free(lf_decoder *d)
{
    if (!d)
        return;
    if (d->cd != (iconv_t)-1)
        iconv_close(d->cd);
    if (d->icu)
        ucnv_close(d->icu);
    free(d);
}

const char *lf_decoder_encoding(const lf_decoder *d, double *confidence)
{
    if (confidence)
        *confidence = d->confidence;
    return d->name;
}

/* Length of the maximal subpart of an ill-formed UTF-8 sequence at s (the
 * Unicode-recommended unit for one U+FFFD): the lead byte plus the
 * continuation bytes that could still have made a valid sequence. */
static size_t utf8_subpart(const unsigned char *s, size_t len)
{
    unsigned char c = s[0];
    size_t need = c >= 0xF0 && c <= 0xF4 ? 4 : c >= 0xE0 && c <= 0xEF ? 3 : c >= 0xC2 && c <= 0xDF ? 2 : 1;
    size_t i = 1;
    while (i < need && i < len) {
        unsigned char lo = 0x80, hi = 0xBF;
        if (i == 1) {
            if (c == 0xE0) lo = 0xA0;
            if (c == 0xED) hi = 0x9F;
            if (c == 0xF0) lo = 0x90;
            if (c == 0xF4) hi = 0x8F;
        }
        if (s[i] < lo || s[i] > hi)
            break;
        i++;
    }
    return i;
}

static lf_status invalid_bytes(lf_decoder *d, uint64_t at, size_t nbytes, size_t nrepl, bool truncated,
                               lf_buf *out, lf_report *rep, lf_error *err)
{
    if (d->invalid == LF_INVALID_STRICT)
        return lf_fail(err, LF_ERR_INVALID_INPUT, "%s %s bytes at offset %llu",
                       truncated ? "truncated" : "invalid", d->name, (unsigned long long)at);
    size_t before = out->len - d->out_base;
    for (size_t i = 0; i < nrepl; i++)
        if (!lf_buf_append(out, "\xEF\xBF\xBD", 3))
            return lf_nomem(err);
    if (!lf_report_add(rep, LF_PASS_DECODE, truncated ? "truncated" : "invalid-bytes", at, at + nbytes,
                       d->produced + before, d->produced + out->len - d->out_base, 1.0,
                       "%zu %s %s byte%s replaced by U+FFFD", nbytes, truncated ? "truncated" : "invalid",
                       d->name, nbytes == 1 ? "" : "s"))
        return lf_nomem(err);
    return LF_OK;
}

/* Whether the maximal subpart s[0..k) at the end of the input could be the
 * start of a valid sequence, i.e. more input might complete it. */
static bool could_continue(const unsigned char *s, size_t k)
{
    return s[0] >= 0xC2 && s[0] <= 0xF4 && k < 4;
}

/* UTF-8 to UTF-8: copy valid runs, replace each maximal invalid subpart. */
static lf_status feed_utf8(lf_decoder *d, const unsigned char *s, size_t len, bool final, size_t *used,
                           lf_buf *out, lf_report *rep, lf_error *err)
{
    size_t i = 0;
    while (i < len) {
        size_t ok = lf_utf8_validate((const char *)s + i, len - i);
        if (!lf_buf_append(out, s + i, ok))
            return lf_nomem(err);
        i += ok;
        if (i == len)
            break;
        size_t sub = utf8_subpart(s + i, len - i);
        if (i + sub == len && !final && could_continue(s + i, sub))
            break; /* possibly completed by the next window */
        /* Merge adjacent bad subparts into one report entry, one U+FFFD each. */
        size_t start = i, last = i, nrepl = 0;
        uint32_t cp;
        while (i < len && lf_utf8_decode((const char *)s + i, len - i, &cp) == 0) {
            size_t k = utf8_subpart(s + i, len - i);
            if (i + k == len && !final && could_continue(s + i, k))
                break;
            last = i;
            i += k;
            nrepl++;
        }
        if (nrepl == 0)
            break;
        bool truncated = final && i == len && could_continue(s + last, i - last);
        lf_status st = invalid_bytes(d, d->consumed + start, i - start, nrepl, truncated, out, rep, err);
        if (st != LF_OK)
            return st;
    }
    *used = i;
    return LF_OK;
}

/* Legacy encodings through iconv, with the table fast path in front when
 * there is one: the table decodes all it can, iconv takes over for one
 * character (at most 4 bytes) where it stops. One U+FFFD per invalid byte:
 * in a double-byte encoding the byte after an invalid lead may start a valid
 * character, and dropping it would lose text. */
static lf_status feed_iconv(lf_decoder *d, const unsigned char *s, size_t len, bool final, size_t *used,
                            lf_buf *out, lf_report *rep, lf_error *err)
{
    char *src = (char *)s;
    size_t left = len;
    while (left > 0) {
        if (d->table) {
            size_t n = lf_dbcs_decode(d->table, (const unsigned char *)src, left, out);
            if (n == (size_t)-1)
                return lf_nomem(err);
            src += n;
            left -= n;
            if (left == 0)
                break;
        }
        size_t chunk = d->table && left > 4 ? 4 : left, chunk_left = chunk;
        if (!lf_buf_reserve(out, chunk * 2 + 16))
            return lf_nomem(err);
        char *dst = out->data + out->len;
        size_t room = out->cap - out->len - 1;
        size_t r = iconv(d->cd, &src, &chunk_left, &dst, &room);
        bool progressed = chunk_left < chunk;
        left -= chunk - chunk_left;
        out->len = (size_t)(dst - out->data);
        out->data[out->len] = '\0';
        if (r != (size_t)-1 || errno == E2BIG)
            continue;
        if (errno == EINVAL && (progressed || chunk < left))
            continue; /* the slice ended inside the next character: go on from there */
        size_t at = (size_t)(src - (char *)s);
        if (errno == EINVAL && !final)
            break; /* incomplete sequence at the end of the window */
        bool truncated = errno == EINVAL;
        size_t nbad = truncated ? left : 1;
        lf_status st = invalid_bytes(d, d->consumed + at, nbad, nbad, truncated, out, rep, err);
        if (st != LF_OK)
            return st;
        src += nbad;
        left -= nbad;
        iconv(d->cd, NULL, NULL, NULL, NULL); /* reset shift state */
    }
    *used = (size_t)(src - (char *)s);
    return LF_OK;
}

/* Any ICU converter: to UTF-16 and on to UTF-8, stopping at each error. */
static lf_status feed_icu(lf_decoder *d, const unsigned char *s, size_t len, bool final, size_t *used,
                          lf_buf *out, lf_report *rep, lf_error *err)
{
    const char *src = (const char *)s, *end = src + len;
    UChar u16[1024];
    while (src < end) {
        UChar *t = u16;
        UErrorCode ec = U_ZERO_ERROR;
        const char *before = src;
        ucnv_toUnicode(d->icu, &t, u16 + 1024, &src, end, NULL, final, &ec);
        for (UChar *p = u16; p < t; p++) {
            uint32_t cp = *p;
            if (U16_IS_LEAD(*p) && p + 1 < t && U16_IS_TRAIL(p[1])) {
                cp = U16_GET_SUPPLEMENTARY(*p, p[1]);
                p++;
            }
            if (!lf_buf_append_cp(out, cp))
                return lf_nomem(err);
        }
        if (ec == U_BUFFER_OVERFLOW_ERROR || (U_SUCCESS(ec) && src > before))
            continue;
        if (U_SUCCESS(ec))
            break;
        if (ec == U_MEMORY_ALLOCATION_ERROR)
            return lf_nomem(err);
        /* The converter consumed the bad bytes; they are in its error buffer. */
        char bad[32];
        int8_t nbad = sizeof bad;
        UErrorCode ec2 = U_ZERO_ERROR;
        ucnv_getInvalidChars(d->icu, bad, &nbad, &ec2);
        if (U_FAILURE(ec2) || nbad <= 0)
            nbad = 1;
        size_t at = (size_t)(src - (const char *)s) - (size_t)nbad;
        lf_status st = invalid_bytes(d, d->consumed + at, (size_t)nbad, 1, ec == U_TRUNCATED_CHAR_FOUND, out, rep, err);
        if (st != LF_OK)
            return st;
    }
    *used = (size_t)(src - (const char *)s);
    return LF_OK;
}

static lf_status feed_bytes(lf_decoder *d, const unsigned char *s, size_t len, bool final, size_t *used,
                            lf_buf *out, lf_report *rep, lf_error *err)
{
    if (d->utf8)
        return feed_utf8(d, s, len, final, used, out, rep, err);
    if (d->cd != (iconv_t)-1)
        return feed_iconv(d, s, len, final, used, out, rep, err);
    return feed_icu(d, s, len, final, used, out, rep, err);
}

/* Length of the BOM of the decoder's encoding at the start of s, or 0. */
static size_t bom_length(const lf_decoder *d, const unsigned char *s, size_t len)
{
    if (d->utf8 && len >= 3 && s[0] == 0xEF && s[1] == 0xBB && s[2] == 0xBF)
        return 3;
    if (strcmp(d->name, "UTF-16LE") == 0 && len >= 2 && s[0] == 0xFF && s[1] == 0xFE)
        return 2;
    if (strcmp(d->name, "UTF-16BE") == 0 && len >= 2 && s[0] == 0xFE && s[1] == 0xFF)
        return 2;
    if (strcmp(d->name, "UTF-32LE") == 0 && len >= 4 && memcmp(s, "\xFF\xFE\0\0", 4) == 0)
        return 4;
    if (strcmp(d->name, "UTF-32BE") == 0 && len >= 4 && memcmp(s, "\0\0\xFE\xFF", 4) == 0)
        return 4;
    return 0;
}

lf_status lf_decoder_feed(lf_decoder *d, const char *in, size_t len, bool final,
                          lf_buf *out, lf_report *rep, lf_error *err)
{
    const unsigned char *s = (const unsigned char *)in;
    lf_status st;
    d->out_base = out->len;
    if (!d->started) {
        if (len < 4 && !final) {
            /* Too little to see a BOM: keep it for the next window. */
            if (d->ncarry + len > sizeof d->carry)
                return lf_fail(err, LF_ERR_INTERNAL, "decoder carry overflow");
            memcpy(d->carry + d->ncarry, s, len);
            d->ncarry += len;
            return LF_OK;
        }
        d->started = true;
    }
    /* Complete the sequence carried from the previous window first, by
     * joining it with the start of this one. */
    if (d->ncarry) {
        unsigned char joined[16];
        size_t take = len < sizeof joined - d->ncarry ? len : sizeof joined - d->ncarry;
        memcpy(joined, d->carry, d->ncarry);
        memcpy(joined + d->ncarry, s, take);
        size_t have = d->ncarry + take, used = 0;
        size_t bom = d->consumed == 0 ? bom_length(d, joined, have) : 0;
        if (bom && !lf_report_add(rep, LF_PASS_DECODE, "bom", 0, bom, 0, 0, 1.0, "byte order mark removed"))
            return lf_nomem(err);
        st = feed_bytes(d, joined + bom, have - bom, final && take == len, &used, out, rep, err);
        if (st != LF_OK)
            return st;
        used += bom;
        if (used < d->ncarry) {
            /* Still incomplete: everything given so far waits. */
            if (take != len || have > sizeof d->carry)
                return lf_fail(err, LF_ERR_INTERNAL, "decoder could not resynchronise");
            memcpy(d->carry, joined, have);
            d->ncarry = have;
            d->produced += out->len - d->out_base;
            return LF_OK;
        }
        size_t from_new = used - d->ncarry;
        d->consumed += d->ncarry;
        d->ncarry = 0;
        s += from_new;
        len -= from_new;
        d->consumed += from_new;
    } else if (d->consumed == 0) {
        size_t bom = bom_length(d, s, len);
        if (bom) {
            if (!lf_report_add(rep, LF_PASS_DECODE, "bom", 0, bom, 0, 0, 1.0, "byte order mark removed"))
                return lf_nomem(err);
            s += bom;
            len -= bom;
            d->consumed += bom;
        }
    }
    size_t used = 0;
    st = feed_bytes(d, s, len, final, &used, out, rep, err);
    if (st != LF_OK)
        return st;
    if (len - used > sizeof d->carry)
        return lf_fail(err, LF_ERR_INTERNAL, "decoder left %zu bytes unconsumed", len - used);
    memcpy(d->carry, s + used, len - used);
    d->ncarry = len - used;
    d->consumed += used;
    d->produced += out->len - d->out_base;
    return LF_OK;
}

lf_status lf_decode_run(const lf_context *ctx, const char *in, size_t len,
                        lf_buf *out, lf_report *rep, lf_error *err)
{
    lf_decoder *d;
    lf_status st = lf_decoder_open(ctx, in, len, &d, err);
    if (st != LF_OK)
        return st;
    rep->encoding = lf_decoder_encoding(d, &rep->encoding_confidence);
    st = lf_decoder_feed(d, in, len, true, out, rep, err);
    lf_decoder_free(d);
    return st;
}

lf_status lf_decode_prepare(lf_context *ctx, lf_error *err)
{
    struct lf_decode_data *d = malloc(sizeof *d);
    if (!d)
        return lf_nomem(err);
    for (size_t i = 0; i < NTABLES; i++) {
        lf_status st = lf_dbcs_build(&d->tables[i], table_names[i], table_windows_names[i], err);
        if (st != LF_OK) {
            free(d);
            return st;
        }
    }
    ctx->decode = d;
    return LF_OK;
}

void lf_decode_release(lf_context *ctx)
{
    free(ctx->decode);
    ctx->decode = NULL;
}
