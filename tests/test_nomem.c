/*
 * test_nomem.c — allocation-failure injection.
 *
 * This test is linked with -Wl,--wrap=malloc,calloc,realloc,strdup,free, so
 * every allocation libfix makes goes through the wrappers below. For each
 * N = 1, 2, ... the N-th allocation of one library call fails, until a run
 * makes fewer than N allocations. Each failing call must return
 * LF_ERR_NOMEM, hand out nothing, free everything it allocated (counted
 * here, and checked again by LeakSanitizer in the sanitizer build), and
 * leave the context usable: the next call without failures must give the
 * reference output.
 *
 * Covered: lf_context_new, lf_process, lf_result_report_json and a whole
 * stream (new, writes, finish), over a pipeline of decode plus every built
 * pass. Allocations inside ICU, OpenCC and libxml2 are not wrapped (they are
 * shared libraries); libfix's handling of their failures is by status code.
 */
#include "check.h"
#include "libfix.h"

#include <stdint.h>

void *__real_malloc(size_t n);
void *__real_calloc(size_t n, size_t size);
void *__real_realloc(void *p, size_t n);
char *__real_strdup(const char *s);
void __real_free(void *p);

static bool armed;         /* count (and maybe fail) allocations */
static uint64_t calls;     /* allocations seen since arming */
static uint64_t fail_at;   /* the allocation to fail; 0: none */
static bool failed;        /* whether it happened */
static int64_t live;       /* allocations minus frees since arming */

#define MAX_SITES 4096
static void *sites[MAX_SITES]; /* distinct call sites in libfix that allocate */
static size_t nsites;

static void note_site(void *ret)
{
    for (size_t i = 0; i < nsites; i++)
        if (sites[i] == ret)
            return;
    if (nsites < MAX_SITES)
        sites[nsites++] = ret;
}

static bool fail_now(void *ret)
{
    if (!armed)
        return false;
    note_site(ret);
    if (++calls == fail_at) {
        failed = true;
        return true;
    }
    return false;
}

void *__wrap_malloc(size_t n)
{
    if (fail_now(__builtin_return_address(0)))
        return NULL;
    void *p = __real_malloc(n);
    if (p && armed)
        live++;
    return p;
}

void *__wrap_calloc(size_t n, size_t size)
{
    if (fail_now(__builtin_return_address(0)))
        return NULL;
    void *p = __real_calloc(n, size);
    if (p && armed)
        live++;
    return p;
}

void *__wrap_realloc(void *old, size_t n)
{
    if (fail_now(__builtin_return_address(0)))
        return NULL;
    void *p = __real_realloc(old, n);
    if (p && !old && armed)
        live++;
    return p;
}

char *__wrap_strdup(const char *s)
{
    if (fail_now(__builtin_return_address(0)))
        return NULL;
    char *p = __real_strdup(s);
    if (p && armed)
        live++;
    return p;
}

void __wrap_free(void *p)
{
    if (p && armed)
        live--;
    __real_free(p);
}

static void arm(uint64_t n)
{
    calls = 0;
    fail_at = n;
    failed = false;
    live = 0;
    armed = true;
}

static void disarm(void)
{
    armed = false;
}

/* decode plus every built pass; or, when `all` is false, decode and
 * normalize only (for the stream, whose own logic is what is tested there:
 * the passes' failure points are covered by the whole-buffer test, and
 * every pass over 64 copies of a seed would be some 10^5 points of 10^-1 s). */
static lf_options pipeline_options(bool all)
{
    lf_options opt;
    lf_options_init(&opt);
    opt.pass_count = 0;
    opt.passes[opt.pass_count++] = LF_PASS_DECODE;
    for (int p = LF_PASS_REPAIR; p < LF_PASS_COUNT; p++)
        if (lf_pass_available((lf_pass)p) && (all || p == LF_PASS_NORMALIZE))
            opt.passes[opt.pass_count++] = (lf_pass)p;
    opt.to_script = LF_SCRIPT_SIMPLIFIED;
    return opt;
}

