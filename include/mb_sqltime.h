/*
 * mb_sqltime.h -- durations as the status page shows them (times: mb_time.h).
 * httpd-independent (APR only).
 */
#ifndef MB_SQLTIME_H
#define MB_SQLTIME_H

#include <apr_pools.h>
#include <apr_time.h>

/* A duration for people: "45s", "3m 05s", "2h 07m", "3d 04h" (negative
 * durations are shown as "0s"). */
const char *mb_duration_format(apr_pool_t *p, apr_interval_time_t d);

#endif /* MB_SQLTIME_H */
