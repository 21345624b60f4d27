/*
 * metrics_text.c -- the Prometheus text exposition format, version 0.0.4
 * (include/mb_metrics.h): HELP and TYPE lines, samples, label escaping,
 * histograms, and the module's whole exposition with every metric's name
 * and meaning (docs/metrics.md describes the same list).
 */
#include "mb_metrics.h"

#include <apr_strings.h>
#include <string.h>

const char *mb_prom_escape_label(apr_pool_t *p, const char *v)
{
    apr_size_t n = 0;
    const char *s;
    char *out, *o;

    for (s = v; *s; s++) {
        n += (*s == '\\' || *s == '"' || *s == '\n') ? 2 : 1;
    }
    o = out = apr_palloc(p, n + 1);
    for (s = v; *s; s++) {
        if (*s == '\\' || *s == '"' || *s == '\n') {
            *o++ = '\\';
            *o++ = *s == '\n' ? 'n' : *s;
        }
        else {
            *o++ = *s;
        }
    }
    *o = '\0';
    return out;
}

/* [a-zA-Z_:][a-zA-Z0-9_:]* */
int mb_prom_name_ok(const char *name)
{
    const char *s;

    if (name == NULL || *name == '\0' || (*name >= '0' && *name <= '9')) {
        return 0;
    }
    for (s = name; *s; s++) {
        if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z')
              || (*s >= '0' && *s <= '9') || *s == '_' || *s == ':')) {
            return 0;
        }
    }
    return 1;
}

/* HELP text: \\ and \n escaped */
static const char *escape_help(apr_pool_t *p, const char *h)
{
    const char *s;
    char *out = apr_palloc(p, 2 * strlen(h) + 1), *o = out;

    for (s = h; *s; s++) {
        if (*s == '\\' || *s == '\n') {
            *o++ = '\\';
            *o++ = *s == '\n' ? 'n' : '\\';
        }
        else {
            *o++ = *s;
        }
    }
    *o = '\0';
    return out;
}

void mb_prom_family(apr_array_header_t *out, const char *name,
                    const char *type, const char *help)
{
    APR_ARRAY_PUSH(out, const char *) =
        apr_psprintf(out->pool, "# HELP %s %s\n# TYPE %s %s\n", name,
                     escape_help(out->pool, help), name, type);
}

void mb_prom_sample(apr_array_header_t *out, const char *name,
                    const char *labels, apr_uint64_t v)
{
    APR_ARRAY_PUSH(out, const char *) =
        apr_psprintf(out->pool, "%s%s%s%s %" APR_UINT64_T_FMT "\n", name,
                     *labels ? "{" : "", labels, *labels ? "}" : "", v);
}

/* microseconds as seconds, exactly (no floating point) */
static const char *seconds(apr_pool_t *p, apr_uint64_t us)
{
    return apr_psprintf(p, "%" APR_UINT64_T_FMT ".%06" APR_UINT64_T_FMT,
                        us / 1000000, us % 1000000);
}

void mb_prom_histogram(apr_array_header_t *out, const char *name,
                       const apr_uint64_t *bounds_us, int n,
                       const apr_uint64_t *counts, apr_uint64_t sum_us)
{
    apr_pool_t *p = out->pool;
    apr_uint64_t cum = 0;
    int i;

    for (i = 0; i <= n; i++) {
        cum += counts[i];
        APR_ARRAY_PUSH(out, const char *) = apr_psprintf(
            p, "%s_bucket{le=\"%s\"} %" APR_UINT64_T_FMT "\n", name,
            i < n ? seconds(p, bounds_us[i]) : "+Inf", cum);
    }
    APR_ARRAY_PUSH(out, const char *) =
        apr_psprintf(p, "%s_sum %s\n", name, seconds(p, sum_us));
    APR_ARRAY_PUSH(out, const char *) =
        apr_psprintf(p, "%s_count %" APR_UINT64_T_FMT "\n", name, cum);
}

static const char *const class_names[5] = { "1xx", "2xx", "3xx", "4xx",
                                            "5xx" };

/* one family of a single counter */
static void single(apr_array_header_t *out, const mb_metrics_table *t,
                   const char *name, const char *type, const char *help,
                   int i)
{
    mb_prom_family(out, name, type, help);
    mb_prom_sample(out, name, "", mb_metrics_get(t, i));
}

