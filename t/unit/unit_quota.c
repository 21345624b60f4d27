/* Unit tests of the running count of a live stream's bytes (src/core/quota.c):
 * rebuilt from the directory, read back, and right when processes and
 * threads change it at once. */
#include "mb_quota.h"
#include "tap.h"

#include <apr_strings.h>
#include <apr_thread_proc.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#define ROUNDS 200

static const char *dir;

static void put_file(apr_pool_t *p, const char *name, apr_size_t n)
{
    apr_file_t *f;
    char *data = apr_palloc(p, n + 1);

    memset(data, 'x', n);
    apr_file_open(&f, apr_pstrcat(p, dir, "/", name, NULL),
                  APR_FOPEN_WRITE | APR_FOPEN_CREATE | APR_FOPEN_TRUNCATE,
                  APR_OS_DEFAULT, p);
    apr_file_write_full(f, data, n, NULL);
    apr_file_close(f);
}

static void put_text(apr_pool_t *p, const char *name, const char *text)
{
    apr_file_t *f;

    apr_file_open(&f, apr_pstrcat(p, dir, "/", name, NULL),
                  APR_FOPEN_WRITE | APR_FOPEN_CREATE | APR_FOPEN_TRUNCATE,
                  APR_OS_DEFAULT, p);
    apr_file_write_full(f, text, strlen(text), NULL);
    apr_file_close(f);
}

/* ROUNDS increments by one, each under the lock */
static int add_rounds(void)
{
    apr_pool_t *p;
    int i, bad = 0;

    apr_pool_create(&p, NULL);
    for (i = 0; i < ROUNDS; i++) {
        mb_quota *q;

        if (mb_quota_open(&q, dir, p) != APR_SUCCESS ||
            mb_quota_set(q, mb_quota_used(q) + 1) != APR_SUCCESS) {
            bad++;
            continue;
        }
        mb_quota_close(q);
    }
    apr_pool_destroy(p);
    return bad;
}

static void *APR_THREAD_FUNC thread_rounds(apr_thread_t *t, void *data)
{
    (void)data;
    apr_thread_exit(t, add_rounds() == 0 ? APR_SUCCESS : APR_EGENERAL);
    return NULL;
}

static apr_off_t count_now(apr_pool_t *p)
{
    mb_quota *q;
    apr_off_t v = -1;

    if (mb_quota_open(&q, dir, p) == APR_SUCCESS) {
        v = mb_quota_used(q);
        mb_quota_close(q);
    }
    return v;
}

int main(void)
{
    apr_pool_t *p;
    apr_thread_t *th[4];
    apr_threadattr_t *ta;
    mb_quota *q;
    char tmpl[] = "/tmp/mb-quota-XXXXXX";
    apr_off_t used = -1;
    apr_status_t rv;
    int i, bad = 0, status;
    pid_t kids[4];

    apr_initialize();
    apr_pool_create(&p, NULL);
    dir = mkdtemp(tmpl);
    ok(dir != NULL, "a scratch directory");

    put_file(p, "seg0.ts", 1000);
    put_file(p, "index.m3u8", 234);
    put_file(p, ".journal", 5000);       /* the module's own: not counted */
    put_file(p, ".upload-abc123", 7000); /* an upload in progress */
    put_file(p, "evil.php", 9);          /* not an uploadable name */
    ok(mb_quota_scan(dir, p, &used) == APR_SUCCESS && used == 1234,
       "scan: the uploaded files only (%" APR_OFF_T_FMT ")", used);
    ok(count_now(p) == 1234, "no count yet: rebuilt from the directory");

    put_file(p, "seg1.ts", 500); /* not through the count */
    ok(count_now(p) == 1234, "then kept: no directory scan on each open");

    ok(mb_quota_open(&q, dir, p) == APR_SUCCESS &&
           mb_quota_set(q, 42) == APR_SUCCESS,
       "set");
    mb_quota_close(q);
    ok(count_now(p) == 42, "read back");
    ok(mb_quota_open(&q, dir, p) == APR_SUCCESS &&
           mb_quota_set(q, -5) == APR_SUCCESS && mb_quota_used(q) == 0,
       "never below 0");
    mb_quota_close(q);

    put_file(p, ".usage", 3); /* torn: "xxx" */
    ok(count_now(p) == 1734, "a count that does not parse is rebuilt");
    put_text(p, ".usage", "99999999999999999999\n");
    ok(count_now(p) == 1734, "a count past INT64_MAX is rebuilt, not taken "
                             "as INT64_MAX");
    put_text(p, ".usage", " +7\n");
    ok(count_now(p) == 1734, "a count with a space or a sign is rebuilt "
                             "(mb_quota_set writes digits only)");
    put_text(p, ".usage", "1734\n");

    /* four processes and four threads, ROUNDS increments each */
    ok(mb_quota_open(&q, dir, p) == APR_SUCCESS &&
           mb_quota_set(q, 0) == APR_SUCCESS,
       "reset");
    mb_quota_close(q);
    for (i = 0; i < 4; i++) {
        kids[i] = fork();
        if (kids[i] == 0) {
            _exit(add_rounds() ? 1 : 0);
        }
    }
    apr_threadattr_create(&ta, p);
    for (i = 0; i < 4; i++) {
        apr_thread_create(&th[i], ta, thread_rounds, NULL, p);
    }
    for (i = 0; i < 4; i++) {
        apr_thread_join(&rv, th[i]);
        bad += rv != APR_SUCCESS;
        waitpid(kids[i], &status, 0);
        bad += !WIFEXITED(status) || WEXITSTATUS(status) != 0;
    }
    ok(bad == 0, "every change under the lock succeeded");
    used = count_now(p);
    ok(used == 8 * ROUNDS,
       "4 processes x 4 threads: the count is exact (%" APR_OFF_T_FMT " of %d)",
       used, 8 * ROUNDS);

    /* clean up */
    {
        apr_dir_t *d;
        apr_finfo_t fi;

        if (apr_dir_open(&d, dir, p) == APR_SUCCESS) {
            while (apr_dir_read(&fi, APR_FINFO_NAME, d) == APR_SUCCESS) {
                if (strcmp(fi.name, ".") && strcmp(fi.name, "..")) {
                    apr_file_remove(apr_pstrcat(p, dir, "/", fi.name, NULL), p);
                }
            }
            apr_dir_close(d);
        }
        apr_dir_remove(dir, p);
    }
    apr_pool_destroy(p);
    apr_terminate();
    return done_testing();
}
