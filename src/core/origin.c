/*
 * origin.c -- origins compared as RFC 6454 does (scheme, host, port), and
 * the cross-origin decision of include/mb_origin.h.  Pure APR/APR-util.
 */
#include "mb_origin.h"
#include "mb_number.h"

#include <apr_lib.h>
#include <apr_strings.h>
#include <apr_uri.h>

#include <string.h>

/* A host name or an IPv4 address: letters, digits, '.', '-'; an IPv6
 * literal (apr_uri_parse has taken its brackets off): hex digits, ':',
 * '.'. */
static int host_ok(const char *h)
{
    int v6 = strchr(h, ':') != NULL;

    if (*h == '\0') {
        return 0;
    }
    for (; *h; h++) {
        if (v6 ? !(apr_isxdigit(*h) || *h == ':' || *h == '.')
               : !(apr_isalnum(*h) || *h == '.' || *h == '-')) {
            return 0;
        }
    }
    return 1;
}

const char *mb_origin_canon(apr_pool_t *p, const char *origin)
{
    apr_uri_t u;
    apr_port_t port;
    const char *s;
    char *c, *q;

    if (origin == NULL || strlen(origin) > 255) {
        return NULL;
    }
    /* nothing apr_uri_parse might take as a separator it then drops */
    for (s = origin; *s; s++) {
        if (!apr_isgraph(*s) || *s == ',' || *s == '\\') {
            return NULL;
        }
    }
    if (apr_uri_parse(p, origin, &u) != APR_SUCCESS || u.scheme == NULL ||
        u.hostname == NULL || u.user != NULL || u.password != NULL ||
        u.path != NULL || u.query != NULL || u.fragment != NULL) {
        return NULL;
    }
    if (strcasecmp(u.scheme, "http") != 0 &&
        strcasecmp(u.scheme, "https") != 0) {
        return NULL;
    }
    if (!host_ok(u.hostname)) {
        return NULL;
    }
    if (u.port_str != NULL) {
        apr_int64_t n;

        if (mb_int_parse(u.port_str, 1, 65535, &n)) {
            return NULL;
        }
        port = (apr_port_t)n;
    }
    else {
        port = apr_uri_port_of_scheme(u.scheme);
    }
    /* an IPv6 literal gets its brackets back */
    c = apr_psprintf(p, strchr(u.hostname, ':') ? "%s://[%s]:%u" : "%s://%s:%u",
                     u.scheme, u.hostname, (unsigned)port);
    for (q = c; *q; q++) {
        *q = (char)apr_tolower(*q);
    }
    return c;
}

static int listed(const char *canon, const apr_array_header_t *trusted)
{
    int i;

    for (i = 0; trusted && i < trusted->nelts; i++) {
        if (strcmp(canon, APR_ARRAY_IDX(trusted, i, const char *)) == 0) {
            return 1;
        }
    }
    return 0;
}

mb_origin_e mb_origin_classify(apr_pool_t *p, const char *origin,
                               const char *fetch_site, const char *self,
                               const apr_array_header_t *trusted)
{
    int site_same = fetch_site == NULL ||
                    strcasecmp(fetch_site, "same-origin") == 0 ||
                    strcasecmp(fetch_site, "none") == 0;
    const char *canon, *own;

    if (origin == NULL) {
        if (fetch_site == NULL) {
            return MB_ORIGIN_NO_BROWSER;
        }
        return site_same ? MB_ORIGIN_SAME : MB_ORIGIN_CROSS;
    }
    if ((canon = mb_origin_canon(p, origin)) == NULL) {
        return MB_ORIGIN_CROSS; /* "null" (sandboxed, redirected) and junk */
    }
    if (listed(canon, trusted)) {
        return MB_ORIGIN_TRUSTED;
    }
    own = mb_origin_canon(p, self);
    if (own == NULL || strcmp(canon, own) != 0) {
        return MB_ORIGIN_CROSS;
    }
    return site_same ? MB_ORIGIN_SAME : MB_ORIGIN_CROSS;
}
