/* member_name.c — turning stored names into safe UTF-8 relative paths. */
#include "member_name.h"
#include "manifest.h"

#include <limits.h>
#include <stdio.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

bool member_name_is_utf8(const char *s, size_t len)
{
    const unsigned char *p = (const unsigned char *)s, *end = p + len;
    while (p < end) {
        unsigned c = *p;
        size_t n = c < 0x80 ? 1 : (c & 0xE0) == 0xC0 ? 2 : (c & 0xF0) == 0xE0 ? 3 : (c & 0xF8) == 0xF0 ? 4 : 0;
        if (n == 0 || (size_t)(end - p) < n)
            return false;
        uint32_t cp = n == 1 ? c : n == 2 ? (c & 0x1F) : n == 3 ? (c & 0x0F) : (c & 0x07);
        for (size_t i = 1; i < n; i++) {
            if ((p[i] & 0xC0) != 0x80)
                return false;
            cp = cp << 6 | (p[i] & 0x3F);
        }
        /* Overlong forms and surrogates would let two spellings name one file. */
        static const uint32_t min_cp[5] = {0, 0, 0x80, 0x800, 0x10000};
        if (cp < min_cp[n] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
            return false;
        p += n;
    }
    return true;
}

bool member_name_is_reserved(const char *path)
{
    const char *base = strrchr(path, '/');
    base = base ? base + 1 : path;
    return strcmp(base, BATCH_MANIFEST) == 0 || strstr(base, BATCH_TMP_MARK) != NULL;
}

/* Copies the components of utf8[0..len) into a fresh "a/b/c", dropping empty
 * and "." components. Returns NULL or the reason for refusing the name. */
static const char *clean_path(const char *utf8, size_t len, char **out)
{
    if (len == 0)
        return "empty name";
    if (utf8[0] == '/')
        return "absolute path";
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)utf8[i];
        if (c < 0x20 || c == 0x7F)
            return "control character in name";
    }
    char *path = malloc(len + 1);
    if (!path)
        return "out of memory";
    size_t n = 0;
    for (size_t i = 0; i < len;) {
        size_t j = i;
        while (j < len && utf8[j] != '/')
            j++;
        size_t clen = j - i;
        const char *comp = utf8 + i;
        i = j + 1;
        if (clen == 0 || (clen == 1 && comp[0] == '.'))
            continue;
        if (clen == 2 && comp[0] == '.' && comp[1] == '.') {
            free(path);
            return "'..' in path";
        }
        if (clen > NAME_MAX) {
            free(path);
            return "name component too long";
        }
        if (n)
            path[n++] = '/';
        memcpy(path + n, comp, clen);
        n += clen;
    }
    path[n] = '\0';
    if (n == 0) {
        free(path);
        return "empty name";
    }
    *out = path;
    return NULL;
}

const char *member_name_make(const lf_context *name_ctx, const char *raw, size_t len, member_name *out)
{
    memset(out, 0, sizeof *out);
    if (memchr(raw, '\0', len))
        return "NUL byte in name";
    if (member_name_is_utf8(raw, len))
        return clean_path(raw, len, &out->path);
    lf_result *r;
    if (lf_process(name_ctx, raw, len, &r, NULL) != LF_OK)
        return "name is not valid in any encoding libfix detects";
    size_t n;
    const char *utf8 = lf_result_text(r, &n);
    const char *why = clean_path(utf8, n, &out->path);
    if (!why) {
        out->encoding = lf_result_encoding(r); /* static, outlives r */
        out->confidence = lf_result_encoding_confidence(r);
    }
    lf_result_free(r);
    return why;
}

char *member_name_printable(const char *raw, size_t len)
{
    char *s = malloc(len * 4 + 1), *w = s;
    if (!s)
        return NULL;
    bool utf8 = member_name_is_utf8(raw, len);
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)raw[i];
        if (c < 0x20 || c == 0x7F || (c >= 0x80 && !utf8))
            w += sprintf(w, "\\x%02X", c);
        else
            *w++ = (char)c;
    }
    *w = '\0';
    return s;
}

int name_set_add(name_set *set, const char *name)
{
    if ((set->used + 1) * 2 > set->n) {
        size_t n = set->n ? set->n * 2 : 1024;
        char **slots = calloc(n, sizeof *slots);
        if (!slots)
            return -1;
        for (size_t i = 0; i < set->n; i++) {
            if (!set->slots[i])
                continue;
            size_t k = manifest_hash(set->slots[i], strlen(set->slots[i])) & (n - 1);
            while (slots[k])
                k = (k + 1) & (n - 1);
            slots[k] = set->slots[i];
        }
        free(set->slots);
        set->slots = slots;
        set->n = n;
    }
    size_t k = manifest_hash(name, strlen(name)) & (set->n - 1);
    for (; set->slots[k]; k = (k + 1) & (set->n - 1))
        if (strcmp(set->slots[k], name) == 0)
            return 0;
    if (!(set->slots[k] = strdup(name)))
        return -1;
    set->used++;
    return 1;
}

void name_set_free(name_set *set)
{
    for (size_t i = 0; i < set->n; i++)
        free(set->slots[i]);
    free(set->slots);
}
