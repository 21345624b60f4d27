/*
 * hls.c -- HLS ingest rules and playlists (see include/mb_hls.h).
 */
#include "mb_hls.h"

#include <apr_strings.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#define MB_HLS_NAME_MAX 128

static const char *const allowed_ext[] = {
    ".m3u8", ".ts", ".m4s", ".mp4", ".aac", ".vtt", ".jpg", NULL
};

mb_hls_name_e mb_hls_check_name(const char *name)
{
    const char *c, *dot;
    size_t n;
    int i;

    if (name == NULL || *name == '\0' || *name == '.') {
        return MB_HLS_NAME_BAD;
    }
    for (c = name, n = 0; *c; c++, n++) {
        if (!((*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z')
              || (*c >= '0' && *c <= '9') || *c == '.' || *c == '_'
              || *c == '-')) {
            return MB_HLS_NAME_BAD;
        }
    }
    if (n > MB_HLS_NAME_MAX) {
        return MB_HLS_NAME_BAD;
    }
    dot = strrchr(name, '.');
    if (dot != NULL) {
        for (i = 0; allowed_ext[i]; i++) {
            if (!strcmp(dot, allowed_ext[i])) {
                return MB_HLS_NAME_OK;
            }
        }
    }
    return MB_HLS_NAME_BAD_EXT;
}

int mb_hls_is_playlist(const char *name)
{
    size_t n = strlen(name);
    return n > 5 && !strcmp(name + n - 5, ".m3u8");
}

/* A segment duration: a number from 0 to a day, else -1.  Bounded so that
 * the recording's (int)ceil(#EXT-X-TARGETDURATION) is always defined. */
static double duration_of(const char *num)
{
    char *e;
    double d = strtod(num, &e);

    return (e == num || !(d >= 0) || d > 86400) ? -1 : d;
}

int mb_hls_parse(apr_pool_t *p, const char *text, apr_size_t len,
                 apr_array_header_t **segs)
{
    const char *line = text, *end = text + len;
    double duration = -1;
    int disc = 0;

    if (*segs == NULL) {
        *segs = apr_array_make(p, 16, sizeof(mb_hls_segment));
    }
    /* a NUL would cut the URIs, made C strings, short of what was sent */
    if (len < 7 || strncmp(text, "#EXTM3U", 7) != 0
        || memchr(text, '\0', len) != NULL) {
        return -1;
    }
    while (line < end) {
        const char *nl = memchr(line, '\n', (size_t)(end - line));
        const char *stop = nl ? nl : end;
        apr_size_t n = (apr_size_t)(stop - line);

        if (n > 0 && line[n - 1] == '\r') {
            n--;
        }
        if (n >= 8 && !strncmp(line, "#EXTINF:", 8)) {
            duration = duration_of(apr_pstrmemdup(p, line + 8, n - 8));
        }
        else if (n == 20 && !strncmp(line, "#EXT-X-DISCONTINUITY", 20)) {
            disc = 1;
        }
        else if (n > 0 && line[0] != '#') {
            if (duration >= 0) {
                mb_hls_segment *s = apr_array_push(*segs);
                s->duration = duration;
                s->uri = apr_pstrmemdup(p, line, n);
                s->discontinuity = disc;
            }
            duration = -1;
            disc = 0;
        }
        line = nl ? nl + 1 : end;
    }
    return 0;
}

void mb_hls_merge(apr_array_header_t *all, const apr_array_header_t *fresh)
{
    int i, j;

    for (i = 0; i < fresh->nelts; i++) {
        const mb_hls_segment *f = &APR_ARRAY_IDX(fresh, i, mb_hls_segment);
        int seen = 0;
        /* the newest entries are at the end: search backwards */
        for (j = all->nelts - 1; j >= 0 && !seen; j--) {
            seen = !strcmp(APR_ARRAY_IDX(all, j, mb_hls_segment).uri, f->uri);
        }
        if (!seen) {
            *(mb_hls_segment *)apr_array_push(all) = *f;
        }
    }
}

const char *mb_hls_journal_format(apr_pool_t *p,
                                  const apr_array_header_t *segs)
{
    apr_array_header_t *lines = apr_array_make(p, segs->nelts + 1,
                                               sizeof(char *));
    int i;

    for (i = 0; i < segs->nelts; i++) {
        const mb_hls_segment *s = &APR_ARRAY_IDX(segs, i, mb_hls_segment);
        APR_ARRAY_PUSH(lines, const char *) =
            apr_psprintf(p, "%.6f\t%d\t%s\n", s->duration,
                         s->discontinuity, s->uri);
    }
    return apr_array_pstrcat(p, lines, 0);
}

apr_array_header_t *mb_hls_journal_parse(apr_pool_t *p, const char *text)
{
    apr_array_header_t *segs = apr_array_make(p, 16, sizeof(mb_hls_segment));
    char *copy = apr_pstrdup(p, text), *last = NULL, *line;

    for (line = apr_strtok(copy, "\n", &last); line;
         line = apr_strtok(NULL, "\n", &last)) {
        char *t1 = strchr(line, '\t'), *t2 = t1 ? strchr(t1 + 1, '\t') : NULL;
        mb_hls_segment *s;
        double duration = duration_of(line);

        if (t2 == NULL || t2[1] == '\0' || duration < 0) {
            continue;   /* a torn last line, or not a line of ours */
        }
        s = apr_array_push(segs);
        s->duration = duration;
        s->discontinuity = t1[1] == '1';
        s->uri = t2 + 1;
    }
    return segs;
}

const char *mb_hls_vod_playlist(apr_pool_t *p, const apr_array_header_t *segs,
                                mb_hls_keep_fn keep, void *ctx)
{
    apr_array_header_t *out = apr_array_make(p, segs->nelts * 2 + 8,
                                             sizeof(char *));
    double target = 1;
    int i, first = 1;

    for (i = 0; i < segs->nelts; i++) {
        const mb_hls_segment *s = &APR_ARRAY_IDX(segs, i, mb_hls_segment);
        if ((keep == NULL || keep(s->uri, ctx)) && s->duration > target) {
            target = s->duration;
        }
    }
    APR_ARRAY_PUSH(out, const char *) = apr_psprintf(p,
        "#EXTM3U\n#EXT-X-VERSION:3\n#EXT-X-PLAYLIST-TYPE:VOD\n"
        "#EXT-X-TARGETDURATION:%d\n#EXT-X-MEDIA-SEQUENCE:0\n",
        (int)ceil(target));
    for (i = 0; i < segs->nelts; i++) {
        const mb_hls_segment *s = &APR_ARRAY_IDX(segs, i, mb_hls_segment);
        if (keep != NULL && !keep(s->uri, ctx)) {
            continue;
        }
        if (s->discontinuity && !first) {
            APR_ARRAY_PUSH(out, const char *) = "#EXT-X-DISCONTINUITY\n";
        }
        APR_ARRAY_PUSH(out, const char *) =
            apr_psprintf(p, "#EXTINF:%.6f,\n%s\n", s->duration, s->uri);
        first = 0;
    }
    APR_ARRAY_PUSH(out, const char *) = "#EXT-X-ENDLIST\n";
    return apr_array_pstrcat(p, out, 0);
}

/* ---- validation of an uploaded playlist ---------------------------------- */

/* Is [s, s + n) the plain name of a file of the stream? */
static int plain_name(const char *s, apr_size_t n)
{
    char buf[MB_HLS_NAME_MAX + 1];

    if (n == 0 || n > MB_HLS_NAME_MAX || memchr(s, '\0', n) != NULL) {
        return 0;
    }
    memcpy(buf, s, n);
    buf[n] = '\0';
    return mb_hls_check_name(buf) == MB_HLS_NAME_OK;
}

/* Is the attribute name [n, n + len) one whose value is a URI: "URI",
 * "SERVER-URI", a client attribute such as "X-ASSET-URI"? */
static int uri_attribute(const char *n, apr_size_t len)
{
    return (len == 3 && !strncmp(n, "URI", 3))
           || (len > 4 && !strncmp(n + len - 4, "-URI", 4));
}

#define NOT_PLAIN "that is not the plain name of a file of this stream"

/* The URI attributes of a tag's attribute list (RFC 8216 4.2), from just
 * after the tag's ':' to `end`.  Other values are not looked at; a value
 * that is not an attribute list (a number, a date) holds no URI.  NULL when
 * every URI is a plain name, else the reason. */
static const char *check_attributes(const char *a, const char *end)
{
    while (a < end) {
        const char *name = a, *val, *val_end;
        apr_size_t name_len;

        while (a < end && ((*a >= 'A' && *a <= 'Z') || (*a >= '0' && *a <= '9')
                           || *a == '-')) {
            a++;
        }
        if (a == name || a == end || *a != '=') {
            return NULL;    /* not an attribute list */
        }
        name_len = (apr_size_t)(a - name);
        a++;
        if (a < end && *a == '"') {
            val = a + 1;
            val_end = memchr(val, '"', (size_t)(end - val));
            if (val_end == NULL) {
                return uri_attribute(name, name_len)
                           ? "a URI attribute without its closing quote" : NULL;
            }
            a = val_end + 1;
        }
        else {
            val = a;
            while (a < end && *a != ',') {
                a++;
            }
            val_end = a;
        }
        if (uri_attribute(name, name_len)
            && !plain_name(val, (apr_size_t)(val_end - val))) {
            return "a URI attribute " NOT_PLAIN;
        }
        if (a < end && *a == ',') {
            a++;
        }
    }
    return NULL;
}

int mb_hls_validate_playlist(const char *text, apr_size_t len,
                             const char **why)
{
    const char *line = text, *end = text + len;
    int no = 0;

    if (len < 7 || strncmp(text, "#EXTM3U", 7) != 0) {
        *why = "not an HLS playlist (no #EXTM3U first)";
        return 1;
    }
    while (line < end) {
        const char *nl = memchr(line, '\n', (size_t)(end - line));
        const char *stop = nl ? nl : end;
        const char *colon;

        no++;
        if (stop > line && stop[-1] == '\r') {
            stop--;
        }
        if (memchr(line, '\0', (size_t)(stop - line)) != NULL) {
            *why = "a NUL byte";
            return no;
        }
        if (stop == line) {
            /* blank */
        }
        else if (line[0] != '#') {
            if (!plain_name(line, (apr_size_t)(stop - line))) {
                *why = "a URI " NOT_PLAIN;
                return no;
            }
        }
        else if (stop - line > 4 && !strncmp(line, "#EXT", 4)
                 && !(stop - line >= 8 && !strncmp(line, "#EXTINF:", 8))
                 && (colon = memchr(line, ':', (size_t)(stop - line)))
                        != NULL) {
            /* a tag (#EXTINF's title is free text, not attributes) */
            if ((*why = check_attributes(colon + 1, stop)) != NULL) {
                return no;
            }
        }
        line = nl ? nl + 1 : end;
    }
    return 0;
}
