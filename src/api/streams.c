/*
 * api/streams.c -- the endpoints on existing streams: POST <loc>/stop,
 * POST <loc>/refresh (new credentials or upload token), GET <loc>/<id>
 * (one stream) and GET <loc>/ (the live, stopped or all streams, paged).  Each
 * checks the stream exists and, unless BroadcastOwnerOnly Off, that the user
 * owns it.
 */
#include "api/api_int.h"
#include "live/live.h"
#include "metrics/metrics.h"
#include "mb_uuid.h"
#include "mb_validate.h"

#include <apr_strings.h>
#include <http_protocol.h>

APLOG_USE_MODULE(broadcast);

int mb_api_owned_stream(request_rec *r, const mb_api_conf *c, const char *id,
                        ap_dbd_t **dbd, mb_stream **out, int *failed)
{
    int rv;

    *failed = 1;
    if ((*dbd = mb_dbd_acquire(r)) == NULL) {
        return mb_api_status_error(r, HTTP_SERVICE_UNAVAILABLE);
    }
    if ((rv = mb_stream_get(r, *dbd, id, out)) != OK) {
        return mb_api_status_error(r, rv);
    }
    if (mb_api_owner_only(c) && strcmp((*out)->owner, r->user) != 0) {
        ap_log_rerror(APLOG_MARK, APLOG_INFO, 0, r,
                      MBLOGNO(0307) "%s is not the owner of stream %s", r->user,
                      id);
        return mb_api_error(r, HTTP_FORBIDDEN, "forbidden",
                            "only the stream's owner may do this");
    }
    *failed = 0;
    return OK;
}

/* The id parameter: NULL when missing or malformed, the 400 answer then
 * already sent. */
static const char *id_param(request_rec *r)
{
    const char *id = NULL;

    if (mb_api_param(r, "id", &id) != OK) {
        mb_api_bad_param(r, "'id' is malformed");
        return NULL;
    }
    if (id == NULL) {
        mb_api_bad_param(r, "'id' is missing");
        return NULL;
    }
    if (!mb_uuid_valid(id)) {
        mb_api_bad_param(r, "'id' is not a stream id");
        return NULL;
    }
    return id;
}

static int stopped(request_rec *r, const char *id)
{
    return mb_api_error(
        r, HTTP_CONFLICT, "stream_stopped",
        apr_pstrcat(r->pool, "stream ", id, " is already stopped", NULL));
}

int mb_api_stop(request_rec *r, const mb_api_conf *c)
{
    const char *id = id_param(r);
    mb_stream *s;
    ap_dbd_t *dbd;
    apr_time_t now;
    int rv, failed, nrows;

    if (id == NULL) {
        return OK; /* 400 sent */
    }
    rv = mb_api_owned_stream(r, c, id, &dbd, &s, &failed);
    if (failed) {
        return rv;
    }
    if (!s->live) {
        return stopped(r, id);
    }
    if (c->storage == MB_STORAGE_LOCAL && !mb_live_dir_here(r, id)) {
        /* stopping here would leave the recording unwritten */
        return mb_api_error(r, HTTP_INTERNAL_SERVER_ERROR, "misconfigured",
                            MB_LIVE_NOT_HERE);
    }
    now = apr_time_now();
    if ((rv = mb_stream_stop(r, dbd, id, now, &nrows)) != OK) {
        return mb_api_status_error(r, rv);
    }
    if (nrows != 1) {
        return stopped(r, id); /* stopped meanwhile */
    }
    s->live = 0;
    s->stop = now;
    mb_metrics_count(MB_M_LIVE_STOPPED, 1);
    ap_log_rerror(APLOG_MARK, APLOG_INFO, 0, r,
                  MBLOGNO(0308) "stream %s stopped by %s", id, r->user);
    if (c->storage == MB_STORAGE_LOCAL) {
        mb_live_finish(r, id); /* the recording playlist, vod.m3u8 */
    }
    else {
        mb_live_s3_finish(r, id, s->s3_path); /* vod.m3u8 into the bucket */
    }
    return mb_api_send_json(r, HTTP_OK, mb_api_stream_body(r, s, 1));
}

int mb_api_refresh(request_rec *r, const mb_api_conf *c)
{
    const char *id = id_param(r), *why;
    mb_sts_conf sc;
    mb_sts_creds creds;
    mb_stream *s;
    ap_dbd_t *dbd;
    int rv, failed;

    if (id == NULL) {
        return OK; /* 400 sent */
    }
    if (c->storage != MB_STORAGE_LOCAL && (why = mb_api_sts_conf(r, c, &sc))) {
        return mb_api_misconfigured(r, why);
    }
    rv = mb_api_owned_stream(r, c, id, &dbd, &s, &failed);
    if (failed) {
        return rv;
    }
    if (!s->live) {
        return stopped(r, id);
    }
    if (c->storage == MB_STORAGE_LOCAL) {
        mb_json *endpoint = NULL;

        rv = mb_live_refresh(r, dbd, id, mb_api_lifetime(c), &endpoint);
        if (rv == HTTP_CONFLICT) {
            return stopped(r, id); /* stopped meanwhile */
        }
        if (rv != OK) {
            return mb_api_status_error(r, rv);
        }
        ap_log_rerror(APLOG_MARK, APLOG_INFO, 0, r,
                      MBLOGNO(0309) "upload token of stream %s refreshed "
                                    "by %s",
                      id, r->user);
        return mb_api_send_local_endpoint(r, s, endpoint);
    }
    rv = mb_api_provision(r, c, &sc, s, &creds, &failed);
    if (failed) {
        return rv;
    }
    ap_log_rerror(APLOG_MARK, APLOG_INFO, 0, r,
                  MBLOGNO(0312) "credentials of stream %s refreshed by %s", id,
                  r->user);
    return mb_api_send_endpoint(r, c, &sc, s, &creds);
}

