/*
 * annotations.c — the annotation part of the repair pass.
 *
 * Some content farms run a tool over GBK bytes that appends "(pinyin)" after
 * every occurrence of chosen characters. Where the tool's byte matches
 * straddled two characters, and where the page was later cut and decoded in
 * chunks, the text around the insertion is broken (人民日?qǐng)?bào).
 * This file decides whether a document carries such annotations (their
 * density and consistency), strips the ones that verify against the
 * character before them, and hands every damaged site to the splice solver
 * (splice.h).
 */
#include "annotations.h"

#include "pinyin.h"
#include "plausibility.h"

#include <stdlib.h>
#include <string.h>
#include <unicode/ucnv.h>

/* A document carries tool annotations when enough of them verify, when the
 * annotated characters repeat (the tool annotates every occurrence, a
 * textbook only the first; a page that shows the tool's splices, "?pinyin)",
 * needs less repetition) and when most occurrences of an annotated
 * character are annotated. */
enum { MIN_VERIFIED = 8 };
static const double MIN_REPEAT = 2.0, MIN_REPEAT_SPLICED = 1.2;
static const double MIN_COVERAGE = 0.8;


/* ------------------------------------------------------------ the codecs */

static lf_status build_codec(lf_annot_codec *c, const char *name, const char *icu_name, lf_error *err)
{
    if (lf_pinyin_char_count >= LF_ANNOT_NO_READINGS)
        return lf_fail(err, LF_ERR_INTERNAL, "more characters with readings than a code table can name");
    UErrorCode status = U_ZERO_ERROR;
    UConverter *cnv = ucnv_open(icu_name, &status);
    if (U_FAILURE(status))
        return lf_fail(err, LF_ERR_INTERNAL, "ICU converter %s: %s", icu_name, u_errorName(status));
    ucnv_setToUCallBack(cnv, UCNV_TO_U_CALLBACK_STOP, NULL, NULL, NULL, &status);
    c->name = name;
    memset(c->pair, 0, sizeof c->pair);
    memset(c->encode, 0, sizeof c->encode);
    memset(c->readings, 0xFF, sizeof c->readings);
    for (unsigned lead = 0x81; lead <= 0xFE; lead++) {
        for (unsigned trail = 0x40; trail <= 0xFE; trail++) {
            char b[2] = {(char)lead, (char)trail};
            UChar u[4];
            status = U_ZERO_ERROR;
            ucnv_reset(cnv);
            int32_t n = ucnv_toUChars(cnv, u, 4, b, 2, &status);
            if (U_FAILURE(status) || n != 1 || u[0] == 0xFFFD || u[0] == 0x1A)
                continue;
            c->pair[lead - 0x81][trail - 0x40] = u[0];
            long i = lf_pinyin_char_index(u[0]);
            c->readings[lead - 0x81][trail - 0x40] = i < 0 ? LF_ANNOT_NO_READINGS : (uint16_t)i;
            if (c->encode[u[0]] == 0)
                c->encode[u[0]] = (uint16_t)(lead << 8 | trail);
        }
    }
    ucnv_close(cnv);
    return LF_OK;
}

lf_status lf_annotations_prepare(lf_context *ctx, lf_error *err)
{
    if (ctx->annotations)
        return LF_OK;
    struct lf_annotations_data *d = malloc(sizeof *d);
    if (!d)
        return lf_nomem(err);
    /* GB18030's two-byte table is GBK with the user-defined and undefined
     * codes given private-use characters, which is how Windows-936 decoders
     * show them; Big5 as Windows-950. */
    lf_status st = build_codec(&d->codecs[0], "GBK", "gb18030", err);
    if (st == LF_OK)
        st = build_codec(&d->codecs[1], "Big5", "windows-950", err);
    if (st != LF_OK) {
        free(d);
        return st;
    }
    UErrorCode status = U_ZERO_ERROR;
    d->words = ubrk_open(UBRK_WORD, "zh", NULL, 0, &status);
    if (U_FAILURE(status)) {
        d->words = NULL;
        if (status == U_MEMORY_ALLOCATION_ERROR) {
            free(d);
            return lf_nomem(err);
        }
    }
    ctx->annotations = d;
    return LF_OK;
}

