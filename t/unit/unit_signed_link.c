/* Unit tests of signed links for video on demand (src/core/signed_link.c)
 * at their edges. */
#include "mb_signed_link.h"
#include "tap.h"

#include <apr_general.h>
#include <apr_strings.h>
#include <string.h>

static const unsigned char ID[MB_SIGNED_ID_LEN] = {1, 2, 3, 4, 5, 6, 7, 8};

static int opens(const char *tok, const char *path,
                 const mb_hmac_key *const *s, int n, apr_int64_t now)
{
    mb_signed_link got;

    return mb_signed_link_verify(tok, strlen(tok), path, s, n, now, &got);
}

int main(void)
{
    apr_pool_t *p;
    mb_signed_link l, got;
    const mb_hmac_key *cur, *one[1], *rotated[2], *wrong[2];
    const mb_hmac_key *nulls[2] = {NULL, NULL};
    const char *folder, *file, *tok, *rest, *root;
    apr_int64_t exp = 1900000000;
    char *bad, longp[MB_SIGNED_MAX_PATH + 2];
    size_t i;
    int flips = 0, tampered_ok = 0;

    apr_initialize();
    apr_pool_create(&p, NULL);
    cur = mb_hmac_key_make(p, "current-secret");
    one[0] = cur;
    rotated[0] = mb_hmac_key_make(p, "next-secret");
    rotated[1] = cur;
    wrong[0] = rotated[0];
    wrong[1] = mb_hmac_key_make(p, "previous-secret");
    ok(cur && rotated[0] && wrong[1], "keys made from secrets");
    ok(mb_hmac_key_make(p, "") == NULL, "no key from an empty secret");

    folder = mb_signed_link_make(p, cur, "/videos/talk/", exp,
                                 ID, &l);
    ok(folder != NULL && strlen(folder) == MB_SIGNED_TOKEN_LEN,
       "a token has %d characters", MB_SIGNED_TOKEN_LEN);
    ok(l.prefix_len == 13 && l.expires == exp, "the prefix's length is signed");
    /* the documented format (docs/signed-links.md), as another application
     * computes it (Python's hmac, base64.urlsafe_b64encode) */
    ok(folder && !strcmp(folder, "AAAAAHE_swAADQECAwQFBgcI2YB_81lAhN54kOy5U89v2sMpZdUEF39Dgcx9o4XrzS4"),
       "the token of a known secret, prefix, expiry and id");
    ok(mb_signed_link_verify(folder, strlen(folder), "/videos/talk/seg1.ts",
                             one, 1, exp - 1, &got)
           && got.expires == exp && got.prefix_len == 13
           && !memcmp(got.id, ID, MB_SIGNED_ID_LEN),
       "a folder link opens a file in it one second before its expiry");
    ok(opens(folder, "/videos/talk/sub/dir/a.ts", one, 1, exp - 1),
       "... and a file deeper down");
    ok(opens(folder, "/videos/talk/", one, 1, exp - 1), "... and the folder");
    ok(!opens(folder, "/videos/talk/seg1.ts", one, 1, exp),
       "refused at its expiry, to the second");
    ok(!opens(folder, "/videos/talk/seg1.ts", one, 1, exp + 86400),
       "refused after its expiry");
    ok(!opens(folder, "/videos/talks/seg1.ts", one, 1, exp - 1),
       "not a sibling folder sharing the prefix's letters");
    ok(!opens(folder, "/videos/talk", one, 1, exp - 1),
       "not the folder's name without its '/'");
    ok(!opens(folder, "/videos/other/seg1.ts", one, 1, exp - 1),
       "not another folder");
    ok(!opens(folder, "/videos/talk/../secret.mp4", one, 1, exp - 1),
       "'..' refused");
    ok(!opens(folder, "/videos/talk/./a.ts", one, 1, exp - 1), "'.' refused");
    ok(!opens(folder, "/videos/talk//etc/passwd", one, 1, exp - 1),
       "'//' refused");
    ok(!opens(folder, "/videos/talk/%2e%2e/x", one, 1, exp - 1),
       "a '%%' left (doubly encoded) refused");
    ok(!opens(folder, "/videos/talk/a\\..\\b", one, 1, exp - 1),
       "a backslash refused");
    ok(!opens(folder, "/videos/talk/a\nb", one, 1, exp - 1),
       "a control character refused");
    ok(!opens(folder, "", one, 1, exp - 1), "an empty path refused");
    ok(!opens(folder, "videos/talk/a.ts", one, 1, exp - 1),
       "a relative path refused");

    file = mb_signed_link_make(p, cur, "/a/b", exp, ID, &l);
    ok(opens(file, "/a/b", one, 1, exp - 1), "a file link opens its file");
    ok(!opens(file, "/a/bc", one, 1, exp - 1), "'/a/b' does not open '/a/bc'");
    ok(!opens(file, "/a/b/c", one, 1, exp - 1), "... nor '/a/b/c'");
    ok(!opens(file, "/a/", one, 1, exp - 1), "... nor its folder");
    tok = mb_signed_link_make(p, cur, "/a/b/", exp, ID, &l);
    ok(opens(tok, "/a/b/c", one, 1, exp - 1) && !opens(tok, "/a/bc", one, 1,
                                                      exp - 1),
       "'/a/b/' opens '/a/b/c', not '/a/bc'");

    ok(opens(folder, "/videos/talk/a.ts", rotated, 2, exp - 1),
       "accepted under the second of two secrets (rotation)");
    ok(!opens(folder, "/videos/talk/a.ts", wrong, 2, exp - 1),
       "refused under other secrets");
    ok(!opens(folder, "/videos/talk/a.ts", nulls, 2, exp - 1),
       "refused with no secret");
    ok(!opens(folder, "/videos/talk/a.ts", one, 0, exp - 1),
       "refused with zero secrets");

    /* every single changed character is refused */
    bad = apr_pstrdup(p, folder);
    for (i = 0; i < strlen(folder); i++) {
        char c = bad[i];
        bad[i] = c == 'A' ? 'B' : 'A';
        flips++;
        tampered_ok += opens(bad, "/videos/talk/a.ts", one, 1, exp - 1);
        bad[i] = c;
    }
    ok(flips == MB_SIGNED_TOKEN_LEN && tampered_ok == 0,
       "every tampered character refused (%d tried)", flips);
    ok(!opens(apr_pstrndup(p, folder, MB_SIGNED_TOKEN_LEN - 1),
              "/videos/talk/a.ts", one, 1, exp - 1), "a cut token refused");
    ok(!opens(apr_pstrcat(p, folder, "A", NULL), "/videos/talk/a.ts", one, 1,
              exp - 1), "an overlong token refused");
    ok(!opens("", "/videos/talk/a.ts", one, 1, exp - 1),
       "an empty token refused");
    ok(!mb_signed_link_parse(apr_pstrcat(p, apr_pstrndup(p, folder, 66), "=",
                                         NULL), 67, &got),
       "padding refused");

    /* the prefixes a link can be made for */
    ok(mb_signed_link_make(p, cur, "videos/", exp, ID, &l) == NULL,
       "no link for a relative prefix");
    ok(mb_signed_link_make(p, cur, "", exp, ID, &l) == NULL,
       "no link for an empty prefix");
    ok(mb_signed_link_make(p, cur, "/a/../b", exp, ID, &l) == NULL,
       "no link for a prefix with '..'");
    ok(mb_signed_link_make(p, NULL, "/a/", exp, ID, &l) == NULL,
       "no link without a key");
    ok(mb_signed_link_make(p, cur, "/a/", -1, ID, &l) == NULL,
       "no link with a negative expiry");
    root = mb_signed_link_make(p, cur, "/", exp, ID, &l);
    ok(root && opens(root, "/any/file.mp4", one, 1, exp - 1),
       "a link for '/' opens every path");
    longp[0] = '/';
    memset(longp + 1, 'a', MB_SIGNED_MAX_PATH - 1);
    longp[MB_SIGNED_MAX_PATH] = '\0';
    tok = mb_signed_link_make(p, cur, longp, exp, ID, &l);
    ok(tok && opens(tok, longp, one, 1, exp - 1),
       "a prefix of %d bytes is accepted", MB_SIGNED_MAX_PATH);
    longp[MB_SIGNED_MAX_PATH] = 'a';
    longp[MB_SIGNED_MAX_PATH + 1] = '\0';
    ok(mb_signed_link_make(p, cur, longp, exp, ID, &l) == NULL
           && !mb_signed_path_ok(longp),
       "an overlong path (%d bytes) refused", MB_SIGNED_MAX_PATH + 1);
    ok(!strcmp(mb_signed_link_id_hex(p, &got), "0102030405060708"),
       "the id in hex");

    /* finding the token in a URL path */
    ok(mb_signed_path_split(p, apr_pstrcat(p, "/videos/s/", folder,
                                           "/talk/a.ts", NULL), &tok, &rest)
           && !strcmp(tok, folder) && !strcmp(rest, "/videos/talk/a.ts"),
       "/videos/s/<token>/talk/a.ts: the token, and the path without it");
    ok(mb_signed_path_split(p, apr_pstrcat(p, "/s/", folder, "/x", NULL),
                            &tok, &rest) && !strcmp(rest, "/x"),
       "at the root of the site");
    ok(!mb_signed_path_split(p, apr_pstrcat(p, "/videos/s/", folder, NULL),
                             &tok, &rest),
       "nothing after the token: no link");
    ok(!mb_signed_path_split(p, apr_pstrcat(p, "/videos/x/", folder, "/a",
                                            NULL), &tok, &rest),
       "not after another segment than 's'");
    ok(!mb_signed_path_split(p, apr_pstrcat(p, "/videos/s/", folder, "A/a",
                                            NULL), &tok, &rest),
       "not a segment of another length");
    ok(mb_signed_path_split(p, apr_pstrcat(p, "/s/s/", folder, "/a", NULL),
                            &tok, &rest) && !strcmp(rest, "/s/a"),
       "'/s/s/<token>/a': the second 's' is the one");
    ok(!mb_signed_path_split(p, "/videos/talk/a.ts", &tok, &rest),
       "a path without a link");
    ok(!mb_signed_path_split(p, "", &tok, &rest), "an empty path");

    apr_terminate();
    return done_testing();
}
