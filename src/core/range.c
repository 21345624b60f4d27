/*
 * range.c -- HTTP Range header parsing (RFC 9110, section 14).
 * See include/mb_range.h for the contract.  No allocation, no httpd.
 */
#include "mb_range.h"

#include <stddef.h>

#define IS_OWS(c) ((c) == ' ' || (c) == '\t')
#define IS_DIGIT(c) ((c) >= '0' && (c) <= '9')

/* Read 1*DIGIT at *pp, saturating at UINT64_MAX.  Returns 0 when there is
 * no digit at all. */
static int read_number(const char **pp, uint64_t *out)
{
    const char *p = *pp;
    uint64_t v = 0;

    if (!IS_DIGIT(*p)) {
        return 0;
    }
    for (; IS_DIGIT(*p); p++) {
        unsigned d = (unsigned)(*p - '0');
        if (v > (UINT64_MAX - d) / 10) {
            v = UINT64_MAX;
        }
        else {
            v = v * 10 + d;
        }
    }
    *pp = p;
    *out = v;
    return 1;
}

static int unit_is_bytes(const char **pp)
{
    static const char unit[] = "bytes";
    const char *p = *pp;
    size_t i;

    for (i = 0; unit[i]; i++, p++) {
        char c = *p;
        if (c >= 'A' && c <= 'Z') {
            c = (char)(c - 'A' + 'a');
        }
        if (c != unit[i]) {
            return 0;
        }
    }
    if (*p != '=') {
        return 0;
    }
    *pp = p + 1;
    return 1;
}

mb_range_e mb_range_parse(const char *header, uint64_t size,
                          uint64_t *first, uint64_t *last)
{
    const char *p = header;
    unsigned long specs = 0, satisfiable = 0;
    int empty_suffix = 0;
    uint64_t f1 = 0, l1 = 0;

    if (header == NULL) {
        return MB_RANGE_NONE;
    }
    while (IS_OWS(*p)) {
        p++;
    }
    if (!unit_is_bytes(&p)) {
        return MB_RANGE_INVALID;
    }

    for (;;) {
        uint64_t a = 0, b = 0;
        int has_a, has_b;

        while (IS_OWS(*p)) {
            p++;
        }
        if (*p == ',') {            /* empty list element */
            p++;
            continue;
        }
        if (*p == '\0') {
            break;
        }

        has_a = read_number(&p, &a);
        if (*p != '-') {
            return MB_RANGE_INVALID;
        }
        p++;
        has_b = read_number(&p, &b);

        if (has_a) {
            if (has_b && b < a) {
                return MB_RANGE_INVALID;
            }
            if (a < size) {
                if (!has_b || b >= size) {
                    b = size - 1;
                }
                if (satisfiable++ == 0) {
                    f1 = a;
                    l1 = b;
                }
            }
        }
        else if (has_b) {           /* suffix range "-n" */
            if (b > 0 && size == 0) {
                empty_suffix = 1;
            }
            else if (b > 0) {
                if (satisfiable++ == 0) {
                    f1 = b >= size ? 0 : size - b;
                    l1 = size - 1;
                }
            }
        }
        else {                      /* a lone "-" */
            return MB_RANGE_INVALID;
        }
        specs++;

        while (IS_OWS(*p)) {
            p++;
        }
        if (*p == ',') {
            p++;
        }
        else if (*p != '\0') {
            return MB_RANGE_INVALID;
        }
    }

    if (specs == 0) {
        return MB_RANGE_INVALID;    /* "bytes=" with no range at all */
    }
    if (satisfiable == 0) {
        /* RFC 9110 14.1.1: of an empty representation only a non-zero
         * suffix is satisfiable, and it selects the empty whole. */
        return empty_suffix ? MB_RANGE_NONE : MB_RANGE_UNSATISFIABLE;
    }
    if (specs > 1) {
        return MB_RANGE_MULTI;
    }
    *first = f1;
    *last = l1;
    return MB_RANGE_SINGLE;
}

uint64_t mb_range_cap(uint64_t first, uint64_t last, uint64_t cap)
{
    if (cap > 0 && last - first >= cap) {
        return first + cap - 1;
    }
    return last;
}
