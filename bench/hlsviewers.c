/*
 * bench/hlsviewers.c -- an HLS audience simulator: many viewers of one live
 * stream in one process (libcurl's multi interface), each behaving as a
 * player does, and a one-line JSON summary of what they saw.
 *
 * libcurl is driven by its socket interface over epoll (only the
 * connections that are ready are looked at), so that the tool's cost
 * grows with the requests, not with the number of viewers.
 *
 * Each viewer has its own connection, kept alive, from its own source
 * address (127.0.1.1, 127.0.1.2, ... by default: the module counts a
 * viewer by client address, docs/metrics.md), and does one request at a
 * time:
 *   - fetch the live playlist; on the first one, start at the live edge
 *     (its last segment), later fetch every segment that is new since the
 *     last playlist, in order, once;
 *   - fetch the playlist again one target duration after the last fetch
 *     began (or as soon as the segments are in, if that is later).
 * It counts requests, body bytes and statuses, the playlist's latency
 * (p50, p99) and stalls: a segment that arrived later than its duration
 * after it appeared in a playlist, or a playlist that did not advance for
 * 3 target durations (once per such pause).
 *
 *   hlsviewers -u URL [-n viewers] [-d seconds] [-r ramp seconds]
 *              [-s first source address] [-H header]...
 * Viewers start evenly over the ramp; after the duration nobody starts a
 * new request, and those in flight are finished (so the server and this
 * tool count the same requests).  Output: {"viewers": ..., ...} on stdout.
 * Build: cc -O2 -o build/hlsviewers bench/hlsviewers.c -lcurl
 */
#include <arpa/inet.h>
#include <curl/curl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/epoll.h>
#include <unistd.h>

#define MAX_PENDING 64

typedef struct {
    long long seq;
    double dur, appeared;
    char *uri;
} segment;

typedef struct {
    int id, started, active;    /* active: a request in flight */
    CURL *easy;
    char iface[64];
    char *body;                 /* the playlist being received */
    size_t len, cap;
    int is_playlist, ok_once;
    double req_start, next_poll, target, last_advance;
    long long next_seq;         /* the first sequence not yet taken */
    int stalled;                /* in a pause of the playlist */
    segment pend[MAX_PENDING];
    int npend;
    segment cur;
} viewer;

static struct {
    long long requests, ok, bytes, pl_requests, seg_requests, errors;
    long long status[6];        /* by class 1xx..5xx; [0] other */
    long long stalls, late_segments, frozen_playlists;
    double *lat;
    size_t nlat, caplat;
} st;

static const char *url;
static char *base;              /* url up to its last '/' */

