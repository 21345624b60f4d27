/* bench/json_cost.c -- what the JSON work of one start costs: the session
 * policy and the response, built with src/core/json.c and dumped into pool memory,
 * as src/core/s3.c and src/api/credentials.c do.  Built and run by bench/api.sh. */
#include "mb_json.h"
#include "mb_s3.h"

#include <apr_general.h>
#include <apr_time.h>
#include <stdio.h>

int main(void)
{
    apr_pool_t *p, *sub;
    int i, n = 100000;
    apr_time_t t0;

    apr_initialize();
    apr_pool_create(&p, NULL);
    apr_pool_create(&sub, p);
    t0 = apr_time_now();
    for (i = 0; i < n; i++) {
        const char *policy = mb_s3_policy(sub, "mb-live",
            "alice/0f6a5c1e-3b7d-4c2a-9e8f-1a2b3c4d5e6f/");
        mb_json *j = mb_json_object(sub), *st, *s3;

        st = mb_json_set_object(j, "stream");
        mb_json_set_str(st, "id", "0f6a5c1e-3b7d-4c2a-9e8f-1a2b3c4d5e6f");
        mb_json_set_str(st, "name", "bench");
        mb_json_set_str(st, "start_date", "2026-11-21 22:00:00");
        s3 = mb_json_set_object(mb_json_set_object(j, "endpoint"), "S3");
        mb_json_set_str(s3, "aws_access_key_id", "ASIAEXAMPLEEXAMPLE");
        mb_json_set_str(s3, "aws_secret_access_key",
                        "wJalrXUtnFEMI/K7MDENG/bPxRfiCYzEXAMPLEKEY");
        mb_json_set_str(s3, "aws_session_token", policy);
        mb_json_set_int(s3, "aws_expiration", 3600);
        mb_json_set_str(s3, "s3_bucket_name", "mb-live");
        mb_json_set_str(s3, "s3_bucket_path",
                        "alice/0f6a5c1e-3b7d-4c2a-9e8f-1a2b3c4d5e6f/");
        mb_json_set_str(s3, "s3_bucket_region", "us-east-1");
        if (!policy || !mb_json_dump(sub, j, NULL)) {
            return 1;
        }
        apr_pool_clear(sub);
    }
    printf("JSON_US_PER_START %.2f\n",
           (double)(apr_time_now() - t0) / n);
    apr_pool_destroy(p);
    apr_terminate();
    return 0;
}
