/*
 * journal.c -- the recording journal of self-hosted live streams, and the
 * recording playlists written from it at stop (see include/mb_journal.h).
 *
 * Every media playlist a broadcaster uploads has a journal of its own
 * (<dir>/.journal-<name>): the segments it ever listed, in order, with the
 * tags playback needs.  A PUT of the playlist parses the body that was
 * stored, reads the journal once, merges in linear time and appends only
 * the new lines; the playlist is renamed into place under the same lock.
 * The lock is an apr_file_lock on <dir>/.journal.lock (fcntl: between
 * processes) taken under a process-wide thread mutex (fcntl locks belong
 * to the process, so threads of one child would share it).
 */
#include "mb_journal.h"
#include "mb_hls.h"

#include <apr_file_io.h>
#include <apr_strings.h>
#include <apr_tables.h>
#include <apr_thread_mutex.h>

#include <errno.h>
#include <stdlib.h>

APLOG_USE_MODULE(broadcast);

#define JOURNAL_PREFIX ".journal-"
#define JOURNAL_LOCK ".journal.lock"
#define MASTER_COPY ".master"
#define JOURNAL_MAX_BYTES ((apr_size_t)64 * 1024 * 1024)

#if APR_HAS_THREADS
static apr_thread_mutex_t *journal_mutex;
#endif

void mb_journal_child_init(apr_pool_t *pchild, server_rec *s)
{
#if APR_HAS_THREADS
    apr_status_t rv = apr_thread_mutex_create(&journal_mutex,
                                              APR_THREAD_MUTEX_DEFAULT,
                                              pchild);
    if (rv != APR_SUCCESS) {
        ap_log_error(APLOG_MARK, APLOG_CRIT, rv, s,
                     MBLOGNO(1300) "cannot create the journal mutex");
        journal_mutex = NULL;
    }
#else
    (void)pchild;
    (void)s;
#endif
}

/* ---- configuration ------------------------------------------------------ */

const char *mb_cmd_live_max_segments(cmd_parms *cmd, void *dcfg,
                                     const char *arg)
{
    mb_dir_conf *conf = dcfg;
    char *end;
    apr_int64_t v = apr_strtoi64(arg, &end, 10);

    if (end == arg || *end != '\0' || v < 1 || v > 10000000) {
        return apr_pstrcat(cmd->pool, cmd->cmd->name, ": '", arg,
                           "' is not a number of segments (1-10000000)",
                           NULL);
    }
    conf->live_max_segments = (int)v;
    return NULL;
}

const char *mb_cmd_live_sync(cmd_parms *cmd, void *dcfg, int on)
{
    mb_dir_conf *conf = dcfg;

    (void)cmd;
    conf->live_sync = on;
    return NULL;
}

int mb_journal_max_segments(const mb_dir_conf *conf)
{
    return conf->live_max_segments != MB_UNSET
               ? conf->live_max_segments : MB_DEFAULT_LIVE_MAX_SEGMENTS;
}

int mb_journal_sync_on(const mb_dir_conf *conf)
{
    return conf->live_sync != 0;    /* MB_UNSET: the default, On */
}

/* ---- files ---------------------------------------------------------------- */

apr_status_t mb_journal_read_file(apr_pool_t *p, const char *path,
                                  apr_size_t max, char **text,
                                  apr_size_t *len)
{
    apr_file_t *f;
    apr_finfo_t fi;
    apr_status_t rv;
    apr_size_t n;

    rv = apr_file_open(&f, path, APR_FOPEN_READ | APR_FOPEN_BINARY, 0, p);
    if (rv != APR_SUCCESS) {
        return rv;
    }
    rv = apr_file_info_get(&fi, APR_FINFO_SIZE, f);
    if (rv == APR_SUCCESS && (fi.size < 0 || (apr_size_t)fi.size > max)) {
        rv = APR_FROM_OS_ERROR(EFBIG);
    }
    if (rv == APR_SUCCESS) {
        n = (apr_size_t)fi.size;
        *text = apr_palloc(p, n + 1);
        rv = apr_file_read_full(f, *text, n, &n);
        if (rv == APR_EOF) {
            rv = APR_SUCCESS;
        }
        (*text)[n] = '\0';
        *len = n;
    }
    apr_file_close(f);
    return rv;
}

