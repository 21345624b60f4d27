/* Unit tests of the metrics' core (src/core/metrics_table.c and
 * metrics_text.c): counters, the STS histogram, the live streams' viewers
 * in their 30 s window (distinct, expiring, reused places, a full table),
 * label escaping, names, and the exposition's lines. */
#include "mb_metrics.h"
#include "tap.h"

#include <apr_general.h>
#include <apr_strings.h>
#include <stdlib.h>
#include <string.h>

static const mb_metrics_stream *find(const mb_metrics_table *t,
                                     const char *id)
{
    int i;

    for (i = 0; i < MB_METRICS_STREAMS; i++) {
        if (t->streams[i].ready && strcmp(t->streams[i].id, id) == 0) {
            return &t->streams[i];
        }
    }
    return NULL;
}

int main(void)
{
    apr_pool_t *p;
    mb_metrics_table *t;
    const mb_metrics_stream *s;
    apr_array_header_t *out;
    const char *text;
    apr_uint64_t counts[3] = { 1, 2, 3 }, bounds[2] = { 5000, 1500000 };
    int i;

    apr_initialize();
    apr_pool_create(&p, NULL);
    t = calloc(1, sizeof(*t));

    /* counters */
    mb_metrics_add(t, MB_M_UPLOADS, 2);
    mb_metrics_add(t, MB_M_UPLOADS, 3);
    ok(mb_metrics_get(t, MB_M_UPLOADS) == 5, "a counter adds up");
    mb_metrics_add(t, MB_M_WATCH_QUEUED, 4);
    mb_metrics_add(t, MB_M_WATCH_QUEUED, -4);
    ok(mb_metrics_get(t, MB_M_WATCH_QUEUED) == 0, "a gauge goes down");
    mb_metrics_add(NULL, MB_M_UPLOADS, 1);
    mb_metrics_add(t, MB_M_COUNT, 1);
    ok(mb_metrics_get(NULL, MB_M_UPLOADS) == 0
       && mb_metrics_get(t, MB_M_COUNT) == 0, "no table, no such counter");
    ok(mb_metrics_request_index(MB_MH_VIDEO, 206) == MB_M_REQUESTS + 1
       && mb_metrics_request_index(MB_MH_API, 503) == MB_M_REQUESTS + 14
       && mb_metrics_request_index(MB_MH_LIVE, 0) == MB_M_REQUESTS + 9
       && mb_metrics_request_index(MB_MH_LIVE, 600) == MB_M_REQUESTS + 9,
       "status classes; an impossible status counts as 5xx");

    /* the STS histogram */
    mb_metrics_sts(t, 1, 5000);     /* on the bound: in its bucket */
    mb_metrics_sts(t, 0, 5001);
    mb_metrics_sts(t, 1, 20000000); /* over the last bound: +Inf */
    ok(mb_metrics_get(t, MB_M_STS_CALLS) == 3
       && mb_metrics_get(t, MB_M_STS_ERRORS) == 1
       && mb_metrics_get(t, MB_M_STS_BUCKET) == 1
       && mb_metrics_get(t, MB_M_STS_BUCKET + 1) == 1
       && mb_metrics_get(t, MB_M_STS_BUCKET + MB_STS_BUCKETS) == 1
       && mb_metrics_get(t, MB_M_STS_SUM_US) == 20010001,
       "STS calls, errors, buckets (le is inclusive) and the sum");

    /* viewers */
    mb_metrics_playback(t, "s1", "a:1", 10, 1000);
    mb_metrics_playback(t, "s1", "a:1", 10, 1001);
    mb_metrics_playback(t, "s1", "a:2", 10, 1002);
    mb_metrics_playback(t, "s1", "u:alice", 10, 1003);
    s = find(t, "s1");
    ok(s && s->requests == 4 && s->bytes == 40, "requests and bytes of a stream");
    ok(s && mb_metrics_viewers(s, 1003) == 3, "3 distinct viewers");
    ok(s && mb_metrics_viewers(s, 1031) == 2,
       "a viewer last seen 30 s ago is gone (the window is 30 s)");
    ok(s && mb_metrics_viewers(s, 1030) == 3, "29 s ago: still there");
    mb_metrics_playback(t, "s1", "a:1", 0, 1040);
    ok(s && mb_metrics_viewers(s, 1040) == 1, "coming back counts once");
    for (i = 0; i < MB_VIEWER_SLOTS + 10; i++) {
        mb_metrics_playback(t, "s1", apr_psprintf(p, "a:v%d", i), 0, 2000);
    }
    ok(s && mb_metrics_viewers(s, 2000) == MB_VIEWER_SLOTS,
       "a full table counts MB_VIEWER_SLOTS viewers, no more");
    mb_metrics_playback(t, "s1", "a:late", 0, 2100);
    ok(s && mb_metrics_viewers(s, 2100) == 1,
       "stale places are taken again");
    mb_metrics_playback(t, "s2", "a:1", 5, 2100);
    ok(find(t, "s2") && mb_metrics_viewers(find(t, "s2"), 2100) == 1
       && mb_metrics_viewers(s, 2100) == 1, "streams apart");
    for (i = 0; i < MB_METRICS_STREAMS; i++) {
        mb_metrics_playback(t, apr_psprintf(p, "x%d", i), "a:1", 1, 2101);
    }
    ok(find(t, "x0") != NULL && find(t, "x61") != NULL
       && find(t, "x62") == NULL,
       "MB_METRICS_STREAMS streams at most while all are watched");
    mb_metrics_playback(t, "late", "a:1", 1, 2200);
    ok(find(t, "late") && find(t, "late")->requests == 1,
       "a stream idle for the window gives its place up");
    mb_metrics_playback(t, apr_pstrcat(p, apr_psprintf(p, "%064d", 0), NULL),
                        "a:1", 1, 2200);
    ok(find(t, apr_psprintf(p, "%064d", 0)) == NULL, "too long an id: not counted");

    /* live streams: stored to or played back in the window */
    ok(mb_metrics_live_streams(t, 2200) == 1,
       "one live stream active (the others idle for the window)");
    mb_metrics_stream_active(t, "up", 2200);
    ok(mb_metrics_live_streams(t, 2200) == 2 && find(t, "up")
       && find(t, "up")->requests == 0
       && mb_metrics_viewers(find(t, "up"), 2200) == 0,
       "an upload makes a stream active, with no request or viewer");
    ok(mb_metrics_live_streams(t, 2229) == 2
       && mb_metrics_live_streams(t, 2230) == 0,
       "30 s after its last file a stream is no longer live");
    mb_metrics_stream_active(t, "up", 2210);
    ok(mb_metrics_live_streams(t, 2230) == 1, "each upload renews it");
    ok(mb_metrics_live_streams(NULL, 2230) == 0, "no table: no stream");

    /* the text format */
    ok(strcmp(mb_prom_escape_label(p, "a\"b\\c\nd"), "a\\\"b\\\\c\\nd") == 0,
       "label value escaping");
    ok(strcmp(mb_prom_escape_label(p, ""), "") == 0, "an empty label value");
    ok(mb_prom_name_ok("broadcast_requests_total") && mb_prom_name_ok("a:b")
       && !mb_prom_name_ok("1a") && !mb_prom_name_ok("a-b")
       && !mb_prom_name_ok("") && !mb_prom_name_ok(NULL), "metric names");
    out = apr_array_make(p, 4, sizeof(const char *));
    mb_prom_family(out, "x_total", "counter", "line\\one\ntwo");
    mb_prom_sample(out, "x_total", "", 7);
    mb_prom_sample(out, "x_total", "a=\"b\"", 8);
    ok(strcmp(apr_array_pstrcat(p, out, 0),
              "# HELP x_total line\\\\one\\ntwo\n# TYPE x_total counter\n"
              "x_total 7\nx_total{a=\"b\"} 8\n") == 0,
       "HELP (escaped), TYPE and samples");
    out = apr_array_make(p, 4, sizeof(const char *));
    mb_prom_histogram(out, "h", bounds, 2, counts, 1500001);
    text = apr_array_pstrcat(p, out, 0);
    ok(strcmp(text, "h_bucket{le=\"0.005000\"} 1\nh_bucket{le=\"1.500000\"} 3\n"
                    "h_bucket{le=\"+Inf\"} 6\nh_sum 1.500001\nh_count 6\n") == 0,
       "a histogram: cumulative buckets, seconds, +Inf = count");
    text = mb_metrics_text(p, t, 2215);
    ok(strstr(text, "broadcast_uploads_total 5\n") != NULL
       && strstr(text, "broadcast_requests_total{handler=\"broadcast-live\","
                       "code=\"5xx\"} 0\n") != NULL
       && strstr(text, "broadcast_live_viewers{stream=\"late\"} 1\n") != NULL
       && strstr(text, "# TYPE broadcast_live_viewers gauge\n") != NULL
       && strstr(text, "broadcast_sts_duration_seconds_count 3\n") != NULL
       && strstr(text, "# TYPE broadcast_live_streams gauge\n"
                       "broadcast_live_streams 2\n") != NULL,
       "the exposition of the table");
    text = mb_metrics_text(p, NULL, 0);
    ok(strstr(text, "broadcast_uploads_total 0\n") != NULL,
       "no table: every counter 0");

    free(t);
    apr_pool_destroy(p);
    apr_terminate();
    return done_testing();
}
