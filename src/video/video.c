/*
 * video.c -- the broadcast-video handler: files served with HTTP Range,
 * confined to a root, through file buckets (sendfile, constant memory).
 *
 * Single ranges are answered here, capped at BroadcastMaxChunk.  Requests
 * with several ranges get the whole file as a 200 brigade and httpd's own
 * byterange filter builds the multipart/byteranges answer, with MaxRanges,
 * MaxRangeOverlaps and MaxRangeReversals still in force.  So does every
 * request whose body a content filter may change (mod_deflate,
 * mod_substitute, INCLUDES...), a subrequest, and any request under
 * "MaxRanges none": there the byterange filter cuts what the client gets,
 * exactly as for a static file, and only the cap is ours (a small filter
 * just ahead of it narrows a single range to BroadcastMaxChunk).
 */
#include "video/video.h"
#include "mb_path.h"
#include "mb_query.h"
#include "mb_range.h"

#include <http_core.h>
#include <http_protocol.h>
#include <http_request.h>
#include <apr_strings.h>
#include <apr_portable.h>

APLOG_USE_MODULE(broadcast);

/* ---- ranges the core's byterange filter cuts ---------------------------- */

static ap_filter_rec_t *range_cap_filter_handle;

/* Whether httpd's byterange filter, not this handler, must answer the Range
 * header.  The handler cuts the file itself only when the bytes it passes
 * are the bytes the client gets: no filter of a content type (below
 * AP_FTYPE_PROTOCOL: mod_deflate, mod_substitute, mod_include, mod_filter's
 * chains, mod_headers, ...) stands ahead of the protocol filters, so none
 * can change the body; output filters are kept sorted by type, so the
 * first one tells.  A filter that may leave the body alone (mod_deflate
 * without Accept-Encoding) counts too: the core then cuts the unchanged
 * body, which is as exact, at the cost of the cap's filter below.  Not in
 * a subrequest either (its body is part of the main response, which alone
 * has the byterange filter), and not under "MaxRanges none", where the
 * core ignores even a single range. */
static int ranges_for_core(request_rec *r)
{
    const core_dir_config *core = ap_get_core_module_config(r->per_dir_config);

    return r->main != NULL
        || r->output_filters->frec->ftype < AP_FTYPE_PROTOCOL
        || core->max_ranges == AP_MAXRANGES_NORANGES;
}

/* BroadcastMaxChunk where the core cuts: just ahead of the byterange filter
 * (all content filters done), look at the body it will cut as it does (the
 * whole brigade up to EOS, every length known; otherwise it steps aside and
 * sends everything, and so do we), and narrow a single range that is longer
 * than the cap to its first `cap` bytes.  Runs once. */
static apr_status_t range_cap_filter(ap_filter_t *f, apr_bucket_brigade *bb)
{
    request_rec *r = f->r;
    const apr_off_t *cap = f->ctx;
    apr_off_t clength = -1;
    uint64_t first = 0, last = 0, capped;

    /* read_all 0: a bucket of unknown length gives -1 */
    if (!APR_BRIGADE_EMPTY(bb) && APR_BUCKET_IS_EOS(APR_BRIGADE_LAST(bb))
        && apr_brigade_length(bb, 0, &clength) == APR_SUCCESS && clength > 0
        && mb_range_parse(apr_table_get(r->headers_in, "Range"),
                          (uint64_t)clength, &first, &last)
           == MB_RANGE_SINGLE
        && (capped = mb_range_cap(first, last, (uint64_t)*cap)) != last) {
        apr_table_setn(r->headers_in, "Range",
                       apr_psprintf(r->pool, "bytes=%" APR_UINT64_T_FMT "-%"
                                    APR_UINT64_T_FMT, first, capped));
    }
    ap_remove_output_filter(f);
    return ap_pass_brigade(f->next, bb);
}

void mb_video_register_filter(void)
{
    /* after every content filter, before BYTERANGE (AP_FTYPE_PROTOCOL) */
    range_cap_filter_handle = ap_register_output_filter(
        "BROADCAST_RANGE_CAP", range_cap_filter, NULL,
        AP_FTYPE_PROTOCOL - 1);
}

/* Media types for streaming files that mod_mime's default table gets
 * wrong or lacks (Debian maps .ts to Qt Linguist). Used only when mod_mime
 * gave nothing or that known-wrong answer; AddType always wins. */
static const char *fallback_type(const char *filename)
{
    static const struct { const char *ext, *type; } table[] = {
        { ".ts",   "video/mp2t" },
        { ".m3u8", "application/vnd.apple.mpegurl" },
        { ".mp4",  "video/mp4" },
        { ".m4s",  "video/iso.segment" },
        { ".aac",  "audio/aac" },
        { ".vtt",  "text/vtt" },
    };
    const char *dot = strrchr(filename, '.');
    size_t i;

    if (dot && !ap_strchr_c(dot, '/')) {
        for (i = 0; i < sizeof(table) / sizeof(table[0]); i++) {
            if (!strcasecmp(dot, table[i].ext)) {
                return table[i].type;
            }
        }
    }
    return "application/octet-stream";
}

