/*
 * hls_ingest.c -- what a broadcaster may upload (see include/mb_hls.h):
 * the file names and extensions of a stream, and the check of an uploaded
 * playlist that every URI in it names a file of the same stream.
 * httpd-independent (APR only).
 */
#include "mb_hls.h"

#include <apr_general.h>
#include <string.h>

#define MB_HLS_NAME_MAX 128

static const char *const allowed_ext[] = {
    ".m3u8", ".ts", ".m4s", ".mp4", ".aac", ".vtt", ".jpg", NULL
};

mb_hls_name_e mb_hls_check_name(const char *name)
{
    const char *c, *dot;
    size_t n;
    int i;

    if (name == NULL || *name == '\0' || *name == '.') {
        return MB_HLS_NAME_BAD;
    }
    for (c = name, n = 0; *c; c++, n++) {
        if (!((*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z')
              || (*c >= '0' && *c <= '9') || *c == '.' || *c == '_'
              || *c == '-')) {
            return MB_HLS_NAME_BAD;
        }
    }
    if (n > MB_HLS_NAME_MAX) {
        return MB_HLS_NAME_BAD;
    }
    dot = strrchr(name, '.');
    if (dot != NULL) {
        for (i = 0; allowed_ext[i]; i++) {
            if (!strcmp(dot, allowed_ext[i])) {
                return MB_HLS_NAME_OK;
            }
        }
    }
    return MB_HLS_NAME_BAD_EXT;
}

int mb_hls_is_playlist(const char *name)
{
    size_t n = strlen(name);
    return n > 5 && !strcmp(name + n - 5, ".m3u8");
}

/* ---- validation of an uploaded playlist ---------------------------------- */

/* Is [s, s + n) the plain name of a file of the stream? */
static int plain_name(const char *s, apr_size_t n)
{
    char buf[MB_HLS_NAME_MAX + 1];

    if (n == 0 || n > MB_HLS_NAME_MAX || memchr(s, '\0', n) != NULL) {
        return 0;
    }
    memcpy(buf, s, n);
    buf[n] = '\0';
    return mb_hls_check_name(buf) == MB_HLS_NAME_OK;
}

/* Is the attribute name [n, n + len) one whose value is a URI: "URI",
 * "SERVER-URI", a client attribute such as "X-ASSET-URI"? */
static int uri_attribute(const char *n, apr_size_t len)
{
    return (len == 3 && !strncmp(n, "URI", 3))
           || (len > 4 && !strncmp(n + len - 4, "-URI", 4));
}

#define NOT_PLAIN "that is not the plain name of a file of this stream"

/* The URI attributes of a tag's attribute list (RFC 8216 4.2), from just
 * after the tag's ':' to `end`.  Other values are not looked at; a value
 * that is not an attribute list (a number, a date) holds no URI.  NULL when
 * every URI is a plain name, else the reason. */
static const char *check_attributes(const char *a, const char *end)
{
    while (a < end) {
        const char *name = a, *val, *val_end;
        apr_size_t name_len;

        while (a < end && ((*a >= 'A' && *a <= 'Z') || (*a >= '0' && *a <= '9')
                           || *a == '-')) {
            a++;
        }
        if (a == name || a == end || *a != '=') {
            return NULL;    /* not an attribute list */
        }
        name_len = (apr_size_t)(a - name);
        a++;
        if (a < end && *a == '"') {
            val = a + 1;
            val_end = memchr(val, '"', (size_t)(end - val));
            if (val_end == NULL) {
                return uri_attribute(name, name_len)
                           ? "a URI attribute without its closing quote" : NULL;
            }
            a = val_end + 1;
        }
        else {
            val = a;
            while (a < end && *a != ',') {
                a++;
            }
            val_end = a;
        }
        if (uri_attribute(name, name_len)
            && !plain_name(val, (apr_size_t)(val_end - val))) {
            return "a URI attribute " NOT_PLAIN;
        }
        if (a < end && *a == ',') {
            a++;
        }
    }
    return NULL;
}

int mb_hls_validate_playlist(const char *text, apr_size_t len,
                             const char **why)
{
    const char *line = text, *end = text + len;
    int no = 0;

    if (len < 7 || strncmp(text, "#EXTM3U", 7) != 0) {
        *why = "not an HLS playlist (no #EXTM3U first)";
        return 1;
    }
    while (line < end) {
        const char *nl = memchr(line, '\n', (size_t)(end - line));
        const char *stop = nl ? nl : end;
        const char *colon;

        no++;
        if (stop > line && stop[-1] == '\r') {
            stop--;
        }
        if (memchr(line, '\0', (size_t)(stop - line)) != NULL) {
            *why = "a NUL byte";
            return no;
        }
        if (stop == line) {
            /* blank */
        }
        else if (line[0] != '#') {
            if (!plain_name(line, (apr_size_t)(stop - line))) {
                *why = "a URI " NOT_PLAIN;
                return no;
            }
        }
        else if (stop - line > 4 && !strncmp(line, "#EXT", 4)
                 && !(stop - line >= 8 && !strncmp(line, "#EXTINF:", 8))
                 && (colon = memchr(line, ':', (size_t)(stop - line)))
                        != NULL) {
            /* a tag (#EXTINF's title is free text, not attributes) */
            if ((*why = check_attributes(colon + 1, stop)) != NULL) {
                return no;
            }
        }
        line = nl ? nl + 1 : end;
    }
    return 0;
}
