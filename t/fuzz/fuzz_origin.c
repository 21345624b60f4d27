/*
 * libFuzzer target: the Origin and Sec-Fetch-Site headers behind the
 * refusal of cross-site requests (mb_origin_canon, mb_origin_classify,
 * src/core/origin.c).  The input is "<Origin>\n<Sec-Fetch-Site>"; a missing
 * newline means no Sec-Fetch-Site.
 */
#include "fuzz.h"
#include "mb_origin.h"

static int fuzz_one(apr_pool_t *p, const uint8_t *data, size_t len)
{
    const char *text = apr_pstrmemdup(p, (const char *)data, len);
    const char *nl = strchr(text, '\n');
    const char *origin = nl ? apr_pstrmemdup(p, text, nl - text) : text;
    const char *site = nl ? nl + 1 : NULL;
    const char *canon = mb_origin_canon(p, origin), *again;
    apr_array_header_t *trusted = apr_array_make(p, 1, sizeof(const char *));
    mb_origin_e c;

    if (canon != NULL) {
        /* canonical: http(s)://host:port, stable under a second pass (as
         * long as it stays within the 255 bytes an Origin may have) */
        check(!strncmp(canon, "http://", 7) || !strncmp(canon, "https://", 8));
        again = mb_origin_canon(p, canon);
        check(strlen(canon) > 255 || (again != NULL && !strcmp(again, canon)));
        *(const char **)apr_array_push(trusted) = canon;
    }
    c = mb_origin_classify(p, origin, site, "http://127.0.0.1:80", NULL);
    check(c >= MB_ORIGIN_NO_BROWSER && c <= MB_ORIGIN_CROSS);
    /* a foreign origin is trusted only when listed */
    c = mb_origin_classify(p, origin, site, "http://127.0.0.1:80", trusted);
    check(canon == NULL || c == MB_ORIGIN_TRUSTED ||
          !strcmp(canon, "http://127.0.0.1:80"));
    return 0;
}
