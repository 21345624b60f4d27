/*
 * watch/directives.c -- the watch log's directives: BroadcastWatchLog (per
 * directory, src/config/watch.h) and the writer's process-wide settings,
 * BroadcastWatchLogQueue, BroadcastWatchLogFlush, BroadcastWatchLogReport,
 * with their defaults (this file is the one place of them).
 */
#include "watch/watch.h"
#include "watch/queue.h"
#include "status/status.h"
#include "mb_number.h"

#include <apr_strings.h>

#define DEFAULT_QUEUE   10000   /* rows per child                     */
#define DEFAULT_FLUSH   500     /* ms a row may wait for its batch    */
#define DEFAULT_REPORT  60      /* s between two reports of drops     */

static mb_watch_settings settings;

const mb_watch_settings *mb_watch_settings_get(void)
{
    return &settings;
}

/* Every (re)reading of the configuration starts from the defaults. */
int mb_watch_pre_config(apr_pool_t *pconf, apr_pool_t *plog,
                        apr_pool_t *ptemp)
{
    (void)pconf;
    (void)plog;
    (void)ptemp;
    settings.used = 0;
    settings.queue_max = DEFAULT_QUEUE;
    settings.flush_wait = apr_time_from_msec(DEFAULT_FLUSH);
    settings.report_every = apr_time_from_sec(DEFAULT_REPORT);
    return OK;
}

/* BroadcastWatchLog On also prepares the status page's queries: the page
 * reads the log of its server. */
const char *mb_cmd_watch_log(cmd_parms *cmd, void *dcfg, int on)
{
    mb_dir_conf *conf = dcfg;

    conf->watch.log = on ? 1 : 0;
    if (on) {
        const char *err;

        settings.used = 1;
        if ((err = mb_watch_sql_require(cmd)) != NULL) {
            return err;
        }
        return mb_status_queries_require(cmd);
    }
    return NULL;
}

/* A whole number in [lo, hi] for a global directive. */
static const char *global_number(cmd_parms *cmd, const char *arg, long lo,
                                 long hi, long *out)
{
    const char *err = ap_check_cmd_context(cmd, GLOBAL_ONLY);
    apr_int64_t v;

    if (err) {
        return err;
    }
    if (mb_int_parse(arg, lo, hi, &v)) {
        return apr_psprintf(cmd->pool, "%s: '%s' is not a number from %ld "
                            "to %ld", cmd->cmd->name, arg, lo, hi);
    }
    *out = (long)v;
    return NULL;
}

const char *mb_cmd_watch_queue(cmd_parms *cmd, void *dcfg, const char *arg)
{
    long v = 0;
    const char *err = global_number(cmd, arg, 10, 1000000, &v);

    (void)dcfg;
    if (!err) {
        settings.queue_max = (int)v;
    }
    return err;
}

const char *mb_cmd_watch_flush(cmd_parms *cmd, void *dcfg, const char *arg)
{
    long v = 0;
    const char *err = global_number(cmd, arg, 0, 600000, &v);

    (void)dcfg;
    if (!err) {
        settings.flush_wait = apr_time_from_msec(v);
    }
    return err;
}

const char *mb_cmd_watch_report(cmd_parms *cmd, void *dcfg,
                                const char *arg)
{
    long v = 0;
    const char *err = global_number(cmd, arg, 1, 86400, &v);

    (void)dcfg;
    if (!err) {
        settings.report_every = apr_time_from_sec(v);
    }
    return err;
}
