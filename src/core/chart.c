/*
 * chart.c -- watch requests per minute as inline SVG (see mb_chart.h).
 */
#include "mb_chart.h"

#include <apr_strings.h>
#include <apr_tables.h>

#define PAD_LEFT   48
#define PAD_RIGHT  8
#define PAD_TOP    10
#define PAD_BOTTOM 26

/* "HH:MM" (UTC) of a minute number. */
static const char *hhmm(apr_pool_t *p, apr_int64_t minute)
{
    apr_int64_t m = minute % (24 * 60);

    if (m < 0) {
        m += 24 * 60;
    }
    return apr_psprintf(p, "%02" APR_INT64_T_FMT ":%02" APR_INT64_T_FMT,
                        m / 60, m % 60);
}

const char *mb_chart_svg(apr_pool_t *p, const apr_int64_t *counts, int n,
                         apr_int64_t first_minute)
{
    const int plot_w = MB_CHART_WIDTH - PAD_LEFT - PAD_RIGHT;
    const int plot_h = MB_CHART_HEIGHT - PAD_TOP - PAD_BOTTOM;
    const int base_y = PAD_TOP + plot_h;
    apr_array_header_t *parts = apr_array_make(p, 16, sizeof(const char *));
    apr_int64_t max = 0, total = 0;
    double bar_w;
    int i;

#define PUT(s) (*(const char **)apr_array_push(parts) = (s))

    PUT(apr_psprintf(p, "<svg xmlns=\"http://www.w3.org/2000/svg\" "
                     "class=\"mb-chart\" width=\"%d\" height=\"%d\" "
                     "viewBox=\"0 0 %d %d\" role=\"img\" "
                     "aria-label=\"Watch requests per minute\">",
                     MB_CHART_WIDTH, MB_CHART_HEIGHT, MB_CHART_WIDTH,
                     MB_CHART_HEIGHT));
    PUT("<title>Watch requests per minute</title>");
    PUT(apr_psprintf(p, "<rect x=\"0\" y=\"0\" width=\"%d\" height=\"%d\" "
                     "fill=\"#fafafa\" stroke=\"#ddd\"/>",
                     MB_CHART_WIDTH, MB_CHART_HEIGHT));
    if (n <= 0 || n > 7 * 24 * 60 || counts == NULL) {
        PUT(apr_psprintf(p, "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\" "
                         "font-size=\"14\" fill=\"#666\">no data</text>"
                         "</svg>", MB_CHART_WIDTH / 2, MB_CHART_HEIGHT / 2));
        return apr_array_pstrcat(p, parts, '\0');
    }
    for (i = 0; i < n; i++) {
        if (counts[i] > max) {
            max = counts[i];
        }
        if (counts[i] > 0) {
            total += counts[i];
        }
    }
    /* axes and the labels of the y axis (0 and the largest count) */
    PUT(apr_psprintf(p, "<line class=\"mb-axis\" x1=\"%d\" y1=\"%d\" "
                     "x2=\"%d\" y2=\"%d\" stroke=\"#555\"/>",
                     PAD_LEFT, base_y, PAD_LEFT + plot_w, base_y));
    PUT(apr_psprintf(p, "<line class=\"mb-axis\" x1=\"%d\" y1=\"%d\" "
                     "x2=\"%d\" y2=\"%d\" stroke=\"#555\"/>",
                     PAD_LEFT, PAD_TOP, PAD_LEFT, base_y));
    PUT(apr_psprintf(p, "<text class=\"mb-ymax\" x=\"%d\" y=\"%d\" "
                     "text-anchor=\"end\" font-size=\"11\">%"
                     APR_INT64_T_FMT "</text>",
                     PAD_LEFT - 4, PAD_TOP + 9, max));
    PUT(apr_psprintf(p, "<text x=\"%d\" y=\"%d\" text-anchor=\"end\" "
                     "font-size=\"11\">0</text>", PAD_LEFT - 4, base_y));

    bar_w = (double)plot_w / n;
    for (i = 0; i < n; i++) {
        apr_int64_t c = counts[i] > 0 ? counts[i] : 0;
        double h, x;

        if (c == 0) {
            continue;
        }
        h = max > 0 ? (double)plot_h * (double)c / (double)max : 0;
        if (h < 1) {
            h = 1;                          /* a visible sliver */
        }
        x = PAD_LEFT + bar_w * i;
        PUT(apr_psprintf(p, "<rect class=\"mb-bar\" data-minute=\"%"
                         APR_INT64_T_FMT "\" data-count=\"%"
                         APR_INT64_T_FMT "\" x=\"%.2f\" y=\"%.2f\" "
                         "width=\"%.2f\" height=\"%.2f\" fill=\"#3b73b9\">"
                         "<title>%s UTC: %" APR_INT64_T_FMT
                         " request%s</title></rect>",
                         first_minute + i, c, x, base_y - h,
                         bar_w > 2 ? bar_w - 1 : bar_w, h,
                         hhmm(p, first_minute + i), c, c == 1 ? "" : "s"));
    }
    /* x labels: first, middle and last minute */
    PUT(apr_psprintf(p, "<text class=\"mb-xlabel\" x=\"%d\" y=\"%d\" "
                     "font-size=\"11\">%s</text>", PAD_LEFT,
                     MB_CHART_HEIGHT - 8, hhmm(p, first_minute)));
    if (n > 2) {
        PUT(apr_psprintf(p, "<text class=\"mb-xlabel\" x=\"%d\" y=\"%d\" "
                         "text-anchor=\"middle\" font-size=\"11\">%s</text>",
                         PAD_LEFT + plot_w / 2, MB_CHART_HEIGHT - 8,
                         hhmm(p, first_minute + n / 2)));
    }
    PUT(apr_psprintf(p, "<text class=\"mb-xlabel\" x=\"%d\" y=\"%d\" "
                     "text-anchor=\"end\" font-size=\"11\">%s UTC</text>",
                     PAD_LEFT + plot_w, MB_CHART_HEIGHT - 8,
                     hhmm(p, first_minute + n - 1)));
    PUT(apr_psprintf(p, "<text class=\"mb-total\" x=\"%d\" y=\"%d\" "
                     "font-size=\"11\" fill=\"#666\">"
                     "%" APR_INT64_T_FMT " in %d min</text>", PAD_LEFT + 6,
                     PAD_TOP + 9,
                     total, n));
    PUT("</svg>");
#undef PUT
    return apr_array_pstrcat(p, parts, '\0');
}
