/*
 * libFuzzer target: media playlists as a broadcaster uploads them
 * (mb_hls_parse, src/hls.c), and what the module makes of them: the
 * journal and the recording playlist.
 */
#include "fuzz.h"
#include "mb_hls.h"

static int uploadable(const char *uri, void *ctx)
{
    (void)ctx;
    return mb_hls_check_name(uri) == MB_HLS_NAME_OK;
}

static int fuzz_one(apr_pool_t *p, const uint8_t *data, size_t len)
{
    apr_array_header_t *segs = NULL, *all, *back = NULL, *again;
    const char *text = apr_pstrmemdup(p, (const char *)data, len);
    const char *journal, *vod;
    int i, n, rc;

    rc = mb_hls_parse(p, text, len, &segs);
    check(segs != NULL);
    check(rc == 0 || segs->nelts == 0);
    for (i = 0; i < segs->nelts; i++) {
        const mb_hls_segment *s = &APR_ARRAY_IDX(segs, i, mb_hls_segment);
        check(s->duration >= 0 && s->duration <= 86400);
        check(s->uri && s->uri[0] && s->uri[0] != '#');
        check(!strchr(s->uri, '\n'));
    }

    /* merging a window into itself adds nothing new */
    all = apr_array_copy(p, segs);
    mb_hls_merge(all, segs);
    check(all->nelts <= segs->nelts * 2);
    again = apr_array_copy(p, all);
    mb_hls_merge(all, again);
    check(all->nelts == again->nelts);

    /* the journal keeps every segment (a URI cannot hold a newline) */
    journal = mb_hls_journal_format(p, segs);
    again = mb_hls_journal_parse(p, journal);
    check(again->nelts == segs->nelts);

    /* the recording is a playlist that lists every segment of a name a
     * broadcaster can upload (the others are never present at stop) */
    for (i = 0, n = 0; i < segs->nelts; i++) {
        n += uploadable(APR_ARRAY_IDX(segs, i, mb_hls_segment).uri, NULL);
    }
    vod = mb_hls_vod_playlist(p, segs, uploadable, NULL);
    check(vod != NULL && mb_hls_parse(p, vod, strlen(vod), &back) == 0);
    check(back->nelts == n);
    return 0;
}
