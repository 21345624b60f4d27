/*
 * mb-link.c -- the command-line tool that mints links mod_broadcast
 * accepts, with the module's own signing code (build/plain/libmbcore.a)
 * and the same secret as the server: signed links to files or folders
 * for broadcast-video (BroadcastVideoSecret, Require broadcast-signed) and
 * viewer links to live streams (BroadcastViewerSecret, the format of the
 * API's POST <loc>/<id>/viewer-link).  `mb-link --help` is its manual.
 */
#include "mb_secret.h"
#include "mb_signed_link.h"
#include "mb_uuid.h"
#include "mb_viewer_token.h"

#include <apr_general.h>
#include <apr_getopt.h>
#include <apr_strings.h>
#include <apr_time.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_LIFETIME (366 * 86400)

static const char usage[] =
"NAME\n"
"    mb-link - mint signed links for mod_broadcast\n"
"\n"
"SYNOPSIS\n"
"    mb-link video  --secret SPEC --base URL --prefix PATH\n"
"                   [--lifetime SECONDS | --expires EPOCH] [--json]\n"
"    mb-link viewer --secret SPEC --base URL --stream ID\n"
"                   [--lifetime SECONDS | --expires EPOCH] [--json]\n"
"    mb-link --help\n"
"\n"
"DESCRIPTION\n"
"    video: a link to one file, or to every file below one folder, of a\n"
"    location with `Require broadcast-signed`, signed with the secret of\n"
"    its BroadcastVideoSecret.  --base is the URL of the location (for\n"
"    example https://example.org/videos); --prefix the URL path signed,\n"
"    inside it: /videos/talk/ (ending in '/': the folder, every file below\n"
"    it, so an HLS playlist's relative segment URIs keep the link) or\n"
"    /videos/talk.mp4 (that file only).  The link printed is\n"
"    <base>/s/<token>/<the rest of the prefix>.\n"
"\n"
"    viewer: a viewer link to a self-hosted live stream, signed with the\n"
"    secret of BroadcastViewerSecret, as the API's POST\n"
"    <loc>/<id>/viewer-link makes it.  --base is BroadcastLiveURL (for\n"
"    example https://example.org/live); the link printed is the player\n"
"    page <base>/t/<token>/<id>/, its live playlist index.m3u8 and the\n"
"    recording vod.m3u8 beside it.  Revoking it needs its token_id (--json).\n"
"\n"
"OPTIONS\n"
"    --secret SPEC    env:NAME or file:PATH (the first line of the file), as\n"
"                     in the server's configuration; at least 16 bytes\n"
"    --lifetime N     seconds from now the link is valid (default 3600, at\n"
"                     most 366 days)\n"
"    --expires EPOCH  the end of validity instead, in seconds since the epoch\n"
"    --json           print {\"url\", \"expires\", \"token_id\"} instead of the URL\n"
"\n"
"EXIT STATUS\n"
"    0 a link was printed; 2 a usage error or a secret that cannot be read.\n"
"    The secret and the token are never printed on standard error.\n";

static int fail(const char *what)
{
    fprintf(stderr, "mb-link: %s (mb-link --help)\n", what);
    return 2;
}

/* The path of URL `base` (after scheme://host), without a trailing '/'. */
static const char *base_path(apr_pool_t *p, const char *base)
{
    const char *s = strstr(base, "://"), *path;
    char *copy;
    apr_size_t n;

    if (s == NULL || s == base) {
        return NULL;
    }
    path = strchr(s + 3, '/');
    copy = apr_pstrdup(p, path ? path : "");
    n = strlen(copy);
    while (n > 0 && copy[n - 1] == '/') {
        copy[--n] = '\0';
    }
    return copy;
}

static char *trimmed(apr_pool_t *p, const char *base)
{
    char *b = apr_pstrdup(p, base);
    apr_size_t n = strlen(b);

    while (n > 0 && b[n - 1] == '/') {
        b[--n] = '\0';
    }
    return b;
}

static int print(const char *url, apr_int64_t expires, const char *id,
                 int as_json)
{
    if (as_json) {
        json_t *o = json_pack("{s:s, s:I, s:s}", "url", url, "expires",
                              (json_int_t)expires, "token_id", id);
        char *text = o ? json_dumps(o, JSON_COMPACT) : NULL;

        if (text == NULL) {
            return fail("out of memory");
        }
        printf("%s\n", text);
        free(text);
        json_decref(o);
    }
    else {
        printf("%s\n", url);
    }
    return 0;
}

