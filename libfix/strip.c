/*
 * strip.c — the strip pass: keep the article, drop the page around it.
 *
 * Each line gets a first-pass class from its own features (strip_rules.c):
 * BAD by a rule, or GOOD / NEAR / SHORT by how much punctuated text it has.
 * Then the page decides the rest, the way jusText smooths paragraph classes:
 *   1. site-template lines are BAD whatever they look like;
 *   2. a related-list heading (相关阅读) makes the list below it BAD, up to
 *      the next line of plain prose;
 *   3. an end marker (THE END), or a byline, footer or disclaimer that comes
 *      after most of the prose, ends the article: everything below is BAD;
 *   4. NEAR lines next to GOOD prose are content, SHORT lines between prose
 *      or stacked right above it (headings) are content, the rest is not;
 *   5. the least punctuated, then longest, undecided line above the first
 *      prose is the title, and a second copy of it is BAD.
 * Text mode writes the kept lines byte-identical and in order; blank lines
 * stay unless they border a removed line.
 */
#include "strip.h"

#include <libxml/parser.h>
#include <stdlib.h>
#include <string.h>

static lf_status split_lines(const char *text, size_t len, lf_line **out, size_t *count, lf_error *err)
{
    size_t n = 0;
    for (const char *p = text; (p = memchr(p, '\n', (size_t)(text + len - p))) != NULL; p++)
        n++;
    if (len > 0 && text[len - 1] != '\n')
        n++;
    lf_line *lines = calloc(n ? n : 1, sizeof *lines);
    if (!lines)
        return lf_nomem(err);
    size_t start = 0;
    for (size_t i = 0; i < n; i++) {
        const char *nl = memchr(text + start, '\n', len - start);
        size_t end = nl ? (size_t)(nl - text) : len;
        lines[i].start = start;
        lines[i].end = end;
        lines[i].next = nl ? end + 1 : len;
        start = lines[i].next;
    }
    *out = lines;
    *count = n;
    return LF_OK;
}

static void apply_hints(lf_line *lines, size_t n, const lf_line_hint *hints, size_t nhints)
{
    const lf_strip_rules *r = &lf_strip_default_rules;
    for (size_t i = 0; i < n && i < nhints; i++) {
        lf_line *l = &lines[i];
        /* Short blank-separated words are a menu in running text but a
         * verse line (or its romanisation) inside a run of <br> lines. */
        bool menu_shape = l->cls == LF_LINE_BAD && !strcmp(l->reason, "menu");
        if (l->cls == LF_LINE_BLANK || (l->cls == LF_LINE_BAD && !(menu_shape && hints[i].verse)))
            continue;
        if (hints[i].link_density > r->link_density_bad) {
            l->cls = LF_LINE_BAD;
            l->reason = "link-list";
        } else if (hints[i].outside_main && !hints[i].h1) {
            l->cls = LF_LINE_BAD;
            l->reason = "outside-main";
        } else if (hints[i].verse && !hints[i].outside_main) {
            l->cls = LF_LINE_GOOD;
        }
    }
}

static void apply_template(const lf_template *tmpl, const char *text, lf_line *lines, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        size_t a, b;
        if (lines[i].cls == LF_LINE_BLANK)
            continue;
        lf_strip_trim(text, &lines[i], &a, &b);
        if (lf_template_has_line(tmpl, text, a, b)) {
            lines[i].cls = LF_LINE_BAD;
            lines[i].reason = "template";
        }
    }
}

/* A related list runs from its heading to the next line of plain prose: a
 * GOOD line that is not a list item and not a teaser cut off with "...". */
static void mark_related_lists(lf_line *lines, size_t n)
{
    bool in_list = false;
    for (size_t i = 0; i < n; i++) {
        lf_line *l = &lines[i];
        if (l->cls == LF_LINE_BLANK)
            continue;
        if (in_list) {
            if (l->cls == LF_LINE_GOOD && !l->list_item && !l->ends_ellipsis) {
                in_list = false;
            } else {
                if (l->cls != LF_LINE_BAD)
                    l->reason = "related-list";
                l->cls = LF_LINE_BAD;
                continue;
            }
        }
        if (l->cls == LF_LINE_BAD && l->family == LF_FAM_RELATED_LIST)
            in_list = true;
    }
}

