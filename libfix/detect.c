/*
 * detect.c — which encoding are these bytes in?
 *
 * Order of evidence:
 *   1. a byte order mark;
 *   2. the NUL pattern of UTF-16 text without a BOM;
 *   3. valid UTF-8 (random legacy bytes are almost never valid UTF-8);
 *   4. for everything else, each candidate legacy encoding decodes a sample
 *      with ICU and the result is scored for plausibility per character:
 *      common ideographs of the national frequency planes, kana, common
 *      Hangul and CJK punctuation score high; U+FFFD, private use, C1
 *      controls and symbol soup score low. The best mean score wins.
 *   5. ICU's charset detector is consulted for the scripts our candidates do
 *      not cover (Cyrillic, Greek, Hebrew, Arabic single-byte encodings, the
 *      ISO-2022 family).
 *
 * Why not ICU's detector alone: on short Chinese text it confuses GBK, Big5
 * and EUC-JP (see tests/test_detect.c and tools/eval_detect.sh for the
 * measured rates), because it scores byte-pair frequencies of a few hundred
 * common characters and has no notion of what the decoded text looks like.
 */
#include "internal.h"
#include "plausibility.h"

#include <math.h>
#include <string.h>
#include <unicode/ucnv.h>
#include <unicode/ucsdet.h>
#include <unicode/uchar.h>

/* Detection reads at most this much; 64 KiB decides every seed and takes
 * well under a millisecond per candidate. */
#define SAMPLE_MAX (64 * 1024)

typedef enum language { LANG_ANY, LANG_JA, LANG_KO } language;

typedef struct candidate {
    const char *name;     /* canonical name reported to the user */
    const char *icu_name; /* ICU converter used to score it */
    language lang;        /* what a real document in it must contain */
} candidate;

/* The legacy encodings libfix scores itself, in preference order for ties. */
static const candidate candidates[] = {
    {"GB18030", "GB18030", LANG_ANY},
    {"Big5", "windows-950", LANG_ANY},
    {"Shift_JIS", "windows-31j", LANG_JA},
    {"EUC-JP", "EUC-JP", LANG_JA},
    {"EUC-KR", "windows-949", LANG_KO},
    {"windows-1252", "windows-1252", LANG_ANY},
};
#define NCANDIDATES (sizeof candidates / sizeof candidates[0])

static bool has_bom(const unsigned char *s, size_t len, const char **name)
{
    if (len >= 3 && s[0] == 0xEF && s[1] == 0xBB && s[2] == 0xBF)
        *name = "UTF-8";
    else if (len >= 4 && s[0] == 0xFF && s[1] == 0xFE && s[2] == 0 && s[3] == 0)
        *name = "UTF-32LE";
    else if (len >= 4 && s[0] == 0 && s[1] == 0 && s[2] == 0xFE && s[3] == 0xFF)
        *name = "UTF-32BE";
    else if (len >= 2 && s[0] == 0xFF && s[1] == 0xFE)
        *name = "UTF-16LE";
    else if (len >= 2 && s[0] == 0xFE && s[1] == 0xFF)
        *name = "UTF-16BE";
    else
        return false;
    return true;
}

/* UTF-16 text in a Latin or mixed script has a NUL in every other byte.
 * 30% of code units with a zero high byte is far above what any 8-bit text
 * has (NUL is almost absent there) and well below real UTF-16 English (~95%)
 * or Chinese with ASCII markup (~40%). */
static const char *utf16_by_nuls(const unsigned char *s, size_t len)
{
    size_t even = 0, odd = 0, pairs = len / 2;
    if (pairs < 2)
        return NULL;
    for (size_t i = 0; i + 1 < len; i += 2) {
        even += s[i] == 0;
        odd += s[i + 1] == 0;
    }
    if (odd * 10 >= pairs * 3 && even * 20 < pairs)
        return "UTF-16LE";
    if (even * 10 >= pairs * 3 && odd * 20 < pairs)
        return "UTF-16BE";
    return NULL;
}