static void set_content_type(request_rec *r)
{
    if (r->content_type == NULL
        || !strcasecmp(r->content_type, "text/vnd.trolltech.linguist")) {
        ap_set_content_type(r, fallback_type(r->filename));
    }
}

void mb_video_set_content_type(request_rec *r)
{
    set_content_type(r);
}

/* Open the file at `path`, confined to `root`, into *fd, with r->finfo
 * from the descriptor itself (what is served is what was checked).
 * Returns OK or MB_PATH_* for the caller to answer. */
static mb_path_e open_confined(request_rec *r, const char *root,
                               const char *path, const char **real,
                               apr_file_t **fd)
{
    core_dir_config *core = ap_get_core_module_config(r->per_dir_config);
    apr_status_t rv = APR_SUCCESS;
    mb_path_e pe;

    pe = mb_path_open(r->pool, root, path,
                      APR_FOPEN_READ | APR_FOPEN_BINARY
                      | AP_SENDFILE_ENABLED(core->enable_sendfile),
                      real, fd, &rv);
    if (pe == MB_PATH_ERROR) {
        ap_log_rerror(APLOG_MARK, APLOG_ERR, rv, r,
                      MBLOGNO(1101) "cannot open %s below %s", path, root);
        return pe;
    }
    if (pe == MB_PATH_OK) {
        if (apr_file_info_get(&r->finfo, APR_FINFO_MIN | APR_FINFO_IDENT,
                              *fd) != APR_SUCCESS) {
            return MB_PATH_NOTFOUND;
        }
        r->finfo.fname = *real;
    }
    return pe;
}

/* Run the file of a query-mode request through Apache's own machinery for
 * its real path, as if the URL had mapped to it: a sub-request lookup
 * applies its <Directory>, <Files>, <FilesMatch> and .htaccess sections,
 * and their access checks, on top of those of this request's URL.  Then
 * the request takes the file's per-directory configuration, with its own
 * <Location> sections merged over it again, as the core merges them for a
 * mapped file (FileETag, EnableSendfile, AddType... of the file's
 * directory apply).  Returns OK or the status to answer. */
static int apply_file_config(request_rec *r, apr_file_t **fd)
{
    char *uri = r->uri;
    request_rec *sub;
    core_dir_config *core;
    apr_os_file_t osf;
    int status;

    /* Only the file's own sections: a file sub-request in the directory of
     * r->filename borrows a URL made up from r->uri's directory and the
     * file's name ("/api/x.mp4"), and <Location>s matching that made-up URL
     * would override the file's rules.  Without r->uri the sub-request has
     * no URL; this request's own <Location> rules were checked already. */
    r->uri = "";
    sub = ap_sub_req_lookup_file(r->filename, r, NULL);
    r->uri = uri;

    if (sub->status != HTTP_OK) {
        ap_log_rerror(APLOG_MARK, APLOG_DEBUG, 0, r,
                      MBLOGNO(1102) "%s refused by its own configuration "
                      "(%d)", r->filename, sub->status);
        /* the challenge of a 401, as the file's section asks for it */
        apr_table_overlap(r->err_headers_out, sub->err_headers_out,
                          APR_OVERLAP_TABLES_SET);
        return sub->status;
    }
    /* the sub-request must have judged the very file the descriptor holds;
     * if the path changed in between, nothing is served */
    if (sub->finfo.filetype == APR_NOFILE
        || sub->finfo.inode != r->finfo.inode
        || sub->finfo.device != r->finfo.device) {
        ap_log_rerror(APLOG_MARK, APLOG_INFO, 0, r,
                      MBLOGNO(1103) "%s changed while it was opened",
                      r->filename);
        return HTTP_NOT_FOUND;
    }
    if (r->user == NULL && sub->user != NULL) {
        r->user = sub->user;            /* authenticated by the file's rules */
        r->ap_auth_type = sub->ap_auth_type;
    }
    r->per_dir_config = sub->per_dir_config;
    if ((status = ap_location_walk(r)) != OK
        || (status = ap_if_walk(r)) != OK) {
        return status;
    }
    /* The media type of the named file, by mod_mime's rules for it. */
    r->content_type = NULL;
    ap_run_type_checker(r);
    /* It was opened under the location's EnableSendfile: the file's own
     * decides.  The same descriptor (closed with the request as before),
     * seen by APR with the file's flags. */
    core = ap_get_core_module_config(r->per_dir_config);
    if (apr_os_file_get(&osf, *fd) == APR_SUCCESS) {
        apr_os_file_put(fd, &osf, APR_FOPEN_READ | APR_FOPEN_BINARY
                        | AP_SENDFILE_ENABLED(core->enable_sendfile),
                        r->pool);
    }
    return OK;
}

