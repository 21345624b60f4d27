/* Unit tests of reading objects back from S3 (src/core/s3get.c). */
#include "mb_s3get.h"
#include "tap.h"

#include <apr_general.h>
#include <string.h>

static void is_str(const char *got, const char *want, const char *what)
{
    ok(got && want ? !strcmp(got, want) : got == want, "%s: '%s' (got '%s')",
       what, want ? want : "(null)", got ? got : "(null)");
}

int main(void)
{
    apr_pool_t *p;

    apr_initialize();
    apr_pool_create(&p, NULL);

    is_str(mb_s3_object_url(p, "http://127.0.0.1:7400", "live",
                            "alice/0f6a/index.m3u8"),
           "http://127.0.0.1:7400/live/alice/0f6a/index.m3u8",
           "path-style URL");
    is_str(mb_s3_object_url(p, "https://s3.example.com//", "b",
                            "a b/%41+x~/seg.ts"),
           "https://s3.example.com/b/a%20b/%2541%2Bx~/seg.ts",
           "endpoint's trailing '/' dropped, key escaped, '/' kept");
    is_str(mb_s3_object_url(p, "http://h", "b.c-d_e", "k"),
           "http://h/b.c-d_e/k", "bucket kept");
    is_str(mb_s3_object_key(p, "alice/id/", "seg1.ts"), "alice/id/seg1.ts",
           "key below a prefix");
    is_str(mb_s3_object_key(p, "live/id", "index.m3u8"),
           "live/id/index.m3u8", "a prefix without its final '/'");
    is_str(mb_s3_object_key(p, "", "index.m3u8"), NULL, "empty prefix: none");
    is_str(mb_s3_object_key(p, NULL, "index.m3u8"), NULL, "no prefix: none");
    is_str(mb_s3_sigv4_param(p, "us-east-1"), "aws:amz:us-east-1:s3",
           "SigV4 parameter");

    ok(mb_s3_forward_request_header("range"), "Range passed (any case)");
    ok(mb_s3_forward_request_header("If-None-Match"), "If-None-Match passed");
    ok(mb_s3_forward_request_header("IF-MODIFIED-SINCE"),
       "If-Modified-Since passed");
    ok(mb_s3_forward_request_header("If-Range"), "If-Range passed");
    ok(!mb_s3_forward_request_header("Authorization"),
       "the viewer's Authorization not passed");
    ok(!mb_s3_forward_request_header("Cookie"), "Cookie not passed");
    ok(!mb_s3_forward_request_header("Host"), "Host not passed");
    ok(!mb_s3_forward_request_header(NULL), "NULL not passed");
    ok(mb_s3_forward_answer_header("etag"), "ETag back");
    ok(mb_s3_forward_answer_header("Last-Modified"), "Last-Modified back");
    ok(mb_s3_forward_answer_header("Content-Range"), "Content-Range back");
    ok(!mb_s3_forward_answer_header("x-amz-request-id"),
       "x-amz-request-id not back");
    ok(!mb_s3_forward_answer_header("Set-Cookie"), "Set-Cookie not back");
    ok(!mb_s3_forward_answer_header("Content-Type"),
       "Content-Type is ours, not S3's");

    ok(mb_s3_answer_kind(200) == MB_S3GET_BODY, "200: body");
    ok(mb_s3_answer_kind(206) == MB_S3GET_BODY, "206: body");
    ok(mb_s3_answer_kind(304) == MB_S3GET_NO_BODY, "304: no body");
    ok(mb_s3_answer_kind(412) == MB_S3GET_NO_BODY, "412: no body");
    ok(mb_s3_answer_kind(416) == MB_S3GET_RANGE, "416: range");
    ok(mb_s3_answer_kind(404) == MB_S3GET_NOT_FOUND, "404: not found");
    ok(mb_s3_answer_kind(403) == MB_S3GET_REFUSED, "403: refused");
    ok(mb_s3_answer_kind(500) == MB_S3GET_REFUSED, "500: refused");
    ok(mb_s3_answer_kind(301) == MB_S3GET_REFUSED, "301: refused");

    is_str(mb_s3_error_code(p, "<Error><Code>AccessDenied</Code></Error>"),
           "AccessDenied", "S3's error code");
    is_str(mb_s3_error_code(p, "<Error><Code>a b<x></Code></Error>"), "",
           "an error code that is not an identifier: none");
    is_str(mb_s3_error_code(p, "no XML"), "", "no error document: none");
    is_str(mb_s3_error_code(p, NULL), "", "NULL: none");

    apr_pool_destroy(p);
    apr_terminate();
    return done_testing();
}
