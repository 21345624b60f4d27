/*
 * hls.c -- HLS media playlists (see include/mb_hls.h): parsing them, the
 * journal that accumulates their segments across the live window, and the
 * recording playlist written from it.  httpd-independent (APR only).  What
 * a broadcaster may upload is checked in src/core/hls_ingest.c, master
 * playlists are in src/core/hls_master.c.
 */
#include "mb_hls.h"

#include <apr_hash.h>
#include <apr_strings.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

/* A segment duration: a number from 0 to a day, else -1.  Bounded so that
 * the recording's (int)ceil(#EXT-X-TARGETDURATION) is always defined. */
static double duration_of(const char *num)
{
    char *e;
    double d = strtod(num, &e);

    return (e == num || !(d >= 0) || d > MB_HLS_MAX_DURATION) ? -1 : d;
}

int mb_hls_parse(apr_pool_t *p, const char *text, apr_size_t len,
                 apr_array_header_t **segs)
{
    return mb_hls_parse_max(p, text, len, 0, segs);
}

/* "n[@o]" of #EXT-X-BYTERANGE: 0, or -1 when malformed (o = -1: absent) */
static int parse_byterange(const char *v, apr_int64_t *n, apr_int64_t *o)
{
    char *e;

    *n = apr_strtoi64(v, &e, 10);
    if (e == v || *n <= 0) {
        return -1;
    }
    *o = -1;
    if (*e == '@') {
        const char *ov = e + 1;
        *o = apr_strtoi64(ov, &e, 10);
        if (e == ov || *o < 0 || *n > APR_INT64_MAX - *o) {
            return -1;
        }
    }
    return *e == '\0' ? 0 : -1;
}

/* Does the line start with this tag (a literal)? */
#define TAG(line, n, lit) \
    ((n) >= sizeof(lit) - 1 && !memcmp((line), (lit), sizeof(lit) - 1))

int mb_hls_parse_max(apr_pool_t *p, const char *text, apr_size_t len,
                     int max, apr_array_header_t **segs)
{
    const char *line = text, *end = text + len;
    const char *map = NULL, *pdt = NULL, *br_uri = NULL;
    char *brange = NULL;
    apr_int64_t br_end = 0;
    apr_int64_t seq = 0;
    double duration = -1;
    int disc = 0, count = 0;

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
        if (TAG(line, n, "#EXTINF:")) {
            duration = duration_of(apr_pstrmemdup(p, line + 8, n - 8));
        }
        else if (n == 20 && TAG(line, n, "#EXT-X-DISCONTINUITY")) {
            disc = 1;
        }
        else if (TAG(line, n, "#EXT-X-MEDIA-SEQUENCE:")) {
            char *num = apr_pstrmemdup(p, line + 22, n - 22), *e;
            apr_int64_t v = apr_strtoi64(num, &e, 10);
            if (e != num && *e == '\0' && v >= 0 && v < APR_INT64_MAX / 2) {
                seq = v;
            }
        }
        else if (TAG(line, n, "#EXT-X-MAP:")) {
            map = apr_pstrmemdup(p, line + 11, n - 11);
        }
        else if (TAG(line, n, "#EXT-X-PROGRAM-DATE-TIME:")) {
            pdt = apr_pstrmemdup(p, line + 25, n - 25);
        }
        else if (TAG(line, n, "#EXT-X-BYTERANGE:")) {
            brange = apr_pstrmemdup(p, line + 17, n - 17);
        }
        else if (n > 0 && line[0] != '#') {
            const char *uri = apr_pstrmemdup(p, line, n);
            const char *range = NULL;
            apr_int64_t bn, bo;
            int ok = duration >= 0;

            if (ok && brange != NULL) {
                /* no offset: the bytes after the previous sub-range of the
                 * same resource (RFC 8216 4.3.2.2); else malformed */
                ok = parse_byterange(brange, &bn, &bo) == 0
                     && (bo >= 0 || (br_uri && !strcmp(br_uri, uri)));
                if (ok) {
                    if (bo < 0) {
                        bo = br_end;
                    }
                    ok = bn <= APR_INT64_MAX - bo;
                }
                if (ok) {
                    range = apr_psprintf(p, "%" APR_INT64_T_FMT "@%"
                                         APR_INT64_T_FMT, bn, bo);
                    br_uri = uri;
                    br_end = bo + bn;
                }
            }
            else {
                br_uri = NULL;
            }
            if (ok) {
                mb_hls_segment *s;
                if (max > 0 && ++count > max) {
                    return -2;
                }
                s = apr_array_push(*segs);
                s->duration = duration;
                s->uri = uri;
                s->discontinuity = disc;
                s->map = map;
                s->byterange = range;
                s->pdt = pdt;
                s->seq = seq;
            }
            if (seq < APR_INT64_MAX / 2) {
                seq++;          /* the next URI's number, listed or not */
            }
            duration = -1;
            disc = 0;
            pdt = NULL;
            brange = NULL;
        }
        line = nl ? nl + 1 : end;
    }
    return 0;
}

