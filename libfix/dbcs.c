/* dbcs.c — table-driven decoding of double-byte CJK encodings. */
#include "dbcs.h"

#include <errno.h>
#include <iconv.h>
#include <string.h>
#include <unicode/ucnv.h>

/* What ICU's converter `name` reads for the lone byte b: a graphic
 * character outside the private-use area, or 0. */
static uint32_t windows_single(UConverter *c, unsigned char b)
{
    UChar u[4];
    UErrorCode ec = U_ZERO_ERROR;
    ucnv_reset(c);
    int32_t n = ucnv_toUChars(c, u, 4, (const char *)&b, 1, &ec);
    if (U_FAILURE(ec) || n != 1 || u[0] < 0xA0 || (u[0] >= 0xE000 && u[0] <= 0xF8FF))
        return 0;
    return u[0];
}

static lf_status build_single(lf_dbcs *t, const char *windows_name, lf_error *err)
{
    memset(t->single, 0, sizeof t->single);
    if (!windows_name)
        return LF_OK;
    UErrorCode ec = U_ZERO_ERROR;
    UConverter *c = ucnv_open(windows_name, &ec);
    if (U_FAILURE(ec))
        return ec == U_MEMORY_ALLOCATION_ERROR ? lf_nomem(err)
                                               : lf_fail(err, LF_ERR_INTERNAL, "ICU cannot open %s", windows_name);
    /* A lone byte must stop the converter rather than become U+FFFD. */
    ucnv_setToUCallBack(c, UCNV_TO_U_CALLBACK_STOP, NULL, NULL, NULL, &ec);
    t->single[0] = windows_single(c, 0x80);
    t->single[1] = windows_single(c, 0xFF);
    ucnv_close(c);
    return LF_OK;
}

lf_status lf_dbcs_build(lf_dbcs *t, const char *iconv_name, const char *windows_name, lf_error *err)
{
    iconv_t cd = iconv_open("UTF-32LE", iconv_name);
    if (cd == (iconv_t)-1)
        return errno == ENOMEM ? lf_nomem(err) : lf_fail(err, LF_ERR_INTERNAL, "iconv cannot open %s", iconv_name);
    memset(t->cp, 0, sizeof t->cp);
    for (int lead = 0; lead < LF_DBCS_LEADS; lead++) {
        for (int trail = 0; trail < LF_DBCS_TRAILS; trail++) {
            char in[2] = {(char)(0x81 + lead), (char)(0x40 + trail)};
            unsigned char u[8];
            char *ip = in, *op = (char *)u;
            size_t il = 2, ol = sizeof u;
            iconv(cd, NULL, NULL, NULL, NULL);
            /* Exactly one character from exactly these two bytes. */
            if (iconv(cd, &ip, &il, &op, &ol) != (size_t)-1 && il == 0 && ol == sizeof u - 4)
                t->cp[lead * LF_DBCS_TRAILS + trail] =
                    (uint32_t)u[0] | (uint32_t)u[1] << 8 | (uint32_t)u[2] << 16 | (uint32_t)u[3] << 24;
        }
    }
    iconv_close(cd);
    return build_single(t, windows_name, err);
}

size_t lf_dbcs_decode(const lf_dbcs *t, const unsigned char *s, size_t len, lf_buf *out)
{
    /* UTF-8 is at most 1.5x a double-byte encoding's size (ASCII 1:1, a pair
     * to at most 3 bytes; supplementary code points take 4 for 2, i.e. 2x). */
    if (!lf_buf_reserve(out, len * 2))
        return (size_t)-1;
    unsigned char *o = (unsigned char *)out->data + out->len;
    size_t i = 0;
    while (i < len) {
        unsigned char b = s[i];
        if (b < 0x80) {
            *o++ = b;
            i++;
            continue;
        }
        uint32_t cp;
        size_t width = 2;
        if (b == 0x80 || b == 0xFF) {
            cp = t->single[b == 0xFF];
            width = 1;
        } else if (i + 1 >= len || s[i + 1] < 0x40 || s[i + 1] == 0xFF) {
            break;
        } else {
            cp = t->cp[(b - 0x81) * LF_DBCS_TRAILS + (s[i + 1] - 0x40)];
        }
        if (cp == 0)
            break;
        if (cp < 0x800) {
            *o++ = (unsigned char)(0xC0 | (cp >> 6));
            *o++ = (unsigned char)(0x80 | (cp & 0x3F));
        } else if (cp < 0x10000) {
            *o++ = (unsigned char)(0xE0 | (cp >> 12));
            *o++ = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
            *o++ = (unsigned char)(0x80 | (cp & 0x3F));
        } else {
            *o++ = (unsigned char)(0xF0 | (cp >> 18));
            *o++ = (unsigned char)(0x80 | ((cp >> 12) & 0x3F));
            *o++ = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
            *o++ = (unsigned char)(0x80 | (cp & 0x3F));
        }
        i += width;
    }
    out->len = (size_t)((char *)o - out->data);
    out->data[out->len] = '\0';
    return i;
}
