/* result.c — the public lf_result: cleaned text plus the report, and its JSON form. */
#include "internal.h"

#include <stdlib.h>
#include <string.h>

struct lf_result {
    lf_report report;
    char *text;
    size_t len;
};

lf_status lf_result_make(lf_report *rep, lf_buf *text, lf_result **out, lf_error *err)
{
    lf_result *r = calloc(1, sizeof *r);
    if (!r)
        return lf_nomem(err);
    r->text = lf_buf_detach(text, &r->len);
    if (!r->text) {
        free(r);
        return lf_nomem(err);
    }
    r->report = *rep; /* ownership moves into the result */
    memset(rep, 0, sizeof *rep);
    *out = r;
    return LF_OK;
}

const char *lf_result_text(const lf_result *r, size_t *len)
{
    if (len)
        *len = r ? r->len : 0;
    return r ? r->text : "";
}

const char *lf_result_encoding(const lf_result *r)
{
    return r ? r->report.encoding : "UTF-8";
}

double lf_result_encoding_confidence(const lf_result *r)
{
    return r ? r->report.encoding_confidence : 0.0;
}

size_t lf_result_change_count(const lf_result *r)
{
    return r ? r->report.nchanges : 0;
}

const lf_change *lf_result_change(const lf_result *r, size_t i)
{
    return r && i < r->report.nchanges ? &r->report.changes[i] : NULL;
}

int lf_result_truncated(const lf_result *r)
{
    return r && r->report.truncated;
}

uint64_t lf_result_kind_count(const lf_result *r, lf_pass pass, const char *kind)
{
    uint64_t n = 0;
    if (!r)
        return 0;
    for (size_t i = 0; i < r->report.ncounts; i++) {
        const lf_kind_count *k = &r->report.counts[i];
        if (k->pass == pass && (!kind || strcmp(k->kind, kind) == 0))
            n += k->count;
    }
    return n;
}

const char *lf_result_metadata(const lf_result *r, const char *key)
{
    int i = lf_report_meta_index(key);
    return r && i >= 0 ? r->report.meta[i] : NULL;
}

void lf_result_free(lf_result *r)
{
    if (!r)
        return;
    lf_report_free(&r->report);
    free(r->text);
    free(r);
}

void lf_free(void *p)
{
    free(p);
}

/* Appends s as a JSON string. s is valid UTF-8 (notes and metadata are
 * produced by the passes from valid UTF-8). */
static bool json_string(lf_buf *b, const char *s)
{
    if (!lf_buf_append_char(b, '"'))
        return false;
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        bool ok;
        if (c == '"' || c == '\\')
            ok = lf_buf_append_char(b, '\\') && lf_buf_append_char(b, (char)c);
        else if (c == '\n')
            ok = lf_buf_append(b, "\\n", 2);
        else if (c == '\t')
            ok = lf_buf_append(b, "\\t", 2);
        else if (c < 0x20 || c == 0x7F)
            ok = lf_buf_printf(b, "\\u%04x", c);
        else
            ok = lf_buf_append_char(b, (char)c);
        if (!ok)
            return false;
    }
    return lf_buf_append_char(b, '"');
}

static bool json_changes(lf_buf *b, const lf_report *rep)
{
    if (!lf_buf_printf(b, "\"changes\":["))
        return false;
    for (size_t i = 0; i < rep->nchanges; i++) {
        const lf_change *c = &rep->changes[i];
        if (!lf_buf_printf(b, "%s{\"pass\":\"%s\",\"kind\":", i ? "," : "", lf_pass_name(c->pass)) ||
            !json_string(b, c->kind) ||
            !lf_buf_printf(b, ",\"in\":[%llu,%llu],\"out\":[%llu,%llu],\"confidence\":%.3f,\"note\":",
                           (unsigned long long)c->in_start, (unsigned long long)c->in_end,
                           (unsigned long long)c->out_start, (unsigned long long)c->out_end,
                           c->confidence) ||
            !json_string(b, c->note ? c->note : "") || !lf_buf_append_char(b, '}'))
            return false;
    }
    return lf_buf_append_char(b, ']');
}

static bool json_counts(lf_buf *b, const lf_report *rep)
{
    if (!lf_buf_printf(b, "\"counts\":{"))
        return false;
    for (size_t i = 0; i < rep->ncounts; i++) {
        const lf_kind_count *k = &rep->counts[i];
        if (!lf_buf_printf(b, "%s\"%s/", i ? "," : "", lf_pass_name(k->pass)) ||
            !lf_buf_printf(b, "%s\":%llu", k->kind, (unsigned long long)k->count))
            return false;
    }
    return lf_buf_append_char(b, '}');
}

static bool json_meta(lf_buf *b, const lf_report *rep)
{
    static const char *const keys[] = {"title", "date", "source", "author", "url"};
    bool first = true;
    if (!lf_buf_printf(b, "\"metadata\":{"))
        return false;
    for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++) {
        if (!rep->meta[i])
            continue;
        if (!lf_buf_printf(b, "%s\"%s\":", first ? "" : ",", keys[i]) || !json_string(b, rep->meta[i]))
            return false;
        first = false;
    }
    return lf_buf_append_char(b, '}');
}

lf_status lf_result_report_json(const lf_result *r, char **json, size_t *len, lf_error *err)
{
    if (!r || !json)
        return lf_fail(err, LF_ERR_ARGUMENT, "lf_result_report_json: NULL argument");
    const lf_report *rep = &r->report;
    lf_buf b;
    lf_buf_init(&b);
    bool ok = lf_buf_printf(&b, "{\"encoding\":") && json_string(&b, rep->encoding) &&
              lf_buf_printf(&b, ",\"encoding_confidence\":%.3f,\"truncated\":%s,",
                            rep->encoding_confidence, rep->truncated ? "true" : "false") &&
              json_counts(&b, rep) && lf_buf_append_char(&b, ',') && json_meta(&b, rep) &&
              lf_buf_append_char(&b, ',') && json_changes(&b, rep) && lf_buf_append_char(&b, '}');
    if (!ok) {
        lf_buf_free(&b);
        return lf_nomem(err);
    }
    *json = lf_buf_detach(&b, len);
    return LF_OK;
}
