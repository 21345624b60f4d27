/*
 * s3presign.c -- pre-signed S3 URLs, SigV4 in the query string (see
 * include/mb_s3presign.h): the canonical request, the string to sign and
 * the signing key as AWS's "Authenticating Requests: Using Query
 * Parameters" describes them; HMAC-SHA256 and SHA-256 from OpenSSL.
 */
#include "mb_s3presign.h"

#include <apr_escape.h>
#include <apr_lib.h>
#include <apr_strings.h>
#include <apr_uri.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <string.h>

#define ALGORITHM "AWS4-HMAC-SHA256"

const char *mb_s3_uri_escape(apr_pool_t *p, const char *s, int keep_slash)
{
    static const char hex[] = "0123456789ABCDEF";
    char *out = apr_palloc(p, strlen(s) * 3 + 1), *o = out;

    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        if (apr_isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~'
            || (keep_slash && c == '/')) {
            *o++ = (char)c;
        }
        else {
            *o++ = '%';
            *o++ = hex[c >> 4];
            *o++ = hex[c & 15];
        }
    }
    *o = '\0';
    return out;
}

/* out (32 bytes) = HMAC-SHA256(key, msg), out may be key; 0, or -1 */
static int hmac(const unsigned char *key, size_t klen, const char *msg,
                unsigned char *out)
{
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned int n = 0;
    int ok = HMAC(EVP_sha256(), key, (int)klen, (const unsigned char *)msg,
                  strlen(msg), md, &n) != NULL && n == 32;

    if (ok) {
        memcpy(out, md, 32);
    }
    OPENSSL_cleanse(md, sizeof(md));
    return ok ? 0 : -1;
}

/* lower-case hex of SHA-256(s), or NULL */
static const char *sha256_hex(apr_pool_t *p, const char *s)
{
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned int n = 0;

    if (!EVP_Digest(s, strlen(s), md, &n, EVP_sha256(), NULL)) {
        return NULL;
    }
    return apr_pescape_hex(p, md, n, 0);
}

/* The Host header a client sends for u: the port only when it is not the
 * scheme's default; an IPv6 address in brackets. */
static const char *host_of(apr_pool_t *p, const apr_uri_t *u)
{
    const char *h = strchr(u->hostname, ':')
                        ? apr_pstrcat(p, "[", u->hostname, "]", NULL)
                        : u->hostname;

    if (u->port_str && *u->port_str
        && u->port != apr_uri_port_of_scheme(u->scheme)) {
        return apr_pstrcat(p, h, ":", u->port_str, NULL);
    }
    return h;
}

const char *mb_s3_presign(apr_pool_t *p, const char *method, const char *url,
                          const char *region, const char *access_key,
                          const char *secret_key, apr_time_t now,
                          int expires)
{
    apr_uri_t u;
    apr_time_exp_t tm;
    apr_size_t len;
    char stamp[32], date[9];
    const char *scope, *query, *canonical, *hash, *to_sign;
    unsigned char k[32];

    if (url == NULL || method == NULL || region == NULL || access_key == NULL
        || secret_key == NULL || expires < 1 || expires > MB_S3_PRESIGN_MAX
        || apr_uri_parse(p, url, &u) != APR_SUCCESS || u.scheme == NULL
        || (strcasecmp(u.scheme, "http") && strcasecmp(u.scheme, "https"))
        || u.hostname == NULL || *u.hostname == '\0' || u.query != NULL
        || u.fragment != NULL || u.user != NULL
        || apr_time_exp_gmt(&tm, now) != APR_SUCCESS
        || apr_strftime(stamp, &len, sizeof(stamp), "%Y%m%dT%H%M%SZ", &tm)
               != APR_SUCCESS || len != 16) {
        return NULL;
    }
    memcpy(date, stamp, 8);
    date[8] = '\0';
    scope = apr_pstrcat(p, date, "/", region, "/s3/aws4_request", NULL);
    /* the parameters in byte order of their names, as the canonical
     * query string wants them */
    query = apr_psprintf(p, "X-Amz-Algorithm=" ALGORITHM
                         "&X-Amz-Credential=%s&X-Amz-Date=%s"
                         "&X-Amz-Expires=%d&X-Amz-SignedHeaders=host",
                         mb_s3_uri_escape(p, apr_pstrcat(p, access_key, "/",
                                                         scope, NULL), 0),
                         stamp, expires);
    canonical = apr_pstrcat(p, method, "\n",
                            u.path && *u.path ? u.path : "/", "\n",
                            query, "\n",
                            "host:", host_of(p, &u), "\n",
                            "\n",
                            "host\n",
                            "UNSIGNED-PAYLOAD", NULL);
    if ((hash = sha256_hex(p, canonical)) == NULL) {
        return NULL;
    }
    to_sign = apr_pstrcat(p, ALGORITHM "\n", stamp, "\n", scope, "\n", hash,
                          NULL);
    {
        const char *k0 = apr_pstrcat(p, "AWS4", secret_key, NULL);
        int bad = hmac((const unsigned char *)k0, strlen(k0), date, k)
                  || hmac(k, 32, region, k) || hmac(k, 32, "s3", k)
                  || hmac(k, 32, "aws4_request", k) || hmac(k, 32, to_sign, k);
        OPENSSL_cleanse((void *)k0, strlen(k0));
        if (bad) {
            OPENSSL_cleanse(k, sizeof(k));
            return NULL;
        }
    }
    url = apr_pstrcat(p, url, "?", query, "&X-Amz-Signature=",
                      apr_pescape_hex(p, k, 32, 0), NULL);
    OPENSSL_cleanse(k, sizeof(k));
    return url;
}
