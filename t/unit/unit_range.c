/* Unit tests of the Range parser (src/core/range.c). */
#include "mb_range.h"
#include "tap.h"

#include <string.h>

static void single(const char *h, uint64_t size, uint64_t f, uint64_t l)
{
    uint64_t a = 12345, b = 12345;
    mb_range_e k = mb_range_parse(h, size, &a, &b);
    ok(k == MB_RANGE_SINGLE && a == f && b == l,
       "'%s' on %llu bytes -> %llu-%llu (got kind %d, %llu-%llu)", h,
       (unsigned long long)size, (unsigned long long)f,
       (unsigned long long)l, (int)k, (unsigned long long)a,
       (unsigned long long)b);
}

static void kind(const char *h, uint64_t size, mb_range_e want)
{
    uint64_t a, b;
    mb_range_e k = mb_range_parse(h, size, &a, &b);
    ok(k == want, "'%s' on %llu bytes -> kind %d (got %d)", h ? h : "(null)",
       (unsigned long long)size, (int)want, (int)k);
}

int main(void)
{
    char many[8192];
    size_t i;

    /* the three forms */
    single("bytes=0-0", 1000, 0, 0);
    single("bytes=0-1", 1000, 0, 1);
    single("bytes=100-199", 1000, 100, 199);
    single("bytes=500-", 1000, 500, 999);
    single("bytes=-500", 1000, 500, 999);
    single("bytes=-1", 1000, 999, 999);
    single("bytes=999-999", 1000, 999, 999);

    /* the end clamped to the last byte; suffix longer than the file */
    single("bytes=0-5000", 1000, 0, 999);
    single("bytes=-5000", 1000, 0, 999);

    /* unsatisfiable: start at or past the end, -0 */
    kind("bytes=1000-", 1000, MB_RANGE_UNSATISFIABLE);
    kind("bytes=1000-2000", 1000, MB_RANGE_UNSATISFIABLE);
    kind("bytes=-0", 1000, MB_RANGE_UNSATISFIABLE);
    kind("bytes=0-", 0, MB_RANGE_UNSATISFIABLE);
    kind("bytes=-10", 0, MB_RANGE_NONE);
    kind("bytes=5000-,6000-7000", 1000, MB_RANGE_UNSATISFIABLE);

    /* overflowing numbers saturate instead of wrapping */
    kind("bytes=99999999999999999999999999-", 1000, MB_RANGE_UNSATISFIABLE);
    single("bytes=0-99999999999999999999999999", 1000, 0, 999);
    single("bytes=-99999999999999999999999999", 1000, 0, 999);
    single("bytes=18446744073709551614-", UINT64_MAX, UINT64_MAX - 1,
           UINT64_MAX - 1);
    kind("bytes=18446744073709551615-", UINT64_MAX, MB_RANGE_UNSATISFIABLE);
    kind("bytes=18446744073709551616-", 1000, MB_RANGE_UNSATISFIABLE);

    /* invalid: ignored by the handler (full 200) */
    kind("bytes=200-100", 1000, MB_RANGE_INVALID);
    kind("bytes=", 1000, MB_RANGE_INVALID);
    kind("bytes=,", 1000, MB_RANGE_INVALID);
    kind("bytes=-", 1000, MB_RANGE_INVALID);
    kind("bytes=abc", 1000, MB_RANGE_INVALID);
    kind("bytes=1-2-3", 1000, MB_RANGE_INVALID);
    kind("bytes=0x10-20", 1000, MB_RANGE_INVALID);
    kind("bytes=+1-2", 1000, MB_RANGE_INVALID);
    kind("bytes=1 - 2", 1000, MB_RANGE_INVALID);
    kind("bytes 0-1", 1000, MB_RANGE_INVALID);
    kind("items=0-1", 1000, MB_RANGE_INVALID);
    kind("bytesx=0-1", 1000, MB_RANGE_INVALID);
    kind("", 1000, MB_RANGE_INVALID);
    kind("bytes=0-1;", 1000, MB_RANGE_INVALID);
    kind(NULL, 1000, MB_RANGE_NONE);

    /* case-insensitive unit, whitespace where the grammar allows it,
     * empty list elements */
    single("BYTES=0-1", 1000, 0, 1);
    single("Bytes=0-1", 1000, 0, 1);
    single("  bytes=0-1  ", 1000, 0, 1);
    single("bytes=0-1,", 1000, 0, 1);
    single("bytes=,0-1", 1000, 0, 1);
    single("bytes= 0-1", 1000, 0, 1);
    single("bytes=\t0-1\t", 1000, 0, 1);

    /* several ranges */
    kind("bytes=0-1,5-6", 1000, MB_RANGE_MULTI);
    kind("bytes=0-1 , 5-6 ,-3", 1000, MB_RANGE_MULTI);
    kind("bytes=0-1,5000-6000", 1000, MB_RANGE_MULTI);
    kind("bytes=0-1,,,5-6", 1000, MB_RANGE_MULTI);
    kind("bytes=0-1,6-5", 1000, MB_RANGE_INVALID);

    /* many commas: linear, no crash, still classified */
    strcpy(many, "bytes=");
    for (i = strlen(many); i < sizeof(many) - 8; i++) {
        many[i] = ',';
    }
    strcpy(many + i, "0-1");
    single(many, 1000, 0, 1);
    for (i = 6; i + 4 < sizeof(many) - 1; i += 4) {
        memcpy(many + i, "0-1,", 4);
    }
    many[i] = '\0';
    kind(many, 1000, MB_RANGE_MULTI);

    /* the volume cap */
    ok(mb_range_cap(0, 999, 0) == 999, "cap 0 means no cap");
    ok(mb_range_cap(0, 999, 100) == 99, "cap 100 from 0 ends at 99");
    ok(mb_range_cap(900, 999, 100) == 999, "range equal to the cap kept");
    ok(mb_range_cap(900, 998, 100) == 998, "range below the cap kept");
    ok(mb_range_cap(5, 5, 1) == 5, "one byte with cap 1");
    ok(mb_range_cap(0, UINT64_MAX, 8) == 7, "huge range capped");

    return done_testing();
}
