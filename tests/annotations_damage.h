/*
 * annotations_damage.h — the damage generator for the annotation tests: it
 * does to clean text what the content-farm tool behind seed 003 did.
 *
 *  1. encode the clean text (full-width ；？！ kept) in a double-byte
 *     encoding (GBK via ICU "gb18030", or Big5 via "windows-950");
 *  2. for each dictionary entry in order, naively replace every byte match
 *     of the character with the character followed by "(reading)";
 *  3. cut the bytes just before the first byte match of ；？！ at or after
 *     every multiple of `chunk` bytes, and decode each chunk on its own as
 *     a Windows code page decoder does: a lead byte followed by a byte below
 *     0x40 (or 0x7F, 0xFF) becomes one '?' for both bytes, a lead byte at a
 *     chunk's end becomes '?', 0x80 becomes €, undefined two-byte codes the
 *     private-use characters of the converter's table;
 *  4. fold full-width ASCII (U+FF01-FF5E) to half-width.
 */
#ifndef LIBFIX_TEST_ANNOTATIONS_DAMAGE_H
#define LIBFIX_TEST_ANNOTATIONS_DAMAGE_H

#include <stddef.h>
#include <stdint.h>

typedef struct damage_entry {
    uint32_t cp;
    char reading[24]; /* UTF-8, e.g. "bào", "bao4", "ㄅㄠˋ" */
} damage_entry;

typedef struct damage_params {
    const char *encoding; /* ICU converter name */
    const damage_entry *entries;
    size_t nentries;
    char open, close; /* '(' ')' or '[' ']' */
    size_t chunk;     /* 0: one chunk */
} damage_params;

typedef struct damage_stats {
    size_t straddled_inserts; /* annotations inserted inside a character */
    size_t straddled_cuts;    /* chunk cuts inside a character */
    size_t *sites_per_line;   /* malloc'd, one count per line of the clean text */
    size_t *lost_per_line;    /* malloc'd: bytes lost in a '?' (a lead byte alone
                                 at a chunk's end; an ASCII byte other than '('
                                 that a lead byte swallowed) */
    unsigned char *break_lost; /* malloc'd: 1 where the line's own line break
                                  was one of those bytes (it merged with the next) */
    size_t nlines;
} damage_stats;

/* Damages clean[0..len) (valid UTF-8, every character encodable). Returns a
 * malloc'd NUL-terminated string and its length, or NULL on failure; fills
 * *stats, which damage_stats_free releases (also after a failure). */
char *damage_apply(const damage_params *p, const char *clean, size_t len, size_t *out_len, damage_stats *stats);
void damage_stats_free(damage_stats *stats);

/* The same text with ；？！ written full-width, as the tool saw it. */
char *damage_unfold_delimiters(const char *s, size_t len, size_t *out_len);
/* The same text with the ASCII punctuation in set written full-width where
 * it touches a non-ASCII character (Chinese text with full-width
 * punctuation, as the issue describes the page before the damage). */
char *damage_unfold(const char *s, size_t len, const char *set, size_t *out_len);

#endif
