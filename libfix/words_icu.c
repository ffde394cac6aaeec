/* words_icu.c — dictionary words of ideographs as ICU's word breaker for
 * Chinese finds them (see words_icu.h). */
#include "words_icu.h"

#include <unicode/ustring.h>
#include <unicode/utf16.h>

/* The spans asked about are a few ideographs (mojibake.c). */
#define MAX_CPS 16

static int count_words(UBreakIterator *bi, const UChar *u)
{
    int words = 0;
    int32_t start = ubrk_first(bi);
    for (int32_t end = ubrk_next(bi); end != UBRK_DONE; start = end, end = ubrk_next(bi)) {
        int32_t rule = ubrk_getRuleStatus(bi);
        /* Two UTF-16 units may be one ideograph beyond the BMP. */
        words += rule >= UBRK_WORD_IDEO && rule < UBRK_WORD_IDEO_LIMIT && u_countChar32(u + start, end - start) >= 2;
    }
    return words;
}

lf_status lf_words_icu_open(UBreakIterator **out, lf_error *err)
{
    static const UChar sample[] = {0x6CD5, 0x90CE}; /* 法郎 */
    UErrorCode status = U_ZERO_ERROR;
    UBreakIterator *bi = ubrk_open(UBRK_WORD, "zh", sample, 2, &status);
    if (U_SUCCESS(status))
        count_words(bi, sample);
    if (U_FAILURE(status)) {
        ubrk_close(bi);
        return status == U_MEMORY_ALLOCATION_ERROR
                   ? lf_nomem(err)
                   : lf_fail(err, LF_ERR_INTERNAL, "ICU word breaker for Chinese: %s", u_errorName(status));
    }
    *out = bi;
    return LF_OK;
}

void lf_words_icu_close(UBreakIterator *words)
{
    ubrk_close(words);
}

int lf_words_icu_count(const UBreakIterator *words, const uint32_t *cp, size_t n, bool *nomem)
{
    UChar u[2 * MAX_CPS];
    int32_t nu = 0;
    if (n > MAX_CPS)
        return -1;
    for (size_t i = 0; i < n; i++)
        U16_APPEND_UNSAFE(u, nu, (UChar32)cp[i]);
    UErrorCode status = U_ZERO_ERROR;
    UBreakIterator *bi = ubrk_clone(words, &status);
    ubrk_setText(bi, u, nu, &status);
    int found = U_SUCCESS(status) ? count_words(bi, u) : -1;
    *nomem = *nomem || status == U_MEMORY_ALLOCATION_ERROR;
    ubrk_close(bi);
    return found;
}