apr_status_t mb_journal_sync_dir(apr_pool_t *p, const char *dir)
{
    apr_file_t *d;
    apr_status_t rv = apr_file_open(&d, dir, APR_FOPEN_READ, 0, p);

    if (rv != APR_SUCCESS) {
        return rv;
    }
    rv = apr_file_sync(d);
    apr_file_close(d);
    return rv;
}

apr_status_t mb_journal_write_atomically(apr_pool_t *p, const char *dir,
                                         const char *final, const char *text,
                                         int sync)
{
    apr_file_t *f;
    char *tmp = apr_pstrcat(p, dir, "/.write-XXXXXX", NULL);
    apr_size_t n = strlen(text);
    apr_status_t rv, rc;

    rv = apr_file_mktemp(&f, tmp, APR_FOPEN_CREATE | APR_FOPEN_WRITE
                         | APR_FOPEN_EXCL | APR_FOPEN_BINARY, p);
    if (rv != APR_SUCCESS) {
        return rv;
    }
    rv = apr_file_write_full(f, text, n, NULL);
    if (rv == APR_SUCCESS && sync) {
        rv = apr_file_sync(f);          /* the bytes before the name */
    }
    if (rv == APR_SUCCESS) {   /* readable by operators; failure is harmless */
        apr_file_perms_set(tmp, APR_FPROT_UREAD | APR_FPROT_UWRITE
                           | APR_FPROT_GREAD | APR_FPROT_WREAD);
    }
    rc = apr_file_close(f);
    if (rv == APR_SUCCESS) {
        rv = rc;
    }
    if (rv == APR_SUCCESS) {
        rv = apr_file_rename(tmp, final, p);
    }
    if (rv != APR_SUCCESS) {
        apr_file_remove(tmp, p);
        return rv;
    }
    return sync ? mb_journal_sync_dir(p, dir) : APR_SUCCESS;
}

/* ---- the lock ------------------------------------------------------------- */

static apr_status_t journal_lock(apr_pool_t *p, const char *dir,
                                 apr_file_t **lock)
{
    apr_status_t rv;

#if APR_HAS_THREADS
    if (journal_mutex) {
        apr_thread_mutex_lock(journal_mutex);
    }
#endif
    rv = apr_file_open(lock, apr_pstrcat(p, dir, "/" JOURNAL_LOCK, NULL),
                       APR_FOPEN_CREATE | APR_FOPEN_WRITE,
                       APR_FPROT_UREAD | APR_FPROT_UWRITE, p);
    if (rv == APR_SUCCESS) {
        rv = apr_file_lock(*lock, APR_FLOCK_EXCLUSIVE);
        if (rv != APR_SUCCESS) {
            apr_file_close(*lock);
        }
    }
#if APR_HAS_THREADS
    if (rv != APR_SUCCESS && journal_mutex) {
        apr_thread_mutex_unlock(journal_mutex);
    }
#endif
    return rv;
}

static void journal_unlock(apr_file_t *lock)
{
    apr_file_unlock(lock);
    apr_file_close(lock);
#if APR_HAS_THREADS
    if (journal_mutex) {
        apr_thread_mutex_unlock(journal_mutex);
    }
#endif
}

/* ---- a playlist upload ------------------------------------------------------ */

int mb_journal_wanted(const char *name)
{
    /* vod.m3u8 and vod.<name> are the recording's own names */
    return mb_hls_is_playlist(name) && strncmp(name, "vod.", 4) != 0;
}

/* Append `lines` to the journal whose current content is text[0..len):
 * a torn last line (a crash mid-append) is cut off first. */
static apr_status_t journal_append(apr_pool_t *p, const char *jpath,
                                   const char *text, apr_size_t len,
                                   const char *lines, int sync)
{
    apr_file_t *f;
    apr_status_t rv, rc;
    apr_size_t whole = len;

    while (whole > 0 && text[whole - 1] != '\n') {
        whole--;
    }
    rv = apr_file_open(&f, jpath, APR_FOPEN_CREATE | APR_FOPEN_WRITE
                       | APR_FOPEN_APPEND | APR_FOPEN_BINARY,
                       APR_FPROT_UREAD | APR_FPROT_UWRITE | APR_FPROT_GREAD
                       | APR_FPROT_WREAD, p);
    if (rv != APR_SUCCESS) {
        return rv;
    }
    if (whole < len) {
        rv = apr_file_trunc(f, (apr_off_t)whole);
    }
    if (rv == APR_SUCCESS) {
        rv = apr_file_write_full(f, lines, strlen(lines), NULL);
    }
    if (rv == APR_SUCCESS && sync) {
        rv = apr_file_datasync(f);
    }
    rc = apr_file_close(f);
    return rv != APR_SUCCESS ? rv : rc;
}

