/*
 * mb_range.h -- HTTP Range header parsing (RFC 9110, section 14).
 *
 * Pure C, no httpd and no APR: the unit tests and the fuzzer call it
 * directly.  The parser never allocates; it classifies a header against a
 * representation of a known size and, for a single range, returns its
 * first and last byte positions.
 */
#ifndef MB_RANGE_H
#define MB_RANGE_H

#include <stdint.h>

typedef enum {
    MB_RANGE_NONE = 0,     /* no header: send the whole representation     */
    MB_RANGE_INVALID,      /* syntactically invalid or not "bytes": ignore */
    MB_RANGE_SINGLE,       /* exactly one satisfiable range: *first..*last */
    MB_RANGE_MULTI,        /* several ranges, at least one satisfiable     */
    MB_RANGE_UNSATISFIABLE /* valid, but no range overlaps the file: 416   */
} mb_range_e;

/*
 * Classify the Range header value `header` (may be NULL) for a
 * representation of `size` bytes.  For MB_RANGE_SINGLE, *first and *last
 * are set to the inclusive byte positions, with last clamped to size - 1.
 *
 * Grammar accepted (case-insensitive unit, optional whitespace around
 * list commas and at both ends, empty list elements ignored):
 *     "bytes" "=" range-spec *( OWS "," OWS range-spec )
 *     range-spec = first "-" [ last ] / "-" suffix-length
 * Numbers too large for 64 bits saturate rather than wrap, so that an
 * absurd first position is unsatisfiable and an absurd last position
 * means "to the end".
 */
mb_range_e mb_range_parse(const char *header, uint64_t size,
                          uint64_t *first, uint64_t *last);

/* Apply a volume cap (0 = no cap) to an inclusive range; returns the
 * (possibly lowered) last position. */
uint64_t mb_range_cap(uint64_t first, uint64_t last, uint64_t cap);

#endif /* MB_RANGE_H */
