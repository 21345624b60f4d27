/* Unit tests of the STS request and answer (src/core/sts.c); the exchange
 * itself is tested against RGW by t/api_*.t. */
#include "mb_sts.h"
#include "mb_html.h"
#include "tap.h"

#include <apr_general.h>
#include <string.h>

static const char *ok_answer =
    "<AssumeRoleResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\">\n"
    "  <AssumeRoleResult>\n"
    "    <SourceIdentity>x</SourceIdentity>\n"
    "    <AssumedRoleUser><Arn>arn:aws:sts::123:assumed-role/r/s</Arn>\n"
    "      <AssumedRoleId>ARO:s</AssumedRoleId></AssumedRoleUser>\n"
    "    <Credentials>\n"
    "      <SessionToken>tok+en/with=chars</SessionToken>\n"
    "      <SecretAccessKey>wJalrXUtnFEMI/K7MDENG/bPxRfiCYzEXAMPLEKEY</SecretAccessKey>\n"
    "      <Expiration>2023-11-14T22:13:20Z</Expiration>\n"
    "      <AccessKeyId>ASIAEXAMPLE</AccessKeyId>\n"
    "    </Credentials>\n"
    "    <PackedPolicySize>6</PackedPolicySize>\n"
    "  </AssumeRoleResult>\n"
    "</AssumeRoleResponse>\n";

/* RGW's order differs: AccessKeyId first. */
static const char *rgw_answer =
    "<AssumeRoleResponse><AssumeRoleResult><Credentials>"
    "<AccessKeyId>o7aIpwJd</AccessKeyId>"
    "<Expiration>2026-11-21T22:32:30.966362713Z</Expiration>"
    "<SecretAccessKey>P8WY5GG0</SecretAccessKey>"
    "<SessionToken>OvCw1Csd</SessionToken></Credentials>"
    "</AssumeRoleResult></AssumeRoleResponse>";

static const char *aws_error =
    "<ErrorResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\">"
    "<Error><Type>Sender</Type><Code>AccessDenied</Code>"
    "<Message>User: arn:aws:iam::123456789012:user/x is not authorized</Message>"
    "</Error><RequestId>r</RequestId></ErrorResponse>";

static const char *rgw_error =
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Error><Code>MethodNotAllowed</Code>"
    "<Message></Message><RequestId>tx0</RequestId></Error>";

