/*
 * signed_link.c -- signed links for video on demand (see
 * include/mb_signed_link.h): made and verified with OpenSSL's
 * HMAC-SHA256 (keyed once per secret: include/mb_hmac_key.h), written in
 * base64url by APR.
 */
#include "mb_signed_link.h"

#include <apr_encode.h>
#include <apr_escape.h>
#include <apr_strings.h>
#include <openssl/crypto.h>
#include <string.h>

#define DOMAIN "mb-signed-1"
#define MAC_LEN MB_HMAC_LEN
#define BODY_LEN (8 + 2 + MB_SIGNED_ID_LEN)
#define RAW_LEN (BODY_LEN + MAC_LEN)
#define B64URL_FLAGS (APR_ENCODE_BASE64URL | APR_ENCODE_NOPADDING)

int mb_signed_path_ok(const char *path)
{
    const char *seg = path, *c;
    apr_size_t n;

    if (path == NULL || path[0] != '/') {
        return 0;
    }
    for (c = path; *c; c++) {
        unsigned char u = (unsigned char)*c;
        if (u < 0x20 || u == 0x7f || u == '%' || u == '\\') {
            return 0;
        }
        if ((apr_size_t)(c - path) >= MB_SIGNED_MAX_PATH) {
            return 0;
        }
    }
    /* every segment after a '/': not empty (except the last, a folder's
     * trailing '/'), not "." nor ".." */
    while ((seg = strchr(seg, '/')) != NULL) {
        seg++;
        n = strcspn(seg, "/");
        if ((n == 0 && seg[0] == '/') || (n == 1 && seg[0] == '.')
            || (n == 2 && seg[0] == '.' && seg[1] == '.')) {
            return 0;
        }
    }
    return 1;
}

static void body_of(const mb_signed_link *l, unsigned char *b)
{
    apr_uint64_t e = (apr_uint64_t)l->expires;
    int i;

    for (i = 7; i >= 0; i--) {
        b[i] = (unsigned char)(e & 0xff);
        e >>= 8;
    }
    b[8] = (unsigned char)(l->prefix_len >> 8);
    b[9] = (unsigned char)(l->prefix_len & 0xff);
    memcpy(b + 10, l->id, MB_SIGNED_ID_LEN);
}

static void link_of(const unsigned char *raw, mb_signed_link *out)
{
    apr_uint64_t e = 0;
    int i;

    for (i = 0; i < 8; i++) {
        e = (e << 8) | raw[i];
    }
    out->expires = (apr_int64_t)e;
    out->prefix_len = ((apr_size_t)raw[8] << 8) | raw[9];
    memcpy(out->id, raw + 10, MB_SIGNED_ID_LEN);
}

/* HMAC-SHA256(key, DOMAIN NUL prefix[0..plen) NUL body): 1, or 0 */
static int mac_of(const mb_hmac_key *key, const char *prefix,
                  apr_size_t plen, const unsigned char *body,
                  unsigned char *mac)
{
    if (plen > MB_SIGNED_MAX_PATH) {
        return 0;
    }
    return mb_hmac_key_sign(key, DOMAIN, prefix, plen, body, BODY_LEN, mac);
}

const char *mb_signed_link_make(apr_pool_t *p, const mb_hmac_key *key,
                                const char *prefix, apr_int64_t expires,
                                const unsigned char *id, mb_signed_link *l)
{
    unsigned char raw[RAW_LEN];
    char *out;
    apr_size_t len = 0;

    if (!mb_signed_path_ok(prefix) || expires < 0) {
        return NULL;
    }
    l->expires = expires;
    l->prefix_len = strlen(prefix);
    memcpy(l->id, id, MB_SIGNED_ID_LEN);
    body_of(l, raw);
    if (!mac_of(key, prefix, l->prefix_len, raw, raw + BODY_LEN)) {
        return NULL;
    }
    out = apr_palloc(p, MB_SIGNED_TOKEN_LEN + 1);
    if (apr_encode_base64_binary(out, raw, RAW_LEN, B64URL_FLAGS, &len)
            != APR_SUCCESS || len != MB_SIGNED_TOKEN_LEN) {
        return NULL;
    }
    out[len] = '\0';
    return out;
}

