/* strip_score.h — the metric of testdata/strip/gold/score.py, in C, so that
 * ctest can hold the strip pass to its F1 targets without Python.
 *
 * Lines are split on '\n' (a final '\n' adds no line), a trailing CR is
 * dropped, each line is stripped of whitespace and inner whitespace runs are
 * collapsed to one space (Python's str.isspace set), empty lines are
 * dropped. A line weighs its number of non-whitespace characters; matched is
 * the sum over distinct lines of min(count in pred, count in gold) * weight. */
#ifndef LIBFIX_TEST_STRIP_SCORE_H
#define LIBFIX_TEST_STRIP_SCORE_H

#include "internal.h"

#include <stdlib.h>
#include <string.h>

typedef struct score_line {
    char *text;
    size_t weight;
    int pred, gold;
} score_line;

typedef struct score_set {
    score_line *lines;
    size_t n, cap;
} score_set;

static int score_is_space(uint32_t cp)
{
    return (cp >= 0x09 && cp <= 0x0D) || (cp >= 0x1C && cp <= 0x20) || cp == 0x85 || cp == 0xA0 ||
           cp == 0x1680 || (cp >= 0x2000 && cp <= 0x200A) || cp == 0x2028 || cp == 0x2029 || cp == 0x202F ||
           cp == 0x205F || cp == 0x3000;
}

/* Normalises s[0..len) into a new string; *weight receives its weight. */
static char *score_normalise(const char *s, size_t len, size_t *weight)
{
    if (len && s[len - 1] == '\r')
        len--;
    char *out = malloc(len + 1);
    size_t n = 0, i = 0;
    int pending_space = 0;
    *weight = 0;
    while (out && i < len) {
        uint32_t cp;
        size_t k = lf_utf8_decode(s + i, len - i, &cp);
        if (k == 0)
            k = 1;
        if (score_is_space(cp)) {
            pending_space = n > 0;
        } else {
            if (pending_space)
                out[n++] = ' ';
            pending_space = 0;
            memcpy(out + n, s + i, k);
            n += k;
            (*weight)++;
        }
        i += k;
    }
    if (out)
        out[n] = '\0';
    return out;
}

static void score_add(score_set *set, const char *text, size_t len, int is_pred)
{
    for (size_t pos = 0; pos < len;) {
        const char *nl = memchr(text + pos, '\n', len - pos);
        size_t end = nl ? (size_t)(nl - text) : len, w;
        char *norm = score_normalise(text + pos, end - pos, &w);
        pos = nl ? end + 1 : len;
        if (!norm || w == 0) {
            free(norm);
            continue;
        }
        size_t i = 0;
        while (i < set->n && strcmp(set->lines[i].text, norm) != 0)
            i++;
        if (i == set->n) {
            if (set->n == set->cap) {
                set->cap = set->cap ? set->cap * 2 : 64;
                set->lines = realloc(set->lines, set->cap * sizeof *set->lines);
            }
            set->lines[set->n++] = (score_line){norm, w, 0, 0};
        } else {
            free(norm);
        }
        if (is_pred)
            set->lines[i].pred++;
        else
            set->lines[i].gold++;
    }
}

typedef struct score_counts {
    double matched, pred, gold;
} score_counts;

static score_counts score_page(const char *pred, size_t pred_len, const char *gold, size_t gold_len)
{
    score_set set = {0};
    score_add(&set, pred, pred_len, 1);
    score_add(&set, gold, gold_len, 0);
    score_counts c = {0, 0, 0};
    for (size_t i = 0; i < set.n; i++) {
        score_line *l = &set.lines[i];
        c.matched += (double)(l->pred < l->gold ? l->pred : l->gold) * (double)l->weight;
        c.pred += (double)l->pred * (double)l->weight;
        c.gold += (double)l->gold * (double)l->weight;
        free(l->text);
    }
    free(set.lines);
    return c;
}

static double score_f1(score_counts c)
{
    double p = c.pred ? c.matched / c.pred : (c.gold ? 0.0 : 1.0);
    double r = c.gold ? c.matched / c.gold : 1.0;
    return p + r > 0 ? 2 * p * r / (p + r) : 0.0;
}

#endif
