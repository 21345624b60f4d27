/*
 * metrics_table.c -- the table of counters that all child processes and
 * threads share (include/mb_metrics.h): atomic 64-bit increments, and the
 * live streams' current viewers, kept without a lock.
 *
 * A stream's place and a viewer's place are found by open addressing on a
 * hash; each viewer place is one 64-bit word (viewer hash and the second
 * it was last seen), updated by compare-and-swap, so that two threads can
 * never half-write it.  A place whose viewer was not seen for the window
 * is taken again by the next new viewer.
 */
#include "mb_metrics.h"

#include <string.h>

const char *const mb_metrics_handler_names[MB_MH_COUNT] = {
    "broadcast-video", "broadcast-live", "broadcast-api", "broadcast-status",
    "broadcast-metrics"
};

/* 5 ms .. 10 s: a local STS answers in milliseconds, a distant one in
 * tens to hundreds of them; the API's own timeout is seconds. */
const apr_uint64_t mb_metrics_sts_bounds_us[MB_STS_BUCKETS] = {
    5000, 10000, 25000, 50000, 100000, 250000, 1000000, 10000000
};

#define LOAD(x) __atomic_load_n(&(x), __ATOMIC_RELAXED)
#define CAS(x, old, new)                                                  \
    __atomic_compare_exchange_n(&(x), &(old), (new), 0, __ATOMIC_ACQ_REL, \
                                __ATOMIC_RELAXED)

int mb_metrics_request_index(int h, int status)
{
    int cls = status / 100;

    if (cls < 1 || cls > 5) {
        cls = 5;                    /* no such status: the server's fault */
    }
    return MB_M_REQUESTS + h * 5 + (cls - 1);
}

void mb_metrics_add(mb_metrics_table *t, int i, apr_int64_t n)
{
    if (t != NULL && i >= 0 && i < MB_M_COUNT && n != 0) {
        __atomic_fetch_add(&t->c[i], (apr_uint64_t)n, __ATOMIC_RELAXED);
    }
}

apr_uint64_t mb_metrics_get(const mb_metrics_table *t, int i)
{
    return t != NULL && i >= 0 && i < MB_M_COUNT ? LOAD(t->c[i]) : 0;
}

void mb_metrics_sts(mb_metrics_table *t, int ok, apr_uint64_t us)
{
    int b = 0;

    while (b < MB_STS_BUCKETS && us > mb_metrics_sts_bounds_us[b]) {
        b++;
    }
    mb_metrics_add(t, MB_M_STS_CALLS, 1);
    if (!ok) {
        mb_metrics_add(t, MB_M_STS_ERRORS, 1);
    }
    mb_metrics_add(t, MB_M_STS_BUCKET + b, 1);
    mb_metrics_add(t, MB_M_STS_SUM_US, (apr_int64_t)us);
}

/* FNV-1a, never 0 */
static apr_uint64_t hash(const char *s)
{
    apr_uint64_t h = 14695981039346656037ULL;

    for (; *s; s++) {
        h = (h ^ (unsigned char)*s) * 1099511628211ULL;
    }
    return h ? h : 1;
}

#define VSEC(w) ((apr_uint32_t)((w) & 0xffffff))
#define VKEY(w) ((w) >> 24)

static int fresh(apr_uint32_t seen, apr_uint32_t now)
{
    return ((now - seen) & 0xffffff) < MB_VIEWER_WINDOW;
}

static void viewer_seen(mb_metrics_stream *s, apr_uint64_t vh,
                        apr_uint32_t now)
{
    apr_uint64_t want = (vh << 24) | (now & 0xffffff);
    unsigned start = (unsigned)(vh % MB_VIEWER_SLOTS), i;

    /* where this viewer already is (a run of used places ends at an
     * empty one: places are reused, never emptied) */
    for (i = 0; i < MB_VIEWER_SLOTS; i++) {
        apr_uint64_t *v = &s->viewers[(start + i) % MB_VIEWER_SLOTS];
        apr_uint64_t w = LOAD(*v);

        if (w == 0) {
            break;
        }
        while (VKEY(w) == vh) {
            if (CAS(*v, w, want)) {
                return;
            }
        }
    }
    /* else the first empty or stale place */
    for (i = 0; i < MB_VIEWER_SLOTS; i++) {
        apr_uint64_t *v = &s->viewers[(start + i) % MB_VIEWER_SLOTS];
        apr_uint64_t w = LOAD(*v);

        while (w == 0 || !fresh(VSEC(w), now)) {
            if (CAS(*v, w, want)) {
                return;
            }
        }
    }
    /* full: MB_VIEWER_SLOTS current viewers, this one is not counted */
}

