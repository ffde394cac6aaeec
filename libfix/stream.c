/*
 * stream.c — the streaming interface: input larger than memory, in windows.
 *
 * Bytes are decoded as they come (the decoder keeps a cut multi-byte
 * sequence for the next call). Decoded text waits in `text` until there is
 * enough of it, then the UTF-8 passes run over a window that ends at the last
 * line break, so no character, entity, CRLF, normalization segment or repair
 * (all line-local) is ever split. A line longer than WINDOW_MAX is cut at a
 * character boundary after a space or CJK punctuation, or at worst anywhere
 * between characters; that is the documented limit of stream/whole-buffer
 * equality.
 *
 * Memory: the raw detection sample (64 KiB + 1), the pending text (at most
 * WINDOW_MAX plus one input step) and the pass buffers of one window.
 */
#include "decode.h"

#include <stdlib.h>
#include <string.h>

#define DETECT_BYTES (64 * 1024 + 1) /* one more than detect.c samples, so a cut sequence reads as "more follows" */
#define INPUT_STEP (64 * 1024)       /* input is decoded this much at a time */
#define WINDOW_MIN (256 * 1024)      /* run the passes once this much text waits */
#define WINDOW_MAX (1024 * 1024)     /* longest window when a line has no break */

struct lf_stream {
    const lf_context *ctx;
    lf_write_fn write;
    void *user;
    bool decodes;          /* the pipeline starts with decode */
    lf_decoder *dec;       /* opened once DETECT_BYTES have arrived */
    lf_buf raw;            /* bytes waiting for detection */
    lf_buf text;           /* UTF-8 (or raw, without decode) waiting for the passes */
    lf_buf out;            /* one window's output */
    lf_report report;
    lf_status failed;      /* a failed stream refuses further input */
};

lf_status lf_stream_new(const lf_context *ctx, lf_write_fn write, void *user, lf_stream **out, lf_error *err)
{
    if (!ctx || !write || !out)
        return lf_fail(err, LF_ERR_ARGUMENT, "lf_stream_new: NULL argument");
    lf_stream *s = calloc(1, sizeof *s);
    if (!s)
        return lf_nomem(err);
    s->ctx = ctx;
    s->write = write;
    s->user = user;
    s->decodes = ctx->opt.pass_count > 0 && ctx->opt.passes[0] == LF_PASS_DECODE;
    lf_buf_init(&s->raw);
    lf_buf_init(&s->text);
    lf_buf_init(&s->out);
    lf_report_init(&s->report, ctx->opt.max_changes);
    *out = s;
    return LF_OK;
}

void lf_stream_free(lf_stream *s)
{
    if (!s)
        return;
    lf_decoder_free(s->dec);
    lf_buf_free(&s->raw);
    lf_buf_free(&s->text);
    lf_buf_free(&s->out);
    lf_report_free(&s->report);
    free(s);
}

/* Where to end a window inside text[0..len) that has no line break: after
 * the last space, tab or CJK sentence punctuation, else at a character
 * boundary. */
static size_t forced_cut(const char *t, size_t len)
{
    static const char *const marks[] = {"\xE3\x80\x82", "\xEF\xBC\x8C", "\xEF\xBC\x81", "\xEF\xBC\x9F",
                                        "\xEF\xBC\x9B", "\xE3\x80\x81"}; /* 。，！？；、 */
    size_t floor = len / 2;
    for (size_t i = len; i > floor; i--) {
        if (t[i - 1] == ' ' || t[i - 1] == '\t')
            return i;
        for (size_t m = 0; m < sizeof marks / sizeof marks[0]; m++)
            if (i >= 3 && memcmp(t + i - 3, marks[m], 3) == 0)
                return i;
    }
    size_t cut = lf_utf8_boundary(t, len);
    return cut ? cut : len;
}

/* Runs the passes over text[0..n) and hands the output to the callback. */
static lf_status run_window(lf_stream *s, size_t n, lf_error *err)
{
    lf_buf_clear(&s->out);
    lf_status st = lf_pipeline_run(s->ctx, s->decodes ? 1 : 0, s->text.data, n, &s->out, &s->report, err);
    if (st != LF_OK)
        return st;
    if (s->out.len && s->write(s->user, s->out.data, s->out.len) != 0)
        return lf_fail(err, LF_ERR_ARGUMENT, "output callback stopped the stream");
    memmove(s->text.data, s->text.data + n, s->text.len - n);
    s->text.len -= n;
    s->text.data[s->text.len] = '\0';
    return LF_OK;
}

/* Where a window without a line break may end: forced_cut, moved back when
 * the pipeline converts so that no OpenCC phrase spans the cut. */
