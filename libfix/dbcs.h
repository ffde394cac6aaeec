/*
 * dbcs.h — fast decoding of double-byte CJK encodings through a code table
 * taken from iconv when the context is created (so no table is written by
 * hand, and the table is exactly what iconv itself would decode).
 */
#ifndef LIBFIX_DBCS_H
#define LIBFIX_DBCS_H

#include "internal.h"

#define LF_DBCS_LEADS 126  /* 0x81..0xFE */
#define LF_DBCS_TRAILS 191 /* 0x40..0xFE */

typedef struct lf_dbcs {
    /* Code point of each lead/trail pair; 0 when iconv does not decode the
     * pair alone (invalid, or the start of a longer sequence). */
    uint32_t cp[LF_DBCS_LEADS * LF_DBCS_TRAILS];
    /* Code point of the lone bytes 0x80 and 0xFF where the family's Windows
     * code page reads them as a graphic character and iconv rejects them;
     * 0 otherwise. In practice only GBK's 0x80, the euro sign: pages in
     * GBK carry it, Windows-936 and the WHATWG gb18030 decoder read it, and
     * glibc's GB18030 (the 2022 standard) calls it invalid. */
    uint32_t single[2];
} lf_dbcs;

/* Fills t from iconv's converter `iconv_name`, and t->single from ICU's
 * converter `windows_name` (NULL for none). LF_ERR_INTERNAL when iconv or
 * ICU does not know its name. */
lf_status lf_dbcs_build(lf_dbcs *t, const char *iconv_name, const char *windows_name, lf_error *err);

/* Decodes s[0..len) to UTF-8 into out while every character is ASCII or a
 * pair in the table; stops before the first byte that is neither (invalid,
 * a longer sequence, or a lead byte cut by the end) and returns how many
 * bytes it consumed. Returns (size_t)-1 on allocation failure. */
size_t lf_dbcs_decode(const lf_dbcs *t, const unsigned char *s, size_t len, lf_buf *out);

#endif
