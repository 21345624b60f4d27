/*
 * uuid.c -- random (version 4) UUIDs from OpenSSL's CSPRNG.
 */
#include "mb_uuid.h"

#include <apr_uuid.h>
#include <openssl/rand.h>
#include <string.h>

#if APR_UUID_FORMATTED_LENGTH != MB_UUID_LEN
#error "apr_uuid_format does not write MB_UUID_LEN characters"
#endif

void mb_uuid_format(const unsigned char bytes[16], char *out)
{
    apr_uuid_t u;

    memcpy(u.data, bytes, sizeof(u.data));
    u.data[6] = (unsigned char)((u.data[6] & 0x0f) | 0x40); /* version 4 */
    u.data[8] = (unsigned char)((u.data[8] & 0x3f) | 0x80); /* variant 10xx */
    apr_uuid_format(out, &u); /* lowercase, 8-4-4-4-12 */
}

int mb_uuid4(char *out)
{
    unsigned char b[16];

    if (RAND_bytes(b, (int)sizeof(b)) != 1) {
        return -1;
    }
    mb_uuid_format(b, out);
    return 0;
}

int mb_uuid_valid(const char *s)
{
    int i;

    if (s == NULL || strlen(s) != MB_UUID_LEN) {
        return 0;
    }
    for (i = 0; i < MB_UUID_LEN; i++) {
        char c = s[i];
        if (i == 8 || i == 13 || i == 18 || i == 23) {
            if (c != '-') {
                return 0;
            }
        }
        else if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
            return 0;
        }
    }
    return s[14] == '4' && strchr("89ab", s[19]) != NULL;
}
