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

typedef struct {
    double duration;    /* #EXTINF */
    const char *uri;    /* the segment's name as written in the playlist */
    int discontinuity;  /* preceded by #EXT-X-DISCONTINUITY */
} mb_hls_segment;

/* Parse a media playlist; appends mb_hls_segment to *segs (created when
 * NULL).  Returns 0, or -1 when the text is not an M3U playlist. */
int mb_hls_parse(apr_pool_t *p, const char *text, apr_size_t len,
                 apr_array_header_t **segs);

/* Merge `fresh` into `all` (both arrays of mb_hls_segment): segments whose
 * uri is already in `all` are skipped, the others appended in order. */
void mb_hls_merge(apr_array_header_t *all, const apr_array_header_t *fresh);

/* Journal lines: "<duration>\t<discontinuity>\t<uri>\n". */
const char *mb_hls_journal_format(apr_pool_t *p,
                                  const apr_array_header_t *segs);
apr_array_header_t *mb_hls_journal_parse(apr_pool_t *p, const char *text);

/* A complete recording playlist (VOD, #EXT-X-ENDLIST) of the segments of
 * `segs` for which keep(uri, ctx) is true (NULL keeps all). */
typedef int (*mb_hls_keep_fn)(const char *uri, void *ctx);
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

#endif /* MB_HLS_H */
