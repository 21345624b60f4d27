/*
 * api/credentials.c -- temporary S3 credentials for a stream (BroadcastStorage
 * S3): the STS request from the configuration, the call (src/core/sts.c,
 * through the process's curl share, src/api/sts_share.c), its failures as
 * the API's answers, and the endpoint answer that hands them out.
 */
#include "api/api_int.h"
#include "metrics/metrics.h"
#include "mb_s3.h"

#include <apr_strings.h>
#include <http_protocol.h>

APLOG_USE_MODULE(broadcast);

/* ---- STS ------------------------------------------------------------- */

/* Fill the STS request from the configuration; NULL or why not. */
const char *mb_api_sts_conf(request_rec *r, const mb_api_conf *c,
                            mb_sts_conf *sc)
{
    int timeout = mb_api_sts_timeout(c);
    const char *why;

    if (c->storage != MB_STORAGE_S3) {
        return "BroadcastStorage S3 is not set";
    }
    if (c->bucket == NULL) {
        return "BroadcastS3Bucket is not set";
    }
    if (c->access_key == NULL) {
        return "BroadcastAWSCredentials is not set";
    }
    memset(sc, 0, sizeof(*sc));
    sc->region = mb_api_region(c);
    sc->endpoint = mb_api_sts_endpoint(r->pool, c);
    sc->action = mb_api_action(c);
    if (sc->action == MB_STS_ASSUME_ROLE && c->role_arn == NULL) {
        return "BroadcastSTSRoleArn is not set (needed by AssumeRole)";
    }
    sc->role_arn = c->role_arn;
    sc->access_key = c->access_key;
    sc->secret_key = c->secret_key;
    sc->lifetime = mb_api_lifetime(c);
    if ((why = mb_sts_lifetime_check(r->pool, sc->action, sc->lifetime))) {
        return apr_pstrcat(r->pool, "BroadcastCredentialLifetime ", why, NULL);
    }
    sc->timeout_ms = timeout * 1000L;
    sc->connect_timeout_ms = (timeout < 5 ? timeout : 5) * 1000L;
    sc->keepalive = mb_api_sts_keepalive(c);
    return NULL;
}

/* Temporary credentials for the stream's prefix.  OK with *creds, or the
 * error answer already sent (returns its handler status). */
int mb_api_provision(request_rec *r, const mb_api_conf *c,
                     const mb_sts_conf *sc, const mb_stream *s,
                     mb_sts_creds *creds, int *failed)
{
    const char *policy = mb_s3_policy(r->pool, c->bucket, s->s3_path);
    const char *session =
        mb_sts_session_name(r->pool, sc->action, r->user, s->id);
    mb_sts_result res;
    apr_time_t t0 = apr_time_now();

    *failed = 1;
    if (policy == NULL) {
        ap_log_rerror(APLOG_MARK, APLOG_ERR, 0, r,
                      MBLOGNO(0302) "cannot build the session policy");
        return mb_api_status_error(r, HTTP_INTERNAL_SERVER_ERROR);
    }
    mb_sts_call(r->pool, mb_api_curl_share(), sc, session, policy, creds, &res);
    mb_metrics_count_sts(res.status == MB_STS_OK, apr_time_now() - t0);
    ap_log_rerror(APLOG_MARK, APLOG_DEBUG, 0, r,
                  MBLOGNO(0405) "STS %s for stream %s: status %d, HTTP %ld, "
                                "%s connection, %" APR_TIME_T_FMT " us",
                  mb_sts_action_name(sc->action), s->id, (int)res.status,
                  res.http_status, res.new_connections ? "new" : "reused",
                  apr_time_now() - t0);
    switch (res.status) {
    case MB_STS_OK:
        *failed = 0;
        return OK;
    case MB_STS_REFUSED:
        ap_log_rerror(APLOG_MARK, APLOG_ERR, 0, r,
                      MBLOGNO(0406) "STS %s at %s refused (HTTP %ld): %s: %s",
                      mb_sts_action_name(sc->action), sc->endpoint,
                      res.http_status, res.code,
                      res.message ? res.message : "(no message)");
        return mb_api_error(r, HTTP_BAD_GATEWAY, "sts_refused",
                            apr_psprintf(r->pool,
                                         "the credential service "
                                         "refused %s: %s",
                                         mb_sts_action_name(sc->action),
                                         res.code));
    case MB_STS_TIMEOUT:
        ap_log_rerror(APLOG_MARK, APLOG_ERR, 0, r,
                      MBLOGNO(0407) "STS at %s timed out: %s", sc->endpoint,
                      res.message);
        return mb_api_error(r, HTTP_GATEWAY_TIME_OUT, "sts_timeout",
                            "the credential service did not answer in time");
    case MB_STS_UNREACHABLE:
        ap_log_rerror(APLOG_MARK, APLOG_ERR, 0, r,
                      MBLOGNO(0408) "STS at %s unreachable: %s", sc->endpoint,
                      res.message);
        return mb_api_error(r, HTTP_BAD_GATEWAY, "sts_unreachable",
                            "the credential service cannot be reached");
    case MB_STS_BAD_ANSWER:
        ap_log_rerror(APLOG_MARK, APLOG_ERR, 0, r,
                      MBLOGNO(0409) "STS at %s gave a bad answer (HTTP %ld):"
                                    " %s",
                      sc->endpoint, res.http_status, res.message);
        return mb_api_error(r, HTTP_BAD_GATEWAY, "sts_bad_answer",
                            "the credential service gave an unusable answer");
    default:
        ap_log_rerror(APLOG_MARK, APLOG_ERR, 0, r,
                      MBLOGNO(0410) "STS request failed: %s", res.message);
        return mb_api_status_error(r, HTTP_INTERNAL_SERVER_ERROR);
    }
}

/* {"stream": {...}, "endpoint": {"S3": {...}}} */
int mb_api_send_endpoint(request_rec *r, const mb_api_conf *c,
                         const mb_sts_conf *sc, const mb_stream *s,
                         const mb_sts_creds *creds)
{
    apr_int64_t lifetime = sc->lifetime;
    mb_json *body, *s3;

    /* aws_expiration is the lifetime in seconds; STS may grant less than
     * was asked (role chaining): then what it granted. */
    if (creds->expiration) {
        apr_time_t left = apr_time_sec(creds->expiration - apr_time_now());
        if (left < lifetime) {
            lifetime = left > 0 ? left : 0;
        }
    }
    body = mb_api_stream_body(r, s, 0);
    s3 = mb_json_set_object(mb_json_set_object(body, "endpoint"), "S3");
    mb_json_set_str(s3, "aws_access_key_id", creds->access_key_id);
    mb_json_set_str(s3, "aws_secret_access_key", creds->secret_access_key);
    mb_json_set_str(s3, "aws_session_token", creds->session_token);
    mb_json_set_int(s3, "aws_expiration", lifetime);
    mb_json_set_str(s3, "s3_bucket_name", c->bucket);
    mb_json_set_str(s3, "s3_bucket_path", s->s3_path);
    mb_json_set_str(s3, "s3_bucket_region", sc->region);
    return mb_api_send_json(r, HTTP_OK, body);
}
