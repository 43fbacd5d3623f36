/* The web app's static files (web/, embedded into the binary at build time by tools/embed.c):
 * HTML, CSS, JavaScript modules, the message catalogues. Only what was embedded can be served,
 * so no request reaches the file system. */
#ifndef PC_HTTP_STATIC_H
#define PC_HTTP_STATIC_H

#include <stdbool.h>

#include "http/server.h"

/* The policy sent with every answer: same-origin modules, styles and images only, no inline
 * script, no plugins, no framing. */
#define HTTP_CSP                                                                                                       \
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "             \
    "font-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'"

/* Answers a GET or HEAD of the web app: "/" is index.html, "/self" self.html, a screen of the app
 * (/counter, /customers, /debt, /phanky and below) the shell index.html, whose script draws it,
 * an embedded file itself (with an ETag; 304 when unchanged). Returns false for anything else
 * (another method, an unknown file, a path with "..", "." or empty segments): the server's JSON
 * 404. */
bool static_serve(const http_request *r, http_response *w);

/* The content type of a file name by its extension. */
const char *static_content_type(const char *name);

#endif
