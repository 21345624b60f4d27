/* Unit tests of path confinement (src/core/path.c). */
#include "mb_path.h"
#include "tap.h"

#include <apr_strings.h>
#include <apr_portable.h>
#include <fcntl.h>
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

    /* mb_path_open: the descriptor of exactly what was checked */
    {
        apr_pool_t *sp;
        apr_file_t *f = NULL;
        apr_finfo_t fi;
        apr_os_file_t osf = -1;
        struct stat st;
        const char *in = apr_pstrcat(p, root, "/in.txt", NULL);
        apr_status_t err = APR_SUCCESS;
        int flags = APR_FOPEN_READ | APR_FOPEN_BINARY;

        apr_pool_create(&sp, p);
        stat(in, &st);
        ok(mb_path_open(sp, root, in, flags, &res, &f, &err) == MB_PATH_OK
               && strcmp(res, in) == 0
               && apr_file_info_get(&fi, APR_FINFO_MIN | APR_FINFO_IDENT, f)
                      == APR_SUCCESS
               && fi.inode == st.st_ino && fi.filetype == APR_REG,
           "open: plain file inside, the same inode");
        apr_os_file_get(&osf, f);
        ok(osf >= 0 && fcntl(osf, F_GETFD) != -1, "open: a live descriptor");
        apr_pool_destroy(sp);
        ok(fcntl(osf, F_GETFD) == -1, "open: closed with its pool");

        apr_pool_create(&sp, p);
        ok(mb_path_open(sp, root, apr_pstrcat(p, root, "/link-in", NULL),
                        flags, &res, &f, &err) == MB_PATH_OK
               && strcmp(res, in) == 0,
           "open: symlink inside the root opens its target");
        ok(mb_path_open(sp, root, apr_pstrcat(p, root, "/link-out", NULL),
                        flags, &res, &f, &err) == MB_PATH_OUTSIDE,
           "open: symlink out of the root");
        ok(mb_path_open(sp, root,
                        apr_pstrcat(p, root, "/link-slash/etc/passwd", NULL),
                        flags, &res, &f, &err) == MB_PATH_OUTSIDE,
           "open: symlinked directory out of the root");
        ok(mb_path_open(sp, root, apr_pstrcat(p, root, "/nope", NULL),
                        flags, &res, &f, &err) == MB_PATH_NOTFOUND,
           "open: missing file");
        mkfifo(apr_pstrcat(p, root, "/fifo", NULL), 0644);
        ok(mb_path_open(sp, root, apr_pstrcat(p, root, "/fifo", NULL),
                        flags, &res, &f, &err) == MB_PATH_OK
               && apr_file_info_get(&fi, APR_FINFO_TYPE, f) == APR_SUCCESS
               && fi.filetype == APR_PIPE,
           "open: a fifo opens without blocking, and says what it is");
        ok(mb_path_open(sp, root, root, flags, &res, &f, &err) == MB_PATH_OK
               && apr_file_info_get(&fi, APR_FINFO_TYPE, f) == APR_SUCCESS
               && fi.filetype == APR_DIR,
           "open: the root itself is a directory");
        ok(mb_path_open(sp, "/", "/etc/passwd", flags, &res, &f, &err)
               == MB_PATH_OK, "open: root / contains everything");
        /* the one-call way (no symlink on the path) and the resolving way
         * (one on it) both hand back a blocking descriptor and the
         * canonical name */
        mkdir(apr_pstrcat(p, root, "/sub", NULL), 0755);
        fclose(fopen(apr_pstrcat(p, root, "/sub/in2.txt", NULL), "w"));
        symlink("sub", apr_pstrcat(p, root, "/sub-link", NULL));
        ok(mb_path_open(sp, root, apr_pstrcat(p, root, "/sub/in2.txt", NULL),
                        flags, &res, &f, &err) == MB_PATH_OK
               && apr_os_file_get(&osf, f) == APR_SUCCESS
               && !(fcntl(osf, F_GETFL) & O_NONBLOCK),
           "open: a plain path, blocking descriptor");
        ok(mb_path_open(sp, root, apr_pstrcat(p, root, "/sub-link/in2.txt", NULL),
                        flags, &res, &f, &err) == MB_PATH_OK
               && !strcmp(res, apr_pstrcat(p, root, "/sub/in2.txt", NULL))
               && apr_os_file_get(&osf, f) == APR_SUCCESS
               && !(fcntl(osf, F_GETFL) & O_NONBLOCK),
           "open: a symlinked directory inside, its canonical name, blocking");
        ok(mb_path_open(sp, root, apr_pstrcat(p, root, "/./sub//in2.txt", NULL),
                        flags, &res, &f, &err) == MB_PATH_OK
               && !strcmp(res, apr_pstrcat(p, root, "/sub/in2.txt", NULL)),
           "open: '.' and '//' in the path, the canonical name");
        ok(mb_path_open(sp, root, apr_pstrcat(p, root, "/sub/../../secret.txt", NULL),
                        flags, &res, &f, &err) == MB_PATH_OUTSIDE,
           "open: '..' out of the root");
        ok(mb_path_open(sp, root, apr_pstrcat(p, root, "/in.txt/x", NULL),
                        flags, &res, &f, &err) == MB_PATH_NOTFOUND,
           "open: a file used as a directory");
        ok(mb_path_open(sp, root, apr_pstrcat(p, dir, "/root-evil/x.txt", NULL),
                        flags, &res, &f, &err) == MB_PATH_OUTSIDE,
           "open: a sibling with the root as name prefix");
        /* a root that is (now) a symlink is not followed */
        symlink(root, apr_pstrcat(p, dir, "/root-link", NULL));
        ok(mb_path_open(sp, apr_pstrcat(p, dir, "/root-link", NULL),
                        apr_pstrcat(p, dir, "/root-link/in.txt", NULL),
                        flags, &res, &f, &err) != MB_PATH_OK,
           "open: a root that is a symlink is refused");
        apr_pool_destroy(sp);
    }

    if (system(apr_pstrcat(p, "rm -rf ", dir, NULL)) != 0) {
        ok(0, "cleanup");
    }
    apr_pool_destroy(p);
    apr_terminate();
    return done_testing();
}
