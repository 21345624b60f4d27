/* Unit tests of the query parameter lookup (src/core/query.c). */
#include "mb_query.h"
#include "tap.h"

#include <string.h>

static void get(apr_pool_t *p, const char *args, const char *name,
                mb_query_e want, const char *want_v)
{
    const char *v = NULL;
    mb_query_e k = mb_query_get(p, args, name, &v);
    ok(k == want && (want != MB_QUERY_OK || strcmp(v, want_v) == 0),
       "'%s' [%s] -> %d '%s' (got %d '%s')", args ? args : "(null)", name,
       (int)want, want_v ? want_v : "", (int)k, v && k == MB_QUERY_OK ? v : "");
}

int main(void)
{
    apr_pool_t *p;

    apr_initialize();
    apr_pool_create(&p, NULL);

    get(p, "path=a.mp4", "path", MB_QUERY_OK, "a.mp4");
    get(p, "x=1&path=movies%2Fa.mp4&y=2", "path", MB_QUERY_OK, "movies/a.mp4");
    get(p, "path=a+b.mp4", "path", MB_QUERY_OK, "a b.mp4");
    get(p, "path=%41%62", "path", MB_QUERY_OK, "Ab");
    get(p, "path=", "path", MB_QUERY_OK, "");
    get(p, "path", "path", MB_QUERY_OK, "");
    get(p, "path=1&path=2", "path", MB_QUERY_OK, "1");
    get(p, "paths=1", "path", MB_QUERY_ABSENT, NULL);
    get(p, "xpath=1", "path", MB_QUERY_ABSENT, NULL);
    get(p, "", "path", MB_QUERY_ABSENT, NULL);
    get(p, NULL, "path", MB_QUERY_ABSENT, NULL);
    get(p, "path=a%00b", "path", MB_QUERY_BAD, NULL);
    get(p, "path=a%zz", "path", MB_QUERY_BAD, NULL);
    get(p, "path=a%", "path", MB_QUERY_BAD, NULL);
    get(p, "path=a%4", "path", MB_QUERY_BAD, NULL);
    get(p, "path=%2e%2e%2fetc", "path", MB_QUERY_OK, "../etc");
    get(p, "file=x&path=y", "file", MB_QUERY_OK, "x");

    /* every byte, raw and as %XX (both cases of hex), decoded as the
     * hand-written decoder did before apr_punescape_url */
    {
        static const char xd[] = "0123456789abcdef0123456789ABCDEF";
        int c, raw = 1, esc = 1, bad = 1;
        for (c = 1; c < 256; c++) {
            char args[8] = "v=", want[2] = {(char)c, '\0'};
            const char *v = NULL;
            mb_query_e k;
            args[2] = (char)c;
            args[3] = '\0';
            k = mb_query_get(p, args, "v", &v);
            if (c == '%') {
                raw &= k == MB_QUERY_BAD;
            }
            else if (c == '&') {
                raw &= k == MB_QUERY_OK && *v == '\0';
            }
            else {
                raw &= k == MB_QUERY_OK && !strcmp(v, c == '+' ? " " : want);
            }
            args[3] = 'x'; /* "%<c>x": never a valid escape */
            args[4] = '\0';
            args[2] = '%';
            args[3] = (char)c;
            bad &= mb_query_get(p, args, "v", &v) == MB_QUERY_BAD;
        }
        for (c = 0; c < 256; c++) {
            int u;
            for (u = 0; u < 2; u++) {
                char args[8] = "v=%", want[2] = {(char)c, '\0'};
                const char *v = NULL;
                mb_query_e k;
                args[3] = xd[16 * u + (c >> 4)];
                args[4] = xd[16 * u + (c & 15)];
                args[5] = '\0';
                k = mb_query_get(p, args, "v", &v);
                esc &= c == 0 ? k == MB_QUERY_BAD
                              : k == MB_QUERY_OK && !strcmp(v, want);
            }
        }
        ok(raw, "every raw byte 1-255 kept ('+' a space, '%%' refused)");
        ok(esc, "every %%XX 00-ff decoded, either case (%%00 refused)");
        ok(bad, "every %%<byte>x refused");
    }

    apr_pool_destroy(p);
    apr_terminate();
    return done_testing();
}
