/*
 * libFuzzer target for the client-facing parsers: the Range header, query
 * parameter decoding and relative path checks.  Asserts their invariants.
 *   make fuzz            (FUZZ_SECONDS=60 by default)
 */
#include "mb_path.h"
#include "mb_query.h"
#include "mb_range.h"

#include <apr_general.h>
#include <apr_strings.h>
#include <stdlib.h>
#include <string.h>

static apr_pool_t *pool;

/* An accepted name must have no "." or ".." segment, no leading '/' and
 * no backslash: checked here independently of src/path.c. */
static int escapes(const char *v)
{
    const char *seg = v;

    if (*v == '/' || strchr(v, '\\')) {
        return 1;
    }
    for (;;) {
        const char *end = strchr(seg, '/');
        size_t n = end ? (size_t)(end - seg) : strlen(seg);
        if ((n == 1 && seg[0] == '.') || (n == 2 && !strncmp(seg, "..", 2))) {
            return 1;
        }
        if (!end) {
            return 0;
        }
        seg = end + 1;
    }
}

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t len)
{
    char *s;
    uint64_t size, first = 0, last = 0;
    const char *v = NULL;
    mb_range_e k;

    if (pool == NULL) {
        apr_initialize();
        apr_pool_create(&pool, NULL);
    }
    if (len < 8) {
        return 0;
    }
    memcpy(&size, data, 8);
    size %= (uint64_t)1 << 40;
    s = apr_pstrmemdup(pool, (const char *)data + 8, len - 8);

    k = mb_range_parse(s, size, &first, &last);
    if (k == MB_RANGE_SINGLE && !(first <= last && last < size)) {
        abort();
    }
    if (k == MB_RANGE_SINGLE && mb_range_cap(first, last, 4096) - first >= 4096) {
        abort();
    }
    if (mb_query_get(pool, s, "path", &v) == MB_QUERY_OK) {
        if (mb_path_check_relative(v) == MB_PATH_OK && escapes(v)) {
            abort();
        }
    }
    apr_pool_clear(pool);
    return 0;
}
