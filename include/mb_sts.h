/*
 * mb_sts.h -- temporary S3 credentials from AWS STS (AssumeRole or
 * GetFederationToken): the request, signed by libcurl (CURLOPT_AWS_SIGV4),
 * and its XML answer, read with apr_xml by element name.
 * httpd-independent (APR, APR-util, libcurl): the glue logs.
 */
#ifndef MB_STS_H
#define MB_STS_H

#include <apr_pools.h>
#include <apr_time.h>
#include <curl/curl.h>

typedef enum {
    MB_STS_ASSUME_ROLE = 0,
    MB_STS_FEDERATION_TOKEN
} mb_sts_action_e;

#define MB_STS_MIN_LIFETIME 900
#define MB_STS_MAX_ASSUME_ROLE 43200 /* 12 h, a role's ceiling   */
#define MB_STS_MAX_FEDERATION 129600 /* 36 h                     */
#define MB_STS_MAX_ANSWER (64 * 1024)

typedef struct {
    const char *endpoint; /* https://sts.REGION.amazonaws.com/        */
    const char *region;   /* signing region                          */
    mb_sts_action_e action;
    const char *role_arn;   /* AssumeRole only                         */
    const char *access_key; /* long-term credentials of the module     */
    const char *secret_key;
    int lifetime;    /* DurationSeconds                         */
    long timeout_ms; /* whole exchange                          */
    long connect_timeout_ms;
    int keepalive; /* reuse connections (else a new one each)  */
} mb_sts_conf;

typedef struct {
    const char *access_key_id;
    const char *secret_access_key;
    const char *session_token;
    apr_time_t expiration; /* 0 when STS did not say (or unparsable)   */
} mb_sts_creds;

typedef enum {
    MB_STS_OK = 0,
    MB_STS_REFUSED,     /* STS answered with an error: 502          */
    MB_STS_TIMEOUT,     /* no (complete) answer in time: 504        */
    MB_STS_UNREACHABLE, /* connection or TLS failure: 502           */
    MB_STS_BAD_ANSWER,  /* 200 without credentials, bad XML: 502    */
    MB_STS_INTERNAL     /* could not even build the request: 500    */
} mb_sts_e;

typedef struct {
    mb_sts_e status;
    long http_status;     /* STS's HTTP status, 0 if none             */
    const char *code;     /* STS's error code (safe to show)          */
    const char *message;  /* STS's message or curl's error (log only) */
    long new_connections; /* connections opened (0: one was reused)   */
} mb_sts_result;

/* Name of an action, as STS spells it. */
const char *mb_sts_action_name(mb_sts_action_e action);

/* NULL if `lifetime` is within the action's limits, else why not. */
const char *mb_sts_lifetime_check(apr_pool_t *p, mb_sts_action_e action,
                                  int lifetime);

/* RoleSessionName (AssumeRole, <= 64) or Name (GetFederationToken, <= 32)
 * from the user name and the stream id, in STS's [\w+=,.@-] alphabet. */
const char *mb_sts_session_name(apr_pool_t *p, mb_sts_action_e action,
                                const char *user, const char *id);

/* The request body for STS. */
const char *mb_sts_form(apr_pool_t *p, const mb_sts_conf *c,
                        const char *session_name, const char *policy);

/* Read an STS answer (a success or an ErrorResponse).  On MB_STS_OK
 * *creds is filled; on MB_STS_REFUSED res->code/message are set (when
 * the XML has them); MB_STS_BAD_ANSWER otherwise.  http_status is STS's
 * status (200 = success expected). */
mb_sts_e mb_sts_parse(apr_pool_t *p, long http_status, const char *body,
                      apr_size_t len, mb_sts_creds *creds, mb_sts_result *res);

/* A process-wide curl share (connections, DNS, TLS sessions) guarded by
 * APR mutexes; destroyed with pool p.  NULL on failure. */
CURLSH *mb_sts_share(apr_pool_t *p);

/* Ask STS.  share may be NULL.  Returns res->status. */
mb_sts_e mb_sts_call(apr_pool_t *p, CURLSH *share, const mb_sts_conf *c,
                     const char *session_name, const char *policy,
                     mb_sts_creds *creds, mb_sts_result *res);

#endif /* MB_STS_H */
