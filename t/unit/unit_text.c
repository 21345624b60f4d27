/* Unit tests of the UTF-8 clean-up of logged values (src/core/text.c). */
#include "mb_text.h"
#include "tap.h"

#include <string.h>

static void clean(apr_pool_t *p, const char *in, apr_size_t max,
                  const char *want)
{
    static int n;
    const char *got = mb_text_clean(p, in, max);

    ok((got == NULL && want == NULL)
       || (got && want && strcmp(got, want) == 0),
       "clean, case %d (max %zu)", ++n, (size_t)max);
    if (got && want && strcmp(got, want)) {
        printf("#   got %zu bytes, wanted %zu\n", strlen(got), strlen(want));
    }
}

int main(void)
{
    apr_pool_t *p;
    char big[1000];

    apr_initialize();
    apr_pool_create(&p, NULL);

    clean(p, NULL, 10, NULL);
    clean(p, "", 10, "");
    clean(p, "Mozilla/5.0 (X11)", 255, "Mozilla/5.0 (X11)");
    clean(p, "caf\xc3\xa9 \xe2\x9c\x93 \xf0\x9f\x8e\xac", 255,
          "caf\xc3\xa9 \xe2\x9c\x93 \xf0\x9f\x8e\xac");
    clean(p, "bad \xff byte", 255, "bad ? byte");
    clean(p, "lone \x80 continuation", 255, "lone ? continuation");
    clean(p, "cut \xc3", 255, "cut ?");
    clean(p, "overlong \xc0\xaf", 255, "overlong ??");
    clean(p, "overlong3 \xe0\x80\xaf", 255, "overlong3 ???");
    clean(p, "surrogate \xed\xa0\x80", 255, "surrogate ???");
    clean(p, "too big \xf4\x90\x80\x80", 255, "too big ????");
    clean(p, "ctl\x01\x1b[31m\x7f", 255, "ctl??[31m?");
    clean(p, "tab\there", 255, "tab?here");
    clean(p, "abcdef", 3, "abc");
    clean(p, "ab\xc3\xa9", 3, "ab");        /* no half character */
    clean(p, "ab\xc3\xa9", 4, "ab\xc3\xa9");
    clean(p, "\xf0\x9f\x8e\xac", 3, "");
    memset(big, 'x', sizeof(big) - 1);
    big[sizeof(big) - 1] = '\0';
    ok(strlen(mb_text_clean(p, big, 255)) == 255, "long value cut to 255");

    apr_pool_destroy(p);
    apr_terminate();
    return done_testing();
}
