/*
 * sts.c -- temporary S3 credentials from AWS STS (see include/mb_sts.h).
 */
#include "mb_sts.h"
#include "mb_html.h"
#include "mb_time.h"

#include <apr_strings.h>
#include <apr_thread_mutex.h>
#include <apr_xml.h>
#include <openssl/crypto.h>
#include <string.h>

const char *mb_sts_action_name(mb_sts_action_e action)
{
    return action == MB_STS_FEDERATION_TOKEN ? "GetFederationToken"
                                             : "AssumeRole";
}

const char *mb_sts_lifetime_check(apr_pool_t *p, mb_sts_action_e action,
                                  int lifetime)
{
    int max = action == MB_STS_FEDERATION_TOKEN ? MB_STS_MAX_FEDERATION
                                                : MB_STS_MAX_ASSUME_ROLE;

    if (lifetime < MB_STS_MIN_LIFETIME || lifetime > max) {
        return apr_psprintf(p, "%d s is outside %s's limits (%d to %d s)",
                            lifetime, mb_sts_action_name(action),
                            MB_STS_MIN_LIFETIME, max);
    }
    return NULL;
}

static int sts_name_char(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
           (c >= '0' && c <= '9') || strchr("_+=,.@-", c) != NULL;
}

const char *mb_sts_session_name(apr_pool_t *p, mb_sts_action_e action,
                                const char *user, const char *id)
{
    /* AssumeRole: "<user>.<id>", user cut to 27 (27 + 1 + 36 = 64).
     * GetFederationToken: "mb-<user>", 2 to 32 characters. */
    size_t max_user = action == MB_STS_FEDERATION_TOKEN ? 29 : 27;
    char *u = apr_palloc(p, max_user + 1);
    size_t n = 0;

    for (; user && *user && n < max_user; user++) {
        u[n++] = sts_name_char(*user) ? *user : '_';
    }
    u[n] = '\0';
    if (action == MB_STS_FEDERATION_TOKEN) {
        return apr_pstrcat(p, "mb-", u, NULL);
    }
    return apr_pstrcat(p, n ? u : "mb", ".", id, NULL);
}

const char *mb_sts_form(apr_pool_t *p, const mb_sts_conf *c,
                        const char *session_name, const char *policy)
{
    const char *duration = apr_itoa(p, c->lifetime);

    if (c->action == MB_STS_FEDERATION_TOKEN) {
        return apr_pstrcat(
            p, "Action=GetFederationToken", "&DurationSeconds=", duration,
            "&Name=", mb_url_escape(p, session_name),
            "&Policy=", mb_url_escape(p, policy), "&Version=2011-06-15", NULL);
    }
    return apr_pstrcat(p, "Action=AssumeRole", "&DurationSeconds=", duration,
                       "&Policy=", mb_url_escape(p, policy),
                       "&RoleArn=", mb_url_escape(p, c->role_arn),
                       "&RoleSessionName=", mb_url_escape(p, session_name),
                       "&Version=2011-06-15", NULL);
}

/* ---- the XML answer ------------------------------------------------- */

static const apr_xml_elem *find_elem(const apr_xml_elem *e, const char *name)
{
    for (; e; e = e->next) {
        const apr_xml_elem *f;
        if (strcmp(e->name, name) == 0) {
            return e;
        }
        if ((f = find_elem(e->first_child, name)) != NULL) {
            return f;
        }
    }
    return NULL;
}

/* The text of the first element `name` below root (trimmed), or NULL. */
static const char *elem_text(apr_pool_t *p, const apr_xml_doc *doc,
                             const char *name)
{
    const apr_xml_elem *e = find_elem(doc->root, name);
    const apr_text *t;
    char *s = "";
    size_t n;

    if (e == NULL) {
        return NULL;
    }
    for (t = e->first_cdata.first; t; t = t->next) {
        s = apr_pstrcat(p, s, t->text, NULL);
    }
    while (*s == ' ' || *s == '\n' || *s == '\r' || *s == '\t') {
        s++;
    }
    n = strlen(s);
    while (n && (s[n - 1] == ' ' || s[n - 1] == '\n' || s[n - 1] == '\r' ||
                 s[n - 1] == '\t')) {
        s[--n] = '\0';
    }
    return s;
}

/* An error code is shown to clients: keep it to a short identifier. */
static const char *safe_code(apr_pool_t *p, const char *code)
{
    size_t i, n = code ? strlen(code) : 0;

    if (n == 0 || n > 64) {
        return NULL;
    }
    for (i = 0; i < n; i++) {
        char c = code[i];
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
              (c >= '0' && c <= '9') || c == '.' || c == '_')) {
            return NULL;
        }
    }
    return apr_pstrdup(p, code);
}

