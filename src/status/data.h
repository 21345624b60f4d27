/*
 * status/data.h -- the status page's data, read once from the database
 * (src/status/queries.c) and rendered from it as JSON (src/status/json.c)
 * or HTML (src/status/html.c).  For the files of src/status/ only.
 */
#ifndef MB_STATUS_DATA_H
#define MB_STATUS_DATA_H

#include "mb_private.h"
#include "db/dbd.h"
#include "mb_status_params.h"
#include "mb_time.h"

#include <apr_tables.h>

#define MINUTE_US APR_INT64_C(60000000)

typedef struct {
    const char *id, *name, *owner;
    apr_time_t started;         /* 0: unknown */
    apr_int64_t viewers, requests;
} live_row;

typedef struct {
    const char *path;
    apr_int64_t requests, viewers, bytes;
} top_row;

typedef struct {
    apr_int64_t id, time_us, bytes;
    int auth, status;
    const char *method, *path, *stream, *user, *ip, *range, *ua;
    const char *token_id;   /* the viewer link it was served through */
} log_row;

typedef struct {
    request_rec *r;
    ap_dbd_t *dbd;
    mb_status_params sp;
    apr_time_t now;
    apr_array_header_t *live;   /* live_row                          */
    const char *live_error;     /* why there are no live streams     */
    apr_int64_t requests, viewers, bytes;   /* over the period       */
    apr_array_header_t *top;    /* top_row                           */
    apr_int64_t *chart;         /* sp.chart minutes                  */
    apr_int64_t chart_first;    /* minute number of chart[0]         */
    apr_array_header_t *log;    /* log_row                           */
    int has_more;               /* an older page exists              */
} status_data;

/* Read everything the page shows on d->dbd (src/status/queries.c).  OK,
 * or HTTP_SERVICE_UNAVAILABLE (logged). */
int mb_status_load(status_data *d);

/* Send the page (src/status/json.c, src/status/html.c). */
int mb_status_send_json(status_data *d);
void mb_status_send_html(status_data *d);


#endif /* MB_STATUS_DATA_H */
