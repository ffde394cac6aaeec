/*
 * jsonl.c — JSON Lines in, JSON Lines out, one record at a time.
 *
 * A line is parsed with jansson (Debian libjansson-dev), which decides
 * whether it is a JSON object and gives the field's text unescaped. The
 * output, though, is the input line itself with two splices: the field's
 * value replaced by the cleaned string, and the "libfix" member added (or
 * replaced). So every other byte of the record is kept as it came: key
 * order, number spellings (0.10, 1e2, 20-digit integers), spacing, escapes.
 * A parse-and-print round trip would lose those; see docs/ingestion.md for
 * why jansson and not cJSON, and tools/bench_json_libs.sh for the figures.
 */
#define _GNU_SOURCE
#include "jsonl.h"
#include "cli.h"
#include "result_summary.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

/* Duplicate keys and invalid UTF-8 make a line malformed (passed through):
 * there is no faithful way to clean such a record. Integers of any length
 * are accepted (read as reals, never printed back). */
#define LOAD_FLAGS (JSON_REJECT_DUPLICATES | JSON_ALLOW_NUL | JSON_DECODE_INT_AS_REAL)
#define DUMP_FLAGS (JSON_COMPACT | JSON_ENCODE_ANY)

static json_t *summary_json(const lf_result *r)
{
    result_summary s;
    if (!result_summary_make(r, &s))
        return NULL;
    json_t *o = json_object(), *counts = json_object();
    uint64_t total = 0;
    bool ok = o && counts;
    for (size_t i = 0; ok && i < s.nkinds; i++) {
        char key[128];
        snprintf(key, sizeof key, "%s/%s", lf_pass_name(s.kinds[i].pass), s.kinds[i].kind);
        ok = json_object_set_new(counts, key, json_integer((json_int_t)s.kinds[i].count)) == 0;
        total += s.kinds[i].count;
    }
    ok = ok && json_object_set_new(o, "encoding", json_string(s.encoding)) == 0 &&
         json_object_set_new(o, "encoding_confidence", json_real(s.confidence)) == 0 &&
         json_object_set_new(o, "changes", json_integer((json_int_t)total)) == 0 &&
         json_object_set(o, "counts", counts) == 0 &&
         (!s.truncated || json_object_set_new(o, "truncated", json_true()) == 0);
    json_decref(counts);
    result_summary_free(&s);
    if (!ok) {
        json_decref(o);
        return NULL;
    }
    return o;
}

static json_t *error_json(const char *why)
{
    json_t *o = json_object();
    if (o && json_object_set_new(o, "error", json_string(why)) != 0) {
        json_decref(o);
        return NULL;
    }
    return o;
}

const char *jsonl_settings_check(const jsonl_settings *js)
{
    if (!js->on)
        return NULL;
    if (!*js->field || (js->out_field && !*js->out_field))
        return "--field and --out-field take a non-empty name";
    if (strcmp(js->field, "libfix") == 0 || (js->out_field && strcmp(js->out_field, "libfix") == 0))
        return "--field and --out-field cannot be \"libfix\", the member --jsonl adds";
    return NULL;
}

/* ------------------------------------------------------------------ spans */

/* Where one member of the top-level object sits in the line: [key_start,
 * key_end) is the key with its quotes, [val_start, val_end) the value. */
typedef struct member_span {
    size_t key_start, key_end, val_start, val_end;
} member_span;

/* Where the members of the line's object are, and where its closing brace
 * is. The scanner only skips: the line was already accepted by jansson. */
typedef struct object_spans {
    member_span *m;
    size_t n;
    size_t close; /* offset of the closing '}' */
} object_spans;

