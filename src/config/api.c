/*
 * config/api.c -- the live broadcast API's configuration: creation,
 * merging and the defaults (see src/config/api.h).  APR only.
 */
#include "mb_private.h"
#include "config/api.h"
#include "mb_s3.h"
#include "mb_sts.h"

#include <apr_strings.h>

#define DEFAULT_REGION "us-east-1"
#define DEFAULT_ACTION MB_STS_ASSUME_ROLE
#define DEFAULT_LIFETIME 3600
#define DEFAULT_STS_TIMEOUT 10
#define DEFAULT_STS_KEEPALIVE 1
#define DEFAULT_OWNER_ONLY 1
#define DEFAULT_MAX_LIVE 5

void mb_api_conf_init(mb_api_conf *c)
{
    c->bucket = c->region = c->path_tmpl = c->sts_endpoint = NULL;
    c->role_arn = c->access_key = c->secret_key = NULL;
    c->trusted_origins = NULL;
    c->storage = MB_UNSET;
    c->action = MB_UNSET;
    c->lifetime = MB_UNSET;
    c->sts_timeout = MB_UNSET;
    c->owner_only = MB_UNSET;
    c->sts_keepalive = MB_UNSET;
    c->max_live = MB_UNSET;
}

void mb_api_conf_merge(mb_api_conf *c, const mb_api_conf *base,
                       const mb_api_conf *add)
{
    /* the two halves of the credentials go together */
    const mb_api_conf *k = add->access_key ? add : base;

    c->storage = MB_PICK_SET(base, add, storage);
    c->bucket = MB_PICK(base, add, bucket);
    c->region = MB_PICK(base, add, region);
    c->path_tmpl = MB_PICK(base, add, path_tmpl);
    c->sts_endpoint = MB_PICK(base, add, sts_endpoint);
    c->action = MB_PICK_SET(base, add, action);
    c->role_arn = MB_PICK(base, add, role_arn);
    c->access_key = k->access_key;
    c->secret_key = k->secret_key;
    c->lifetime = MB_PICK_SET(base, add, lifetime);
    c->sts_timeout = MB_PICK_SET(base, add, sts_timeout);
    c->sts_keepalive = MB_PICK_SET(base, add, sts_keepalive);
    c->owner_only = MB_PICK_SET(base, add, owner_only);
    c->trusted_origins = MB_PICK(base, add, trusted_origins);
    c->max_live = MB_PICK_SET(base, add, max_live);
}

const char *mb_api_region(const mb_api_conf *c)
{
    return c->region ? c->region : DEFAULT_REGION;
}

const char *mb_api_path_tmpl(const mb_api_conf *c)
{
    return c->path_tmpl ? c->path_tmpl : MB_S3_DEFAULT_PATH;
}

const char *mb_api_sts_endpoint(apr_pool_t *p, const mb_api_conf *c)
{
    return c->sts_endpoint ? c->sts_endpoint
                           : apr_pstrcat(p, "https://sts.", mb_api_region(c),
                                         ".amazonaws.com/", NULL);
}

int mb_api_action(const mb_api_conf *c)
{
    return c->action != MB_UNSET ? c->action : DEFAULT_ACTION;
}

int mb_api_lifetime(const mb_api_conf *c)
{
    return c->lifetime != MB_UNSET ? c->lifetime : DEFAULT_LIFETIME;
}

int mb_api_sts_timeout(const mb_api_conf *c)
{
    return c->sts_timeout != MB_UNSET ? c->sts_timeout : DEFAULT_STS_TIMEOUT;
}

int mb_api_sts_keepalive(const mb_api_conf *c)
{
    return c->sts_keepalive != MB_UNSET ? c->sts_keepalive
                                        : DEFAULT_STS_KEEPALIVE;
}

int mb_api_owner_only(const mb_api_conf *c)
{
    return c->owner_only != MB_UNSET ? c->owner_only : DEFAULT_OWNER_ONLY;
}

int mb_api_max_live(const mb_api_conf *c)
{
    return c->max_live != MB_UNSET ? c->max_live : DEFAULT_MAX_LIVE;
}
