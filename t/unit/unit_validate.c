/* Unit tests of the parameter checks (src/core/validate.c). */
#include "mb_validate.h"
#include "tap.h"

#include <string.h>

static void utf8(const char *s, size_t len, int want, const char *what)
{
    ok(mb_utf8_valid(s, len) == want, "utf8 %s -> %d", what, want);
}

int main(void)
{
    char name[300];
    int v;

    utf8("", 0, 1, "empty");
    utf8("plain ascii", 11, 1, "ascii");
    utf8("caf\xc3\xa9", 5, 1, "2-byte");
    utf8("\xe2\x82\xac", 3, 1, "3-byte euro");
    utf8("\xf0\x9f\x8e\xa5", 4, 1, "4-byte emoji");
    utf8("\xf4\x8f\xbf\xbf", 4, 1, "U+10FFFF");
    utf8("\xc3", 1, 0, "truncated 2-byte");
    utf8("\xe2\x82", 2, 0, "truncated 3-byte");
    utf8("\x80", 1, 0, "lone continuation");
    utf8("\xc0\xaf", 2, 0, "overlong '/'");
    utf8("\xe0\x80\xaf", 3, 0, "overlong 3-byte");
    utf8("\xf0\x80\x80\xaf", 4, 0, "overlong 4-byte");
    utf8("\xed\xa0\x80", 3, 0, "surrogate U+D800");
    utf8("\xf4\x90\x80\x80", 4, 0, "above U+10FFFF");
    utf8("\xff", 1, 0, "0xff");
    utf8("a\xc3\xa9\xc3", 4, 0, "valid then truncated");

    ok(mb_stream_name_check("My stream") == NULL, "plain name ok");
    ok(mb_stream_name_check("") == NULL, "empty name ok");
    ok(mb_stream_name_check("\xd0\x9f\xd1\x80\xd0\xb8\xd0\xb2\xd0\xb5\xd1\x82") == NULL,
       "Cyrillic name ok");
    memset(name, 'a', 255); name[255] = '\0';
    ok(mb_stream_name_check(name) == NULL, "255 bytes ok");
    memset(name, 'a', 256); name[256] = '\0';
    ok(mb_stream_name_check(name) != NULL, "256 bytes refused");
    /* 127 two-byte characters + 1 = 255 bytes ok; one more 2-byte = 257 */
    for (v = 0; v < 127; v++) { name[2 * v] = '\xc3'; name[2 * v + 1] = '\xa9'; }
    name[254] = 'x'; name[255] = '\0';
    ok(mb_stream_name_check(name) == NULL, "255 bytes of UTF-8 ok");
    name[254] = '\xc3'; name[255] = '\xa9'; name[256] = '\0';
    ok(mb_stream_name_check(name) != NULL, "256 bytes of UTF-8 refused");
    ok(mb_stream_name_check("bad \xff") != NULL, "invalid UTF-8 refused");
    ok(mb_stream_name_check("line\nbreak") != NULL, "control character refused");

    ok(mb_stream_type_check(NULL) == NULL, "absent type = hls");
    ok(mb_stream_type_check("hls") == NULL, "hls ok");
    ok(mb_stream_type_check("HLS") != NULL, "HLS (case) refused");
    ok(mb_stream_type_check("dash") != NULL, "dash refused");
    ok(mb_stream_type_check("") != NULL, "empty type refused");

    ok(mb_limit_parse("1", &v) == 0 && v == 1, "limit 1");
    ok(mb_limit_parse("100", &v) == 0 && v == 100, "limit 100");
    ok(mb_limit_parse("0", &v) != 0, "limit 0 refused");
    ok(mb_limit_parse("101", &v) != 0, "limit 101 refused");
    ok(mb_limit_parse("-1", &v) != 0, "limit -1 refused");
    ok(mb_limit_parse("5x", &v) != 0, "limit 5x refused");
    ok(mb_limit_parse("", &v) != 0, "empty limit refused");
    ok(mb_limit_parse("99999999999999999999", &v) != 0, "huge limit refused");
    ok(mb_seconds_parse("3600", 43200, &v) == 0 && v == 3600, "seconds 3600");
    ok(mb_seconds_parse("43201", 43200, &v) != 0, "seconds above max refused");
    ok(mb_seconds_parse("0", 43200, &v) != 0, "0 seconds refused");
    return done_testing();
}