/* Find and open the file of a query-mode request (BroadcastVideoRoot).
 * Returns OK with r->filename, r->finfo and *fd set, or an HTTP status. */
static int resolve_query_file(request_rec *r, const mb_dir_conf *conf,
                              apr_file_t **fd)
{
    const char *param = mb_video_path_param(&conf->video);
    const char *name = NULL, *root, *real = NULL;
    mb_path_e pe;

    switch (mb_query_get(r->pool, r->args, param, &name)) {
    case MB_QUERY_ABSENT:
        ap_log_rerror(APLOG_MARK, APLOG_INFO, 0, r,
                      MBLOGNO(0101) "no '%s' parameter", param);
        return HTTP_BAD_REQUEST;
    case MB_QUERY_BAD:
        ap_log_rerror(APLOG_MARK, APLOG_INFO, 0, r,
                      MBLOGNO(0102) "malformed '%s' parameter", param);
        return HTTP_BAD_REQUEST;
    case MB_QUERY_OK:
        break;
    }
    if (mb_path_check_relative(name) != MB_PATH_OK) {
        ap_log_rerror(APLOG_MARK, APLOG_INFO, 0, r,
                      MBLOGNO(0103) "refused file name in '%s'", param);
        return HTTP_BAD_REQUEST;
    }

    root = conf->video.root_real;
    if (root == NULL
        && (root = mb_path_realpath(r->pool, conf->video.root)) == NULL) {
        ap_log_rerror(APLOG_MARK, APLOG_ERR, 0, r,
                      MBLOGNO(0104) "BroadcastVideoRoot %s does not exist",
                      conf->video.root);
        return HTTP_NOT_FOUND;
    }

    pe = open_confined(r, root, apr_pstrcat(r->pool, root, "/", name, NULL),
                       &real, fd);
    if (pe == MB_PATH_OUTSIDE) {
        /* a symlink in the root that points out of it: the operator's to
         * mend (warning), the client's text only as a short excerpt */
        ap_log_rerror(APLOG_MARK, APLOG_WARNING, 0, r,
                      MBLOGNO(0105) "refused: %s leads outside %s",
                      mb_log_excerpt(r->pool, name), root);
        return HTTP_FORBIDDEN;
    }
    if (pe == MB_PATH_ERROR) {
        return HTTP_FORBIDDEN;
    }
    if (pe != MB_PATH_OK) {
        ap_log_rerror(APLOG_MARK, APLOG_INFO, 0, r,
                      MBLOGNO(0106) "not found: %s", name);
        return HTTP_NOT_FOUND;
    }
    r->filename = (char *)real;
    if (r->finfo.filetype != APR_REG) {
        return OK;      /* mb_serve_file answers 404 for it */
    }
    return apply_file_config(r, fd);
}

/* Mapped mode: the core already mapped the URL to r->filename; make sure
 * that, symlinks resolved, it stays inside its <Directory> (or the
 * DocumentRoot), and open what was checked. */
static int check_mapped_file(request_rec *r, const mb_dir_conf *conf,
                             apr_file_t **fd)
{
    const char *root = conf->dir_path, *real = NULL;
    mb_path_e pe = MB_PATH_OUTSIDE;

    if (r->finfo.filetype == APR_NOFILE || (r->path_info && *r->path_info)) {
        ap_log_rerror(APLOG_MARK, APLOG_INFO, 0, r,
                      MBLOGNO(0107) "not found: %s%s", r->filename,
                      r->path_info ? r->path_info : "");
        return HTTP_NOT_FOUND;
    }
    if (root == NULL) {
        root = mb_path_realpath(r->pool, ap_document_root(r));
    }
    if (root != NULL) {
        pe = open_confined(r, root, r->filename, &real, fd);
    }
    if (pe == MB_PATH_NOTFOUND) {
        ap_log_rerror(APLOG_MARK, APLOG_INFO, 0, r,
                      MBLOGNO(1104) "not found: %s", r->filename);
        return HTTP_NOT_FOUND;
    }
    if (pe != MB_PATH_OK) {
        if (pe != MB_PATH_ERROR) {
            ap_log_rerror(APLOG_MARK, APLOG_WARNING, 0, r,
                          MBLOGNO(0108) "refused: %s leads outside %s",
                          mb_log_excerpt(r->pool, r->filename),
                          root ? root : "(no root)");
        }
        return HTTP_FORBIDDEN;
    }
    return OK;
}