static void data_free(struct lf_annotations_data *d)
{
    if (d && d->words)
        ubrk_close(d->words);
    free(d);
}

void lf_annotations_release(lf_context *ctx)
{
    data_free(ctx->annotations);
    ctx->annotations = NULL;
}

/* ------------------------------------------------------------ parsing */

/* The readings parsed so far in one call, direct-mapped by a hash of the
 * text: a page repeats a few hundred syllables a thousand times, and each
 * tone mark costs an ICU decomposition. len 0 marks an empty slot. */
enum { CACHE_SLOTS = 512, PROBES = 4 };

typedef struct syllable_cache {
    struct {
        uint8_t len;
        char body[LF_ANNOT_MAX_BODY];
        int16_t syllable;
    } slot[CACHE_SLOTS];
} syllable_cache;

/* Whether a[0..n) and b[0..n) are the same: a body is a few bytes, fewer
 * than a call of memcmp costs. */
static bool same_bytes(const char *a, const char *b, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (a[i] != b[i])
            return false;
    return true;
}

/* The syllable of s[0..n), whose FNV-1a hash is h. */
static int parse_syllable(syllable_cache *cache, const char *s, size_t n, uint32_t h)
{
    if (!cache)
        return lf_pinyin_parse(s, n);
    h = h ^ (h >> 15);
    /* Up to PROBES slots from the hashed one; a miss takes the first empty
     * one, or the hashed one when all are taken. */
    size_t free_slot = h & (CACHE_SLOTS - 1);
    for (size_t p = 0; p < PROBES; p++) {
        size_t k = (h + p) & (CACHE_SLOTS - 1);
        if (cache->slot[k].len == n && same_bytes(cache->slot[k].body, s, n))
            return cache->slot[k].syllable;
        if (cache->slot[k].len == 0) {
            free_slot = k;
            break;
        }
    }
    int syl = lf_pinyin_parse(s, n);
    cache->slot[free_slot].len = (uint8_t)n;
    memcpy(cache->slot[free_slot].body, s, n);
    cache->slot[free_slot].syllable = (int16_t)syl;
    return syl;
}

static size_t parse_body(const char *s, size_t len, size_t i, char close1, char close2, int *syllable,
                         syllable_cache *cache)
{
    size_t j = i;
    uint32_t h = 2166136261u; /* FNV-1a, for the cache */
    while (j < len && j - i <= LF_ANNOT_MAX_BODY && s[j] != close1 && s[j] != close2) {
        unsigned char c = (unsigned char)s[j];
        if (c < 0x80 && !(c >= 'a' && c <= 'z') && !(c >= '1' && c <= '5'))
            return 0;
        h = (h ^ c) * 16777619u;
        j++;
    }
    if (j >= len || j == i || j - i > LF_ANNOT_MAX_BODY)
        return 0;
    *syllable = parse_syllable(cache, s + i, j - i, h);
    return *syllable < 0 ? 0 : j + 1;
}

static size_t parse_cached(const char *s, size_t len, size_t i, int *syllable, syllable_cache *cache)
{
    if (i >= len)
        return 0;
    if (s[i] == '(')
        return parse_body(s, len, i + 1, ')', ')', syllable, cache);
    if (s[i] == '[')
        return parse_body(s, len, i + 1, ']', ']', syllable, cache);
    return 0;
}

size_t lf_annot_parse(const char *s, size_t len, size_t i, int *syllable)
{
    return parse_cached(s, len, i, syllable, NULL);
}

size_t lf_annot_parse_tail(const char *s, size_t len, size_t i, int *syllable)
{
    return parse_body(s, len, i, ')', ']', syllable, NULL);
}

