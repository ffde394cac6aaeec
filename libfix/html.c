/*
 * html.c — an HTML page as lines of block text, with hints for the strip
 * classifier, through libxml2's HTML parser.
 *
 * The strip pass runs after decode, so its input is UTF-8 whatever the page's
 * <meta charset> says: the parser is told UTF-8 and told to ignore the meta
 * (HTML_PARSE_IGNORE_ENC). Readability's qq page declares gb2312 but is UTF-8.
 *
 * What is dropped before any scoring: script, style and other non-text
 * elements; nav, aside, footer, form; hidden elements (hidden, aria-hidden,
 * display:none); elements whose id or class names a page part (footer, nav,
 * sidebar, breadcrumb, share, comment, copyright). Every remaining block
 * (p, div, li, td, h1-h6, br-separated runs, ...) becomes one line. Then the
 * element with the most punctuated, unlinked prose under it (the idea of
 * CETD and GNE: text and punctuation density against link density) is the
 * main content; blocks outside it are marked so the classifier drops them,
 * except an <h1>, which is usually the title above the article box. Runs of
 * <br>-separated short lines (poems, lyrics) count as prose as a whole.
 *
 * Report spans of HTML mode are approximate: a block's input span starts at
 * the source line where its text starts (libxml2 keeps line numbers, not
 * byte offsets) and ends where the next block's starts.
 */
#define _GNU_SOURCE /* strcasestr */
#include "strip.h"

#include <libxml/HTMLparser.h>
#include <libxml/tree.h>
#include <ctype.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

typedef struct block {
    size_t start, end;     /* in the text buffer */
    unsigned chars, link_chars;
    xmlNodePtr node;       /* the block element it belongs to */
    size_t group;          /* first block of its run of <br>-separated lines */
    bool h1;
    long line;             /* source line, 1-based, 0 unknown */
} block;

typedef struct walker {
    lf_buf *text;
    block *blocks;
    size_t nblocks, cap;
    size_t open_start;     /* start of the block being collected */
    unsigned chars, link_chars;
    xmlNodePtr block_node;
    size_t group;          /* the group the next block joins */
    bool after_br;         /* the next block continues a <br> group */
    bool h1;
    long line;
    int in_link;
    bool nomem;
} walker;

static const char *const skip_tags[] = {
    "script", "style", "noscript", "nav", "aside", "footer", "form", "iframe", "select", "option",
    "button", "input", "textarea", "svg", "canvas", "template", "object", "embed", "head", "map",
    "rt", "rp", /* ruby readings: the base text is the text */
    NULL,
};

static const char *const block_tags[] = {
    "p", "div", "li", "ul", "ol", "td", "th", "tr", "table", "tbody", "h1", "h2", "h3", "h4", "h5", "h6",
    "pre", "blockquote", "article", "section", "main", "header", "dd", "dt", "dl", "figure", "figcaption",
    "caption", "center", "address", "body", "hr", NULL,
};

/* id/class words that name a part of the page that is never the article. */
static const char *const skip_names[] = {
    "footer", "nav", "sidebar", "breadcrumb", "share", "comment", "copyright", "crumb", NULL,
};

static bool in_list(const char *name, const char *const *list)
{
    for (size_t i = 0; list[i]; i++)
        if (strcasecmp(name, list[i]) == 0)
            return true;
    return false;
}

static bool attr_contains(xmlNodePtr n, const char *attr, const char *word)
{
    xmlChar *v = xmlGetProp(n, (const xmlChar *)attr);
    if (!v)
        return false;
    bool hit = strcasestr((const char *)v, word) != NULL;
    xmlFree(v);
    return hit;
}

static bool attr_present(xmlNodePtr n, const char *attr)
{
    return xmlHasProp(n, (const xmlChar *)attr) != NULL;
}

/* display:none with or without blanks around the colon. */
static bool hidden_style(xmlNodePtr n)
{
    xmlChar *v = xmlGetProp(n, (const xmlChar *)"style");
    if (!v)
        return false;
    char squeezed[256];
    size_t k = 0;
    for (const xmlChar *p = v; *p && k + 1 < sizeof squeezed; p++)
        if (*p != ' ' && *p != '\t')
            squeezed[k++] = (char)*p;
    squeezed[k] = '\0';
    xmlFree(v);
    return strcasestr(squeezed, "display:none") || strcasestr(squeezed, "visibility:hidden");
}

