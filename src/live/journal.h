/*
 * mb_journal.h -- the recording journal of self-hosted live streams
 * (src/live/journal.c): one journal per media playlist, updated on every PUT of
 * that playlist under a per-stream lock, and the recording playlists
 * written from the journals at stop.
 */
#ifndef MB_JOURNAL_H
#define MB_JOURNAL_H

#include "config/dirconf.h"
#include "live/live.h"

#define MB_JOURNAL_PREFIX ".journal-"   /* + the media playlist's name */
#define MB_JOURNAL_MASTER ".master"     /* the uploaded master playlist */
#define MB_JOURNAL_MAX_BYTES ((apr_size_t)64 * 1024 * 1024)

/* The process's journal mutex (threads of one child). */
void mb_journal_child_init(apr_pool_t *pchild, server_rec *s);

/* 1 when a PUT of this name updates a journal: playlists other than the
 * recording's own names (vod.m3u8, vod.<name>). */
int mb_journal_wanted(const char *name);

typedef struct {
    const char *code;       /* the JSON error's code and message */
    const char *message;
} mb_journal_error;

/* A playlist upload, complete in `tmp`, whose stored bytes are `body`
 * (read back once from tmp by the caller, who has validated them): under
 * the stream's lock, record the segments of that body in the journal of
 * `name` (a master playlist is kept for the recording's master) and rename
 * tmp to final.  OK, or the
 * HTTP status with *err filled (logged): 413 over BroadcastLiveMaxSegments,
 * 500 when the journal cannot be read or written (it is then left as it
 * was, and tmp is not renamed), 507 when the disk is full. */
int mb_journal_store(request_rec *r, const mb_dir_conf *conf, const char *dir,
                     const char *name, const char *body, apr_size_t blen,
                     const char *tmp, const char *final, mb_journal_error *err);

/* The stream's lock (apr_file_lock on <dir>/.journal.lock, under the
 * process's thread mutex), around every journal update and at stop. */
apr_status_t mb_journal_lock(apr_pool_t *p, const char *dir,
                             apr_file_t **lock);
void mb_journal_unlock(apr_file_t *lock);

/* Small files: read whole (EFBIG over max), write through a temporary name
 * (synced before the rename, and the directory after it, when sync). */
apr_status_t mb_journal_read_file(apr_pool_t *p, const char *path,
                                  apr_size_t max, char **text,
                                  apr_size_t *len);
apr_status_t mb_journal_write_atomically(apr_pool_t *p, const char *dir,
                                         const char *final, const char *text,
                                         int sync);
apr_status_t mb_journal_sync_dir(apr_pool_t *p, const char *dir);

#endif /* MB_JOURNAL_H */