size_t lf_annot_char_before(const char *s, size_t i)
{
    size_t k = i;
    while (k > 0 && i - k < 4) {
        k--;
        if (((unsigned char)s[k] & 0xC0) != 0x80)
            break;
    }
    return k;
}

/* ------------------------------------------------------------ the page */

/* A verified annotation: s[cstart..open) is the character cp, s[open..end)
 * the bracketed reading. */
typedef struct annot {
    size_t cstart, open, end;
    uint32_t cp;
    int syllable;
} annot;

typedef struct annot_list {
    annot *v;
    size_t n, cap;
    size_t spliced; /* "?pinyin)": annotations whose '(' a lead byte swallowed */
} annot_list;

static bool annot_push(annot_list *l, annot a)
{
    if (l->n == l->cap) {
        size_t cap = l->cap ? l->cap * 2 : 256;
        annot *p = realloc(l->v, cap * sizeof *p);
        if (!p)
            return false;
        l->v = p;
        l->cap = cap;
    }
    l->v[l->n++] = a;
    return true;
}

static size_t hash_cp(uint32_t cp, size_t cap)
{
    return (cp * 2654435761u) & (cap - 1);
}

static size_t hash_pair(uint64_t key, size_t cap)
{
    return (size_t)((key * 0x9E3779B97F4A7C15ull) >> 40) & (cap - 1);
}

int lf_annot_page_reading(const lf_annot_page *page, uint32_t cp)
{
    if (!page->dict_cap || cp == 0)
        return -1;
    for (size_t h = hash_cp(cp, page->dict_cap);; h = (h + 1) & (page->dict_cap - 1)) {
        if (page->dict_cp[h] == cp)
            return page->dict_syllable[h];
        if (page->dict_cp[h] == 0)
            return -1;
    }
}

/* Characters below this are counted in page->unigram. */
enum { UNIGRAMS = 0x10000 };

/* A slot of the page evidence table: key and count in one word. */
enum { KEY_BITS = 42 };
static const uint64_t KEY_MASK = (1ull << KEY_BITS) - 1, COUNT_MAX = (1ull << (64 - KEY_BITS)) - 1;

static uint64_t bigram_key(uint32_t a, uint32_t b)
{
    return (uint64_t)a << 21 | b;
}

uint32_t lf_annot_page_bigram(const lf_annot_page *page, uint32_t a, uint32_t b)
{
    if (a == 0 && b < UNIGRAMS)
        return page->unigram ? page->unigram[b] : 0;
    if (!page->bigram_cap)
        return 0;
    uint64_t key = bigram_key(a, b);
    for (size_t h = hash_pair(key, page->bigram_cap);; h = (h + 1) & (page->bigram_cap - 1)) {
        if ((page->bigram[h] & KEY_MASK) == key)
            return (uint32_t)(page->bigram[h] >> KEY_BITS);
        if (page->bigram[h] == 0)
            return 0;
    }
}

static void page_free(lf_annot_page *page)
{
    free(page->dict_cp);
    free(page->dict_syllable);
    free(page->bigram);
    free(page->unigram);
}

static size_t pow2_above(size_t n)
{
    size_t cap = 64;
    while (cap < 2 * n)
        cap *= 2;
    return cap;
}

/* Enters every verified annotation's character into the page dictionary.
 * A character annotated with two different readings keeps the first. */
static bool build_dictionary(lf_annot_page *page, const annot_list *al)
{
    page->dict_cap = pow2_above(al->n);
    page->dict_cp = calloc(page->dict_cap, sizeof *page->dict_cp);
    page->dict_syllable = calloc(page->dict_cap, sizeof *page->dict_syllable);
    if (!page->dict_cp || !page->dict_syllable)
        return false;
    for (size_t i = 0; i < al->n; i++) {
        uint32_t cp = al->v[i].cp;
        int syl = al->v[i].syllable;
        size_t h = hash_cp(cp, page->dict_cap);
        while (page->dict_cp[h] != 0 && page->dict_cp[h] != cp)
            h = (h + 1) & (page->dict_cap - 1);
        if (page->dict_cp[h] == 0) {
            page->dict_cp[h] = cp;
            page->dict_syllable[h] = (int16_t)syl;
        }
    }
    return true;
}