static bool skip_element(xmlNodePtr n)
{
    const char *name = (const char *)n->name;
    if (in_list(name, skip_tags) || attr_present(n, "hidden") || hidden_style(n))
        return true;
    if (attr_contains(n, "aria-hidden", "true"))
        return true;
    if (strcasecmp(name, "body") == 0 || strcasecmp(name, "html") == 0)
        return false;
    for (size_t i = 0; skip_names[i]; i++)
        if (attr_contains(n, "id", skip_names[i]) || attr_contains(n, "class", skip_names[i]))
            return true;
    return false;
}

/* Ends the block being collected; an empty one leaves no line. */
static void flush(walker *w)
{
    lf_buf *t = w->text;
    while (t->len > w->open_start && t->data[t->len - 1] == ' ')
        t->data[--t->len] = '\0';
    if (t->len > w->open_start && !w->nomem) {
        if (w->nblocks == w->cap) {
            size_t cap = w->cap ? w->cap * 2 : 64;
            block *b = realloc(w->blocks, cap * sizeof *b);
            if (!b) {
                w->nomem = true;
                return;
            }
            w->blocks = b;
            w->cap = cap;
        }
        if (!w->after_br)
            w->group = w->nblocks;
        w->blocks[w->nblocks++] = (block){w->open_start, t->len, w->chars, w->link_chars, w->block_node,
                                          w->group, w->h1, w->line};
        if (!lf_buf_append_char(t, '\n'))
            w->nomem = true;
    }
    w->open_start = t->len;
    w->chars = w->link_chars = 0;
    w->line = 0;
}

/* Appends text with blank runs (including newlines and NBSP) folded to one space. */
static void add_text(walker *w, const xmlChar *s, long line)
{
    lf_buf *t = w->text;
    for (const unsigned char *p = s; *p && !w->nomem;) {
        bool blank = *p == ' ' || *p == '\t' || *p == '\n' || *p == '\r' || *p == '\f';
        size_t step = 1;
        if (p[0] == 0xC2 && p[1] == 0xA0) {
            blank = true;
            step = 2;
        }
        if (blank) {
            if (t->len > w->open_start && t->data[t->len - 1] != ' ' && !lf_buf_append_char(t, ' '))
                w->nomem = true;
            p += step;
            continue;
        }
        if (!lf_buf_append_char(t, (char)*p))
            w->nomem = true;
        if ((*p & 0xC0) != 0x80) {
            w->chars++;
            w->link_chars += w->in_link > 0;
            if (!w->line)
                w->line = line;
        }
        p++;
    }
}

static void walk(walker *w, xmlNodePtr n, xmlNodePtr block_node, int depth)
{
    for (; n && !w->nomem; n = n->next) {
        if (n->type == XML_TEXT_NODE || n->type == XML_CDATA_SECTION_NODE) {
            if (w->block_node != block_node) {
                flush(w);
                w->after_br = false;
                w->block_node = block_node;
            }
            add_text(w, n->content, xmlGetLineNo(n));
            continue;
        }
        if (n->type != XML_ELEMENT_NODE || skip_element(n))
            continue;
        const char *name = (const char *)n->name;
        if (strcasecmp(name, "br") == 0) {
            bool had_text = w->text->len > w->open_start;
            flush(w);
            w->after_br |= had_text;
            continue;
        }
        bool is_block = in_list(name, block_tags);
        bool is_link = strcasecmp(name, "a") == 0;
        if (is_block) {
            flush(w);
            w->after_br = false;
            w->block_node = n;
            w->h1 = strcasecmp(name, "h1") == 0;
        }
        w->in_link += is_link;
        if (depth < 200)
            walk(w, n->children, is_block ? n : block_node, depth + 1);
        w->in_link -= is_link;
        if (is_block) {
            flush(w);
            w->after_br = false;
            w->block_node = block_node;
            w->h1 = false;
        }
    }
}

/* ---------------------------------------------------------------- scoring */

/* Each element gets an index in _private so scores can live in an array. */
static size_t number_elements(xmlNodePtr n, size_t next)
{
    for (; n; n = n->next) {
        if (n->type != XML_ELEMENT_NODE)
            continue;
        n->_private = (void *)(uintptr_t)(next + 1);
        next = number_elements(n->children, next + 1);
    }
    return next;
}

static size_t element_index(xmlNodePtr n)
{
    return (size_t)(uintptr_t)n->_private - 1;
}

