/*
 * metrics/status.c -- the metrics on mod_status's page (its status hook,
 * as mod_md shows its certificates there): the same samples as
 * broadcast-metrics, as "name{labels}: value" lines for ?auto and as a
 * table on the HTML page.
 */
#include "metrics/metrics.h"

#include <http_protocol.h>
#include <mod_status.h>
#include <apr_strings.h>
#include <string.h>

APLOG_USE_MODULE(broadcast);

int mb_metrics_status_hook(request_rec *r, int flags)
{
    char *text, *line, *state;

    text = apr_pstrdup(r->pool,
                       mb_metrics_text(r->pool, mb_metrics_shared(),
                                       (apr_uint32_t)apr_time_sec(
                                           apr_time_now())));
    if (!(flags & AP_STATUS_SHORT)) {
        ap_rputs("<hr>\n<h2>mod_broadcast</h2>\n<table "
                 "class=\"mb-metrics\">\n<tr><th>Metric</th><th>Value</th>"
                 "</tr>\n", r);
    }
    for (line = apr_strtok(text, "\n", &state); line != NULL;
         line = apr_strtok(NULL, "\n", &state)) {
        char *sp = strrchr(line, ' ');

        if (*line == '#' || sp == NULL) {
            continue;
        }
        *sp = '\0';
        if (flags & AP_STATUS_SHORT) {
            ap_rprintf(r, "%s: %s\n", line, sp + 1);
        }
        else {
            ap_rprintf(r, "<tr><td>%s</td><td>%s</td></tr>\n",
                       ap_escape_html(r->pool, line), sp + 1);
        }
    }
    if (!(flags & AP_STATUS_SHORT)) {
        ap_rputs("</table>\n", r);
    }
    return OK;
}