/* lf_pinyin_reads answers by a binary search among the characters of a
 * block; a page annotates the same hundred characters over and over, so
 * the answers are kept per (character, syllable). */
typedef struct reads_cache {
    uint32_t cp[CACHE_SLOTS];
    int16_t syllable[CACHE_SLOTS];
    bool reads[CACHE_SLOTS];
} reads_cache;

static bool reads_cached(reads_cache *c, uint32_t cp, int syllable)
{
    uint32_t h = (cp * 2654435761u ^ (uint32_t)syllable * 40503u) >> 7 & (CACHE_SLOTS - 1);
    if (c->cp[h] != cp || c->syllable[h] != syllable) {
        c->cp[h] = cp;
        c->syllable[h] = (int16_t)syllable;
        c->reads[h] = lf_pinyin_reads(cp, syllable);
    }
    return c->reads[h];
}

/* The bytes find_annotations stops at: an open bracket, or the '?' of a
 * spliced annotation. */
static const char opens[3] = {'(', '[', '?'};

/* The position of the first byte of opens[] in s[i..len), len when none.
 * next[j] remembers where opens[j] was found last (len when nowhere after):
 * memchr passes the bytes between far faster than a test of each, and each
 * byte of the page is passed once per kind. */
static size_t next_open(const char *s, size_t len, size_t i, size_t next[3])
{
    if (i >= len)
        return len;
    size_t first = len;
    for (int j = 0; j < 3; j++) {
        if (next[j] < i) {
            const char *p = memchr(s + i, opens[j], len - i);
            next[j] = p ? (size_t)(p - s) : len;
        }
        first = next[j] < first ? next[j] : first;
    }
    return first;
}

/* Finds the annotations that verify: a bracketed syllable that is a reading
 * of the character just before it. */
static bool find_annotations(const char *s, size_t len, annot_list *al)
{
    syllable_cache cache;
    for (size_t h = 0; h < CACHE_SLOTS; h++)
        cache.slot[h].len = 0;
    /* Zeroed, an empty slot holds (U+0000, syllable 0): a true answer, no
     * character reads as syllable 0 of U+0000. */
    reads_cache reads;
    memset(&reads, 0, sizeof reads);
    size_t next[3] = {0, 0, 0};
    for (size_t i = 1; (i = next_open(s, len, i, next)) < len; i++) {
        int syl;
        if (s[i] == '?' && lf_annot_parse_tail(s, len, i + 1, &syl))
            al->spliced++;
        if (s[i] != '(' && s[i] != '[')
            continue;
        size_t end = parse_cached(s, len, i, &syl, &cache);
        if (!end)
            continue;
        size_t cs = lf_annot_char_before(s, i);
        uint32_t cp;
        lf_utf8_next(s, i, cs, &cp); /* U+FFFD, which reads nothing, where not UTF-8 */
        if (!reads_cached(&reads, cp, syl))
            continue;
        if (!annot_push(al, (annot){cs, i, end, cp, syl}))
            return false;
        i = end - 1;
    }
    return true;
}


/* Enters a slot (key and count) into a table that does not hold its key. */
static void bigram_put(uint64_t *table, size_t cap, uint64_t slot)
{
    size_t h = hash_pair(slot & KEY_MASK, cap);
    while (table[h] != 0)
        h = (h + 1) & (cap - 1);
    table[h] = slot;
}

