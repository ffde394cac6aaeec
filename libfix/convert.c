/*
 * convert.c — the convert pass: Simplified <-> Traditional through OpenCC.
 *
 * The pass works line by line (a line is a paragraph in the corpora we
 * clean). With opencc_config every line goes through that configuration,
 * with output byte-identical to the opencc tool except where this pass
 * protects text: NUL bytes (OpenCC would stop at them), URLs (an IRI's Han
 * path would be rewritten) and, in HTML, tags and comments. With to_script
 * each line's script is detected first (script.h): a line already in the
 * target script, without Han, or Japanese is copied unchanged; the others
 * go through the configuration for their script. Each changed line gets one
 * "convert" entry in the report, counting the characters that changed.
 */
#include "internal.h"
#include "script.h"

#include <opencc/opencc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <unicode/uchar.h>
#include <unicode/uscript.h>

#ifndef LIBFIX_OPENCC_DATADIR
#define LIBFIX_OPENCC_DATADIR "/usr/share/opencc"
#endif

/*
 * Thread safety, read in OpenCC 1.1.6 (github.com/BYVoid/OpenCC, tag
 * ver.1.1.6): opencc_convert_utf8 (src/SimpleConverter.cpp) calls the const
 * Converter::Convert (src/Converter.cpp), which builds its own Segments in
 * MaxMatchSegmentation::Segment and ConversionChain/Conversion::Convert. The
 * dictionaries are only read: MarisaDict::MatchPrefix (src/MarisaDict.cpp)
 * walks a const marisa::Trie with a local marisa::Agent, DictGroup::MatchPrefix
 * a const list. The only shared mutable object is the static std::string
 * cError in src/SimpleConverter.cpp, assigned when a conversion throws (on
 * invalid UTF-8) and read by opencc_error(). This pass rejects invalid UTF-8
 * before calling OpenCC and never calls opencc_error(), so one handle is
 * shared by every thread without a lock (tests/test_convert_stream.c checks
 * it with 8 threads).
 */

/* The configurations OpenCC 1.1.6 installs. A name outside this list is
 * refused as unsupported unless its file exists; a listed name whose file is
 * missing is a data error. */
static const char *const known_configs[] = {
    "s2t", "t2s", "s2tw", "tw2s", "s2twp", "tw2sp", "s2hk", "hk2s", "t2tw", "tw2t", "t2hk", "hk2t", "t2jp", "jp2t",
};

/* Which configuration turns each script into the target. NULL: the text is
 * already in the target script and stays byte-identical. Paragraphs whose
 * script is unknown go through from_unknown, which leaves shared characters
 * alone and changes only those of the other script. */
static const struct target {
    lf_script script;
    const char *from_simplified, *from_traditional, *from_unknown;
} targets[] = {
    {LF_SCRIPT_SIMPLIFIED, NULL, "t2s", "t2s"},
    {LF_SCRIPT_TRADITIONAL, "s2t", NULL, "s2t"},
    {LF_SCRIPT_TAIWAN, "s2tw", "t2tw", "s2tw"},
    {LF_SCRIPT_HONGKONG, "s2hk", "t2hk", "s2hk"},
};

struct converter {
    opencc_t handle;  /* NULL: leave the text as it is */
    const char *name; /* for report notes; static or owned by the context */
    /* An installed configuration, whose keys all hold a Han character
     * (checked by tools/gen_opencc_keychars.py): text without Han can skip
     * OpenCC. A configuration given by path may hold anything. */
    bool standard;
};

#define MAX_HANDLES 4

struct lf_convert {
    /* opencc_config */
    struct converter fixed;
    /* to_script: a converter per detected script, and the detector */
    struct converter from_simplified, from_traditional, from_unknown;
    lf_script_table *scripts;
    /* every handle opened, each once; closed by lf_convert_release */
    struct converter open[MAX_HANDLES];
    size_t nopen;
};

/* ----------------------------------------------------- finding configurations */

static bool is_known_config(const char *name, size_t len)
{
    for (size_t i = 0; i < sizeof known_configs / sizeof known_configs[0]; i++)
        if (strlen(known_configs[i]) == len && memcmp(known_configs[i], name, len) == 0)
            return true;
    return false;
}