/* Plausibility of one character decoded from non-ASCII bytes. The weights
 * rank "what a real document contains" over "what a wrong decoding makes";
 * they were chosen on the seeds' snippets (tests/test_detect.c) and only
 * their order matters much. */
static bool is_ascii_letter(UChar32 c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static double char_score(UChar32 c, UChar32 prev, UChar32 next)
{
    unsigned cls = lf_cjk_class((uint32_t)c);
    /* An ideograph inside a Latin word ("p" + 簡 + "ce") is what a double-byte
     * decoder makes of an accented letter followed by ASCII. */
    if (c >= 0x2E80 && is_ascii_letter(prev) && is_ascii_letter(next))
        return -3.0;
    if (c == 0xFFFD)
        return -8.0;
    if ((c >= 0xE000 && c <= 0xF8FF) || (c >= 0x80 && c <= 0x9F))
        return -6.0;
    if (cls & (LF_CJK_SC1 | LF_CJK_TC1 | LF_CJK_JP1))
        return 2.0;
    if (c >= 0x3041 && c <= 0x30FF)
        return 2.0; /* kana */
    if (cls & LF_CJK_KO1)
        return 2.0;
    if (cls & (LF_CJK_SC2 | LF_CJK_TC2 | LF_CJK_JP2 | LF_CJK_KOH))
        return 0.0;
    if ((c >= 0x3000 && c <= 0x303F) || (c >= 0xFF01 && c <= 0xFF5E))
        return 1.5; /* CJK and full-width punctuation */
    if (c >= 0xFF61 && c <= 0xFF9F)
        return -1.0; /* half-width katakana: what Shift_JIS makes of other bytes */
    if (u_hasBinaryProperty(c, UCHAR_IDEOGRAPHIC) || (c >= 0xAC00 && c <= 0xD7A3))
        return -2.0; /* rare ideographs and uncommon Hangul */
    if (c >= 0xA0 && c <= 0x24F && u_isalpha(c)) {
        /* An accented letter belongs inside a Latin word. */
        bool latin_neighbour = (prev < 0x80 && u_isalpha(prev)) || (next < 0x80 && u_isalpha(next)) ||
                               (prev >= 0xC0 && prev <= 0x24F) || (next >= 0xC0 && next <= 0x24F);
        return latin_neighbour ? 1.0 : -1.5;
    }
    if (c >= 0x2010 && c <= 0x2027)
        return 1.5; /* dashes, quotes, ellipsis: as common in CJK text as full-width punctuation */
    return -1.0;
}

/* Japanese prose is written with kana between the kanji, Korean with Hangul:
 * a "Japanese" reading with six or more ideographs and no kana (or a
 * "Korean" one without Hangul) is what Chinese bytes look like through the
 * wrong decoder. With this rule and the punctuation weight above, the GBK
 * snippets of tests/test_detect.c went from 971 to 994 of 1,000 right (the
 * misses had all read as EUC-JP). */
static double language_penalty(language lang, size_t han, size_t kana, size_t hangul, size_t spaced)
{
    if (lang == LANG_JA && han >= 6 && kana == 0)
        return 1.0;
    if (lang == LANG_KO && han >= 6 && hangul == 0)
        return 1.0;
    /* Korean separates words with spaces (about one per three syllables);
     * Chinese and Japanese do not. KS X 1001 Hangul bytes read as GB 2312
     * are common hanzi, so spacing is what tells them apart: more than one
     * space between two CJK characters per eight characters is not Chinese
     * (the seeds have none; the uchardet Korean samples about one per 3.5). */
    if (lang != LANG_KO && han + kana >= 16 && spaced * 8 > han + kana)
        return 1.0;
    return 0.0;
}

static void tally_script(UChar32 c, size_t *han, size_t *kana, size_t *hangul)
{
    if (c >= 0x3041 && c <= 0x30FF)
        (*kana)++;
    else if (c >= 0xAC00 && c <= 0xD7A3)
        (*hangul)++;
    else if (u_hasBinaryProperty(c, UCHAR_IDEOGRAPHIC))
        (*han)++;
}

/* Decodes sample with an ICU converter and returns the mean plausibility of
 * the characters decoded from non-ASCII bytes; *count receives their number. */
static double score_candidate(const candidate *cand, const char *s, size_t len, size_t *count)
{
    UErrorCode ec = U_ZERO_ERROR;
    UConverter *cnv = ucnv_open(cand->icu_name, &ec);
    size_t han = 0, kana = 0, hangul = 0, spaced = 0;
    bool cjk_then_space = false; /* the last characters were a CJK one and spaces */
    *count = 0;
    if (U_FAILURE(ec))
        return -100.0;
    const char *src = s, *end = s + len;
    double total = 0.0;
    UChar32 prev = ' ', cur = -1;
    while (src < end) {
        ec = U_ZERO_ERROR;
        const char *before = src;
        UChar32 c = ucnv_getNextUChar(cnv, &src, end, &ec);
        if (ec == U_INDEX_OUTOFBOUNDS_ERROR)
            break;
        if (U_FAILURE(ec)) {
            c = 0xFFFD;
            ucnv_reset(cnv);
            if (src == before)
                src++;
        }
        bool ascii = src - before == 1 && (unsigned char)*before < 0x80;
        if (!ascii && cjk_then_space && c >= 0x3000)
            spaced++;
        if (!ascii)
            cjk_then_space = false;
        else if (c == ' ' && (cjk_then_space || (cur >= 0x3000)))
            cjk_then_space = true;
        else
            cjk_then_space = false;
        /* Score the previous character now that its right neighbour is known. */
        if (cur >= 0) {
            total += char_score(cur, prev, c);
            tally_script(cur, &han, &kana, &hangul);
            (*count)++;
        }
        if (ascii) {
            prev = c;
            cur = -1;
        } else {
            if (cur >= 0)
                prev = cur;
            cur = c;
        }
    }
    if (cur >= 0) {
        total += char_score(cur, prev, ' ');
        tally_script(cur, &han, &kana, &hangul);
        (*count)++;
    }
    ucnv_close(cnv);
    if (!*count)
        return 0.0;
    return total / (double)*count - language_penalty(cand->lang, han, kana, hangul, spaced);
}

/* ICU's own verdict, used for scripts outside our candidates. */
static const char *icu_detect(const char *s, size_t len, int *confidence)
{
    UErrorCode ec = U_ZERO_ERROR;
    UCharsetDetector *det = ucsdet_open(&ec);
    const char *name = NULL;
    *confidence = 0;
    if (U_FAILURE(ec))
        return NULL;
    ucsdet_setText(det, s, (int32_t)len, &ec);
    const UCharsetMatch *m = ucsdet_detect(det, &ec);
    if (U_SUCCESS(ec) && m) {
        name = ucsdet_getName(m, &ec);
        *confidence = ucsdet_getConfidence(m, &ec);
        /* The name points into the detector: map it to a static string,
         * preferring the MIME name ("ISO-8859-5", not "ISO_8859-5:1988"). */
        const char *mime = U_SUCCESS(ec) ? ucnv_getStandardName(name, "MIME", &ec) : NULL;
        name = mime ? mime : U_SUCCESS(ec) ? ucnv_getStandardName(name, "IANA", &ec) : NULL;
        if (U_FAILURE(ec))
            name = NULL;
    }
    ucsdet_close(det);
    return name;
}

static bool is_ascii(const char *s, size_t len)
{
    for (size_t i = 0; i < len; i++)
        if ((unsigned char)s[i] >= 0x80 || s[i] == 0x1B)
            return false;
    return true;
}

/* ISO-2022 text is 7-bit and switches character sets with ESC $ or ESC (. */
static bool has_iso2022_escapes(const char *s, size_t len)
{
    for (size_t i = 0; i + 1 < len; i++)
        if (s[i] == 0x1B && (s[i + 1] == '$' || s[i + 1] == '('))
            return true;
    return false;
}

/* Like lf_utf8_validate, but a sequence cut by the end of the sample counts
 * as valid. */
static bool valid_utf8_sample(const char *s, size_t len, bool truncated)
{
    size_t n = truncated ? lf_utf8_boundary(s, len) : len;
    return lf_utf8_validate(s, n) == n;
}

/* The scripts ICU covers and our scorer does not: trust ICU there when it is
 * fairly sure (50 of 100). */
static bool icu_only_script(const char *name)
{
    static const char *const prefixes[] = {"windows-125", "KOI8", "ISO-8859-", "ISO-2022", "IBM"};
    if (!name || strcmp(name, "windows-1252") == 0 || strcmp(name, "ISO-8859-1") == 0)
        return false;
    for (size_t i = 0; i < sizeof prefixes / sizeof prefixes[0]; i++)
        if (strncmp(name, prefixes[i], strlen(prefixes[i])) == 0)
            return true;
    return false;
}

static bool has_c1_bytes(const char *s, size_t len)
{
    for (size_t i = 0; i < len; i++)
        if ((unsigned char)s[i] >= 0x80 && (unsigned char)s[i] <= 0x9F)
            return true;
    return false;
}

const char *lf_detect(const char *in, size_t len, double *confidence)
{
    const unsigned char *s = (const unsigned char *)in;
    const char *name;
    size_t n = len < SAMPLE_MAX ? len : SAMPLE_MAX;
    *confidence = 1.0;
    if (len == 0) {
        *confidence = 0.0;
        return "UTF-8";
    }
    if (has_bom(s, len, &name))
        return name;
    if ((name = utf16_by_nuls(s, n)) != NULL) {
        *confidence = 0.9;
        return name;
    }
    if (is_ascii(in, n))
        return "UTF-8";
    int icu_conf;
    const char *icu;
    if (has_iso2022_escapes(in, n) && (icu = icu_detect(in, n, &icu_conf)) && strncmp(icu, "ISO-2022", 8) == 0) {
        *confidence = icu_conf / 100.0;
        return icu;
    }
    if (valid_utf8_sample(in, n, n < len)) {
        *confidence = 0.99;
        return "UTF-8";
    }
    icu = icu_detect(in, n, &icu_conf);

    double best = -1e9, second = -1e9;
    size_t best_i = 0, best_count = 0;
    for (size_t i = 0; i < NCANDIDATES; i++) {
        size_t count;
        double sc = score_candidate(&candidates[i], in, n, &count);
        if (sc > best) {
            second = best;
            best = sc;
            best_i = i;
            best_count = count;
        } else if (sc > second) {
            second = sc;
        }
    }
    name = candidates[best_i].name;
    /* Our scorer knows CJK and Western Latin; for the other single-byte
     * scripts ICU's n-gram detector is better. Take its verdict when our
     * winner is weak (below 1.0, short of what real CJK text scores) or is
     * the Latin fallback, and ICU names another single-byte charset with
     * some conviction (30 of 100: the uchardet samples of Cyrillic, Greek,
     * Hebrew, Arabic and Central European score 34-64). */
    if (icu && icu_conf >= 30 && icu_only_script(icu) && (best < 1.0 || strcmp(name, "windows-1252") == 0)) {
        *confidence = icu_conf / 100.0;
        return icu;
    }
    if (strcmp(name, "windows-1252") == 0 && !has_c1_bytes(in, n))
        name = "ISO-8859-1";
    /* The margin over the runner-up, summed over the evidence (characters
     * decoded from non-ASCII bytes), is how much more plausible the winner
     * made the whole sample: confidence tends to 1 as that grows. */
    double lead = (best - second) * (double)best_count;
    *confidence = best < 0 ? 0.2 : 1.0 - 0.5 * exp(-lead / 8.0);
    return name;
}

lf_status lf_detect_encoding(const lf_context *ctx, const void *in, size_t len,
                             const char **name, double *confidence, lf_error *err)
{
    double conf;
    if (!ctx || !name || (!in && len))
        return lf_fail(err, LF_ERR_ARGUMENT, "lf_detect_encoding: NULL argument");
    *name = lf_detect(in ? in : "", len, &conf);
    if (confidence)
        *confidence = conf;
    return LF_OK;
}
