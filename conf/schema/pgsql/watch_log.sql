-- mod_broadcast watch log, PostgreSQL.  One row per playback request.
-- Install before Apache starts (mod_dbd prepares its statements when it
-- opens a connection):  psql -d broadcast -f watch_log.sql
CREATE TABLE IF NOT EXISTS watch_log (
    id            BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    time_us       BIGINT   NOT NULL,  -- request time, microseconds since 1970 UTC
    method        TEXT     NOT NULL,  -- GET or HEAD
    path          TEXT     NOT NULL,  -- file asked for, relative to its root
    stream_id     TEXT,               -- live stream of the file, if any
    user_name     TEXT,               -- authenticated user, NULL if anonymous
    authenticated SMALLINT NOT NULL DEFAULT 0 CHECK (authenticated IN (0, 1)),
    client_ip     TEXT     NOT NULL,  -- r->useragent_ip (mod_remoteip aware)
    range_header  TEXT,               -- the Range header as asked
    status        INTEGER  NOT NULL,  -- HTTP status sent
    bytes_sent    BIGINT   NOT NULL DEFAULT 0,  -- video body bytes sent
    user_agent    TEXT,               -- cut to 255 bytes
    token_id      TEXT                -- the viewer link's token id, if any
);
-- Every row costs an update of each index: only the two the status page
-- needs most (periods, the chart, the recent log; viewers of live streams).
-- Add (path, time_us) or (user_name, time_us) if you filter by them a lot.
CREATE INDEX IF NOT EXISTS watch_log_time ON watch_log (time_us);
CREATE INDEX IF NOT EXISTS watch_log_stream ON watch_log (stream_id, time_us);

-- The same rows with a readable time, for people at the psql prompt.
CREATE OR REPLACE VIEW watch_log_readable AS
    SELECT id, to_timestamp(time_us / 1000000.0) AT TIME ZONE 'UTC' AS created,
           method, path, stream_id, user_name, authenticated, client_ip,
           range_header, status, bytes_sent, user_agent, token_id
    FROM watch_log;
