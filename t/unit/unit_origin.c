/* Unit tests of the cross-origin decision (src/core/origin.c). */
#include "mb_origin.h"
#include "tap.h"

#include <string.h>

static void canon(apr_pool_t *p, const char *in, const char *want)
{
    const char *got = mb_origin_canon(p, in);
    ok((got == NULL && want == NULL) || (got && want && strcmp(got, want) == 0),
       "canon '%s' -> %s (got %s)", in ? in : "(null)", want ? want : "NULL",
       got ? got : "NULL");
}

static void classify(apr_pool_t *p, const char *origin, const char *site,
                     const apr_array_header_t *trusted, mb_origin_e want)
{
    mb_origin_e got =
        mb_origin_classify(p, origin, site, "http://api.example:8080", trusted);
    ok(got == want, "Origin %s, Sec-Fetch-Site %s -> %d (got %d)",
       origin ? origin : "-", site ? site : "-", (int)want, (int)got);
}

int main(void)
{
    apr_pool_t *p;
    apr_array_header_t *trusted, *none;

    apr_initialize();
    apr_pool_create(&p, NULL);

    canon(p, "http://example.org", "http://example.org:80");
    canon(p, "https://example.org", "https://example.org:443");
    canon(p, "HTTPS://App.Example.COM:443", "https://app.example.com:443");
    canon(p, "http://127.0.0.1:8531", "http://127.0.0.1:8531");
    canon(p, "http://[::1]:8080", "http://[::1]:8080");
    canon(p, "http://[::1]", "http://[::1]:80");
    canon(p, "null", NULL);
    canon(p, "", NULL);
    canon(p, NULL, NULL);
    canon(p, "http://example.org/", NULL);
    canon(p, "http://example.org/x", NULL);
    canon(p, "http://example.org?x", NULL);
    canon(p, "http://example.org#x", NULL);
    canon(p, "http://user@example.org", NULL);
    canon(p, "http://user:pw@example.org", NULL);
    canon(p, "http://example.org:", NULL);
    canon(p, "http://example.org:0", NULL);
    canon(p, "http://example.org:65536", NULL);
    canon(p, "http://example.org:+80", NULL);
    canon(p, "http://example.org:80x", NULL);
    canon(p, "http://", NULL);
    canon(p, "example.org", NULL);
    canon(p, "ftp://example.org", NULL);
    canon(p, "chrome-extension://abc", NULL);
    canon(p, "http://a.example, http://b.example", NULL);
    canon(p, "http://a.example http://b.example", NULL);
    canon(p, "http://exa_mple.org", NULL);
    canon(p, "http://exa%6dple.org", NULL);
    canon(p, "http://example.org\\@evil", NULL);

    trusted = apr_array_make(p, 2, sizeof(const char *));
    APR_ARRAY_PUSH(trusted, const char *) = "https://app.example.com:443";
    none = apr_array_make(p, 0, sizeof(const char *));

    /* clients that are not browsers */
    classify(p, NULL, NULL, trusted, MB_ORIGIN_NO_BROWSER);
    classify(p, NULL, NULL, NULL, MB_ORIGIN_NO_BROWSER);
    /* Sec-Fetch-Site alone */
    classify(p, NULL, "same-origin", NULL, MB_ORIGIN_SAME);
    classify(p, NULL, "none", NULL, MB_ORIGIN_SAME);
    classify(p, NULL, "same-site", NULL, MB_ORIGIN_CROSS);
    classify(p, NULL, "cross-site", NULL, MB_ORIGIN_CROSS);
    classify(p, NULL, "cross-site", trusted, MB_ORIGIN_CROSS);
    classify(p, NULL, "bogus", NULL, MB_ORIGIN_CROSS);
    classify(p, NULL, "", NULL, MB_ORIGIN_CROSS);
    /* the request's own origin, written in any equivalent way */
    classify(p, "http://api.example:8080", NULL, NULL, MB_ORIGIN_SAME);
    classify(p, "HTTP://API.example:8080", "same-origin", NULL, MB_ORIGIN_SAME);
    classify(p, "http://api.example:8080", "none", none, MB_ORIGIN_SAME);
    classify(p, "http://api.example:8080", "same-site", NULL, MB_ORIGIN_CROSS);
    classify(p, "http://api.example:8080", "cross-site", NULL, MB_ORIGIN_CROSS);
    /* another port, scheme or host is another origin */
    classify(p, "http://api.example:8081", NULL, NULL, MB_ORIGIN_CROSS);
    classify(p, "http://api.example:8081", "same-site", NULL, MB_ORIGIN_CROSS);
    classify(p, "https://api.example:8080", "same-origin", NULL,
             MB_ORIGIN_CROSS);
    classify(p, "http://api.example", NULL, NULL, MB_ORIGIN_CROSS);
    classify(p, "http://evil.example", "cross-site", NULL, MB_ORIGIN_CROSS);
    classify(p, "http://evil.example", "same-origin", NULL, MB_ORIGIN_CROSS);
    classify(p, "http://evil.example", NULL, trusted, MB_ORIGIN_CROSS);
    classify(p, "null", NULL, NULL, MB_ORIGIN_CROSS);
    classify(p, "null", "same-origin", NULL, MB_ORIGIN_CROSS);
    classify(p, "http://api.example:8080/", NULL, NULL, MB_ORIGIN_CROSS);
    classify(p, "http://api.example:8080, http://evil.example", NULL, NULL,
             MB_ORIGIN_CROSS);
    /* a listed origin, however the browser marks the fetch */
    classify(p, "https://app.example.com", "cross-site", trusted,
             MB_ORIGIN_TRUSTED);
    classify(p, "https://APP.example.com:443", NULL, trusted,
             MB_ORIGIN_TRUSTED);
    classify(p, "https://app.example.com", "cross-site", none, MB_ORIGIN_CROSS);
    classify(p, "http://app.example.com", "cross-site", trusted,
             MB_ORIGIN_CROSS);
    classify(p, "https://app.example.com:8443", "cross-site", trusted,
             MB_ORIGIN_CROSS);
    classify(p, "https://app.example.com.evil.example", "cross-site", trusted,
             MB_ORIGIN_CROSS);

    apr_pool_destroy(p);
    apr_terminate();
    return done_testing();
}
