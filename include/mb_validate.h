/*
 * mb_validate.h -- checks of the API's parameters.  httpd-independent.
 */
#ifndef MB_VALIDATE_H
#define MB_VALIDATE_H

#include <stddef.h>

#define MB_NAME_MAX 255 /* bytes */
#define MB_LIST_DEFAULT 20
#define MB_LIST_MAX 100

/* 1 if s[0..len) is well-formed UTF-8 (no overlong forms, no surrogates,
 * nothing above U+10FFFF). */
int mb_utf8_valid(const char *s, size_t len);

/* NULL if `name` is acceptable as a stream name (valid UTF-8, at most
 * MB_NAME_MAX bytes, no control characters), else why not. */
const char *mb_stream_name_check(const char *name);

/* NULL if `type` (NULL = absent) is a supported stream type; "hls" is the
 * only one, and the default. */
const char *mb_stream_type_check(const char *type);

/* Parse a page size: 1 to MB_LIST_MAX, decimal digits only.  Returns 0
 * and sets *out, or -1. */
int mb_limit_parse(const char *s, int *out);

/* Parse a positive number of seconds for a directive: 1 to max, decimal
 * digits only.  Returns 0 and sets *out, or -1. */
int mb_seconds_parse(const char *s, int max, int *out);

#endif /* MB_VALIDATE_H */