/* Turns a name ("s2t", "s2tw.json") or a path into the file to open. Looks
 * only in the data directory for names: OpenCC itself would try the
 * working directory first, which makes results depend on where one runs. */
static lf_status resolve_config(const char *name, char *path, size_t cap, bool *standard, lf_error *err)
{
    *standard = false;
    if (strchr(name, '/')) {
        if (access(name, R_OK) != 0)
            return lf_fail(err, LF_ERR_DATA, "OpenCC config file '%s' not found or unreadable", name);
        if ((size_t)snprintf(path, cap, "%s", name) >= cap)
            return lf_fail(err, LF_ERR_ARGUMENT, "OpenCC config path too long");
        return LF_OK;
    }
    size_t len = strlen(name);
    if (len > 5 && strcmp(name + len - 5, ".json") == 0)
        len -= 5;
    if ((size_t)snprintf(path, cap, "%s/%.*s.json", LIBFIX_OPENCC_DATADIR, (int)len, name) >= cap)
        return lf_fail(err, LF_ERR_UNSUPPORTED, "unknown OpenCC config '%.40s...'", name);
    bool known = is_known_config(name, len);
    if (access(path, R_OK) == 0) {
        *standard = known;
        return LF_OK;
    }
    if (!known)
        return lf_fail(err, LF_ERR_UNSUPPORTED,
                       "unknown OpenCC config '%s' (known: s2t, t2s, s2tw, tw2s, s2twp, tw2sp, s2hk, hk2s, "
                       "t2tw, tw2t, t2hk, hk2t, t2jp, jp2t)",
                       name);
    return lf_fail(err, LF_ERR_DATA, "OpenCC config '%s' is missing: looked for %s", name, path);
}

static bool readable_in(const char *dir, const char *file)
{
    char path[4096];
    if ((size_t)snprintf(path, sizeof path, "%s/%s", dir, file) >= sizeof path)
        return false;
    return access(path, R_OK) == 0;
}

/* OpenCC reports a missing dictionary only through opencc_error(), which is
 * not thread-safe, so the dictionaries a config names ("file": "X.ocd2") are
 * looked for here first, where OpenCC would look: beside the config, then
 * in the data directory. */
static lf_status check_dictionaries(const char *config, lf_error *err)
{
    size_t len = 0;
    FILE *f = fopen(config, "rb");
    char text[65536];
    if (f) {
        len = fread(text, 1, sizeof text - 1, f);
        fclose(f);
    }
    if (!f || len == 0)
        return lf_fail(err, LF_ERR_DATA, "OpenCC config %s could not be read", config);
    text[len] = '\0';
    char dir[4096];
    const char *slash = strrchr(config, '/');
    snprintf(dir, sizeof dir, "%.*s", slash ? (int)(slash - config) : 1, slash ? config : ".");
    for (const char *p = strstr(text, "\"file\""); p; p = strstr(p, "\"file\"")) {
        p += 6;
        p += strspn(p, " \t\r\n");
        if (*p != ':')
            continue;
        p++;
        p += strspn(p, " \t\r\n");
        if (*p != '"')
            continue;
        p++;
        size_t n = strcspn(p, "\"\\");
        if (p[n] != '"' || n == 0 || n >= 1024)
            continue; /* escaped or odd names: OpenCC will judge */
        char file[1024];
        memcpy(file, p, n);
        file[n] = '\0';
        if (!readable_in(dir, file) && !readable_in(LIBFIX_OPENCC_DATADIR, file) && access(file, R_OK) != 0)
            return lf_fail(err, LF_ERR_DATA, "OpenCC dictionary %s/%s (named in %s) is missing", dir, file, config);
        p += n;
    }
    return LF_OK;
}

