/*
 * script.h — is a paragraph written in Simplified or Traditional Chinese?
 *
 * The evidence is OpenCC's own character dictionaries, read through OpenCC:
 * a table is built once per context by converting every Han character alone
 * with the s2t and t2s configurations. A character that s2t changes and t2s
 * leaves alone (这, 国) is a Simplified marker; the reverse (這, 國) is a
 * Traditional marker. Characters both scripts share (的, 人) or both
 * configurations change are no evidence either way. A marker that is also
 * a character of the other script's national set (里 and 后 are in Big5,
 * 著 in GB 2312; see plausibility.h) is weak evidence: it counts a quarter.
 * ICU's script property says which code points are Han and which are kana.
 */
#ifndef LIBFIX_SCRIPT_H
#define LIBFIX_SCRIPT_H

#include "internal.h"

typedef enum lf_zh_script {
    LF_ZH_NONE = 0, /* no Han characters at all */
    LF_ZH_UNKNOWN,  /* Han characters, but no marker outweighs the other */
    LF_ZH_SIMPLIFIED,
    LF_ZH_TRADITIONAL,
    LF_ZH_JAPANESE /* Han mixed with enough kana to be Japanese */
} lf_zh_script;

typedef struct lf_zh_verdict {
    lf_zh_script script;
    double confidence;  /* in [0,1]; 1 for NONE */
    size_t han;         /* Han characters seen */
    double simplified;  /* weighted Simplified markers among them */
    double traditional; /* weighted Traditional markers among them */
    size_t kana;
} lf_zh_verdict;

typedef struct lf_script_table lf_script_table;

/* Builds the marker table by converting each Han character alone through
 * the two OpenCC handles (opencc_t values from opencc_open of s2t.json and
 * t2s.json; both stay owned by the caller and may be closed afterwards).
 * On success *out is a new table for lf_script_table_free(). Fails with
 * LF_ERR_NOMEM, or LF_ERR_INTERNAL when OpenCC or ICU fails. */
lf_status lf_script_table_new(void *s2t, void *t2s, lf_script_table **out, lf_error *err);
void lf_script_table_free(lf_script_table *t);

/* Counts markers in the valid UTF-8 text s[0..len) and gives a verdict.
 * Reads only the table, so any number of threads may call it at once. */
void lf_script_detect(const lf_script_table *t, const char *s, size_t len, lf_zh_verdict *v);

/* "none", "unknown", "simplified", "traditional", "japanese". */
const char *lf_zh_script_name(lf_zh_script s);

#endif /* LIBFIX_SCRIPT_H */
