/* Unit tests of the query parameter lookup (src/core/query.c). */
#include "mb_query.h"
#include "tap.h"

#include <string.h>

static void get(apr_pool_t *p, const char *args, const char *name,
                mb_query_e want, const char *want_v)
{
    const char *v = NULL;
    mb_query_e k = mb_query_get(p, args, name, &v);
    ok(k == want && (want != MB_QUERY_OK || strcmp(v, want_v) == 0),
       "'%s' [%s] -> %d '%s' (got %d '%s')", args ? args : "(null)", name,
       (int)want, want_v ? want_v : "", (int)k, v && k == MB_QUERY_OK ? v : "");
}

int main(void)
{
    apr_pool_t *p;

    apr_initialize();
    apr_pool_create(&p, NULL);

    get(p, "path=a.mp4", "path", MB_QUERY_OK, "a.mp4");
    get(p, "x=1&path=movies%2Fa.mp4&y=2", "path", MB_QUERY_OK, "movies/a.mp4");
    get(p, "path=a+b.mp4", "path", MB_QUERY_OK, "a b.mp4");
    get(p, "path=%41%62", "path", MB_QUERY_OK, "Ab");
    get(p, "path=", "path", MB_QUERY_OK, "");
    get(p, "path", "path", MB_QUERY_OK, "");
    get(p, "path=1&path=2", "path", MB_QUERY_OK, "1");
    get(p, "paths=1", "path", MB_QUERY_ABSENT, NULL);
    get(p, "xpath=1", "path", MB_QUERY_ABSENT, NULL);
    get(p, "", "path", MB_QUERY_ABSENT, NULL);
    get(p, NULL, "path", MB_QUERY_ABSENT, NULL);
    get(p, "path=a%00b", "path", MB_QUERY_BAD, NULL);
    get(p, "path=a%zz", "path", MB_QUERY_BAD, NULL);
    get(p, "path=a%", "path", MB_QUERY_BAD, NULL);
    get(p, "path=a%4", "path", MB_QUERY_BAD, NULL);
    get(p, "path=%2e%2e%2fetc", "path", MB_QUERY_OK, "../etc");
    get(p, "file=x&path=y", "file", MB_QUERY_OK, "x");

    apr_pool_destroy(p);
    apr_terminate();
    return done_testing();
}