static bool ends_article(const lf_line *l, double share)
{
    const lf_strip_rules *r = &lf_strip_default_rules;
    if (l->cls != LF_LINE_BAD || l->reason == NULL)
        return false;
    if (l->family == LF_FAM_END_MARKER)
        return share >= r->end_share;
    /* Only a byline named by a keyword (作者丨, 责任编辑): a timestamped line
     * may head the next reply of a forum thread. */
    return l->by_keyword &&
           (l->family == LF_FAM_FOOTER || l->family == LF_FAM_DISCLAIMER || l->family == LF_FAM_BYLINE) &&
           share >= r->tail_share;
}

static void mark_tail(lf_line *lines, size_t n)
{
    double total = 0, seen = 0;
    for (size_t i = 0; i < n; i++)
        if (lines[i].cls == LF_LINE_GOOD)
            total += lines[i].weight;
    bool ended = false;
    for (size_t i = 0; i < n && total > 0; i++) {
        lf_line *l = &lines[i];
        if (l->cls == LF_LINE_BLANK)
            continue;
        if (ended) {
            if (l->cls != LF_LINE_BAD) {
                l->cls = LF_LINE_BAD;
                l->reason = "after-end";
            }
            continue;
        }
        if (l->cls == LF_LINE_GOOD)
            seen += l->weight;
        ended = ends_article(l, seen / total);
    }
}

static bool decided(const lf_line *l, bool near_done)
{
    return l->cls == LF_LINE_GOOD || l->cls == LF_LINE_BAD || (near_done && l->cls == LF_LINE_NEAR);
}

/* A decided neighbour counts as prose when GOOD, or NEAR and kept. */
static bool prose(const lf_line *l)
{
    return l->cls == LF_LINE_GOOD || (l->cls == LF_LINE_NEAR && l->keep);
}

/* Decides the lines of one class from the nearest decided lines around them:
 * NEAR lines first (next to prose on either side), then SHORT lines with the
 * kept NEAR lines counting as prose, as jusText does. Which lines are
 * decided does not change within one class's turn, so one sweep each way
 * finds every line's neighbours (a scan per line was quadratic on pages of
 * thousands of short lines). */
static void smooth_class(lf_line *lines, size_t n, lf_line_class cls)
{
    const lf_strip_rules *r = &lf_strip_default_rules;
    bool near_done = cls == LF_LINE_SHORT;
    bool good = false;
    for (size_t i = 0; i < n; i++) {
        if (decided(&lines[i], near_done))
            good = prose(&lines[i]);
        else if (lines[i].cls == cls)
            lines[i].prev_prose = good;
    }
    good = false;
    unsigned between = 0; /* non-blank lines between this one and the next decided */
    for (size_t i = n; i-- > 0;) {
        lf_line *l = &lines[i];
        if (decided(l, near_done)) {
            good = prose(l);
            between = 0;
            continue;
        }
        if (l->cls == cls) {
            if (cls == LF_LINE_NEAR)
                l->keep = l->prev_prose || good;
            else
                l->keep = (l->prev_prose && good) || (good && between < r->heading_chain);
            if (!l->keep)
                l->reason = "short";
        }
        between += l->cls != LF_LINE_BLANK;
    }
}

static void smooth(lf_line *lines, size_t n)
{
    smooth_class(lines, n, LF_LINE_NEAR);
    smooth_class(lines, n, LF_LINE_SHORT);
}

/* Titles rarely have inner punctuation, and the lines above the body that
 * do are decks or sentences: fewer marks first, then the longer line. */
static bool better_title(const lf_line *a, const lf_line *b)
{
    if (!b)
        return true;
    unsigned pa = a->punct - a->ends_punct, pb = b->punct - b->ends_punct;
    return pa < pb || (pa == pb && a->weight > b->weight);
}

