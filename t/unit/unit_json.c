/* Unit tests of the pool-owned JSON values (src/core/json.c).  Built with
 * AddressSanitizer: a value freed twice or used after its pool let it go
 * fails the run, not only the assertions. */
#include "mb_json.h"
#include "tap.h"

#include <jansson.h>
#include <string.h>

static int is(apr_pool_t *p, const mb_json *j, const char *want)
{
    const char *got = mb_json_dump(p, j, NULL);

    if (got == NULL || strcmp(got, want) != 0) {
        printf("#   got  %s\n#   want %s\n", got ? got : "(NULL)", want);
        return 0;
    }
    return 1;
}

int main(void)
{
    apr_pool_t *p, *req, *sub;
    mb_json *o, *a, *ep, *body, *body2;
    apr_size_t len = 0;
    const char *text;

    apr_initialize();
    apr_pool_create(&p, NULL);
    apr_pool_create(&req, p);

    /* scalars, NULL strings as null, insertion order kept */
    o = mb_json_object(req);
    mb_json_set_str(o, "b", "x");
    mb_json_set_int(o, "a", -3);
    mb_json_set_bool(o, "t", 1);
    mb_json_set_null(o, "n");
    mb_json_set_str(o, "s", NULL);
    ok(is(req, o, "{\"b\":\"x\",\"a\":-3,\"t\":true,\"n\":null,\"s\":null}"),
       "scalars in insertion order");
    text = mb_json_dump(req, o, &len);
    ok(text && len == strlen(text), "length of the dump");

    /* the case that freed twice (issue 9): a value made in the request
     * pool by one function, embedded by another, then the pool cleared.
     * The embedding takes its own reference. */
    ep = mb_json_object(req);
    mb_json_set_str(ep, "upload_token", "t0k3n");
    body = mb_json_object(req);
    mb_json_set(mb_json_set_object(body, "endpoint"), "HTTP", ep);
    ok(is(req, body, "{\"endpoint\":{\"HTTP\":{\"upload_token\":\"t0k3n\"}}}"),
       "an embedded value");
    /* still the caller's after it was embedded: usable, embeddable again */
    mb_json_set_int(ep, "expiration", 60);
    body2 = mb_json_array(req);
    mb_json_push(body2, ep);
    mb_json_push(body2, ep);
    ok(is(req, body2,
          "[{\"upload_token\":\"t0k3n\",\"expiration\":60},"
          "{\"upload_token\":\"t0k3n\",\"expiration\":60}]"),
       "the same value embedded twice, changed after the first time");
    ok(is(req, body,
          "{\"endpoint\":{\"HTTP\":{\"upload_token\":\"t0k3n\","
          "\"expiration\":60}}}"),
       "embedding shares the value (no copy)");
    apr_pool_clear(req); /* ASan: no double free, no use after free */
    ok(1, "request pool cleared after embedding");

    /* a value from a shorter-lived pool embedded into a longer-lived one:
     * the container keeps it alive after the shorter pool is gone */
    o = mb_json_object(req);
    apr_pool_create(&sub, req);
    ep = mb_json_object(sub);
    mb_json_set_str(ep, "k", "v");
    mb_json_set(o, "inner", ep);
    apr_pool_destroy(sub);
    ok(is(req, o, "{\"inner\":{\"k\":\"v\"}}"),
       "the container outlives the pool of what it holds");
    apr_pool_clear(req);

    /* children made in place */
    o = mb_json_object(req);
    a = mb_json_set_array(o, "list");
    mb_json_push_str(a, "x");
    mb_json_push_int(a, 7);
    mb_json_push_str(a, NULL);
    mb_json_set_int(mb_json_push_object(a), "id", 1);
    mb_json_set(o, "none", NULL);
    ok(is(req, o, "{\"list\":[\"x\",7,null,{\"id\":1}],\"none\":null}"),
       "arrays, objects in arrays, a NULL value");

    /* a key set twice: the last one wins, the first one is released */
    mb_json_set_str(o, "none", "now");
    ok(is(req, o, "{\"list\":[\"x\",7,null,{\"id\":1}],\"none\":\"now\"}"),
       "a key set again replaces its value");

    /* escaping: compact, UTF-8 kept, or ASCII only */
    o = mb_json_object(req);
    mb_json_set_str(o, "name", "caf\xc3\xa9 \"q\"\n<");
    ok(is(req, o, "{\"name\":\"caf\xc3\xa9 \\\"q\\\"\\n<\"}"), "UTF-8 kept");
    text = mb_json_dump_flags(req, o, MB_JSON_ASCII, NULL);
    ok(text && strcmp(text, "{\"name\":\"caf\\u00E9 \\\"q\\\"\\n<\"}") == 0,
       "MB_JSON_ASCII escapes it: %s", text ? text : "(NULL)");

    /* failures stick: invalid UTF-8 is refused by jansson, and the tree
     * it was to go into cannot be dumped (no half answer) */
    o = mb_json_object(req);
    ep = mb_json_set_object(o, "endpoint");
    mb_json_set_str(ep, "bad", "\xff\xfe");
    ok(mb_json_dump(req, o, NULL) == NULL, "a failed child fails the root");
    ok(mb_json_dump(req, ep, NULL) == NULL, "and itself");
    body = mb_json_object(req);
    mb_json_set(body, "x", ep);
    ok(mb_json_dump(req, body, NULL) == NULL,
       "a failed value embedded elsewhere fails that one too");
    ok(mb_json_dump(req, NULL, NULL) == NULL, "NULL dumps to NULL");

    apr_pool_destroy(p);
    apr_terminate();
    return done_testing();
}
