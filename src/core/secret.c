/*
 * secret.c -- configured secrets from the environment, a file or inline.
 */
#include "mb_secret.h"

#include <apr_env.h>
#include <apr_file_io.h>
#include <apr_strings.h>
#include <openssl/crypto.h>
#include <string.h>

#define MAX_SECRET 4096

static const char *trim_line(apr_pool_t *p, const char *s, size_t n)
{
    const char *nl = memchr(s, '\n', n);

    if (nl) {
        n = (size_t)(nl - s);
    }
    while (n && (s[n - 1] == '\r' || s[n - 1] == ' ' || s[n - 1] == '\t')) {
        n--;
    }
    while (n && (*s == ' ' || *s == '\t')) {
        s++;
        n--;
    }
    return apr_pstrmemdup(p, s, n);
}

const char *mb_secret_resolve(apr_pool_t *p, const char *spec,
                              const char **value, mb_secret_source_e *source)
{
    const char *v = NULL;

    if (!strncmp(spec, "env:", 4)) {
        char *e = NULL;
        *source = MB_SECRET_ENV;
        if (spec[4] == '\0') {
            return "env: needs a variable name";
        }
        if (apr_env_get(&e, spec + 4, p) != APR_SUCCESS || e == NULL) {
            return apr_pstrcat(p, "environment variable ", spec + 4,
                               " is not set", NULL);
        }
        v = trim_line(p, e, strlen(e));
    }
    else if (!strncmp(spec, "file:", 5)) {
        apr_file_t *f;
        char buf[MAX_SECRET + 1];
        apr_size_t n = MAX_SECRET;
        apr_status_t rv;

        *source = MB_SECRET_FILE;
        rv = apr_file_open(&f, spec + 5, APR_FOPEN_READ, APR_OS_DEFAULT, p);
        if (rv != APR_SUCCESS) {
            char err[120];
            return apr_pstrcat(p, "cannot open ", spec + 5, ": ",
                               apr_strerror(rv, err, sizeof(err)), NULL);
        }
        rv = apr_file_read_full(f, buf, n, &n);
        apr_file_close(f);
        if (rv != APR_SUCCESS && rv != APR_EOF) {
            return apr_pstrcat(p, "cannot read ", spec + 5, NULL);
        }
        v = trim_line(p, buf, n);
        OPENSSL_cleanse(buf, sizeof(buf)); /* not optimised away */
    }
    else {
        *source = MB_SECRET_LITERAL;
        v = apr_pstrdup(p, spec);
    }
    if (v == NULL || *v == '\0') {
        return "the secret is empty";
    }
    *value = v;
    return NULL;
}

const char *mb_secret_load_key(apr_pool_t *p, const char *spec,
                               const char **value)
{
    mb_secret_source_e src;
    const char *why, *v = NULL;

    if (strncmp(spec, "env:", 4) != 0 && strncmp(spec, "file:", 5) != 0) {
        return "give env:NAME or file:PATH, not the secret itself";
    }
    if ((why = mb_secret_resolve(p, spec, &v, &src)) != NULL) {
        return why;
    }
    if (strlen(v) < MB_SECRET_MIN_KEY) {
        return apr_psprintf(p, "the secret from %s is shorter than %d bytes",
                            spec, MB_SECRET_MIN_KEY);
    }
    *value = v;
    return NULL;
}
