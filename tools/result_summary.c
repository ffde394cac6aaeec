/* result_summary.c — per-kind change counts of one result. */
#define _GNU_SOURCE
#include "result_summary.h"

#include <stdlib.h>
#include <string.h>

bool kind_total_add(kind_total **kinds, size_t *n, lf_pass pass, const char *kind, uint64_t count)
{
    for (size_t i = 0; i < *n; i++) {
        if ((*kinds)[i].pass == pass && strcmp((*kinds)[i].kind, kind) == 0) {
            (*kinds)[i].count += count;
            return true;
        }
    }
    kind_total *k = realloc(*kinds, (*n + 1) * sizeof **kinds);
    if (!k)
        return false;
    *kinds = k;
    char *copy = strdup(kind);
    if (!copy)
        return false;
    k[*n] = (kind_total){pass, copy, count};
    (*n)++;
    return true;
}

static bool seen(const result_summary *s, lf_pass pass, const char *kind)
{
    for (size_t i = 0; i < s->nkinds; i++)
        if (s->kinds[i].pass == pass && strcmp(s->kinds[i].kind, kind) == 0)
            return true;
    return false;
}

bool result_summary_make(const lf_result *r, result_summary *s)
{
    memset(s, 0, sizeof *s);
    s->encoding = lf_result_encoding(r);
    s->confidence = lf_result_encoding_confidence(r);
    s->truncated = lf_result_truncated(r) != 0;
    for (size_t i = 0; i < lf_result_change_count(r); i++) {
        const lf_change *c = lf_result_change(r, i);
        if (!seen(s, c->pass, c->kind) &&
            !kind_total_add(&s->kinds, &s->nkinds, c->pass, c->kind, lf_result_kind_count(r, c->pass, c->kind))) {
            result_summary_free(s);
            return false;
        }
    }
    return true;
}

void result_summary_free(result_summary *s)
{
    for (size_t i = 0; i < s->nkinds; i++)
        free(s->kinds[i].kind);
    free(s->kinds);
    memset(s, 0, sizeof *s);
}
