/*
 * mb_html.h -- escaping for the HTML status page (text and attribute
 * values) and percent-encoding for URLs and forms (the page's links, the
 * STS request body).  httpd-independent.
 */
#ifndef MB_HTML_H
#define MB_HTML_H

#include <apr_pools.h>
#include <apr.h>

/* `s` with & < > " ' replaced by entities, safe in element text and in
 * quoted attribute values.  NULL gives "".  Control characters other than
 * tab and newline become U+FFFD so that the page stays well-formed. */
const char *mb_html_escape(apr_pool_t *p, const char *s);

/* `s` percent-encoded for a query-string or form value: everything but
 * RFC 3986's unreserved A-Z a-z 0-9 - . _ ~ is encoded, a space as %20
 * (never '+'), hex in uppercase.  NULL gives "".  Not
 * apr_pescape_urlencoded: that one writes a space as '+', encodes '~' and
 * keeps '*'. */
const char *mb_url_escape(apr_pool_t *p, const char *s);

/* A byte count for people: "512 B", "1.5 KiB", "3.0 MiB", "2.25 GiB"
 * (binary multiples; negative counts as 0). */
const char *mb_bytes_format(apr_pool_t *p, apr_int64_t n);

#endif /* MB_HTML_H */
