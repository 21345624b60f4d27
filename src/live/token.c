/*
 * token.c -- the upload tokens of self-hosted live streams: a token is 32
 * random bytes in hex, given to the broadcaster once; the stream's row
 * holds only its SHA-256 (src/db/streams.c) and its end of life.  An
 * upload (PUT, DELETE) is authorized by its Authorization: Bearer token.
 */
#include "live/live_int.h"
#include "db/streams.h"

#include <apr_escape.h>
#include <apr_strings.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/rand.h>

APLOG_USE_MODULE(broadcast);

const char *mb_live_token_hash(apr_pool_t *p, const char *token)
{
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned int n = 0;

    if (!EVP_Digest(token, strlen(token), md, &n, EVP_sha256(), NULL)) {
        return NULL;
    }
    return apr_pescape_hex(p, md, n, 0); /* lowercase, no colons */
}

const char *mb_live_new_token(apr_pool_t *p)
{
    unsigned char b[32];
    const char *hex;

    if (RAND_bytes(b, sizeof(b)) != 1) {
        return NULL;
    }
    hex = apr_pescape_hex(p, b, sizeof(b), 0); /* lowercase, no colons */
    OPENSSL_cleanse(b, sizeof(b)); /* the token's only copy is its hex */
    return hex;
}

/* 401 with the Bearer challenge (RFC 6750); `error` names a bad token. */
static int unauthorized(request_rec *r, int bad_token, const char *code,
                        const char *message)
{
    apr_table_setn(r->err_headers_out, "WWW-Authenticate",
                   bad_token ? "Bearer realm=\"broadcast-live\", "
                               "error=\"invalid_token\""
                             : "Bearer realm=\"broadcast-live\"");
    return mb_live_error(r, HTTP_UNAUTHORIZED, code, message);
}

/* Is this token the one of the stream `st`? */
static int token_matches(const mb_stream_upload *st, const char *hash)
{
    return st->token_hash != NULL && strlen(st->token_hash) == strlen(hash)
           && CRYPTO_memcmp(hash, st->token_hash, strlen(hash)) == 0;
}

/* 401/403/409/503 for an upload, or DECLINED (authorized).
 *
 * The token decides, before any byte of the body is read, and the same way
 * for a known and an unknown stream: no token, or a token of no stream, is
 * 401 whether the stream exists or not (no stream-id oracle); a token of
 * another stream is 403.  The database connection is mod_dbd's for just
 * these queries (ap_dbd_open/ap_dbd_close), never tied to the request
 * (ap_dbd_acquire would hold it while the body arrives). */
int mb_live_authorize_upload(request_rec *r, const char *id)
{
    const char *auth = apr_table_get(r->headers_in, "Authorization");
    const char *token = NULL, *hash;
    ap_dbd_t *dbd;
    mb_stream_upload st;
    int found, other = 0, err = OK;

    if (auth != NULL && strncasecmp(auth, "Bearer ", 7) == 0) {
        token = auth + 7;
        while (*token == ' ') {
            token++;
        }
    }
    if (token == NULL || *token == '\0') {
        ap_log_rerror(APLOG_MARK, APLOG_INFO, 0, r,
                      MBLOGNO(1200) "upload to %s without a bearer token", id);
        return unauthorized(r, 0, "unauthorized",
                            "an upload token is required (Authorization: Bearer)");
    }
    if ((hash = mb_live_token_hash(r->pool, token)) == NULL) {
        return HTTP_INTERNAL_SERVER_ERROR;
    }
    dbd = mb_dbd_open(r->pool, r->server);
    if (dbd == NULL) {
        ap_log_rerror(APLOG_MARK, APLOG_ERR, 0, r,
                      MBLOGNO(1201) "database unavailable (mod_dbd gave no "
                      "connection)");
        return mb_live_error(r, HTTP_SERVICE_UNAVAILABLE,
                             "database_unavailable",
                             "the stream database is unavailable");
    }
    found = mb_stream_upload_get(r, dbd, id, &st);
    if (found == HTTP_NOT_FOUND
        || (found == OK && !token_matches(&st, hash))) {
        err = mb_stream_token_elsewhere(r, dbd, hash, id, &other);
    }
    mb_dbd_close(r->server, dbd);

    if ((found != OK && found != HTTP_NOT_FOUND) || err != OK) {
        return mb_live_error(r, HTTP_SERVICE_UNAVAILABLE,
                             "database_unavailable",
                             "the stream database is unavailable");
    }
    if (found != OK || !token_matches(&st, hash)) {
        if (other) {
            ap_log_rerror(APLOG_MARK, APLOG_INFO, 0, r,
                          MBLOGNO(1202) "upload to %s with another stream's "
                          "token", id);
            return mb_live_error(r, HTTP_FORBIDDEN, "forbidden",
                                 "this token is for another stream");
        }
        ap_log_rerror(APLOG_MARK, APLOG_INFO, 0, r,
                      MBLOGNO(1203) "upload to %s with a token of no stream "
                      "(%s)", id, found == OK ? "a known stream"
                                              : "an unknown stream");
        return unauthorized(r, 1, "unauthorized",
                            "the upload token is not valid");
    }
    if (!st.live) {
        ap_log_rerror(APLOG_MARK, APLOG_INFO, 0, r,
                      MBLOGNO(0706) "upload to stopped stream %s", id);
        return mb_live_error(r, HTTP_CONFLICT, "stream_stopped",
                             "the stream is stopped");
    }
    if (st.expires <= apr_time_now()) {
        ap_log_rerror(APLOG_MARK, APLOG_INFO, 0, r,
                      MBLOGNO(0707) "upload to %s with an expired token", id);
        return unauthorized(r, 1, "token_expired",
                            "the upload token has expired: refresh it");
    }
    return DECLINED;    /* authorized */
}
