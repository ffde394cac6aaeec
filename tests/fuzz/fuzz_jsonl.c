/*
 * fuzz_jsonl.c — libFuzzer target for one line of fixtext's JSON Lines mode
 * (tools/jsonl.c): any bytes must give a line out, never a crash; a line
 * that is not a JSON object must come back byte for byte, and any other
 * must come back as a JSON object with a "libfix" member and, when cleaned,
 * the cleaned text as a string (the splicing kept the JSON well formed).
 *
 * Build and run from the repository root (Debian clang 14):
 *   clang -g -O1 -fsanitize=fuzzer,address,undefined -Iinclude -Ilibfix -Itools \
 *     tests/fuzz/fuzz_jsonl.c tools/jsonl.c tools/result_summary.c libfix/[a-z]*.c \
 *     $(pkg-config --cflags --libs icu-uc icu-i18n opencc libxml-2.0 jansson) -lm -o fuzz_jsonl
 *   ./fuzz_jsonl -max_total_time=60
 */
#include "jsonl.h"

#include <jansson.h>

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static lf_context *context(void)
{
    static lf_context *ctx; /* made once, read-only after, as in fixtext */
    if (!ctx) {
        lf_options o;
        lf_options_init(&o);
        lf_passes_parse("decode,normalize", o.passes, &o.pass_count, NULL);
        if (lf_context_new(&o, &ctx, NULL) != LF_OK)
            abort();
    }
    return ctx;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    /* A line never holds its newline. */
    const char *nl = memchr(data, '\n', size);
    size_t len = nl ? (size_t)(nl - (const char *)data) : size;
    jsonl_settings js = {1, "text", size % 2 ? "clean" : NULL};
    char *out, why[256];
    size_t outlen;
    jsonl_outcome oc = jsonl_fix_line(context(), &js, (const char *)data, len, &out, &outlen, why, sizeof why);
    if (!out)
        abort(); /* only when out of memory */
    if (oc == JSONL_MALFORMED && (outlen != len || memcmp(out, data, len) != 0))
        abort();
    if (oc != JSONL_MALFORMED) {
        if (memchr(out, '\n', outlen))
            abort(); /* one record per line */
        json_t *o = json_loadb(out, outlen, JSON_REJECT_DUPLICATES | JSON_ALLOW_NUL | JSON_DECODE_INT_AS_REAL, NULL);
        if (!json_is_object(o) || !json_is_object(json_object_get(o, "libfix")))
            abort();
        if (oc == JSONL_FIXED && !json_is_string(json_object_get(o, js.out_field ? js.out_field : js.field)))
            abort();
        json_decref(o);
    }
    free(out);
    return 0;
}
