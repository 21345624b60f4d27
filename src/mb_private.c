/*
 * mb_private.c -- what every httpd-facing file shares (src/mb_private.h):
 * client text quoted in a log line.
 */
#include "mb_private.h"

#include <apr_strings.h>
#include <httpd.h>

const char *mb_log_excerpt(apr_pool_t *p, const char *s)
{
    if (strlen(s) <= MB_LOG_EXCERPT) {
        return ap_escape_logitem(p, s);
    }
    return apr_pstrcat(p, ap_escape_logitem(p, apr_pstrmemdup(p, s,
                                                              MB_LOG_EXCERPT)),
                       "...", NULL);
}
