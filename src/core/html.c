/*
 * html.c -- HTML and URL escaping (see include/mb_html.h).
 */
#include "mb_html.h"

#include <apr_strings.h>
#include <string.h>

const char *mb_html_escape(apr_pool_t *p, const char *s)
{
    size_t n = 0;
    const unsigned char *c;
    char *out, *o;

    if (s == NULL) {
        return "";
    }
    for (c = (const unsigned char *)s; *c; c++) {
        switch (*c) {
        case '&': n += 5; break;                     /* &amp;  */
        case '<': case '>': n += 4; break;           /* &lt;   */
        case '"': case '\'': n += 6; break;          /* &quot; &#39; */
        default:  n += (*c < 0x20 && *c != '\t' && *c != '\n') || *c == 0x7f
                           ? 3 : 1;                  /* U+FFFD */
        }
    }
    o = out = apr_palloc(p, n + 1);
    for (c = (const unsigned char *)s; *c; c++) {
        switch (*c) {
        case '&':  memcpy(o, "&amp;", 5);  o += 5; break;
        case '<':  memcpy(o, "&lt;", 4);   o += 4; break;
        case '>':  memcpy(o, "&gt;", 4);   o += 4; break;
        case '"':  memcpy(o, "&quot;", 6); o += 6; break;
        case '\'': memcpy(o, "&#39;", 5);  o += 5; break;
        default:
            if ((*c < 0x20 && *c != '\t' && *c != '\n') || *c == 0x7f) {
                memcpy(o, "\xef\xbf\xbd", 3);
                o += 3;
            }
            else {
                *o++ = (char)*c;
            }
        }
    }
    *o = '\0';
    return out;
}

const char *mb_url_escape(apr_pool_t *p, const char *s)
{
    static const char hex[] = "0123456789ABCDEF";
    const unsigned char *c;
    char *out, *o;

    if (s == NULL) {
        return "";
    }
    o = out = apr_palloc(p, strlen(s) * 3 + 1);
    for (c = (const unsigned char *)s; *c; c++) {
        if ((*c >= 'A' && *c <= 'Z') || (*c >= 'a' && *c <= 'z')
            || (*c >= '0' && *c <= '9') || *c == '-' || *c == '.'
            || *c == '_' || *c == '~') {
            *o++ = (char)*c;
        }
        else {
            *o++ = '%';
            *o++ = hex[*c >> 4];
            *o++ = hex[*c & 15];
        }
    }
    *o = '\0';
    return out;
}

const char *mb_bytes_format(apr_pool_t *p, apr_int64_t n)
{
    static const char *const unit[] = { "KiB", "MiB", "GiB", "TiB", "PiB" };
    double v;
    int u = -1;

    if (n < 1024) {
        return apr_psprintf(p, "%" APR_INT64_T_FMT " B", n > 0 ? n : 0);
    }
    v = (double)n;
    while (v >= 1024 && u < 4) {
        v /= 1024;
        u++;
    }
    return apr_psprintf(p, v < 10 ? "%.2f %s" : v < 100 ? "%.1f %s"
                                                        : "%.0f %s",
                        v, unit[u]);
}
