/*
 * libFuzzer target: media playlists as a broadcaster uploads them
 * (mb_hls_parse, src/core/hls.c), and what the module makes of them: the
 * journal and the recording playlist.
 */
#include "fuzz.h"
#include "mb_hls.h"

static int uploadable(const mb_hls_segment *s, void *ctx)
{
    (void)ctx;
    return mb_hls_check_name(s->uri) == MB_HLS_NAME_OK;
}

static int fuzz_one(apr_pool_t *p, const uint8_t *data, size_t len)
{
    apr_array_header_t *segs = NULL, *all, *back = NULL, *again, *added;
    const char *text = apr_pstrmemdup(p, (const char *)data, len);
    const char *journal, *vod, *why = NULL;
    int i, n, rc, line, stale = 0;

    /* the upload check (mb_hls_validate_playlist): a playlist it lets
     * through names only plain files of the stream */
    line = mb_hls_validate_playlist(text, len, &why);
    check(line >= 0 && (line == 0 || why != NULL));

    rc = mb_hls_parse(p, text, len, &segs);
    check(segs != NULL);
    check(rc == 0 || segs->nelts == 0);
    for (i = 0; i < segs->nelts; i++) {
        const mb_hls_segment *s = &APR_ARRAY_IDX(segs, i, mb_hls_segment);
        check(s->duration >= 0 && s->duration <= 86400);
        check(s->uri && s->uri[0] && s->uri[0] != '#');
        check(!strchr(s->uri, '\n'));
    }

    if (line == 0) {
        for (i = 0; i < segs->nelts; i++) {
            check(mb_hls_check_name(APR_ARRAY_IDX(segs, i, mb_hls_segment).uri)
                  == MB_HLS_NAME_OK);
        }
    }

    /* merging a window into itself adds nothing new */
    all = apr_array_make(p, 16, sizeof(mb_hls_segment));
    added = mb_hls_merge(p, all, segs, &stale);
    check(added->nelts == all->nelts && all->nelts <= segs->nelts);
    again = apr_array_copy(p, all);
    added = mb_hls_merge(p, all, again, &stale);
    check(added->nelts == 0 && all->nelts == again->nelts);

    /* the journal keeps every segment the merge lets in (it leaves out a
     * field with a tab, the journal's separator; a URI cannot hold a
     * newline), as the module journals only what mb_hls_merge added */
    journal = mb_hls_journal_format(p, all);
    again = mb_hls_journal_parse(p, journal);
    check(again->nelts == all->nelts);

    /* the recording is a playlist that lists every segment of a name a
     * broadcaster can upload (the others are never present at stop) */
    for (i = 0, n = 0; i < segs->nelts; i++) {
        n += uploadable(&APR_ARRAY_IDX(segs, i, mb_hls_segment), NULL);
    }
    vod = mb_hls_vod_playlist(p, segs, uploadable, NULL);
    check(vod != NULL && mb_hls_parse(p, vod, strlen(vod), &back) == 0);
    check(back->nelts == n);
    return 0;
}
