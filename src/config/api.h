/*
 * config/api.h -- the configuration of the live broadcast API
 * (broadcast-api): its fields, and accessors that apply the defaults, each
 * in one place (src/config/api.c).
 */
#ifndef MB_CONFIG_API_H
#define MB_CONFIG_API_H

#include <apr_pools.h>
#include <apr_tables.h>

enum { MB_STORAGE_NONE = 0, MB_STORAGE_S3 = 1, MB_STORAGE_LOCAL = 2 };

typedef struct {
    int storage;              /* BroadcastStorage                     */
    const char *bucket;       /* BroadcastS3Bucket                    */
    const char *region;       /* BroadcastS3Region                    */
    const char *path_tmpl;    /* BroadcastS3Path                      */
    const char *sts_endpoint; /* BroadcastSTSEndpoint                 */
    int action;               /* BroadcastSTSAction (mb_sts_action_e) */
    const char *role_arn;     /* BroadcastSTSRoleArn                  */
    const char *access_key;   /* BroadcastAWSCredentials, resolved    */
    const char *secret_key;
    int lifetime;      /* BroadcastCredentialLifetime          */
    int sts_timeout;   /* BroadcastSTSTimeout                  */
    int sts_keepalive; /* BroadcastSTSKeepAlive                */
    int owner_only;    /* BroadcastOwnerOnly                   */
    apr_array_header_t *trusted_origins; /* BroadcastTrustedOrigin,
                                            canonical (mb_origin.h)  */
    int max_live;      /* BroadcastMaxLiveStreams, 0: no limit */
} mb_api_conf;

void mb_api_conf_init(mb_api_conf *c);
void mb_api_conf_merge(mb_api_conf *c, const mb_api_conf *base,
                       const mb_api_conf *add);

/* BroadcastS3Region, default us-east-1. */
const char *mb_api_region(const mb_api_conf *c);
/* BroadcastS3Path, default %{user}/%{id}/. */
const char *mb_api_path_tmpl(const mb_api_conf *c);
/* BroadcastSTSEndpoint, default https://sts.<region>.amazonaws.com/
 * (in pool p). */
const char *mb_api_sts_endpoint(apr_pool_t *p, const mb_api_conf *c);
/* BroadcastSTSAction, default AssumeRole (mb_sts_action_e). */
int mb_api_action(const mb_api_conf *c);
/* BroadcastCredentialLifetime, default 3600 s. */
int mb_api_lifetime(const mb_api_conf *c);
/* BroadcastSTSTimeout, default 10 s. */
int mb_api_sts_timeout(const mb_api_conf *c);
/* BroadcastSTSKeepAlive, default On. */
int mb_api_sts_keepalive(const mb_api_conf *c);
/* BroadcastOwnerOnly, default On. */
int mb_api_owner_only(const mb_api_conf *c);
/* BroadcastMaxLiveStreams, default 5; 0: no limit. */
int mb_api_max_live(const mb_api_conf *c);

#endif /* MB_CONFIG_API_H */