/* Opens a configuration once per context; asking again returns the same handle. */
static lf_status open_config(struct lf_convert *cv, const char *name, struct converter *out, lf_error *err)
{
    for (size_t i = 0; i < cv->nopen; i++) {
        if (strcmp(cv->open[i].name, name) == 0) {
            *out = cv->open[i];
            return LF_OK;
        }
    }
    char path[4096];
    bool standard;
    lf_status st = resolve_config(name, path, sizeof path, &standard, err);
    if (st == LF_OK)
        st = check_dictionaries(path, err);
    if (st != LF_OK)
        return st;
    if (cv->nopen == MAX_HANDLES)
        return lf_fail(err, LF_ERR_INTERNAL, "too many OpenCC configurations in one context");
    opencc_t h = opencc_open(path);
    if (h == (opencc_t)-1)
        return lf_fail(err, LF_ERR_DATA, "OpenCC could not load %s (malformed config or dictionary)", path);
    cv->open[cv->nopen] = (struct converter){h, name, standard};
    *out = cv->open[cv->nopen++];
    return LF_OK;
}

static lf_status prepare_target(struct lf_convert *cv, lf_script script, lf_error *err)
{
    const struct target *t = NULL;
    for (size_t i = 0; i < sizeof targets / sizeof targets[0]; i++)
        if (targets[i].script == script)
            t = &targets[i];
    if (!t)
        return lf_fail(err, LF_ERR_ARGUMENT, "to_script has an unknown value %d", (int)script);
    struct converter s2t, t2s;
    lf_status st;
    if ((st = open_config(cv, "s2t", &s2t, err)) != LF_OK || (st = open_config(cv, "t2s", &t2s, err)) != LF_OK)
        return st;
    if ((st = lf_script_table_new(s2t.handle, t2s.handle, &cv->scripts, err)) != LF_OK)
        return st;
    if (t->from_simplified && (st = open_config(cv, t->from_simplified, &cv->from_simplified, err)) != LF_OK)
        return st;
    if (t->from_traditional && (st = open_config(cv, t->from_traditional, &cv->from_traditional, err)) != LF_OK)
        return st;
    return open_config(cv, t->from_unknown, &cv->from_unknown, err);
}

lf_status lf_convert_prepare(lf_context *ctx, lf_error *err)
{
    struct lf_convert *cv = calloc(1, sizeof *cv);
    if (!cv)
        return lf_nomem(err);
    ctx->convert = cv; /* lf_context_free releases it if anything below fails */
    if (ctx->opt.opencc_config)
        return open_config(cv, ctx->opt.opencc_config, &cv->fixed, err);
    if (ctx->opt.to_script != LF_SCRIPT_KEEP)
        return prepare_target(cv, ctx->opt.to_script, err);
    return lf_fail(err, LF_ERR_ARGUMENT,
                   "the convert pass needs an OpenCC config (opencc_config) or a target script (to_script)");
}

void lf_convert_release(lf_context *ctx)
{
    struct lf_convert *cv = ctx->convert;
    if (!cv)
        return;
    for (size_t i = 0; i < cv->nopen; i++)
        opencc_close(cv->open[i].handle);
    lf_script_table_free(cv->scripts);
    free(cv);
    ctx->convert = NULL;
}

/* ------------------------------------------------------------- characters */

/* Decodes the code point at s[*i] (i < n) and advances *i past it; an
 * invalid byte reads as U+FFFD and is skipped alone. */
static uint32_t next_cp(const char *s, size_t n, size_t *i)
{
    uint32_t cp;
    size_t len = lf_utf8_decode(s + *i, n - *i, &cp);
    *i += len ? len : 1;
    return cp;
}

static size_t prev_start(const char *s, size_t i)
{
    do
        i--;
    while (i > 0 && ((unsigned char)s[i] & 0xC0) == 0x80);
    return i;
}

static bool is_han(uint32_t cp)
{
    UErrorCode status = U_ZERO_ERROR;
    return uscript_getScript((UChar32)cp, &status) == USCRIPT_HAN;
}

/* Whether cp occurs in some key of an installed OpenCC dictionary. */
static bool may_be_in_key(uint32_t cp)
{
    size_t lo = 0, hi = lf_opencc_key_extras_count;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (lf_opencc_key_extras[mid] == cp)
            return true;
        if (lf_opencc_key_extras[mid] < cp)
            lo = mid + 1;
        else
            hi = mid;
    }
    return cp >= 0x80 && is_han(cp);
}