const char *mb_metrics_text(apr_pool_t *p, const mb_metrics_table *t,
                            apr_uint32_t now)
{
    apr_array_header_t *out = apr_array_make(p, 128, sizeof(const char *));
    apr_uint64_t sts[MB_STS_BUCKETS + 1];
    int h, c, i;

    mb_prom_family(out, "broadcast_requests_total", "counter",
                   "Requests answered by a mod_broadcast handler, by "
                   "handler and status class");
    for (h = 0; h < MB_MH_COUNT; h++) {
        for (c = 0; c < 5; c++) {
            mb_prom_sample(out, "broadcast_requests_total",
                           apr_psprintf(p, "handler=\"%s\",code=\"%s\"",
                                        mb_metrics_handler_names[h],
                                        class_names[c]),
                           mb_metrics_get(t, MB_M_REQUESTS + h * 5 + c));
        }
    }
    mb_prom_family(out, "broadcast_sent_bytes_total", "counter",
                   "Response body bytes sent by a mod_broadcast handler");
    for (h = 0; h < MB_MH_COUNT; h++) {
        mb_prom_sample(out, "broadcast_sent_bytes_total",
                       apr_psprintf(p, "handler=\"%s\"",
                                    mb_metrics_handler_names[h]),
                       mb_metrics_get(t, MB_M_BYTES + h));
    }
    single(out, t, "broadcast_watch_log_rows_written_total", "counter",
           "Watch log rows written to the database", MB_M_WATCH_WRITTEN);
    single(out, t, "broadcast_watch_log_rows_dropped_total", "counter",
           "Watch log rows dropped (queue full, database failed, process "
           "stopping)", MB_M_WATCH_DROPPED);
    single(out, t, "broadcast_watch_log_rows_queued", "gauge",
           "Watch log rows waiting in the child processes' queues",
           MB_M_WATCH_QUEUED);
    single(out, t, "broadcast_database_errors_total", "counter",
           "Database statements that failed, and connections that could "
           "not be had", MB_M_DB_ERRORS);
    single(out, t, "broadcast_sts_calls_total", "counter",
           "Calls to the STS (AssumeRole, GetFederationToken)",
           MB_M_STS_CALLS);
    single(out, t, "broadcast_sts_errors_total", "counter",
           "STS calls that did not hand out credentials", MB_M_STS_ERRORS);
    mb_prom_family(out, "broadcast_sts_duration_seconds", "histogram",
                   "Time an STS call took");
    for (i = 0; i <= MB_STS_BUCKETS; i++) {
        sts[i] = mb_metrics_get(t, MB_M_STS_BUCKET + i);
    }
    mb_prom_histogram(out, "broadcast_sts_duration_seconds",
                      mb_metrics_sts_bounds_us, MB_STS_BUCKETS, sts,
                      mb_metrics_get(t, MB_M_STS_SUM_US));
    single(out, t, "broadcast_uploads_total", "counter",
           "Live stream files stored by PUT", MB_M_UPLOADS);
    single(out, t, "broadcast_uploaded_bytes_total", "counter",
           "Bytes of the live stream files stored by PUT",
           MB_M_UPLOAD_BYTES);
    single(out, t, "broadcast_live_streams_started_total", "counter",
           "Live streams started through the API", MB_M_LIVE_STARTED);
    single(out, t, "broadcast_live_streams_stopped_total", "counter",
           "Live streams stopped through the API", MB_M_LIVE_STOPPED);
    mb_prom_family(out, "broadcast_live_streams", "gauge",
                   "Live streams with a file stored or played back in the "
                   "last 30 seconds");
    mb_prom_sample(out, "broadcast_live_streams", "",
                   (apr_uint64_t)mb_metrics_live_streams(t, now));

    mb_prom_family(out, "broadcast_live_viewers", "gauge",
                   "Distinct viewers (user, else client address) of a live "
                   "stream in the last 30 seconds");
    for (i = 0; t != NULL && i < MB_METRICS_STREAMS; i++) {
        const mb_metrics_stream *s = &t->streams[i];

        if (__atomic_load_n(&s->ready, __ATOMIC_ACQUIRE)) {
            mb_prom_sample(out, "broadcast_live_viewers",
                           apr_psprintf(p, "stream=\"%s\"",
                                        mb_prom_escape_label(p, s->id)),
                           (apr_uint64_t)mb_metrics_viewers(s, now));
        }
    }
    mb_prom_family(out, "broadcast_live_requests_total", "counter",
                   "Successful playback requests of a live stream");
    for (i = 0; t != NULL && i < MB_METRICS_STREAMS; i++) {
        const mb_metrics_stream *s = &t->streams[i];

        if (__atomic_load_n(&s->ready, __ATOMIC_ACQUIRE)) {
            mb_prom_sample(out, "broadcast_live_requests_total",
                           apr_psprintf(p, "stream=\"%s\"",
                                        mb_prom_escape_label(p, s->id)),
                           __atomic_load_n(&s->requests, __ATOMIC_RELAXED));
        }
    }
    mb_prom_family(out, "broadcast_live_sent_bytes_total", "counter",
                   "Response body bytes of a live stream's playback");
    for (i = 0; t != NULL && i < MB_METRICS_STREAMS; i++) {
        const mb_metrics_stream *s = &t->streams[i];

        if (__atomic_load_n(&s->ready, __ATOMIC_ACQUIRE)) {
            mb_prom_sample(out, "broadcast_live_sent_bytes_total",
                           apr_psprintf(p, "stream=\"%s\"",
                                        mb_prom_escape_label(p, s->id)),
                           __atomic_load_n(&s->bytes, __ATOMIC_RELAXED));
        }
    }
    return apr_array_pstrcat(p, out, '\0');
}
