/*
 * api/directives.c -- the live broadcast API's directives (their table is
 * MB_API_DIRECTIVES in src/api/api.h, their fields src/config/api.h) and
 * their checks at startup.  The process-wide state of STS calls is in
 * src/api/sts_share.c.
 */
#include "api/api.h"
#include "mb_number.h"
#include "mb_s3.h"
#include "mb_secret.h"
#include "mb_validate.h"

#include <apr_lib.h>
#include <apr_strings.h>
#include <apr_uri.h>
#include <http_core.h>

APLOG_USE_MODULE(broadcast);

/* Warnings found while reading the configuration: the error log is not
 * open yet then (they would reach only the starting terminal), so they
 * are logged again from post_config. */
static apr_array_header_t *startup_warnings;

static apr_status_t forget_warnings(void *data)
{
    (void)data;
    startup_warnings = NULL;
    return APR_SUCCESS;
}

static void startup_warning(cmd_parms *cmd, const char *msg)
{
    ap_log_error(APLOG_MARK, APLOG_WARNING, 0, cmd->server, "%s", msg);
    if (startup_warnings == NULL) {
        startup_warnings = apr_array_make(cmd->pool, 4, sizeof(char *));
        apr_pool_cleanup_register(cmd->pool, NULL, forget_warnings,
                                  apr_pool_cleanup_null);
    }
    APR_ARRAY_PUSH(startup_warnings, const char *) = msg;
}

static mb_api_conf *api_of(void *dcfg)
{
    return &((mb_dir_conf *)dcfg)->api;
}

static const char *err(cmd_parms *cmd, const char *why)
{
    return apr_pstrcat(cmd->pool, cmd->cmd->name, ": ", why, NULL);
}

const char *mb_cmd_storage(cmd_parms *cmd, void *dcfg, const char *arg)
{
    if (strcasecmp(arg, "S3") == 0) {
        api_of(dcfg)->storage = MB_STORAGE_S3;
    }
    else if (strcasecmp(arg, "local") == 0) {
        api_of(dcfg)->storage = MB_STORAGE_LOCAL;  /* + BroadcastLiveRoot */
    }
    else {
        return err(cmd, "storage is S3 or local");
    }
    /* The directive that enables the API: its statements are prepared for
     * this server (mod_dbd must be loaded). */
    return mb_streams_require(cmd);
}

const char *mb_cmd_s3_bucket(cmd_parms *cmd, void *dcfg, const char *arg)
{
    if (!mb_s3_bucket_valid(arg)) {
        return err(cmd, "not a bucket name (letters, digits, '.', '-', '_')");
    }
    api_of(dcfg)->bucket = arg;
    return NULL;
}

const char *mb_cmd_s3_region(cmd_parms *cmd, void *dcfg, const char *arg)
{
    const char *s;

    for (s = arg; *s; s++) {
        if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') ||
              *s == '-')) {
            return err(cmd, "not a region name (e.g. eu-west-1)");
        }
    }
    if (*arg == '\0') {
        return err(cmd, "empty region");
    }
    api_of(dcfg)->region = arg;
    return NULL;
}

const char *mb_cmd_s3_path(cmd_parms *cmd, void *dcfg, const char *arg)
{
    const char *why = mb_s3_path_check(arg);

    if (why) {
        return err(cmd, apr_pstrcat(cmd->pool, "the template ", why, NULL));
    }
    api_of(dcfg)->path_tmpl = arg;
    return NULL;
}

/* BroadcastSTSEndpoint: an http or https URL with a host (apr_uri_parse). */
const char *mb_cmd_sts_endpoint(cmd_parms *cmd, void *dcfg, const char *arg)
{
    apr_uri_t u;

    if (apr_uri_parse(cmd->pool, arg, &u) != APR_SUCCESS || u.scheme == NULL ||
        (strcasecmp(u.scheme, "https") != 0 &&
         strcasecmp(u.scheme, "http") != 0) ||
        u.hostname == NULL || *u.hostname == '\0') {
        return err(cmd, "must be an http:// or https:// URL");
    }
    if (strcasecmp(u.scheme, "http") == 0) {
        startup_warning(
            cmd,
            apr_psprintf(
                cmd->pool,
                MBLOGNO(0401) "%s %s (%s:%d): plain HTTP, credentials "
                              "travel unencrypted (use it on loopback only)",
                cmd->cmd->name, arg, cmd->directive->filename,
                cmd->directive->line_num));
    }
    api_of(dcfg)->sts_endpoint = arg;
    return NULL;
}

