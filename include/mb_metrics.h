/*
 * mb_metrics.h -- the module's metrics, httpd-free: the table of counters
 * that lives in shared memory (its layout, the atomic increments, the
 * live streams' viewers seen in the last MB_VIEWER_WINDOW seconds;
 * src/core/metrics_table.c) and the Prometheus text exposition format
 * 0.0.4 that writes them out (names, label escaping, histograms;
 * src/core/metrics_text.c).  The httpd glue: src/metrics/.
 */
#ifndef MB_METRICS_H
#define MB_METRICS_H

#include <apr_pools.h>
#include <apr_tables.h>
#include <apr_time.h>

/* ---- the table -------------------------------------------------------- */

/* The handlers whose requests are counted, in the order of their label. */
enum {
    MB_MH_VIDEO, MB_MH_LIVE, MB_MH_API, MB_MH_STATUS, MB_MH_METRICS,
    MB_MH_COUNT
};
extern const char *const mb_metrics_handler_names[MB_MH_COUNT];

/* The bounds (microseconds) of the STS latency histogram's buckets; one
 * more bucket, +Inf, follows them. */
#define MB_STS_BUCKETS 8
extern const apr_uint64_t mb_metrics_sts_bounds_us[MB_STS_BUCKETS];

/* Every counter of the table (64-bit, shared by all processes). */
enum {
    MB_M_REQUESTS,                          /* [handler][class 1xx..5xx] */
    MB_M_BYTES = MB_M_REQUESTS + MB_MH_COUNT * 5,       /* [handler]     */
    MB_M_WATCH_WRITTEN = MB_M_BYTES + MB_MH_COUNT,
    MB_M_WATCH_DROPPED,
    MB_M_WATCH_QUEUED,                      /* a gauge: + queued, - done */
    MB_M_DB_ERRORS,
    MB_M_STS_CALLS,
    MB_M_STS_ERRORS,
    MB_M_STS_BUCKET,                        /* [MB_STS_BUCKETS + 1]      */
    MB_M_STS_SUM_US = MB_M_STS_BUCKET + MB_STS_BUCKETS + 1,
    MB_M_UPLOADS,
    MB_M_UPLOAD_BYTES,
    MB_M_LIVE_STARTED,
    MB_M_LIVE_STOPPED,
    MB_M_COUNT
};

/* A viewer of a live stream is who the watch log counts as one: the
 * authenticated user, else the client address.  One is "current" while
 * its last successful playback request is less than MB_VIEWER_WINDOW
 * seconds old.  A stream holds at most MB_VIEWER_SLOTS current viewers
 * (more are not counted), the table MB_METRICS_STREAMS streams with
 * playback in the window (a stream idle for the window gives its place
 * up, and its series restart from 0 when it comes back). */
#define MB_VIEWER_WINDOW   30
#define MB_VIEWER_SLOTS    1024
#define MB_METRICS_STREAMS 64
#define MB_METRICS_ID_MAX  64

typedef struct {
    apr_uint64_t key;               /* hash of the id; 0: never used     */
    apr_uint32_t ready;             /* id[] written                      */
    apr_uint32_t last;              /* second of the last request        */
    char id[MB_METRICS_ID_MAX];
    apr_uint64_t requests, bytes;
    /* (viewer hash << 24) | (second & 0xffffff); 0: empty */
    apr_uint64_t viewers[MB_VIEWER_SLOTS];
} mb_metrics_stream;

typedef struct {
    apr_uint64_t c[MB_M_COUNT];
    mb_metrics_stream streams[MB_METRICS_STREAMS];
} mb_metrics_table;

/* The counter of requests of handler `h` answered with `status`. */
int mb_metrics_request_index(int h, int status);

/* Counter `i` plus `n` (atomic).  A NULL table counts nothing. */
void mb_metrics_add(mb_metrics_table *t, int i, apr_int64_t n);
apr_uint64_t mb_metrics_get(const mb_metrics_table *t, int i);

/* One STS call that took `us` microseconds (an error when !ok). */
void mb_metrics_sts(mb_metrics_table *t, int ok, apr_uint64_t us);

/* One playback request of stream `id` by `viewer`, `bytes` sent, at
 * second `now`. */
void mb_metrics_playback(mb_metrics_table *t, const char *id,
                         const char *viewer, apr_uint64_t bytes,
                         apr_uint32_t now);

/* The viewers of `s` seen in the window before second `now`. */
int mb_metrics_viewers(const mb_metrics_stream *s, apr_uint32_t now);

/* A file of stream `id` stored (PUT) at second `now`: the stream is
 * active (a place in the table, no request or viewer counted). */
void mb_metrics_stream_active(mb_metrics_table *t, const char *id,
                              apr_uint32_t now);

/* The live streams active in the window before second `now`: a file of
 * theirs stored or played back (the gauge broadcast_live_streams). */
int mb_metrics_live_streams(const mb_metrics_table *t, apr_uint32_t now);

/* ---- the text format (Prometheus exposition format 0.0.4) ------------- */

#define MB_PROM_CONTENT_TYPE "text/plain; version=0.0.4"

/* A label value escaped as the format wants (\\, \", \n). */
const char *mb_prom_escape_label(apr_pool_t *p, const char *v);

/* Whether `name` is a valid metric (or label) name. */
int mb_prom_name_ok(const char *name);

/* Append to `out` (an array of const char *): the HELP and TYPE lines of
 * a family, one sample (`labels` "" or `k="v",...` already escaped). */
void mb_prom_family(apr_array_header_t *out, const char *name,
                    const char *type, const char *help);
void mb_prom_sample(apr_array_header_t *out, const char *name,
                    const char *labels, apr_uint64_t v);

/* A histogram's samples from per-bucket (not cumulative) counts: `n`
 * bounds and n + 1 counts (the last one +Inf); bounds and sum are
 * microseconds, written in seconds. */
void mb_prom_histogram(apr_array_header_t *out, const char *name,
                       const apr_uint64_t *bounds_us, int n,
                       const apr_uint64_t *counts, apr_uint64_t sum_us);

/* The whole exposition of table `t` at second `now`. */
const char *mb_metrics_text(apr_pool_t *p, const mb_metrics_table *t,
                            apr_uint32_t now);

#endif /* MB_METRICS_H */
