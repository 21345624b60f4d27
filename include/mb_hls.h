/*
 * mb_hls.h -- HLS ingest rules and playlists, httpd-independent (APR only).
 *
 * - which file names a broadcaster may upload;
 * - the segments named by a media playlist (RFC 8216), accumulated across
 *   the live playlist's sliding window into a journal;
 * - the recording playlist (vod.m3u8) written at stop.
 */
#ifndef MB_HLS_H
#define MB_HLS_H

#include <apr_pools.h>
#include <apr_tables.h>

typedef enum {
    MB_HLS_NAME_OK = 0,
    MB_HLS_NAME_BAD,      /* not a plain name: 400                   */
    MB_HLS_NAME_BAD_EXT   /* plain, but the extension is not allowed: 415 */
} mb_hls_name_e;

/* A plain name ([A-Za-z0-9._-], 1..128 bytes, no leading dot) with one of
 * the extensions .m3u8 .ts .m4s .mp4 .aac .vtt .jpg. */
mb_hls_name_e mb_hls_check_name(const char *name);

/* 1 when the name is a playlist (.m3u8). */
int mb_hls_is_playlist(const char *name);

/* The longest segment duration taken from a playlist or a journal (s). */
#define MB_HLS_MAX_DURATION 86400

typedef struct {
    double duration;       /* #EXTINF */
    const char *uri;       /* the segment's name as written in the playlist */
    int discontinuity;     /* preceded by #EXT-X-DISCONTINUITY */
    const char *map;       /* attributes of the #EXT-X-MAP in force, or NULL */
    const char *byterange; /* #EXT-X-BYTERANGE as "length@offset" (offset
                            * always explicit), or NULL: the whole file */
    const char *pdt;       /* #EXT-X-PROGRAM-DATE-TIME of it, or NULL */
    apr_int64_t seq;       /* media sequence number (#EXT-X-MEDIA-SEQUENCE
                            * + position); in a journal, the recording's
                            * order */
} mb_hls_segment;

/* Parse a media playlist; appends mb_hls_segment to *segs (created when
 * NULL).  Returns 0, or -1 when the text is not an M3U playlist.  A segment
 * without a valid #EXTINF, or with a malformed #EXT-X-BYTERANGE, is left
 * out.  mb_hls_parse_max returns -2 as soon as more than max segments
 * (max > 0) are listed. */
int mb_hls_parse(apr_pool_t *p, const char *text, apr_size_t len,
                 apr_array_header_t **segs);
int mb_hls_parse_max(apr_pool_t *p, const char *text, apr_size_t len,
                     int max, apr_array_header_t **segs);

/* 1 when the playlist is a master playlist (variant streams, renditions). */
int mb_hls_is_master(const char *text, apr_size_t len);

/* Merge `fresh` into `all` (both arrays of mb_hls_segment) in linear time
 * (one hash of the segments of `all`): segments already in `all` (same
 * uri, and same byte range if any) are skipped, the others appended.
 * Returns the appended ones (allocated from p).  Segments with a tab in a
 * field (the journal's separator) are skipped.  Playlists may arrive out
 * of order (the recording is sorted by seq); a playlist none of whose
 * segments is known and whose sequence numbers do not go past the
 * journal's (an encoder that started again at 0) is placed after
 * everything recorded.  *stale is set when `fresh` adds nothing and
 * ends before the newest recorded segment (an older window arriving
 * late). */
apr_array_header_t *mb_hls_merge(apr_pool_t *p, apr_array_header_t *all,
                                 const apr_array_header_t *fresh, int *stale);

/* Journal lines:
 * "<duration>\t<discontinuity 0|1>\t<seq>\t<byterange>\t<pdt>\t<map>\t<uri>\n"
 * (empty fields for none).  The parser takes only whole lines (a torn last
 * line is ignored), skips malformed ones, and also reads the 3-field lines
 * "<duration>\t<discontinuity>\t<uri>" of earlier versions (their seq is
 * their position). */
const char *mb_hls_journal_format(apr_pool_t *p,
                                  const apr_array_header_t *segs);
apr_array_header_t *mb_hls_journal_parse(apr_pool_t *p, const char *text);

/* The value of attribute `name` in an attribute list (quotes removed), or
 * NULL. */
const char *mb_hls_attr(apr_pool_t *p, const char *attrs, const char *name);

/* A complete recording playlist (VOD, #EXT-X-ENDLIST) of the segments of
 * `segs` for which keep(segment, ctx) is true (NULL keeps all), in the
 * order of their seq (a stable sort: `segs` is not changed), with the
 * #EXT-X-MAP, #EXT-X-DISCONTINUITY, #EXT-X-PROGRAM-DATE-TIME and
 * #EXT-X-BYTERANGE tags they need, and the #EXT-X-VERSION those require
 * (3; 4 with byte ranges; 6 with EXT-X-MAP). */
typedef int (*mb_hls_keep_fn)(const mb_hls_segment *s, void *ctx);
const char *mb_hls_vod_playlist(apr_pool_t *p, const apr_array_header_t *segs,
                                mb_hls_keep_fn keep, void *ctx);

/* Check a playlist a broadcaster uploads before viewers get it: it starts
 * with #EXTM3U, and every URI in it -- each line that is not a tag, a
 * comment or blank, and each URI attribute of a tag (URI=, SERVER-URI=,
 * X-...-URI= of #EXT-X-KEY, #EXT-X-MAP, #EXT-X-MEDIA, ...) -- is the plain
 * name of a file of the same stream (mb_hls_check_name): no scheme, no other
 * origin, no absolute path, no directory, no "..", no query.  Returns 0, or
 * the number (from 1) of the first line that is not so, with *why a short
 * fixed reason (no text of the playlist). */
int mb_hls_validate_playlist(const char *text, apr_size_t len,
                             const char **why);

/* The recording's master playlist from an uploaded master playlist: every
 * URI (variant lines, URI="..." attributes) replaced by rename(uri, ctx);
 * a variant or a tag whose URI it maps to NULL is left out.  NULL when no
 * variant is left (or the text is not M3U). */
typedef const char *(*mb_hls_rename_fn)(const char *uri, void *ctx);
const char *mb_hls_vod_master(apr_pool_t *p, const char *text, apr_size_t len,
                              mb_hls_rename_fn rename, void *ctx);

/* The playlist with every URI (the lines that are not tags, and the
 * URI="..." attributes of tags) replaced by rename(uri, ctx); a URI it
 * maps to NULL is kept as it is, and so is everything else, line by line
 * (a CRLF becomes LF).  For BroadcastS3Playback redirect: segment URIs
 * made absolute pre-signed URLs. */
const char *mb_hls_rewrite_uris(apr_pool_t *p, const char *text,
                                apr_size_t len, mb_hls_rename_fn rename,
                                void *ctx);

/* A master playlist of these variants (when none was uploaded). */
typedef struct {
    const char *uri;
    apr_int64_t bandwidth;  /* bits per second (peak estimate) */
} mb_hls_variant;
const char *mb_hls_master_playlist(apr_pool_t *p,
                                   const apr_array_header_t *variants);

#endif /* MB_HLS_H */
