/* Unit tests of the stream prefix and the session policy (src/core/s3.c). */
#include "mb_s3.h"
#include "tap.h"

#include <apr_general.h>
#include <apr_strings.h>
#include <jansson.h>
#include <string.h>

static void check(const char *t, int want_ok)
{
    const char *why = mb_s3_path_check(t);
    ok((why == NULL) == want_ok, "template '%s' %s (%s)", t,
       want_ok ? "accepted" : "refused", why ? why : "ok");
}

static void expand(apr_pool_t *p, const char *t, const char *user,
                   const char *want)
{
    const char *got = mb_s3_path_expand(p, t, user, "0f6a5c1e-3b7d-4c2a-9e8f-1a2b3c4d5e6f");
    ok(got && !strcmp(got, want), "'%s' for '%s' -> '%s' (got '%s')", t, user,
       want, got ? got : "(null)");
}

int main(void)
{
    apr_pool_t *p;
    const char *pol;
    json_t *j;
    json_error_t e;
    char longuser[700];

    apr_initialize();
    apr_pool_create(&p, NULL);

    check(MB_S3_DEFAULT_PATH, 1);
    check("live/%{id}/", 1);
    check("%{id}", 1);
    check("a/%{user}-x/%{id}/seg", 1);
    check("%{user}/", 0);
    check("/%{id}/", 0);
    check("a//%{id}/", 0);
    check("a/../%{id}/", 0);
    check("./%{id}/", 0);
    check("a/%{id}/..", 0);
    check("*/%{id}/", 0);
    check("a?/%{id}/", 0);
    check("%{date}/%{id}/", 0);
    check("100%/%{id}/", 0);
    check("", 0);

    expand(p, MB_S3_DEFAULT_PATH, "alice", "alice/0f6a5c1e-3b7d-4c2a-9e8f-1a2b3c4d5e6f/");
    expand(p, "live/%{id}", "alice", "live/0f6a5c1e-3b7d-4c2a-9e8f-1a2b3c4d5e6f/");
    expand(p, MB_S3_DEFAULT_PATH, "a/b", "a%2Fb/0f6a5c1e-3b7d-4c2a-9e8f-1a2b3c4d5e6f/");
    expand(p, MB_S3_DEFAULT_PATH, "*", "%2A/0f6a5c1e-3b7d-4c2a-9e8f-1a2b3c4d5e6f/");
    expand(p, MB_S3_DEFAULT_PATH, "..", "%2E./0f6a5c1e-3b7d-4c2a-9e8f-1a2b3c4d5e6f/");
    expand(p, MB_S3_DEFAULT_PATH, "jo@example.org", "jo@example.org/0f6a5c1e-3b7d-4c2a-9e8f-1a2b3c4d5e6f/");
    expand(p, MB_S3_DEFAULT_PATH, "caf\xc3\xa9 x", "caf%C3%A9%20x/0f6a5c1e-3b7d-4c2a-9e8f-1a2b3c4d5e6f/");
    memset(longuser, 'u', 600); longuser[600] = '\0';
    ok(mb_s3_path_expand(p, MB_S3_DEFAULT_PATH, longuser, "x") == NULL,
       "a prefix above %d bytes is refused", MB_S3_MAX_PREFIX);

    ok(mb_s3_bucket_valid("mb-live"), "bucket mb-live");
    ok(mb_s3_bucket_valid("my.bucket_1"), "bucket my.bucket_1");
    ok(!mb_s3_bucket_valid(""), "empty bucket refused");
    ok(!mb_s3_bucket_valid("a*"), "bucket with * refused");
    ok(!mb_s3_bucket_valid("a/b"), "bucket with / refused");

    pol = mb_s3_policy(p, "mb-live", "alice/id1/");
    ok(pol != NULL, "policy built");
    ok(pol && !strcmp(pol,
        "{\"Version\":\"2012-10-17\",\"Statement\":["
        "{\"Effect\":\"Allow\",\"Action\":[\"s3:PutObject\",\"s3:DeleteObject\","
        "\"s3:AbortMultipartUpload\"],\"Resource\":[\"arn:aws:s3:::mb-live/alice/id1/*\"]},"
        "{\"Effect\":\"Allow\",\"Action\":[\"s3:ListBucket\"],\"Resource\":"
        "[\"arn:aws:s3:::mb-live\"],\"Condition\":{\"StringLike\":"
        "{\"s3:prefix\":[\"alice/id1/*\"]}}}]}"), "policy is exactly the least privilege one: %s", pol);
    ok(pol && strchr(pol, ' ') == NULL, "policy is compact (no space)");
    ok(pol && strstr(pol, "s3:*") == NULL && strstr(pol, "arn:aws:s3:::mb-live/*") == NULL,
       "no bucket-wide rights");
    j = pol ? json_loads(pol, 0, &e) : NULL;
    ok(j != NULL, "policy parses as JSON");
    ok(j && json_object_get(json_array_get(json_object_get(j, "Statement"), 1),
                            "Condition") != NULL, "ListBucket has a Condition");
    json_decref(j);
    pol = mb_s3_policy(p, "b", "we\"ird\\/");
    j = pol ? json_loads(pol, 0, &e) : NULL;
    ok(j != NULL, "quotes and backslashes in a prefix are escaped");
    json_decref(j);

    apr_pool_destroy(p);
    apr_terminate();
    return done_testing();
}
