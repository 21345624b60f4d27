/*
 * directives.c -- the directives of who may watch (their table is
 * MB_VIEWER_DIRECTIVES in src/viewer/viewer.h; the fields and defaults are
 * in src/config/viewer.h).
 */
#include "viewer/viewer.h"
#include "db/viewer_links.h"
#include "mb_hmac_key.h"
#include "mb_number.h"
#include "mb_secret.h"

#include <apr_strings.h>

/* the secret of `spec`, keyed once here: a request copies the ready HMAC
 * context (include/mb_hmac_key.h) */
static const char *one_key(cmd_parms *cmd, const char *spec,
                           const struct mb_hmac_key **out)
{
    mb_secret_source_e src;
    const char *why, *secret;

    if (strncmp(spec, "env:", 4) != 0 && strncmp(spec, "file:", 5) != 0) {
        /* a literal would sit in the configuration, and in its dumps */
        return apr_pstrcat(cmd->pool, cmd->cmd->name,
                           ": give env:NAME or file:PATH, not the secret "
                           "itself", NULL);
    }
    if ((why = mb_secret_resolve(cmd->pool, spec, &secret, &src)) != NULL) {
        return apr_pstrcat(cmd->pool, cmd->cmd->name, ": ", why, NULL);
    }
    if (strlen(secret) < 16) {
        return apr_pstrcat(cmd->pool, cmd->cmd->name, ": the secret from ",
                           spec, " is shorter than 16 bytes", NULL);
    }
    if ((*out = mb_hmac_key_make(cmd->pool, secret)) == NULL) {
        return apr_pstrcat(cmd->pool, cmd->cmd->name,
                           ": OpenSSL cannot make an HMAC-SHA256 key", NULL);
    }
    return NULL;
}

const char *mb_cmd_viewer_secret(cmd_parms *cmd, void *dcfg,
                                 const char *current, const char *previous)
{
    mb_dir_conf *conf = dcfg;
    const char *why;

    if ((why = one_key(cmd, current, &conf->viewer.keys[0]))) {
        return why;
    }
    /* links are checked against the revoked ones of this server's table */
    if ((why = mb_viewer_links_require(cmd)) != NULL) {
        return why;
    }
    conf->viewer.keys[1] = NULL;
    if (previous && (why = one_key(cmd, previous, &conf->viewer.keys[1]))) {
        return why;
    }
    return NULL;
}

const char *mb_cmd_default_visibility(cmd_parms *cmd, void *dcfg,
                                      const char *arg)
{
    mb_dir_conf *conf = dcfg;

    if (!strcasecmp(arg, "public")) {
        conf->viewer.default_visibility = MB_VIEWER_PUBLIC;
    }
    else if (!strcasecmp(arg, "private")) {
        conf->viewer.default_visibility = MB_VIEWER_PRIVATE;
    }
    else {
        return apr_pstrcat(cmd->pool, cmd->cmd->name,
                           ": public or private, not '", arg, "'", NULL);
    }
    return NULL;
}

const char *mb_cmd_revocation_cache(cmd_parms *cmd, void *dcfg,
                                    const char *arg)
{
    mb_dir_conf *conf = dcfg;
    apr_int64_t v;

    if (mb_int_parse(arg, 0, 3600, &v) != 0) {
        return apr_pstrcat(cmd->pool, cmd->cmd->name,
                           ": a number of seconds from 0 to 3600, not '",
                           arg, "'", NULL);
    }
    conf->viewer.revocation_cache = (int)v;
    return NULL;
}