static bool has_han(const char *s, size_t n)
{
    size_t i = 0;
    while (i < n) {
        if ((unsigned char)s[i] < 0x80) {
            i++;
            continue;
        }
        if (is_han(next_cp(s, n, &i)))
            return true;
    }
    return false;
}

static size_t count_cps(const char *s, size_t n)
{
    size_t c = 0;
    for (size_t i = 0; i < n; i++)
        c += ((unsigned char)s[i] & 0xC0) != 0x80;
    return c;
}

static size_t cp_len(const char *s)
{
    unsigned char c = (unsigned char)*s;
    return c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
}

/* How many characters differ between a and b: position by position when
 * the counts agree (the usual character-for-character case), otherwise
 * the longer side of what lies between the common prefix and suffix. */
static size_t count_changed(const char *a, size_t an, const char *b, size_t bn)
{
    size_t ca = count_cps(a, an), cb = count_cps(b, bn), changed = 0;
    size_t i = 0, j = 0;
    if (ca == cb) {
        while (i < an) {
            size_t la = cp_len(a + i), lb = cp_len(b + j);
            changed += la != lb || memcmp(a + i, b + j, la) != 0;
            i += la;
            j += lb;
        }
        return changed;
    }
    while (i < an && j < bn && cp_len(a + i) == cp_len(b + j) && memcmp(a + i, b + j, cp_len(a + i)) == 0) {
        j += cp_len(b + j);
        i += cp_len(a + i);
    }
    size_t ea = an, eb = bn;
    while (ea > i && eb > j) {
        size_t pa = prev_start(a, ea), pb = prev_start(b, eb);
        if (ea - pa != eb - pb || memcmp(a + pa, b + pb, ea - pa) != 0)
            break;
        ea = pa;
        eb = pb;
    }
    size_t ma = count_cps(a + i, ea - i), mb = count_cps(b + j, eb - j);
    return ma > mb ? ma : mb;
}

/* ------------------------------------------------- what must not be touched */

/* Per-window scanning state: HTML tags may run over several lines. */
struct scan {
    bool html;
    bool in_tag;
    bool in_comment;
};

static bool is_ascii_alpha(unsigned char c)
{
    return (c | 0x20) >= 'a' && (c | 0x20) <= 'z';
}

static bool is_scheme_char(unsigned char c)
{
    return is_ascii_alpha(c) || (c >= '0' && c <= '9') || c == '+' || c == '-' || c == '.';
}

/* The end of a tag or comment whose body starts at s[i]; n when it goes on. */
static size_t tag_end(struct scan *sc, const char *s, size_t n, size_t i)
{
    const char *close = sc->in_comment ? "-->" : ">";
    size_t clen = strlen(close);
    for (size_t j = i; j + clen <= n; j++) {
        if (memcmp(s + j, close, clen) == 0) {
            sc->in_tag = sc->in_comment = false;
            return j + clen;
        }
    }
    return n;
}

/* Whether cp ends a URL: spaces, quotes, angle brackets and non-ASCII
 * punctuation (，。) do. */
static bool ends_url(uint32_t cp)
{
    if (cp < 0x80)
        return cp <= ' ' || cp == '"' || cp == '\'' || cp == '<' || cp == '>' || cp == '`' || cp == 0x7F;
    return !u_isalnum((UChar32)cp);
}

/* The end of a URL whose "//" ends before s[i]. An IRI may hold Han
 * letters (…/wiki/软件), which OpenCC would rewrite and so break the link;
 * but scraped text also runs prose straight after a URL (…/a.shtml编辑：).
 * So non-ASCII letters belong to the URL only when they start a path
 * segment, query value or fragment, or continue such a run. */
static size_t url_end(const char *s, size_t n, size_t i)
{
    uint32_t prev = '/';
    while (i < n) {
        size_t j = i;
        uint32_t cp = next_cp(s, n, &j);
        if (ends_url(cp))
            return i;
        if (cp >= 0x80 && prev < 0x80 && !strchr("/=?#&", (int)prev))
            return i;
        prev = cp;
        i = j;
    }
    return n;
}

static bool opens_tag(const char *s, size_t n, size_t j)
{
    return s[j] == '<' && j + 1 < n &&
           (is_ascii_alpha((unsigned char)s[j + 1]) || s[j + 1] == '/' || s[j + 1] == '!' || s[j + 1] == '?');
}

