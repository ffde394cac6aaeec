/*
 * libfix.h — turn damaged, mixed-encoding, boilerplate-laden text into clean
 * UTF-8, with a report of every change.
 *
 * This header is the manual. Read it top to bottom once.
 *
 * THE MODEL
 *   bytes --decode--> UTF-8 --repair--> --normalize--> --convert--> --strip--> UTF-8 + report
 *
 *   A pipeline is an ordered list of passes. Only `decode` sees bytes in an
 *   unknown encoding; every other pass takes and returns valid UTF-8. A
 *   pipeline without `decode` requires valid UTF-8 input and fails with
 *   LF_ERR_INVALID_INPUT (naming the byte offset) otherwise.
 *
 *   Every pass appends to one report. A change entry says which pass made it,
 *   what kind of change it was, the byte span it replaced in that pass's
 *   input, the byte span it produced in that pass's output, a confidence in
 *   [0,1] and a short note for a person.
 *
 * OBJECTS AND OWNERSHIP
 *   lf_options  plain struct owned by the caller. Always start from
 *               lf_options_init(); fields may be added in later versions.
 *   lf_context  created once from options by lf_context_new(); holds
 *               everything expensive and read-only (OpenCC handles, tables).
 *               After creation it is never modified, so one context may be
 *               used by any number of threads at once. Free it with
 *               lf_context_free() after every thread is done with it.
 *   lf_result   made by lf_process() or lf_stream_finish(); owned by the
 *               caller, freed with lf_result_free(). Pointers returned by the
 *               lf_result_* accessors stay valid until then.
 *   lf_stream   per-input streaming state; one thread at a time.
 *
 * ERRORS
 *   Every function that can fail returns an lf_status. LF_OK is 0. On failure
 *   the optional lf_error* argument (may be NULL) receives the same code and a
 *   one-line message in English, e.g. "invalid UTF-8 at byte 1234". libfix
 *   never prints, never exits, and never aborts on bad input. Every
 *   allocation is checked; LF_ERR_NOMEM leaves the context usable.
 */
#ifndef LIBFIX_H
#define LIBFIX_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Marks the functions exported from the shared library. */
#if defined(__GNUC__)
#define LF_API __attribute__((visibility("default")))
#else
#define LF_API
#endif

#define LIBFIX_VERSION_MAJOR 0
#define LIBFIX_VERSION_MINOR 1
#define LIBFIX_VERSION_PATCH 0
#define LIBFIX_VERSION_STRING "0.1.0"

/* Returns LIBFIX_VERSION_STRING of the library actually linked. */
LF_API const char *lf_version(void);

/* ------------------------------------------------------------------ errors */

typedef enum lf_status {
    LF_OK = 0,
    LF_ERR_NOMEM = 1,         /* an allocation failed */
    LF_ERR_ARGUMENT = 2,      /* a NULL where an object was required, a bad option value */
    LF_ERR_INVALID_INPUT = 3, /* invalid bytes under the strict policy, or invalid UTF-8 where UTF-8 is required */
    LF_ERR_UNSUPPORTED = 4,   /* unknown encoding name, OpenCC config, or a pass not built */
    LF_ERR_DATA = 5,          /* a data file (e.g. an OpenCC dictionary) is missing or unreadable */
    LF_ERR_LIMIT = 6,         /* an input exceeded a documented limit */
    LF_ERR_INTERNAL = 7       /* an ICU / iconv / OpenCC call failed unexpectedly */
} lf_status;

typedef struct lf_error {
    lf_status code;
    char message[256];
} lf_error;

/* A static English name for a status ("nomem", "invalid-input", ...). */
LF_API const char *lf_status_name(lf_status status);

/* ------------------------------------------------------------------ passes */

typedef enum lf_pass {
    LF_PASS_DECODE = 0,    /* detect the encoding and transcode to UTF-8 */
    LF_PASS_REPAIR = 1,    /* reverse mojibake and spliced annotations */
    LF_PASS_NORMALIZE = 2, /* Unicode form, widths, newlines, invisibles, entities */
    LF_PASS_CONVERT = 3,   /* Simplified <-> Traditional through OpenCC */
    LF_PASS_STRIP = 4,     /* remove page boilerplate, extract metadata */
    LF_PASS_COUNT = 5
} lf_pass;