static size_t window_cut(const lf_stream *s, const char *t, size_t len)
{
    size_t n = forced_cut(t, len);
    for (size_t i = 0; i < s->ctx->opt.pass_count; i++) {
        if (s->ctx->opt.passes[i] == LF_PASS_CONVERT) {
            size_t safe = lf_convert_safe_boundary(t, n);
            if (safe > 0)
                n = safe;
        }
    }
    return n;
}

/* Runs windows while enough text waits (or all of it, at the end). */
static lf_status drain(lf_stream *s, bool final, lf_error *err)
{
    while (s->text.len >= WINDOW_MIN || (final && s->text.len > 0)) {
        const char *t = s->text.data;
        size_t limit = s->text.len < WINDOW_MAX ? s->text.len : WINDOW_MAX;
        const char *nl = NULL;
        for (size_t i = limit; i > 0; i--)
            if (t[i - 1] == '\n') {
                nl = t + i - 1;
                break;
            }
        size_t n;
        if (final && s->text.len <= WINDOW_MAX)
            n = s->text.len; /* the rest fits one window: keep it whole, as lf_process would */
        else if (nl)
            n = (size_t)(nl - t) + 1;
        else if (s->text.len >= WINDOW_MAX)
            n = window_cut(s, t, limit);
        else
            break; /* wait for a line break */
        lf_status st = run_window(s, n, err);
        if (st != LF_OK)
            return st;
    }
    return LF_OK;
}

static lf_status open_decoder(lf_stream *s, lf_error *err)
{
    lf_status st = lf_decoder_open(s->ctx, s->raw.data ? s->raw.data : "", s->raw.len, &s->dec, err);
    if (st != LF_OK)
        return st;
    s->report.encoding = lf_decoder_encoding(s->dec, &s->report.encoding_confidence);
    return LF_OK;
}

/* Decodes one step of input straight onto the queued text. */
static lf_status decode_step(lf_stream *s, const char *data, size_t len, bool final, lf_error *err)
{
    return lf_decoder_feed(s->dec, data, len, final, &s->text, &s->report, err);
}

static lf_status stream_write(lf_stream *s, const char *data, size_t len, lf_error *err)
{
    lf_status st;
    if (s->decodes && !s->dec) {
        size_t take = DETECT_BYTES - s->raw.len < len ? DETECT_BYTES - s->raw.len : len;
        if (!lf_buf_append(&s->raw, data, take))
            return lf_nomem(err);
        data += take;
        len -= take;
        if (s->raw.len < DETECT_BYTES)
            return LF_OK;
        if ((st = open_decoder(s, err)) != LF_OK || (st = decode_step(s, s->raw.data, s->raw.len, false, err)) != LF_OK)
            return st;
        lf_buf_free(&s->raw);
    }
    while (len > 0) {
        size_t step = len < INPUT_STEP ? len : INPUT_STEP;
        if (s->decodes)
            st = decode_step(s, data, step, false, err);
        else
            st = lf_buf_append(&s->text, data, step) ? LF_OK : lf_nomem(err);
        if (st != LF_OK || (st = drain(s, false, err)) != LF_OK)
            return st;
        data += step;
        len -= step;
    }
    return drain(s, false, err);
}

lf_status lf_stream_write(lf_stream *s, const void *data, size_t len, lf_error *err)
{
    if (!s || (!data && len))
        return lf_fail(err, LF_ERR_ARGUMENT, "lf_stream_write: NULL argument");
    if (s->failed)
        return lf_fail(err, s->failed, "the stream already failed");
    lf_status st = stream_write(s, data, len, err);
    if (st != LF_OK)
        s->failed = st;
    return st;
}

static lf_status stream_finish(lf_stream *s, lf_error *err)
{
    lf_status st;
    if (s->decodes) {
        if (!s->dec) {
            if ((st = open_decoder(s, err)) != LF_OK)
                return st;
            st = decode_step(s, s->raw.data ? s->raw.data : "", s->raw.len, true, err);
        } else {
            st = decode_step(s, "", 0, true, err);
        }
        if (st != LF_OK)
            return st;
    }
    return drain(s, true, err);
}

lf_status lf_stream_finish(lf_stream *s, lf_result **out, lf_error *err)
{
    if (out)
        *out = NULL;
    if (!s)
        return lf_fail(err, LF_ERR_ARGUMENT, "lf_stream_finish: NULL argument");
    if (s->failed)
        return lf_fail(err, s->failed, "the stream already failed");
    lf_status st = stream_finish(s, err);
    if (st != LF_OK) {
        s->failed = st;
        return st;
    }
    if (!out)
        return LF_OK;
    lf_report_sort(&s->report, &s->ctx->opt);
    lf_buf empty;
    lf_buf_init(&empty);
    return lf_result_make(&s->report, &empty, out, err);
}