static mb_metrics_stream *stream_slot(mb_metrics_table *t, const char *id,
                                      apr_uint32_t now)
{
    apr_uint64_t key = hash(id);
    unsigned start = (unsigned)(key % MB_METRICS_STREAMS), i;

    for (i = 0; i < MB_METRICS_STREAMS; i++) {
        mb_metrics_stream *s = &t->streams[(start + i) % MB_METRICS_STREAMS];
        apr_uint64_t k = LOAD(s->key);

        if (k == 0) {
            break;
        }
        if (k == key && LOAD(s->ready) && strcmp(s->id, id) == 0) {
            return s;
        }
    }
    for (i = 0; i < MB_METRICS_STREAMS; i++) {
        mb_metrics_stream *s = &t->streams[(start + i) % MB_METRICS_STREAMS];
        apr_uint64_t k = LOAD(s->key);

        if ((k == 0 || !fresh(LOAD(s->last), now)) && CAS(s->key, k, key)) {
            /* ours now: a stream idle for the window starts again at 0 */
            __atomic_store_n(&s->ready, 0, __ATOMIC_RELEASE);
            __atomic_store_n(&s->last, now, __ATOMIC_RELAXED);
            s->requests = 0;
            s->bytes = 0;
            memset(s->viewers, 0, sizeof(s->viewers));
            strncpy(s->id, id, sizeof(s->id) - 1);
            s->id[sizeof(s->id) - 1] = '\0';
            __atomic_store_n(&s->ready, 1, __ATOMIC_RELEASE);
            return s;
        }
    }
    return NULL;        /* MB_METRICS_STREAMS streams watched right now */
}

void mb_metrics_playback(mb_metrics_table *t, const char *id,
                         const char *viewer, apr_uint64_t bytes,
                         apr_uint32_t now)
{
    mb_metrics_stream *s;
    apr_uint64_t vh;

    if (t == NULL || id == NULL || strlen(id) >= MB_METRICS_ID_MAX
        || (s = stream_slot(t, id, now)) == NULL) {
        return;
    }
    __atomic_store_n(&s->last, now, __ATOMIC_RELAXED);
    __atomic_fetch_add(&s->requests, 1, __ATOMIC_RELAXED);
    __atomic_fetch_add(&s->bytes, bytes, __ATOMIC_RELAXED);
    vh = hash(viewer ? viewer : "") & 0xffffffffffULL;  /* 40 bits */
    viewer_seen(s, vh ? vh : 1, now);
}

void mb_metrics_stream_active(mb_metrics_table *t, const char *id,
                              apr_uint32_t now)
{
    mb_metrics_stream *s;

    if (t != NULL && id != NULL && strlen(id) < MB_METRICS_ID_MAX
        && (s = stream_slot(t, id, now)) != NULL) {
        __atomic_store_n(&s->last, now, __ATOMIC_RELAXED);
    }
}

int mb_metrics_live_streams(const mb_metrics_table *t, apr_uint32_t now)
{
    int i, n = 0;

    for (i = 0; t != NULL && i < MB_METRICS_STREAMS; i++) {
        if (LOAD(t->streams[i].ready) && fresh(LOAD(t->streams[i].last), now)) {
            n++;
        }
    }
    return n;
}

int mb_metrics_viewers(const mb_metrics_stream *s, apr_uint32_t now)
{
    int i, n = 0;

    for (i = 0; i < MB_VIEWER_SLOTS; i++) {
        apr_uint64_t w = LOAD(s->viewers[i]);

        if (w != 0 && fresh(VSEC(w), now)) {
            n++;
        }
    }
    return n;
}
