/* Unit tests of path confinement (src/path.c). */
#include "mb_path.h"
#include "tap.h"

#include <apr_strings.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>

static void rel(const char *s, mb_path_e want)
{
    ok(mb_path_check_relative(s) == want, "relative '%s' -> %d", s, (int)want);
}

int main(void)
{
    apr_pool_t *p;
    char tmpl[] = "/tmp/mb-unit-XXXXXX";
    const char *dir, *root, *res = NULL;
    char buf[8192];

    apr_initialize();
    apr_pool_create(&p, NULL);

    rel("a.mp4", MB_PATH_OK);
    rel("movies/a.mp4", MB_PATH_OK);
    rel("a..b.mp4", MB_PATH_OK);
    rel(".hidden", MB_PATH_OK);
    rel("", MB_PATH_BAD);
    rel("/etc/passwd", MB_PATH_BAD);
    rel("../etc/passwd", MB_PATH_BAD);
    rel("a/../../b", MB_PATH_BAD);
    rel("a/./b", MB_PATH_BAD);
    rel("..", MB_PATH_BAD);
    rel(".", MB_PATH_BAD);
    rel("a//b", MB_PATH_BAD);
    rel("a/", MB_PATH_BAD);
    rel("a\\..\\b", MB_PATH_BAD);
    rel("a%2e%2e", MB_PATH_BAD);
    rel("a\nb", MB_PATH_BAD);
    rel("a\x7f", MB_PATH_BAD);
    memset(buf, 'a', sizeof(buf) - 1);
    buf[sizeof(buf) - 1] = '\0';
    rel(buf, MB_PATH_BAD);

    dir = mkdtemp(tmpl);
    ok(dir != NULL, "temporary directory");
    mkdir(apr_pstrcat(p, dir, "/root", NULL), 0755);
    mkdir(apr_pstrcat(p, dir, "/root-evil", NULL), 0755);
    fclose(fopen(apr_pstrcat(p, dir, "/root/in.txt", NULL), "w"));
    fclose(fopen(apr_pstrcat(p, dir, "/root-evil/x.txt", NULL), "w"));
    fclose(fopen(apr_pstrcat(p, dir, "/secret.txt", NULL), "w"));
    symlink("in.txt", apr_pstrcat(p, dir, "/root/link-in", NULL));
    symlink("../secret.txt", apr_pstrcat(p, dir, "/root/link-out", NULL));
    symlink("../root-evil/x.txt", apr_pstrcat(p, dir, "/root/link-prefix", NULL));
    symlink("/", apr_pstrcat(p, dir, "/root/link-slash", NULL));

    root = mb_path_realpath(p, apr_pstrcat(p, dir, "/root", NULL));
    ok(root != NULL, "root resolves");
    ok(mb_path_confine(p, root, apr_pstrcat(p, root, "/in.txt", NULL), &res)
           == MB_PATH_OK && strcmp(res, apr_pstrcat(p, root, "/in.txt", NULL)) == 0,
       "plain file inside");
    ok(mb_path_confine(p, root, apr_pstrcat(p, root, "/link-in", NULL), &res)
           == MB_PATH_OK, "symlink inside the root");
    ok(mb_path_confine(p, root, apr_pstrcat(p, root, "/link-out", NULL), &res)
           == MB_PATH_OUTSIDE, "symlink out of the root");
    ok(mb_path_confine(p, root, apr_pstrcat(p, root, "/link-prefix", NULL), &res)
           == MB_PATH_OUTSIDE, "sibling with the root as name prefix");
    ok(mb_path_confine(p, root, apr_pstrcat(p, root, "/link-slash/etc/passwd", NULL), &res)
           == MB_PATH_OUTSIDE, "symlinked directory out of the root");
    ok(mb_path_confine(p, root, apr_pstrcat(p, root, "/nope", NULL), &res)
           == MB_PATH_NOTFOUND, "missing file");
    ok(mb_path_confine(p, root, apr_pstrcat(p, root, "/in.txt/x", NULL), &res)
           == MB_PATH_NOTFOUND, "file used as a directory");
    ok(mb_path_confine(p, "/", "/etc/passwd", &res) == MB_PATH_OK,
       "root / contains everything");

    if (system(apr_pstrcat(p, "rm -rf ", dir, NULL)) != 0) {
        ok(0, "cleanup");
    }
    apr_pool_destroy(p);
    apr_terminate();
    return done_testing();
}
