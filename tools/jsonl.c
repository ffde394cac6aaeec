/*
 * jsonl.c — JSON Lines in, JSON Lines out, one record at a time.
 *
 * The JSON library is jansson (Debian libjansson-dev). Against cJSON, the
 * other packaged choice, it keeps integers exact to 64 bits (cJSON stores
 * every number as a double, so 19-digit IDs lose their last digits), it
 * rejects invalid UTF-8 and duplicate keys instead of passing them on, and
 * it keeps key order. What a parse-and-print round trip cannot keep is
 * spacing inside a line (output is compact), the spelling of numbers that
 * are not integers (0.10 and 1e2 print as 0.10000000000000001-style
 * shortest-exact or %.17g forms) and \u escapes of characters that need none;
 * tools/bench_json_libs.sh measures the speed of both.
 */
#define _GNU_SOURCE
#include "jsonl.h"
#include "cli.h"
#include "result_summary.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

/* Parsing: integers that overflow int64, duplicate keys and invalid UTF-8
 * make a line malformed (passed through) rather than silently altered. */
#define LOAD_FLAGS (JSON_REJECT_DUPLICATES | JSON_ALLOW_NUL)
#define DUMP_FLAGS (JSON_COMPACT | JSON_PRESERVE_ORDER)

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

/* Cleans the field of obj in place; on failure writes why and returns
 * false. NULL *libfix on return means out of memory. */
static bool fix_object(const lf_context *ctx, const jsonl_settings *js, json_t *obj, json_t **libfix, char *why,
                       size_t whylen)
{
    json_t *v = json_object_get(obj, js->field);
    if (!v || !json_is_string(v)) {
        snprintf(why, whylen, v ? "field '%s' is not a string" : "no field '%s'", js->field);
        *libfix = error_json(why);
        return false;
    }
    lf_result *r;
    lf_error err;
    if (lf_process(ctx, json_string_value(v), json_string_length(v), &r, &err) != LF_OK) {
        snprintf(why, whylen, "%s", err.message);
        *libfix = error_json(why);
        return false;
    }
    size_t n;
    const char *text = lf_result_text(r, &n);
    json_t *cleaned = json_stringn(text, n);
    *libfix = summary_json(r);
    lf_result_free(r);
    if (!cleaned || json_object_set_new(obj, js->out_field ? js->out_field : js->field, cleaned) != 0) {
        json_decref(*libfix);
        *libfix = NULL;
    }
    return true;
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
    json_t *libfix = NULL;
    bool fixed = fix_object(ctx, js, obj, &libfix, why, whylen);
    *out = NULL;
    if (libfix && json_object_set_new(obj, "libfix", libfix) == 0) {
        *out = json_dumps(obj, DUMP_FLAGS);
        *outlen = *out ? strlen(*out) : 0;
    }
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
