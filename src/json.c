/*
 * json.c -- jansson values living in an APR pool.
 */
#include "mb_json.h"

static apr_status_t json_cleanup(void *data)
{
    json_decref((json_t *)data);
    return APR_SUCCESS;
}

json_t *mb_json_pool(apr_pool_t *p, json_t *j)
{
    if (j != NULL) {
        apr_pool_cleanup_register(p, j, json_cleanup, apr_pool_cleanup_null);
    }
    return j;
}

const char *mb_json_dump(apr_pool_t *p, const json_t *j, apr_size_t *len)
{
    const size_t flags = JSON_COMPACT | JSON_PRESERVE_ORDER;
    size_t n = json_dumpb(j, NULL, 0, flags);
    char *buf;

    if (n == 0) {
        return NULL;
    }
    buf = apr_palloc(p, n + 1);
    if (json_dumpb(j, buf, n, flags) != n) {
        return NULL;
    }
    buf[n] = '\0';
    if (len) {
        *len = n;
    }
    return buf;
}
