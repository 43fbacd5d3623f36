/* The web app's static files (see static.h). */
#include "http/static.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>

/* written by tools/embed.c from web/ (web/meson.build) */
extern const struct {
    const char *name;
    const char *text;
} web_files[];

const char *static_content_type(const char *name)
{
    static const struct {
        const char *ext, *type;
    } types[] = {
        {".html", "text/html; charset=utf-8"},       {".css", "text/css; charset=utf-8"},
        {".js", "text/javascript; charset=utf-8"},   {".mjs", "text/javascript; charset=utf-8"},
        {".json", "application/json; charset=utf-8"}, {".svg", "image/svg+xml"},
        {".txt", "text/plain; charset=utf-8"},       {".webmanifest", "application/manifest+json"},
    };
    const char *dot = strrchr(name, '.');
    for (size_t i = 0; dot && i < sizeof types / sizeof types[0]; i++)
        if (strcmp(dot, types[i].ext) == 0)
            return types[i].type;
    return "application/octet-stream";
}

/* A relative path of plain segments: no "." or ".." segment, no empty segment, no backslash,
 * no control character (libmicrohttpd has already decoded %2e%2e into ".."). */
static bool safe_path(const char *p)
{
    if (!*p || *p == '/')
        return false;
    for (const char *seg = p; *seg;) {
        const char *end = strchr(seg, '/');
        size_t len = end ? (size_t)(end - seg) : strlen(seg);
        if (len == 0 || (len == 1 && seg[0] == '.') || (len == 2 && seg[0] == '.' && seg[1] == '.'))
            return false;
        for (size_t i = 0; i < len; i++)
            if ((unsigned char)seg[i] < 0x20 || seg[i] == '\\' || seg[i] == 0x7f)
                return false;
        seg += len;
        if (*seg == '/')
            seg++;
        if (end && !*seg)
            return false; /* a trailing slash */
    }
    return true;
}

static const char *find(const char *name)
{
    for (size_t i = 0; web_files[i].name; i++)
        if (strcmp(web_files[i].name, name) == 0)
            return web_files[i].text;
    return NULL;
}

/* The screens of the app: their paths (and below) are the shell, whose script draws them. */
static const char *const screens[] = {"counter", "customers", "debt", "cases", "phanky", "outages", "anomalies",
                                      "billing", "files", "reconciliation", "requests", "worklist", "risk",
                                      "prepaid", NULL};

static bool is_screen(const char *name)
{
    for (int i = 0; screens[i]; i++) {
        size_t n = strlen(screens[i]);
        if (strncmp(name, screens[i], n) == 0 && (name[n] == 0 || name[n] == '/'))
            return true;
    }
    return false;
}

bool static_serve(const http_request *r, http_response *w)
{
    if (strcmp(r->method, "GET") != 0 && strcmp(r->method, "HEAD") != 0)
        return false;
    const char *path = r->path;
    const char *name;
    if (strcmp(path, "/") == 0)
        name = "index.html";
    else if (strcmp(path, "/self") == 0)
        name = "self.html";
    else if (path[0] == '/' && safe_path(path + 1))
        name = is_screen(path + 1) ? "index.html" : path + 1;
    else
        return false; /* the server's JSON 404: nothing outside the table is reachable */
    const char *text = find(name);
    if (!text)
        return false;
    size_t len = strlen(text);
    /* FNV-1a of the content: files change only with the binary, so a browser revalidates
     * (no-cache) and gets 304 until the next release */
    uint64_t h = 1469598103934665603ULL;
    for (size_t i = 0; i < len; i++)
        h = (h ^ (unsigned char)text[i]) * 1099511628211ULL;
    snprintf(w->etag, sizeof w->etag, "\"%016llx\"", (unsigned long long)h);
    w->cache_control = "no-cache";
    w->content_type = static_content_type(name);
    const char *inm = http_header(r, "If-None-Match");
    buf_reset(&w->body);
    if (inm && strcmp(inm, w->etag) == 0) {
        w->status = 304;
        return true;
    }
    w->status = 200;
    buf_append(&w->body, text, len);
    return true;
}
