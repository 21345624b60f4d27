/*
 * s3.c -- the per-stream prefix and the least privilege session policy.
 */
#include "mb_s3.h"
#include "mb_json.h"

#include <apr_strings.h>
#include <string.h>

#define VAR_USER "%{user}"
#define VAR_ID "%{id}"

const char *mb_s3_path_check(const char *tmpl)
{
    const char *s = tmpl;
    int has_id = 0;
    size_t seg = 0;   /* bytes in the current segment */
    int seg_dots = 1; /* current segment is only dots so far */

    if (tmpl == NULL || *tmpl == '\0') {
        return "is empty";
    }
    if (*tmpl == '/') {
        return "must not start with '/'";
    }
    while (*s) {
        if (*s == '%') {
            if (!strncmp(s, VAR_USER, sizeof(VAR_USER) - 1)) {
                s += sizeof(VAR_USER) - 1;
            }
            else if (!strncmp(s, VAR_ID, sizeof(VAR_ID) - 1)) {
                s += sizeof(VAR_ID) - 1;
                has_id = 1;
            }
            else {
                return "has an unknown variable or a stray '%' "
                       "(known: %{user}, %{id})";
            }
            seg++;
            seg_dots = 0;
            continue;
        }
        if (*s == '/') {
            if (seg == 0) {
                return "has an empty segment ('//')";
            }
            if (seg_dots) {
                return "has a '.' or '..' segment";
            }
            seg = 0;
            seg_dots = 1;
            s++;
            continue;
        }
        if (*s == '*' || *s == '?' || (unsigned char)*s < 0x20 || *s == 0x7f ||
            *s == '\\') {
            return "has a character not allowed in a prefix "
                   "('*', '?', '\\' or a control character)";
        }
        if (*s != '.') {
            seg_dots = 0;
        }
        seg++;
        s++;
    }
    if (seg > 0 && seg_dots) {
        return "has a '.' or '..' segment";
    }
    if (!has_id) {
        return "must contain %{id} (each stream needs its own prefix)";
    }
    return NULL;
}

static int safe_char(unsigned char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
           (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '@' ||
           c == '=' || c == '+' || c == '-';
}

const char *mb_s3_key_segment(apr_pool_t *p, const char *s)
{
    static const char hex[] = "0123456789ABCDEF";
    size_t n = strlen(s), i;
    char *out, *o;

    if (n == 0) {
        return "%00";
    }
    o = out = apr_palloc(p, n * 3 + 1);
    for (i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (safe_char(c) && !(i == 0 && c == '.')) {
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

const char *mb_s3_path_expand(apr_pool_t *p, const char *tmpl, const char *user,
                              const char *id)
{
    const char *u = mb_s3_key_segment(p, user);
    const char *s = tmpl;
    char *out;
    size_t len = 0, cap;

    cap = strlen(tmpl) + 1 + 8 * (strlen(u) + strlen(id) + 1);
    out = apr_palloc(p, cap + 1);
    while (*s) {
        const char *v = NULL;
        if (!strncmp(s, VAR_USER, sizeof(VAR_USER) - 1)) {
            v = u;
            s += sizeof(VAR_USER) - 1;
        }
        else if (!strncmp(s, VAR_ID, sizeof(VAR_ID) - 1)) {
            v = id;
            s += sizeof(VAR_ID) - 1;
        }
        if (v) {
            size_t vl = strlen(v);
            if (len + vl + 1 > cap) {
                return NULL;
            }
            memcpy(out + len, v, vl);
            len += vl;
        }
        else {
            if (len + 2 > cap) {
                return NULL;
            }
            out[len++] = *s++;
        }
    }
    if (len == 0 || out[len - 1] != '/') {
        out[len++] = '/';
    }
    out[len] = '\0';
    return len > MB_S3_MAX_PREFIX ? NULL : out;
}

int mb_s3_bucket_valid(const char *bucket)
{
    size_t n = bucket ? strlen(bucket) : 0, i;

    if (n == 0 || n > 255) {
        return 0;
    }
    for (i = 0; i < n; i++) {
        char c = bucket[i];
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
              (c >= '0' && c <= '9') || c == '.' || c == '-' || c == '_')) {
            return 0;
        }
    }
    return 1;
}

const char *mb_s3_policy(apr_pool_t *p, const char *bucket, const char *prefix)
{
    const char *bucket_arn = apr_pstrcat(p, "arn:aws:s3:::", bucket, NULL);
    const char *objects = apr_pstrcat(p, bucket_arn, "/", prefix, "*", NULL);
    mb_json *policy = mb_json_object(p), *statements, *st, *a;

    mb_json_set_str(policy, "Version", "2012-10-17");
    statements = mb_json_set_array(policy, "Statement");
    /* the stream's objects */
    st = mb_json_push_object(statements);
    mb_json_set_str(st, "Effect", "Allow");
    a = mb_json_set_array(st, "Action");
    mb_json_push_str(a, "s3:PutObject");
    mb_json_push_str(a, "s3:DeleteObject");
    mb_json_push_str(a, "s3:AbortMultipartUpload");
    mb_json_push_str(mb_json_set_array(st, "Resource"), objects);
    /* listing the bucket, under the stream's prefix only */
    st = mb_json_push_object(statements);
    mb_json_set_str(st, "Effect", "Allow");
    mb_json_push_str(mb_json_set_array(st, "Action"), "s3:ListBucket");
    mb_json_push_str(mb_json_set_array(st, "Resource"), bucket_arn);
    mb_json_push_str(
        mb_json_set_array(mb_json_set_object(mb_json_set_object(st, "Condition"),
                                             "StringLike"),
                          "s3:prefix"),
        apr_pstrcat(p, prefix, "*", NULL));
    return mb_json_dump(p, policy, NULL);
}