int mb_hls_is_master(const char *text, apr_size_t len)
{
    const char *line = text, *end = text + len;

    while (line < end) {
        const char *nl = memchr(line, '\n', (size_t)(end - line));
        apr_size_t n = (apr_size_t)((nl ? nl : end) - line);

        if (TAG(line, n, "#EXT-X-STREAM-INF:") || TAG(line, n, "#EXT-X-MEDIA:")
            || TAG(line, n, "#EXT-X-I-FRAME-STREAM-INF:")) {
            return 1;
        }
        line = nl ? nl + 1 : end;
    }
    return 0;
}

/* What identifies a segment: its URI, and its sub-range if it has one. */
static const char *segment_key(apr_pool_t *p, const mb_hls_segment *s)
{
    return s->byterange ? apr_pstrcat(p, s->uri, "\t", s->byterange, NULL)
                        : s->uri;
}

/* Can the journal hold it?  Its fields are separated by tabs. */
static int journalable(const mb_hls_segment *s)
{
    return *s->uri != '\0' && !strchr(s->uri, '\t')
           && (s->map == NULL || !strchr(s->map, '\t'))
           && (s->pdt == NULL || !strchr(s->pdt, '\t'));
}

apr_array_header_t *mb_hls_merge(apr_pool_t *p, apr_array_header_t *all,
                                 const apr_array_header_t *fresh, int *stale)
{
    apr_array_header_t *added = apr_array_make(p, fresh->nelts > 0
                                                  ? fresh->nelts : 1,
                                               sizeof(mb_hls_segment));
    apr_hash_t *known = apr_hash_make(p);
    apr_int64_t newest = -1, offset = 0;
    const char **keys;
    int i, seen = 0;

    for (i = 0; i < all->nelts; i++) {
        const mb_hls_segment *s = &APR_ARRAY_IDX(all, i, mb_hls_segment);
        apr_hash_set(known, segment_key(p, s), APR_HASH_KEY_STRING, "");
        if (s->seq > newest) {
            newest = s->seq;
        }
    }
    keys = apr_pcalloc(p, sizeof(*keys) * (size_t)(fresh->nelts + 1));
    for (i = 0; i < fresh->nelts; i++) {
        const mb_hls_segment *f = &APR_ARRAY_IDX(fresh, i, mb_hls_segment);
        if (journalable(f)) {
            keys[i] = segment_key(p, f);
            seen |= apr_hash_get(known, keys[i], APR_HASH_KEY_STRING) != NULL;
        }
    }
    if (fresh->nelts > 0 && !seen && newest >= 0
        && APR_ARRAY_IDX(fresh, 0, mb_hls_segment).seq <= newest) {
        /* the encoder started again: after everything recorded */
        offset = newest + 1 - APR_ARRAY_IDX(fresh, 0, mb_hls_segment).seq;
    }
    for (i = 0; i < fresh->nelts; i++) {
        mb_hls_segment f = APR_ARRAY_IDX(fresh, i, mb_hls_segment);

        if (keys[i] == NULL
            || apr_hash_get(known, keys[i], APR_HASH_KEY_STRING) != NULL) {
            continue;
        }
        apr_hash_set(known, keys[i], APR_HASH_KEY_STRING, "");
        f.seq += offset;
        *(mb_hls_segment *)apr_array_push(all) = f;
        *(mb_hls_segment *)apr_array_push(added) = f;
    }
    if (stale) {
        *stale = added->nelts == 0 && fresh->nelts > 0
                 && APR_ARRAY_IDX(fresh, fresh->nelts - 1, mb_hls_segment).seq
                        < newest;
    }
    return added;
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
            apr_psprintf(p, "%.6f\t%d\t%" APR_INT64_T_FMT "\t%s\t%s\t%s\t%s\n",
                         s->duration, s->discontinuity, s->seq,
                         s->byterange ? s->byterange : "",
                         s->pdt ? s->pdt : "", s->map ? s->map : "", s->uri);
    }
    return apr_array_pstrcat(p, lines, 0);
}

/* The next tab-separated field of a journal line ("" stays "", NULL at the
 * end of the line). */
static char *next_field(char **cur)
{
    char *f = *cur, *tab;

    if (f == NULL) {
        return NULL;
    }
    tab = strchr(f, '\t');
    if (tab) {
        *tab = '\0';
        *cur = tab + 1;
    }
    else {
        *cur = NULL;
    }
    return f;
}

