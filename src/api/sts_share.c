/*
 * api/sts_share.c -- the process-wide state of the API's STS calls:
 * libcurl's global init (once, in the parent, from post_config) and each
 * child's curl share (connections and DNS reused across requests, from
 * child_init).
 */
#include "api/api.h"

APLOG_USE_MODULE(broadcast);

static CURLSH *curl_share;

static apr_status_t curl_global_done(void *data)
{
    (void)data;
    curl_global_cleanup();
    return APR_SUCCESS;
}

int mb_api_curl_global_init(apr_pool_t *pconf, server_rec *s)
{
    /* Once, in the parent, before any thread exists. */
    if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
        ap_log_error(APLOG_MARK, APLOG_CRIT, 0, s,
                     MBLOGNO(0403) "curl_global_init failed");
        return HTTP_INTERNAL_SERVER_ERROR;
    }
    apr_pool_cleanup_register(pconf, NULL, curl_global_done,
                              apr_pool_cleanup_null);
    return OK;
}

void mb_api_child_init(apr_pool_t *pchild, server_rec *s)
{
    curl_share = mb_sts_share(pchild);
    if (curl_share == NULL) {
        ap_log_error(APLOG_MARK, APLOG_WARNING, 0, s,
                     MBLOGNO(0404) "no curl share: STS connections will not "
                                   "be reused");
    }
}

CURLSH *mb_api_curl_share(void)
{
    return curl_share;
}
