/*
 * mb_json.h -- jansson values living in an APR pool: freed by a pool
 * cleanup, dumped into pool memory.  httpd-independent.
 */
#ifndef MB_JSON_H
#define MB_JSON_H

#include <apr_pools.h>
#include <jansson.h>

/* Hand `j` (a new reference) to pool p: json_decref runs when p is
 * cleared.  Returns j. */
json_t *mb_json_pool(apr_pool_t *p, json_t *j);

/* Compact JSON text of j (no spaces, keys in insertion order) in pool
 * memory, NUL-terminated; *len (if not NULL) gets its length. */
const char *mb_json_dump(apr_pool_t *p, const json_t *j, apr_size_t *len);

#endif /* MB_JSON_H */
