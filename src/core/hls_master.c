/*
 * hls_master.c -- master playlists of recordings, attribute lists, and
 * the URIs of a playlist rewritten (see include/mb_hls.h).
 * httpd-independent (APR only).
 */
#include "mb_hls.h"

#include <apr_strings.h>
#include <string.h>

#define TAG(line, n, lit) \
    ((n) >= sizeof(lit) - 1 && !memcmp((line), (lit), sizeof(lit) - 1))

const char *mb_hls_attr(apr_pool_t *p, const char *attrs, const char *name)
{
    size_t n = strlen(name);
    const char *a = attrs;

    while ((a = strstr(a, name)) != NULL) {
        if ((a == attrs || a[-1] == ',' || a[-1] == ':')
            && a[n] == '=') {
            const char *v = a + n + 1, *q;
            if (*v != '"') {
                q = strchr(v, ',');
                return q ? apr_pstrmemdup(p, v, (apr_size_t)(q - v))
                         : apr_pstrdup(p, v);
            }
            q = strchr(v + 1, '"');
            return q ? apr_pstrmemdup(p, v + 1, (apr_size_t)(q - v - 1))
                     : NULL;
        }
        a += n;
    }
    return NULL;
}

/* The URI="..." attribute of a tag line rewritten by `rename`: the new
 * line, or NULL when the URI has no recording (or is malformed). */
static const char *rename_uri_attr(apr_pool_t *p, const char *line,
                                   mb_hls_rename_fn rename, void *ctx)
{
    const char *colon = strchr(line, ':'), *uri, *a, *to;

    if (colon == NULL || (uri = mb_hls_attr(p, colon + 1, "URI")) == NULL) {
        return line;            /* no URI: kept as it is */
    }
    if ((to = rename(uri, ctx)) == NULL) {
        return NULL;
    }
    a = strstr(line, apr_pstrcat(p, "URI=\"", uri, "\"", NULL));
    if (a == NULL) {
        return NULL;
    }
    return apr_pstrcat(p, apr_pstrmemdup(p, line, (apr_size_t)(a - line)),
                       "URI=\"", to, "\"", a + strlen(uri) + 6, NULL);
}

const char *mb_hls_vod_master(apr_pool_t *p, const char *text, apr_size_t len,
                              mb_hls_rename_fn rename, void *ctx)
{
    apr_array_header_t *out = apr_array_make(p, 16, sizeof(char *));
    const char *line = text, *end = text + len, *inf = NULL;
    int variants = 0;

    if (len < 7 || strncmp(text, "#EXTM3U", 7) != 0) {
        return NULL;
    }
    while (line < end) {
        const char *nl = memchr(line, '\n', (size_t)(end - line));
        apr_size_t n = (apr_size_t)((nl ? nl : end) - line);
        const char *l, *to;

        if (n > 0 && line[n - 1] == '\r') {
            n--;
        }
        l = apr_pstrmemdup(p, line, n);
        line = nl ? nl + 1 : end;
        if (n == 0) {
            continue;
        }
        if (TAG(l, n, "#EXT-X-STREAM-INF:")) {
            inf = l;            /* its URI is on the next line */
        }
        else if (l[0] != '#') {
            to = rename(l, ctx);
            if (inf != NULL && to != NULL) {
                APR_ARRAY_PUSH(out, const char *) =
                    apr_pstrcat(p, inf, "\n", to, "\n", NULL);
                variants++;
            }
            inf = NULL;
        }
        else if ((to = rename_uri_attr(p, l, rename, ctx)) != NULL) {
            APR_ARRAY_PUSH(out, const char *) = apr_pstrcat(p, to, "\n", NULL);
        }
    }
    return variants > 0 ? apr_array_pstrcat(p, out, 0) : NULL;
}

const char *mb_hls_master_playlist(apr_pool_t *p,
                                   const apr_array_header_t *variants)
{
    apr_array_header_t *out = apr_array_make(p, variants->nelts + 2,
                                             sizeof(char *));
    int i;

    APR_ARRAY_PUSH(out, const char *) = "#EXTM3U\n#EXT-X-VERSION:3\n";
    for (i = 0; i < variants->nelts; i++) {
        const mb_hls_variant *v = &APR_ARRAY_IDX(variants, i, mb_hls_variant);
        APR_ARRAY_PUSH(out, const char *) = apr_psprintf(p,
            "#EXT-X-STREAM-INF:BANDWIDTH=%" APR_INT64_T_FMT "\n%s\n",
            v->bandwidth > 0 ? v->bandwidth : (apr_int64_t)1, v->uri);
    }
    return apr_array_pstrcat(p, out, 0);
}

const char *mb_hls_rewrite_uris(apr_pool_t *p, const char *text,
                                apr_size_t len, mb_hls_rename_fn rename,
                                void *ctx)
{
    apr_array_header_t *out = apr_array_make(p, 64, sizeof(char *));
    const char *line = text, *end = text + len;

    while (line < end) {
        const char *nl = memchr(line, '\n', (size_t)(end - line));
        apr_size_t n = (apr_size_t)((nl ? nl : end) - line);
        const char *l, *to;

        if (n > 0 && line[n - 1] == '\r') {
            n--;
        }
        l = apr_pstrmemdup(p, line, n);
        line = nl ? nl + 1 : end;
        if (n == 0) {
            to = l;
        }
        else if (l[0] != '#') {
            to = rename(l, ctx);
        }
        else {
            to = rename_uri_attr(p, l, rename, ctx);
        }
        APR_ARRAY_PUSH(out, const char *) =
            apr_pstrcat(p, to ? to : l, nl ? "\n" : "", NULL);
    }
    return apr_array_pstrcat(p, out, 0);
}
