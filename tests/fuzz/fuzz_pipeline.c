/*
 * fuzz_pipeline.c — the whole pipeline, with the passes and their order
 * chosen by the first two bytes among those lf_pass_available() says are
 * built (see fuzz_pick_pipeline), so passes landing later are fuzzed without
 * changes here.
 *
 * When repair is built, the same input also becomes a clean-text control
 * (clean_text.h) that repair alone must return unchanged.
 */
#include "clean_text.h"

static void check_clean_control(const uint8_t *in, size_t len)
{
    static const fuzz_pipeline repair_only = {{LF_PASS_REPAIR}, 1, 2}; /* variant 2: keep annotations */
    lf_context *ctx = fuzz_context(&repair_only);
    clean_text t;
    clean_build(&t, in, len);
    lf_result *r = NULL;
    if (lf_process(ctx, t.s ? t.s : "", t.len, &r, NULL) != LF_OK)
        fuzz_fail("repair failed on clean text");
    size_t n;
    const char *got = lf_result_text(r, &n);
    if (n != t.len || memcmp(got, t.s ? t.s : "", n) != 0) {
        fprintf(stderr, "clean text: %.*s\nrepaired:   %.*s\n", (int)t.len, t.s, (int)n, got);
        fuzz_fail("repair changed clean text");
    }
    lf_result_free(r);
    free(t.s);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 2)
        return 0;
    fuzz_pipeline fp;
    fuzz_pick_pipeline(data[0], data[1], &fp);
    lf_context *ctx = fuzz_context(&fp);
    lf_result *r = NULL;
    lf_status st = lf_process(ctx, data + 2, size - 2, &r, NULL);
    fuzz_check_outcome(st, r, fp.passes[0] == LF_PASS_DECODE, data + 2, size - 2);
    lf_result_free(r);
    if (lf_pass_available(LF_PASS_REPAIR))
        check_clean_control(data + 2, size - 2);
    return 0;
}
