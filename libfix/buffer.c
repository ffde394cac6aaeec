/* buffer.c — the growable byte buffer every pass writes into. */
#include "internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void lf_buf_init(lf_buf *b)
{
    b->data = NULL;
    b->len = 0;
    b->cap = 0;
}

void lf_buf_free(lf_buf *b)
{
    free(b->data);
    lf_buf_init(b);
}

void lf_buf_clear(lf_buf *b)
{
    b->len = 0;
    if (b->data)
        b->data[0] = '\0';
}

bool lf_buf_reserve(lf_buf *b, size_t extra)
{
    if (extra > SIZE_MAX - b->len - 1)
        return false;
    size_t need = b->len + extra + 1; /* room for the NUL */
    if (need <= b->cap)
        return true;
    size_t cap = b->cap ? b->cap : 64;
    while (cap < need)
        cap = cap > SIZE_MAX / 2 ? need : cap * 2;
    char *p = realloc(b->data, cap);
    if (!p)
        return false;
    p[b->len] = '\0'; /* keep the promise of internal.h: NUL-terminated once allocated */
    b->data = p;
    b->cap = cap;
    return true;
}

bool lf_buf_append(lf_buf *b, const void *data, size_t len)
{
    if (!lf_buf_reserve(b, len))
        return false;
    if (len)
        memcpy(b->data + b->len, data, len);
    b->len += len;
    b->data[b->len] = '\0';
    return true;
}

bool lf_buf_append_char(lf_buf *b, char c)
{
    return lf_buf_append(b, &c, 1);
}

/* Written in place, not through lf_buf_append: the repair pass builds its
 * candidates a code point at a time, and a memcpy call per character cost
 * more than the encoding. */
bool lf_buf_append_cp(lf_buf *b, uint32_t cp)
{
    if (!lf_buf_reserve(b, 4))
        return false;
    unsigned char *s = (unsigned char *)b->data + b->len;
    size_t n;
    if (cp < 0x80) {
        s[0] = (unsigned char)cp;
        n = 1;
    } else if (cp < 0x800) {
        s[0] = (unsigned char)(0xC0 | (cp >> 6));
        s[1] = (unsigned char)(0x80 | (cp & 0x3F));
        n = 2;
    } else if (cp < 0x10000) {
        s[0] = (unsigned char)(0xE0 | (cp >> 12));
        s[1] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
        s[2] = (unsigned char)(0x80 | (cp & 0x3F));
        n = 3;
    } else {
        s[0] = (unsigned char)(0xF0 | (cp >> 18));
        s[1] = (unsigned char)(0x80 | ((cp >> 12) & 0x3F));
        s[2] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
        s[3] = (unsigned char)(0x80 | (cp & 0x3F));
        n = 4;
    }
    b->len += n;
    b->data[b->len] = '\0';
    return true;
}

bool lf_buf_printf(lf_buf *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0 || !lf_buf_reserve(b, (size_t)n))
        return false;
    va_start(ap, fmt);
    vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
    va_end(ap);
    b->len += (size_t)n;
    return true;
}

char *lf_buf_detach(lf_buf *b, size_t *len)
{
    if (!b->data) {
        if (!lf_buf_reserve(b, 0))
            return NULL;
        b->data[0] = '\0';
    }
    char *p = b->data;
    if (len)
        *len = b->len;
    lf_buf_init(b);
    return p;
}