/* Doubles the table, or makes it at least `cap` slots. It is filled to
 * three quarters: nearly every addition finds its key, within the cache
 * line where the probe starts, and a smaller table misses the cache less
 * (bigram_add's probes took a tenth of the time at a load of one quarter). */
static bool bigram_grow(lf_annot_page *page, size_t cap)
{
    if (cap < 2 * page->bigram_cap)
        cap = page->bigram_cap ? page->bigram_cap * 2 : 1024;
    uint64_t *table = calloc(cap, sizeof *table);
    if (!table)
        return false;
    for (size_t i = 0; i < page->bigram_cap; i++)
        if (page->bigram[i])
            bigram_put(table, cap, page->bigram[i]);
    free(page->bigram);
    page->bigram = table;
    page->bigram_cap = cap;
    return true;
}

static inline bool bigram_add(lf_annot_page *page, uint32_t a, uint32_t b)
{
    if (4 * (page->bigram_keys + 1) > 3 * page->bigram_cap && !bigram_grow(page, 0))
        return false;
    uint64_t key = bigram_key(a, b);
    size_t h = hash_pair(key, page->bigram_cap);
    while (page->bigram[h] != 0 && (page->bigram[h] & KEY_MASK) != key)
        h = (h + 1) & (page->bigram_cap - 1);
    if (page->bigram[h] == 0) {
        page->bigram[h] = key;
        page->bigram_keys++;
    }
    if (page->bigram[h] >> KEY_BITS < COUNT_MAX)
        page->bigram[h] += 1ull << KEY_BITS;
    return true;
}

/* Sets up the evidence tables. Sized for about one distinct pair every 8
 * bytes (seed 003: 3,274 in 24.9 KB) and grown if a page has more: sized
 * for the worst case, every pair new, the table was too large to stay in
 * cache. */
static bool evidence_init(lf_annot_page *page)
{
    size_t cap = 1024;
    while (3 * cap < 4 * (page->len / 8))
        cap *= 2;
    page->unigram = calloc(UNIGRAMS, sizeof *page->unigram);
    return page->unigram && bigram_grow(page, cap);
}

/* Records how often each character and each pair of adjacent non-ASCII
 * characters (Han, and punctuation such as 。”) occurs, reading through the
 * verified annotations (規(guī)模 counts as 規模), and how often a non-ASCII
 * character is followed by an ASCII byte below 0x40 (。 and a line break),
 * the bytes a displaced lead byte swallows: this for character cp after
 * prev. False when out of memory. */
static inline bool evidence_add(lf_annot_page *page, uint32_t prev, uint32_t cp)
{
    if (cp >= 0x80 && cp < UNIGRAMS)
        page->unigram[cp] += page->unigram[cp] < UINT8_MAX;
    else if (cp >= 0x80 && !bigram_add(page, 0, cp))
        return false;
    return !(prev >= 0x80 && (cp >= 0x80 || cp < 0x40)) || bigram_add(page, prev, cp);
}

/* A walk over the page's characters that steps over the verified
 * annotations (nothing in them is page text). */
typedef struct page_walk {
    size_t i, next_annot;
} page_walk;

/* The walk's next character in *cp; false at the end of the page. */
static inline bool walk_next(const lf_annot_page *page, const annot_list *al, page_walk *w, uint32_t *cp)
{
    while (w->next_annot < al->n && al->v[w->next_annot].open == w->i)
        w->i = al->v[w->next_annot++].end;
    if (w->i >= page->len)
        return false;
    w->i += lf_utf8_next(page->text, page->len, w->i, cp);
    return true;
}

/* Builds the evidence tables, needed once a damaged site has to be judged. */
static bool build_evidence(lf_annot_page *page, const annot_list *al)
{
    if (!evidence_init(page))
        return false;
    uint32_t prev = 0, cp;
    page_walk w = {0, 0};
    while (walk_next(page, al, &w, &cp)) {
        if (!evidence_add(page, prev, cp))
            return false;
        prev = cp;
    }
    page->evidence = true;
    return true;
}

