/*
 * fuzz_pass.c — one pass alone, compiled once per pass with
 * -DFUZZ_PASS=<lf_pass value>. A pass this build does not have is skipped at
 * run time, so the target exists before the pass does and starts fuzzing it
 * the day it lands.
 *
 * Byte 0 bit 0 picks the option variant. Passes after decode get the input
 * made valid UTF-8 (invalid bytes dropped) so the fuzzer spends its time in
 * the pass rather than in the validator. Besides the shared invariants,
 * every change's spans lie inside the pass's input and output.
 */
#include "fuzz_common.h"

/* libFuzzer calls this once: a pass not built has nothing to fuzz. */
int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc, (void)argv;
    if (!lf_pass_available((lf_pass)FUZZ_PASS)) {
        printf("pass '%s' is not built: nothing to fuzz\n", lf_pass_name((lf_pass)FUZZ_PASS));
        exit(0);
    }
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const lf_pass pass = (lf_pass)FUZZ_PASS;
    if (!lf_pass_available(pass) || size == 0)
        return 0;
    fuzz_pipeline fp = {{pass}, 1, data[0] & 1};
    lf_context *ctx = fuzz_context(&fp);
    const char *in = (const char *)data + 1;
    size_t len = size - 1;
    char *valid = NULL;
    if (pass != LF_PASS_DECODE) {
        /* Keep only the well-formed sequences, judged by ICU. */
        valid = malloc(len + 1);
        if (!valid)
            fuzz_fail("out of memory");
        size_t n = 0;
        for (size_t i = 0; i < len;) {
            size_t k = 1;
            while (k <= 4 && i + k <= len && !fuzz_valid_utf8(in + i, k))
                k++;
            if (k <= 4 && i + k <= len) {
                memcpy(valid + n, in + i, k);
                n += k;
                i += k;
            } else {
                i++;
            }
        }
        in = valid;
        len = n;
    }
    lf_result *r = NULL;
    lf_status st = lf_process(ctx, in, len, &r, NULL);
    fuzz_check_outcome(st, r, pass == LF_PASS_DECODE, (const uint8_t *)in, len);
    if (r) {
        size_t out_len;
        lf_result_text(r, &out_len);
        for (size_t i = 0; i < lf_result_change_count(r); i++) {
            const lf_change *c = lf_result_change(r, i);
            if (c->pass != pass || c->in_end > len || c->out_end > out_len)
                fuzz_fail("a change span lies outside the pass's input or output");
        }
    }
    lf_result_free(r);
    free(valid);
    return 0;
}
