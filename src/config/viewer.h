/*
 * config/viewer.h -- the configuration of who may watch a stream: the
 * secrets that sign viewer links (BroadcastViewerSecret) and the
 * visibility of a new stream (BroadcastDefaultVisibility), how long a
 * process reuses a revocation it read (BroadcastViewerRevocationCache);
 * accessors with
 * the defaults in src/config/viewer.c.
 */
#ifndef MB_CONFIG_VIEWER_H
#define MB_CONFIG_VIEWER_H

#include <apr_pools.h>

#define MB_VIEWER_PUBLIC 0
#define MB_VIEWER_PRIVATE 1

typedef struct {
    /* BroadcastViewerSecret, resolved and keyed (include/mb_hmac_key.h):
     * [0] signs new links, [1] (or NULL) is still accepted; keys[0] NULL:
     * not set */
    const struct mb_hmac_key *keys[2];
    int default_visibility;    /* BroadcastDefaultVisibility (MB_UNSET) */
    int revocation_cache;      /* BroadcastViewerRevocationCache, seconds
                                  (MB_UNSET) */
} mb_viewer_conf;

void mb_viewer_conf_init(mb_viewer_conf *c);
void mb_viewer_conf_merge(mb_viewer_conf *c, const mb_viewer_conf *base,
                          const mb_viewer_conf *add);

/* BroadcastDefaultVisibility, default public (MB_VIEWER_PUBLIC). */
int mb_viewer_default_visibility(const mb_viewer_conf *c);

/* BroadcastViewerRevocationCache: how long (seconds) a process may reuse
 * what it read of a link's revocation; 0 reads it at every request.
 * Default 5. */
int mb_viewer_revocation_cache(const mb_viewer_conf *c);

#endif /* MB_CONFIG_VIEWER_H */
