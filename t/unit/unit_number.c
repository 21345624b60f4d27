/* Unit tests of the one integer parser (src/core/number.c): the edges its
 * callers rely on (range, overflow, sign, space, trailing characters). */
#include "mb_number.h"
#include "tap.h"

#include <string.h>

static void good(const char *s, apr_int64_t lo, apr_int64_t hi,
                 apr_int64_t want)
{
    apr_int64_t v = -1;
    ok(mb_int_parse(s, lo, hi, &v) == 0 && v == want,
       "'%s' in [%" APR_INT64_T_FMT ", %" APR_INT64_T_FMT
       "] = %" APR_INT64_T_FMT,
       s, lo, hi, want);
}

static void bad(const char *s, apr_int64_t lo, apr_int64_t hi)
{
    apr_int64_t v = 12345;
    ok(mb_int_parse(s, lo, hi, &v) != 0 && v == 12345,
       "'%s' in [%" APR_INT64_T_FMT ", %" APR_INT64_T_FMT "] refused, "
       "*out untouched",
       s ? s : "(null)", lo, hi);
}

int main(void)
{
    const char *end;
    apr_int64_t v;

    good("0", 0, 10, 0);
    good("7", 0, 10, 7);
    good("10", 0, 10, 10);  /* hi included */
    good("1", 1, 10, 1);    /* lo included */
    good("0007", 0, 10, 7); /* leading zeros, as before */
    good("65535", 1, 65535, 65535);
    good("9223372036854775807", 0, APR_INT64_MAX, APR_INT64_MAX);
    bad("11", 0, 10);
    bad("0", 1, 10);
    bad("65536", 1, 65535);
    bad(NULL, 0, 10);
    bad("", 0, 10);
    bad("-1", -10, 10); /* no sign, even when lo < 0 */
    bad("-0", 0, 10);
    bad("+1", 0, 10);
    bad(" 1", 0, 10); /* apr_strtoi64 alone skips spaces */
    bad("\t1", 0, 10);
    bad("1 ", 0, 10);
    bad("1\n", 0, 10);
    bad("1x", 0, 10);
    bad("1.5", 0, 10);
    bad("0x10", 0, 100);
    bad("1e3", 0, 10000);
    bad("9223372036854775808", 0, APR_INT64_MAX); /* overflow */
    bad("99999999999999999999", 0, APR_INT64_MAX);
    bad("99999999999999999999", 0, 10);

    end = mb_digits_parse("64K", &v);
    ok(end && !strcmp(end, "K") && v == 64, "digits of '64K': 64, then 'K'");
    end = mb_digits_parse("1734\n", &v);
    ok(end && !strcmp(end, "\n") && v == 1734, "digits of '1734\\n'");
    end = mb_digits_parse("12", &v);
    ok(end && *end == '\0' && v == 12, "digits of '12': all of it");
    ok(mb_digits_parse("K", &v) == NULL, "no digit: NULL");
    ok(mb_digits_parse(" 5", &v) == NULL, "a space first: NULL");
    ok(mb_digits_parse("+5", &v) == NULL, "a sign first: NULL");
    ok(mb_digits_parse(NULL, &v) == NULL, "NULL: NULL");
    ok(mb_digits_parse("9223372036854775808K", &v) == NULL, "overflow: NULL");
    return done_testing();
}