static const char *check_lifetime(cmd_parms *cmd, const mb_api_conf *c)
{
    const char *why;

    if (c->lifetime == MB_UNSET) {
        return NULL;
    }
    /* Without an action in the same section, only the widest limits: the
     * action may come from another section (checked after merging, at
     * startup, by check_lifetimes). */
    why = mb_sts_lifetime_check(
        cmd->pool, c->action == MB_UNSET ? MB_STS_FEDERATION_TOKEN : c->action,
        c->lifetime);
    return why ? err(cmd, why) : NULL;
}

const char *mb_cmd_sts_action(cmd_parms *cmd, void *dcfg, const char *arg)
{
    mb_api_conf *c = api_of(dcfg);

    if (strcasecmp(arg, "AssumeRole") == 0) {
        c->action = MB_STS_ASSUME_ROLE;
    }
    else if (strcasecmp(arg, "GetFederationToken") == 0) {
        c->action = MB_STS_FEDERATION_TOKEN;
    }
    else {
        return err(cmd, "AssumeRole or GetFederationToken");
    }
    return check_lifetime(cmd, c);
}

const char *mb_cmd_sts_role_arn(cmd_parms *cmd, void *dcfg, const char *arg)
{
    if (strncmp(arg, "arn:", 4) != 0 || strstr(arg, ":role/") == NULL) {
        return err(cmd, "not a role ARN (arn:aws:iam::ACCOUNT:role/NAME)");
    }
    api_of(dcfg)->role_arn = arg;
    return NULL;
}

const char *mb_cmd_aws_credentials(cmd_parms *cmd, void *dcfg,
                                   const char *access, const char *secret)
{
    mb_api_conf *c = api_of(dcfg);
    mb_secret_source_e sa, ss;
    const char *why;

    if ((why = mb_secret_resolve(cmd->pool, access, &c->access_key, &sa))) {
        return err(cmd, apr_pstrcat(cmd->pool, "access key: ", why, NULL));
    }
    if ((why = mb_secret_resolve(cmd->pool, secret, &c->secret_key, &ss))) {
        return err(cmd, apr_pstrcat(cmd->pool, "secret key: ", why, NULL));
    }
    if (ss == MB_SECRET_LITERAL) {
        /* never the value itself: only where it is */
        startup_warning(
            cmd,
            apr_psprintf(
                cmd->pool,
                MBLOGNO(
                    0402) "%s: the secret key is written in the "
                          "configuration (%s:%d); prefer env:NAME or file:PATH",
                cmd->cmd->name, cmd->directive->filename,
                cmd->directive->line_num));
    }
    return NULL;
}

const char *mb_cmd_credential_lifetime(cmd_parms *cmd, void *dcfg,
                                       const char *arg)
{
    mb_api_conf *c = api_of(dcfg);

    if (mb_seconds_parse(arg, MB_STS_MAX_FEDERATION, &c->lifetime)) {
        return err(cmd, "a number of seconds (900 to 43200 for AssumeRole, "
                        "to 129600 for GetFederationToken)");
    }
    return check_lifetime(cmd, c);
}

/* BroadcastSTSTimeout: a number of seconds, as always, or a time with one
 * of httpd's units (ap_timeout_parameter_parse: ms, s, mi, hr); either way
 * a whole number of seconds from 1 to 300. */