/* The title: the best undecided line above the first prose line. */
static void find_title(const lf_options *opt, const char *text, lf_line *lines, size_t n)
{
    const lf_strip_rules *r = &lf_strip_default_rules;
    lf_line *title = NULL;
    for (size_t i = 0; i < n && lines[i].cls != LF_LINE_GOOD; i++) {
        lf_line *l = &lines[i];
        if ((l->cls == LF_LINE_SHORT || l->cls == LF_LINE_NEAR) && l->weight >= 2 &&
            l->weight <= r->title_max_weight && l->strong <= 1 && better_title(l, title))
            title = l;
    }
    if (!title)
        return;
    title->is_title = true;
    title->keep = opt->keep_title != 0;
    title->reason = "title";
    for (size_t i = 0; i < n; i++) {
        lf_line *l = &lines[i];
        if (l != title && l->cls != LF_LINE_BLANK && lf_strip_same_text(text, l, title)) {
            l->cls = LF_LINE_BAD;
            l->reason = "duplicate-title";
            l->keep = false;
        }
    }
}

static void final_decision(const lf_options *opt, lf_line *lines, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        lf_line *l = &lines[i];
        if (l->cls == LF_LINE_GOOD)
            l->keep = true;
        else if (l->cls == LF_LINE_BAD && !strcmp(l->reason, lf_family_name(l->family)))
            l->keep = (opt->keep_bylines && l->family == LF_FAM_BYLINE) ||
                      (opt->keep_captions && l->family == LF_FAM_CAPTION);
    }
    /* A run of blank lines goes with a removed neighbour. */
    for (size_t i = 0; i < n;) {
        if (lines[i].cls != LF_LINE_BLANK) {
            i++;
            continue;
        }
        size_t j = i;
        while (j < n && lines[j].cls == LF_LINE_BLANK)
            j++;
        bool keep = (i == 0 || lines[i - 1].keep) && (j == n || lines[j].keep);
        for (size_t k = i; k < j; k++)
            lines[k].keep = keep;
        i = j;
    }
}

lf_status lf_strip_classify(const lf_options *opt, const lf_template *tmpl,
                            const char *text, size_t len, const lf_line_hint *hints,
                            size_t nhints, lf_line **out, size_t *count, lf_error *err)
{
    lf_line *lines = NULL;
    size_t n = 0;
    lf_status st = split_lines(text, len, &lines, &n, err);
    if (st != LF_OK)
        return st;
    for (size_t i = 0; i < n; i++)
        lf_strip_line_features(text, &lines[i]);
    if (hints)
        apply_hints(lines, n, hints, nhints);
    if (tmpl)
        apply_template(tmpl, text, lines, n);
    mark_related_lists(lines, n);
    mark_tail(lines, n);
    smooth(lines, n);
    find_title(opt, text, lines, n);
    final_decision(opt, lines, n);
    *out = lines;
    *count = n;
    return LF_OK;
}

/* Rules keyed on explicit words are surer than those on shape alone. */
static double confidence(const lf_line *l)
{
    if (l->cls != LF_LINE_BAD)
        return 0.6;
    return l->family != LF_FAM_NONE || !strcmp(l->reason, "template") ? 0.9 : 0.75;
}

/* Reports each removed non-blank line; a removed run's blank lines go into
 * the span of the nearest removed line before them (or after, at the top). */
static bool report_removed(const lf_line *lines, size_t n, uint64_t out_pos_at[], lf_report *rep)
{
    for (size_t i = 0; i < n;) {
        if (lines[i].keep) {
            i++;
            continue;
        }
        size_t j = i;
        while (j < n && !lines[j].keep)
            j++;
        size_t run_start = lines[i].start;
        bool first = true;
        for (size_t k = i; k < j; k++) {
            if (lines[k].cls == LF_LINE_BLANK)
                continue;
            size_t next_nb = k + 1;
            while (next_nb < j && lines[next_nb].cls == LF_LINE_BLANK)
                next_nb++;
            uint64_t from = first ? run_start : lines[k].start;
            uint64_t to = next_nb < j ? lines[next_nb].start : lines[j - 1].next;
            if (!lf_report_add(rep, LF_PASS_STRIP, "boilerplate", from, to, out_pos_at[i], out_pos_at[i],
                               confidence(&lines[k]), "%s", lines[k].reason ? lines[k].reason : "short"))
                return false;
            first = false;
        }
        if (first && !lf_report_add(rep, LF_PASS_STRIP, "blank", run_start, lines[j - 1].next, out_pos_at[i],
                                    out_pos_at[i], 1.0, "blank lines beside removed boilerplate"))
            return false;
        i = j;
    }
    return true;
}

