/*
 * viewer_token.c -- viewer tokens (see include/mb_viewer_token.h): made
 * and verified with OpenSSL's HMAC-SHA256 (keyed once per secret:
 * include/mb_hmac_key.h), written in base64url by APR.
 */
#include "mb_viewer_token.h"

#include <apr_encode.h>
#include <apr_escape.h>
#include <apr_strings.h>
#include <openssl/crypto.h>
#include <string.h>

#define DOMAIN "mb-viewer-2"
#define MAC_LEN MB_HMAC_LEN
#define BODY_LEN (8 + 8 + MB_VIEWER_ID_LEN)
#define RAW_LEN (BODY_LEN + MAC_LEN)

static void put_be64(unsigned char *b, apr_int64_t v)
{
    apr_uint64_t e = (apr_uint64_t)v;
    int i;

    for (i = 7; i >= 0; i--) {
        b[i] = (unsigned char)(e & 0xff);
        e >>= 8;
    }
}

static apr_int64_t get_be64(const unsigned char *b)
{
    apr_uint64_t e = 0;
    int i;

    for (i = 0; i < 8; i++) {
        e = (e << 8) | b[i];
    }
    return (apr_int64_t)e;
}

static void body_of(const mb_viewer_token *t, unsigned char *b)
{
    put_be64(b, t->expires);
    put_be64(b + 8, t->issued);
    memcpy(b + 16, t->id, MB_VIEWER_ID_LEN);
}

/* HMAC-SHA256(key, DOMAIN NUL stream_id NUL body): 1, or 0 */
static int mac_of(const mb_hmac_key *key, const char *stream_id,
                  const unsigned char *body, unsigned char *mac)
{
    size_t idlen = strlen(stream_id);

    if (idlen > 64) {
        return 0;
    }
    return mb_hmac_key_sign(key, DOMAIN, stream_id, idlen, body, BODY_LEN,
                            mac);
}

const char *mb_viewer_token_make(apr_pool_t *p, const mb_hmac_key *key,
                                 const char *stream_id,
                                 const mb_viewer_token *t)
{
    unsigned char raw[RAW_LEN];
    char *out = apr_palloc(p, MB_VIEWER_TOKEN_LEN + 1);
    apr_size_t len = 0;

    body_of(t, raw);
    if (!mac_of(key, stream_id, raw, raw + BODY_LEN)) {
        return NULL;
    }
    if (apr_encode_base64_binary(out, raw, RAW_LEN,
                                 APR_ENCODE_BASE64URL | APR_ENCODE_NOPADDING,
                                 &len) != APR_SUCCESS
        || len != MB_VIEWER_TOKEN_LEN) {
        return NULL;
    }
    out[len] = '\0';
    return out;
}

/* text into raw[RAW_LEN]: only the one canonical spelling of the bytes */
static int decode(const char *text, apr_size_t len, unsigned char *raw)
{
    char again[MB_VIEWER_TOKEN_LEN + 1];
    apr_size_t n = 0, i;

    if (len != MB_VIEWER_TOKEN_LEN) {
        return 0;
    }
    for (i = 0; i < len; i++) {
        char c = text[i];
        if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z')
              || (c >= '0' && c <= '9') || c == '-' || c == '_')) {
            return 0;
        }
    }
    if (apr_decode_base64_binary(raw, text, len, APR_ENCODE_BASE64URL, &n)
            != APR_SUCCESS || n != RAW_LEN) {
        return 0;
    }
    /* the last character carries 4 unused bits: they must be zero */
    if (apr_encode_base64_binary(again, raw, RAW_LEN,
                                 APR_ENCODE_BASE64URL | APR_ENCODE_NOPADDING,
                                 &n) != APR_SUCCESS
        || n != len || memcmp(again, text, len) != 0) {
        return 0;
    }
    return 1;
}

static void token_of(const unsigned char *raw, mb_viewer_token *out)
{
    out->expires = get_be64(raw);
    out->issued = get_be64(raw + 8);
    memcpy(out->id, raw + 16, MB_VIEWER_ID_LEN);
}

int mb_viewer_token_parse(const char *text, apr_size_t len,
                          mb_viewer_token *out)
{
    unsigned char raw[RAW_LEN];

    if (!decode(text, len, raw)) {
        return 0;
    }
    token_of(raw, out);
    return 1;
}

int mb_viewer_token_verify(const char *text, apr_size_t len,
                           const char *stream_id,
                           const mb_hmac_key *const *keys, int nkeys,
                           apr_int64_t now, mb_viewer_token *out)
{
    unsigned char raw[RAW_LEN], mac[MAC_LEN];
    mb_viewer_token t;
    int i, good = 0;

    if (!decode(text, len, raw)) {
        return 0;
    }
    /* every secret is tried, whichever matches: the time taken does not
     * tell which one did */
    for (i = 0; i < nkeys && i < MB_VIEWER_MAX_SECRETS; i++) {
        if (keys[i] != NULL && mac_of(keys[i], stream_id, raw, mac)) {
            good |= CRYPTO_memcmp(mac, raw + BODY_LEN, MAC_LEN) == 0;
        }
    }
    OPENSSL_cleanse(mac, sizeof(mac));
    token_of(raw, &t);
    if (!good || t.expires < 0 || now >= t.expires) {
        return 0;
    }
    *out = t;
    return 1;
}

int mb_viewer_path_token(const char *path, const char **token,
                         apr_size_t *len)
{
    const char *seg[4];   /* the starts of the last four segments */
    const char *end = path + strlen(path), *q;
    int n = 0;

    /* from the end: <name>, <id>, <token>, "t" */
    for (q = end; q > path && n < 4; q--) {
        if (q[-1] == '/') {
            seg[n++] = q;
        }
    }
    if (n < 4 || seg[2] - seg[3] != 2 || seg[3][0] != 't' || seg[1] - seg[2] < 2) {
        return 0;
    }
    *token = seg[2];
    *len = (apr_size_t)(seg[1] - seg[2] - 1);
    return 1;
}

const char *mb_viewer_token_id_hex(apr_pool_t *p, const mb_viewer_token *t)
{
    return apr_pescape_hex(p, t->id, MB_VIEWER_ID_LEN, 0);
}