static uint64_t points; /* failure points exercised, all phases */

static void test_context(void)
{
    lf_options opt = pipeline_options(true);
    for (uint64_t n = 1;; n++) {
        lf_context *ctx = (lf_context *)1;
        lf_error err = {0};
        arm(n);
        lf_status st = lf_context_new(&opt, &ctx, &err);
        disarm();
        if (!failed) {
            CHECK(st == LF_OK);
            lf_context_free(ctx);
            printf("lf_context_new: %llu failure points\n", (unsigned long long)(n - 1));
            return;
        }
        points++;
        CHECK(st == LF_ERR_NOMEM && err.code == LF_ERR_NOMEM && ctx == NULL);
        CHECK(live == 0);
    }
}

static bool same_text(const lf_result *r, const char *want, size_t want_len)
{
    size_t n;
    const char *got = lf_result_text(r, &n);
    return n == want_len && memcmp(got, want, n) == 0;
}

/* lf_process() of in, and then the context's reuse. */
static void test_process(const lf_context *ctx, const char *in, size_t len, const char *want, size_t want_len)
{
    for (uint64_t n = 1;; n++) {
        lf_result *r = (lf_result *)1;
        lf_error err = {0};
        arm(n);
        lf_status st = lf_process(ctx, in, len, &r, &err);
        disarm();
        if (!failed) {
            CHECK(st == LF_OK && same_text(r, want, want_len));
            lf_result_free(r);
            printf("lf_process: %llu failure points\n", (unsigned long long)(n - 1));
            return;
        }
        points++;
        if (st != LF_ERR_NOMEM || r != NULL || live != 0)
            fprintf(stderr, "allocation %llu: status %s, live %lld\n", (unsigned long long)n,
                    lf_status_name(st), (long long)live);
        CHECK(st == LF_ERR_NOMEM && err.code == LF_ERR_NOMEM && r == NULL);
        CHECK(live == 0);
        lf_result *again = NULL;
        CHECK(lf_process(ctx, in, len, &again, NULL) == LF_OK && same_text(again, want, want_len));
        lf_result_free(again);
    }
}

static void test_report_json(const lf_result *r)
{
    for (uint64_t n = 1;; n++) {
        char *json = (char *)1;
        size_t len = 0;
        arm(n);
        lf_status st = lf_result_report_json(r, &json, &len, NULL);
        disarm();
        if (!failed) {
            CHECK(st == LF_OK && json && len > 0);
            lf_free(json);
            printf("lf_result_report_json: %llu failure points\n", (unsigned long long)(n - 1));
            return;
        }
        points++;
        CHECK(st == LF_ERR_NOMEM);
        CHECK(live == 0);
    }
}

typedef struct sink {
    char *s;
    size_t len, cap;
} sink;

/* The sink's own allocations happen while armed; it uses __real_* so they
 * are neither counted nor failed. */
static int collect(void *user, const char *data, size_t len)
{
    sink *k = user;
    if (k->len + len > k->cap) {
        k->cap = (k->len + len) * 2;
        k->s = __real_realloc(k->s, k->cap);
        if (!k->s)
            return 1;
    }
    memcpy(k->s + k->len, data, len);
    k->len += len;
    return 0;
}

static void test_stream(const lf_context *ctx, const char *in, size_t len, const char *want, size_t want_len)
{
    const size_t chunk = 40000;
    for (uint64_t n = 1;; n++) {
        sink out = {0};
        lf_stream *s = NULL;
        lf_result *r = NULL;
        lf_error err = {0};
        arm(n);
        lf_status st = lf_stream_new(ctx, collect, &out, &s, &err);
        for (size_t i = 0; st == LF_OK && i < len; i += chunk)
            st = lf_stream_write(s, in + i, len - i < chunk ? len - i : chunk, &err);
        if (st == LF_OK)
            st = lf_stream_finish(s, &r, &err);
        lf_stream_free(s);
        lf_result_free(r);
        disarm();
        bool done = !failed;
        if (done) {
            CHECK(st == LF_OK && out.len == want_len && memcmp(out.s, want, want_len) == 0);
            printf("stream: %llu failure points\n", (unsigned long long)(n - 1));
        } else {
            points++;
            CHECK(st == LF_ERR_NOMEM && err.code == LF_ERR_NOMEM);
            CHECK(live == 0);
        }
        __real_free(out.s);
        if (done)
            return;
    }
}

