/*
 * strip.h — what the strip pass's files share: keyword families, per-line
 * features and classes, the HTML block extractor, metadata and templates.
 * Not installed.
 *
 * The strip pass works on lines. Text mode splits its input on '\n'; HTML
 * mode first turns the page into lines of block text (html.c) and then runs
 * the same classifier with per-line hints from the markup (link density, the
 * block's place in the page).
 */
#ifndef LIBFIX_STRIP_H
#define LIBFIX_STRIP_H

#include "internal.h"

/* ------------------------------------------------- keyword families (data) */

/* The order is the generator's (tools/gen_strip_keywords.py FAMILIES). */
typedef enum lf_family {
    LF_FAM_BREADCRUMB,
    LF_FAM_GREETING,
    LF_FAM_BYLINE,
    LF_FAM_WIDGET,
    LF_FAM_RELATED_LIST,
    LF_FAM_FOOTER,
    LF_FAM_DISCLAIMER,
    LF_FAM_PROMO_INTRO,
    LF_FAM_END_MARKER,
    LF_FAM_CAPTION,
    LF_FAM_SUMMARY,
    LF_FAM_AD,
    LF_FAM_NONE
} lf_family;

typedef struct lf_keyword {
    lf_family family;
    bool at_start;     /* must begin the line (after blanks and bullets) */
    unsigned maxw;     /* applies to lines of at most this weight; 0: any */
    unsigned len;      /* bytes of text */
    uint32_t first;    /* its first code point */
    const char *text;  /* UTF-8 */
} lf_keyword;

/* strip_keywords.c, generated from data/strip/keywords.txt: sorted by first
 * code point; lf_strip_keyword_first has bit (cp & 4095) set for every
 * first code point. */
extern const lf_keyword lf_strip_keywords[];
extern const size_t lf_strip_keyword_count;
extern const uint64_t lf_strip_keyword_first[64];

/* The reason string reported for a family ("byline", "related-list", ...). */
const char *lf_family_name(lf_family f);

/* ------------------------------------------------ lines (strip_rules.c) */

typedef enum lf_line_class {
    LF_LINE_BLANK,  /* empty or only whitespace */
    LF_LINE_BAD,    /* boilerplate by a rule; reason says which */
    LF_LINE_SHORT,  /* too little text to judge alone */
    LF_LINE_NEAR,   /* some prose features; decided by its neighbours */
    LF_LINE_GOOD    /* prose: long and punctuated */
} lf_line_class;

/* Hints the HTML extractor attaches to a line; zero for plain text. */
typedef struct lf_line_hint {
    float link_density;  /* share of the line's characters inside <a> */
    bool h1;             /* an <h1>: usually the title, often above the article box */
    bool verse;          /* one of a run of <br>-separated lines (a poem, lyrics) */
    bool outside_main;   /* not inside the element chosen as the main content */
} lf_line_hint;

typedef struct lf_line {
    size_t start, end;   /* the line's bytes, without its '\n' */
    size_t next;         /* where the next line starts (after '\n') */
    unsigned weight;     /* non-blank characters */
    unsigned punct;      /* sentence punctuation: ，。；！？、：… and ASCII , ; ! ? */
    unsigned strong;     /* sentence-final punctuation: 。！？； */
    unsigned tokens;     /* blank-separated tokens */
    unsigned max_token;  /* weight of the longest token */
    unsigned seps;       /* navigation separators: > >> » › | ｜ */
    unsigned url_weight; /* characters inside http(s):// or www. runs */
    unsigned date_weight;/* characters inside dates and times */
    bool digits_only;
    bool lead_sep;       /* begins with a separator ('|', '>') */
    bool list_item;      /* begins with a bullet or "N." / "N、" */
    bool ends_ellipsis;  /* ends with ... or … (a teaser) */
    bool ends_url;       /* the last token is a URL */
    bool ends_punct;     /* the last character is punctuation (a title may end in ？) */
    bool has_date;
    bool stamp;          /* has a numeric date (2023-11-10) or a time (08:42) */
    unsigned counters;   /* "(58)"-style counts */
    lf_family family;    /* first keyword family matched, LF_FAM_NONE if none */
    bool by_keyword;     /* family comes from a keyword, not from the line's shape */
    lf_line_class cls;
    const char *reason;  /* static; set when cls is LF_LINE_BAD */
    bool keep;           /* the final decision */
    bool is_title;
    bool prev_prose;     /* smoothing: the nearest decided line above is prose */
} lf_line;

/* The thresholds of the classifier, each chosen by a measurement (see
 * strip_rules.c for the numbers and how they were found). */
