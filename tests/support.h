/* support.h — what the tests share besides the checks of check.h: a
 * context for the convert pass, a whole-buffer run to a string, and a
 * growing sink for the streaming API.
 *
 * These helpers set a test up; they assert nothing. A failure the test did
 * not set out to provoke (a context that cannot be made, memory exhausted)
 * prints why and ends the test with status 1. */
#ifndef LIBFIX_TEST_SUPPORT_H
#define LIBFIX_TEST_SUPPORT_H

#include "libfix.h"

#include <opencc/opencc.h>

#include <stdbool.h>
#include <stddef.h>

/* A context running the passes of `passes` ("decode,normalize", in the
 * syntax of lf_passes_parse), with default options. */
lf_context *support_context(const char *passes);

/* A context running only the convert pass with the OpenCC configuration
 * `config` (NULL: none) to the script `script`, reading `format`. */
lf_context *support_convert_context(const char *config, lf_script script, lf_format format);

/* libopencc's handle for the installed configuration `config` ("s2t"
 * opens /usr/share/opencc/s2t.json); the caller closes it. */
opencc_t support_opencc_open(const char *config);

/* text[0..len) converted from encoding `from` to `to` by ICU: a malloc'd
 * NUL-terminated string the caller frees, or NULL when ICU reports an
 * error (a character `to` cannot hold, bytes `from` cannot decode). */
char *support_icu_convert(const char *text, size_t len, const char *to, const char *from);

/* lf_process over in[0..len): its text as a malloc'd NUL-terminated string
 * the caller frees. When the call fails, prints the error and returns an
 * empty string, so that a comparison with the expected text fails. */
char *support_process(const lf_context *ctx, const char *in, size_t len);

/* Whether lf_process over in[0..len) succeeds and gives exactly `want`. */
bool support_process_equals(const lf_context *ctx, const char *in, size_t len, const char *want);

/* A stream's output, collected: pass support_sink_write as the write
 * callback and the sink as its user pointer. `data` stays NUL-terminated
 * and belongs to the caller (free it). */
typedef struct support_sink {
    char *data;
    size_t len, cap;
} support_sink;

int support_sink_write(void *user, const char *data, size_t len);

#endif
