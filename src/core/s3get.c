/*
 * s3get.c -- reading a stream's objects back from S3: URLs, keys, the
 * headers passed each way and the status mapping (see include/mb_s3get.h).
 */
#include "mb_s3get.h"

#include <apr_lib.h>
#include <apr_strings.h>
#include <string.h>
#include <strings.h>

static int unreserved(unsigned char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
           (c >= '0' && c <= '9') || c == '-' || c == '.' || c == '_' ||
           c == '~';
}

/* s escaped for a URL path: '/' kept when keep_slash. */
static const char *path_escape(apr_pool_t *p, const char *s, int keep_slash)
{
    static const char hex[] = "0123456789ABCDEF";
    char *out = apr_palloc(p, strlen(s) * 3 + 1), *o = out;

    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        if (unreserved(c) || (keep_slash && c == '/')) {
            *o++ = (char)c;
        }
        else {
            *o++ = '%';
            *o++ = hex[c >> 4];
            *o++ = hex[c & 15];
        }
    }
    *o = '\0';
    return out;
}

const char *mb_s3_object_url(apr_pool_t *p, const char *endpoint,
                             const char *bucket, const char *key)
{
    size_t n = strlen(endpoint);

    while (n && endpoint[n - 1] == '/') {
        n--;
    }
    return apr_pstrcat(p, apr_pstrmemdup(p, endpoint, n), "/",
                       path_escape(p, bucket, 0), "/",
                       path_escape(p, key, 1), NULL);
}

const char *mb_s3_object_key(apr_pool_t *p, const char *prefix,
                             const char *name)
{
    size_t n;

    if (prefix == NULL || *prefix == '\0') {
        return NULL;
    }
    n = strlen(prefix);
    return apr_pstrcat(p, prefix, prefix[n - 1] == '/' ? "" : "/", name,
                       NULL);
}

const char *mb_s3_sigv4_param(apr_pool_t *p, const char *region)
{
    return apr_pstrcat(p, "aws:amz:", region, ":s3", NULL);
}

static int in_list(const char *name, const char *const *list)
{
    for (; *list; list++) {
        if (strcasecmp(name, *list) == 0) {
            return 1;
        }
    }
    return 0;
}

int mb_s3_forward_request_header(const char *name)
{
    static const char *const passed[] = {
        "Range", "If-Range", "If-None-Match", "If-Modified-Since",
        "If-Match", "If-Unmodified-Since", NULL};
    return name && in_list(name, passed);
}

int mb_s3_forward_answer_header(const char *name)
{
    static const char *const passed[] = {"ETag", "Last-Modified",
                                         "Content-Range", NULL};
    return name && in_list(name, passed);
}

mb_s3get_e mb_s3_answer_kind(long s3_status)
{
    switch (s3_status) {
    case 200:
    case 206:
        return MB_S3GET_BODY;
    case 304:
    case 412:
        return MB_S3GET_NO_BODY;
    case 416:
        return MB_S3GET_RANGE;
    case 404:
        return MB_S3GET_NOT_FOUND;
    default:
        return MB_S3GET_REFUSED;
    }
}

const char *mb_s3_error_code(apr_pool_t *p, const char *doc)
{
    const char *b = doc ? strstr(doc, "<Code>") : NULL, *e;
    const char *s;

    if (b == NULL || (e = strstr(b += 6, "</Code>")) == NULL || e - b > 64) {
        return "";
    }
    for (s = b; s < e; s++) {
        if (!apr_isalnum(*s) && *s != '.' && *s != '_') {
            return "";
        }
    }
    return apr_pstrmemdup(p, b, e - b);
}