/* Adds each block's score to the element it belongs to and every ancestor:
 * punctuated prose outside links counts for, link text and unpunctuated
 * text count against, so the best element holds the article and little else. */
static void score_blocks(const walker *w, const lf_line_hint *hints, double *score, size_t nelem)
{
    for (size_t i = 0; i < w->nblocks; i++) {
        const block *b = &w->blocks[i];
        lf_line l = {.start = b->start, .end = b->end};
        lf_strip_line_features(w->text->data, &l);
        double plain = (double)(b->chars - b->link_chars);
        double s;
        if (hints[i].verse)
            s = plain;
        else if (l.cls == LF_LINE_GOOD && b->link_chars * 2 < b->chars)
            s = plain * (1.0 + (double)l.punct / (b->chars + 1) * 10.0);
        else if (l.cls == LF_LINE_NEAR && b->link_chars * 2 < b->chars)
            s = plain * 0.5;
        else
            s = -(double)b->chars * 0.5 - (double)b->link_chars;
        for (xmlNodePtr n = b->node; n && n->type == XML_ELEMENT_NODE; n = n->parent) {
            size_t k = element_index(n);
            if (k < nelem)
                score[k] += s;
        }
    }
}

static bool inside(xmlNodePtr n, xmlNodePtr box)
{
    for (; n; n = n->parent)
        if (n == box)
            return true;
    return false;
}

static xmlNodePtr best_element(xmlNodePtr root, const double *score, size_t nelem, xmlNodePtr best)
{
    for (xmlNodePtr n = root; n; n = n->next) {
        if (n->type != XML_ELEMENT_NODE)
            continue;
        size_t k = element_index(n);
        /* Only an element with net prose under it can be the article. */
        if (k < nelem && score[k] > 0 && (!best || score[k] > score[element_index(best)]))
            best = n;
        best = best_element(n->children, score, nelem, best);
    }
    return best;
}

/* ------------------------------------------------------------- metadata */

static xmlNodePtr find_element(xmlNodePtr n, const char *name)
{
    for (; n; n = n->next) {
        if (n->type != XML_ELEMENT_NODE)
            continue;
        if (strcasecmp((const char *)n->name, name) == 0)
            return n;
        xmlNodePtr hit = find_element(n->children, name);
        if (hit)
            return hit;
    }
    return NULL;
}

static bool set_meta_trimmed(lf_report *rep, const char *key, const char *v)
{
    if (!v || rep->meta[lf_report_meta_index(key)])
        return true;
    while (*v == ' ' || *v == '\n' || *v == '\t' || *v == '\r')
        v++;
    size_t len = strlen(v);
    while (len && (v[len - 1] == ' ' || v[len - 1] == '\n' || v[len - 1] == '\t' || v[len - 1] == '\r'))
        len--;
    return len == 0 || lf_report_set_meta(rep, key, v, len);
}

static bool date_meta(lf_report *rep, const char *v)
{
    lf_date d;
    size_t at, end;
    char iso[20];
    if (!v || rep->meta[lf_report_meta_index("date")] || !lf_find_date(v, strlen(v), &d, &at, &end))
        return true;
    size_t n = lf_date_iso(&d, iso);
    return n == 0 || lf_report_set_meta(rep, "date", iso, n);
}

/* <meta name|property=... content=...> and <link rel=canonical> in the head. */
static bool head_metadata(xmlNodePtr head, lf_report *rep)
{
    static const char *const date_names[] = {"article:published_time", "pubdate", "publishdate", "publish_date",
                                             "og:release_date", "date", "dc.date", NULL};
    bool ok = true;
    for (xmlNodePtr n = head ? head->children : NULL; n && ok; n = n->next) {
        if (n->type != XML_ELEMENT_NODE)
            continue;
        xmlChar *name = xmlGetProp(n, (const xmlChar *)"name");
        if (!name)
            name = xmlGetProp(n, (const xmlChar *)"property");
        xmlChar *content = xmlGetProp(n, (const xmlChar *)"content");
        xmlChar *rel = xmlGetProp(n, (const xmlChar *)"rel");
        xmlChar *href = xmlGetProp(n, (const xmlChar *)"href");
        const char *nm = (const char *)name, *c = (const char *)content;
        if (strcasecmp((const char *)n->name, "meta") == 0 && nm && c) {
            if (strcasecmp(nm, "og:title") == 0)
                ok = set_meta_trimmed(rep, "title", c);
            else if (strcasecmp(nm, "author") == 0)
                ok = set_meta_trimmed(rep, "author", c);
            else if (strcasecmp(nm, "og:url") == 0)
                ok = set_meta_trimmed(rep, "url", c);
            else if (strcasecmp(nm, "source") == 0)
                ok = set_meta_trimmed(rep, "source", c);
            else if (in_list(nm, date_names))
                ok = date_meta(rep, c);
        } else if (strcasecmp((const char *)n->name, "link") == 0 && rel && href &&
                   strcasecmp((const char *)rel, "canonical") == 0) {
            ok = set_meta_trimmed(rep, "url", (const char *)href);
        }
        xmlFree(name);
        xmlFree(content);
        xmlFree(rel);
        xmlFree(href);
    }
    return ok;
}

