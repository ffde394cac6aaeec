/*
 * fuzz_archive.c — libFuzzer target for fixtext's archive reading
 * (tools/archive_io.c) and member-name checks (tools/member_name.c): any
 * bytes, read as any archive format libarchive knows, must give members or
 * an error, never a crash; every name accepted must be a safe relative path.
 *
 * Build and run from the repository root (Debian clang 14):
 *   clang -g -O1 -fsanitize=fuzzer,address,undefined -Iinclude -Ilibfix -Itools \
 *     tests/fuzz/fuzz_archive.c tools/archive_io.c tools/member_name.c tools/manifest.c libfix/[a-z]*.c \
 *     $(pkg-config --cflags --libs icu-uc icu-i18n opencc libxml-2.0 libarchive) -lm -o fuzz_archive
 *   ./fuzz_archive -max_total_time=60
 */
#include "archive_io.h"
#include "member_name.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static lf_context *name_context(void)
{
    static lf_context *ctx; /* made once, read-only after, as in batch.c */
    if (!ctx) {
        lf_options o;
        lf_options_init(&o);
        o.passes[0] = LF_PASS_DECODE;
        o.pass_count = 1;
        o.invalid = LF_INVALID_STRICT;
        if (lf_context_new(&o, &ctx, NULL) != LF_OK)
            abort();
    }
    return ctx;
}

static void check_safe(const char *path)
{
    if (path[0] == '/' || !member_name_is_utf8(path, strlen(path)))
        abort();
    for (const char *p = path; p; p = strchr(p, '/') ? strchr(p, '/') + 1 : NULL)
        if (strncmp(p, "..", 2) == 0 && (p[2] == '/' || p[2] == '\0'))
            abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    /* Small limits keep each run fast; bombs must stop at them. */
    archive_limits lim = {1u << 20, 4u << 20, 50.0};
    char msg[256];
    archive_in *in = archive_in_open(NULL, data, size, &lim, msg, sizeof msg);
    if (!in)
        return 0;
    archive_member m;
    for (int i = 0; i < 1000 && archive_in_next(in, &m, msg, sizeof msg) > 0; i++) {
        if (m.data && m.size > lim.max_member)
            abort();
        member_name mn;
        if (!m.refused && !m.is_dir && !member_name_make(name_context(), m.raw_name, m.raw_len, &mn)) {
            check_safe(mn.path);
            free(mn.path);
        }
        free(m.data);
    }
    archive_in_close(in);
    return 0;
}
