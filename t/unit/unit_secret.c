/* Unit tests of configured secrets (src/core/secret.c). */
#include "mb_secret.h"
#include "tap.h"

#include <apr_general.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <apr_strings.h>

int main(void)
{
    apr_pool_t *p;
    const char *v = NULL, *why;
    mb_secret_source_e src;
    char path[] = "/tmp/mb-secret-XXXXXX";
    int fd;

    apr_initialize();
    apr_pool_create(&p, NULL);

    setenv("MB_UNIT_SECRET", "s3cr3t-from-env", 1);
    why = mb_secret_resolve(p, "env:MB_UNIT_SECRET", &v, &src);
    ok(!why && src == MB_SECRET_ENV && !strcmp(v, "s3cr3t-from-env"), "env:NAME");
    why = mb_secret_resolve(p, "env:MB_UNIT_SECRET", &v, &src);
    ok(!why && !strcmp(v, "s3cr3t-from-env"),
       "env:NAME again: the environment is left as it was (httpd reads "
       "its configuration twice; apr_env_get gives getenv's own string)");
    unsetenv("MB_UNIT_SECRET_MISSING");
    why = mb_secret_resolve(p, "env:MB_UNIT_SECRET_MISSING", &v, &src);
    ok(why != NULL, "unset env refused: %s", why ? why : "");
    why = mb_secret_resolve(p, "env:", &v, &src);
    ok(why != NULL, "env: without a name refused");

    fd = mkstemp(path);
    ok(fd >= 0 && write(fd, "file-secret-value\n", 18) == 18, "temp file written");
    close(fd);
    why = mb_secret_resolve(p, apr_pstrcat(p, "file:", path, NULL), &v, &src);
    ok(!why && src == MB_SECRET_FILE && !strcmp(v, "file-secret-value"),
       "file:PATH, first line without its newline");
    unlink(path);
    why = mb_secret_resolve(p, apr_pstrcat(p, "file:", path, NULL), &v, &src);
    ok(why != NULL && strstr(why, "cannot open"), "missing file refused");

    why = mb_secret_resolve(p, "literal-key-123", &v, &src);
    ok(!why && src == MB_SECRET_LITERAL && !strcmp(v, "literal-key-123"), "literal");
    setenv("MB_UNIT_SECRET", "hidden-value-42", 1);
    why = mb_secret_resolve(p, "env:MB_UNIT_SECRET_MISSING", &v, &src);
    ok(why && !strstr(why, "hidden-value-42"), "an error never holds a secret");
    setenv("MB_UNIT_EMPTY", "", 1);
    why = mb_secret_resolve(p, "env:MB_UNIT_EMPTY", &v, &src);
    ok(why != NULL, "empty secret refused");

    /* signing keys: never a literal, at least 16 bytes */
    v = NULL;
    why = mb_secret_load_key(p, "literal-key-1234567890", &v);
    ok(why && v == NULL && !strstr(why, "literal-key"),
       "a key given literally is refused, and not repeated");
    setenv("MB_UNIT_SHORT", "fifteen-bytes-x", 1);
    why = mb_secret_load_key(p, "env:MB_UNIT_SHORT", &v);
    ok(why && strstr(why, "shorter than 16") && !strstr(why, "fifteen"),
       "a key of 15 bytes is refused");
    setenv("MB_UNIT_KEY", "sixteen-bytes-xx", 1);
    why = mb_secret_load_key(p, "env:MB_UNIT_KEY", &v);
    ok(!why && v && !strcmp(v, "sixteen-bytes-xx"), "a key of 16 bytes");

    apr_pool_destroy(p);
    apr_terminate();
    return done_testing();
}
