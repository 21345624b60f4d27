/*
 * libFuzzer target: an answer from the credential service (mb_sts_parse,
 * src/core/sts.c), which comes from the network.  Input: 2 bytes of HTTP
 * status, then the body.
 */
#include "fuzz.h"
#include "mb_sts.h"

static int fuzz_one(apr_pool_t *p, const uint8_t *data, size_t len)
{
    mb_sts_creds creds;
    mb_sts_result res;
    long status;
    mb_sts_e k;

    if (len < 2) {
        return 0;
    }
    status = (data[0] & 1) ? 200 : 100 + (((data[0] << 8) | data[1]) % 500);
    memset(&creds, 0, sizeof(creds));
    memset(&res, 0, sizeof(res));
    k = mb_sts_parse(p, status, (const char *)data + 2, len - 2, &creds, &res);

    check(k == res.status);
    check(res.http_status == status);
    if (k == MB_STS_OK) {
        check(status == 200);
        check(creds.access_key_id && *creds.access_key_id);
        check(creds.secret_access_key && *creds.secret_access_key);
        check(creds.session_token && *creds.session_token);
    }
    else if (k == MB_STS_REFUSED) {
        /* the code is shown to clients: short and plain */
        size_t i;
        check(res.code != NULL && strlen(res.code) <= 64);
        for (i = 0; res.code[i]; i++) {
            check((res.code[i] >= 'A' && res.code[i] <= 'Z') ||
                  (res.code[i] >= 'a' && res.code[i] <= 'z') ||
                  (res.code[i] >= '0' && res.code[i] <= '9') ||
                  res.code[i] == '.' || res.code[i] == '_' ||
                  res.code[i] == '-' || res.code[i] == ':');
        }
    }
    else {
        check(k == MB_STS_BAD_ANSWER);
    }
    return 0;
}
