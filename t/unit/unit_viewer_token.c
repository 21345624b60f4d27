/* Unit tests of viewer tokens (src/core/viewer_token.c) at their edges. */
#include "mb_viewer_token.h"
#include "tap.h"

#include <apr_general.h>
#include <apr_strings.h>
#include <string.h>

#define ID "0b7a9c52-9b3f-4b8e-a1d2-3c4d5e6f7a8b"
#define OTHER "0b7a9c52-9b3f-4b8e-a1d2-3c4d5e6f7a8c"

static const char b64url[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

int main(void)
{
    apr_pool_t *p;
    mb_viewer_token t, got;
    const char *tok, *hex;
    const mb_hmac_key *cur, *one[1], *two[2], *rotated[2], *wrong[2];
    const mb_hmac_key *nulls[2] = {NULL, NULL};
    apr_int64_t exp = 1900000000;
    char *bad;
    size_t i;
    int tampered_ok = 0, flips = 0;

    apr_initialize();
    apr_pool_create(&p, NULL);
    cur = mb_hmac_key_make(p, "current-secret");
    one[0] = two[0] = rotated[1] = cur;
    two[1] = wrong[1] = mb_hmac_key_make(p, "previous-secret");
    rotated[0] = wrong[0] = mb_hmac_key_make(p, "next-secret");
    ok(cur != NULL && two[1] != NULL && wrong[0] != NULL,
       "the secrets are keyed");
    t.expires = exp;
    t.issued = (apr_int64_t)1800000000 * 1000000 + 123456;
    for (i = 0; i < MB_VIEWER_ID_LEN; i++) {
        t.id[i] = (unsigned char)(0xf0 + i);
    }

    tok = mb_viewer_token_make(p, cur, ID, &t);
    /* known answer, from Python's hmac and base64: the format
     * base64url(expiry issued id HMAC-SHA256("current-secret",
     * "mb-viewer-2" NUL ID NUL expiry issued id)) */
    ok(tok && !strcmp(tok, "AAAAAHE_swAABmUXKJpiQPDx8vP09fb3-Pn6-_z9_v_k0MPYo"
                           "iIxdeDLNdph3sn_okiMtWpoGypl-HgSiy-_SA"),
       "the known answer: the token's format");
    ok(tok != NULL && strlen(tok) == MB_VIEWER_TOKEN_LEN,
       "a token has %d characters", MB_VIEWER_TOKEN_LEN);
    ok(tok && strspn(tok, b64url) == strlen(tok),
       "base64url only: safe in a URL path segment");
    ok(mb_viewer_token_verify(tok, strlen(tok), ID, one, 1, exp - 1, &got)
           && got.expires == exp && got.issued == t.issued
           && !memcmp(got.id, t.id, MB_VIEWER_ID_LEN),
       "valid one second before its expiry, expiry, issue time and id read "
       "back");
    ok(!mb_viewer_token_verify(tok, strlen(tok), ID, one, 1, exp, &got),
       "refused at its expiry");
    ok(!mb_viewer_token_verify(tok, strlen(tok), ID, one, 1, exp + 86400,
                               &got), "refused after its expiry");
    ok(!mb_viewer_token_verify(tok, strlen(tok), OTHER, one, 1, exp - 1,
                               &got), "refused for another stream");
    ok(!mb_viewer_token_verify(tok, strlen(tok), "", one, 1, exp - 1, &got),
       "refused for an empty stream id");
    ok(mb_viewer_token_verify(tok, strlen(tok), ID, two, 2, exp - 1, &got),
       "accepted under the first of two secrets");
    ok(mb_viewer_token_verify(tok, strlen(tok), ID, rotated, 2, exp - 1,
                              &got),
       "accepted under the second of two secrets (rotation)");
    ok(!mb_viewer_token_verify(tok, strlen(tok), ID, wrong, 2, exp - 1, &got),
       "refused under other secrets");
    ok(!mb_viewer_token_verify(tok, strlen(tok), ID, nulls, 2, exp - 1, &got)
           && !mb_viewer_token_verify(tok, strlen(tok), ID, one, 0, exp - 1,
                                      &got),
       "refused with no secret");
    ok(!mb_viewer_token_verify(tok, strlen(tok) - 1, ID, one, 1, exp - 1,
                               &got), "a cut token is refused");

    /* every character changed to every other: refused (the last character
     * carries 4 unused bits, a spelling that keeps the bytes is refused too) */
    bad = apr_pstrdup(p, tok);
    for (i = 0; i < MB_VIEWER_TOKEN_LEN; i++) {
        const char *c;
        for (c = b64url; *c; c++) {
            if (*c == tok[i]) {
                continue;
            }
            bad[i] = *c;
            flips++;
            tampered_ok += mb_viewer_token_verify(bad, MB_VIEWER_TOKEN_LEN, ID,
                                                  two, 2, exp - 1, &got);
        }
        bad[i] = tok[i];
    }
    ok(tampered_ok == 0, "none of %d tampered tokens is accepted", flips);
    bad[10] = '+';
    ok(!mb_viewer_token_parse(bad, MB_VIEWER_TOKEN_LEN, &got),
       "'+' (base64, not base64url) is not a token");
    bad[10] = '/';
    ok(!mb_viewer_token_parse(bad, MB_VIEWER_TOKEN_LEN, &got),
       "'/' is not a token");
    bad[10] = tok[10];
    ok(mb_viewer_token_parse(bad, MB_VIEWER_TOKEN_LEN, &got)
           && got.expires == exp, "parse reads the expiry without a secret");
    ok(!mb_viewer_token_parse("", 0, &got), "the empty string is not a token");

    /* the expiry is signed: a token made for later does not verify with
     * another token's signature */
    t.expires = exp + 1;
    ok(strcmp(mb_viewer_token_make(p, cur, ID, &t), tok) != 0,
       "another expiry, another token");
    t.expires = exp;
    t.issued++;
    ok(strcmp(mb_viewer_token_make(p, cur, ID, &t), tok) != 0,
       "another issue time (one microsecond later), another token");
    t.issued--;
    ok(mb_hmac_key_make(p, "") == NULL && mb_hmac_key_make(p, NULL) == NULL,
       "no key from an empty secret");
    ok(mb_viewer_token_make(p, NULL, ID, &t) == NULL, "no token without a key");
    ok(mb_viewer_token_make(p, cur,
                            "an-id-longer-than-sixty-four-bytes-is-no-stream-id-"
                            "of-this-module", &t) == NULL,
       "no token for an over-long stream id");
    t.expires = 0;
    tok = mb_viewer_token_make(p, cur, ID, &t);
    ok(tok && !mb_viewer_token_verify(tok, strlen(tok), ID, one, 1, 0, &got),
       "a token expiring at 0 is expired at 0");

    hex = mb_viewer_token_id_hex(p, &got);
    (void)hex;
    hex = mb_viewer_token_id_hex(p, &t);
    ok(!strcmp(hex, "f0f1f2f3f4f5f6f7f8f9fafbfcfdfeff"), "token id in hex: %s",
       hex);

    {
        const char *tk = NULL;
        apr_size_t tl = 0;
        ok(mb_viewer_path_token("/live/t/ABC/" ID "/index.m3u8", &tk, &tl)
               && tl == 3 && !strncmp(tk, "ABC/", 4),
           "the token of /live/t/<token>/<id>/<file>");
        ok(mb_viewer_path_token("/t/ABC/" ID "/", &tk, &tl) && tl == 3,
           "... and of the player page /t/<token>/<id>/");
        ok(!mb_viewer_path_token("/live/" ID "/index.m3u8", &tk, &tl),
           "no token in /live/<id>/<file>");
        ok(!mb_viewer_path_token("/live/t//" ID "/index.m3u8", &tk, &tl),
           "an empty token segment is no token");
        ok(!mb_viewer_path_token("/live/tt/ABC/" ID "/x.ts", &tk, &tl)
               && !mb_viewer_path_token("/live/xt/ABC/" ID "/x.ts", &tk, &tl),
           "only a segment exactly 't' announces a token");
        ok(!mb_viewer_path_token("t/ABC/" ID "/x.ts", &tk, &tl)
               && !mb_viewer_path_token("", &tk, &tl)
               && !mb_viewer_path_token("/", &tk, &tl),
           "too few segments: no token");
    }

    apr_pool_destroy(p);
    apr_terminate();
    return done_testing();
}
