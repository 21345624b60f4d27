/*
 * mb_json.h -- JSON values owned by an APR pool (the model is mod_md's
 * md_json).  httpd-independent.
 *
 * Every mb_json holds its own reference to a jansson value, released by a
 * cleanup of the pool it was made in.  Setters never take a reference
 * away from their argument: an mb_json put into another one (mb_json_set,
 * mb_json_push) gains a reference and stays valid and owned by its pool,
 * so no value can be freed twice or used after it was freed, whatever
 * order things are built or embedded in.  No raw json_t leaves this file.
 *
 * Failures (jansson out of memory) are remembered by the value and every
 * value made from it or put into it: mb_json_dump then returns NULL, so
 * callers check once, at the end.
 */
#ifndef MB_JSON_H
#define MB_JSON_H

#include <apr_pools.h>

typedef struct mb_json mb_json;

/* A new empty object or array, owned by p.  Never NULL. */
mb_json *mb_json_object(apr_pool_t *p);
mb_json *mb_json_array(apr_pool_t *p);

/* obj[key] = value.  Strings are copied; a NULL string is JSON null. */
void mb_json_set_str(mb_json *obj, const char *key, const char *v);
void mb_json_set_int(mb_json *obj, const char *key, apr_int64_t v);
void mb_json_set_bool(mb_json *obj, const char *key, int v);
void mb_json_set_null(mb_json *obj, const char *key);
/* obj[key] = v (a new reference to v: v stays the caller's).  A NULL v is
 * JSON null. */
void mb_json_set(mb_json *obj, const char *key, const mb_json *v);
/* A new empty object or array set as obj[key], owned by obj's pool. */
mb_json *mb_json_set_object(mb_json *obj, const char *key);
mb_json *mb_json_set_array(mb_json *obj, const char *key);

/* Append to an array (the same rules as the setters). */
void mb_json_push(mb_json *arr, const mb_json *v);
void mb_json_push_str(mb_json *arr, const char *v);
void mb_json_push_int(mb_json *arr, apr_int64_t v);
mb_json *mb_json_push_object(mb_json *arr);

/* Compact JSON text (keys in insertion order) in pool memory,
 * NUL-terminated; *len (if not NULL) gets its length.  NULL when building
 * failed anywhere. */
#define MB_JSON_ASCII 1 /* escape everything outside ASCII (\uXXXX) */
const char *mb_json_dump(apr_pool_t *p, const mb_json *j, apr_size_t *len);
const char *mb_json_dump_flags(apr_pool_t *p, const mb_json *j, int flags,
                               apr_size_t *len);

#endif /* MB_JSON_H */