/* Finds the first span of s[i..n) that must pass through unchanged: a NUL
 * (OpenCC stops at one), a URL, and in HTML mode a tag or comment. Sets
 * [*ps, *pe); both are n when there is none. */
static void next_protected(struct scan *sc, const char *s, size_t n, size_t i, size_t *ps, size_t *pe)
{
    if (sc->in_tag) {
        *ps = i;
        *pe = tag_end(sc, s, n, i);
        return;
    }
    for (size_t j = i; j < n; j++) {
        unsigned char c = (unsigned char)s[j];
        if (c == '\0') {
            *ps = j;
            *pe = j + 1;
            return;
        }
        if (sc->html && opens_tag(s, n, j)) {
            *ps = j;
            sc->in_tag = true;
            sc->in_comment = n - j >= 4 && memcmp(s + j, "<!--", 4) == 0;
            *pe = tag_end(sc, s, n, j + (sc->in_comment ? 4 : 1));
            return;
        }
        if (c == ':' && n - j >= 3 && s[j + 1] == '/' && s[j + 2] == '/') {
            size_t k = j;
            while (k > i && is_scheme_char((unsigned char)s[k - 1]))
                k--;
            while (k < j && !is_ascii_alpha((unsigned char)s[k]))
                k++;
            if (k < j) {
                *ps = k;
                *pe = url_end(s, n, j + 3);
                return;
            }
        }
    }
    *ps = *pe = n;
}

/* LF_FORMAT_AUTO: markup when some tag opens and closes. Looking at the
 * whole window rather than its start keeps later windows of a streamed
 * page, which begin mid-page, in HTML mode too. */
static bool looks_like_html(const char *s, size_t n)
{
    for (const char *p = memchr(s, '<', n); p; p = memchr(p + 1, '<', n - (size_t)(p + 1 - s))) {
        size_t i = (size_t)(p - s);
        if (opens_tag(s, n, i) && memchr(p, '>', n - i))
            return true;
    }
    return false;
}

/* ------------------------------------------------------------ streaming cuts */

/* Where a tag or comment opened in s[0..n) and not closed starts, read as
 * next_protected() reads it; n when there is none. A '<' at the very end
 * may yet open one. */
static size_t open_tag_start(const char *s, size_t n)
{
    size_t i = 0;
    while (i < n) {
        if (s[i] != '<') {
            i++;
            continue;
        }
        if (i + 1 == n)
            return i;
        if (!opens_tag(s, n, i)) {
            i++;
            continue;
        }
        struct scan sc = {.html = true, .in_tag = true, .in_comment = n - i >= 4 && memcmp(s + i, "<!--", 4) == 0};
        size_t end = tag_end(&sc, s, n, i + (sc.in_comment ? 4 : 1));
        if (sc.in_tag)
            return i;
        i = end;
    }
    return n;
}

/* See internal.h for why a cut here is safe. On top of the dictionaries,
 * the cut also keeps what the pass protects whole: it comes right after a
 * character that ends URLs (so no URL spans it, and a URL after it is
 * found from its scheme alike), and before any tag still open. */
size_t lf_convert_safe_boundary(const char *s, size_t len)
{
    size_t end = lf_utf8_boundary(s, len);
    size_t k = open_tag_start(s, end);
    uint32_t right = 0;
    bool have_right = false;
    if (k < end) {
        size_t i = k;
        right = next_cp(s, end, &i);
        have_right = true;
    }
    while (k > 0) {
        size_t j = prev_start(s, k), i = j;
        uint32_t left = next_cp(s, end, &i);
        if (ends_url(left) && (!may_be_in_key(left) || (have_right && !may_be_in_key(right))))
            return k;
        right = left;
        have_right = true;
        k = j;
    }
    return 0;
}

/* ------------------------------------------------------------------- the pass */

