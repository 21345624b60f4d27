/*
 * playback.c -- GET of a self-hosted live stream: its playlists and
 * segments, confined to the stream's directory and served through the
 * video handler's Range machinery (206, 416, HEAD, conditionals), and the
 * player page (hls.js, BroadcastPlayerScript).
 */
#include "live/live_int.h"
#include "video/video.h"
#include "mb_hls.h"
#include "mb_path.h"

#include <http_core.h>
#include <http_protocol.h>
#include <http_request.h>
#include <apr_strings.h>

APLOG_USE_MODULE(broadcast);

int mb_live_player(request_rec *r, const mb_dir_conf *conf,
                   const char *dir, const char *id)
{
    apr_finfo_t fi;
    const char *src;

    r->filename = apr_pstrcat(r->pool, dir, "/", NULL);  /* for the log */
    if (apr_stat(&fi, dir, APR_FINFO_TYPE, r->pool) != APR_SUCCESS
        || fi.filetype != APR_DIR) {
        return HTTP_NOT_FOUND;
    }
    src = apr_stat(&fi, apr_pstrcat(r->pool, dir, "/vod.m3u8", NULL),
                   APR_FINFO_TYPE, r->pool) == APR_SUCCESS
              ? "vod.m3u8" : "index.m3u8";
    return mb_live_player_page(r, conf, id, src);
}

int mb_live_player_page(request_rec *r, const mb_dir_conf *conf,
                        const char *id, const char *src)
{
    const char *script = mb_live_player_script(&conf->live);

    ap_set_content_type(r, "text/html; charset=utf-8");
    apr_table_setn(r->headers_out, "Cache-Control", "no-cache");
    apr_table_setn(r->headers_out, "Content-Security-Policy",
                   "default-src 'self'; media-src 'self' blob:; "
                   "worker-src 'self' blob:; style-src 'unsafe-inline'; "
                   "script-src 'self' 'unsafe-inline'");
    if (r->header_only) {
        return OK;
    }
    ap_rprintf(r,
        "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n"
        "<title>Live stream %s</title>\n"
        "<style>body{font-family:sans-serif;margin:2em;background:#111;"
        "color:#eee}video{width:100%%;max-width:960px;background:#000}"
        "</style></head>\n<body>\n<h1>Stream <code>%s</code></h1>\n"
        "<video id=\"video\" controls muted autoplay playsinline></video>\n"
        "<p id=\"status\">loading %s</p>\n"
        "<script src=\"%s\"></script>\n"
        "<script>\n"
        "var v=document.getElementById('video'),s=document.getElementById('status');\n"
        "var src='%s';\n"
        "if (window.Hls && Hls.isSupported()) {\n"
        "  var h=new Hls({liveSyncDurationCount:2});\n"
        "  h.on(Hls.Events.ERROR,function(e,d){if(d.fatal){"
        "s.textContent='error: '+d.details;}});\n"
        "  h.loadSource(src); h.attachMedia(v);\n"
        "} else if (v.canPlayType('application/vnd.apple.mpegurl')) {\n"
        "  v.src=src;\n"
        "} else { s.textContent='this browser cannot play HLS'; }\n"
        "v.addEventListener('timeupdate',function(){s.textContent="
        "'playing '+src+' at '+v.currentTime.toFixed(1)+' s';});\n"
        "v.play().catch(function(){});\n"
        "</script>\n</body></html>\n",
        id, id, src, ap_escape_html(r->pool, script), src);
    return OK;
}

int mb_live_get(request_rec *r, const mb_dir_conf *conf, const char *dir,
                const char *name)
{
    core_dir_config *core = ap_get_core_module_config(r->per_dir_config);
    const char *real = NULL;
    apr_file_t *fd = NULL;
    apr_status_t rv = APR_SUCCESS;
    mb_path_e pe;

    /* what the watch log records, found or not: "<id>/<name>" */
    r->filename = apr_pstrcat(r->pool, dir, "/", name, NULL);
    if (mb_hls_check_name(name) != MB_HLS_NAME_OK) {
        return HTTP_NOT_FOUND;
    }
    /* confined to the stream's own directory, and what is served is what
     * was checked (mb_path_open) */
    pe = mb_path_open(r->pool, dir, r->filename,
                      APR_FOPEN_READ | APR_FOPEN_BINARY
                      | AP_SENDFILE_ENABLED(core->enable_sendfile),
                      &real, &fd, &rv);
    if (pe == MB_PATH_OUTSIDE) {
        ap_log_rerror(APLOG_MARK, APLOG_INFO, 0, r,
                      MBLOGNO(1105) "refused: %s leads outside its stream's "
                      "directory", name);
    }
    else if (pe == MB_PATH_ERROR) {
        ap_log_rerror(APLOG_MARK, APLOG_ERR, rv, r,
                      MBLOGNO(1106) "cannot open %s", r->filename);
    }
    if (pe != MB_PATH_OK
        || apr_file_info_get(&r->finfo, APR_FINFO_MIN | APR_FINFO_IDENT, fd)
               != APR_SUCCESS) {
        return HTTP_NOT_FOUND;
    }
    r->filename = (char *)real;
    r->finfo.fname = real;
    r->content_type = NULL;
    ap_run_type_checker(r);
    apr_table_setn(r->headers_out, "Cache-Control",
                   mb_hls_is_playlist(name) ? "no-cache"
                                            : "public, max-age=3600");
    return mb_serve_file(r, fd, mb_video_max_chunk(&conf->video));
}
