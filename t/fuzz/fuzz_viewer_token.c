/*
 * libFuzzer target: the parser and verifier of viewer tokens
 * (mb_viewer_token_parse, mb_viewer_token_verify, src/core/viewer_token.c),
 * fed the path segment a client sends, and the finder of a token in a
 * URL path (mb_viewer_path_token).  Invariants: a parsed token
 * re-made with its own fields has the same length; no input verifies
 * under a secret it was not made with (a forgery would be a finding).
 */
#include "fuzz.h"
#include "mb_viewer_token.h"

#define ID "0b7a9c52-9b3f-4b8e-a1d2-3c4d5e6f7a8b"

static int fuzz_one(apr_pool_t *p, const uint8_t *data, size_t len)
{
    const mb_hmac_key *secrets[2];
    mb_viewer_token t, v;
    const char *again;

    /* from the input's pool: freed with it (no leak for libFuzzer) */
    secrets[0] = mb_hmac_key_make(p, "fuzz-secret-a");
    secrets[1] = mb_hmac_key_make(p, "fuzz-secret-b");
    check(secrets[0] != NULL && secrets[1] != NULL);

    if (mb_viewer_token_parse((const char *)data, len, &t)) {
        check(len == MB_VIEWER_TOKEN_LEN);
        again = mb_viewer_token_make(p, secrets[0], ID, &t);
        check(again != NULL && strlen(again) == MB_VIEWER_TOKEN_LEN);
        /* the fields round-trip: valid until, not at, its expiry */
        if (t.expires > 0) {
            check(mb_viewer_token_verify(again, MB_VIEWER_TOKEN_LEN, ID,
                                         secrets, 2, t.expires - 1, &v)
                  && v.expires == t.expires);
        }
        check(!mb_viewer_token_verify(again, MB_VIEWER_TOKEN_LEN, ID, secrets,
                                      2, t.expires, &v));
        check(mb_viewer_token_id_hex(p, &t) != NULL);
    }
    /* the fuzzer does not know the secrets: nothing it writes verifies,
     * unless it is the token re-made above, which it cannot be */
    check(!mb_viewer_token_verify((const char *)data, len, ID, secrets, 2, 0,
                                  &v));
    /* the same bytes as a URL path: a token found lies inside it, between
     * "/t/" and the next '/' */
    {
        const char *path = apr_pstrmemdup(p, (const char *)data, len);
        const char *tk = NULL;
        apr_size_t tl = 0;

        if (mb_viewer_path_token(path, &tk, &tl)) {
            check(tk >= path + 3 && tk + tl < path + strlen(path));
            check(!strncmp(tk - 3, "/t/", 3) && tk[tl] == '/' && tl > 0);
            check(memchr(tk, '/', tl) == NULL);
        }
    }
    return 0;
}
