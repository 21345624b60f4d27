/*
 * libFuzzer target: signed links for video on demand
 * (src/core/signed_link.c), fed the URL path a client sends.  The path is
 * split into its token and the rest (mb_signed_path_split), the token
 * parsed and verified against the rest.  Invariants: the rest of a split
 * path is the path without "/s/<token>"; a parsed token re-made for a
 * prefix of the rest opens the rest until, not at, its expiry; nothing the
 * fuzzer writes verifies under secrets it does not know.
 */
#include "fuzz.h"
#include "mb_signed_link.h"

static int fuzz_one(apr_pool_t *p, const uint8_t *data, size_t len)
{
    const mb_hmac_key *secrets[2];
    const char *path = apr_pstrmemdup(p, (const char *)data, len);
    const char *tok = NULL, *rest = NULL, *again;
    mb_signed_link l, v;

    /* from the input's pool: freed with it (no leak for libFuzzer) */
    secrets[0] = mb_hmac_key_make(p, "fuzz-secret-a");
    secrets[1] = mb_hmac_key_make(p, "fuzz-secret-b");
    check(secrets[0] != NULL && secrets[1] != NULL);

    if (mb_signed_path_split(p, path, &tok, &rest)) {
        /* the first "/s/<token>/" is the one taken */
        const char *at = strstr(path, apr_pstrcat(p, "/s/", tok, "/", NULL));
        apr_size_t before = at ? (apr_size_t)(at - path) : 0;

        check(strlen(tok) == MB_SIGNED_TOKEN_LEN && at != NULL);
        check(strlen(rest) + 3 + MB_SIGNED_TOKEN_LEN == strlen(path));
        /* rest = what came before "/s/<token>", then what came after */
        check(!strncmp(rest, path, before) && rest[before] == '/'
              && !strcmp(rest + before, at + 3 + MB_SIGNED_TOKEN_LEN));
        check(!mb_signed_link_verify(tok, strlen(tok), rest, secrets, 2, 0,
                                     &v));
        if (mb_signed_link_parse(tok, strlen(tok), &l)
            && mb_signed_path_ok(rest) && l.expires >= 0) {
            /* the rest, signed as a file: it opens exactly that path */
            again = mb_signed_link_make(p, secrets[1], rest, l.expires, l.id,
                                        &v);
            check(again != NULL && strlen(again) == MB_SIGNED_TOKEN_LEN);
            if (l.expires > 0) {
                check(mb_signed_link_verify(again, MB_SIGNED_TOKEN_LEN, rest,
                                            secrets, 2, l.expires - 1, &v)
                      && v.expires == l.expires);
            }
            check(!mb_signed_link_verify(again, MB_SIGNED_TOKEN_LEN, rest,
                                         secrets, 2, l.expires, &v));
            check(mb_signed_link_id_hex(p, &l) != NULL);
        }
    }
    /* the whole input as a token, against a fixed path */
    check(!mb_signed_link_verify((const char *)data, len, "/videos/a.mp4",
                                 secrets, 2, 0, &v));
    if (mb_signed_link_parse((const char *)data, len, &l)) {
        check(len == MB_SIGNED_TOKEN_LEN);
    }
    /* a path accepted as normalized has no '..' or '//' in it */
    if (mb_signed_path_ok(path)) {
        check(path[0] == '/' && strstr(path, "//") == NULL
              && strstr(path, "/../") == NULL && strchr(path, '%') == NULL);
    }
    return 0;
}