static double now(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void *xrealloc(void *p, size_t n)
{
    if ((p = realloc(p, n)) == NULL) {
        perror("hlsviewers");
        exit(2);
    }
    return p;
}

static size_t on_body(char *data, size_t size, size_t n, void *arg)
{
    viewer *v = arg;

    if (v->is_playlist) {
        if (v->len + size * n + 1 > v->cap) {
            v->cap = (v->len + size * n + 1) * 2;
            v->body = xrealloc(v->body, v->cap);
        }
        memcpy(v->body + v->len, data, size * n);
        v->len += size * n;
        v->body[v->len] = '\0';
    }
    return size * n;            /* segments: counted, not kept */
}

static char *resolve(const char *uri)
{
    char *out;

    if (strstr(uri, "://") != NULL) {
        return strdup(uri);
    }
    if (uri[0] == '/') {        /* scheme://host + uri */
        const char *p = strstr(url, "://");
        const char *slash = p ? strchr(p + 3, '/') : NULL;
        size_t n = slash ? (size_t)(slash - url) : strlen(url);

        out = xrealloc(NULL, n + strlen(uri) + 1);
        memcpy(out, url, n);
        strcpy(out + n, uri);
        return out;
    }
    out = xrealloc(NULL, strlen(base) + strlen(uri) + 1);
    strcpy(out, base);
    strcat(out, uri);
    return out;
}

static void start_request(CURLM *multi, viewer *v, const char *target,
                          int is_playlist)
{
    v->is_playlist = is_playlist;
    v->len = 0;
    v->req_start = now();
    curl_easy_setopt(v->easy, CURLOPT_URL, target);
    curl_multi_add_handle(multi, v->easy);
    v->active = 1;
}

/* The playlist in v->body: take what is new. */
static void read_playlist(viewer *v, double t)
{
    long long seq = 0;
    double dur = 0;
    int first = v->next_seq < 0, n = 0, i, advanced = 0;
    char *line, *save = NULL;
    segment all[1024];

    for (line = strtok_r(v->body, "\r\n", &save); line != NULL;
         line = strtok_r(NULL, "\r\n", &save)) {
        if (strncmp(line, "#EXT-X-TARGETDURATION:", 22) == 0) {
            v->target = atof(line + 22);
        }
        else if (strncmp(line, "#EXT-X-MEDIA-SEQUENCE:", 22) == 0) {
            seq = atoll(line + 22);
        }
        else if (strncmp(line, "#EXTINF:", 8) == 0) {
            dur = atof(line + 8);
        }
        else if (line[0] != '#' && line[0] != '\0' && n < 1024) {
            all[n].seq = seq++;
            all[n].dur = dur;
            all[n].uri = line;
            n++;
        }
    }
    if (v->target <= 0) {
        v->target = 2;
    }
    for (i = first && n > 0 ? n - 1 : 0; i < n; i++) {
        if (all[i].seq < v->next_seq || v->npend >= MAX_PENDING) {
            continue;
        }
        v->pend[v->npend] = all[i];
        v->pend[v->npend].uri = resolve(all[i].uri);
        v->pend[v->npend].appeared = t;
        v->npend++;
        v->next_seq = all[i].seq + 1;
        advanced = 1;
    }
    if (first && n == 0) {
        v->next_seq = -1;
    }
    if (advanced || v->last_advance == 0) {
        v->last_advance = t;
        v->stalled = 0;
    }
    else if (!v->stalled && t - v->last_advance > 3 * v->target) {
        v->stalled = 1;
        st.stalls++;
        st.frozen_playlists++;
    }
}

static void done(viewer *v, CURLcode res)
{
    long code = 0;
    curl_off_t size = 0, us = 0;
    double t = now();

    v->active = 0;
    curl_easy_getinfo(v->easy, CURLINFO_RESPONSE_CODE, &code);
    curl_easy_getinfo(v->easy, CURLINFO_SIZE_DOWNLOAD_T, &size);
    curl_easy_getinfo(v->easy, CURLINFO_TOTAL_TIME_T, &us);
    if (res != CURLE_OK || code == 0) {
        st.errors++;
    }
    else {
        st.requests++;
        st.bytes += size;
        st.status[code >= 100 && code < 600 ? code / 100 : 0]++;
        if (code < 400) {
            st.ok++;
            v->ok_once = 1;
        }
    }
    if (v->is_playlist) {
        st.pl_requests++;
        if (st.nlat == st.caplat) {
            st.caplat = st.caplat ? st.caplat * 2 : 4096;
            st.lat = xrealloc(st.lat, st.caplat * sizeof(double));
        }
        st.lat[st.nlat++] = us / 1000.0;
        if (res == CURLE_OK && code == 200) {
            read_playlist(v, v->req_start);
        }
        v->next_poll = v->req_start + (v->target > 0 ? v->target : 2);
    }
    else {
        st.seg_requests++;
        if (t - v->cur.appeared > v->cur.dur) {
            st.stalls++;
            st.late_segments++;
        }
        free(v->cur.uri);
    }
}

static int by_value(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;

    return x < y ? -1 : x > y;
}

static double pct(double p)
{
    size_t i;

    if (st.nlat == 0) {
        return 0;
    }
    i = (size_t)(p * (st.nlat - 1) + 0.5);
    return st.lat[i];
}

static int epfd = -1;
static double curl_deadline = -1;       /* curl's timer; -1: none */

static int on_socket(CURL *easy, curl_socket_t fd, int what, void *arg,
                     void *sockp)
{
    struct epoll_event ev;

    (void)easy;
    (void)arg;
    memset(&ev, 0, sizeof(ev));
    ev.data.fd = fd;
    ev.events = (what & CURL_POLL_IN ? EPOLLIN : 0)
                | (what & CURL_POLL_OUT ? EPOLLOUT : 0);
    if (what == CURL_POLL_REMOVE) {
        epoll_ctl(epfd, EPOLL_CTL_DEL, fd, NULL);
    }
    else if (sockp == NULL) {        /* new to us */
        epoll_ctl(epfd, EPOLL_CTL_ADD, fd, &ev);
        curl_multi_assign(arg, fd, (void *)1);
    }
    else {
        epoll_ctl(epfd, EPOLL_CTL_MOD, fd, &ev);
    }
    return 0;
}

static int on_timer(CURLM *multi, long ms, void *arg)
{
    (void)multi;
    (void)arg;
    curl_deadline = ms < 0 ? -1 : now() + ms / 1000.0;
    return 0;
}

static void usage(void)
{
    fprintf(stderr, "usage: hlsviewers -u PLAYLIST_URL [-n viewers] "
            "[-d seconds] [-r ramp_seconds] [-s first_source_address] "
            "[-H header]...\n");
    exit(2);
}

int main(int argc, char **argv)
{
    int n = 10, c, i, running, distinct = 0;
    double duration = 20, ramp = 0, t0, end;
    const char *source = "127.0.1.1";
    struct curl_slist *headers = NULL;
    struct in_addr first;
    viewer *vs;
    CURLM *multi;
    CURLMsg *msg;

    while ((c = getopt(argc, argv, "u:n:d:r:s:H:")) != -1) {
        switch (c) {
        case 'u': url = optarg; break;
        case 'n': n = atoi(optarg); break;
        case 'd': duration = atof(optarg); break;
        case 'r': ramp = atof(optarg); break;
        case 's': source = optarg; break;
        case 'H': headers = curl_slist_append(headers, optarg); break;
        default: usage();
        }
    }
    if (url == NULL || n < 1 || duration <= 0 || ramp < 0
        || inet_pton(AF_INET, source, &first) != 1) {
        usage();
    }
    base = strdup(url);
    *(strrchr(base, '/') ? strrchr(base, '/') + 1 : base) = '\0';
    curl_global_init(CURL_GLOBAL_DEFAULT);
    multi = curl_multi_init();
    /* one connection per viewer: each binds its own address, which curl
     * never shares between handles of different local addresses */
    curl_multi_setopt(multi, CURLMOPT_MAXCONNECTS, (long)n + 16);
    epfd = epoll_create1(0);
    curl_multi_setopt(multi, CURLMOPT_SOCKETFUNCTION, on_socket);
    curl_multi_setopt(multi, CURLMOPT_SOCKETDATA, multi);
    curl_multi_setopt(multi, CURLMOPT_TIMERFUNCTION, on_timer);
    vs = calloc((size_t)n, sizeof(*vs));
    for (i = 0; i < n; i++) {
        struct in_addr a;

        a.s_addr = htonl(ntohl(first.s_addr) + (unsigned)i);
        vs[i].id = i;
        vs[i].next_seq = -1;
        snprintf(vs[i].iface, sizeof(vs[i].iface), "host!%s", inet_ntoa(a));
        vs[i].easy = curl_easy_init();
        curl_easy_setopt(vs[i].easy, CURLOPT_INTERFACE, vs[i].iface);
        curl_easy_setopt(vs[i].easy, CURLOPT_WRITEFUNCTION, on_body);
        curl_easy_setopt(vs[i].easy, CURLOPT_WRITEDATA, &vs[i]);
        curl_easy_setopt(vs[i].easy, CURLOPT_PRIVATE, &vs[i]);
        curl_easy_setopt(vs[i].easy, CURLOPT_HTTPHEADER, headers);
        curl_easy_setopt(vs[i].easy, CURLOPT_USERAGENT, "hlsviewers/1");
        curl_easy_setopt(vs[i].easy, CURLOPT_TIMEOUT, 30L);
        curl_easy_setopt(vs[i].easy, CURLOPT_NOSIGNAL, 1L);
    }
    t0 = now();
    end = t0 + duration;
    for (;;) {
        double t = now(), wake = t + 0.1;
        int busy = 0;

        for (i = 0; i < n; i++) {
            viewer *v = &vs[i];

            if (v->active) {
                busy = 1;
                continue;
            }
            if (t >= end) {
                continue;
            }
            if (!v->started) {
                if (t < t0 + ramp * i / n) {
                    continue;
                }
                v->started = 1;
                v->next_poll = t;
            }
            if (v->npend > 0) {          /* the next segment, in order */
                v->cur = v->pend[0];
                memmove(v->pend, v->pend + 1,
                        (size_t)--v->npend * sizeof(segment));
                start_request(multi, v, v->cur.uri, 0);
                busy = 1;
            }
            else if (t >= v->next_poll) {
                start_request(multi, v, url, 1);
                busy = 1;
            }
            else if (v->next_poll < wake) {
                wake = v->next_poll;
            }
        }
        if (!busy && t >= end) {
            break;
        }
        /* what is ready, or curl's own timeout, or the next viewer's */
        t = now();
        {
            struct epoll_event ev[256];
            double until = curl_deadline >= 0 && curl_deadline < wake
                           ? curl_deadline : wake;
            long ms = until > t ? (long)((until - t) * 1000) + 1 : 0;
            int k, ne;

            ne = epoll_wait(epfd, ev, 256, (int)ms);
            for (k = 0; k < ne; k++) {
                curl_multi_socket_action(
                    multi, ev[k].data.fd,
                    (ev[k].events & EPOLLIN ? CURL_CSELECT_IN : 0)
                    | (ev[k].events & EPOLLOUT ? CURL_CSELECT_OUT : 0)
                    | (ev[k].events & (EPOLLERR | EPOLLHUP)
                       ? CURL_CSELECT_ERR : 0), &running);
            }
            if (curl_deadline >= 0 && now() >= curl_deadline) {
                curl_deadline = -1;
                curl_multi_socket_action(multi, CURL_SOCKET_TIMEOUT, 0,
                                         &running);
            }
        }
        while ((msg = curl_multi_info_read(multi, &c)) != NULL) {
            if (msg->msg == CURLMSG_DONE) {
                viewer *v;

                curl_easy_getinfo(msg->easy_handle, CURLINFO_PRIVATE,
                                  (char **)&v);
                curl_multi_remove_handle(multi, msg->easy_handle);
                done(v, msg->data.result);
            }
        }
    }
    for (i = 0; i < n; i++) {
        distinct += vs[i].ok_once;
        while (vs[i].npend > 0) {
            free(vs[i].pend[--vs[i].npend].uri);
        }
        curl_easy_cleanup(vs[i].easy);
    }
    qsort(st.lat, st.nlat, sizeof(double), by_value);
    printf("{\"viewers\": %d, \"distinct_viewers\": %d, \"seconds\": %.1f, "
           "\"requests\": %lld, \"ok_requests\": %lld, \"bytes\": %lld, "
           "\"playlist_requests\": %lld, \"segment_requests\": %lld, "
           "\"errors\": %lld, \"status_2xx\": %lld, \"status_3xx\": %lld, "
           "\"status_4xx\": %lld, \"status_5xx\": %lld, "
           "\"playlist_p50_ms\": %.1f, \"playlist_p99_ms\": %.1f, "
           "\"stalls\": %lld, \"late_segments\": %lld, "
           "\"frozen_playlists\": %lld}\n",
           n, distinct, now() - t0, st.requests, st.ok, st.bytes,
           st.pl_requests, st.seg_requests, st.errors, st.status[2],
           st.status[3], st.status[4], st.status[5], pct(0.50), pct(0.99),
           st.stalls, st.late_segments, st.frozen_playlists);
    curl_multi_cleanup(multi);
    close(epfd);
    curl_slist_free_all(headers);
    curl_global_cleanup();
    free(vs);
    free(st.lat);
    free(base);
    return 0;
}
