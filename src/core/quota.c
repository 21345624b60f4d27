/*
 * quota.c -- the running count of a live stream's bytes (see
 * include/mb_quota.h).
 */
#include "mb_quota.h"
#include "mb_hls.h"
#include "mb_number.h"

#include <apr_strings.h>
#include <string.h>

struct mb_quota {
    apr_pool_t *p;
    apr_file_t *f; /* <dir>/.usage, locked; NULL once closed */
    apr_off_t used;
};

apr_status_t mb_quota_scan(const char *dir, apr_pool_t *p, apr_off_t *used)
{
    apr_dir_t *d;
    apr_finfo_t fi;
    apr_status_t rv;
    apr_off_t sum = 0;

    rv = apr_dir_open(&d, dir, p);
    if (rv != APR_SUCCESS) {
        return rv;
    }
    while ((rv = apr_dir_read(&fi,
                              APR_FINFO_NAME | APR_FINFO_TYPE | APR_FINFO_SIZE,
                              d)) == APR_SUCCESS ||
           rv == APR_INCOMPLETE) {
        if (rv == APR_SUCCESS && fi.filetype == APR_REG &&
            mb_hls_check_name(fi.name) == MB_HLS_NAME_OK) {
            sum += fi.size;
        }
    }
    apr_dir_close(d);
    if (!APR_STATUS_IS_ENOENT(rv)) {
        return rv;
    }
    *used = sum;
    return APR_SUCCESS;
}

static apr_status_t unlock_quota(void *data)
{
    mb_quota *q = data;

    if (q->f != NULL) {
        apr_file_unlock(q->f);
        apr_file_close(q->f);
        q->f = NULL;
    }
    return APR_SUCCESS;
}

/* The count written in the file, or -1 when there is none that parses. */
static apr_off_t read_count(apr_file_t *f)
{
    char buf[32];
    const char *end;
    apr_size_t n = sizeof(buf) - 1;
    apr_int64_t v;

    if (apr_file_read(f, buf, &n) != APR_SUCCESS || n == 0) {
        return -1;
    }
    buf[n] = '\0';
    end = mb_digits_parse(buf, &v); /* as mb_quota_set writes it */
    return end && *end == '\n' ? (apr_off_t)v : -1;
}

apr_status_t mb_quota_open(mb_quota **qp, const char *dir, apr_pool_t *p)
{
    mb_quota *q = apr_pcalloc(p, sizeof(*q));
    apr_status_t rv;

    q->p = p;
    rv = apr_file_open(
        &q->f, apr_pstrcat(p, dir, "/" MB_QUOTA_FILE, NULL),
        APR_FOPEN_READ | APR_FOPEN_WRITE | APR_FOPEN_CREATE | APR_FOPEN_BINARY,
        APR_FPROT_UREAD | APR_FPROT_UWRITE | APR_FPROT_GREAD | APR_FPROT_WREAD,
        p);
    if (rv != APR_SUCCESS) {
        return rv;
    }
    rv = apr_file_lock(q->f, APR_FLOCK_EXCLUSIVE);
    if (rv != APR_SUCCESS) {
        apr_file_close(q->f);
        return rv;
    }
    apr_pool_cleanup_register(p, q, unlock_quota, apr_pool_cleanup_null);
    q->used = read_count(q->f);
    if (q->used < 0) { /* new, or torn: rebuilt once */
        rv = mb_quota_scan(dir, p, &q->used);
        if (rv == APR_SUCCESS) {
            rv = mb_quota_set(q, q->used);
        }
        if (rv != APR_SUCCESS) {
            mb_quota_close(q);
            return rv;
        }
    }
    *qp = q;
    return APR_SUCCESS;
}

apr_off_t mb_quota_used(const mb_quota *q)
{
    return q->used;
}

apr_status_t mb_quota_set(mb_quota *q, apr_off_t used)
{
    char *text;
    apr_off_t at = 0;
    apr_status_t rv;

    q->used = used > 0 ? used : 0;
    text = apr_psprintf(q->p, "%" APR_OFF_T_FMT "\n", q->used);
    rv = apr_file_trunc(q->f, 0);
    if (rv == APR_SUCCESS) {
        rv = apr_file_seek(q->f, APR_SET, &at);
    }
    if (rv == APR_SUCCESS) {
        rv = apr_file_write_full(q->f, text, strlen(text), NULL);
    }
    return rv;
}

void mb_quota_close(mb_quota *q)
{
    apr_pool_cleanup_run(q->p, q, unlock_quota);
}
