# The status page filtered by viewer link (issue 12): ?token_id=<id> shows,
# in JSON and in HTML, only the watch log's rows served through that link
# (who watched through which link), on both engines; the rows carry their
# token_id; a malformed token_id is 400.
use strict;
use warnings FATAL => 'all';
use Apache::Test qw(-withtestmore);
use JSON::PP qw(decode_json);
use lib 't/lib';
use MB::API qw(engines api form);
use MB::Live qw(start_stream stop_stream ffmpeg_push live_dir);
use MB::Watch qw(watch_request wait_count quote);

my ($engine, $port) = @{ (engines())[0] };
my ($id, $H) = start_stream($port, 'viewer-status');
is ffmpeg_push($H, seconds => 2, wait => 1, dir => live_dir($id)), 0, 'pushed';
my @links = map {
    my $L = api(port => $port, method => 'POST', user => 'alice', path => "/local/$id/viewer-link",
                body => form(lifetime => 600))->{json};
    my ($tok) = $L->{url} =~ m{/t/([^/]+)/};
    [ $tok, $L->{token_id} ];
} 1 .. 2;
my $ADMIN = 'Basic YWxpY2U6YWxpY2UtcHc=';   # alice, who may see the status page

for my $en ('sqlite', 'pgsql') {
    my $tag = "mb-test/viewer-status-$en-$$-" . time;
    # three requests through the first link, one through the second, one without
    for my $n (1 .. 3) {
        is watch_request($en, "/live/t/$links[0][0]/$id/index.m3u8", 'User-Agent' => "$tag a$n")->code,
           200, "[$en] through link A ($n)";
    }
    is watch_request($en, "/live/t/$links[1][0]/$id/index.m3u8", 'User-Agent' => "$tag b")->code,
       200, "[$en] through link B";
    is watch_request($en, "/live/$id/index.m3u8", 'User-Agent' => "$tag plain")->code,
       200, "[$en] without a link";
    is wait_count($en, 'user_agent LIKE ' . quote("$tag%"), 5), 5, "[$en] five rows written";

    my $r = watch_request($en, "/status?format=json&per_page=500&token_id=$links[0][1]",
                          Authorization => $ADMIN);
    is $r->code, 200, "[$en] the status page filtered by link A (JSON)";
    my $j = decode_json($r->content);
    is $j->{filters}{token_id}, $links[0][1], "[$en] ... it names the filter";
    my @rows = @{ $j->{log}{rows} // $j->{recent}{rows} // [] };
    my @mine = grep { ($_->{user_agent} // '') =~ /^\Q$tag\E/ } @rows;
    is_deeply [ sort map { $_->{user_agent} } @mine ], [ map { "$tag a$_" } 1 .. 3 ],
       "[$en] only the three rows of link A";
    is scalar(grep { ($_->{token_id} // '') ne $links[0][1] } @rows), 0,
       "[$en] every row shown has link A's token_id";

    $r = watch_request($en, "/status?format=json&per_page=500&token_id=$links[1][1]",
                       Authorization => $ADMIN);
    $j = decode_json($r->content);
    @mine = grep { ($_->{user_agent} // '') =~ /^\Q$tag\E/ } @{ $j->{log}{rows} // $j->{recent}{rows} // [] };
    is_deeply [ map { $_->{user_agent} } @mine ], [ "$tag b" ], "[$en] link B: its one row";

    $r = watch_request($en, "/status?per_page=500&token_id=$links[0][1]", Authorization => $ADMIN);
    is $r->code, 200, "[$en] the HTML page filtered by link A";
    my $html = $r->content;
    like $html, qr{Showing only viewer link <b>\Q$links[0][1]\E</b>}, "[$en] ... it says so";
    my ($table) = $html =~ m{<table id="log-table">(.*?)</table>}s;
    my @cells = map { [ m{<td[^>]*>(.*?)</td>}gs ] } ($table // '') =~ m{<tr class="log-row">(.*?)</tr>}gs;
    ok @cells >= 3, "[$en] ... with rows";
    is scalar(grep { ($_->[10] // '') !~ /\Q$links[0][1]\E/ } @cells), 0,
       "[$en] ... each in its Link column";
    like $html, qr{<input name="token_id" size="32" value="\Q$links[0][1]\E">}, "[$en] the filter form holds it";

    my $all = watch_request($en, "/status?format=json&per_page=500", Authorization => $ADMIN);
    my @every = grep { ($_->{user_agent} // '') =~ /^\Q$tag\E/ }
        @{ decode_json($all->content)->{log}{rows} // decode_json($all->content)->{recent}{rows} // [] };
    is scalar(@every), 5, "[$en] unfiltered: all five rows";
    my ($plain) = grep { $_->{user_agent} eq "$tag plain" } @every;
    ok $plain && !defined $plain->{token_id}, "[$en] the row without a link has token_id null";

    for my $bad ('xyz', 'A' x 32, $links[0][1] . '0', $links[0][0]) {
        $r = watch_request($en, "/status?format=json&token_id=$bad", Authorization => $ADMIN);
        is $r->code, 400, "[$en] token_id=" . substr($bad, 0, 12) . "...: 400";
    }
}
stop_stream($port, $id);

done_testing();
