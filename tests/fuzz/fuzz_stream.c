/*
 * fuzz_stream.c — the streaming interface with random chunk sizes.
 *
 * Bytes 0-1 pick the pipeline as in fuzz_pipeline.c, bytes 2-5 seed the
 * chunk sizes; the rest is the input. The streamed text, encoding and
 * changes must equal lf_process() over the whole buffer (inputs here are
 * far below the 1 MiB window, where equality is promised).
 */
#include "fuzz_common.h"
#include "support.h"

/* xorshift32: chunk sizes from 1 to 1 << (1..16) bytes. */
static size_t next_chunk(uint32_t *x)
{
    *x ^= *x << 13;
    *x ^= *x >> 17;
    *x ^= *x << 5;
    unsigned shift = 1 + *x % 16;
    return 1 + (*x >> 4) % ((size_t)1 << shift);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 6)
        return 0;
    fuzz_pipeline fp;
    fuzz_pick_pipeline(data[0], data[1], &fp);
    lf_context *ctx = fuzz_context(&fp);
    uint32_t seed = (uint32_t)data[2] | (uint32_t)data[3] << 8 | (uint32_t)data[4] << 16 | (uint32_t)data[5] << 24;
    seed = seed ? seed : 1;
    const uint8_t *in = data + 6;
    size_t len = size - 6;

    lf_result *whole = NULL;
    lf_status wst = lf_process(ctx, in, len, &whole, NULL);
    fuzz_check_outcome(wst, whole, fp.passes[0] == LF_PASS_DECODE, in, len);

    support_sink out = {0};
    lf_stream *s = NULL;
    lf_result *streamed = NULL;
    lf_status st = lf_stream_new(ctx, support_sink_write, &out, &s, NULL);
    for (size_t i = 0; st == LF_OK && i < len;) {
        size_t n = next_chunk(&seed);
        n = n < len - i ? n : len - i;
        st = lf_stream_write(s, in + i, n, NULL);
        i += n;
    }
    if (st == LF_OK)
        st = lf_stream_finish(s, &streamed, NULL);
    lf_stream_free(s);

    if ((st == LF_OK) != (wst == LF_OK))
        fuzz_fail("streaming and whole-buffer disagree on success");
    if (st == LF_OK) {
        size_t n;
        const char *text = lf_result_text(whole, &n);
        if (n != out.len || (n && memcmp(text, out.data, n) != 0))
            fuzz_fail("streamed text differs from the whole-buffer text");
        if (strcmp(lf_result_encoding(whole), lf_result_encoding(streamed)) != 0)
            fuzz_fail("streamed encoding differs");
        if (lf_result_change_count(whole) != lf_result_change_count(streamed))
            fuzz_fail("streamed change count differs");
        /* Untruncated, the listed changes are the same, span for span (when
         * truncated, each lists the first max_changes it met, which differ). */
        for (size_t i = 0; !lf_result_truncated(whole) && i < lf_result_change_count(whole); i++) {
            const lf_change *a = lf_result_change(whole, i), *b = lf_result_change(streamed, i);
            if (a->pass != b->pass || strcmp(a->kind, b->kind) != 0 || a->in_start != b->in_start ||
                a->in_end != b->in_end || a->out_start != b->out_start || a->out_end != b->out_end)
                fuzz_fail("a streamed change differs from the whole-buffer one");
        }
    }
    lf_result_free(streamed);
    lf_result_free(whole);
    free(out.data);
    return 0;
}
