/*
 * mb_size.h -- sizes written with an optional K, M or G suffix.
 * httpd-independent: directive parsing and unit tests share it.
 */
#ifndef MB_SIZE_H
#define MB_SIZE_H

#include <stdint.h>

/* Parse "0", "512", "64K", "8M", "2G" (suffix case-insensitive, binary
 * multiples).  Returns 0 and sets *out on success, -1 on garbage or
 * overflow past INT64_MAX. */
int mb_size_parse(const char *s, int64_t *out);

#endif /* MB_SIZE_H */
