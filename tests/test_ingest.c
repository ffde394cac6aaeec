/* Unit tests for the pieces of fixtext's batch and JSON Lines modes: member
 * names, the resume manifest, one JSONL line, archive reading limits. */
#define _GNU_SOURCE
#include "archive_io.h"
#include "check.h"
#include "jsonl.h"
#include "manifest.h"
#include "member_name.h"

#include <archive.h>
#include <archive_entry.h>
#include <unistd.h>

static lf_context *make_ctx(const char *passes, lf_invalid_policy invalid)
{
    lf_options o;
    lf_options_init(&o);
    lf_passes_parse(passes, o.passes, &o.pass_count, NULL);
    o.invalid = invalid;
    lf_context *ctx = NULL;
    CHECK(lf_context_new(&o, &ctx, NULL) == LF_OK);
    return ctx;
}

static void test_names(void)
{
    lf_context *nctx = make_ctx("decode", LF_INVALID_STRICT);
    static const struct { const char *raw, *path, *refusal; } cases[] = {
        {"a/b.txt", "a/b.txt", NULL},
        {"./a//b/./c.txt", "a/b/c.txt", NULL},
        {"dir/", "dir", NULL},
        {"../x", NULL, "'..' in path"},
        {"a/../../x", NULL, "'..' in path"},
        {"/etc/passwd", NULL, "absolute path"},
        {"", NULL, "empty name"},
        {"./.", NULL, "empty name"},
        {"a\tb", NULL, "control character in name"},
        {"a\x7f", NULL, "control character in name"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        member_name mn;
        const char *why = member_name_make(nctx, cases[i].raw, strlen(cases[i].raw), &mn);
        if (cases[i].refusal) {
            CHECK_STR(why, cases[i].refusal);
        } else {
            CHECK(why == NULL);
            CHECK_STR(mn.path, cases[i].path);
            CHECK(mn.encoding == NULL);
            free(mn.path);
        }
    }
    /* GBK bytes of 北京市新闻报道.txt: decoded, and the encoding reported */
    const char gbk[] = "\xb1\xb1\xbe\xa9\xca\xd0\xd0\xc2\xce\xc5\xb1\xa8\xb5\xc0.txt";
    member_name mn;
    CHECK(member_name_make(nctx, gbk, strlen(gbk), &mn) == NULL);
    CHECK_STR(mn.path, "北京市新闻报道.txt");
    CHECK(mn.encoding && strstr(mn.encoding, "GB"));
    free(mn.path);
    /* a long component is refused, a NUL too */
    char longname[300];
    memset(longname, 'x', sizeof longname - 1);
    longname[sizeof longname - 1] = '\0';
    CHECK_STR(member_name_make(nctx, longname, strlen(longname), &mn), "name component too long");
    CHECK_STR(member_name_make(nctx, "a\0b", 3, &mn), "NUL byte in name");
    /* overlong UTF-8 and surrogates are not UTF-8 */
    CHECK(!member_name_is_utf8("\xc0\xaf", 2));
    CHECK(!member_name_is_utf8("\xed\xa0\x80", 3));
    CHECK(member_name_is_utf8("\xe5\x8c\x97", 3));
    CHECK(member_name_is_reserved("a/.fixtext-manifest"));
    CHECK(member_name_is_reserved("a/.x" BATCH_TMP_MARK "abc"));
    CHECK(!member_name_is_reserved("a/manifest"));
    lf_context_free(nctx);
}

static void test_manifest(void)
{
    char dir[] = "/tmp/test_ingest.XXXXXX";
    CHECK(mkdtemp(dir) != NULL);
    char path[64];
    snprintf(path, sizeof path, "%s/m", dir);
    char msg[256];
    bool resumed;
    manifest *m = manifest_open(path, "settings A", &resumed, msg, sizeof msg);
    CHECK(m && !resumed);
    manifest_entry e1 = {10, 123456789, manifest_hash("abc", 3), 42}, e2 = {7, -1, 1, 2};
    CHECK(manifest_add(m, "dir/a\tb\\c\n.txt", &e1));
    CHECK(manifest_add(m, "b.txt", &e2));
    manifest_close(m);
    /* a torn line, as a kill -9 mid-write could leave */
    FILE *f = fopen(path, "a");
    fputs("99\t1\tdeadbeef", f);
    fclose(f);
    m = manifest_open(path, "settings A", &resumed, msg, sizeof msg);
    CHECK(m && resumed);
    const manifest_entry *g = manifest_find(m, "dir/a\tb\\c\n.txt");
    CHECK(g && g->in_size == 10 && g->in_mtime_ns == 123456789 && g->in_hash == e1.in_hash && g->out_hash == 42);
    g = manifest_find(m, "b.txt");
    CHECK(g && g->in_mtime_ns == -1);
    CHECK(manifest_find(m, "c.txt") == NULL);
    manifest_entry e3 = {1, 1, 1, 1};
    CHECK(manifest_add(m, "c.txt", &e3)); /* appended after the torn line, still readable */
    manifest_close(m);
    m = manifest_open(path, "settings A", &resumed, msg, sizeof msg);
    CHECK(m && manifest_find(m, "c.txt") && manifest_find(m, "b.txt"));
    manifest_close(m);
    /* other settings: the old entries do not count */
    m = manifest_open(path, "settings B", &resumed, msg, sizeof msg);
    CHECK(m && !resumed && manifest_find(m, "b.txt") == NULL);
    manifest_close(m);
    CHECK(manifest_hash("", 0) == MANIFEST_HASH_INIT);
    CHECK(manifest_hash_more(manifest_hash("ab", 2), "c", 1) == manifest_hash("abc", 3));
    unlink(path);
    rmdir(dir);
}

static jsonl_outcome fix(const lf_context *ctx, const jsonl_settings *js, const char *line, char **out)
{
    size_t n;
    char why[256];
    jsonl_outcome oc = jsonl_fix_line(ctx, js, line, strlen(line), out, &n, why, sizeof why);
    CHECK(*out && strlen(*out) == n);
    return oc;
}

static void test_jsonl(void)
{
    lf_context *ctx = make_ctx("decode,normalize", LF_INVALID_REPLACE);
    jsonl_settings js = {true, "text", NULL};
    char *out;
    /* the field is cleaned, the other fields keep their order and values */
    CHECK(fix(ctx, &js, "{\"z\":1,\"text\":\"\xef\xbc\xa1\xef\xbc\xa2&amp;\",\"a\":[true,null],\"id\":9007199254740993}",
              &out) == JSONL_FIXED);
    const char *clean = strstr(out, "\"text\":\"");
    CHECK(strncmp(out, "{\"z\":1,\"text\":", 14) == 0);
    CHECK(clean && strstr(out, "\"a\":[true,null],\"id\":9007199254740993,\"libfix\":{"));
    CHECK(strstr(out, "\"encoding\":\"UTF-8\""));
    /* the cleaned text is what lf_process makes of the same string */
    lf_result *r;
    CHECK(lf_process(ctx, "\xef\xbc\xa1\xef\xbc\xa2&amp;", 11, &r, NULL) == LF_OK);
    char expect[64];
    snprintf(expect, sizeof expect, "\"text\":\"%s\"", lf_result_text(r, NULL));
    lf_result_free(r);
    CHECK(strstr(out, expect) != NULL);
    free(out);
    /* --out-field keeps the original */
    jsonl_settings js2 = {true, "text", "clean"};
    CHECK(fix(ctx, &js2, "{\"text\":\"x\"}", &out) == JSONL_FIXED);
    CHECK(strncmp(out, "{\"text\":\"x\",\"clean\":\"x\",\"libfix\":{", 34) == 0);
    free(out);
    /* malformed lines come back byte for byte */
    static const char *const malformed[] = {"not json", "{\"text\":\"a\"", "[1,2]", "", "{\"a\":1,\"a\":2}",
                                            "{\"text\":\"\xff\"}", "{\"text\":1e999}"};
    for (size_t i = 0; i < sizeof malformed / sizeof malformed[0]; i++) {
        CHECK(fix(ctx, &js, malformed[i], &out) == JSONL_MALFORMED);
        CHECK_STR(out, malformed[i]);
        free(out);
    }
    /* every byte outside the field is kept: spacing, number spellings,
     * integers beyond 64 bits, escapes, an escaped key */
    CHECK(fix(ctx, &js, "{ \"n\" : 123456789012345678901234, \"x\":0.10,\"y\":1E2, \"te\\u0078t\" : \"a\" }  ",
              &out) == JSONL_FIXED);
    CHECK(strncmp(out, "{ \"n\" : 123456789012345678901234, \"x\":0.10,\"y\":1E2, \"te\\u0078t\" : \"a\",\"libfix\":{", 62) == 0);
    CHECK(strlen(out) > 6 && strcmp(out + strlen(out) - 6, "}} }  ") == 0);
    free(out);
    /* an existing libfix member is replaced where it stands */
    CHECK(fix(ctx, &js, "{\"libfix\":[1],\"text\":\"a\"}", &out) == JSONL_FIXED);
    CHECK(strncmp(out, "{\"libfix\":{\"encoding\"", strlen("{\"libfix\":{\"encoding\"")) == 0);
    CHECK(strstr(out, "},\"text\":\"a\"}") != NULL);
    CHECK(strstr(out, "\"encoding_confidence\":1.0,") || strstr(out, "\"encoding_confidence\":1,"));
    free(out);
    /* an object without the field: kept, with libfix.error */
    CHECK(fix(ctx, &js, "{\"body\":\"x\"}", &out) == JSONL_NOT_FIXED);
    CHECK_STR(out, "{\"body\":\"x\",\"libfix\":{\"error\":\"no field 'text'\"}}");
    free(out);
    CHECK(fix(ctx, &js, "{\"text\":3}", &out) == JSONL_NOT_FIXED);
    CHECK(strstr(out, "not a string") != NULL);
    free(out);
    lf_context_free(ctx);
}

/* Builds a zip in memory with one member of n repeated bytes. */
static void *zip_of(size_t n, size_t *len)
{
    struct archive *a = archive_write_new();
    archive_write_set_format_zip(a);
    size_t cap = n / 10 + 65536;
    void *buf = malloc(cap);
    archive_write_open_memory(a, buf, cap, len);
    struct archive_entry *e = archive_entry_new();
    archive_entry_set_pathname(e, "zeros.txt");
    archive_entry_set_filetype(e, AE_IFREG);
    archive_entry_set_perm(e, 0644);
    archive_entry_set_size(e, (la_int64_t)n);
    archive_write_header(a, e);
    char *data = calloc(1, n);
    memset(data, 'a', n);
    archive_write_data(a, data, n);
    free(data);
    archive_entry_free(e);
    archive_write_close(a);
    archive_write_free(a);
    return buf;
}

static void test_archive_limits(void)
{
    size_t len;
    void *zip = zip_of(8u << 20, &len);
    archive_limits lim;
    archive_limits_init(&lim);
    char msg[256];
    archive_member m;
    archive_in *in = archive_in_open(NULL, zip, len, &lim, msg, sizeof msg);
    CHECK(in != NULL);
    CHECK(in && archive_in_next(in, &m, msg, sizeof msg) == -1);
    CHECK(strstr(msg, "--max-ratio") != NULL);
    archive_in_close(in);
    lim.max_ratio = 1e9;
    lim.max_member = 1u << 20;
    in = archive_in_open(NULL, zip, len, &lim, msg, sizeof msg);
    CHECK(in && archive_in_next(in, &m, msg, sizeof msg) == 1);
    CHECK(m.refused && strstr(m.refused, "--max-member-size") && m.data == NULL);
    CHECK(in && archive_in_next(in, &m, msg, sizeof msg) == 0);
    archive_in_close(in);
    lim.max_member = 64u << 20;
    in = archive_in_open(NULL, zip, len, &lim, msg, sizeof msg);
    CHECK(in && archive_in_next(in, &m, msg, sizeof msg) == 1);
    CHECK(m.refused == NULL && m.size == 8u << 20 && m.data && m.data[0] == 'a');
    CHECK(m.raw_len == 9 && memcmp(m.raw_name, "zeros.txt", 9) == 0);
    free(m.data);
    archive_in_close(in);
    free(zip);
    CHECK(archive_in_open(NULL, "garbage", 7, &lim, msg, sizeof msg) == NULL);
    CHECK(archive_path_is_archive("x.tar.zst") && archive_path_is_archive("X.ZIP") && !archive_path_is_archive("tar"));
}

int main(void)
{
    test_names();
    test_manifest();
    test_jsonl();
    test_archive_limits();
    return check_done("test_ingest");
}
