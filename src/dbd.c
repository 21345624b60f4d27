/*
 * dbd.c -- mod_broadcast's use of mod_dbd (see include/mb_dbd.h).
 */
#include "mod_broadcast.h"
#include "mb_dbd.h"

#include <http_log.h>
#include <apr_hash.h>
#include <apr_optional.h>
#include <apr_strings.h>

APLOG_USE_MODULE(broadcast);

static APR_OPTIONAL_FN_TYPE(ap_dbd_prepare) *dbd_prepare;
static APR_OPTIONAL_FN_TYPE(ap_dbd_acquire) *dbd_acquire;
static APR_OPTIONAL_FN_TYPE(ap_dbd_open) *dbd_open;
static APR_OPTIONAL_FN_TYPE(ap_dbd_close) *dbd_close;

/* Which (server, statement table) pairs are already registered; lives in
 * the configuration pool, so a restart starts afresh. */
static apr_hash_t *registered;

static apr_status_t forget_registered(void *data)
{
    (void)data;
    registered = NULL;
    return APR_SUCCESS;
}

const char *mb_dbd_require(cmd_parms *cmd, const mb_dbd_stmt *stmts)
{
    const char *key;

    if (dbd_prepare == NULL) {
        dbd_prepare = APR_RETRIEVE_OPTIONAL_FN(ap_dbd_prepare);
        dbd_acquire = APR_RETRIEVE_OPTIONAL_FN(ap_dbd_acquire);
        dbd_open = APR_RETRIEVE_OPTIONAL_FN(ap_dbd_open);
        dbd_close = APR_RETRIEVE_OPTIONAL_FN(ap_dbd_close);
        if (dbd_prepare == NULL || dbd_acquire == NULL
            || dbd_open == NULL || dbd_close == NULL) {
            dbd_prepare = NULL;
            return apr_pstrcat(cmd->pool, cmd->cmd->name,
                               " needs mod_dbd: load it (LoadModule "
                               "dbd_module) before mod_broadcast", NULL);
        }
    }
    if (registered == NULL) {
        registered = apr_hash_make(cmd->pool);
        apr_pool_cleanup_register(cmd->pool, NULL, forget_registered,
                                  apr_pool_cleanup_null);
    }
    key = apr_psprintf(cmd->pool, "%pp/%pp", (void *)cmd->server,
                       (const void *)stmts);
    if (apr_hash_get(registered, key, APR_HASH_KEY_STRING) == NULL) {
        for (; stmts->label; stmts++) {
            dbd_prepare(cmd->server, stmts->sql, stmts->label);
        }
        apr_hash_set(registered, key, APR_HASH_KEY_STRING, "");
    }
    return NULL;
}

ap_dbd_t *mb_dbd_acquire(request_rec *r)
{
    ap_dbd_t *dbd = dbd_acquire ? dbd_acquire(r) : NULL;

    if (dbd == NULL) {
        ap_log_rerror(APLOG_MARK, APLOG_ERR, 0, r,
                      MBLOGNO(0201) "database unavailable (mod_dbd gave no "
                      "connection)");
    }
    return dbd;
}

ap_dbd_t *mb_dbd_open(apr_pool_t *p, server_rec *s)
{
    return dbd_open ? dbd_open(p, s) : NULL;
}

void mb_dbd_close(server_rec *s, ap_dbd_t *dbd)
{
    if (dbd_close && dbd) {
        dbd_close(s, dbd);
    }
}

apr_dbd_prepared_t *mb_dbd_statement(server_rec *s, ap_dbd_t *dbd,
                                     const char *label)
{
    apr_dbd_prepared_t *st = apr_hash_get(dbd->prepared, label,
                                          APR_HASH_KEY_STRING);
    if (st == NULL) {
        ap_log_error(APLOG_MARK, APLOG_ERR, 0, s,
                     MBLOGNO(0202) "prepared statement %s is missing: is the "
                     "schema from conf/ installed?", label);
    }
    return st;
}

const char *mb_dbd_engine(ap_dbd_t *dbd)
{
    return apr_dbd_name(dbd->driver);
}
