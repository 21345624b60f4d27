/*
 * authz/authz.h -- what the authorization providers of src/authz/ share:
 * `Require broadcast-viewer` (src/authz/viewer.c), `Require
 * broadcast-signed` (src/authz/signed.c), and the 503 answer of
 * a provider whose stream table cannot be read (src/authz/owner.c).
 */
#ifndef MB_AUTHZ_H
#define MB_AUTHZ_H

#include "mb_private.h"

#include <mod_auth.h>

#define MB_AUTHZ_VIEWER "broadcast-viewer"
extern const authz_provider mb_authz_viewer_provider;

/* `Require broadcast-signed` (src/authz/signed.c): a signed link to files */
#define MB_AUTHZ_SIGNED "broadcast-signed"
extern const authz_provider mb_authz_signed_provider;

/* The stream table could not be read (logged by the db layer): the 500
 * that httpd makes of the AUTHZ_GENERAL_ERROR returned becomes a 503 with
 * the API's JSON error body. */
authz_status mb_authz_db_unavailable(request_rec *r);

/* The parse of `Require <name>` for the module's providers: no argument;
 * the stream table's statements prepared for the server. */
const char *mb_authz_parse_noarg(cmd_parms *cmd, const char *require_line,
                                 const char *name);

#endif /* MB_AUTHZ_H */