int main(void)
{
    apr_pool_t *p;
    mb_sts_creds c;
    mb_sts_result res;
    mb_sts_conf conf;
    const char *s;
    mb_sts_e k;

    apr_initialize();
    apr_pool_create(&p, NULL);

    memset(&c, 0, sizeof(c));
    k = mb_sts_parse(p, 200, ok_answer, strlen(ok_answer), &c, &res);
    ok(k == MB_STS_OK, "AWS answer parsed");
    ok(c.access_key_id && !strcmp(c.access_key_id, "ASIAEXAMPLE"), "AccessKeyId");
    ok(c.secret_access_key && !strcmp(c.secret_access_key,
       "wJalrXUtnFEMI/K7MDENG/bPxRfiCYzEXAMPLEKEY"), "SecretAccessKey");
    ok(c.session_token && !strcmp(c.session_token, "tok+en/with=chars"), "SessionToken");
    ok(c.expiration == apr_time_from_sec(1700000000), "Expiration");

    memset(&c, 0, sizeof(c));
    k = mb_sts_parse(p, 200, rgw_answer, strlen(rgw_answer), &c, &res);
    ok(k == MB_STS_OK && !strcmp(c.access_key_id, "o7aIpwJd")
       && !strcmp(c.session_token, "OvCw1Csd"), "RGW answer (other order) parsed");
    ok(c.expiration == apr_time_from_sec(1795300350), "fractional Expiration");

    k = mb_sts_parse(p, 403, aws_error, strlen(aws_error), &c, &res);
    ok(k == MB_STS_REFUSED && res.code && !strcmp(res.code, "AccessDenied"),
       "AWS ErrorResponse -> refused, code AccessDenied");
    ok(res.message && strstr(res.message, "not authorized"), "message kept for the log");
    k = mb_sts_parse(p, 405, rgw_error, strlen(rgw_error), &c, &res);
    ok(k == MB_STS_REFUSED && !strcmp(res.code, "MethodNotAllowed"),
       "RGW Error -> refused, code MethodNotAllowed");
    k = mb_sts_parse(p, 502, "<html>bad gateway", 17, &c, &res);
    ok(k == MB_STS_REFUSED && !strcmp(res.code, "HTTP502"), "non-XML error -> HTTP502");
    k = mb_sts_parse(p, 200, "not xml", 7, &c, &res);
    ok(k == MB_STS_BAD_ANSWER, "non-XML 200 -> bad answer");
    k = mb_sts_parse(p, 200, "<AssumeRoleResponse><Credentials><AccessKeyId>A</AccessKeyId>"
                     "</Credentials></AssumeRoleResponse>", 88, &c, &res);
    ok(k == MB_STS_BAD_ANSWER, "incomplete credentials -> bad answer");
    k = mb_sts_parse(p, 400, "<Error><Code>Bad code with spaces &amp; &lt;b&gt;</Code></Error>",
                     63, &c, &res);
    ok(k == MB_STS_REFUSED && !strcmp(res.code, "HTTP400"),
       "an odd error code is not echoed (HTTP400 instead)");

    ok(!strcmp(mb_url_escape(p, "a b+c/d={\"x\":1}~-._"),
               "a%20b%2Bc%2Fd%3D%7B%22x%22%3A1%7D~-._"), "form encoding: %s",
       mb_url_escape(p, "a b+c/d={\"x\":1}~-._"));

    memset(&conf, 0, sizeof(conf));
    conf.action = MB_STS_ASSUME_ROLE;
    conf.role_arn = "arn:aws:iam::123:role/up";
    conf.lifetime = 900;
    s = mb_sts_form(p, &conf, "alice.id", "{\"V\":1}");
    ok(!strcmp(s, "Action=AssumeRole&DurationSeconds=900&Policy=%7B%22V%22%3A1%7D"
                  "&RoleArn=arn%3Aaws%3Aiam%3A%3A123%3Arole%2Fup&RoleSessionName=alice.id"
                  "&Version=2011-06-15"), "AssumeRole form: %s", s);
    conf.action = MB_STS_FEDERATION_TOKEN;
    s = mb_sts_form(p, &conf, "mb-alice", "{}");
    ok(!strcmp(s, "Action=GetFederationToken&DurationSeconds=900&Name=mb-alice"
                  "&Policy=%7B%7D&Version=2011-06-15"), "GetFederationToken form: %s", s);

    s = mb_sts_session_name(p, MB_STS_ASSUME_ROLE, "alice", "0f6a5c1e-3b7d-4c2a-9e8f-1a2b3c4d5e6f");
    ok(!strcmp(s, "alice.0f6a5c1e-3b7d-4c2a-9e8f-1a2b3c4d5e6f"), "session name %s", s);
    s = mb_sts_session_name(p, MB_STS_ASSUME_ROLE,
                            "a very long user name / with odd characters!",
                            "0f6a5c1e-3b7d-4c2a-9e8f-1a2b3c4d5e6f");
    ok(strlen(s) <= 64 && strspn(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_+=,.@-") == strlen(s),
       "session name within 64 chars of STS's alphabet: %s", s);
    s = mb_sts_session_name(p, MB_STS_FEDERATION_TOKEN,
                            "someone-with-a-really-long-name-here", "x");
    ok(strlen(s) <= 32 && strlen(s) >= 2 && !strncmp(s, "mb-", 3),
       "federation Name within 2..32 chars: %s", s);

    ok(mb_sts_lifetime_check(p, MB_STS_ASSUME_ROLE, 3600) == NULL, "AssumeRole 3600 ok");
    ok(mb_sts_lifetime_check(p, MB_STS_ASSUME_ROLE, 899) != NULL, "AssumeRole 899 refused");
    ok(mb_sts_lifetime_check(p, MB_STS_ASSUME_ROLE, 43201) != NULL, "AssumeRole 43201 refused");
    ok(mb_sts_lifetime_check(p, MB_STS_FEDERATION_TOKEN, 129600) == NULL, "federation 129600 ok");
    ok(mb_sts_lifetime_check(p, MB_STS_FEDERATION_TOKEN, 129601) != NULL, "federation 129601 refused");

    apr_pool_destroy(p);
    apr_terminate();
    return done_testing();
}
