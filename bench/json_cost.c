/* bench/json_cost.c -- what the JSON work of one start costs: the session
 * policy and the response, built with jansson and dumped into pool memory,
 * as src/s3.c and src/api.c do.  Built and run by bench/api.sh. */
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
        json_t *j = mb_json_pool(sub, json_pack(
            "{s:{s:s,s:s,s:s},s:{s:{s:s,s:s,s:s,s:I,s:s,s:s,s:s}}}",
            "stream", "id", "0f6a5c1e-3b7d-4c2a-9e8f-1a2b3c4d5e6f",
            "name", "bench", "start_date", "2026-11-21 22:00:00",
            "endpoint", "S3", "aws_access_key_id", "ASIAEXAMPLEEXAMPLE",
            "aws_secret_access_key", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYzEXAMPLEKEY",
            "aws_session_token", policy, "aws_expiration", (json_int_t)3600,
            "s3_bucket_name", "mb-live", "s3_bucket_path",
            "alice/0f6a5c1e-3b7d-4c2a-9e8f-1a2b3c4d5e6f/",
            "s3_bucket_region", "us-east-1"));
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