const char *mb_cmd_sts_timeout(cmd_parms *cmd, void *dcfg, const char *arg)
{
    static const char *const units[] = {"", "ms", "s", "mi", "hr", NULL};
    const char *digits = arg, *unit;
    apr_interval_time_t t;
    int i;

    /* digits, then a unit or nothing: what ap_timeout_parameter_parse
     * would also take (" 5", "+5", "5sec", "5hours") is refused, and at
     * most 9 digits besides leading zeros keep its arithmetic in range */
    while (*digits == '0') {
        digits++;
    }
    for (unit = digits; apr_isdigit(*unit); unit++) {
    }
    for (i = 0; units[i] && strcmp(unit, units[i]) != 0; i++) {
    }
    if (!apr_isdigit(*arg) || units[i] == NULL || unit - digits > 9 ||
        ap_timeout_parameter_parse(arg, &t, "s") != APR_SUCCESS ||
        t < apr_time_from_sec(1) || t > apr_time_from_sec(300) ||
        t % APR_USEC_PER_SEC != 0) {
        return err(cmd, "a number of seconds, 1 to 300 (or a whole number "
                        "of seconds with a unit: ms, s, mi, hr)");
    }
    api_of(dcfg)->sts_timeout = (int)apr_time_sec(t);
    return NULL;
}

const char *mb_cmd_max_live(cmd_parms *cmd, void *dcfg, const char *arg)
{
    apr_int64_t n;

    if (mb_int_parse(arg, 0, 100000, &n)) {
        return err(cmd, "a number of streams, 0 (no limit) to 100000");
    }
    api_of(dcfg)->max_live = (int)n;
    return NULL;
}

/* The lifetime and the action may be set in different sections (a virtual
 * host and a <Location>): check each section as merged with its server's
 * defaults, so that a combination STS would refuse fails at startup. */
static int check_lifetimes(apr_pool_t *ptemp, server_rec *main_s)
{
    server_rec *s;

    for (s = main_s; s; s = s->next) {
        core_server_config *sconf = ap_get_core_module_config(s->module_config);
        mb_dir_conf *top =
            ap_get_module_config(s->lookup_defaults, &broadcast_module);
        apr_array_header_t *secs[2] = {sconf->sec_url, sconf->sec_dir};
        int k, i, section_actions = 0;

        /* the server's own defaults alone only when no section names an
         * action (else that section's merge is what requests get) */
        for (k = 0; k < 2; k++) {
            ap_conf_vector_t **sec = (ap_conf_vector_t **)secs[k]->elts;
            for (i = 0; i < secs[k]->nelts; i++) {
                mb_dir_conf *dc =
                    ap_get_module_config(sec[i], &broadcast_module);
                if (dc && dc->api.action != MB_UNSET) {
                    section_actions = 1;
                }
            }
        }
        for (k = 0; k < 2; k++) {
            ap_conf_vector_t **sec = (ap_conf_vector_t **)secs[k]->elts;
            for (i = (k == 0 && !section_actions) ? -1 : 0; i < secs[k]->nelts;
                 i++) {
                mb_dir_conf *dc =
                    i < 0 ? top
                          : ap_get_module_config(sec[i], &broadcast_module);
                const mb_api_conf *c;
                const char *why;

                if (dc == NULL) {
                    continue;
                }
                if (i < 0 || top == NULL) {
                    c = &dc->api;
                }
                else {
                    mb_api_conf *m = apr_palloc(ptemp, sizeof(*m));
                    mb_api_conf_merge(m, &top->api, &dc->api);
                    c = m;
                }
                if (c->lifetime == MB_UNSET) {
                    continue;
                }
                why = mb_sts_lifetime_check(ptemp, mb_api_action(c),
                                            c->lifetime);
                if (why) {
                    ap_log_error(APLOG_MARK, APLOG_CRIT, 0, s,
                                 MBLOGNO(0411) "BroadcastCredentialLifetime "
                                               "%s (server %s)",
                                 why,
                                 s->server_hostname ? s->server_hostname : "");
                    return HTTP_INTERNAL_SERVER_ERROR;
                }
            }
        }
    }
    return OK;
}

int mb_api_post_config(apr_pool_t *pconf, apr_pool_t *plog, apr_pool_t *ptemp,
                       server_rec *s)
{
    (void)plog;
    if (check_lifetimes(ptemp, s) != OK) {
        return HTTP_INTERNAL_SERVER_ERROR;
    }
    if (mb_api_curl_global_init(pconf, s) != OK) {
        return HTTP_INTERNAL_SERVER_ERROR;
    }
    if (startup_warnings) {
        int i;
        for (i = 0; i < startup_warnings->nelts; i++) {
            ap_log_error(APLOG_MARK, APLOG_WARNING, 0, s, "%s",
                         APR_ARRAY_IDX(startup_warnings, i, const char *));
        }
    }
    return OK;
}
