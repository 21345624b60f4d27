/*
 * fuzz.h -- what every libFuzzer target in t/fuzz shares: one APR pool,
 * cleared after each input, and check() for the invariants each target
 * asserts on top of the sanitizers (a broken invariant is a finding).
 */
#ifndef MB_FUZZ_H
#define MB_FUZZ_H

#include <apr_general.h>
#include <apr_pools.h>
#include <apr_strings.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Each target defines fuzz_one(); its pool is cleared after every input,
 * so that what an input allocated (expat's parser, jansson) is released
 * before libFuzzer counts leaks. */
static int fuzz_one(apr_pool_t *p, const uint8_t *data, size_t len);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
    static apr_pool_t *pool;

    if (pool == NULL) {
        apr_initialize();
        apr_pool_create(&pool, NULL);
    }
    fuzz_one(pool, data, len);
    apr_pool_clear(pool);
    return 0;
}

#define check(cond)                                                            \
    do {                                                                       \
        if (!(cond)) {                                                         \
            fprintf(stderr, "invariant broken at %s:%d: %s\n", __FILE__,       \
                    __LINE__, #cond);                                          \
            abort();                                                           \
        }                                                                      \
    } while (0)

#endif /* MB_FUZZ_H */
