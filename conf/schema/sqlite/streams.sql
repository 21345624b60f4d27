-- mod_broadcast: the live streams of the broadcast API (SQLite).
-- Apply before Apache starts (mod_dbd prepares its statements at startup):
--   sqlite3 /var/lib/broadcast/broadcast.db < conf/schema/sqlite/streams.sql
-- The database's directory must be writable by Apache's user (WAL files).
PRAGMA journal_mode = WAL;

CREATE TABLE IF NOT EXISTS mb_stream (
    id       CHAR(36)     NOT NULL PRIMARY KEY,  -- random UUIDv4
    owner    VARCHAR(255) NOT NULL,              -- r->user at start
    name     VARCHAR(255) NOT NULL DEFAULT '',   -- UTF-8, <= 255 bytes
    type     VARCHAR(16)  NOT NULL DEFAULT 'hls',
    s3_path  VARCHAR(512) NOT NULL,              -- the stream's prefix, ends in /
    is_live  INTEGER      NOT NULL DEFAULT 1,
    start_us BIGINT       NOT NULL,              -- microseconds since the epoch
    stop_us  BIGINT,                             -- NULL while live
    -- BroadcastStorage local: SHA-256 (hex) of the stream's upload token
    -- and when the token expires; the token itself is never stored
    upload_token_hash CHAR(64),
    upload_expires_us BIGINT,
    -- who may watch: 'public', or 'private' (its owner and viewer links)
    visibility VARCHAR(8) NOT NULL DEFAULT 'public'
);

-- The list of live streams, and of stopped ones (state=stopped: the
-- recordings), newest first, cut in pages by (start_us, id).
CREATE INDEX IF NOT EXISTS mb_stream_live
    ON mb_stream (is_live, start_us DESC, id DESC);

-- One user's live (or stopped) streams: their list, and
-- BroadcastMaxLiveStreams.
CREATE INDEX IF NOT EXISTS mb_stream_owner_live
    ON mb_stream (owner, is_live, start_us DESC, id DESC);

-- The list of all streams, live and stopped (state=all): everyone's, and
-- one user's.
CREATE INDEX IF NOT EXISTS mb_stream_all
    ON mb_stream (start_us DESC, id DESC);
CREATE INDEX IF NOT EXISTS mb_stream_owner_all
    ON mb_stream (owner, start_us DESC, id DESC);

-- An upload with a token that is not its stream's: is it another stream's
-- (403) or no stream's (401)?  Asked on every refused upload.
CREATE INDEX IF NOT EXISTS mb_stream_token
    ON mb_stream (upload_token_hash);

-- Viewer links revoked before they expire (POST <api>/<id>/viewer-link/
-- revoke): read by requests through a link (src/db/viewer_links.c; kept
-- BroadcastViewerRevocationCache seconds per process).  token_id '*':
-- every link of the stream issued up to revoked_us (revoke all=1).
CREATE TABLE IF NOT EXISTS mb_viewer_revoked (
    stream_id  CHAR(36) NOT NULL,
    token_id   CHAR(32) NOT NULL,   -- the link's token id (never the token), or '*'
    revoked_us BIGINT   NOT NULL,   -- microseconds since the epoch
    PRIMARY KEY (stream_id, token_id)
);
