/*
 * libFuzzer target: the Range header (src/core/range.c), as a client sends it.
 * Input: 8 bytes of file size, then the header value.
 */
#include "fuzz.h"
#include "mb_range.h"

static int fuzz_one(apr_pool_t *p, const uint8_t *data, size_t len)
{
    uint64_t size, first = 0, last = 0;
    const char *s;
    mb_range_e k;

    if (len < 8) {
        return 0;
    }
    memcpy(&size, data, 8);
    size %= (uint64_t)1 << 40;
    s = apr_pstrmemdup(p, (const char *)data + 8, len - 8);

    k = mb_range_parse(s, size, &first, &last);
    if (k == MB_RANGE_SINGLE) {
        check(first <= last && last < size);
        check(mb_range_cap(first, last, 4096) - first < 4096);
        check(mb_range_cap(first, last, 4096) <= last);
    }
    return 0;
}
