/*
 * libFuzzer target: form and query decoding (src/core/query.c), as the API reads
 * a query string or an application/x-www-form-urlencoded body, and the
 * relative path check (src/core/path.c) the video handler applies to the
 * decoded "path" parameter.
 */
#include "fuzz.h"
#include "mb_path.h"
#include "mb_query.h"

/* An accepted name must have no "." or ".." segment, no leading '/' and
 * no backslash: checked here independently of src/core/path.c. */
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

static int fuzz_one(apr_pool_t *p, const uint8_t *data, size_t len)
{
    static const char *const names[] = {"path",  "id",     "name", "type",
                                        "limit", "before", ""};
    const char *args = apr_pstrmemdup(p, (const char *)data, len);
    size_t i;

    for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
        const char *v = NULL;
        mb_query_e k = mb_query_get(p, args, names[i], &v);

        check(k == MB_QUERY_ABSENT || k == MB_QUERY_OK || k == MB_QUERY_BAD);
        if (k != MB_QUERY_OK) {
            continue;
        }
        /* decoding never grows the text, and the value is one C string */
        check(v != NULL && strlen(v) <= strlen(args));
        if (i == 0 && mb_path_check_relative(v) == MB_PATH_OK) {
            check(!escapes(v));
        }
    }
    return 0;
}