/* Whether the page carries tool annotations: counts how many
 * occurrences of dictionary characters carry their annotation, and which
 * script the page is in. The walk stops once the occurrences outnumber
 * what the annotations can cover: the count only grows, the answer is no,
 * and the script matters only to an annotated page. The evidence tables
 * are process's to build, at the first damaged site: most pages with a
 * "?pinyin)" shape (clean text with pinyin in it) have none. */
static bool looks_annotated(lf_annot_page *page, const annot_list *al)
{
    if (al->n < MIN_VERIFIED)
        return false;
    size_t distinct = 0;
    for (size_t h = 0; h < page->dict_cap; h++)
        distinct += page->dict_cp[h] != 0;
    double repeat = (double)al->n / (double)(distinct ? distinct : 1);
    if (repeat < (al->spliced ? MIN_REPEAT_SPLICED : MIN_REPEAT))
        return false;
    size_t occurrences = 0, trad = 0, simp = 0;
    uint32_t cp;
    page_walk w = {0, 0};
    while (walk_next(page, al, &w, &cp)) {
        if (cp < 0x3400)
            continue;
        occurrences += lf_annot_page_reading(page, cp) >= 0;
        if ((double)al->n < MIN_COVERAGE * (double)occurrences)
            return false;
        unsigned cls = lf_cjk_class(cp);
        trad += (cls & (LF_CJK_TC1 | LF_CJK_TC2)) && !(cls & (LF_CJK_SC1 | LF_CJK_SC2));
        simp += (cls & (LF_CJK_SC1 | LF_CJK_SC2)) && !(cls & (LF_CJK_TC1 | LF_CJK_TC2));
    }
    page->traditional = trad > simp;
    return true;
}

/* ------------------------------------------------------------ the pass */

typedef struct emitter {
    const lf_context *ctx;
    const char *in;
    lf_buf *out;
    lf_report *rep;
    size_t copied; /* in[0..copied) has been handled */
} emitter;

static bool copy_to(emitter *e, size_t upto)
{
    bool ok = true;
    if (upto > e->copied)
        ok = lf_buf_append(e->out, e->in + e->copied, upto - e->copied);
    e->copied = upto > e->copied ? upto : e->copied;
    return ok;
}

/* The note of a stripped annotation, "網(wǎng) -> 網", built by hand: the
 * pass strips a thousand of them on a page and formatting each through
 * printf's machinery would cost more than the stripping. Returns its
 * length. */
enum { NOTE_MAX = 2 * 4 + LF_ANNOT_MAX_BODY + 2 + sizeof " -> " };

static size_t strip_note(const char *in, const annot *a, char note[NOTE_MAX])
{
    size_t alen = a->end - a->cstart, clen = a->open - a->cstart;
    memcpy(note, in + a->cstart, alen);
    memcpy(note + alen, " -> ", 4);
    memcpy(note + alen + 4, in + a->cstart, clen);
    return alen + 4 + clen;
}

static bool strip_one(emitter *e, const annot *a)
{
    if (!copy_to(e, a->open))
        return false;
    size_t out_start = e->out->len - (a->open - a->cstart);
    if (e->ctx->opt.repair_dry_run) {
        if (!copy_to(e, a->end))
            return false;
    } else {
        e->copied = a->end;
    }
    char note[NOTE_MAX];
    size_t note_len = strip_note(e->in, a, note);
    return lf_report_add_text(e->rep, LF_PASS_REPAIR, "pinyin-annotation", a->cstart, a->end, out_start,
                              e->out->len, 0.98, note, note_len);
}

