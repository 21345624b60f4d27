/*
 * hmac_key.c -- secrets keyed once for HMAC-SHA256 (see
 * include/mb_hmac_key.h): an EVP_MAC context made at configuration time,
 * duplicated for each message.
 */
#include "mb_hmac_key.h"

#include <openssl/evp.h>
#include <openssl/params.h>
#include <string.h>

struct mb_hmac_key {
    EVP_MAC_CTX *ctx;           /* keyed, never updated: copied per use */
};

static apr_status_t key_free(void *data)
{
    EVP_MAC_CTX_free(((mb_hmac_key *)data)->ctx);
    return APR_SUCCESS;
}

const mb_hmac_key *mb_hmac_key_make(apr_pool_t *p, const char *secret)
{
    mb_hmac_key *k;
    EVP_MAC *mac;
    OSSL_PARAM params[2];

    if (secret == NULL || *secret == '\0'
        || (mac = EVP_MAC_fetch(NULL, "HMAC", NULL)) == NULL) {
        return NULL;
    }
    k = apr_pcalloc(p, sizeof(*k));
    k->ctx = EVP_MAC_CTX_new(mac);
    EVP_MAC_free(mac);          /* the context keeps its own reference */
    if (k->ctx == NULL) {
        return NULL;
    }
    apr_pool_cleanup_register(p, k, key_free, apr_pool_cleanup_null);
    params[0] = OSSL_PARAM_construct_utf8_string("digest", "SHA256", 0);
    params[1] = OSSL_PARAM_construct_end();
    if (!EVP_MAC_init(k->ctx, (const unsigned char *)secret, strlen(secret),
                      params)) {
        return NULL;
    }
    return k;
}

int mb_hmac_key_sign(const mb_hmac_key *key, const char *domain,
                     const char *name, apr_size_t name_len,
                     const unsigned char *body, apr_size_t body_len,
                     unsigned char *mac)
{
    static const unsigned char nul = '\0';
    EVP_MAC_CTX *c;
    size_t n = 0;
    int good;

    if (key == NULL || (c = EVP_MAC_CTX_dup(key->ctx)) == NULL) {
        return 0;
    }
    good = EVP_MAC_update(c, (const unsigned char *)domain, strlen(domain))
           && EVP_MAC_update(c, &nul, 1)
           && EVP_MAC_update(c, (const unsigned char *)name, name_len)
           && EVP_MAC_update(c, &nul, 1)
           && EVP_MAC_update(c, body, body_len)
           && EVP_MAC_final(c, mac, &n, MB_HMAC_LEN) && n == MB_HMAC_LEN;
    EVP_MAC_CTX_free(c);
    return good;
}