int mb_api_send_detail(request_rec *r, const mb_stream *s)
{
    mb_json *body = mb_json_object(r->pool), *j;

    j = mb_json_set_object(body, "stream");
    mb_api_stream_json(r, j, s, 1);
    mb_json_set_str(j, "visibility", s->is_private ? "private" : "public");
    mb_api_playback_json(r, mb_json_set_object(body, "playback"), s);
    return mb_api_send_json(r, HTTP_OK, body);
}

int mb_api_detail(request_rec *r, const mb_api_conf *c, const char *id)
{
    mb_stream *s;
    ap_dbd_t *dbd;
    int rv, failed;

    rv = mb_api_owned_stream(r, c, id, &dbd, &s, &failed);
    if (failed) {
        return rv;
    }
    return mb_api_send_detail(r, s);
}

/* The state parameter of the list: 0 with *state, or -1 (bad value). */
static int state_param(const char *v, mb_stream_state *state)
{
    if (v == NULL || !strcmp(v, "live")) {
        *state = MB_STREAMS_LIVE;
    }
    else if (!strcmp(v, "stopped")) {
        *state = MB_STREAMS_STOPPED;
    }
    else if (!strcmp(v, "all")) {
        *state = MB_STREAMS_ALL;
    }
    else {
        return -1;
    }
    return 0;
}

/* GET <loc>/: the caller's own streams (live by default; state=stopped
 * for the recordings, state=all for both), everyone's where the owner
 * check is left to Require (BroadcastOwnerOnly Off). */
int mb_api_list(request_rec *r, const mb_api_conf *c)
{
    const char *limit_s, *before, *state_s;
    int limit = MB_LIST_DEFAULT, rv, i;
    mb_stream_state state;
    mb_stream *after = NULL;
    apr_array_header_t *rows;
    ap_dbd_t *dbd;
    mb_json *list, *body;

    if (mb_api_param(r, "limit", &limit_s) != OK ||
        (limit_s && mb_limit_parse(limit_s, &limit) != 0)) {
        return mb_api_bad_param(r, "'limit' must be a number from 1 to 100");
    }
    if (mb_api_param(r, "before", &before) != OK ||
        (before && !mb_uuid_valid(before))) {
        return mb_api_bad_param(r, "'before' is not a stream id");
    }
    if (mb_api_param(r, "state", &state_s) != OK ||
        state_param(state_s, &state) != 0) {
        return mb_api_bad_param(r, "'state' must be live, stopped or all");
    }
    if ((dbd = mb_dbd_acquire(r)) == NULL) {
        return mb_api_status_error(r, HTTP_SERVICE_UNAVAILABLE);
    }
    if (before) {
        rv = mb_stream_get(r, dbd, before, &after);
        /* another user's stream is no cursor of one's own list */
        if (rv == HTTP_NOT_FOUND || (rv == OK && mb_api_owner_only(c) &&
                                     strcmp(after->owner, r->user) != 0)) {
            return mb_api_bad_param(r, "'before' names no stream");
        }
        if (rv != OK) {
            return mb_api_status_error(r, rv);
        }
    }
    if ((rv = mb_stream_list(r, dbd, state,
                             mb_api_owner_only(c) ? r->user : NULL, after,
                             limit, &rows)) != OK) {
        return mb_api_status_error(r, rv);
    }
    body = mb_json_object(r->pool);
    list = mb_json_set_array(body, "streams");
    for (i = 0; i < rows->nelts; i++) {
        const mb_stream *s = &APR_ARRAY_IDX(rows, i, mb_stream);
        mb_json *item = mb_json_push_object(list);

        /* a list with recordings says when each stopped */
        mb_api_stream_json(r, item, s, state != MB_STREAMS_LIVE);
        mb_json_set_str(item, "visibility",
                        s->is_private ? "private" : "public");
        mb_api_playback_json(r, mb_json_set_object(item, "playback"), s);
    }
    mb_json_set_str(body, "next",
                    rows->nelts == limit
                        ? APR_ARRAY_IDX(rows, rows->nelts - 1, mb_stream).id
                        : NULL);
    return mb_api_send_json(r, HTTP_OK, body);
}