static bool emit_site(emitter *e, size_t start, size_t end, const lf_splice_result *r)
{
    if (!copy_to(e, start))
        return false;
    size_t out_start = e->out->len;
    const char *span = e->in + start;
    int span_len = (int)(end - start);
    if (r->verdict == LF_SPLICE_REPAIRED && !e->ctx->opt.repair_dry_run) {
        if (!lf_buf_append(e->out, r->text.data, r->text.len))
            return false;
        e->copied = end;
    } else if (!copy_to(e, end)) {
        return false;
    }
    if (r->verdict == LF_SPLICE_REPAIRED)
        return lf_report_add(e->rep, LF_PASS_REPAIR, "annotation-splice", start, end, out_start, e->out->len,
                             r->confidence, "%.*s -> %.*s (%s)%s%s", span_len, span, (int)r->text.len,
                             r->text.data, r->codec, r->note.len ? "; " : "", r->note.len ? r->note.data : "");
    return lf_report_add(e->rep, LF_PASS_REPAIR, "annotation-ambiguous", start, end, out_start, e->out->len,
                         r->confidence, "%.*s left as is; %s", span_len, span,
                         r->note.len ? r->note.data : "no reconstruction fits");
}

/* Strips the verified annotations and rebuilds the damaged sites, in text
 * order. A site left as is keeps its annotations with it. */
static lf_status process(const lf_context *ctx, const struct lf_annotations_data *data, lf_annot_page *page,
                         const annot_list *al, lf_buf *out, lf_report *rep, lf_error *err)
{
    emitter e = {ctx, page->text, out, rep, 0};
    bool strip = !ctx->opt.keep_annotations;
    size_t ai = 0, from = 0, len = page->len;
    lf_splice_result r;
    memset(&r, 0, sizeof r);
    lf_splice_work *work = NULL;
    for (;;) {
        size_t ws = len, we = len;
        bool site = lf_splice_next(page->text, len, from, &ws, &we);
        for (; ai < al->n && al->v[ai].end <= ws; ai++)
            if (strip && al->v[ai].cstart >= e.copied && !strip_one(&e, &al->v[ai]))
                goto nomem;
        if (!site)
            break;
        if (!page->evidence && !build_evidence(page, al))
            goto nomem;
        if (!work && !(work = lf_splice_work_new()))
            goto nomem;
        lf_buf_clear(&r.text);
        lf_buf_clear(&r.note);
        if (lf_splice_solve(data, page, work, page->text, ws, we, !strip, &r, err) != LF_OK)
            goto nomem;
        we = r.end;
        if (r.verdict != LF_SPLICE_NONE) {
            if (!emit_site(&e, ws, we, &r))
                goto nomem;
            while (ai < al->n && al->v[ai].open < we)
                ai++;
        }
        from = we;
    }
    lf_splice_work_free(work);
    lf_buf_free(&r.text);
    lf_buf_free(&r.note);
    return copy_to(&e, len) ? LF_OK : lf_nomem(err);
nomem:
    lf_splice_work_free(work);
    lf_buf_free(&r.text);
    lf_buf_free(&r.note);
    return lf_nomem(err);
}

lf_status lf_annotations_run(const lf_context *ctx, const char *in, size_t len, lf_buf *out, lf_report *rep,
                             lf_error *err)
{
    struct lf_annotations_data *own = NULL;
    const struct lf_annotations_data *data = ctx->annotations;
    lf_annot_page page = {.text = in, .len = len};
    annot_list al = {0};
    lf_status st = LF_OK;
    if (!find_annotations(in, len, &al) || !build_dictionary(&page, &al)) {
        st = lf_nomem(err);
    } else if (!looks_annotated(&page, &al)) {
        if (!lf_buf_append(out, in, len))
            st = lf_nomem(err);
    } else {
        if (!data) {
            /* Not prepared through the context: build the tables for this call. */
            lf_context tmp = *ctx;
            tmp.annotations = NULL;
            st = lf_annotations_prepare(&tmp, err);
            data = own = tmp.annotations;
        }
        if (st == LF_OK)
            st = process(ctx, data, &page, &al, out, rep, err);
    }
    data_free(own);
    free(al.v);
    page_free(&page);
    return st;
}
