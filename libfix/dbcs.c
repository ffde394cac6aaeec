/* dbcs.c — table-driven decoding of double-byte CJK encodings. */
#include "dbcs.h"

#include <errno.h>
#include <iconv.h>
#include <string.h>

lf_status lf_dbcs_build(lf_dbcs *t, const char *iconv_name, lf_error *err)
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
    return LF_OK;
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
        if (b == 0x80 || b == 0xFF || i + 1 >= len || s[i + 1] < 0x40 || s[i + 1] == 0xFF)
            break;
        uint32_t cp = t->cp[(b - 0x81) * LF_DBCS_TRAILS + (s[i + 1] - 0x40)];
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
        i += 2;
    }
    out->len = (size_t)((char *)o - out->data);
    out->data[out->len] = '\0';
    return i;
}
