/*
 * libFuzzer target: the segment journal of a live stream
 * (mb_hls_journal_parse, src/core/hls.c), read back from the stream's directory
 * at every playlist upload and at stop, and the recording playlist made
 * from it.  The journal is the module's own file, but it lives on disk
 * next to what broadcasters upload: nothing in it may crash the module.
 */
#include "fuzz.h"
#include "mb_hls.h"

static int keep_odd(const mb_hls_segment *s, void *ctx)
{
    (void)ctx;
    return (strlen(s->uri) & 1) != 0;
}

static int fuzz_one(apr_pool_t *p, const uint8_t *data, size_t len)
{
    const char *text = apr_pstrmemdup(p, (const char *)data, len);
    apr_array_header_t *segs = mb_hls_journal_parse(p, text), *back = NULL;
    const char *vod;
    int i;

    for (i = 0; i < segs->nelts; i++) {
        const mb_hls_segment *s = &APR_ARRAY_IDX(segs, i, mb_hls_segment);
        check(s->uri && s->uri[0]);
        check(s->duration >= 0 && s->duration <= 86400);
    }
    vod = mb_hls_vod_playlist(p, segs, NULL, NULL);
    check(vod != NULL && mb_hls_parse(p, vod, strlen(vod), &back) == 0);
    vod = mb_hls_vod_playlist(p, segs, keep_odd, NULL);
    check(vod != NULL);
    return 0;
}