/* "decode", "repair", ... ; NULL for an out-of-range value. */
LF_API const char *lf_pass_name(lf_pass pass);

/* Parses a comma-separated pass list such as "decode,repair,normalize" into
 * passes[0..*count). At most LF_PASS_COUNT entries; a pass may appear once;
 * `decode`, when present, must come first. Returns LF_ERR_ARGUMENT with a
 * message naming the offending word otherwise. */
LF_API lf_status lf_passes_parse(const char *list, lf_pass passes[LF_PASS_COUNT], size_t *count, lf_error *err);

/* Whether this build of the library implements a pass. A context whose
 * options name a pass that is not built fails with LF_ERR_UNSUPPORTED. */
LF_API int lf_pass_available(lf_pass pass);

/* ----------------------------------------------------------------- options */

/* What to do with bytes that are invalid in the (detected or forced) encoding. */
typedef enum lf_invalid_policy {
    LF_INVALID_REPLACE = 0, /* U+FFFD for each invalid sequence, plus a report entry */
    LF_INVALID_STRICT = 1   /* fail with LF_ERR_INVALID_INPUT naming the byte offset */
} lf_invalid_policy;

typedef enum lf_norm_form {
    LF_NORM_NFC = 0, /* default */
    LF_NORM_NFKC = 1,
    LF_NORM_NONE = 2
} lf_norm_form;

/* Target script for the convert pass, when no explicit OpenCC config is given. */
typedef enum lf_script {
    LF_SCRIPT_KEEP = 0, /* no conversion target */
    LF_SCRIPT_SIMPLIFIED,
    LF_SCRIPT_TRADITIONAL,
    LF_SCRIPT_TAIWAN,
    LF_SCRIPT_HONGKONG
} lf_script;

/* Input format for the strip pass. */
typedef enum lf_format {
    LF_FORMAT_AUTO = 0, /* HTML when the input looks like markup, else text */
    LF_FORMAT_TEXT,
    LF_FORMAT_HTML
} lf_format;

typedef struct lf_options {
    /* The pipeline, in order. Default: decode, repair, normalize (the passes
     * that are safe on any text); convert and strip are opt-in. */
    lf_pass passes[LF_PASS_COUNT];
    size_t pass_count;

    /* decode */
    const char *from_encoding;     /* NULL: detect. Otherwise any ICU converter name or alias, e.g. "GB18030", "Big5" */
    lf_invalid_policy invalid;     /* default LF_INVALID_REPLACE */

    /* repair */
    int repair_dry_run;            /* 1: report repairs, change nothing. Default 0 */
    int keep_annotations;          /* 1: never strip inline pinyin/zhuyin annotations. Default 0 */

    /* normalize: each switch 1 = on */
    lf_norm_form norm_form;        /* default LF_NORM_NFC */
    int fold_width;                /* full-width ASCII letters and digits to half-width. Default 1 */
    int fold_punct_width;          /* also full-width ASCII punctuation (！ ， ；). Default 0: Chinese corpora want it */
    int newlines;                  /* CRLF, CR, NEL, LS, PS to LF. Default 1 */
    int invisibles;                /* drop BOM, zero-width and control characters except tab and LF. Default 1 */
    int entities;                  /* decode HTML named entities and numeric references. Default 1 */

    /* convert */
    const char *opencc_config;     /* an OpenCC config name ("s2t", "s2tw.json") or path; wins over to_script */
    lf_script to_script;           /* default LF_SCRIPT_KEEP */

    /* strip */
    lf_format format;              /* default LF_FORMAT_AUTO */
    int keep_title;                /* keep the title line(s). Default 1 */
    int keep_bylines;              /* keep source/author/date lines. Default 0 */
    int keep_captions;             /* keep photo captions. Default 0 */

    /* report: at most this many change entries are kept per result; further
     * changes are still counted (lf_result_kind_count) but not listed, and
     * lf_result_truncated() says so. 0 means the default, 100000. */
    size_t max_changes;

    /* strip: a site template learned from many pages (see SITE TEMPLATES
     * below), or NULL. Lines of the template are removed as "template" even
     * when the page's own features would keep them. Borrowed: the template
     * must stay alive and unchanged until the context is freed. Default NULL. */
    const struct lf_template *strip_template;
} lf_options;

