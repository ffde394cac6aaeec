/* support.c — the helpers of support.h. */
#include "support.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unicode/ucnv.h>

static void *need(void *p)
{
    if (!p) {
        fprintf(stderr, "test support: out of memory\n");
        exit(1);
    }
    return p;
}

lf_context *support_context(const char *passes)
{
    lf_options opt;
    lf_options_init(&opt);
    lf_context *ctx = NULL;
    lf_error err;
    if (lf_passes_parse(passes, opt.passes, &opt.pass_count, &err) != LF_OK ||
        lf_context_new(&opt, &ctx, &err) != LF_OK) {
        fprintf(stderr, "context for %s: %s\n", passes, err.message);
        exit(1);
    }
    return ctx;
}

opencc_t support_opencc_open(const char *config)
{
    char path[256];
    snprintf(path, sizeof path, "/usr/share/opencc/%s.json", config);
    opencc_t h = opencc_open(path);
    if (h == (opencc_t)-1) {
        fprintf(stderr, "opencc_open(%s) failed\n", path);
        exit(1);
    }
    return h;
}

char *support_icu_convert(const char *text, size_t len, const char *to, const char *from)
{
    UErrorCode st = U_ZERO_ERROR;
    int32_t cap = (int32_t)len * 4 + 16;
    char *out = need(malloc((size_t)cap));
    int32_t n = ucnv_convert(to, from, out, cap, text, (int32_t)len, &st);
    if (U_FAILURE(st)) {
        free(out);
        return NULL;
    }
    out[n] = '\0';
    return out;
}

lf_context *support_convert_context(const char *config, lf_script script, lf_format format)
{
    lf_options opt;
    lf_options_init(&opt);
    opt.passes[0] = LF_PASS_CONVERT;
    opt.pass_count = 1;
    opt.opencc_config = config;
    opt.to_script = script;
    opt.format = format;
    lf_context *ctx = NULL;
    lf_error err;
    if (lf_context_new(&opt, &ctx, &err) != LF_OK) {
        fprintf(stderr, "lf_context_new(%s): %s\n", config ? config : "no configuration", err.message);
        exit(1);
    }
    return ctx;
}

char *support_process(const lf_context *ctx, const char *in, size_t len)
{
    lf_result *r = NULL;
    lf_error err;
    if (lf_process(ctx, in, len, &r, &err) != LF_OK) {
        fprintf(stderr, "lf_process: %s\n", err.message);
        return need(strdup(""));
    }
    size_t n;
    const char *text = lf_result_text(r, &n);
    char *copy = need(malloc(n + 1));
    memcpy(copy, text, n + 1);
    lf_result_free(r);
    return copy;
}

bool support_process_equals(const lf_context *ctx, const char *in, size_t len, const char *want)
{
    lf_result *r = NULL;
    lf_error err;
    bool same = lf_process(ctx, in, len, &r, &err) == LF_OK && strcmp(lf_result_text(r, NULL), want) == 0;
    lf_result_free(r);
    return same;
}

int support_sink_write(void *user, const char *data, size_t len)
{
    support_sink *k = user;
    if (k->len + len + 1 > k->cap) {
        size_t cap = (k->len + len + 1) * 2;
        char *p = realloc(k->data, cap);
        if (!p)
            return -1;
        k->data = p;
        k->cap = cap;
    }
    memcpy(k->data + k->len, data, len);
    k->len += len;
    k->data[k->len] = '\0';
    return 0;
}
