# Recordings of S3 streams (issue 11): at stop, unless the broadcaster
# uploaded a vod.m3u8, the module lists the stream's prefix in the suite's
# Ceph RGW (ListObjectsV2), reads its index.m3u8 and PUTs a vod.m3u8 of the
# segments that are there; recording_url then plays through Apache (ffprobe).
# A vod.m3u8 (or live playlist) the broadcaster uploaded is served only if
# it names plain files of the stream: else 502 invalid_playlist, logged once.
# A recording that cannot be written does not fail the stop.  A master
# index.m3u8 (two renditions from ffmpeg's -var_stream_map) is recorded as
# local streams are: vod.<variant> for each, and vod.m3u8 their master.
use strict;
use warnings FATAL => 'all';
use Apache::Test qw(-withtestmore);
use lib 't/lib';
use File::Temp ();
use LWP::UserAgent;
use MB::API qw(engines api form note_secret);

my ($engine, $port) = @{ (engines())[0] };
my $base = "http://127.0.0.1:$port";
my $ua = LWP::UserAgent->new(timeout => 30);
my $errlog = Apache::Test::vars('t_logs') . '/error_log';

sub get { my ($path, @h) = @_; $ua->get("$base$path", @h) }
sub slurp { my ($f) = @_; open my $fh, '<:raw', $f or die "$f: $!"; local $/; <$fh> }
sub spew { my ($f, $t) = @_; open my $fh, '>:raw', $f or die "$f: $!"; print $fh $t; close $fh }
sub log_size { -s $errlog // 0 }
sub log_since { my ($off) = @_; substr(slurp($errlog), $off) }
# the lines of the error log since $off with tag $tag, once it has $n
sub wait_tag {
    my ($off, $tag, $n) = @_;
    my @l;
    for (1 .. 50) {
        @l = grep { /$tag/ } split /\n/, log_since($off);
        last if @l >= $n;
        select undef, undef, undef, 0.1;
    }
    return @l;
}

sub start {
    my ($name) = @_;
    my $r = api(port => $port, method => 'POST', user => 'alice', path => '/stream/start',
                query => form(type => 'hls', name => $name));
    die 'start: ' . $r->code unless $r->code == 200;
    my $S3 = $r->{json}{endpoint}{S3};
    note_secret($S3->{aws_secret_access_key});
    note_secret($S3->{aws_session_token});
    return ($r->{json}{stream}{id}, $S3);
}

sub stop {
    my ($id, $path) = @_;
    return api(port => $port, method => 'POST', user => 'alice', path => ($path // '/stream') . '/stop',
               query => form(id => $id));
}

# the files of $dir uploaded into the stream's prefix by the aws CLI
sub upload {
    my ($S3, $dir) = @_;
    local $ENV{AWS_ACCESS_KEY_ID} = $S3->{aws_access_key_id};
    local $ENV{AWS_SECRET_ACCESS_KEY} = $S3->{aws_secret_access_key};
    local $ENV{AWS_SESSION_TOKEN} = $S3->{aws_session_token};
    local $ENV{AWS_DEFAULT_REGION} = $S3->{s3_bucket_region};
    local $ENV{AWS_CONFIG_FILE} = '/dev/null';
    local $ENV{AWS_SHARED_CREDENTIALS_FILE} = '/dev/null';
    local $ENV{AWS_EC2_METADATA_DISABLED} = 'true';
    my $dest = "s3://$S3->{s3_bucket_name}/$S3->{s3_bucket_path}";
    my $out = `/usr/bin/aws --endpoint-url $ENV{MB_RGW_ENDPOINT} s3 cp --recursive $dir $dest --no-progress 2>&1`;
    die "aws s3 cp: $out" if $?;
}

# ---- a real HLS stream: segments and index.m3u8 only -----------------------
my $dir = File::Temp::tempdir(CLEANUP => 1);
system('ffmpeg', '-nostdin', '-v', 'error', '-f', 'lavfi', '-i', 'testsrc=size=320x240:rate=25',
       '-f', 'lavfi', '-i', 'sine=frequency=440', '-t', '4', '-c:v', 'libx264',
       '-preset', 'ultrafast', '-pix_fmt', 'yuv420p', '-g', '25', '-c:a', 'aac',
       '-f', 'hls', '-hls_time', '1', '-hls_list_size', '0',
       '-hls_segment_filename', "$dir/seg%d.ts", "$dir/index.m3u8") == 0
    or die 'ffmpeg could not write the test stream';
my @segs = slurp("$dir/index.m3u8") =~ /^(seg\d+\.ts)$/mg;
ok @segs >= 3, 'ffmpeg wrote ' . scalar(@segs) . ' segments';

my ($id, $S3) = start('s3rec');
upload($S3, $dir);
my $off = log_size();
my $st = stop($id);
is $st->code, 200, 'stop an S3 stream without vod.m3u8: 200';
my $rec = $st->{json}{playback}{recording_url} // '';
like $rec, qr{/\Q$id\E/vod\.m3u8$}, "... recording_url names its vod.m3u8: $rec";
my @w = wait_tag($off, 'MB3408', 1);
is scalar @w, 1, '... the recording written, logged once (info)';
like $w[0] // '', qr/written to S3: ${\ scalar @segs} segments/, '... with every segment';

my $vod = get("/live-s3/$id/vod.m3u8");
is $vod->code, 200, 'the recording through Apache: 200';
my $text = $vod->content;
like $text, qr/^#EXTM3U/, '... an M3U playlist';
like $text, qr/^#EXT-X-ENDLIST\s*\z/m, '... a VOD playlist (EXT-X-ENDLIST)';
like $text, qr/^#EXT-X-PLAYLIST-TYPE:VOD$/m, '... PLAYLIST-TYPE VOD';
is_deeply [ $text =~ /^(seg\d+\.ts)$/mg ], \@segs, '... every uploaded segment, in order';
{
    my $out = `timeout 60 ffprobe -v error -show_entries format=duration -of csv=p=0 '$base/live-s3/$id/vod.m3u8' 2>&1`;
    is $?, 0, 'ffprobe reads the recording through Apache' or diag $out;
    ok $out =~ /^([\d.]+)/m && $1 > 3, "... its duration is the stream's (about 4 s): $out";
}
like get("/live-s3/$id/")->content, qr/var src='vod\.m3u8'/, 'the player page plays it';

# ---- a segment the live playlist names but the bucket lacks: left out -------
{
    my $d = File::Temp::tempdir(CLEANUP => 1);
    spew("$d/$_", slurp("$dir/$_")) for @segs[0, 1];
    spew("$d/index.m3u8", slurp("$dir/index.m3u8"));
    my ($id2, $S) = start('s3rec-partial');
    upload($S, $d);
    is stop($id2)->code, 200, 'stop a stream whose bucket lacks segments: 200';
    my $v = get("/live-s3/$id2/vod.m3u8");
    is $v->code, 200, '... its recording: 200';
    is_deeply [ $v->content =~ /^(seg\d+\.ts)$/mg ], [ @segs[0, 1] ],
        '... only the segments that are in the bucket';
}

# ---- playlists the broadcaster uploaded: served only if they are safe -------
my %hostile = (
    absolute => "#EXTM3U\n#EXT-X-TARGETDURATION:1\n#EXTINF:1,\nhttp://evil.example/x.ts\n#EXT-X-ENDLIST\n",
    parent   => "#EXTM3U\n#EXT-X-TARGETDURATION:1\n#EXTINF:1,\n../other/seg0.ts\n#EXT-X-ENDLIST\n",
    key      => "#EXTM3U\n#EXT-X-TARGETDURATION:1\n#EXT-X-KEY:METHOD=AES-128,URI=\"/keys/k\"\n"
              . "#EXTINF:1,\nseg0.ts\n#EXT-X-ENDLIST\n",
);
for my $kind (sort keys %hostile) {
    my $d = File::Temp::tempdir(CLEANUP => 1);
    spew("$d/seg0.ts", slurp("$dir/seg0.ts"));
    spew("$d/index.m3u8", slurp("$dir/index.m3u8"));
    spew("$d/vod.m3u8", $hostile{$kind});
    my ($idh, $S) = start("s3rec-$kind");
    upload($S, $d);
    my $o = log_size();
    is stop($idh)->code, 200, "[$kind] stop a stream with its own vod.m3u8: 200";
    my $v = get("/live-s3/$idh/vod.m3u8");
    is $v->code, 502, "[$kind] a hostile uploaded vod.m3u8 is not served: 502";
    like $v->content, qr/"code":"invalid_playlist"/, "[$kind] ... JSON error invalid_playlist";
    unlike $v->content, qr/evil|\.\.|keys/, "[$kind] ... nothing of the playlist in the answer";
    my @l = wait_tag($o, 'MB3411', 1);
    is scalar @l, 1, "[$kind] ... logged once";
    is scalar(grep { /MB3408/ } split /\n/, log_since($o)), 0,
        "[$kind] ... the broadcaster's vod.m3u8 is not overwritten";
}
{
    my $d = File::Temp::tempdir(CLEANUP => 1);
    spew("$d/seg0.ts", slurp("$dir/seg0.ts"));
    spew("$d/index.m3u8", $hostile{absolute});
    my ($idl, $S) = start('s3rec-live-hostile');
    upload($S, $d);
    is get("/live-s3/$idl/index.m3u8")->code, 502, 'a hostile live playlist is not served either: 502';
    stop($idl);
}
{
    my $d = File::Temp::tempdir(CLEANUP => 1);
    spew("$d/seg0.ts", slurp("$dir/seg0.ts"));
    spew("$d/index.m3u8", slurp("$dir/index.m3u8"));
    spew("$d/vod.m3u8", "#EXTM3U\n#EXT-X-TARGETDURATION:2\n#EXTINF:1,\nseg0.ts\n#EXT-X-ENDLIST\n");
    my ($idg, $S) = start('s3rec-own');
    upload($S, $d);
    is stop($idg)->code, 200, 'stop a stream with a valid vod.m3u8 of its own: 200';
    my $v = get("/live-s3/$idg/vod.m3u8");
    is $v->code, 200, '... served';
    is $v->content, slurp("$d/vod.m3u8"), '... as uploaded (not overwritten)';
    my $rg = get("/live-s3/$idg/vod.m3u8", Range => 'bytes=0-6');
    is $rg->code, 206, '... a Range of it: 206';
    is $rg->content, '#EXTM3U', '... those bytes';
}

# ---- no recording can be written: the stop succeeds all the same -----------
{
    my ($idn) = start('s3rec-nothing');
    my $o = log_size();
    is stop($idn)->code, 200, 'stop a stream that uploaded nothing: 200';
    my @l = wait_tag($o, 'MB3405', 1);
    is scalar @l, 1, '... no recording (no index.m3u8), logged once';
    is get("/live-s3/$idn/vod.m3u8")->code, 404, '... recording_url: 404';
}
{
    my $d = File::Temp::tempdir(CLEANUP => 1);
    spew("$d/seg0.ts", slurp("$dir/seg0.ts"));
    spew("$d/index.m3u8", "#EXTM3U\n#EXT-X-STREAM-INF:BANDWIDTH=800000\nlow.m3u8\n");
    my ($idm, $S) = start('s3rec-master-empty');
    upload($S, $d);
    my $o = log_size();
    is stop($idm)->code, 200, 'stop a stream whose master index.m3u8 names a playlist the bucket lacks: 200';
    my @l = wait_tag($o, 'MB3416', 1);
    is scalar @l, 1, '... no recording (none of its playlists), logged once';
    is scalar(grep { /MB3413/ } split /\n/, log_since($o)), 1, '... the missing playlist logged once';
    is get("/live-s3/$idm/vod.m3u8")->code, 404, '... recording_url: 404';
}
{
    # a master that names 40 playlists: at most 32 are read at the stop
    my $d = File::Temp::tempdir(CLEANUP => 1);
    spew("$d/index.m3u8", "#EXTM3U\n" . join('', map { "#EXT-X-STREAM-INF:BANDWIDTH=${_}000\nv$_.m3u8\n" } 1 .. 40));
    my ($idx, $S) = start('s3rec-master-many');
    upload($S, $d);
    my $o = log_size();
    is stop($idx)->code, 200, 'stop a stream whose master names 40 playlists: 200';
    wait_tag($o, 'MB3416', 1);
    my @since = split /\n/, log_since($o);
    is scalar(grep { /MB3419/ } @since), 1, '... "more than 32 playlists" logged once';
    is scalar(grep { /MB3413/ } @since), 32, '... only 32 of them asked of S3';
}

# ---- several renditions: a master index.m3u8 and two variants ---------------
{
    my $d = File::Temp::tempdir(CLEANUP => 1);
    system('ffmpeg', '-nostdin', '-v', 'error', '-f', 'lavfi', '-i', 'testsrc=size=320x240:rate=25',
           '-f', 'lavfi', '-i', 'sine=frequency=440', '-t', '4',
           '-map', '0:v', '-map', '1:a', '-map', '0:v', '-map', '1:a',
           '-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p', '-g', '25', '-c:a', 'aac',
           '-s:v:1', '160x120', '-b:v:0', '400k', '-b:v:1', '150k',
           '-f', 'hls', '-hls_time', '1', '-hls_list_size', '0',
           '-var_stream_map', 'v:0,a:0 v:1,a:1', '-master_pl_name', 'index.m3u8',
           '-hls_segment_filename', "$d/stream_%v_%d.ts", "$d/stream_%v.m3u8") == 0
        or die 'ffmpeg could not write the two renditions';
    my %segs = map { my $v = $_; ($v => [ slurp("$d/stream_$v.m3u8") =~ /^(stream_${v}_\d+\.ts)$/mg ]) } 0, 1;
    like slurp("$d/index.m3u8"), qr/#EXT-X-STREAM-INF/, 'ffmpeg wrote a master index.m3u8 and two variants';
    my ($idv, $S) = start('s3rec-renditions');
    upload($S, $d);
    my $o = log_size();
    is stop($idv)->code, 200, 'renditions: stop: 200';
    my @l = wait_tag($o, 'MB3417', 1);
    is scalar @l, 1, 'renditions: the recording written, logged once';
    my $n = @{ $segs{0} } + @{ $segs{1} };
    like $l[0] // '', qr/a master of 2 playlists, $n segments/, "renditions: ... both variants, every segment ($n)";
    my $m = get("/live-s3/$idv/vod.m3u8");
    is $m->code, 200, 'renditions: vod.m3u8 through Apache: 200';
    like $m->content, qr/^#EXT-X-STREAM-INF:.*RESOLUTION=320x240.*\nvod\.stream_0\.m3u8$/m,
        'renditions: ... a master naming the recording of the first variant';
    like $m->content, qr/^#EXT-X-STREAM-INF:.*RESOLUTION=160x120.*\nvod\.stream_1\.m3u8$/m,
        'renditions: ... and of the second';
    for my $v (0, 1) {
        my $r = get("/live-s3/$idv/vod.stream_$v.m3u8");
        is $r->code, 200, "renditions: vod.stream_$v.m3u8: 200";
        like $r->content, qr/^#EXT-X-ENDLIST\s*\z/m, "renditions: ... a VOD playlist";
        is_deeply [ $r->content =~ /^(stream_${v}_\d+\.ts)$/mg ], $segs{$v}, "renditions: ... every segment of variant $v, in order";
        my $out = `timeout 60 ffprobe -v error -show_entries format=duration -of csv=p=0 '$base/live-s3/$idv/vod.stream_$v.m3u8' 2>&1`;
        ok $? == 0 && $out =~ /^([\d.]+)/m && $1 > 3, "renditions: ffprobe plays variant $v through Apache (about 4 s): $out";
    }
    my $out = `timeout 60 ffprobe -v error -show_entries stream=width -of csv=p=0 '$base/live-s3/$idv/vod.m3u8' 2>&1`;
    is $?, 0, 'renditions: ffprobe reads the master recording' or diag $out;
    my %w = map { $_ => 1 } $out =~ /^(\d+)\s*$/mg;    # (ffprobe may list a stream per program)
    is_deeply [ sort { $a <=> $b } keys %w ], [ 160, 320 ], 'renditions: ... with both video variants';

    # the same, but the bucket lacks one variant's playlist: the master keeps the other
    my $d2 = File::Temp::tempdir(CLEANUP => 1);
    spew("$d2/$_", slurp("$d/$_")) for 'index.m3u8', 'stream_0.m3u8', @{ $segs{0} };
    my ($idw, $S2) = start('s3rec-renditions-partial');
    upload($S2, $d2);
    $o = log_size();
    is stop($idw)->code, 200, 'renditions, one playlist missing: stop: 200';
    @l = wait_tag($o, 'MB3417', 1);
    like $l[0] // '', qr/a master of 1 playlists/, 'renditions, one playlist missing: ... recorded with the other';
    is scalar(grep { /MB3413/ } split /\n/, log_since($o)), 1, 'renditions, one playlist missing: ... the missing one logged once';
    my $m2 = get("/live-s3/$idw/vod.m3u8")->content;
    like $m2, qr/^vod\.stream_0\.m3u8$/m, 'renditions, one playlist missing: ... the master names the one recorded';
    unlike $m2, qr/stream_1/, 'renditions, one playlist missing: ... and not the missing one';
}
{
    my ($idd, $S) = start('s3rec-down');
    upload($S, $dir);
    my $o = log_size();
    my $s = stop($idd, '/stream-s3-down');
    is $s->code, 200, 'stop while S3 cannot be reached to write the recording: 200';
    is $s->{json}{stream}{id}, $idd, '... the stream in the answer';
    my @l = wait_tag($o, 'MB3400', 1);
    is scalar @l, 1, '... the missing recording logged once';
    unlike log_since($o), qr/\Q$S->{aws_secret_access_key}\E/, '... without any secret';
    my $d = api(port => $port, user => 'alice', path => "/stream/$idd");
    ok defined $d->{json}{stream}{stop_date}, '... the stream is stopped';
    is stop($idd)->code, 409, '... a second stop: 409 (already stopped)';
    is get("/live-s3/$idd/vod.m3u8")->code, 404, '... and has no recording';
}

done_testing();
