/*
 * metrics/shm.c -- the table of counters in shared memory.
 *
 * One anonymous segment, created by the parent in its first post_config
 * and kept in the process pool (not the configuration pool, which every
 * restart clears): a graceful restart finds it again, so the counters
 * keep counting, and old and new generations of children count into the
 * same table.  Children inherit the mapping over fork; child_init takes
 * its address.
 */
#include "metrics/metrics.h"

#include <apr_shm.h>
#include <string.h>

APLOG_USE_MODULE(broadcast);

#define SHM_KEY "mod_broadcast-metrics-shm"

static mb_metrics_table *table;

static mb_metrics_table *find(server_rec *s)
{
    apr_shm_t *shm = NULL;

    apr_pool_userdata_get((void **)&shm, SHM_KEY, s->process->pool);
    return shm ? apr_shm_baseaddr_get(shm) : NULL;
}

int mb_metrics_post_config(apr_pool_t *pconf, apr_pool_t *plog,
                           apr_pool_t *ptemp, server_rec *s)
{
    apr_shm_t *shm;
    apr_status_t rv;

    (void)pconf;
    (void)plog;
    (void)ptemp;
    if ((table = find(s)) != NULL) {
        return OK;                              /* a restart: keep it */
    }
    rv = apr_shm_create(&shm, sizeof(mb_metrics_table), NULL,
                        s->process->pool);
    if (rv != APR_SUCCESS) {
        ap_log_error(APLOG_MARK, APLOG_CRIT, rv, s,
                     MBLOGNO(3200) "cannot create the metrics' shared "
                     "memory (%" APR_SIZE_T_FMT " bytes)",
                     sizeof(mb_metrics_table));
        return HTTP_INTERNAL_SERVER_ERROR;
    }
    table = apr_shm_baseaddr_get(shm);
    memset(table, 0, sizeof(*table));
    apr_pool_userdata_set(shm, SHM_KEY, apr_pool_cleanup_null,
                          s->process->pool);
    return OK;
}

void mb_metrics_child_init(apr_pool_t *pchild, server_rec *s)
{
    (void)pchild;
    table = find(s);
}

mb_metrics_table *mb_metrics_shared(void)
{
    return table;
}

void mb_metrics_count(int i, apr_int64_t n)
{
    mb_metrics_add(table, i, n);
}

void mb_metrics_count_sts(int ok, apr_time_t us)
{
    mb_metrics_sts(table, ok, us > 0 ? (apr_uint64_t)us : 0);
}

void mb_metrics_count_upload(apr_off_t bytes)
{
    mb_metrics_add(table, MB_M_UPLOADS, 1);
    mb_metrics_add(table, MB_M_UPLOAD_BYTES, (apr_int64_t)bytes);
}

void mb_metrics_count_watch_batch(int written, int lost)
{
    mb_metrics_add(table, MB_M_WATCH_WRITTEN, written);
    if (lost > 0) {         /* the database failed the batch */
        mb_metrics_add(table, MB_M_DB_ERRORS, 1);
    }
    mb_metrics_add(table, MB_M_WATCH_QUEUED, -(apr_int64_t)(written + lost));
}
