/*
 * libFuzzer target: S3's ListObjectsV2 answer (src/core/s3list.c), as the
 * storage sends it at a stream's stop, and the recording made from it.
 * Input: the XML of the listing.
 */
#include "fuzz.h"
#include "mb_s3list.h"

static int fuzz_one(apr_pool_t *p, const uint8_t *data, size_t len)
{
    static const char live[] = "#EXTM3U\n#EXT-X-TARGETDURATION:2\n"
                               "#EXTINF:1,\nseg0.ts\n#EXTINF:1,\nseg1.ts\n";
    apr_array_header_t *objs = NULL;
    const char *next = NULL, *vod;
    int i, kept = -1;

    if (mb_s3_list_parse(p, (const char *)data, len, &objs, &next) != 0) {
        check(objs->nelts == 0 && next == NULL);
        return 0;
    }
    for (i = 0; i < objs->nelts; i++) {
        const mb_s3_object *o = &APR_ARRAY_IDX(objs, i, mb_s3_object);
        check(o->key != NULL && *o->key != '\0' && o->size >= -1);
    }
    check(next == NULL || *next != '\0');
    vod = mb_s3_vod_playlist(p, "alice/id/", objs, live, sizeof(live) - 1,
                             &kept);
    check(vod != NULL && kept >= 0 && kept <= 2);
    mb_s3_list_query(p, "alice/id/", next);
    return 0;
}
