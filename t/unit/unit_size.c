/* Unit tests of size parsing (src/core/size.c). */
#include "mb_size.h"
#include "tap.h"

static void good(const char *s, int64_t want)
{
    int64_t v = -1;
    ok(mb_size_parse(s, &v) == 0 && v == want, "'%s' = %lld (got %lld)", s,
       (long long)want, (long long)v);
}

static void bad(const char *s)
{
    int64_t v;
    ok(mb_size_parse(s, &v) != 0, "'%s' refused", s ? s : "(null)");
}

int main(void)
{
    good("0", 0);
    good("512", 512);
    good("64K", 65536);
    good("64k", 65536);
    good("8M", 8 * 1024 * 1024);
    good("2G", (int64_t)2 * 1024 * 1024 * 1024);
    good("9223372036854775807", INT64_MAX);
    bad("");
    bad(NULL);
    bad("-1");
    bad("8MB");
    bad("M");
    bad("1.5M");
    bad(" 8M");
    bad("9223372036854775808");
    bad("99999999999G");
    return done_testing();
}
