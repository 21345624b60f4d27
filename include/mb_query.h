/*
 * mb_query.h -- application/x-www-form-urlencoded parameter lookup.
 * httpd-independent (APR only): used by the handlers and the unit tests.
 */
#ifndef MB_QUERY_H
#define MB_QUERY_H

#include <apr_pools.h>

typedef enum {
    MB_QUERY_ABSENT = 0,  /* no such parameter                        */
    MB_QUERY_OK,          /* found and decoded into *value            */
    MB_QUERY_BAD          /* found, but malformed escape or NUL byte  */
} mb_query_e;

/*
 * Find the first parameter `name` in `args` ("a=1&b=2", may be NULL) and
 * decode it ('+' is a space, %XX an octet).  A %00, a bad escape or a
 * stray '%' gives MB_QUERY_BAD: such a value is refused, never truncated.
 */
mb_query_e mb_query_get(apr_pool_t *p, const char *args, const char *name,
                        const char **value);

#endif /* MB_QUERY_H */