int mb_video_handler(request_rec *r)
{
    const mb_dir_conf *conf;
    apr_file_t *fd = NULL;
    int status;

    if (strcmp(r->handler, MB_HANDLER_VIDEO)) {
        return DECLINED;
    }
    ap_allow_standard_methods(r, MERGE_ALLOW, M_GET, M_OPTIONS, -1);
    if (r->method_number == M_OPTIONS) {
        return DECLINED;            /* the core answers with Allow */
    }
    if (r->method_number != M_GET) {   /* HEAD is M_GET, header_only */
        return HTTP_METHOD_NOT_ALLOWED;
    }

    conf = ap_get_module_config(r->per_dir_config, &broadcast_module);
    status = conf->video.root ? resolve_query_file(r, conf, &fd)
                              : check_mapped_file(r, conf, &fd);
    if (status != OK) {
        return status;
    }
    /* query mode: the file's own per-directory configuration now */
    conf = ap_get_module_config(r->per_dir_config, &broadcast_module);
    return mb_serve_file(r, fd, mb_video_max_chunk(&conf->video));
}

int mb_serve_file(request_rec *r, apr_file_t *fd, apr_off_t cap)
{
    apr_bucket_brigade *bb;
    apr_off_t size, start = 0, length;
    uint64_t first = 0, last = 0;
    const char *range;
    mb_range_e kind = MB_RANGE_NONE;
    int status, for_core = 0;       /* httpd's byterange filter answers */

    if (r->finfo.filetype != APR_REG) {
        ap_log_rerror(APLOG_MARK, APLOG_INFO, 0, r,
                      MBLOGNO(0109) "not a regular file: %s", r->filename);
        return HTTP_NOT_FOUND;
    }
    size = r->finfo.size;

    set_content_type(r);
    ap_update_mtime(r, r->finfo.mtime);
    ap_set_last_modified(r);
    ap_set_etag_fd(r, fd);
    ap_set_accept_ranges(r);

    status = ap_meets_conditions(r);
    if (status != OK) {
        return status;              /* 304 or 412 */
    }

    /* Only Range is honoured; the obsolete Request-Range would make the
     * byterange filter cut our 200 answer behind our back. */
    apr_table_unset(r->headers_in, "Request-Range");
    range = apr_table_get(r->headers_in, "Range");
    if (range && ranges_for_core(r)) {
        for_core = 1;               /* the whole file; kind stays NONE */
        if (cap > 0 && !r->main) {
            apr_off_t *c = apr_palloc(r->pool, sizeof(*c));
            *c = cap;
            ap_add_output_filter_handle(range_cap_filter_handle, c, r,
                                        r->connection);
        }
    }
    else if (range && ap_condition_if_range(r, r->headers_out)
                          != AP_CONDITION_NOMATCH) {
        kind = mb_range_parse(range, (uint64_t)size, &first, &last);
    }
    switch (kind) {
    case MB_RANGE_SINGLE:
        last = mb_range_cap(first, last, (uint64_t)cap);
        start = (apr_off_t)first;
        length = (apr_off_t)(last - first + 1);
        r->status = HTTP_PARTIAL_CONTENT;
        apr_table_setn(r->headers_out, "Content-Range",
                       apr_psprintf(r->pool, "bytes %" APR_OFF_T_FMT "-%"
                                    APR_OFF_T_FMT "/%" APR_OFF_T_FMT,
                                    start, start + length - 1, size));
        break;
    case MB_RANGE_UNSATISFIABLE:
        apr_table_setn(r->err_headers_out, "Content-Range",
                       apr_psprintf(r->pool, "bytes */%" APR_OFF_T_FMT,
                                    size));
        ap_log_rerror(APLOG_MARK, APLOG_INFO, 0, r,
                      MBLOGNO(0111) "unsatisfiable range for %s (%"
                      APR_OFF_T_FMT " bytes)", r->filename, size);
        return HTTP_RANGE_NOT_SATISFIABLE;
    case MB_RANGE_MULTI:
        for_core = 1;               /* the byterange filter takes over */
        length = size;
        break;
    default:
        /* absent, invalid, or If-Range did not match: the whole file, and
         * the byterange filter must not reinterpret the header (unless it
         * is the one to answer it) */
        if (range && !for_core) {
            apr_table_unset(r->headers_in, "Range");
        }
        length = size;
        break;
    }

    ap_set_content_length(r, length);
    bb = apr_brigade_create(r->pool, r->connection->bucket_alloc);
    /* The byterange filter cuts from this brigade, on HEAD too: without the
     * file it would see no length and answer 200 where the core says 206
     * (the HTTP header filter drops the body of a HEAD). */
    if ((!r->header_only || for_core) && length > 0) {
        apr_brigade_insert_file(bb, fd, start, length, r->pool);
    }
    APR_BRIGADE_INSERT_TAIL(bb, apr_bucket_eos_create(bb->bucket_alloc));
    return ap_pass_brigade_fchk(r, bb, NULL);
}
