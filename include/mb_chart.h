/*
 * mb_chart.h -- the status page's chart of watch requests per minute, as
 * inline SVG (no script, no external resource).  httpd-independent.
 */
#ifndef MB_CHART_H
#define MB_CHART_H

#include <apr_pools.h>

#define MB_CHART_WIDTH  720
#define MB_CHART_HEIGHT 200

/*
 * An <svg> element showing `n` one-minute bars: counts[i] requests in the
 * minute that starts `first_minute + i` minutes after 1970-01-01 UTC.
 * Every bar is a <rect class="mb-bar" data-minute=".." data-count="..">
 * with a <title> tooltip (zero minutes draw no rect); the y axis is
 * labelled with the largest count, the x axis with UTC times.  n == 0 (or
 * n above 10080, a week) gives a chart that says there is no data.
 * Negative counts are drawn as 0.
 */
const char *mb_chart_svg(apr_pool_t *p, const apr_int64_t *counts, int n,
                         apr_int64_t first_minute);

#endif /* MB_CHART_H */
