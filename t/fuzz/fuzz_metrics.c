/*
 * libFuzzer target: the metrics' label escaping and the live streams'
 * table (mb_prom_escape_label, mb_metrics_playback, mb_metrics_text,
 * src/core/metrics_*.c).  The input is "<stream id>\n<viewer>\n<second>".
 * Invariants: an escaped value has no raw newline or unescaped quote and
 * unescapes to the input; every line of the exposition is a comment or a
 * sample that ends in a number.
 */
#include "fuzz.h"
#include "mb_metrics.h"

static mb_metrics_table table;

static int fuzz_one(apr_pool_t *p, const uint8_t *data, size_t len)
{
    char *text = apr_pstrmemdup(p, (const char *)data, len);
    char *id = text, *viewer = "", *sec = "0", *nl, *line, *state;
    const char *esc, *s;
    char *un, *u;

    if ((nl = strchr(id, '\n'))) {
        *nl = '\0';
        viewer = nl + 1;
        if ((nl = strchr(viewer, '\n'))) {
            *nl = '\0';
            sec = nl + 1;
        }
    }
    esc = mb_prom_escape_label(p, id);
    check(strchr(esc, '\n') == NULL);
    u = un = apr_palloc(p, strlen(esc) + 1);
    for (s = esc; *s; s++) {
        if (*s == '"') {
            check(0);   /* a quote is always escaped */
        }
        if (*s == '\\') {
            s++;
            check(*s == '\\' || *s == '"' || *s == 'n');
            *u++ = *s == 'n' ? '\n' : *s;
        }
        else {
            *u++ = *s;
        }
    }
    *u = '\0';
    check(strcmp(un, id) == 0);

    mb_metrics_playback(&table, id, viewer, len,
                        (apr_uint32_t)strtoul(sec, NULL, 10));
    for (line = apr_strtok(apr_pstrdup(p, mb_metrics_text(p, &table, 0)),
                           "\n", &state);
         line != NULL; line = apr_strtok(NULL, "\n", &state)) {
        const char *sp = strrchr(line, ' ');

        check(sp != NULL);
        check(*line == '#' || (sp[1] >= '0' && sp[1] <= '9'));
    }
    return 0;
}