static int refuse(mb_journal_error *err, int status, const char *code,
                  const char *message)
{
    err->code = code;
    err->message = message;
    return status;
}

int mb_journal_store(request_rec *r, const mb_dir_conf *conf, const char *dir,
                     const char *name, const char *tmp, const char *final,
                     mb_journal_error *err)
{
    apr_pool_t *p = r->pool;
    const char *jpath = apr_pstrcat(p, dir, "/" JOURNAL_PREFIX, name, NULL);
    int max = mb_journal_max_segments(conf), sync = mb_journal_sync_on(conf);
    apr_array_header_t *fresh = NULL, *all, *added;
    apr_off_t limit = conf->live_max_upload > 0 ? conf->live_max_upload
                                                : MB_DEFAULT_LIVE_MAX_UPLOAD;
    apr_file_t *lock;
    char *body = NULL, *jtext = NULL;
    apr_size_t blen = 0, jlen = 0;
    apr_status_t rv;
    int master = 0, parsed, stale = 0;

    /* the body exactly as stored (the temporary file about to be renamed) */
    rv = mb_journal_read_file(p, tmp, (apr_size_t)limit, &body, &blen);
    if (rv != APR_SUCCESS) {
        ap_log_rerror(APLOG_MARK, APLOG_ERR, rv, r,
                      MBLOGNO(1301) "cannot read back the uploaded %s in %s",
                      name, dir);
        return refuse(err, HTTP_INTERNAL_SERVER_ERROR, "io_error",
                      "cannot store the file");
    }
    if (mb_hls_is_master(body, blen)) {
        master = 1;
    }
    else {
        parsed = mb_hls_parse_max(p, body, blen, max, &fresh);
        if (parsed == -2) {
            ap_log_rerror(APLOG_MARK, APLOG_INFO, 0, r,
                          MBLOGNO(1302) "playlist %s refused: it lists more "
                          "than %d segments (BroadcastLiveMaxSegments)",
                          name, max);
            return refuse(err, HTTP_REQUEST_ENTITY_TOO_LARGE,
                          "too_many_segments", "the playlist lists more "
                          "segments than BroadcastLiveMaxSegments allows");
        }
        if (parsed != 0) {
            fresh = NULL;       /* not M3U: stored, nothing to record */
        }
    }

    rv = journal_lock(p, dir, &lock);
    if (rv != APR_SUCCESS) {
        ap_log_rerror(APLOG_MARK, APLOG_ERR, rv, r,
                      MBLOGNO(1303) "cannot lock the segment journal of %s: "
                      "upload of %s refused", dir, name);
        return refuse(err, HTTP_INTERNAL_SERVER_ERROR, "journal_error",
                      "cannot record the playlist");
    }
    if (master) {
        /* the recording's master playlist is made from this at stop */
        rv = mb_journal_write_atomically(p, dir, apr_pstrcat(p, dir, "/"
                                         MASTER_COPY, NULL), body, sync);
        if (rv != APR_SUCCESS) {
            journal_unlock(lock);
            ap_log_rerror(APLOG_MARK, APLOG_ERR, rv, r,
                          MBLOGNO(1304) "cannot keep a copy of the master "
                          "playlist %s in %s", name, dir);
            return refuse(err, APR_STATUS_IS_ENOSPC(rv)
                                   ? HTTP_INSUFFICIENT_STORAGE
                                   : HTTP_INTERNAL_SERVER_ERROR,
                          "journal_error", "cannot record the playlist");
        }
    }
    else if (fresh != NULL && fresh->nelts > 0) {
        /* only "no such file" is an empty journal: on any other error the
         * journal stays as it is and this upload fails */
        rv = mb_journal_read_file(p, jpath, JOURNAL_MAX_BYTES, &jtext, &jlen);
        if (APR_STATUS_IS_ENOENT(rv)) {
            jtext = "";
            jlen = 0;
            rv = APR_SUCCESS;
        }
        if (rv != APR_SUCCESS) {
            journal_unlock(lock);
            ap_log_rerror(APLOG_MARK, APLOG_ERR, rv, r,
                          MBLOGNO(1305) "cannot read the segment journal %s: "
                          "kept as it is, upload of %s refused", jpath, name);
            return refuse(err, HTTP_INTERNAL_SERVER_ERROR, "journal_error",
                          "cannot record the playlist");
        }
        all = mb_hls_journal_parse(p, jtext);
        added = mb_hls_merge(p, all, fresh, &stale);
        if (all->nelts > max) {
            journal_unlock(lock);
            ap_log_rerror(APLOG_MARK, APLOG_INFO, 0, r,
                          MBLOGNO(1306) "playlist %s refused: the recording "
                          "would list more than %d segments "
                          "(BroadcastLiveMaxSegments)", name, max);
            return refuse(err, HTTP_REQUEST_ENTITY_TOO_LARGE,
                          "too_many_segments", "the recording has reached "
                          "the segments BroadcastLiveMaxSegments allows");
        }
        if (added->nelts > 0) {
            rv = journal_append(p, jpath, jtext, jlen,
                                mb_hls_journal_format(p, added), sync);
        }
        if (rv != APR_SUCCESS) {
            journal_unlock(lock);
            ap_log_rerror(APLOG_MARK, APLOG_ERR, rv, r,
                          MBLOGNO(1307) "cannot append to the segment journal "
                          "%s: upload of %s refused", jpath, name);
            return refuse(err, APR_STATUS_IS_ENOSPC(rv)
                                   ? HTTP_INSUFFICIENT_STORAGE
                                   : HTTP_INTERNAL_SERVER_ERROR,
                          "journal_error", "cannot record the playlist");
        }
    }
    if (stale) {
        /* an older window that arrived late (uploads overtaking each
         * other): recorded, but the newer live playlist stays */
        journal_unlock(lock);
        ap_log_rerror(APLOG_MARK, APLOG_DEBUG, 0, r,
                      MBLOGNO(1309) "%s: an older window than the stored "
                      "one; the live playlist is kept", name);
        apr_file_remove(tmp, p);
        return OK;
    }
    rv = apr_file_rename(tmp, final, p);
    if (rv == APR_SUCCESS && sync) {
        rv = mb_journal_sync_dir(p, dir);
    }
    journal_unlock(lock);
    if (rv != APR_SUCCESS) {
        ap_log_rerror(APLOG_MARK, APLOG_ERR, rv, r,
                      MBLOGNO(1308) "cannot store %s in %s", name, dir);
        return refuse(err, APR_STATUS_IS_ENOSPC(rv)
                               ? HTTP_INSUFFICIENT_STORAGE
                               : HTTP_INTERNAL_SERVER_ERROR,
                      "io_error", "cannot store the file");
    }
    return OK;
}

/* ---- the recording, at stop ------------------------------------------------- */

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
    size_t n = strlen(JOURNAL_PREFIX);

    if (rv != APR_SUCCESS) {
        return rv;
    }
    *names = apr_array_make(p, 4, sizeof(const char *));
    while ((rv = apr_dir_read(&fi, APR_FINFO_NAME | APR_FINFO_TYPE, d))
           == APR_SUCCESS) {
        if (fi.filetype == APR_REG && !strncmp(fi.name, JOURNAL_PREFIX, n)
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
    rv = mb_journal_read_file(p, apr_pstrcat(p, dir, "/" MASTER_COPY, NULL),
                              JOURNAL_MAX_BYTES, &text, &len);
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

        rv = mb_journal_read_file(p, apr_pstrcat(p, dir, "/" JOURNAL_PREFIX,
                                                 name, NULL),
                                  JOURNAL_MAX_BYTES, &jtext, &jlen);
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
    apr_status_t rv = journal_lock(p, dir, &lock);

    if (rv != APR_SUCCESS) {
        return rv;
    }
    rv = write_recordings(p, dir, sync);
    journal_unlock(lock);
    return rv;
}
