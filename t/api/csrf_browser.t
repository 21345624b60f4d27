# Cross-site request forgery in a real browser (issue 8, part 1): headless
# Chromium signs in to the API with HTTP Basic as alice would (so that it
# holds her credentials), then opens a page of another origin (another
# port of the same host) that submits a form, or calls fetch(), to stop
# one of her streams.  The stream stays live.  The same page served from
# the API's own origin, or from an origin that BroadcastTrustedOrigin
# lists, stops it (and the trusted page may read the answer: CORS).
use strict;
use warnings FATAL => 'all';
use Apache::Test qw(-withtestmore);
use URI::Escape qw(uri_escape);
use JSON::PP ();
use lib 't/lib';
use MB::API qw(engines api form note_secret rgw_env);

my ($engine, $port) = @{ (engines())[0] };
my $API = "http://127.0.0.1:$port";
my $OTHER = 'http://127.0.0.1:' . rgw_env('MB_CSRF_PORT_OTHER');
my $TRUSTED = 'http://127.0.0.1:' . rgw_env('MB_CSRF_PORT_TRUSTED');

sub start {
    my ($loc) = @_;
    my $r = api(port => $port, method => 'POST', user => 'alice', path => "/$loc/start",
                body => form(name => 'browser csrf'));
    is $r->code, 200, "start a stream at /$loc";
    note_secret($r->{json}{endpoint}{HTTP}{upload_token});
    return $r->{json}{stream}{id};
}

sub is_live {
    my ($id) = @_;
    my $r = api(port => $port, user => 'alice', path => "/local/$id");
    return $r->code == 200 && !defined $r->{json}{stream}{stop_date};
}

# Chromium: sign in at $login, then open $page_base/form.html with these
# parameters; the page's outcome as {prompts, href, text, error}.
sub browse {
    my ($login, $page_base, %q) = @_;
    my $page = "$page_base/form.html?" . join '&', map { "$_=" . uri_escape($q{$_}) } sort keys %q;
    my $out = `node --experimental-websocket t/lib/csrf-in-chromium.js '$login' alice alice-pw '$page' 15 2>/dev/null`;
    my $res = eval { JSON::PP->new->decode($out) } || { error => "no JSON from the browser: $out" };
    diag "page $page: " . JSON::PP->new->canonical->encode($res) if $res->{error};
    return $res;
}

# ---- another origin: a form with the browser's Basic credentials ----------
my $id = start('local');
my $res = browse("$API/local/", $OTHER, mode => 'form', target => "$API/local/stop", id => $id);
is $res->{error}, undef, 'the browser ran the page';
ok scalar(@{ $res->{prompts} || [] }) >= 1, 'the browser signed in with Basic credentials (' .
    join(' ', @{ $res->{prompts} || [] }) . ')';
is $res->{href}, "$API/local/stop", 'the other page submitted its form to the API';
like $res->{text} // '', qr/cross_origin/, 'the API refused it: cross_origin';
ok is_live($id), 'the stream is still live';

# the same with fetch() and the browser's credentials
$res = browse("$API/local/", $OTHER, mode => 'fetch', target => "$API/local/stop", id => $id);
like $res->{text} // '', qr/^error /, 'fetch() from another origin: the page cannot read an answer';
ok is_live($id), 'the stream is still live';

# ---- the API's own origin: the same page works ------------------------------
$res = browse("$API/local/", "$API/csrf-pages", mode => 'form', target => "$API/local/stop", id => $id);
like $res->{text} // '', qr/"stop_date":"\d{4}-/, 'the same form on the API\'s own origin stops the stream';
ok !is_live($id), 'the stream is stopped';

# ---- a listed origin --------------------------------------------------------
$id = start('trusted');
$res = browse("$API/trusted/", $TRUSTED, mode => 'form', target => "$API/trusted/stop", id => $id);
like $res->{text} // '', qr/"stop_date":"\d{4}-/, 'the form of a trusted origin stops the stream';
ok !is_live($id), 'the stream is stopped';

$id = start('trusted');
$res = browse("$API/trusted/", $TRUSTED, mode => 'fetch', target => "$API/trusted/stop", id => $id);
like $res->{text} // '', qr/^200 \{"stream":\{"id":"\Q$id\E"/,
    'fetch() with credentials from the trusted origin: the page reads the answer (CORS)';
ok !is_live($id), 'the stream is stopped';

$id = start('trusted');
$res = browse("$API/trusted/", $TRUSTED, mode => 'fetch-auth', target => "$API/trusted/stop", id => $id,
              user => 'alice', pw => 'alice-pw');
like $res->{text} // '', qr/^200 \{"stream":\{"id":"\Q$id\E"/,
    'fetch() with its own Authorization header (a preflight) from the trusted origin';
ok !is_live($id), 'the stream is stopped';

# the trusted location still refuses everybody else
$id = start('trusted');
$res = browse("$API/trusted/", $OTHER, mode => 'form', target => "$API/trusted/stop", id => $id);
like $res->{text} // '', qr/cross_origin/, 'another origin at the trusted location: cross_origin';
$res = browse("$API/trusted/", $OTHER, mode => 'fetch-auth', target => "$API/trusted/stop", id => $id,
              user => 'alice', pw => 'alice-pw');
like $res->{text} // '', qr/^error /, '... its preflight is refused';
ok is_live($id), 'the stream is still live';
api(port => $port, method => 'POST', user => 'alice', path => '/local/stop', body => "id=$id");

done_testing();
