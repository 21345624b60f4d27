/* Unit tests of the SVG chart (src/core/chart.c). */
#include "mb_chart.h"
#include "tap.h"

#include <stdlib.h>
#include <string.h>

static int count(const char *hay, const char *needle)
{
    int n = 0;
    const char *s = hay;

    while ((s = strstr(s, needle)) != NULL) {
        n++;
        s += strlen(needle);
    }
    return n;
}

/* The height attribute of the bar of minute `m`, or -1. */
static double bar_height(const char *svg, apr_int64_t m)
{
    char key[64];
    const char *s, *h;

    snprintf(key, sizeof(key), "data-minute=\"%lld\"", (long long)m);
    s = strstr(svg, key);
    if (s == NULL || (h = strstr(s, "height=\"")) == NULL) {
        return -1;
    }
    return atof(h + 8);
}

int main(void)
{
    apr_pool_t *p;
    const char *svg;
    apr_int64_t c1[5] = { 0, 3, 0, 6, 1 };
    apr_int64_t zeros[4] = { 0, 0, 0, 0 };
    apr_int64_t neg[2] = { -5, 2 };
    apr_int64_t big[3] = { 1, APR_INT64_C(9000000000000), 2 };
    /* 2026-11-21 22:10 UTC, in minutes */
    apr_int64_t m0 = 29921650;

    apr_initialize();
    apr_pool_create(&p, NULL);

    svg = mb_chart_svg(p, c1, 5, m0);
    ok(strncmp(svg, "<svg xmlns=\"http://www.w3.org/2000/svg\"", 39) == 0,
       "starts with an svg element");
    ok(strcmp(svg + strlen(svg) - 6, "</svg>") == 0, "ends with </svg>");
    ok(count(svg, "<svg") == 1 && count(svg, "</svg>") == 1, "one svg");
    ok(count(svg, "class=\"mb-bar\"") == 3, "one bar per non-zero minute");
    ok(count(svg, "<rect") == count(svg, "</rect>") + 1,
       "every bar closed (plus the background)");
    ok(strstr(svg, "data-count=\"6\"") && strstr(svg, "data-count=\"3\"")
       && strstr(svg, "data-count=\"1\""), "bars carry their counts");
    ok(strstr(svg, ">6</text>") != NULL, "y axis labelled with the max");
    ok(bar_height(svg, m0 + 3) > bar_height(svg, m0 + 1)
       && bar_height(svg, m0 + 1) > bar_height(svg, m0 + 4),
       "heights ordered like the counts");
    ok(bar_height(svg, m0 + 3) > 163.9 && bar_height(svg, m0 + 3) < 164.1,
       "the tallest bar fills the plot (164, got %f)", bar_height(svg, m0 + 3));
    ok(bar_height(svg, m0 + 1) > 81.9 && bar_height(svg, m0 + 1) < 82.1,
       "half the max is half the height");
    ok(bar_height(svg, m0) < 0, "no bar for an empty minute");
    ok(strstr(svg, ">22:10</text>") != NULL, "first minute labelled (UTC)");
    ok(strstr(svg, ">22:14 UTC</text>") != NULL, "last minute labelled");
    ok(strstr(svg, "22:13 UTC: 6 requests") != NULL, "tooltip of a bar");
    ok(strstr(svg, "22:14 UTC: 1 request<") != NULL, "singular tooltip");
    ok(strstr(svg, "10 in 5 min") != NULL, "total shown");
    ok(strstr(svg, "<script") == NULL && strstr(svg, "href") == NULL,
       "no script, no external reference");

    svg = mb_chart_svg(p, zeros, 4, m0);
    ok(count(svg, "mb-bar") == 0 && strstr(svg, ">0</text>"),
       "all zero: no bars, max 0");
    svg = mb_chart_svg(p, NULL, 0, m0);
    ok(strstr(svg, "no data") != NULL && strstr(svg, "</svg>"), "no data");
    svg = mb_chart_svg(p, c1, 7 * 24 * 60 + 1, m0);
    ok(strstr(svg, "no data") != NULL, "more than a week refused");
    svg = mb_chart_svg(p, neg, 2, m0);
    ok(count(svg, "mb-bar") == 1 && strstr(svg, "data-count=\"-") == NULL,
       "negative counts drawn as 0");
    svg = mb_chart_svg(p, big, 3, m0);
    ok(bar_height(svg, m0) >= 1 && bar_height(svg, m0 + 1) > 163.9,
       "a tiny count next to a huge one stays visible");
    svg = mb_chart_svg(p, c1, 1, -1);
    ok(strstr(svg, ">23:59</text>") != NULL, "minute before 1970 wraps");

    apr_pool_destroy(p);
    apr_terminate();
    return done_testing();
}
