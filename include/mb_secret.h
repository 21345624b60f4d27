/*
 * mb_secret.h -- where a configured secret comes from: "env:NAME" (an
 * environment variable of the server), "file:PATH" (the first line of a
 * file, read at startup so it may be readable by root only), or the
 * literal value itself.  httpd-independent.
 */
#ifndef MB_SECRET_H
#define MB_SECRET_H

#include <apr_pools.h>

typedef enum {
    MB_SECRET_LITERAL = 0,
    MB_SECRET_ENV,
    MB_SECRET_FILE
} mb_secret_source_e;

/* Resolve spec.  Returns NULL and sets *value (and *source), or an error
 * message that never contains the secret itself. */
const char *mb_secret_resolve(apr_pool_t *p, const char *spec,
                              const char **value, mb_secret_source_e *source);

/* A signing key (BroadcastVideoSecret, tools/mb-link): only "env:NAME"
 * or "file:PATH" (a literal would sit in the configuration and its dumps,
 * or in the process list), at least MB_SECRET_MIN_KEY bytes.  NULL and
 * *value set, or an error message without the secret. */
#define MB_SECRET_MIN_KEY 16
const char *mb_secret_load_key(apr_pool_t *p, const char *spec,
                               const char **value);

#endif /* MB_SECRET_H */
