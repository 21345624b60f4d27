/* Unit tests of HTML and URL escaping (src/core/html.c). */
#include "mb_html.h"
#include "tap.h"

#include <apr_lib.h>
#include <apr_strings.h>
#include <string.h>

static void esc(apr_pool_t *p, const char *in, const char *want)
{
    const char *got = mb_html_escape(p, in);
    static int n;

    /* the values may hold newlines: name the case, not the value */
    ok(strcmp(got, want) == 0, "html escape, case %d (%zu bytes in, %zu out)",
       ++n, in ? strlen(in) : 0, strlen(got));
}

static void url(apr_pool_t *p, const char *in, const char *want)
{
    const char *got = mb_url_escape(p, in);
    ok(strcmp(got, want) == 0, "url '%s' -> '%s' (got '%s')",
       in ? in : "(null)", want, got);
}

int main(void)
{
    apr_pool_t *p;
    char big[3001];
    const char *e;
    size_t i, amps = 0;

    apr_initialize();
    apr_pool_create(&p, NULL);

    esc(p, NULL, "");
    esc(p, "", "");
    esc(p, "plain text", "plain text");
    esc(p, "<script>alert(1)</script>",
        "&lt;script&gt;alert(1)&lt;/script&gt;");
    esc(p, "a & b", "a &amp; b");
    esc(p, "\"quoted\" 'single'", "&quot;quoted&quot; &#39;single&#39;");
    esc(p, "&amp;", "&amp;amp;");
    esc(p, "x\" onmouseover=\"alert(1)", "x&quot; onmouseover=&quot;alert(1)");
    esc(p, "tab\tnewline\n", "tab\tnewline\n");
    esc(p, "bell\x07", "bell\xef\xbf\xbd");
    esc(p, "del\x7f", "del\xef\xbf\xbd");
    esc(p, "caf\xc3\xa9 \xe2\x9c\x93", "caf\xc3\xa9 \xe2\x9c\x93");

    /* long input of only special characters: no overflow, all escaped */
    memset(big, '&', 3000);
    big[3000] = '\0';
    e = mb_html_escape(p, big);
    for (i = 0; e[i]; i++) {
        amps += e[i] == '&';
    }
    ok(strlen(e) == 15000 && amps == 3000, "3000 '&' -> 15000 bytes");
    memset(big, '"', 3000);
    e = mb_html_escape(p, big);
    ok(strlen(e) == 18000, "3000 '\"' -> 18000 bytes (got %zu)", strlen(e));

    url(p, NULL, "");
    url(p, "movies/a b.mp4", "movies%2Fa%20b.mp4");
    url(p, "a&b=c?d#e", "a%26b%3Dc%3Fd%23e");
    url(p, "A-z_0.9~", "A-z_0.9~");
    url(p, "\"<>'%+", "%22%3C%3E%27%25%2B");
    url(p, "\xc3\xa9", "%C3%A9");

    /* every byte 1-255 as the two former copies (html.c, sts.c) encoded
     * it: RFC 3986 unreserved kept, all else %XX in uppercase */
    {
        int c, same = 1;
        for (c = 1; c < 256; c++) {
            char in[2] = {(char)c, '\0'}, want[4];
            if (apr_isalnum(c) || c == '-' || c == '.' || c == '_' ||
                c == '~') {
                apr_snprintf(want, sizeof(want), "%c", c);
            }
            else {
                apr_snprintf(want, sizeof(want), "%%%02X", c);
            }
            if (strcmp(mb_url_escape(p, in), want) != 0) {
                printf("# byte %02x -> %s, want %s\n", c, mb_url_escape(p, in),
                       want);
                same = 0;
            }
        }
        ok(same, "url: every byte 1-255 encoded as before");
    }

    ok(!strcmp(mb_bytes_format(p, -3), "0 B"), "bytes: negative");
    ok(!strcmp(mb_bytes_format(p, 0), "0 B"), "bytes: 0");
    ok(!strcmp(mb_bytes_format(p, 1023), "1023 B"), "bytes: 1023");
    ok(!strcmp(mb_bytes_format(p, 1536), "1.50 KiB"), "bytes: 1.5 KiB");
    ok(!strcmp(mb_bytes_format(p, 3 * 1024 * 1024 + 123), "3.00 MiB"),
       "bytes: 3 MiB");
    ok(!strcmp(mb_bytes_format(p, APR_INT64_C(50) * 1024 * 1024 * 1024),
               "50.0 GiB"), "bytes: 50 GiB");
    ok(!strcmp(mb_bytes_format(p, APR_INT64_C(500) * 1024 * 1024), "500 MiB"),
       "bytes: 500 MiB");
    ok(!strcmp(mb_bytes_format(p, APR_INT64_MAX), "8192 PiB"),
       "bytes: the largest (got %s)", mb_bytes_format(p, APR_INT64_MAX));

    apr_pool_destroy(p);
    apr_terminate();
    return done_testing();
}