int main(void)
{
    /* A seed with something for every pass: GB18030 text, invalid bytes,
     * entities, full-width letters, CRLF; repeated past the stream's
     * detection sample and first window (the extras only in every 16th
     * copy, which keeps the number of failure points and the run time
     * modest while every window still has changes). */
    size_t seed_len;
    char *seed = check_read_file(LIBFIX_TESTDATA "/encoded/003_3cb92859fe70f893.gb18030", &seed_len);
    CHECK(seed != NULL);
    if (!seed)
        return check_done("test_nomem");
    static const char extra[] = "\r\n&amp;&lt;p&gt; \xA3\xC1\xA3\xC2 \xFF\x80 &#x4E2D;\r\n";
    size_t unit = seed_len + sizeof extra - 1, copies = 64, len = 0;
    char *in = malloc(unit * copies);
    CHECK(in != NULL);
    if (!in)
        return check_done("test_nomem");
    for (size_t i = 0; i < copies; i++) {
        memcpy(in + len, seed, seed_len);
        len += seed_len;
        size_t n = i % 16 == 0 ? sizeof extra - 1 : 1;
        memcpy(in + len, i % 16 == 0 ? extra : "\n", n);
        len += n;
    }

    test_context();

    /* Whole buffer, every pass: the damaged lines of seed 003 (spliced
     * annotations with lost bytes) and one extras line, a few KB, so that
     * failing each of its allocations in turn stays quick. */
    char small[16384];
    size_t small_len = 0;
    for (const char *p = seed; p < seed + seed_len && small_len < 8192;) {
        const char *nl = memchr(p, '\n', (size_t)(seed + seed_len - p));
        size_t n = nl ? (size_t)(nl - p) + 1 : (size_t)(seed + seed_len - p);
        if (memchr(p, '?', n) && small_len + n < sizeof small) {
            memcpy(small + small_len, p, n);
            small_len += n;
        }
        p += n;
    }
    memcpy(small + small_len, extra, sizeof extra - 1);
    small_len += sizeof extra - 1;
    lf_options opt = pipeline_options(true);
    lf_context *ctx = NULL;
    CHECK(lf_context_new(&opt, &ctx, NULL) == LF_OK);
    lf_result *one = NULL;
    CHECK(lf_process(ctx, small, small_len, &one, NULL) == LF_OK);
    if (one) {
        CHECK(lf_result_kind_count(one, LF_PASS_REPAIR, NULL) > 0);
        size_t n1;
        const char *t1 = lf_result_text(one, &n1);
        test_process(ctx, small, small_len, t1, n1);
        test_report_json(one);
    }
    lf_result_free(one);
    lf_context_free(ctx);

    /* Stream: all copies through decode and normalize, its output compared
     * to lf_process() of the same bytes. */
    opt = pipeline_options(false);
    ctx = NULL;
    CHECK(lf_context_new(&opt, &ctx, NULL) == LF_OK);
    lf_result *all = NULL;
    CHECK(lf_process(ctx, in, len, &all, NULL) == LF_OK);
    if (all) {
        size_t na;
        const char *ta = lf_result_text(all, &na);
        test_stream(ctx, in, len, ta, na);
    }
    lf_result_free(all);
    lf_context_free(ctx);
    free(in);
    free(seed);
    printf("%llu failure points in all, at %zu distinct allocation sites\n", (unsigned long long)points, nsites);
    return check_done("test_nomem");
}
