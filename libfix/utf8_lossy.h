/*
 * utf8_lossy.h — reading UTF-8 back from a misread line whose misreading
 * also lost bytes: a byte the wrong code page had no character for became
 * U+FFFD, a no-break space (0xA0, the last byte of "à", "Š", "Р", "ภ")
 * became a plain space. See utf8_lossy.c.
 */
#ifndef LIBFIX_UTF8_LOSSY_H
#define LIBFIX_UTF8_LOSSY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* What a byte of the misread line stands for. */
enum lf_flex_kind {
    LF_FLEX_BYTE,  /* the byte itself */
    LF_FLEX_LOST,  /* a U+FFFD: some byte, unknown */
    LF_FLEX_SPACE, /* a space: 0x20, or 0xA0 where UTF-8 needs a continuation byte */
    LF_FLEX_MARK,  /* a '?': itself, or the lost last byte of a sequence of
                      three or four bytes that kept another ("â€?") */
};

/* The result of lf_utf8_flex_read. */
typedef struct lf_flex_read {
    size_t end;      /* bytes read: a sequence boundary, 0 when none */
    size_t ncp;      /* code points written */
    size_t lost;     /* sequences that lost a byte (each became one U+FFFD) */
    size_t restored; /* spaces read as 0xA0 */
    size_t plain;    /* sequences of two bytes or more read without help */
    size_t long_seqs; /* sequences of three bytes or four that lost a byte or
                         had a space restored, yet kept a continuation byte:
                         the shape alone is evidence ("â€�", "âš ") */
} lf_flex_read;

/* Reads UTF-8 from b[0..n) (kind[i] says what b[i] stands for) as far as it
 * goes, stopping before two ASCII bytes in a row and at the first byte that
 * fits no sequence. Writes the code points to out (room for n). A sequence with a
 * lost byte becomes U+FFFD; "Ã" before a space (C3 and a lost 0xA0) becomes
 * "à" and leaves the space a space unless Portuguese joins the next word to
 * it ("às", "àquele"). Pure function; never fails. */
lf_flex_read lf_utf8_flex_read(const unsigned char *b, const unsigned char *kind, size_t n, uint32_t *out);

/* Whether Portuguese writes the word at b[0..n) joined to "à", so that a
 * space after a misread "à" was its no-break space: "s" alone or before a
 * space ("às vezes", not "à s'éloigner"), "quel...", "quil..." ("àquele",
 * "àquilo"). */
bool lf_utf8_joins_a_grave(const unsigned char *b, size_t n);

#endif /* LIBFIX_UTF8_LOSSY_H */