/* Poems, lyrics and addresses are short lines split by <br> inside one
 * block: no line has the punctuation of prose, but the run as a whole is
 * text. A run of at least 4 lines and 60 characters, almost without links,
 * is marked so the classifier judges its lines as prose. */
static void mark_verse(const walker *w, lf_line_hint *hints)
{
    for (size_t i = 0; i < w->nblocks;) {
        size_t j = i;
        unsigned chars = 0, links = 0;
        while (j < w->nblocks && w->blocks[j].group == w->blocks[i].group) {
            chars += w->blocks[j].chars;
            links += w->blocks[j].link_chars;
            j++;
        }
        bool verse = j - i >= 4 && chars >= 60 && links * 5 < chars;
        for (size_t k = i; k < j; k++)
            hints[k].verse = verse;
        i = j;
    }
}

/* Without an <h1> the title comes from <title>, less a site suffix such as
 * "_科技_腾讯网" or " - 新华网" when what is left is still a title. */
static bool page_title(xmlNodePtr head, lf_report *rep)
{
    static const char *const cuts[] = {"_", " - ", " | ", "|", NULL};
    xmlNodePtr title = head ? find_element(head->children, "title") : NULL;
    xmlChar *t = title ? xmlNodeGetContent(title) : NULL;
    if (!t)
        return true;
    char *s = (char *)t;
    for (size_t k = 0; cuts[k]; k++) {
        char *cut = strstr(s, cuts[k]);
        if (cut && cut - s >= 12)
            *cut = '\0';
    }
    bool ok = set_meta_trimmed(rep, "title", s);
    xmlFree(t);
    return ok;
}

/* ------------------------------------------------------------------ API */

bool lf_html_detect(const char *in, size_t len)
{
    static const char *const marks[] = {"<!doctype html", "<html", "<head", "<body", "<meta", "<div", "<p>", NULL};
    size_t n = len < 4096 ? len : 4096;
    for (size_t i = 0; i < n; i++) {
        if (in[i] != '<')
            continue;
        for (size_t k = 0; marks[k]; k++) {
            size_t m = strlen(marks[k]);
            if (i + m <= len && strncasecmp(in + i, marks[k], m) == 0)
                return true;
        }
    }
    return false;
}

/* The next "charset=NAME" at or after *pos in the first 16 KiB. */
static bool next_charset(const char *in, size_t len, size_t *pos, char *name, size_t cap)
{
    size_t n = len < 16384 ? len : 16384;
    for (size_t i = *pos; i + 8 < n; i++) {
        if (strncasecmp(in + i, "charset=", 8) != 0)
            continue;
        size_t j = i + 8, k = 0;
        while (j < n && (in[j] == '"' || in[j] == '\'' || in[j] == ' '))
            j++;
        while (j < n && k + 1 < cap && (isalnum((unsigned char)in[j]) || in[j] == '-' || in[j] == '_'))
            name[k++] = in[j++];
        if (cap)
            name[k] = '\0';
        *pos = j;
        if (k)
            return true;
    }
    return false;
}

bool lf_html_declared_charset(const char *in, size_t len, char *name, size_t cap)
{
    size_t pos = 0;
    return next_charset(in, len, &pos, name, cap);
}

/* A UTF-8 label on bytes that are not UTF-8 is skipped: archive.org wraps
 * old pages in its own UTF-8 page, and the page's own label comes after. */
