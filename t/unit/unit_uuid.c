/* Unit tests of the UUIDv4 ids (src/core/uuid.c). */
#include "mb_uuid.h"
#include "tap.h"

#include <apr_general.h>
#include <apr_hash.h>
#include <apr_strings.h>
#include <string.h>

int main(void)
{
    static const unsigned char zero[16], ones[16] = {
        0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
        0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };
    char u[MB_UUID_LEN + 1], prev[MB_UUID_LEN + 1] = "";
    apr_pool_t *p;
    apr_hash_t *seen;
    int i, all_valid = 1, dup = 0, ordered = 1, rng_ok = 1;

    apr_initialize();
    apr_pool_create(&p, NULL);

    mb_uuid_format(zero, u);
    ok(!strcmp(u, "00000000-0000-4000-8000-000000000000"),
       "zero bytes get version 4 and the RFC 4122 variant: %s", u);
    mb_uuid_format(ones, u);
    ok(!strcmp(u, "ffffffff-ffff-4fff-bfff-ffffffffffff"),
       "0xff bytes: %s", u);
    ok(mb_uuid_valid(u), "formatted UUID is valid");

    /* every byte value at every position, as the hand-written formatter
     * wrote it before apr_uuid_format: lowercase %02x, dashes after the
     * 4th, 6th, 8th and 10th byte, version and variant bits forced */
    {
        int v, k, same = 1;
        for (v = 0; v < 256; v++) {
            unsigned char b[16];
            char want[MB_UUID_LEN + 1];
            int o = 0;
            for (k = 0; k < 16; k++) {
                b[k] = (unsigned char)((v + 37 * k) & 0xff);
            }
            mb_uuid_format(b, u);
            b[6] = (unsigned char)((b[6] & 0x0f) | 0x40);
            b[8] = (unsigned char)((b[8] & 0x3f) | 0x80);
            for (k = 0; k < 16; k++) {
                if (k == 4 || k == 6 || k == 8 || k == 10) {
                    want[o++] = '-';
                }
                apr_snprintf(want + o, 3, "%02x", b[k]);
                o += 2;
            }
            same &= !strcmp(u, want) && mb_uuid_valid(u);
        }
        ok(same, "every byte value at every position formatted as before");
    }

    seen = apr_hash_make(p);
    for (i = 0; i < 10000; i++) {
        if (mb_uuid4(u) != 0) {
            rng_ok = 0;
            break;
        }
        if (!mb_uuid_valid(u)) all_valid = 0;
        if (apr_hash_get(seen, u, APR_HASH_KEY_STRING)) dup++;
        apr_hash_set(seen, apr_pstrdup(p, u), APR_HASH_KEY_STRING, "");
        if (prev[0] && strcmp(u, prev) <= 0) ordered = 0;
        strcpy(prev, u);
    }
    ok(rng_ok, "RAND_bytes gave 10000 ids");
    ok(all_valid, "10000 random ids are valid UUIDv4");
    ok(dup == 0, "no duplicate among 10000 ids");
    ok(!ordered, "ids are not sequential (not increasing)");

    ok(!mb_uuid_valid(NULL), "NULL refused");
    ok(!mb_uuid_valid(""), "empty refused");
    ok(!mb_uuid_valid("00000000-0000-1000-8000-000000000000"), "version 1 refused");
    ok(!mb_uuid_valid("00000000-0000-4000-c000-000000000000"), "variant 110x refused");
    ok(!mb_uuid_valid("00000000-0000-4000-8000-00000000000"), "35 chars refused");
    ok(!mb_uuid_valid("00000000-0000-4000-8000-0000000000000"), "37 chars refused");
    ok(!mb_uuid_valid("0000000000000-4000-8000-000000000000"), "dash misplaced refused");
    ok(!mb_uuid_valid("ABCDEF00-0000-4000-8000-000000000000"), "uppercase refused");
    ok(!mb_uuid_valid("../../00-0000-4000-8000-000000000000"), "path characters refused");
    ok(!mb_uuid_valid("1"), "a sequential integer id refused");

    apr_pool_destroy(p);
    apr_terminate();
    return done_testing();
}
