/*
 * s3list.c -- the recording of an S3 stream: the ListObjectsV2 query of its
 * prefix, the parser of S3's ListBucketResult (apr_xml), and the vod.m3u8
 * built from its live playlist and the objects listed (see
 * include/mb_s3list.h).
 */
#include "mb_s3list.h"
#include "mb_hls.h"
#include "mb_s3get.h"

#include <apr_hash.h>
#include <apr_strings.h>
#include <apr_xml.h>
#include <string.h>

static int unreserved(unsigned char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
           (c >= '0' && c <= '9') || c == '-' || c == '.' || c == '_' ||
           c == '~';
}

/* s %XX-escaped but for SigV4's unreserved characters ('/' escaped too) */
static const char *query_escape(apr_pool_t *p, const char *s)
{
    static const char hex[] = "0123456789ABCDEF";
    char *out = apr_palloc(p, strlen(s) * 3 + 1), *o = out;

    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        if (unreserved(c)) {
            *o++ = (char)c;
        }
        else {
            *o++ = '%';
            *o++ = hex[c >> 4];
            *o++ = hex[c & 15];
        }
    }
    *o = '\0';
    return out;
}

const char *mb_s3_list_query(apr_pool_t *p, const char *prefix,
                             const char *token)
{
    /* sorted by name: continuation-token < list-type < prefix */
    return apr_pstrcat(p, token ? "continuation-token=" : "",
                       token ? query_escape(p, token) : "",
                       token ? "&" : "", "list-type=2&prefix=",
                       query_escape(p, prefix), NULL);
}

/* The text of an element (its character data, concatenated). */
static const char *text_of(apr_pool_t *p, const apr_xml_elem *e)
{
    const apr_text *t;
    const char *s = "";

    for (t = e->first_cdata.first; t; t = t->next) {
        s = apr_pstrcat(p, s, t->text, NULL);
    }
    return s;
}

static const apr_xml_elem *child(const apr_xml_elem *e, const char *name)
{
    const apr_xml_elem *c;

    for (c = e->first_child; c; c = c->next) {
        if (strcmp(c->name, name) == 0) {
            return c;
        }
    }
    return NULL;
}

int mb_s3_list_parse(apr_pool_t *p, const char *xml, apr_size_t len,
                     apr_array_header_t **objs, const char **next)
{
    apr_xml_parser *parser = apr_xml_parser_create(p);
    apr_xml_doc *doc = NULL;
    const apr_xml_elem *e, *k, *sz, *trunc, *tok;

    *next = NULL;
    if (*objs == NULL) {
        *objs = apr_array_make(p, 64, sizeof(mb_s3_object));
    }
    if (apr_xml_parser_feed(parser, xml, len) != APR_SUCCESS
        || apr_xml_parser_done(parser, &doc) != APR_SUCCESS || doc == NULL
        || doc->root == NULL
        || strcmp(doc->root->name, "ListBucketResult") != 0) {
        return -1;
    }
    for (e = doc->root->first_child; e; e = e->next) {
        mb_s3_object *o;
        char *end;
        const char *v;

        if (strcmp(e->name, "Contents") != 0 || (k = child(e, "Key")) == NULL
            || *(v = text_of(p, k)) == '\0') {
            continue;
        }
        o = apr_array_push(*objs);
        o->key = v;
        o->size = -1;
        if ((sz = child(e, "Size")) != NULL) {
            v = text_of(p, sz);
            o->size = apr_strtoi64(v, &end, 10);
            if (end == v || *end != '\0' || o->size < 0) {
                o->size = -1;
            }
        }
    }
    trunc = child(doc->root, "IsTruncated");
    tok = child(doc->root, "NextContinuationToken");
    if (trunc && strcmp(text_of(p, trunc), "true") == 0 && tok
        && *text_of(p, tok) != '\0') {
        *next = text_of(p, tok);
    }
    return 0;
}

int mb_s3_listed(const apr_array_header_t *objs, const char *prefix,
                 const char *name)
{
    apr_pool_t *p = objs->pool;
    const char *key = mb_s3_object_key(p, prefix, name);
    int i;

    for (i = 0; key && i < objs->nelts; i++) {
        if (strcmp(APR_ARRAY_IDX(objs, i, mb_s3_object).key, key) == 0) {
            return 1;
        }
    }
    return 0;
}

typedef struct {
    apr_pool_t *p;
    const char *prefix;
    apr_hash_t *keys;   /* the keys listed */
    int kept;
} keep_ctx;

static int present(keep_ctx *k, const char *name)
{
    const char *key;

    return name && mb_hls_check_name(name) == MB_HLS_NAME_OK
           && !mb_hls_is_playlist(name)
           && (key = mb_s3_object_key(k->p, k->prefix, name)) != NULL
           && apr_hash_get(k->keys, key, APR_HASH_KEY_STRING) != NULL;
}

/* A segment is kept when its object (and its initialisation section's)
 * is listed. */
static int segment_listed(const mb_hls_segment *s, void *data)
{
    keep_ctx *k = data;

    if (!present(k, s->uri)
        || (s->map && !present(k, mb_hls_attr(k->p, s->map, "URI")))) {
        return 0;
    }
    k->kept++;
    return 1;
}

const char *mb_s3_vod_playlist(apr_pool_t *p, const char *prefix,
                               const apr_array_header_t *objs,
                               const char *live, apr_size_t len, int *kept)
{
    apr_array_header_t *segs = NULL;
    keep_ctx k;
    const char *text;
    int i;

    *kept = 0;
    if (mb_hls_is_master(live, len) || mb_hls_parse(p, live, len, &segs) != 0) {
        return NULL;
    }
    k.p = p;
    k.prefix = prefix;
    k.keys = apr_hash_make(p);
    k.kept = 0;
    for (i = 0; i < objs->nelts; i++) {
        apr_hash_set(k.keys, APR_ARRAY_IDX(objs, i, mb_s3_object).key,
                     APR_HASH_KEY_STRING, "");
    }
    text = mb_hls_vod_playlist(p, segs, segment_listed, &k);
    *kept = k.kept;
    return text;
}