static lf_status convert_piece(const struct converter *cv, const char *s, size_t n, lf_buf *out, size_t *changed,
                               lf_error *err)
{
    if (!cv->handle || (cv->standard && !has_han(s, n)))
        return lf_buf_append(out, s, n) ? LF_OK : lf_nomem(err);
    char *conv = opencc_convert_utf8(cv->handle, s, n);
    if (!conv)
        return lf_fail(err, LF_ERR_INTERNAL, "OpenCC (%s) failed to convert", cv->name);
    size_t cn = strlen(conv);
    bool ok = lf_buf_append(out, conv, cn);
    if (ok)
        *changed += count_changed(s, n, conv, cn);
    opencc_convert_utf8_free(conv);
    return ok ? LF_OK : lf_nomem(err);
}

static const struct converter *choose(const struct lf_convert *cv, const char *s, size_t n, lf_zh_verdict *v)
{
    if (!cv->scripts) {
        memset(v, 0, sizeof *v);
        return &cv->fixed;
    }
    lf_script_detect(cv->scripts, s, n, v);
    switch (v->script) {
    case LF_ZH_SIMPLIFIED: return &cv->from_simplified;
    case LF_ZH_TRADITIONAL: return &cv->from_traditional;
    case LF_ZH_UNKNOWN: return &cv->from_unknown;
    default: return NULL; /* no Han, or Japanese: not ours to convert */
    }
}

/* Converts one line (a paragraph in the corpora we clean) and reports it
 * when characters changed. */
static lf_status convert_line(const struct lf_convert *cv, struct scan *sc, const char *in, size_t start, size_t end,
                              lf_buf *out, lf_report *rep, lf_error *err)
{
    const char *s = in + start;
    size_t n = end - start, out_start = out->len, changed = 0;
    lf_zh_verdict v;
    const struct converter *c = choose(cv, s, n, &v);
    if ((!c || !c->handle) && !sc->html)
        return lf_buf_append(out, s, n) ? LF_OK : lf_nomem(err);
    static const struct converter keep = {NULL, NULL, false};
    if (!c)
        c = &keep;
    size_t i = 0;
    while (i < n) {
        size_t ps, pe;
        next_protected(sc, s, n, i, &ps, &pe);
        lf_status st = convert_piece(c, s + i, ps - i, out, &changed, err);
        if (st != LF_OK)
            return st;
        if (!lf_buf_append(out, s + ps, pe - ps))
            return lf_nomem(err);
        i = pe;
    }
    if (changed == 0)
        return LF_OK;
    bool ok = cv->scripts
                  ? lf_report_add(rep, LF_PASS_CONVERT, "convert", start, end, out_start, out->len, v.confidence,
                                  "%zu characters converted (%s; paragraph read as %s, Simplified %.2f, "
                                  "Traditional %.2f)",
                                  changed, c->name, lf_zh_script_name(v.script), v.simplified, v.traditional)
                  : lf_report_add(rep, LF_PASS_CONVERT, "convert", start, end, out_start, out->len, 1.0,
                                  "%zu characters converted (%s)", changed, c->name);
    return ok ? LF_OK : lf_nomem(err);
}

lf_status lf_convert_run(const lf_context *ctx, const char *in, size_t len, lf_buf *out, lf_report *rep, lf_error *err)
{
    const struct lf_convert *cv = ctx->convert;
    size_t bad = lf_utf8_validate(in, len);
    if (bad < len)
        return lf_fail(err, LF_ERR_INVALID_INPUT, "invalid UTF-8 at byte %llu (the convert pass needs UTF-8)",
                       (unsigned long long)(rep->base_in[LF_PASS_CONVERT] + bad));
    if (!lf_buf_reserve(out, len + len / 8))
        return lf_nomem(err);
    struct scan sc = {
        .html = ctx->opt.format == LF_FORMAT_HTML || (ctx->opt.format == LF_FORMAT_AUTO && looks_like_html(in, len)),
    };
    size_t pos = 0;
    while (pos < len) {
        const char *nl = memchr(in + pos, '\n', len - pos);
        size_t end = nl ? (size_t)(nl - in) : len;
        lf_status st = convert_line(cv, &sc, in, pos, end, out, rep, err);
        if (st != LF_OK)
            return st;
        if (nl && !lf_buf_append_char(out, '\n'))
            return lf_nomem(err);
        pos = nl ? end + 1 : len;
    }
    return LF_OK;
}
