/* Unit tests of pre-signed S3 URLs (src/core/s3presign.c), against AWS's
 * published example of query-string authentication. */
#include "mb_s3presign.h"
#include "tap.h"

#include <apr_general.h>
#include <apr_strings.h>
#include <string.h>

static void is_str(const char *got, const char *want, const char *what)
{
    ok(got && want ? !strcmp(got, want) : got == want, "%s: '%s' (got '%s')",
       what, want ? want : "(null)", got ? got : "(null)");
}

#define AK "AKIAIOSFODNN7EXAMPLE"
#define SK "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"

int main(void)
{
    apr_pool_t *p;
    apr_time_t t;
    const char *u;

    apr_initialize();
    apr_pool_create(&p, NULL);

    /* AWS S3 API reference, "Authenticating Requests: Using Query
     * Parameters (AWS Signature Version 4)", its example: GET of
     * examplebucket/test.txt at 20130524T000000Z for 86400 s */
    t = apr_time_from_sec(1369353600); /* 2013-05-24T00:00:00Z */
    u = mb_s3_presign(p, "GET", "https://examplebucket.s3.amazonaws.com/test.txt",
                      "us-east-1", AK, SK, t, 86400);
    is_str(u,
           "https://examplebucket.s3.amazonaws.com/test.txt"
           "?X-Amz-Algorithm=AWS4-HMAC-SHA256"
           "&X-Amz-Credential=AKIAIOSFODNN7EXAMPLE%2F20130524%2Fus-east-1%2Fs3%2Faws4_request"
           "&X-Amz-Date=20130524T000000Z&X-Amz-Expires=86400"
           "&X-Amz-SignedHeaders=host"
           "&X-Amz-Signature=aeeed9bbccd4d02ee5c0109b86d86835f995330da4c265957d157751f604d404",
           "AWS's example: the published signature");
    ok(u && !strstr(u, SK) && !strstr(u, "wJalrXUtnFEMI"),
       "the secret key is not in the URL");

    /* the same request signed one second later differs */
    ok(u && strcmp(u, mb_s3_presign(p, "GET",
                                    "https://examplebucket.s3.amazonaws.com/test.txt",
                                    "us-east-1", AK, SK, t + apr_time_from_sec(1),
                                    86400)),
       "another time, another signature");
    /* the host signed: the port only when it is not the default */
    ok(strcmp(mb_s3_presign(p, "GET", "http://127.0.0.1:7400/b/k", "us-east-1",
                            AK, SK, t, 60),
              mb_s3_presign(p, "GET", "http://127.0.0.1/b/k", "us-east-1", AK,
                            SK, t, 60)) != 0,
       "an explicit port is signed");
    is_str(mb_s3_presign(p, "GET", "http://127.0.0.1:80/b/k", "us-east-1", AK,
                         SK, t, 60),
           apr_pstrcat(p, "http://127.0.0.1:80/b/k",
                       strchr(mb_s3_presign(p, "GET", "http://127.0.0.1/b/k",
                                            "us-east-1", AK, SK, t, 60), '?'),
                       NULL),
           "the default port is not signed (clients leave it out of Host)");
    u = mb_s3_presign(p, "GET", "http://h/b/alice/id/seg1.ts", "eu-west-1", AK,
                      SK, t, 300);
    ok(u && strstr(u, "%2Feu-west-1%2Fs3%2F") && strstr(u, "X-Amz-Expires=300&"),
       "region and lifetime in the URL: %s", u ? u : "(null)");

    /* what is refused */
    is_str(mb_s3_presign(p, "GET", "http://h/b/k?x=1", "r", AK, SK, t, 60), NULL,
           "a URL with a query");
    is_str(mb_s3_presign(p, "GET", "ftp://h/b/k", "r", AK, SK, t, 60), NULL,
           "not http(s)");
    is_str(mb_s3_presign(p, "GET", "/b/k", "r", AK, SK, t, 60), NULL,
           "not absolute");
    is_str(mb_s3_presign(p, "GET", "http://h/b/k", "r", AK, SK, t, 0), NULL,
           "lifetime 0");
    is_str(mb_s3_presign(p, "GET", "http://h/b/k", "r", AK, SK, t,
                         MB_S3_PRESIGN_MAX + 1), NULL, "lifetime over 7 days");
    ok(mb_s3_presign(p, "GET", "http://h/b/k", "r", AK, SK, t,
                     MB_S3_PRESIGN_MAX) != NULL, "lifetime of 7 days");
    is_str(mb_s3_presign(p, "GET", "http://h/b/k", "r", NULL, SK, t, 60), NULL,
           "no access key");

    /* escaping by AWS's rules */
    is_str(mb_s3_uri_escape(p, "AZaz09-_.~", 0), "AZaz09-_.~", "unreserved kept");
    is_str(mb_s3_uri_escape(p, "a/b c+d=e%*", 0), "a%2Fb%20c%2Bd%3De%25%2A",
           "the rest %XX, upper case");
    is_str(mb_s3_uri_escape(p, "a/b c", 1), "a/b%20c", "'/' kept in a path");
    is_str(mb_s3_uri_escape(p, "\xc3\xa9", 0), "%C3%A9", "UTF-8 bytes one by one");

    apr_pool_destroy(p);
    apr_terminate();
    return done_testing();
}
