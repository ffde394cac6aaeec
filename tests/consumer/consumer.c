/* consumer.c — decodes GBK bytes with an installed libfix. */
#include <libfix.h>
#include <stdio.h>
#include <string.h>

int main(void)
{
    lf_options opt;
    lf_options_init(&opt);
    opt.passes[0] = LF_PASS_DECODE;
    opt.passes[1] = LF_PASS_NORMALIZE;
    opt.pass_count = 2;
    lf_context *ctx;
    lf_error err;
    if (lf_context_new(&opt, &ctx, &err) != LF_OK) {
        fprintf(stderr, "%s\n", err.message);
        return 1;
    }
    static const char gbk[] = "\xd6\xd0\xce\xc4\xa3\xc1"; /* 中文Ａ */
    lf_result *r;
    if (lf_process(ctx, gbk, sizeof gbk - 1, &r, &err) != LF_OK) {
        fprintf(stderr, "%s\n", err.message);
        return 1;
    }
    int ok = strcmp(lf_result_text(r, NULL), "中文A") == 0;
    printf("%s %s\n", lf_result_text(r, NULL), ok ? "ok" : "WRONG");
    lf_result_free(r);
    lf_context_free(ctx);
    return ok ? 0 : 1;
}
