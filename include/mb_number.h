/*
 * mb_number.h -- the one parser of decimal integers: directives, request
 * parameters, the quota file, URL ports.  Decimal digits only (no sign, no
 * space, no "0x"), overflow refused.  httpd-independent (APR only).
 */
#ifndef MB_NUMBER_H
#define MB_NUMBER_H

#include <apr.h>

/* The decimal digits at the start of s (at least one) into *out; what
 * follows them is the caller's (a suffix, a newline).  Returns the first
 * character after the digits, or NULL when s does not start with a digit
 * or the number is past APR_INT64_MAX. */
const char *mb_digits_parse(const char *s, apr_int64_t *out);

/* s, decimal digits and nothing else, as a number from lo to hi.
 * Returns 0 and sets *out, or -1 (NULL, empty, sign, space, trailing
 * character, overflow, out of range; *out untouched). */
int mb_int_parse(const char *s, apr_int64_t lo, apr_int64_t hi,
                 apr_int64_t *out);

#endif /* MB_NUMBER_H */