/* Fills *opt with the defaults documented above. */
LF_API void lf_options_init(lf_options *opt);

/* ----------------------------------------------------------------- context */

typedef struct lf_context lf_context;

/* Creates a context from *opt (copied; strings are copied too, so the caller
 * may free them afterwards). Fails with LF_ERR_UNSUPPORTED for an unknown
 * encoding, OpenCC config or a pass that is not built, LF_ERR_DATA when a data
 * file is missing (the message names the file looked for). */
LF_API lf_status lf_context_new(const lf_options *opt, lf_context **out, lf_error *err);

/* Frees a context. NULL is allowed. No thread may still be using it. */
LF_API void lf_context_free(lf_context *ctx);

/* ----------------------------------------------------------------- results */

typedef struct lf_result lf_result;

/* One change made by a pass. Spans are byte offsets [start, end) into the
 * pass's own input and output. In streaming mode they count from the start of
 * the stream. A result lists its changes pass by pass, in pipeline order, and
 * within a pass by input offset. */
typedef struct lf_change {
    lf_pass pass;
    const char *kind;     /* a stable identifier, e.g. "invalid-bytes", "nfc", "mojibake", "pinyin-annotation" */
    uint64_t in_start, in_end;
    uint64_t out_start, out_end;
    double confidence;    /* 1.0 for deterministic changes */
    const char *note;     /* short English note for a person, e.g. "UTF-8 read as GBK" */
} lf_change;

/* The cleaned UTF-8 text (NUL-terminated; *len, if not NULL, excludes the NUL). */
LF_API const char *lf_result_text(const lf_result *r, size_t *len);

/* The encoding the decode pass used ("UTF-8", "GB18030", "Big5", ...), its
 * confidence in [0,1] (1.0 when forced by from_encoding), and whether it was
 * forced. "UTF-8" with confidence 1 when the pipeline has no decode pass. */
LF_API const char *lf_result_encoding(const lf_result *r);
LF_API double lf_result_encoding_confidence(const lf_result *r);

/* The listed changes: lf_result_change(r, i) for i < lf_result_change_count(r). */
LF_API size_t lf_result_change_count(const lf_result *r);
LF_API const lf_change *lf_result_change(const lf_result *r, size_t i);

/* 1 when more changes were made than options.max_changes allowed listing. */
LF_API int lf_result_truncated(const lf_result *r);

/* How many changes of a given pass and kind were made (listed or not).
 * kind NULL counts every kind of that pass. */
LF_API uint64_t lf_result_kind_count(const lf_result *r, lf_pass pass, const char *kind);

/* Metadata found by the strip pass: key is "title", "date" (ISO 8601),
 * "source", "author" or "url". NULL when not found. */
LF_API const char *lf_result_metadata(const lf_result *r, const char *key);

/* The whole report as a JSON object (UTF-8, NUL-terminated), newly
 * allocated; free it with lf_free(). */
LF_API lf_status lf_result_report_json(const lf_result *r, char **json, size_t *len, lf_error *err);

/* Frees a result. NULL is allowed. */
LF_API void lf_result_free(lf_result *r);

/* Frees memory handed out by libfix (report JSON). NULL is allowed. */
LF_API void lf_free(void *p);

/* --------------------------------------------------------- whole buffers */

/* Runs the context's pipeline over in[0..len). On success *out receives a
 * new result. On failure *out is NULL and err says why; the context is
 * unchanged and stays usable. Safe to call from many threads with one ctx. */
LF_API lf_status lf_process(const lf_context *ctx, const void *in, size_t len, lf_result **out, lf_error *err);

