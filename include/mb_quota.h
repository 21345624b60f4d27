/*
 * mb_quota.h -- the running count of the bytes stored in a live stream's
 * directory by its broadcaster (BroadcastLiveQuota), httpd-independent
 * (APR only).
 *
 * The count is a decimal number in <dir>/.usage (a hidden name: never
 * uploaded, never served).  It is read and changed only under an exclusive
 * lock on that file (apr_file_lock: per open file, so it holds between the
 * threads of one process as between processes), and the change of the
 * directory it accounts for (a rename into place, a removal) is made under
 * the same lock: the count stays right with any number of concurrent
 * uploads in any number of children.  A missing or unreadable count is
 * rebuilt once from the directory: the regular files whose names may be
 * uploaded (mb_hls_check_name), so not the module's own hidden files.
 */
#ifndef MB_QUOTA_H
#define MB_QUOTA_H

#include <apr_pools.h>
#include <apr_file_io.h>

#define MB_QUOTA_FILE ".usage"

typedef struct mb_quota mb_quota;

/* Lock the count of the stream directory `dir` (waiting while another
 * request holds it) and read it.  APR_SUCCESS, or the error (nothing is
 * held then). */
apr_status_t mb_quota_open(mb_quota **q, const char *dir, apr_pool_t *p);

/* The bytes counted. */
apr_off_t mb_quota_used(const mb_quota *q);

/* Record a new count (clamped at 0), still under the lock. */
apr_status_t mb_quota_set(mb_quota *q, apr_off_t used);

/* Release the lock (also done when the pool is cleared). */
void mb_quota_close(mb_quota *q);

/* The bytes of the files of `dir` that count, as the rebuild sums them. */
apr_status_t mb_quota_scan(const char *dir, apr_pool_t *p, apr_off_t *used);

#endif /* MB_QUOTA_H */
