/*
 * json.c -- JSON values owned by an APR pool: each mb_json holds one
 * reference to its jansson value, dropped by a cleanup of its pool;
 * setters add references, they never steal one.
 */
#include "mb_json.h"

#include <jansson.h>

struct mb_json {
    apr_pool_t *p;
    json_t *j;
    int *failed; /* shared by every value built into the same tree */
};

static apr_status_t json_cleanup(void *data)
{
    json_decref((json_t *)data);
    return APR_SUCCESS;
}

/* Wrap j (a new reference, may be NULL after a failure) for pool p. */
static mb_json *wrap(apr_pool_t *p, json_t *j, int *failed)
{
    mb_json *w = apr_palloc(p, sizeof(*w));

    w->p = p;
    w->j = j;
    w->failed = failed ? failed : apr_pcalloc(p, sizeof(int));
    if (j == NULL) {
        *w->failed = 1;
    }
    else {
        apr_pool_cleanup_register(p, j, json_cleanup, apr_pool_cleanup_null);
    }
    return w;
}

mb_json *mb_json_object(apr_pool_t *p)
{
    return wrap(p, json_object(), NULL);
}

mb_json *mb_json_array(apr_pool_t *p)
{
    return wrap(p, json_array(), NULL);
}

/* obj[key] = v, v a new reference that is consumed here, whatever
 * happens (never one the caller keeps). */
static void put(mb_json *obj, const char *key, json_t *v)
{
    if (v == NULL || obj->j == NULL) {
        json_decref(v);
        *obj->failed = 1;
    }
    else if (json_object_set_new(obj->j, key, v) != 0) { /* consumes v */
        *obj->failed = 1;
    }
}

static void append(mb_json *arr, json_t *v)
{
    if (v == NULL || arr->j == NULL) {
        json_decref(v);
        *arr->failed = 1;
    }
    else if (json_array_append_new(arr->j, v) != 0) {
        *arr->failed = 1;
    }
}

static json_t *str_or_null(const char *v)
{
    return v ? json_string(v) : json_null();
}

void mb_json_set_str(mb_json *obj, const char *key, const char *v)
{
    put(obj, key, str_or_null(v));
}

void mb_json_set_int(mb_json *obj, const char *key, apr_int64_t v)
{
    put(obj, key, json_integer((json_int_t)v));
}

void mb_json_set_bool(mb_json *obj, const char *key, int v)
{
    put(obj, key, json_boolean(v));
}

void mb_json_set_null(mb_json *obj, const char *key)
{
    put(obj, key, json_null());
}

/* A new reference to v's value for a container (v keeps its own). */
static json_t *share(mb_json *into, const mb_json *v)
{
    if (v == NULL) {
        return json_null();
    }
    if (*v->failed || v->j == NULL) {
        *into->failed = 1;
        return NULL;
    }
    return json_incref(v->j);
}

void mb_json_set(mb_json *obj, const char *key, const mb_json *v)
{
    put(obj, key, share(obj, v));
}

/* A new container under obj[key] / at the end of arr, wrapped in the
 * container's pool with a reference of its own. */
static mb_json *child(mb_json *parent, json_t *c, const char *key)
{
    mb_json *w = wrap(parent->p, c, parent->failed);

    if (c != NULL) {
        json_incref(c); /* one for the wrapper, one for the parent */
        if (key) {
            put(parent, key, c);
        }
        else {
            append(parent, c);
        }
    }
    return w;
}

mb_json *mb_json_set_object(mb_json *obj, const char *key)
{
    return child(obj, json_object(), key);
}

mb_json *mb_json_set_array(mb_json *obj, const char *key)
{
    return child(obj, json_array(), key);
}

void mb_json_push(mb_json *arr, const mb_json *v)
{
    append(arr, share(arr, v));
}

void mb_json_push_str(mb_json *arr, const char *v)
{
    append(arr, str_or_null(v));
}

void mb_json_push_int(mb_json *arr, apr_int64_t v)
{
    append(arr, json_integer((json_int_t)v));
}

mb_json *mb_json_push_object(mb_json *arr)
{
    return child(arr, json_object(), NULL);
}

const char *mb_json_dump_flags(apr_pool_t *p, const mb_json *j, int flags,
                               apr_size_t *len)
{
    size_t jflags = JSON_COMPACT | JSON_PRESERVE_ORDER;
    size_t n;
    char *buf;

    if (j == NULL || j->j == NULL || *j->failed) {
        return NULL;
    }
    if (flags & MB_JSON_ASCII) {
        jflags |= JSON_ENSURE_ASCII;
    }
    if ((n = json_dumpb(j->j, NULL, 0, jflags)) == 0) {
        return NULL;
    }
    buf = apr_palloc(p, n + 1);
    if (json_dumpb(j->j, buf, n, jflags) != n) {
        return NULL;
    }
    buf[n] = '\0';
    if (len) {
        *len = n;
    }
    return buf;
}

const char *mb_json_dump(apr_pool_t *p, const mb_json *j, apr_size_t *len)
{
    return mb_json_dump_flags(p, j, 0, len);
}
