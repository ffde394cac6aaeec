/* test_stream.c — streaming output equals whole-buffer output for every
 * chunk size, in every encoding, across the detection sample and window
 * boundaries. */
#include "check.h"
#include "libfix.h"
#include "support.h"

/* Streams in[0..len) in chunks of `chunk` bytes; compares with whole. */
static bool stream_equals(lf_context *ctx, const char *in, size_t len, size_t chunk, const lf_result *whole)
{
    support_sink s = {0};
    lf_stream *st = NULL;
    lf_result *r = NULL;
    bool ok = lf_stream_new(ctx, support_sink_write, &s, &st, NULL) == LF_OK;
    for (size_t i = 0; ok && i < len; i += chunk)
        ok = lf_stream_write(st, in + i, len - i < chunk ? len - i : chunk, NULL) == LF_OK;
    ok = ok && lf_stream_finish(st, &r, NULL) == LF_OK;
    size_t n;
    const char *want = lf_result_text(whole, &n);
    ok = ok && s.len == n && memcmp(s.data, want, n) == 0;
    ok = ok && strcmp(lf_result_encoding(r), lf_result_encoding(whole)) == 0;
    ok = ok && lf_result_change_count(r) == lf_result_change_count(whole);
    for (size_t i = 0; ok && i < lf_result_change_count(r); i++) {
        const lf_change *a = lf_result_change(r, i), *b = lf_result_change(whole, i);
        ok = a->in_start == b->in_start && a->in_end == b->in_end && a->out_start == b->out_start &&
             strcmp(a->kind, b->kind) == 0;
    }
    if (!ok)
        fprintf(stderr, "  stream != whole at chunk size %zu (%zu vs %zu bytes)\n", chunk, s.len, n);
    lf_result_free(r);
    lf_stream_free(st);
    free(s.data);
    return ok;
}

static void test_file(lf_context *ctx, const char *path)
{
    size_t len;
    char *in = check_read_file(path, &len);
    CHECK(in != NULL);
    if (!in)
        return;
    lf_result *whole = NULL;
    CHECK(lf_process(ctx, in, len, &whole, NULL) == LF_OK);
    for (size_t chunk = 1; chunk <= 64; chunk++)
        CHECK(stream_equals(ctx, in, len, chunk, whole));
    CHECK(stream_equals(ctx, in, len, 4096, whole));
    CHECK(stream_equals(ctx, in, len, len + 1, whole));
    lf_result_free(whole);
    free(in);
}

/* A GB18030 document of ~700 KB with CRLFs, full-width letters and invalid
 * bytes: crosses the detection sample (64 KiB) and several windows. */
static void test_large(lf_context *ctx)
{
    size_t len;
    char *seed = check_read_file(LIBFIX_TESTDATA "/encoded/003_3cb92859fe70f893.gb18030", &len);
    CHECK(seed != NULL);
    if (!seed)
        return;
    size_t cap = len * 30 + 1024, n = 0;
    char *big = malloc(cap);
    for (int i = 0; i < 28; i++) {
        memcpy(big + n, seed, len);
        n += len;
        memcpy(big + n, "\xA3\xC1\xA3\xC2\r\n\xFF\r\n", 9); /* ＡＢ CRLF, an invalid byte */
        n += 9;
    }
    lf_result *whole = NULL;
    CHECK(lf_process(ctx, big, n, &whole, NULL) == LF_OK);
    CHECK_STR(lf_result_encoding(whole), "GB18030");
    CHECK(lf_result_kind_count(whole, LF_PASS_DECODE, "invalid-bytes") == 28);
    CHECK(lf_result_kind_count(whole, LF_PASS_NORMALIZE, "width") == 56);
    static const size_t chunks[] = {1, 3, 1000, 65536, 65537, 300000};
    for (size_t i = 0; i < sizeof chunks / sizeof chunks[0]; i++)
        CHECK(stream_equals(ctx, big, n, chunks[i], whole));
    lf_result_free(whole);
    free(big);
    free(seed);
}

static int refuse(void *user, const char *data, size_t len)
{
    (void)user, (void)data, (void)len;
    return 1;
}

static void test_errors(lf_context *ctx)
{
    lf_stream *st = NULL;
    lf_error err;
    CHECK(lf_stream_new(ctx, refuse, NULL, &st, NULL) == LF_OK);
    CHECK(lf_stream_write(st, "abc\n", 4, NULL) == LF_OK); /* buffered, nothing written yet */
    CHECK(lf_stream_finish(st, NULL, &err) == LF_ERR_ARGUMENT);
    CHECK(strstr(err.message, "callback") != NULL);
    CHECK(lf_stream_write(st, "x", 1, &err) != LF_OK); /* a failed stream stays failed */
    lf_stream_free(st);
    CHECK(lf_stream_new(ctx, NULL, NULL, &st, &err) == LF_ERR_ARGUMENT);
}

int main(void)
{
    lf_context *ctx = support_context("decode,normalize");
    static const char *const files[] = {
        "/seeds/003_3cb92859fe70f893.txt", "/encoded/003_3cb92859fe70f893.gb18030",
        "/encoded/003_3cb92859fe70f893.utf16le", "/encoded/002_d6a4e868b2ae8101.trad.big5",
        "/seeds/000_2c2c842a2fec32c3.txt",
    };
    char path[512];
    for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
        snprintf(path, sizeof path, "%s%s", LIBFIX_TESTDATA, files[i]);
        test_file(ctx, path);
    }
    test_large(ctx);
    test_errors(ctx);
    lf_context_free(ctx);
    return check_done("test_stream");
}
