# Real clients against broadcast-video: ffprobe must seek with Range to
# read an MP4 whose index is at the end; curl --range equals dd.
use strict;
use warnings FATAL => 'all';
use Apache::Test qw(-withtestmore);
use lib 't/lib';
use MB::Test qw(data_dir base_url);
use File::Temp qw(tempdir);

my $base = base_url();
my $logf = Apache::Test::vars('t_logs') . '/access_log';

sub access_lines_since {
    my ($mark) = @_;
    open my $fh, '<', $logf or return ();
    seek $fh, $mark, 0;
    return <$fh>;
}

for my $url ("$base/videos/sample.mp4", "$base/api/stream?path=sample.mp4",
             "$base/api/capped?path=movies/a.mp4") {
    my $mark = -s $logf;
    my $dur = `ffprobe -v error -show_entries format=duration -of csv=p=0 '$url' 2>&1`;
    chomp $dur;
    like $dur, qr/^\d+(\.\d+)?$/, "ffprobe reads $url";
    ok abs($dur - 4.0) < 0.2, "ffprobe: duration ~4 s ($dur)";
    select undef, undef, undef, 0.2;
    my @ranged = grep { / 206 / } access_lines_since($mark);
    ok @ranged >= 1, "ffprobe used Range requests (" . scalar(@ranged) . " x 206)";
}

# ffmpeg decodes every frame through the handler
{
    my $out = `ffmpeg -nostdin -v error -i '$base/videos/sample.mp4' -f null - 2>&1`;
    is $?, 0, 'ffmpeg decodes the whole file through the handler';
    is $out, '', 'ffmpeg: no decoding error';
}

# curl --range output equals dd of the same bytes
my $tmp = tempdir(CLEANUP => 1);
my $file = data_dir() . '/videos/random.bin';
for my $r ([0, 0], [1, 1000], [65536, 1048575], [3000000, 3145850]) {
    my ($f, $l) = @$r;
    my $n = $l - $f + 1;
    system("curl -sf --range $f-$l -o $tmp/curl.bin '$base/api/stream?path=random.bin'") == 0
        or fail("curl --range $f-$l");
    system("dd if=$file of=$tmp/dd.bin bs=1 skip=$f count=$n status=none") == 0
        or fail("dd");
    is system("cmp -s $tmp/curl.bin $tmp/dd.bin"), 0,
        "curl --range $f-$l equals dd skip=$f count=$n";
}

# a resumed download (curl -C -) reassembles the file exactly
{
    system("head -c 1000000 $file > $tmp/resume.bin");
    system("curl -sf -C - -o $tmp/resume.bin '$base/videos/random.bin'");
    is system("cmp -s $tmp/resume.bin $file"), 0, 'curl -C - resumes to the exact file';
}

done_testing();
