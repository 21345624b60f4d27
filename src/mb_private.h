/*
 * mb_private.h -- what every httpd-facing file of mod_broadcast shares: the
 * module record, the log tag, the not-set sentinel.  Nothing else: each
 * feature's configuration has its header in src/config/, each handler its
 * own in its folder.
 */
#ifndef MB_PRIVATE_H
#define MB_PRIVATE_H

#include <httpd.h>
#include <http_config.h>
#include <http_log.h>

/* The module record is the one symbol the .so exports: the module is
 * compiled with -fvisibility=hidden (Makefile), and AP_MODULE_DECLARE_DATA
 * is empty on Unix, so the record asks for default visibility itself. */
#if defined(__GNUC__)
#define MB_EXPORT __attribute__((visibility("default")))
#else
#define MB_EXPORT
#endif
extern module AP_MODULE_DECLARE_DATA MB_EXPORT broadcast_module;

/* Every log message of the module starts with its own tag; httpd's APLOGNO
 * numbers are reserved for httpd itself. */
#define MBLOGNO(n) "mod_broadcast MB" #n ": "

#define MB_UNSET (-1)

/* Merging a field of a configuration section: the inner section's value
 * when it set one, else the outer's.  MB_PICK for pointers (NULL: not set),
 * MB_PICK_SET for numbers and flags (MB_UNSET: not set). */
#define MB_PICK(base, add, f) ((add)->f != NULL ? (add)->f : (base)->f)
#define MB_PICK_SET(base, add, f) ((add)->f != MB_UNSET ? (add)->f : (base)->f)

/* The SetHandler names of the module's handlers. */
#define MB_HANDLER_API       "broadcast-api"
#define MB_HANDLER_LIVE      "broadcast-live"
#define MB_HANDLER_METRICS   "broadcast-metrics"
#define MB_HANDLER_STATUS    "broadcast-status"
#define MB_HANDLER_VIDEO     "broadcast-video"


/* Client text quoted in a log line: at most MB_LOG_EXCERPT bytes of it,
 * escaped (ap_escape_logitem), "..." when cut (src/config/dirconf.c). */
#define MB_LOG_EXCERPT 48
const char *mb_log_excerpt(apr_pool_t *p, const char *s);

#endif /* MB_PRIVATE_H */
