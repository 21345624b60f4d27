/*
 * mb_time.h -- the API's date format and STS's ISO 8601 expirations.
 * httpd-independent (APR only).
 */
#ifndef MB_TIME_H
#define MB_TIME_H

#include <apr_pools.h>
#include <apr_time.h>

#define MB_DATE_LEN 19 /* "YYYY-MM-DD HH:MM:SS" */

/* t as "YYYY-MM-DD HH:MM:SS" in GMT into out[MB_DATE_LEN + 1]. */
void mb_time_format(apr_time_t t, char *out);

/* The same, in a new string from p: the one formatter of the API's and
 * the status page's dates. */
const char *mb_time_pformat(apr_pool_t *p, apr_time_t t);

/* Parse an ISO 8601 UTC time as STS writes it ("2026-11-21T23:11:21Z",
 * optionally with fractional seconds, "+00:00" accepted for "Z").
 * Returns 0 and sets *t, or -1. */
int mb_time_parse_iso8601(const char *s, apr_time_t *t);

#endif /* MB_TIME_H */
