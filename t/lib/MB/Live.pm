package MB::Live;
# Helpers for the self-hosted live tests: start a local stream through the
# API, push with ffmpeg's HLS muxer over HTTP PUT, stop, read recordings.
use strict;
use warnings;
use Exporter 'import';
use Time::HiRes qw(time);
use MB::API qw(api form note_secret);

our @EXPORT_OK = qw(start_stream stop_stream ffmpeg_push playlist_uris settle
                    live_dir play_in_chromium);

sub live_dir { "$ENV{MB_T_DIR}/data/live/$_[0]" }

# (id, HTTP endpoint) of a fresh stream of alice on the SQLite vhost
sub start_stream {
    my ($port, $name) = @_;
    my $r = api(port => $port, method => 'POST', user => 'alice',
                path => '/local/start', body => form(name => $name // 'live'));
    die 'start: ' . $r->code . ' ' . $r->content unless $r->code == 200;
    my $H = $r->{json}{endpoint}{HTTP};
    note_secret($H->{upload_token});
    return ($r->{json}{stream}{id}, $H);
}

sub stop_stream {
    my ($port, $id) = @_;
    return api(port => $port, method => 'POST', user => 'alice',
               path => '/local/stop', body => form(id => $id))->code;
}

# ffmpeg -re ... -f hls -method PUT; returns the pid (fork), or with
# wait => 1 the exit status.  %o: seconds, input ('av', 'audio'), args
# (the muxer's own options), url (default: the endpoint's playlist_url)
sub ffmpeg_push {
    my ($H, %o) = @_;
    my @in = ($o{input} // 'av') eq 'audio'
        ? ('-f', 'lavfi', '-i', 'sine=frequency=440:sample_rate=48000')
        : ('-f', 'lavfi', '-i', 'testsrc=size=320x240:rate=25',
           '-f', 'lavfi', '-i', 'sine=frequency=440');
    my @enc = ($o{input} // 'av') eq 'audio' ? ('-c:a', 'aac')
        : ('-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p',
           '-g', '25', '-c:a', 'aac');
    my $log = $o{log} // "$ENV{MB_T_DIR}/state/ffmpeg-push.log";
    my $pid = fork // die "fork: $!";
    if ($pid == 0) {
        open STDOUT, '>', $log; open STDERR, '>&', \*STDOUT;
        exec 'ffmpeg', '-nostdin', '-v', 'warning', '-re', @in,
             '-t', $o{seconds} // 4, @{ $o{map} // [] }, @enc,
             '-f', 'hls', '-hls_time', '1', '-hls_list_size', '3',
             @{ $o{args} // [] },
             '-method', 'PUT', '-headers', "Authorization: Bearer $H->{upload_token}\r\n",
             $o{url} // $H->{playlist_url};
        exit 127;
    }
    return $pid unless $o{wait};
    waitpid $pid, 0;
    my $rc = $? >> 8;
    settle($o{dir}) if $o{dir};
    return $rc;
}

# ffmpeg closes an HTTP PUT without reading the answer, so it may exit
# before Apache has stored its last uploads (seconds later when they queued
# during a graceful restart): wait until no upload is in progress in the
# stream's directory (a temporary .upload-* file) and the access log's
# count of the stream's PUTs has not changed for two seconds.
sub settle {
    my ($dir) = @_;
    (my $id = $dir) =~ s{.*/}{};
    my $log = "$ENV{MB_T_DIR}/logs/access_log";
    my ($last, $since) = (-1, time);
    for (1 .. 200) {
        select undef, undef, undef, 0.1;
        opendir my $d, $dir or return;
        my $busy = grep { /^\.upload-/ } readdir $d;
        my $n = 0;
        if (open my $fh, '<', $log) {
            while (<$fh>) { $n++ if /"PUT [^"]*\Q$id\E/ }
        }
        ($last, $since) = ($n, time) if $n != $last || $busy;
        return if time - $since >= 2;
    }
}

# The URIs of a playlist (text), in order.
sub playlist_uris { grep { length && !/^#/ } split /\r?\n/, $_[0] }

# Headless Chromium on the player page: plays, seeks to the middle and to
# the end (t/lib/play-in-chromium.js ... seek); the decoded JSON line.
sub play_in_chromium {
    my ($url, $seconds) = @_;
    my $out = `node --experimental-websocket t/lib/play-in-chromium.js '$url' ${\ ($seconds // 30)} seek 2>/dev/null`;
    require JSON::PP;
    my ($line) = $out =~ /^(\{.*\})\s*$/m;
    return $line ? JSON::PP::decode_json($line) : { error => "no output: $out" };
}

1;