const char *lf_html_choose_charset(const char *in, size_t len, char *buf, size_t cap)
{
    bool ascii = true;
    for (size_t i = 0; i < len && ascii; i++)
        ascii = (unsigned char)in[i] < 0x80;
    bool valid = lf_utf8_validate(in, len) == len;
    if (!ascii && valid)
        return "UTF-8";
    size_t pos = 0;
    while (next_charset(in, len, &pos, buf, cap)) {
        bool utf8_label = !strcasecmp(buf, "utf-8") || !strcasecmp(buf, "utf8");
        if (utf8_label && !valid)
            continue;
        if (!strcasecmp(buf, "gb2312") || !strcasecmp(buf, "gbk") || !strcasecmp(buf, "x-gbk") ||
            !strcasecmp(buf, "cp936"))
            return "GB18030";
        return buf;
    }
    return NULL;
}

static lf_status to_lines(walker *w, htmlDocPtr doc, const char *in, size_t len, lf_line_hint **hints_out,
                          size_t **src_out, lf_report *rep, lf_error *err)
{
    xmlNodePtr root = xmlDocGetRootElement(doc);
    xmlNodePtr body = root ? find_element(root, "body") : NULL;
    xmlNodePtr head = root ? find_element(root, "head") : NULL;
    if (!head_metadata(head, rep))
        return lf_nomem(err);
    walk(w, body ? body : root, body, 0);
    flush(w);
    if (w->nomem)
        return lf_nomem(err);
    bool has_h1 = false;
    for (size_t i = 0; i < w->nblocks; i++)
        has_h1 |= w->blocks[i].h1;
    if (!has_h1 && !page_title(head, rep))
        return lf_nomem(err);

    size_t nelem = number_elements(root, 0);
    double *score = calloc(nelem ? nelem : 1, sizeof *score);
    lf_line_hint *hints = calloc(w->nblocks ? w->nblocks : 1, sizeof *hints);
    size_t *src = calloc(w->nblocks ? w->nblocks : 1, sizeof *src);
    size_t nl = 1;
    for (size_t i = 0; i < len; i++)
        nl += in[i] == '\n';
    size_t *line_at = calloc(nl + 1, sizeof *line_at);
    if (!score || !hints || !src || !line_at) {
        free(score);
        free(hints);
        free(src);
        free(line_at);
        return lf_nomem(err);
    }
    for (size_t i = 0, k = 1; i < len; i++)
        if (in[i] == '\n')
            line_at[k++] = i + 1;
    mark_verse(w, hints);
    score_blocks(w, hints, score, nelem);
    xmlNodePtr box = best_element(body ? body : root, score, nelem, NULL);
    for (size_t i = 0; i < w->nblocks; i++) {
        const block *b = &w->blocks[i];
        hints[i].link_density = b->chars ? (float)b->link_chars / (float)b->chars : 0.0f;
        hints[i].h1 = b->h1;
        hints[i].outside_main = box && !inside(b->node, box);
        src[i] = b->line > 0 && (size_t)b->line <= nl ? line_at[b->line - 1] : (i ? src[i - 1] : 0);
        if (i && src[i] < src[i - 1])
            src[i] = src[i - 1];
    }
    free(score);
    free(line_at);
    *hints_out = hints;
    *src_out = src;
    return LF_OK;
}

lf_status lf_html_to_lines(const char *in, size_t len, lf_buf *text, lf_line_hint **hints, size_t **src_off,
                           size_t *nlines, lf_report *rep, lf_error *err)
{
    *hints = NULL;
    *src_off = NULL;
    *nlines = 0;
    if (len > INT_MAX)
        return lf_fail(err, LF_ERR_LIMIT, "HTML page of %zu bytes is larger than libxml2 accepts", len);
    htmlDocPtr doc = htmlReadMemory(in, (int)len, NULL, "UTF-8",
                                    HTML_PARSE_RECOVER | HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING |
                                        HTML_PARSE_NONET | HTML_PARSE_IGNORE_ENC);
    if (!doc) {
        /* libxml2 refuses an empty document; a blank page has no text. */
        size_t i = 0;
        while (i < len && (in[i] == ' ' || in[i] == '\n' || in[i] == '\r' || in[i] == '\t'))
            i++;
        return i == len ? LF_OK : lf_fail(err, LF_ERR_INVALID_INPUT, "libxml2 could not parse the HTML page");
    }
    walker w = {.text = text};
    lf_status st = to_lines(&w, doc, in, len, hints, src_off, rep, err);
    if (st == LF_OK)
        *nlines = w.nblocks;
    free(w.blocks);
    xmlFreeDoc(doc);
    return st;
}
