/*
 * bench_json_libs.c — why fixtext's JSONL mode uses jansson rather than
 * cJSON (the two JSON libraries Debian bookworm packages for C; yyjson is
 * not packaged). For each library: parse + print every line of a JSONL file
 * (speed), then a few records that show what a round trip keeps.
 *
 * Built and run by tools/bench_json_libs.sh (needs libcjson-dev).
 */
#define _GNU_SOURCE
#include <cjson/cJSON.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static double now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + t.tv_nsec / 1e9;
}

static char *round_jansson(const char *line, size_t len)
{
    json_t *j = json_loadb(line, len, JSON_REJECT_DUPLICATES | JSON_ALLOW_NUL, NULL);
    char *s = j ? json_dumps(j, JSON_COMPACT) : NULL;
    json_decref(j);
    return s;
}

static char *round_cjson(const char *line, size_t len)
{
    cJSON *j = cJSON_ParseWithLength(line, len);
    char *s = j ? cJSON_PrintUnformatted(j) : NULL;
    cJSON_Delete(j);
    return s;
}

static void bench(const char *name, char *(*round)(const char *, size_t), const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        perror(path);
        exit(1);
    }
    char *line = NULL;
    size_t cap = 0, bytes = 0, lines = 0, failed = 0;
    ssize_t n;
    double t0 = now();
    while ((n = getline(&line, &cap, f)) > 0) {
        char *s = round(line, (size_t)n);
        failed += s == NULL;
        free(s);
        bytes += (size_t)n;
        lines++;
    }
    double secs = now() - t0;
    printf("%-8s %zu lines, %.1f MB in %.2f s: %.1f MB/s (%zu lines not parsed)\n", name, lines, bytes / 1e6, secs,
           bytes / 1e6 / secs, failed);
    free(line);
    fclose(f);
}

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: bench_json_libs FILE.jsonl\n");
        return 2;
    }
    bench("jansson", round_jansson, argv[1]);
    bench("cJSON", round_cjson, argv[1]);
    static const char *const probes[] = {
        "{\"id\":1234567890123456789}", "{\"x\":0.1,\"y\":1.5e3,\"z\":100.0}", "{\"a\":1,\"a\":2}",
        "{\"t\":\"\xff\xfe\"}", "{\"n\":123456789012345678901234}", "{\"b\":1,\"a\":2}",
    };
    for (size_t i = 0; i < sizeof probes / sizeof probes[0]; i++) {
        char *a = round_jansson(probes[i], strlen(probes[i])), *b = round_cjson(probes[i], strlen(probes[i]));
        printf("in      %s\njansson %s\ncJSON   %s\n", probes[i], a ? a : "(rejected)", b ? b : "(rejected)");
        free(a);
        free(b);
    }
    return 0;
}