/* --------------------------------------------------------------- streaming */

/* Receives output as it is produced. Return 0 to continue, non-zero to stop
 * the stream (the call that produced the output then fails with
 * LF_ERR_ARGUMENT and the message "output callback stopped the stream"). */
typedef int (*lf_write_fn)(void *user, const char *data, size_t len);

typedef struct lf_stream lf_stream;

/* Starts a stream over ctx; output goes to write(user, ...). The context must
 * outlive the stream. */
LF_API lf_status lf_stream_new(const lf_context *ctx, lf_write_fn write, void *user, lf_stream **out, lf_error *err);

/* Feeds the next len bytes. Input is buffered only up to a safe boundary (a
 * line end, or failing that a character boundary where no repair or phrase
 * can span), so memory stays bounded by the window size, not by the input.
 * The encoding is detected on the first window and then held for the rest of
 * the stream. The output equals lf_process() over the whole input whenever
 * every line is shorter than the window (1 MiB). */
LF_API lf_status lf_stream_write(lf_stream *s, const void *data, size_t len, lf_error *err);

/* Flushes what is buffered and hands over the report (changes with stream
 * offsets) as *out, which the caller frees with lf_result_free(); its text is
 * empty, since the text went to the write callback. out may be NULL. */
LF_API lf_status lf_stream_finish(lf_stream *s, lf_result **out, lf_error *err);

/* Frees a stream, finished or not. NULL is allowed. */
LF_API void lf_stream_free(lf_stream *s);

/* --------------------------------------------------------------- detection */

/* Detects the encoding of in[0..len) without converting it. *name receives a
 * static canonical name ("UTF-8", "UTF-16LE", "GB18030", "Big5", "Shift_JIS",
 * "EUC-JP", "EUC-KR", "ISO-8859-1", "windows-1252", ...) and *confidence a
 * value in [0,1]. Never fails on any input; empty input is "UTF-8" with
 * confidence 0. */
LF_API lf_status lf_detect_encoding(const lf_context *ctx, const void *in, size_t len,
                             const char **name, double *confidence, lf_error *err);

/* ---------------------------------------------------------- site templates */

/* A site template: the lines that repeat across many pages of one site
 * (menus, footers, disclaimers), learned from a batch and given to the strip
 * pass through lf_options.strip_template. Build it with lf_template_new() and
 * lf_template_add_page() for every page of the batch (plain UTF-8 text, one
 * page per call), or load a saved one. A line belongs to the template when it
 * occurs on at least 2 pages and on at least a third of the pages added. The
 * template may be added to until it is handed to a context; from then on it
 * is read-only and may be shared by threads like the context. */
typedef struct lf_template lf_template;

/* A new empty template. */
LF_API lf_status lf_template_new(lf_template **out, lf_error *err);

/* Counts the distinct lines of one page (blanks trimmed, empty lines
 * ignored). LF_ERR_INVALID_INPUT when the page is not valid UTF-8. */
LF_API lf_status lf_template_add_page(lf_template *t, const char *text, size_t len, lf_error *err);

/* The number of pages added and of lines that currently belong to the template. */
LF_API size_t lf_template_page_count(const lf_template *t);
LF_API size_t lf_template_line_count(const lf_template *t);

/* Writes the template lines as a UTF-8 text file: a header line
 * "libfix-template 1 PAGES", then one "COUNT<TAB>LINE" per template line.
 * Written to a temporary file beside path and renamed, so path is either the
 * old or the new file. LF_ERR_DATA when the file cannot be written. */
LF_API lf_status lf_template_save(const lf_template *t, const char *path, lf_error *err);

/* Reads a file written by lf_template_save(). LF_ERR_DATA when it cannot be
 * read or is not a template file (the message names the file and line). */
LF_API lf_status lf_template_load(const char *path, lf_template **out, lf_error *err);

/* Frees a template. NULL is allowed. No context may still refer to it. */
LF_API void lf_template_free(lf_template *t);

#ifdef __cplusplus
}
#endif

#endif /* LIBFIX_H */
