/* test_core.c — buffers, UTF-8 helpers, the report, options and pass lists. */
#include "check.h"
#include "internal.h"
#include "plausibility.h"

static void test_buffer(void)
{
    lf_buf b;
    lf_buf_init(&b);
    CHECK(lf_buf_append(&b, "ab", 2));
    CHECK(lf_buf_append_cp(&b, 0x4E2D)); /* 中 */
    CHECK(lf_buf_append_cp(&b, 0x1F600));
    CHECK(lf_buf_printf(&b, "%d", 42));
    CHECK_STR(b.data, "ab\xe4\xb8\xad\xf0\x9f\x98\x80" "42");
    size_t len;
    char *p = lf_buf_detach(&b, &len);
    CHECK(len == 11);
    CHECK(b.data == NULL && b.len == 0);
    free(p);
}

static void test_utf8(void)
{
    uint32_t cp;
    CHECK(lf_utf8_decode("\xe4\xb8\xad", 3, &cp) == 3 && cp == 0x4E2D);
    CHECK(lf_utf8_decode("\xc0\xaf", 2, &cp) == 0 && cp == 0xFFFD);     /* overlong */
    CHECK(lf_utf8_decode("\xed\xa0\x80", 3, &cp) == 0);                 /* surrogate */
    CHECK(lf_utf8_decode("\xf4\x90\x80\x80", 4, &cp) == 0);             /* > U+10FFFF */
    CHECK(lf_utf8_decode("\xe4\xb8", 2, &cp) == 0);                     /* truncated */
    CHECK(lf_utf8_validate("abc\xe4\xb8\xad", 6) == 6);
    CHECK(lf_utf8_validate("abcdefghijk\xff", 12) == 11);
    CHECK(lf_utf8_boundary("a\xe4\xb8", 3) == 1);
    CHECK(lf_utf8_boundary("a\xe4\xb8\xad", 4) == 4);
    CHECK(lf_utf8_boundary("a\xf0\x9f\x98", 4) == 1);
    CHECK(lf_utf8_boundary("ab", 2) == 2);
}

static void test_report(void)
{
    lf_report r;
    lf_report_init(&r, 2);
    r.base_in[LF_PASS_NORMALIZE] = 100;
    CHECK(lf_report_add(&r, LF_PASS_NORMALIZE, "nfc", 1, 3, 1, 2, 1.0, "note %d", 1));
    CHECK(lf_report_add(&r, LF_PASS_NORMALIZE, "nfc", 5, 6, 4, 5, 1.0, NULL));
    CHECK(lf_report_add(&r, LF_PASS_NORMALIZE, "width", 7, 8, 6, 7, 1.0, "x"));
    CHECK(r.nchanges == 2);
    CHECK(r.truncated);
    CHECK(r.changes[0].in_start == 101 && r.changes[0].in_end == 103);
    CHECK_STR(r.changes[0].note, "note 1");
    CHECK(r.ncounts == 2 && r.counts[0].count == 2 && r.counts[1].count == 1);
    CHECK(lf_report_set_meta(&r, "title", "abc", 2));
    CHECK_STR(r.meta[0], "ab");
    lf_report_free(&r);

    /* A note given as text is copied, and counted like any change. */
    lf_report_init(&r, 1);
    CHECK(lf_report_add_text(&r, LF_PASS_REPAIR, "pinyin-annotation", 0, 9, 0, 3, 0.98, "字(zì) -> 字 and more", 15));
    CHECK(lf_report_add_text(&r, LF_PASS_REPAIR, "pinyin-annotation", 9, 18, 3, 6, 0.98, "x", 1));
    CHECK(r.nchanges == 1 && r.truncated);
    CHECK_STR(r.changes[0].note, "字(zì) -> 字");
    CHECK(r.ncounts == 1 && r.counts[0].count == 2);
    lf_report_free(&r);
}

static void test_passes(void)
{
    lf_pass p[LF_PASS_COUNT];
    size_t n = 0;
    lf_error err;
    CHECK(lf_passes_parse("decode,repair,normalize", p, &n, &err) == LF_OK);
    CHECK(n == 3 && p[0] == LF_PASS_DECODE && p[2] == LF_PASS_NORMALIZE);
    CHECK(lf_passes_parse("normalize,decode", p, &n, &err) == LF_ERR_ARGUMENT);
    CHECK(strstr(err.message, "decode") != NULL);
    CHECK(lf_passes_parse("decode,bogus", p, &n, &err) == LF_ERR_ARGUMENT);
    CHECK(strstr(err.message, "bogus") != NULL);
    CHECK(lf_passes_parse("strip,strip", p, &n, &err) == LF_ERR_ARGUMENT);
    CHECK(lf_passes_parse("", p, &n, &err) == LF_ERR_ARGUMENT);
    CHECK_STR(lf_status_name(LF_ERR_INVALID_INPUT), "invalid-input");
}

static void test_cjk_classes(void)
{
    CHECK(lf_cjk_class(0x554A) & LF_CJK_SC1); /* 啊: first GB 2312 level-1 character */
    CHECK(lf_cjk_class(0x4E00) & LF_CJK_TC1); /* 一: first Big5 level-1 character */
    CHECK(lf_cjk_class(0xAC00) & LF_CJK_KO1); /* 가 */
    CHECK(lf_cjk_class(0x4E9C) & LF_CJK_JP1); /* 亜: first JIS level-1 kanji */
    CHECK(!(lf_cjk_class(0x9F98) & LF_CJK_SC1));
    CHECK(lf_cjk_class(0x41) == 0);
}

int main(void)
{
    test_buffer();
    test_utf8();
    test_report();
    test_passes();
    test_cjk_classes();
    return check_done("test_core");
}
