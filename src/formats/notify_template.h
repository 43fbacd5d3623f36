/* Notification templates (data/notify/templates.json, built into the binary): per event the
 * fields it takes and, per language, a subject and body with optional per-channel bodies.
 * {name} inserts a field, {name|money} a whole number of đồng as "1.234.567 đ", {{ and }} are
 * literal braces. Also the small filler the channels use for their own request templates. */
#ifndef PC_FORMATS_NOTIFY_TEMPLATE_H
#define PC_FORMATS_NOTIFY_TEMPLATE_H

#include <stdbool.h>

#include "base/buf.h"
#include "base/err.h"

typedef struct {
    const char *name;
    const char *value;
} notify_field;

typedef struct notify_templates notify_templates;

/* Parses and checks a template file: every event has "fields" and both languages with a
 * subject and body, and every placeholder names a declared field. */
notify_templates *notify_templates_parse(const char *json_text, pc_err *e);
void notify_templates_free(notify_templates *t);
/* The shipped templates, parsed once per process (NULL with the reason on a broken build). */
const notify_templates *notify_templates_shipped(pc_err *e);
/* Whether the event exists; its declared fields joined by ", " into list (may be NULL). */
bool notify_event_known(const notify_templates *t, const char *event, char *list, size_t cap);

/* Whether the event declares the field. */
bool notify_event_takes(const notify_templates *t, const char *event, const char *field);

typedef struct {
    char *subject; /* malloc'd */
    char *body;    /* malloc'd: the channel's body (sms, chat) or the general one */
} notify_rendered;
/* Renders event for channel (sms, email, chat) and lang (vi, en). An unknown event, a field the
 * event does not declare, or a placeholder with no value is PC_EINVAL naming it. */
int notify_render(const notify_templates *t, const char *event, const char *channel, const char *lang,
                  const notify_field *fields, int nfields, notify_rendered *out, pc_err *e);
void notify_rendered_free(notify_rendered *r);

/* How a value is written into a request template. */
typedef enum { FILL_RAW, FILL_JSON, FILL_FORM } fill_escape;
/* Replaces {name} in tmpl by the field's value, escaped for a JSON string's inside (FILL_JSON) or
 * as application/x-www-form-urlencoded (FILL_FORM); an unknown name is PC_EINVAL. */
int notify_fill(buf *out, const char *tmpl, const notify_field *fields, int nfields, fill_escape esc, pc_err *e);
/* Appends s as the inside of a JSON string. */
void json_escape_into(buf *out, const char *s);

#endif