static bool is_ws(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

static size_t skip_ws(const char *s, size_t i, size_t n)
{
    while (i < n && is_ws(s[i]))
        i++;
    return i;
}

/* s[i] is the opening quote; returns the offset after the closing one. */
static size_t skip_string(const char *s, size_t i, size_t n)
{
    for (i++; i < n && s[i] != '"'; i++)
        if (s[i] == '\\')
            i++;
    return i + 1;
}

static size_t skip_value(const char *s, size_t i, size_t n)
{
    if (s[i] == '"')
        return skip_string(s, i, n);
    if (s[i] == '{' || s[i] == '[') {
        size_t depth = 0;
        for (; i < n; i++) {
            if (s[i] == '"')
                i = skip_string(s, i, n) - 1;
            else if (s[i] == '{' || s[i] == '[')
                depth++;
            else if ((s[i] == '}' || s[i] == ']') && --depth == 0)
                return i + 1;
        }
        return n;
    }
    while (i < n && s[i] != ',' && s[i] != '}' && s[i] != ']' && !is_ws(s[i]))
        i++;
    return i;
}

static bool find_spans(const char *s, size_t n, size_t count, object_spans *o)
{
    o->n = 0;
    o->m = malloc((count ? count : 1) * sizeof *o->m);
    if (!o->m)
        return false;
    size_t i = skip_ws(s, 0, n) + 1; /* after '{' */
    for (i = skip_ws(s, i, n); i < n && s[i] != '}' && o->n < count; i = skip_ws(s, i, n)) {
        member_span *m = &o->m[o->n++];
        m->key_start = i;
        m->key_end = skip_string(s, i, n);
        m->val_start = skip_ws(s, skip_ws(s, m->key_end, n) + 1, n); /* past ':' */
        m->val_end = skip_value(s, m->val_start, n);
        i = skip_ws(s, m->val_end, n);
        if (i < n && s[i] == ',')
            i++;
    }
    o->close = i;
    return true;
}

/* Whether the member's key is name, escapes in the key decoded. */
static bool key_is(const char *s, const member_span *m, const char *name)
{
    const char *k = s + m->key_start + 1;
    size_t klen = m->key_end - m->key_start - 2;
    if (!memchr(k, '\\', klen))
        return strlen(name) == klen && memcmp(k, name, klen) == 0;
    json_t *key = json_loadb(s + m->key_start, m->key_end - m->key_start, JSON_DECODE_ANY | JSON_ALLOW_NUL, NULL);
    bool same = key && json_string_length(key) == strlen(name) && memcmp(json_string_value(key), name, strlen(name)) == 0;
    json_decref(key);
    return same;
}

static const member_span *find_member(const char *s, const object_spans *o, const char *name)
{
    for (size_t i = 0; i < o->n; i++)
        if (key_is(s, &o->m[i], name))
            return &o->m[i];
    return NULL;
}

/* ------------------------------------------------------------- one line */

/* A replacement of line[start, end) by text, or an insertion (start == end)
 * of ',"key":text' before the closing brace. */
typedef struct splice {
    size_t start, end;
    const char *key; /* non-NULL for an insertion */
    char *text;
    int order;       /* among splices at one offset: the field before libfix */
} splice;

static int by_start(const void *a, const void *b)
{
    const splice *x = a, *y = b;
    if (x->start != y->start)
        return x->start < y->start ? -1 : 1;
    return x->order - y->order;
}

/* Writes line with the splices applied into a new string. */
static char *apply(const char *line, size_t len, splice *sp, size_t nsp, bool empty_object, size_t *outlen)
{
    qsort(sp, nsp, sizeof *sp, by_start);
    char *buf = NULL;
    size_t size = 0;
    FILE *m = open_memstream(&buf, &size);
    if (!m)
        return NULL;
    size_t at = 0;
    for (size_t i = 0; i < nsp; i++) {
        fwrite(line + at, 1, sp[i].start - at, m);
        if (sp[i].key) {
            json_t *k = json_string(sp[i].key);
            char *key = k ? json_dumps(k, DUMP_FLAGS) : NULL;
            fprintf(m, "%s%s:", empty_object ? "" : ",", key ? key : "\"\"");
            empty_object = false;
            free(key);
            json_decref(k);
        }
        fputs(sp[i].text, m);
        at = sp[i].end;
    }
    fwrite(line + at, 1, len - at, m);
    bool ok = !ferror(m);
    if (fclose(m) != 0 || !ok) {
        free(buf);
        return NULL;
    }
    *outlen = size;
    return buf;
}

/* Cleans the field's text. Returns the libfix member's value (a new JSON
 * object) and, on success, the cleaned string as JSON text in *cleaned.
 * NULL when out of memory. */
static json_t *clean_field(const lf_context *ctx, const jsonl_settings *js, json_t *obj, char **cleaned, char *why,
                           size_t whylen)
{
    *cleaned = NULL;
    json_t *v = json_object_get(obj, js->field);
    if (!v || !json_is_string(v)) {
        snprintf(why, whylen, v ? "field '%s' is not a string" : "no field '%s'", js->field);
        return error_json(why);
    }
    lf_result *r;
    lf_error err;
    if (lf_process(ctx, json_string_value(v), json_string_length(v), &r, &err) != LF_OK) {
        snprintf(why, whylen, "%s", err.message);
        return error_json(why);
    }
    size_t n;
    const char *text = lf_result_text(r, &n);
    json_t *str = json_stringn(text, n), *libfix = summary_json(r);
    lf_result_free(r);
    *cleaned = str ? json_dumps(str, DUMP_FLAGS) : NULL;
    json_decref(str);
    if (!*cleaned) {
        json_decref(libfix);
        return NULL;
    }
    return libfix;
}

static char *copy_line(const char *line, size_t len, size_t *outlen)
{
    char *s = malloc(len + 1);
    if (s) {
        memcpy(s, line, len);
        s[len] = '\0';
        *outlen = len;
    }
    return s;
}

jsonl_outcome jsonl_fix_line(const lf_context *ctx, const jsonl_settings *js, const char *line, size_t len,
                             char **out, size_t *outlen, char *why, size_t whylen)
{
    json_error_t jerr;
    json_t *obj = json_loadb(line, len, LOAD_FLAGS, &jerr);
    if (!obj || !json_is_object(obj)) {
        if (obj)
            snprintf(why, whylen, "not a JSON object");
        else
            snprintf(why, whylen, "malformed JSON at column %d: %s", jerr.column, jerr.text);
        json_decref(obj);
        *out = copy_line(line, len, outlen);
        return JSONL_MALFORMED;
    }
    char *cleaned;
    json_t *libfix = clean_field(ctx, js, obj, &cleaned, why, whylen);
    bool fixed = cleaned != NULL;
    /* Three digits are all a confidence carries; without a precision
     * jansson prints 0.99 as 0.98999999999999999. */
    char *summary = libfix ? json_dumps(libfix, DUMP_FLAGS | JSON_REAL_PRECISION(3)) : NULL;
    object_spans o = {0};
    *out = NULL;
    if (summary && find_spans(line, len, json_object_size(obj), &o)) {
        splice sp[2];
        size_t nsp = 0;
        const char *keys[2] = {js->out_field ? js->out_field : js->field, "libfix"};
        char *texts[2] = {cleaned, summary};
        for (int i = 0; i < 2; i++) {
            if (!texts[i])
                continue;
            const member_span *m = find_member(line, &o, keys[i]);
            size_t end_of_last = o.n ? o.m[o.n - 1].val_end : o.close;
            sp[nsp++] = m ? (splice){m->val_start, m->val_end, NULL, texts[i], i}
                          : (splice){end_of_last, end_of_last, keys[i], texts[i], i};
        }
        *out = apply(line, len, sp, nsp, o.n == 0, outlen);
    }
    free(o.m);
    free(summary);
    free(cleaned);
    json_decref(libfix);
    json_decref(obj);
    return fixed ? JSONL_FIXED : JSONL_NOT_FIXED;
}

int jsonl_run(const jsonl_settings *js, const lf_context *ctx, FILE *in, const char *name, FILE *out,
              const char *prog, bool quiet)
{
    char *line = NULL;
    size_t cap = 0;
    ssize_t n;
    unsigned long long lineno = 0;
    char why[300];
    int rc = CLI_OK;
    while ((n = getline(&line, &cap, in)) > 0) {
        lineno++;
        size_t len = (size_t)n - (line[n - 1] == '\n');
        char *fixed;
        size_t flen = 0;
        jsonl_outcome oc = jsonl_fix_line(ctx, js, line, len, &fixed, &flen, why, sizeof why);
        if (!fixed) {
            fprintf(stderr, "%s: %s:%llu: out of memory\n", prog, name, lineno);
            rc = CLI_ALL_FAILED;
            break;
        }
        if (oc != JSONL_FIXED && !quiet)
            fprintf(stderr, "%s: %s:%llu: %s%s\n", prog, name, lineno, why,
                    oc == JSONL_MALFORMED ? " (passed through unchanged)" : "");
        bool ok = fwrite(fixed, 1, flen, out) == flen && putc('\n', out) != EOF;
        free(fixed);
        if (!ok) {
            fprintf(stderr, "%s: write error\n", prog);
            rc = CLI_ALL_FAILED;
            break;
        }
    }
    if (rc == CLI_OK && ferror(in)) {
        fprintf(stderr, "%s: %s: read error\n", prog, name);
        rc = CLI_ALL_FAILED;
    }
    free(line);
    return rc;
}
