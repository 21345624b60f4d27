/*
 * mb_sqltime.h -- times as the databases return them, and as the status
 * page shows them.  httpd-independent (APR only).
 */
#ifndef MB_SQLTIME_H
#define MB_SQLTIME_H

#include <apr_pools.h>
#include <apr_time.h>

/* Parse "YYYY-MM-DD HH:MM:SS" (or with 'T'), with optional fractional
 * seconds and an optional zone ("Z", "+HH", "+HH:MM", "-HHMM"); without a
 * zone the time is UTC, as the schemas store it.  Returns 0 and sets *t,
 * or -1. */
int mb_sqltime_parse(const char *s, apr_time_t *t);

/* "YYYY-MM-DD HH:MM:SS" in UTC. */
const char *mb_sqltime_format(apr_pool_t *p, apr_time_t t);

/* A duration for people: "45s", "3m 05s", "2h 07m", "3d 04h" (negative
 * durations are shown as "0s"). */
const char *mb_duration_format(apr_pool_t *p, apr_interval_time_t d);

#endif /* MB_SQLTIME_H */