mb_sts_e mb_sts_parse(apr_pool_t *p, long http_status, const char *body,
                      apr_size_t len, mb_sts_creds *creds, mb_sts_result *res)
{
    apr_xml_parser *parser = apr_xml_parser_create(p);
    apr_xml_doc *doc = NULL;
    const char *exp;

    res->http_status = http_status;
    res->code = NULL;
    res->message = NULL;
    if (len == 0 || apr_xml_parser_feed(parser, body, len) != APR_SUCCESS ||
        apr_xml_parser_done(parser, &doc) != APR_SUCCESS || doc == NULL ||
        doc->root == NULL) {
        if (http_status != 200) {
            res->code = apr_psprintf(p, "HTTP%ld", http_status);
            res->message = "answer without an XML error document";
            return res->status = MB_STS_REFUSED;
        }
        res->message = "answer is not XML";
        return res->status = MB_STS_BAD_ANSWER;
    }
    if (http_status != 200 || find_elem(doc->root, "Error")) {
        res->code = safe_code(p, elem_text(p, doc, "Code"));
        if (res->code == NULL) {
            res->code = apr_psprintf(p, "HTTP%ld", http_status);
        }
        res->message = elem_text(p, doc, "Message");
        return res->status = MB_STS_REFUSED;
    }
    creds->access_key_id = elem_text(p, doc, "AccessKeyId");
    creds->secret_access_key = elem_text(p, doc, "SecretAccessKey");
    creds->session_token = elem_text(p, doc, "SessionToken");
    exp = elem_text(p, doc, "Expiration");
    if (exp == NULL || mb_time_parse_iso8601(exp, &creds->expiration)) {
        creds->expiration = 0;
    }
    if (!creds->access_key_id || !*creds->access_key_id ||
        !creds->secret_access_key || !*creds->secret_access_key ||
        !creds->session_token || !*creds->session_token) {
        res->message = "answer has no complete Credentials";
        return res->status = MB_STS_BAD_ANSWER;
    }
    return res->status = MB_STS_OK;
}

/* ---- the exchange --------------------------------------------------- */

typedef struct {
    apr_thread_mutex_t *locks[CURL_LOCK_DATA_LAST];
} share_locks;

static void share_lock(CURL *h, curl_lock_data data, curl_lock_access a,
                       void *userp)
{
    share_locks *l = userp;
    (void)h;
    (void)a;
    if (data < CURL_LOCK_DATA_LAST && l->locks[data]) {
        apr_thread_mutex_lock(l->locks[data]);
    }
}

static void share_unlock(CURL *h, curl_lock_data data, void *userp)
{
    share_locks *l = userp;
    (void)h;
    if (data < CURL_LOCK_DATA_LAST && l->locks[data]) {
        apr_thread_mutex_unlock(l->locks[data]);
    }
}

static apr_status_t share_cleanup(void *data)
{
    curl_share_cleanup((CURLSH *)data);
    return APR_SUCCESS;
}

CURLSH *mb_sts_share(apr_pool_t *p)
{
    share_locks *l = apr_pcalloc(p, sizeof(*l));
    CURLSH *sh;
    int i;

    for (i = 0; i < CURL_LOCK_DATA_LAST; i++) {
        if (apr_thread_mutex_create(&l->locks[i], APR_THREAD_MUTEX_DEFAULT,
                                    p) != APR_SUCCESS) {
            return NULL;
        }
    }
    if ((sh = curl_share_init()) == NULL) {
        return NULL;
    }
    apr_pool_cleanup_register(p, sh, share_cleanup, apr_pool_cleanup_null);
    if (curl_share_setopt(sh, CURLSHOPT_LOCKFUNC, share_lock) != CURLSHE_OK ||
        curl_share_setopt(sh, CURLSHOPT_UNLOCKFUNC, share_unlock) !=
            CURLSHE_OK ||
        curl_share_setopt(sh, CURLSHOPT_USERDATA, l) != CURLSHE_OK ||
        curl_share_setopt(sh, CURLSHOPT_SHARE, CURL_LOCK_DATA_CONNECT) !=
            CURLSHE_OK ||
        curl_share_setopt(sh, CURLSHOPT_SHARE, CURL_LOCK_DATA_DNS) !=
            CURLSHE_OK ||
        curl_share_setopt(sh, CURLSHOPT_SHARE, CURL_LOCK_DATA_SSL_SESSION) !=
            CURLSHE_OK) {
        return NULL;
    }
    return sh;
}

