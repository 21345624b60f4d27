/*
 * config/watch.c -- the watch log's per-directory configuration: creation,
 * merging and the default (see src/config/watch.h).  APR only.
 */
#include "mb_private.h"
#include "config/watch.h"

#define DEFAULT_LOG 0

void mb_watch_conf_init(mb_watch_conf *c)
{
    c->log = MB_UNSET;
}

void mb_watch_conf_merge(mb_watch_conf *c, const mb_watch_conf *base,
                         const mb_watch_conf *add)
{
    c->log = MB_PICK_SET(base, add, log);
}

int mb_watch_log_on(const mb_watch_conf *c)
{
    return c->log != MB_UNSET ? c->log : DEFAULT_LOG;
}