apr_array_header_t *mb_hls_journal_parse(apr_pool_t *p, const char *text)
{
    apr_array_header_t *segs = apr_array_make(p, 16, sizeof(mb_hls_segment));
    char *copy = apr_pstrdup(p, text), *line = copy, *nl;

    /* only whole lines: a torn last line (no newline) is ignored */
    for (; (nl = strchr(line, '\n')) != NULL; line = nl + 1) {
        char *cur = line, *f[7], *e;
        mb_hls_segment s;
        int n = 0;

        *nl = '\0';
        while (n < 7 && (f[n] = next_field(&cur)) != NULL) {
            n++;
        }
        if (cur != NULL || (n != 3 && n != 7)) {
            continue;           /* not a journal line */
        }
        s.duration = strtod(f[0], &e);
        if (e == f[0] || *e != '\0' || !(s.duration >= 0)
            || s.duration > MB_HLS_MAX_DURATION
            || (strcmp(f[1], "0") && strcmp(f[1], "1"))) {
            continue;
        }
        s.discontinuity = f[1][0] == '1';
        s.byterange = s.pdt = s.map = NULL;
        s.seq = segs->nelts;    /* n == 3: the journal of earlier versions */
        if (n == 7) {
            s.seq = apr_strtoi64(f[2], &e, 10);
            if (e == f[2] || *e != '\0' || s.seq < 0) {
                continue;
            }
            s.byterange = *f[3] ? f[3] : NULL;
            s.pdt = *f[4] ? f[4] : NULL;
            s.map = *f[5] ? f[5] : NULL;
        }
        s.uri = f[n - 1];
        if (*s.uri == '\0') {
            continue;
        }
        *(mb_hls_segment *)apr_array_push(segs) = s;
    }
    return segs;
}

static int by_seq(const void *a, const void *b)
{
    const mb_hls_segment *x = *(const mb_hls_segment *const *)a;
    const mb_hls_segment *y = *(const mb_hls_segment *const *)b;

    if (x->seq != y->seq) {
        return x->seq < y->seq ? -1 : 1;
    }
    return x < y ? -1 : x > y;      /* stable: the journal's order */
}

const char *mb_hls_vod_playlist(apr_pool_t *p, const apr_array_header_t *in,
                                mb_hls_keep_fn keep, void *ctx)
{
    apr_array_header_t *out = apr_array_make(p, in->nelts * 3 + 8,
                                             sizeof(char *));
    const char *map = NULL;
    double target = 1;
    int i, first = 1, version = 3;
    char *kept = apr_pcalloc(p, (apr_size_t)in->nelts + 1);
    const mb_hls_segment **order = apr_palloc(p, sizeof(*order)
                                                 * (size_t)(in->nelts + 1));

    for (i = 0; i < in->nelts; i++) {
        order[i] = &APR_ARRAY_IDX(in, i, mb_hls_segment);
    }
    qsort(order, (size_t)in->nelts, sizeof(*order), by_seq);
    for (i = 0; i < in->nelts; i++) {
        const mb_hls_segment *s = order[i];
        kept[i] = keep == NULL || keep(s, ctx);
        if (!kept[i]) {
            continue;
        }
        if (s->duration > target) {
            target = s->duration;
        }
        if (s->byterange && version < 4) {
            version = 4;        /* EXT-X-BYTERANGE */
        }
        if (s->map) {
            version = 6;        /* EXT-X-MAP in a media playlist */
        }
    }
    APR_ARRAY_PUSH(out, const char *) = apr_psprintf(p,
        "#EXTM3U\n#EXT-X-VERSION:%d\n#EXT-X-PLAYLIST-TYPE:VOD\n"
        "#EXT-X-TARGETDURATION:%d\n#EXT-X-MEDIA-SEQUENCE:0\n",
        version, (int)ceil(target));
    for (i = 0; i < in->nelts; i++) {
        const mb_hls_segment *s = order[i];
        if (!kept[i]) {
            continue;
        }
        if (s->discontinuity && !first) {
            APR_ARRAY_PUSH(out, const char *) = "#EXT-X-DISCONTINUITY\n";
        }
        if (s->map && (map == NULL || strcmp(map, s->map) != 0)) {
            APR_ARRAY_PUSH(out, const char *) =
                apr_pstrcat(p, "#EXT-X-MAP:", s->map, "\n", NULL);
        }
        map = s->map;
        if (s->pdt) {
            APR_ARRAY_PUSH(out, const char *) =
                apr_pstrcat(p, "#EXT-X-PROGRAM-DATE-TIME:", s->pdt, "\n",
                            NULL);
        }
        APR_ARRAY_PUSH(out, const char *) =
            apr_psprintf(p, "#EXTINF:%.6f,\n", s->duration);
        if (s->byterange) {
            APR_ARRAY_PUSH(out, const char *) =
                apr_pstrcat(p, "#EXT-X-BYTERANGE:", s->byterange, "\n", NULL);
        }
        APR_ARRAY_PUSH(out, const char *) = apr_pstrcat(p, s->uri, "\n", NULL);
        first = 0;
    }
    APR_ARRAY_PUSH(out, const char *) = "#EXT-X-ENDLIST\n";
    return apr_array_pstrcat(p, out, 0);
}
