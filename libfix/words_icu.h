/*
 * words_icu.h — ICU's Chinese/Japanese word-break dictionary as a second
 * source of words for the repair pass, beside the ideograph pairs of
 * OpenCC's phrase lists (plausibility.c), which lack everyday words
 * ("法郎", "按钮", "工具"). words_icu.c.
 */
#ifndef LIBFIX_WORDS_ICU_H
#define LIBFIX_WORDS_ICU_H

#include "internal.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <unicode/ubrk.h>

/* Opens ICU's word breaker for Chinese into *out and breaks one word with
 * it, so that ICU loads its dictionary at context creation. The breaker is
 * read-only afterwards (lf_words_icu_count clones it) and freed with
 * lf_words_icu_close. LF_ERR_NOMEM or LF_ERR_INTERNAL (data missing). */
lf_status lf_words_icu_open(UBreakIterator **out, lf_error *err);

void lf_words_icu_close(UBreakIterator *words);

/* How many words of two ideographs or more ICU's dictionary finds in
 * cp[0..n) (word-break rule status UBRK_WORD_IDEO), n at most 16; -1 when
 * ICU fails (out of memory: *nomem set). words is lf_words_icu_open's,
 * shared by threads: each call breaks with a clone of its own. */
int lf_words_icu_count(const UBreakIterator *words, const uint32_t *cp, size_t n, bool *nomem);

#endif
