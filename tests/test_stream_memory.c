/* test_stream_memory.c — a 200 MB input with no line break goes through the
 * streaming interface (decode + normalize) in flat memory: peak RSS stays
 * under 64 MB. The input is generated on the fly, never held whole.
 *
 * Under the sanitizers RSS includes shadow memory and the allocation
 * quarantine, so there the test checks the output but not the bound. */
#include "check.h"
#include "libfix.h"
#include "support.h"

#include <sys/resource.h>

#define TOTAL (200u * 1024 * 1024)

static uint64_t out_bytes;

static int count(void *user, const char *data, size_t len)
{
    (void)user, (void)data;
    out_bytes += len;
    return 0;
}

int main(void)
{
    lf_context *ctx = support_context("decode,normalize");
    /* 32 bytes: 8 Han characters (UTF-8), 4 ASCII, and "ＡＢ" to fold. */
    static const char unit[] = "互联网治理网络空间abcd\xEF\xBC\xA1\xEF\xBC\xA2";
    size_t ulen = sizeof unit - 1;
    static char chunk[1 << 16];
    size_t per = sizeof chunk / ulen;
    for (size_t i = 0; i < per; i++)
        memcpy(chunk + i * ulen, unit, ulen);
    size_t clen = per * ulen;
    lf_stream *st = NULL;
    CHECK(lf_stream_new(ctx, count, NULL, &st, NULL) == LF_OK);
    uint64_t in_bytes = 0;
    while (in_bytes < TOTAL && st) {
        if (lf_stream_write(st, chunk, clen, NULL) != LF_OK) {
            CHECK(!"stream write failed");
            break;
        }
        in_bytes += clen;
    }
    lf_result *r = NULL;
    CHECK(lf_stream_finish(st, &r, NULL) == LF_OK);
    uint64_t units = in_bytes / ulen;
    CHECK(out_bytes == in_bytes - units * 4); /* each ＡＢ (6 bytes) became AB (2) */
    CHECK(lf_result_kind_count(r, LF_PASS_NORMALIZE, "width") == units * 2);
    CHECK_STR(lf_result_encoding(r), "UTF-8");
    lf_result_free(r);
    lf_stream_free(st);
    lf_context_free(ctx);
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    printf("streamed %llu bytes, peak RSS %ld KiB\n", (unsigned long long)in_bytes, ru.ru_maxrss);
#ifndef LIBFIX_SANITIZED
    CHECK(ru.ru_maxrss < 64 * 1024);
#endif
    return check_done("test_stream_memory");
}
