/*
 * journal.c -- the recording journal of self-hosted live streams, and the
 * recording playlists written from it at stop (see src/live/journal.h).
 *
 * Every media playlist a broadcaster uploads has a journal of its own
 * (<dir>/.journal-<name>): the segments it ever listed, in order, with the
 * tags playback needs.  A PUT of the playlist parses the body that was
 * stored, reads the journal once, merges in linear time and appends only
 * the new lines; the playlist is renamed into place under the same lock.
 * The lock is an apr_file_lock on <dir>/.journal.lock (fcntl: between
 * processes) taken under a process-wide thread mutex (fcntl locks belong
 * to the process, so threads of one child would share it).  The
 * recordings written from the journals at stop are in src/live/recording.c.
 */
#include "live/journal.h"
#include "mb_hls.h"
#include "mb_number.h"

#include <apr_file_io.h>
#include <apr_strings.h>
#include <apr_tables.h>
#include <apr_thread_mutex.h>

#include <errno.h>
#include <stdlib.h>

APLOG_USE_MODULE(broadcast);

#define JOURNAL_LOCK ".journal.lock"

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
    apr_int64_t v;

    if (mb_int_parse(arg, 1, 10000000, &v)) {
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

/* ---- files ------------------------------------------------------------- */

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

/* ---- the lock ---------------------------------------------------------- */

apr_status_t mb_journal_lock(apr_pool_t *p, const char *dir,
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

void mb_journal_unlock(apr_file_t *lock)
{
    apr_file_unlock(lock);
    apr_file_close(lock);
#if APR_HAS_THREADS
    if (journal_mutex) {
        apr_thread_mutex_unlock(journal_mutex);
    }
#endif
}

/* ---- a playlist upload ------------------------------------------------- */

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
                     const char *name, const char *body, apr_size_t blen,
                     const char *tmp, const char *final, mb_journal_error *err)
{
    apr_pool_t *p = r->pool;
    const char *jpath = apr_pstrcat(p, dir, "/" MB_JOURNAL_PREFIX, name,
                                    NULL);
    int max = mb_journal_max_segments(conf), sync = mb_journal_sync_on(conf);
    apr_array_header_t *fresh = NULL, *all, *added;
    apr_file_t *lock;
    char *jtext = NULL;
    apr_size_t jlen = 0;
    apr_status_t rv;
    int master = 0, parsed, stale = 0;

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

    rv = mb_journal_lock(p, dir, &lock);
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
                                         MB_JOURNAL_MASTER, NULL), body, sync);
        if (rv != APR_SUCCESS) {
            mb_journal_unlock(lock);
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
        rv = mb_journal_read_file(p, jpath, MB_JOURNAL_MAX_BYTES, &jtext,
                                  &jlen);
        if (APR_STATUS_IS_ENOENT(rv)) {
            jtext = "";
            jlen = 0;
            rv = APR_SUCCESS;
        }
        if (rv != APR_SUCCESS) {
            mb_journal_unlock(lock);
            ap_log_rerror(APLOG_MARK, APLOG_ERR, rv, r,
                          MBLOGNO(1305) "cannot read the segment journal %s: "
                          "kept as it is, upload of %s refused", jpath, name);
            return refuse(err, HTTP_INTERNAL_SERVER_ERROR, "journal_error",
                          "cannot record the playlist");
        }
        all = mb_hls_journal_parse(p, jtext);
        added = mb_hls_merge(p, all, fresh, &stale);
        if (all->nelts > max) {
            mb_journal_unlock(lock);
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
            mb_journal_unlock(lock);
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
        mb_journal_unlock(lock);
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
    mb_journal_unlock(lock);
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
