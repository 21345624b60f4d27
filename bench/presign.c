/*
 * presign.c -- bench/s3play.sh's pre-signed URLs for GETs straight from
 * S3, made by the module's own SigV4 code (src/core/s3presign.c):
 *   presign URL REGION ACCESS_KEY SECRET_KEY SECONDS
 * prints URL pre-signed for GET, valid SECONDS from now.
 */
#include "mb_s3presign.h"

#include <apr_general.h>
#include <stdio.h>
#include <stdlib.h>

int main(int argc, char **argv)
{
    apr_pool_t *p;
    const char *u;

    if (argc != 6) {
        fprintf(stderr, "usage: presign URL REGION ACCESS_KEY SECRET_KEY SECONDS\n");
        return 2;
    }
    apr_initialize();
    apr_pool_create(&p, NULL);
    u = mb_s3_presign(p, "GET", argv[1], argv[2], argv[3], argv[4],
                      apr_time_now(), atoi(argv[5]));
    if (u == NULL) {
        fprintf(stderr, "presign: not a usable URL or lifetime\n");
        return 1;
    }
    puts(u);
    apr_pool_destroy(p);
    apr_terminate();
    return 0;
}