static lf_status run_text(const lf_context *ctx, const char *in, size_t len, lf_buf *out, lf_report *rep,
                          lf_error *err)
{
    lf_line *lines = NULL;
    size_t n = 0;
    lf_status st = lf_strip_classify(&ctx->opt, ctx->opt.strip_template, in, len, NULL, 0, &lines, &n, err);
    if (st != LF_OK)
        return st;
    uint64_t *pos = malloc((n ? n : 1) * sizeof *pos);
    if (!pos) {
        free(lines);
        return lf_nomem(err);
    }
    for (size_t i = 0; i < n && st == LF_OK; i++) {
        pos[i] = out->len;
        if (lines[i].keep && !lf_buf_append(out, in + lines[i].start, lines[i].next - lines[i].start))
            st = lf_nomem(err);
    }
    if (st == LF_OK && (!report_removed(lines, n, pos, rep) || !lf_strip_text_metadata(in, lines, n, rep)))
        st = lf_nomem(err);
    free(pos);
    free(lines);
    return st;
}

/* HTML: the blocks become lines, the classifier decides them, and the kept
 * blocks are written one paragraph per line with a blank line between. */
static lf_status run_html(const lf_context *ctx, const char *in, size_t len, lf_buf *out, lf_report *rep,
                          lf_error *err)
{
    lf_buf text;
    lf_buf_init(&text);
    lf_line_hint *hints = NULL;
    size_t *src = NULL, nblocks = 0, n = 0;
    lf_line *lines = NULL;
    lf_status st = lf_html_to_lines(in, len, &text, &hints, &src, &nblocks, rep, err);
    if (st == LF_OK)
        st = lf_strip_classify(&ctx->opt, ctx->opt.strip_template, text.data ? text.data : "", text.len,
                               hints, nblocks, &lines, &n, err);
    size_t kept = 0;
    for (size_t i = 0; i < n && st == LF_OK; i++) {
        lf_line *l = &lines[i];
        if (l->cls == LF_LINE_BLANK)
            continue;
        size_t from = i < nblocks ? src[i] : len, to = i + 1 < nblocks ? src[i + 1] : len;
        if (to < from)
            to = from;
        if (!l->keep) {
            if (!lf_report_add(rep, LF_PASS_STRIP, "boilerplate", from, to, out->len, out->len, confidence(l),
                               "%s", l->reason ? l->reason : "short"))
                st = lf_nomem(err);
            continue;
        }
        if ((kept++ && !lf_buf_append_char(out, '\n')) || !lf_buf_append(out, text.data + l->start, l->end - l->start) ||
            !lf_buf_append_char(out, '\n'))
            st = lf_nomem(err);
    }
    if (st == LF_OK && (!lf_strip_text_metadata(text.data, lines, n, rep) ||
                        !lf_report_add(rep, LF_PASS_STRIP, "html", 0, len, 0, out->len, 1.0,
                                       "main text of an HTML page: %zu of %zu blocks kept", kept, nblocks)))
        st = lf_nomem(err);
    free(lines);
    free(hints);
    free(src);
    lf_buf_free(&text);
    return st;
}

lf_status lf_strip_run(const lf_context *ctx, const char *in, size_t len, lf_buf *out, lf_report *rep,
                       lf_error *err)
{
    /* An all-boilerplate page has empty output: make it an allocated,
     * NUL-terminated empty string (lf_buf_detach alone leaves it unterminated). */
    if (!lf_buf_append(out, "", 0))
        return lf_nomem(err);
    lf_format f = ctx->opt.format;
    if (f == LF_FORMAT_AUTO)
        f = lf_html_detect(in, len) ? LF_FORMAT_HTML : LF_FORMAT_TEXT;
    return f == LF_FORMAT_HTML ? run_html(ctx, in, len, out, rep, err) : run_text(ctx, in, len, out, rep, err);
}

/* libxml2 wants its parser initialised once, before threads use it; the
 * context is made before any lf_process call, so this is the place. */
lf_status lf_strip_prepare(lf_context *ctx, lf_error *err)
{
    (void)ctx;
    (void)err;
    xmlInitParser();
    return LF_OK;
}
