/*
 * metrics/metrics.h -- the module's metrics in httpd: the table of
 * counters in shared memory (shm.c: created in post_config, attached in
 * child_init, kept across graceful restarts), the hook that counts every
 * request of a mod_broadcast handler and the broadcast-metrics handler
 * (handler.c, Prometheus text format), and the same counters on
 * mod_status's page (status.c).  The table and the text format are the
 * core's (include/mb_metrics.h).  Other files count with one call:
 * mb_metrics_count(MB_M_..., n).
 */
#ifndef MB_METRICS_GLUE_H
#define MB_METRICS_GLUE_H

#include "mb_private.h"
#include "mb_metrics.h"

/* Counter `i` (MB_M_* of mb_metrics.h) plus `n`; a no-op before the
 * table exists. */
void mb_metrics_count(int i, apr_int64_t n);

/* One STS call (ok or not) and the microseconds it took. */
void mb_metrics_count_sts(int ok, apr_time_t us);

/* One live stream file of `bytes` stored by PUT. */
void mb_metrics_count_upload(apr_off_t bytes);

/* A watch log batch done: `written` rows written, `lost` dropped (a
 * database error when any). */
void mb_metrics_count_watch_batch(int written, int lost);

/* The shared table (NULL before post_config). */
mb_metrics_table *mb_metrics_shared(void);

/* Hooks (registered in mod_broadcast.c). */
int mb_metrics_post_config(apr_pool_t *pconf, apr_pool_t *plog,
                           apr_pool_t *ptemp, server_rec *s);   /* shm.c  */
void mb_metrics_child_init(apr_pool_t *pchild, server_rec *s);  /* shm.c  */
int mb_metrics_log_transaction(request_rec *r);             /* handler.c */
int mb_metrics_handler(request_rec *r);                     /* handler.c */
int mb_metrics_status_hook(request_rec *r, int flags);      /* status.c  */

#endif /* MB_METRICS_GLUE_H */
