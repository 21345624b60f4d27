/*
 * mb_text.h -- text fit for a database column: valid UTF-8 (PostgreSQL
 * refuses anything else, and one bad row would cost its whole batch), no
 * control characters, bounded length.  httpd-independent (APR only).
 */
#ifndef MB_TEXT_H
#define MB_TEXT_H

#include <apr_pools.h>

/* A copy of `s` in which every byte that is not part of a valid UTF-8
 * sequence (overlong forms, surrogates and code points above U+10FFFF
 * included) and every control character is replaced by '?', cut to at
 * most `max` bytes without splitting a character.  NULL gives NULL. */
const char *mb_text_clean(apr_pool_t *p, const char *s, apr_size_t max);

#endif /* MB_TEXT_H */