typedef struct lf_strip_rules {
    unsigned good_weight;       /* GOOD: at least this weight and some punctuation */
    unsigned good_weight_bare;  /* GOOD without punctuation: at least this weight */
    unsigned near_weight;       /* NEAR: at least this weight and some punctuation */
    unsigned title_max_weight;  /* a title line is at most this long */
    unsigned nav_max_weight;    /* navigation lines are at most this long */
    unsigned menu_min_tokens;   /* a menu has at least this many tokens ... */
    unsigned menu_max_token;    /* ... none longer than this ... */
    unsigned menu_max_weight;   /* ... and at most this weight in all */
    unsigned counter_min_digits;/* a bare number this long is a counter, not a section number */
    unsigned date_rest_max;     /* date lines: at most this much text beside the date */
    unsigned date_line_max;     /* date lines: at most this weight in all */
    unsigned stamp_line_max;    /* lines with a timestamp: at most this weight */
    unsigned heading_chain;     /* undecided lines directly above prose kept as headings */
    double tail_share;          /* a byline/footer ends the article once this share of prose is above it */
    double end_share;           /* an end marker ends it once this share is above it */
    double link_density_bad;    /* HTML: blocks with more of their text in links are boilerplate */
} lf_strip_rules;

extern const lf_strip_rules lf_strip_default_rules;

/* Computes the features of line[start, end) of text and its first-pass
 * class (BAD with a reason, or SHORT/NEAR/GOOD). */
void lf_strip_line_features(const char *text, lf_line *line);

/* Whether two lines are the same after trimming blanks. */
bool lf_strip_same_text(const char *text, const lf_line *a, const lf_line *b);

/* The line's text without leading and trailing blanks (U+3000, NBSP included). */
void lf_strip_trim(const char *text, const lf_line *line, size_t *start, size_t *end);

/* ----------------------------------------------- classification (strip.c) */

/* Splits text[0..len) into lines and decides each: *lines receives a
 * malloc'd array of *count entries that the caller frees. hints is NULL or
 * holds one entry per line. tmpl may be NULL. LF_ERR_NOMEM on allocation
 * failure (nothing to free then). */
lf_status lf_strip_classify(const lf_options *opt, const lf_template *tmpl,
                            const char *text, size_t len, const lf_line_hint *hints,
                            size_t nhints, lf_line **lines, size_t *count, lf_error *err);

/* -------------------------------------------------------- dates (metadata.c) */

typedef struct lf_date {
    int year, month, day;   /* year 0 when only month and day were given */
    int hour, minute, second; /* hour -1 when no time was given */
    bool numeric;           /* written 2023-11-10 (a machine stamp), not 2023年11月10日 */
} lf_date;

/* Finds the first date in s[0..len): 2023-11-10, 2023/11/10, 2023.11.10,
 * 2023年11月10日, optionally followed by a time 08:42[:00]. On success
 * returns true, fills *d and the byte span [*at, *end). */
bool lf_find_date(const char *s, size_t len, lf_date *d, size_t *at, size_t *end);

/* Writes d as ISO 8601 (2023-11-10 or 2023-11-10T08:42:00) into buf, which
 * holds at least 20 bytes. Returns the length, 0 when d has no year. */
size_t lf_date_iso(const lf_date *d, char *buf);

/* Fills rep's metadata from classified text lines. Returns false on
 * allocation failure. */
bool lf_strip_text_metadata(const char *text, const lf_line *lines, size_t n, lf_report *rep);

/* ------------------------------------------------------------- HTML (html.c) */

/* Whether in[0..len) looks like an HTML page (a doctype, <html, <head, <body
 * or several block tags near the start). */
bool lf_html_detect(const char *in, size_t len);

/* The page's text as lines: every block of the parsed page (UTF-8 input,
 * whatever its meta charset says) becomes one line of *text; hints receives
 * one entry per line (malloc'd, caller frees) and rep the page's metadata from
 * its <head>. *src_line receives, per text line, the byte offset in `in` of
 * the source line where its block starts (malloc'd, caller frees).
 * LF_ERR_NOMEM on allocation failure, LF_ERR_INVALID_INPUT when libxml2
 * cannot parse the page at all. */
lf_status lf_html_to_lines(const char *in, size_t len, lf_buf *text, lf_line_hint **hints,
                           size_t **src_off, size_t *nlines, lf_report *rep, lf_error *err);

/* The charset a page declares in <meta charset> or <meta http-equiv
 * content-type>, copied into name[0..cap) (NUL-terminated); false when it
 * declares none. */
bool lf_html_declared_charset(const char *in, size_t len, char *name, size_t cap);

/* For the decode pass, on raw page bytes: the encoding to read them with.
 * "UTF-8" when the bytes are valid UTF-8 with some non-ASCII, whatever the
 * meta says (Readability's qq page declares gb2312 but was re-saved as
 * UTF-8); else the declared charset, with GB2312 and GBK widened to their
 * superset GB18030 (trafilatura's archive.org page declares gb2312 and uses
 * GB18030 characters); else NULL: let detection decide. A non-NULL result
 * is a static name or buf (cap bytes). */
const char *lf_html_choose_charset(const char *in, size_t len, char *buf, size_t cap);

/* --------------------------------------------------------- templates (template.c) */

/* Whether the trimmed line text[start, end) is part of the template. */
bool lf_template_has_line(const lf_template *t, const char *text, size_t start, size_t end);

#endif /* LIBFIX_STRIP_H */
