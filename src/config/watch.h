/*
 * config/watch.h -- the watch log's per-directory configuration: its field,
 * and the accessor that applies the default (src/config/watch.c).  The
 * process-wide settings (queue, flush, report) are the writer's own
 * (src/watch/).
 */
#ifndef MB_CONFIG_WATCH_H
#define MB_CONFIG_WATCH_H

typedef struct {
    int log;                  /* BroadcastWatchLog On/Off (MB_UNSET)      */
} mb_watch_conf;

void mb_watch_conf_init(mb_watch_conf *c);
void mb_watch_conf_merge(mb_watch_conf *c, const mb_watch_conf *base,
                         const mb_watch_conf *add);

/* BroadcastWatchLog, default Off. */
int mb_watch_log_on(const mb_watch_conf *c);

#endif /* MB_CONFIG_WATCH_H */
