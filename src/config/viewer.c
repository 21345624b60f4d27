/*
 * config/viewer.c -- who may watch: creation, merging and the defaults of
 * the viewer configuration (see src/config/viewer.h).  APR only.
 */
#include "mb_private.h"
#include "config/viewer.h"

#define DEFAULT_VISIBILITY MB_VIEWER_PUBLIC
#define DEFAULT_REVOCATION_CACHE 5 /* seconds */

void mb_viewer_conf_init(mb_viewer_conf *c)
{
    c->keys[0] = c->keys[1] = NULL;
    c->default_visibility = MB_UNSET;
    c->revocation_cache = MB_UNSET;
}

void mb_viewer_conf_merge(mb_viewer_conf *c, const mb_viewer_conf *base,
                          const mb_viewer_conf *add)
{
    /* the two secrets go together: an inner directive replaces both */
    const mb_viewer_conf *from = add->keys[0] != NULL ? add : base;

    c->keys[0] = from->keys[0];
    c->keys[1] = from->keys[1];
    c->default_visibility = MB_PICK_SET(base, add, default_visibility);
    c->revocation_cache = MB_PICK_SET(base, add, revocation_cache);
}

int mb_viewer_default_visibility(const mb_viewer_conf *c)
{
    return c->default_visibility != MB_UNSET ? c->default_visibility
                                             : DEFAULT_VISIBILITY;
}

int mb_viewer_revocation_cache(const mb_viewer_conf *c)
{
    return c->revocation_cache != MB_UNSET ? c->revocation_cache
                                           : DEFAULT_REVOCATION_CACHE;
}