int main(int argc, const char *const *argv)
{
    static const apr_getopt_option_t opts[] = {
        {"secret", 's', 1, "secret"},     {"base", 'b', 1, "base URL"},
        {"prefix", 'p', 1, "path"},       {"stream", 'i', 1, "stream id"},
        {"lifetime", 'l', 1, "seconds"},  {"expires", 'e', 1, "epoch"},
        {"json", 'j', 0, "json"},         {"help", 'h', 0, "help"},
        {NULL, 0, 0, NULL}};
    const char *secret_spec = NULL, *base = NULL, *prefix = NULL;
    const char *stream = NULL, *arg, *secret = NULL, *why, *bp, *tok;
    const mb_hmac_key *key;
    apr_int64_t lifetime = 3600, expires = -1;
    apr_pool_t *p;
    apr_getopt_t *g;
    apr_status_t rv;
    int opt, as_json = 0, video;
    char *end;

    apr_app_initialize(&argc, &argv, NULL);
    apr_pool_create(&p, NULL);
    if (argc >= 2 && (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h"))) {
        fputs(usage, stdout);
        return 0;
    }
    if (argc < 2 || (strcmp(argv[1], "video") && strcmp(argv[1], "viewer"))) {
        return fail("the first argument is video or viewer");
    }
    video = !strcmp(argv[1], "video");
    apr_getopt_init(&g, p, argc - 1, argv + 1);
    while ((rv = apr_getopt_long(g, opts, &opt, &arg)) == APR_SUCCESS) {
        switch (opt) {
        case 's': secret_spec = arg; break;
        case 'b': base = arg; break;
        case 'p': prefix = arg; break;
        case 'i': stream = arg; break;
        case 'j': as_json = 1; break;
        case 'h': fputs(usage, stdout); return 0;
        case 'l':
            lifetime = apr_strtoi64(arg, &end, 10);
            if (*arg == '\0' || *end != '\0' || lifetime < 1
                || lifetime > MAX_LIFETIME) {
                return fail("--lifetime: 1 to 31622400 seconds");
            }
            break;
        case 'e':
            expires = apr_strtoi64(arg, &end, 10);
            if (*arg == '\0' || *end != '\0' || expires < 0) {
                return fail("--expires: seconds since the epoch");
            }
            break;
        }
    }
    if (rv != APR_EOF || g->ind != g->argc) {
        return fail("unknown option or argument");
    }
    if (secret_spec == NULL || base == NULL) {
        return fail("--secret and --base are needed");
    }
    if ((why = mb_secret_load_key(p, secret_spec, &secret)) != NULL) {
        return fail(apr_pstrcat(p, "--secret: ", why, NULL));
    }
    if ((bp = base_path(p, base)) == NULL) {
        return fail("--base: a URL, scheme://host/path");
    }
    if (expires < 0) {
        expires = apr_time_sec(apr_time_now()) + lifetime;
    }
    if ((key = mb_hmac_key_make(p, secret)) == NULL) {
        return fail("cannot make an HMAC-SHA256 key (OpenSSL)");
    }

    if (video) {
        unsigned char id[MB_SIGNED_ID_LEN];
        mb_signed_link l;
        apr_size_t n = strlen(bp);

        if (prefix == NULL || strncmp(prefix, bp, n) != 0
            || prefix[n] != '/') {
            return fail("--prefix: a path inside --base's path");
        }
        if (apr_generate_random_bytes(id, sizeof(id)) != APR_SUCCESS) {
            return fail("no random bytes");
        }
        tok = mb_signed_link_make(p, key, prefix, expires, id, &l);
        if (tok == NULL) {
            return fail("--prefix: an absolute URL path without '//', '.', "
                        "'..', '%', '\\' or control characters");
        }
        return print(apr_pstrcat(p, trimmed(p, base), "/s/", tok,
                                 prefix + n, NULL),
                     expires, mb_signed_link_id_hex(p, &l), as_json);
    }
    else {
        mb_viewer_token t;

        if (stream == NULL || !mb_uuid_valid(stream)) {
            return fail("--stream: the stream's id (a UUID)");
        }
        t.expires = expires;
        t.issued = apr_time_now();     /* "revoke all" compares it */
        if (apr_generate_random_bytes(t.id, sizeof(t.id)) != APR_SUCCESS) {
            return fail("no random bytes");
        }
        if ((tok = mb_viewer_token_make(p, key, stream, &t)) == NULL) {
            return fail("cannot sign (OpenSSL)");
        }
        return print(apr_pstrcat(p, trimmed(p, base), "/t/", tok, "/",
                                 stream, "/", NULL),
                     expires, mb_viewer_token_id_hex(p, &t), as_json);
    }
}