static int b64url_char(char c)
{
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z')
           || (c >= '0' && c <= '9') || c == '-' || c == '_';
}

/* text into raw[RAW_LEN]: only the one canonical spelling of the bytes */
static int decode(const char *text, apr_size_t len, unsigned char *raw)
{
    char again[MB_SIGNED_TOKEN_LEN + 1];
    apr_size_t n = 0, i;

    if (len != MB_SIGNED_TOKEN_LEN) {
        return 0;
    }
    for (i = 0; i < len; i++) {
        if (!b64url_char(text[i])) {
            return 0;
        }
    }
    if (apr_decode_base64_binary(raw, text, len, APR_ENCODE_BASE64URL, &n)
            != APR_SUCCESS || n != RAW_LEN) {
        return 0;
    }
    /* the last character carries unused bits: they must be zero */
    if (apr_encode_base64_binary(again, raw, RAW_LEN, B64URL_FLAGS, &n)
            != APR_SUCCESS || n != len || memcmp(again, text, len) != 0) {
        return 0;
    }
    return 1;
}

int mb_signed_link_parse(const char *text, apr_size_t len,
                         mb_signed_link *out)
{
    unsigned char raw[RAW_LEN];

    if (!decode(text, len, raw)) {
        return 0;
    }
    link_of(raw, out);
    return 1;
}

int mb_signed_link_verify(const char *text, apr_size_t len, const char *path,
                          const mb_hmac_key *const *keys, int nkeys,
                          apr_int64_t now, mb_signed_link *out)
{
    unsigned char raw[RAW_LEN], mac[MAC_LEN];
    mb_signed_link l;
    apr_size_t plen;
    int i, good = 0;

    if (!decode(text, len, raw) || !mb_signed_path_ok(path)) {
        return 0;
    }
    link_of(raw, &l);
    plen = strlen(path);
    /* the prefix: the whole path (a file), or a part of it ending in '/'
     * (a folder) */
    if (l.prefix_len == 0 || l.prefix_len > plen
        || (l.prefix_len < plen && path[l.prefix_len - 1] != '/')) {
        return 0;
    }
    /* every secret is tried, whichever matches: the time taken does not
     * tell which one did */
    for (i = 0; i < nkeys && i < MB_SIGNED_MAX_SECRETS; i++) {
        if (keys[i] != NULL && mac_of(keys[i], path, l.prefix_len, raw, mac)) {
            good |= CRYPTO_memcmp(mac, raw + BODY_LEN, MAC_LEN) == 0;
        }
    }
    OPENSSL_cleanse(mac, sizeof(mac));
    if (!good || l.expires < 0 || now >= l.expires) {
        return 0;
    }
    *out = l;
    return 1;
}

int mb_signed_path_split(apr_pool_t *p, const char *uri, const char **token,
                         const char **rest)
{
    const char *s = uri, *t;
    apr_size_t i;

    while ((s = strstr(s, "/s/")) != NULL) {
        t = s + 3;
        for (i = 0; i < MB_SIGNED_TOKEN_LEN && b64url_char(t[i]); i++) {
        }
        if (i == MB_SIGNED_TOKEN_LEN && t[i] == '/') {
            *token = apr_pstrmemdup(p, t, MB_SIGNED_TOKEN_LEN);
            *rest = apr_pstrcat(p, apr_pstrmemdup(p, uri, (apr_size_t)(s - uri)),
                                t + i, NULL);
            return 1;
        }
        s += 2;     /* the next "/s/" may start at this one's last '/' */
    }
    return 0;
}

const char *mb_signed_link_id_hex(apr_pool_t *p, const mb_signed_link *l)
{
    return apr_pescape_hex(p, l->id, MB_SIGNED_ID_LEN, 0);
}
