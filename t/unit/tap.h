/*
 * tap.h -- a minimal TAP producer for the C unit tests (prove reads it).
 */
#ifndef MB_TAP_H
#define MB_TAP_H

#include <stdio.h>

static int tap_n, tap_failed;

#define ok(cond, ...)                                                   \
    do {                                                                \
        int tap_ok_ = (cond) ? 1 : 0;                                   \
        printf("%sok %d - ", tap_ok_ ? "" : "not ", ++tap_n);           \
        printf(__VA_ARGS__);                                            \
        printf("\n");                                                   \
        if (!tap_ok_) {                                                 \
            tap_failed++;                                               \
            printf("#   failed at %s line %d\n", __FILE__, __LINE__);   \
        }                                                               \
    } while (0)

static int done_testing(void)
{
    printf("1..%d\n", tap_n);
    return tap_failed ? 1 : 0;
}

#endif
