/*
 * recording.c -- the recordings of a self-hosted live stream, written at
 * stop from its journals (src/live/journal.c) under the stream's journal lock:
 * vod.m3u8 for a single media playlist; else vod.<name> for each and a
 * master vod.m3u8.  See src/live/live.h (mb_live_write_vod).
 */
#include "live/journal.h"
#include "mb_hls.h"

#include <apr_file_io.h>
#include <apr_hash.h>
#include <apr_strings.h>
#include <apr_tables.h>

#include <stdlib.h>

typedef struct {
    apr_pool_t *p;
    const char *dir;
    apr_off_t bytes;        /* of the segments kept */
    double seconds;
} keep_ctx;

static int file_present(keep_ctx *k, const char *uri, apr_off_t *size)
{
    apr_finfo_t fi;

    if (mb_hls_check_name(uri) != MB_HLS_NAME_OK
        || apr_stat(&fi, apr_pstrcat(k->p, k->dir, "/", uri, NULL),
                    APR_FINFO_TYPE | APR_FINFO_SIZE, k->p) != APR_SUCCESS
        || fi.filetype != APR_REG) {
        return 0;
    }
    *size = fi.size;
    return 1;
}

/* A segment is kept when its file (and its initialisation section) is
 * still there. */
static int segment_present(const mb_hls_segment *s, void *data)
{
    keep_ctx *k = data;
    apr_off_t size, isize;
    const char *init = s->map ? mb_hls_attr(k->p, s->map, "URI") : NULL;

    if (!file_present(k, s->uri, &size)
        || (s->map && (init == NULL || !file_present(k, init, &isize)))) {
        return 0;
    }
    if (s->byterange) {
        size = (apr_off_t)apr_atoi64(s->byterange);
    }
    k->bytes += size;
    k->seconds += s->duration;
    return 1;
}

typedef struct {
    apr_pool_t *p;
    apr_hash_t *recorded;   /* media playlist name -> recording name */
} rename_ctx;

static const char *recording_of(const char *uri, void *data)
{
    rename_ctx *c = data;
    return apr_hash_get(c->recorded, uri, APR_HASH_KEY_STRING);
}

static int by_name(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* The names of the media playlists that have a journal, sorted. */
static apr_status_t journals(apr_pool_t *p, const char *dir,
                             apr_array_header_t **names)
{
    apr_dir_t *d;
    apr_finfo_t fi;
    apr_status_t rv = apr_dir_open(&d, dir, p);
    size_t n = strlen(MB_JOURNAL_PREFIX);

    if (rv != APR_SUCCESS) {
        return rv;
    }
    *names = apr_array_make(p, 4, sizeof(const char *));
    while ((rv = apr_dir_read(&fi, APR_FINFO_NAME | APR_FINFO_TYPE, d))
           == APR_SUCCESS) {
        if (fi.filetype == APR_REG && !strncmp(fi.name, MB_JOURNAL_PREFIX, n)
            && mb_journal_wanted(fi.name + n)) {
            APR_ARRAY_PUSH(*names, const char *) =
                apr_pstrdup(p, fi.name + n);
        }
    }
    apr_dir_close(d);
    if (!APR_STATUS_IS_ENOENT(rv)) {
        return rv;
    }
    qsort((*names)->elts, (size_t)(*names)->nelts, sizeof(const char *),
          by_name);
    return APR_SUCCESS;
}

static apr_status_t write_recordings(apr_pool_t *p, const char *dir, int sync)
{
    apr_array_header_t *names, *variants;
    const char *vod = apr_pstrcat(p, dir, "/vod.m3u8", NULL), *master_text;
    char *text = NULL;
    apr_size_t len = 0;
    apr_status_t rv;
    rename_ctx rc;
    int i, have_master;

    if ((rv = journals(p, dir, &names)) != APR_SUCCESS) {
        return rv;
    }
    rv = mb_journal_read_file(p, apr_pstrcat(p, dir, "/" MB_JOURNAL_MASTER,
                                             NULL),
                              MB_JOURNAL_MAX_BYTES, &text, &len);
    if (!APR_STATUS_IS_ENOENT(rv) && rv != APR_SUCCESS) {
        return rv;
    }
    have_master = rv == APR_SUCCESS;
    rc.p = p;
    rc.recorded = apr_hash_make(p);
    variants = apr_array_make(p, names->nelts + 1, sizeof(mb_hls_variant));
    for (i = 0; i < names->nelts; i++) {
        const char *name = APR_ARRAY_IDX(names, i, const char *);
        const char *out = (names->nelts == 1 && !have_master)
                              ? "vod.m3u8" : apr_pstrcat(p, "vod.", name, NULL);
        char *jtext = NULL;
        apr_size_t jlen = 0;
        keep_ctx k;
        mb_hls_variant *v;

        rv = mb_journal_read_file(p, apr_pstrcat(p, dir, "/" MB_JOURNAL_PREFIX,
                                                 name, NULL),
                                  MB_JOURNAL_MAX_BYTES, &jtext, &jlen);
        if (rv != APR_SUCCESS) {
            return rv;          /* no recording from half a journal */
        }
        k.p = p;
        k.dir = dir;
        k.bytes = 0;
        k.seconds = 0;
        rv = mb_journal_write_atomically(p, dir,
                 apr_pstrcat(p, dir, "/", out, NULL),
                 mb_hls_vod_playlist(p, mb_hls_journal_parse(p, jtext),
                                     segment_present, &k), sync);
        if (rv != APR_SUCCESS) {
            return rv;
        }
        apr_hash_set(rc.recorded, name, APR_HASH_KEY_STRING, out);
        v = apr_array_push(variants);
        v->uri = out;
        v->bandwidth = k.seconds > 0
                           ? (apr_int64_t)((double)k.bytes * 8 / k.seconds)
                           : 0;
    }
    if (names->nelts == 1 && !have_master) {
        return APR_SUCCESS;     /* vod.m3u8 is that one recording */
    }
    if (names->nelts == 0) {
        /* nothing was ever listed: an empty recording */
        return mb_journal_write_atomically(p, dir, vod,
                   mb_hls_vod_playlist(p, apr_array_make(p, 1,
                                       sizeof(mb_hls_segment)), NULL, NULL),
                   sync);
    }
    master_text = have_master ? mb_hls_vod_master(p, text, len, recording_of,
                                                  &rc)
                              : NULL;
    if (master_text == NULL) {  /* none uploaded, or none of it recorded */
        master_text = mb_hls_master_playlist(p, variants);
    }
    return mb_journal_write_atomically(p, dir, vod, master_text, sync);
}

apr_status_t mb_live_write_vod(apr_pool_t *p, const char *dir, int sync)
{
    apr_file_t *lock;
    apr_status_t rv = mb_journal_lock(p, dir, &lock);

    if (rv != APR_SUCCESS) {
        return rv;
    }
    rv = write_recordings(p, dir, sync);
    mb_journal_unlock(lock);
    return rv;
}
