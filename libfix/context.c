/* context.c — options, pass lists, and the shared read-only context. */
#include "internal.h"

#include <stdlib.h>
#include <string.h>

static const char *const pass_names[LF_PASS_COUNT] = {
    "decode", "repair", "normalize", "convert", "strip",
};

const char *lf_pass_name(lf_pass pass)
{
    return (unsigned)pass < LF_PASS_COUNT ? pass_names[pass] : NULL;
}

void lf_options_init(lf_options *opt)
{
    memset(opt, 0, sizeof *opt);
    opt->passes[0] = LF_PASS_DECODE;
    opt->passes[1] = LF_PASS_REPAIR;
    opt->passes[2] = LF_PASS_NORMALIZE;
    opt->pass_count = 3;
    opt->invalid = LF_INVALID_REPLACE;
    opt->norm_form = LF_NORM_NFC;
    opt->fold_width = 1;
    opt->newlines = 1;
    opt->invisibles = 1;
    opt->entities = 1;
    opt->to_script = LF_SCRIPT_KEEP;
    opt->format = LF_FORMAT_AUTO;
    opt->keep_title = 1;
}

static int pass_by_name(const char *word, size_t len)
{
    for (int p = 0; p < LF_PASS_COUNT; p++)
        if (strlen(pass_names[p]) == len && memcmp(word, pass_names[p], len) == 0)
            return p;
    return -1;
}

static lf_status check_pass_list(const lf_pass *passes, size_t count, lf_error *err)
{
    bool seen[LF_PASS_COUNT] = {false};
    if (count > LF_PASS_COUNT)
        return lf_fail(err, LF_ERR_ARGUMENT, "too many passes (%zu)", count);
    for (size_t i = 0; i < count; i++) {
        if ((unsigned)passes[i] >= LF_PASS_COUNT)
            return lf_fail(err, LF_ERR_ARGUMENT, "unknown pass number %d", (int)passes[i]);
        if (seen[passes[i]])
            return lf_fail(err, LF_ERR_ARGUMENT, "pass '%s' named twice", pass_names[passes[i]]);
        if (passes[i] == LF_PASS_DECODE && i != 0)
            return lf_fail(err, LF_ERR_ARGUMENT, "pass 'decode' must come first: only it reads raw bytes");
        seen[passes[i]] = true;
    }
    return LF_OK;
}

lf_status lf_passes_parse(const char *list, lf_pass passes[LF_PASS_COUNT], size_t *count, lf_error *err)
{
    if (!list || !passes || !count)
        return lf_fail(err, LF_ERR_ARGUMENT, "lf_passes_parse: NULL argument");
    size_t n = 0;
    const char *p = list;
    while (*p) {
        const char *end = strchr(p, ',');
        size_t len = end ? (size_t)(end - p) : strlen(p);
        int pass = pass_by_name(p, len);
        if (pass < 0)
            return lf_fail(err, LF_ERR_ARGUMENT,
                           "unknown pass '%.*s' (known: decode, repair, normalize, convert, strip)", (int)len, p);
        if (n == LF_PASS_COUNT)
            return lf_fail(err, LF_ERR_ARGUMENT, "too many passes in '%s'", list);
        passes[n++] = (lf_pass)pass;
        p += len;
        if (*p == ',')
            p++;
    }
    if (n == 0)
        return lf_fail(err, LF_ERR_ARGUMENT, "empty pass list");
    lf_status st = check_pass_list(passes, n, err);
    if (st == LF_OK)
        *count = n;
    return st;
}

static char *dup_or_null(const char *s, bool *ok)
{
    if (!s)
        return NULL;
    char *d = strdup(s);
    if (!d)
        *ok = false;
    return d;
}

static bool has_pass(const lf_options *opt, lf_pass pass)
{
    for (size_t i = 0; i < opt->pass_count; i++)
        if (opt->passes[i] == pass)
            return true;
    return false;
}

lf_status lf_context_new(const lf_options *opt, lf_context **out, lf_error *err)
{
    if (!opt || !out)
        return lf_fail(err, LF_ERR_ARGUMENT, "lf_context_new: NULL argument");
    *out = NULL;
    lf_status st = check_pass_list(opt->passes, opt->pass_count, err);
    if (st != LF_OK)
        return st;
    for (size_t i = 0; i < opt->pass_count; i++)
        if (!lf_pass_available(opt->passes[i]))
            return lf_fail(err, LF_ERR_UNSUPPORTED, "pass '%s' is not built into this version of libfix",
                           pass_names[opt->passes[i]]);
    if (opt->norm_form > LF_NORM_NONE || opt->invalid > LF_INVALID_STRICT ||
        opt->to_script > LF_SCRIPT_HONGKONG || opt->format > LF_FORMAT_HTML)
        return lf_fail(err, LF_ERR_ARGUMENT, "an option has an out-of-range value");

    lf_context *ctx = calloc(1, sizeof *ctx);
    if (!ctx)
        return lf_nomem(err);
    bool ok = true;
    ctx->opt = *opt;
    ctx->from_encoding = dup_or_null(opt->from_encoding, &ok);
    ctx->opencc_config = dup_or_null(opt->opencc_config, &ok);
    ctx->opt.from_encoding = ctx->from_encoding;
    ctx->opt.opencc_config = ctx->opencc_config;
    if (!ok) {
        lf_context_free(ctx);
        return lf_nomem(err);
    }
    if (ctx->from_encoding && (st = lf_decode_check_encoding(ctx->from_encoding, err)) != LF_OK) {
        lf_context_free(ctx);
        return st;
    }
    for (int p = 0; p < LF_PASS_COUNT; p++) {
        if (has_pass(opt, (lf_pass)p) && (st = lf_pass_prepare(ctx, (lf_pass)p, err)) != LF_OK) {
            lf_context_free(ctx);
            return st;
        }
    }
    *out = ctx;
    return LF_OK;
}

void lf_context_free(lf_context *ctx)
{
    if (!ctx)
        return;
    for (int p = 0; p < LF_PASS_COUNT; p++)
        lf_pass_release(ctx, (lf_pass)p);
    free(ctx->from_encoding);
    free(ctx->opencc_config);
    free(ctx);
}
