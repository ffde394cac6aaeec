/*
 * member_name.h — the UTF-8 relative path a batch input gets on output, or
 * the reason it is refused.
 *
 * Names come from directory walks (bytes as stored on disk) and archives
 * (bytes as stored in the member header: UTF-8, or GBK/Big5 in zip files
 * written by Chinese Windows tools). A name that is not UTF-8 is decoded with
 * libfix's own detection. A name is refused when it would leave the output
 * directory (absolute, "..") or cannot be a file name here.
 */
#ifndef LIBFIX_MEMBER_NAME_H
#define LIBFIX_MEMBER_NAME_H

#include "libfix.h"

#include <stdbool.h>
#include <stddef.h>

typedef struct member_name {
    char *path;           /* malloc'd, owned by the caller: "a/b.txt", no "." or empty components */
    const char *encoding; /* NULL when the raw name was UTF-8; else the detected encoding (static) */
    double confidence;    /* of that detection */
} member_name;

/* Makes out->path from raw[0..len). name_ctx is a context whose pipeline is
 * decode alone with the strict invalid-byte policy. Returns NULL on success,
 * else a static English reason (nothing is allocated then). */
const char *member_name_make(const lf_context *name_ctx, const char *raw, size_t len, member_name *out);

/* Whether s[0..len) is valid UTF-8. */
bool member_name_is_utf8(const char *s, size_t len);

/* Whether a relative path names one of batch's own files (the resume
 * manifest, temporary outputs), which are never taken as inputs. */
bool member_name_is_reserved(const char *path);

/* A printable stand-in for a name that was refused (malloc'd; NULL when out
 * of memory): bytes outside printable ASCII and valid UTF-8 as \xHH. */
char *member_name_printable(const char *raw, size_t len);

/* A set of the output paths given out so far: a second member with the
 * same name would silently replace the first. */
typedef struct name_set {
    char **slots;
    size_t n, used;
} name_set; /* start from {0} */

/* Adds a copy of name: 1 when added, 0 when already there, -1 when out of
 * memory. */
int name_set_add(name_set *set, const char *name);
void name_set_free(name_set *set);

/* The prefix of batch's temporary files and the manifest's name. */
#define BATCH_TMP_MARK ".fixtext-tmp."
#define BATCH_MANIFEST ".fixtext-manifest"

#endif