typedef struct {
    apr_pool_t *p;
    char *buf;
    apr_size_t len, cap;
} answer_buf;

static size_t answer_write(char *data, size_t size, size_t nmemb, void *u)
{
    answer_buf *a = u;
    size_t n = size * nmemb;

    if (a->len + n > MB_STS_MAX_ANSWER) {
        return 0; /* aborts the transfer */
    }
    if (a->len + n + 1 > a->cap) {
        apr_size_t cap = a->cap ? a->cap * 2 : 4096;
        char *nb;
        while (cap < a->len + n + 1) {
            cap *= 2;
        }
        nb = apr_palloc(a->p, cap);
        if (a->len) {
            memcpy(nb, a->buf, a->len);
            OPENSSL_cleanse(a->buf, a->len); /* may hold credentials */
        }
        a->buf = nb;
        a->cap = cap;
    }
    memcpy(a->buf + a->len, data, n);
    a->len += n;
    a->buf[a->len] = '\0';
    return n;
}

static apr_status_t easy_cleanup(void *data)
{
    curl_easy_cleanup((CURL *)data);
    return APR_SUCCESS;
}

mb_sts_e mb_sts_call(apr_pool_t *p, CURLSH *share, const mb_sts_conf *c,
                     const char *session_name, const char *policy,
                     mb_sts_creds *creds, mb_sts_result *res)
{
    answer_buf answer = {p, NULL, 0, 0};
    const char *body = mb_sts_form(p, c, session_name, policy);
    const char *sigv4 = apr_pstrcat(p, "aws:amz:", c->region, ":sts", NULL);
    char errbuf[CURL_ERROR_SIZE] = "";
    CURL *h = curl_easy_init();
    CURLcode rc;
    long status = 0;
    mb_sts_e k;

    memset(res, 0, sizeof(*res));
    if (h == NULL) {
        res->message = "curl_easy_init failed";
        return res->status = MB_STS_INTERNAL;
    }
    apr_pool_cleanup_register(p, h, easy_cleanup, apr_pool_cleanup_null);
    if (share) {
        curl_easy_setopt(h, CURLOPT_SHARE, share);
    }
    curl_easy_setopt(h, CURLOPT_URL, c->endpoint);
    curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(h, CURLOPT_FOLLOWLOCATION, 0L);
    curl_easy_setopt(h, CURLOPT_SSL_VERIFYPEER, 1L);
    curl_easy_setopt(h, CURLOPT_SSL_VERIFYHOST, 2L);
    curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS, c->connect_timeout_ms);
    curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, c->timeout_ms);
    curl_easy_setopt(h, CURLOPT_USERAGENT, "mod_broadcast");
    curl_easy_setopt(h, CURLOPT_AWS_SIGV4, sigv4);
    curl_easy_setopt(h, CURLOPT_USERNAME, c->access_key);
    curl_easy_setopt(h, CURLOPT_PASSWORD, c->secret_key);
    curl_easy_setopt(h, CURLOPT_POSTFIELDS, body);
    curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE, (long)strlen(body));
    curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, answer_write);
    curl_easy_setopt(h, CURLOPT_WRITEDATA, &answer);
    curl_easy_setopt(h, CURLOPT_ERRORBUFFER, errbuf);
    if (!c->keepalive) {
        curl_easy_setopt(h, CURLOPT_FRESH_CONNECT, 1L);
        curl_easy_setopt(h, CURLOPT_FORBID_REUSE, 1L);
    }

    rc = curl_easy_perform(h);
    curl_easy_getinfo(h, CURLINFO_NUM_CONNECTS, &res->new_connections);
    if (rc != CURLE_OK) {
        res->message =
            apr_pstrdup(p, errbuf[0] ? errbuf : curl_easy_strerror(rc));
        if (rc == CURLE_OPERATION_TIMEDOUT) {
            return res->status = MB_STS_TIMEOUT;
        }
        if (rc == CURLE_WRITE_ERROR) {
            res->message = "answer too large";
            return res->status = MB_STS_BAD_ANSWER;
        }
        return res->status = MB_STS_UNREACHABLE;
    }
    curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &status);
    k = mb_sts_parse(p, status, answer.buf ? answer.buf : "", answer.len, creds,
                     res);
    if (answer.buf) {
        /* the credentials are copied out: wipe the raw answer */
        OPENSSL_cleanse(answer.buf, answer.len);
    }
    return k;
}
