/* Notification templates: parsing, checking and rendering (see notify_template.h). */
#include "formats/notify_template.h"

#include <jansson.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/money.h"

extern const struct {
    const char *name;
    const char *text;
} notify_template_files[];
extern const size_t notify_template_files_count;

struct notify_templates {
    json_t *root;
};

static const char *const channel_keys[] = {"sms", "chat"};
static const char *const langs[] = {"vi", "en"};

/* One placeholder of a text: {name} or {name|filter}. */
typedef struct {
    const char *name;
    size_t name_len;
    const char *filter; /* NULL: none */
    size_t filter_len;
    const char *end; /* just after '}' */
} placeholder;

static int is_name_char(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
}

/* p points at '{' (not "{{"). */
static int parse_placeholder(const char *p, placeholder *ph, const char *where, pc_err *e)
{
    const char *q = p + 1;
    ph->name = q;
    while (is_name_char(*q))
        q++;
    ph->name_len = (size_t)(q - ph->name);
    ph->filter = NULL;
    ph->filter_len = 0;
    if (*q == '|') {
        ph->filter = ++q;
        while (is_name_char(*q))
            q++;
        ph->filter_len = (size_t)(q - ph->filter);
    }
    if (*q != '}' || ph->name_len == 0)
        return pc_errf(e, PC_EINVAL, "%s: '{' must open {field} or {field|money} (write {{ for a brace): \"%.20s\"",
                       where, p);
    if (ph->filter && (ph->filter_len != 5 || strncmp(ph->filter, "money", 5) != 0))
        return pc_errf(e, PC_EINVAL, "%s: unknown filter '|%.*s' (only |money)", where, (int)ph->filter_len, ph->filter);
    ph->end = q + 1;
    return 0;
}

static bool declared(json_t *fields, const char *name, size_t len)
{
    size_t i;
    json_t *v;
    json_array_foreach(fields, i, v)
    {
        const char *f = json_string_value(v);
        if (f && strlen(f) == len && strncmp(f, name, len) == 0)
            return true;
    }
    return false;
}

/* Every placeholder of text names a declared field; braces are balanced. */
static int check_text(const char *text, json_t *fields, const char *where, pc_err *e)
{
    for (const char *p = text; *p;) {
        if ((p[0] == '{' && p[1] == '{') || (p[0] == '}' && p[1] == '}')) {
            p += 2;
        } else if (*p == '{') {
            placeholder ph;
            if (parse_placeholder(p, &ph, where, e) != 0)
                return -1;
            if (!declared(fields, ph.name, ph.name_len))
                return pc_errf(e, PC_EINVAL, "%s: {%.*s} is not among the event's fields", where, (int)ph.name_len,
                               ph.name);
            p = ph.end;
        } else if (*p == '}') {
            return pc_errf(e, PC_EINVAL, "%s: a lone '}' (write }} for a brace)", where);
        } else {
            p++;
        }
    }
    return 0;
}

notify_templates *notify_templates_parse(const char *json_text, pc_err *e)
{
    json_error_t je;
    json_t *root = json_loads(json_text, 0, &je);
    if (!root || !json_is_object(root)) {
        pc_errf(e, PC_EINVAL, "notification templates: line %d: %s", je.line, root ? "an object is expected" : je.text);
        json_decref(root);
        return NULL;
    }
    const char *event;
    json_t *ev;
    json_object_foreach(root, event, ev)
    {
        if (event[0] == '_')
            continue; /* comments */
        json_t *fields = json_object_get(ev, "fields");
        if (!json_is_array(fields)) {
            pc_errf(e, PC_EINVAL, "notification templates: %s: \"fields\" (a list of names) is missing", event);
            goto bad;
        }
        for (size_t l = 0; l < 2; l++) {
            json_t *lt = json_object_get(ev, langs[l]);
            char where[128];
            const char *keys[] = {"subject", "body", "sms", "chat"};
            for (size_t k = 0; k < 4; k++) {
                json_t *s = json_object_get(lt, keys[k]);
                snprintf(where, sizeof where, "notification templates: %s/%s/%s", event, langs[l], keys[k]);
                if (!s && k >= 2)
                    continue;
                if (!json_is_string(s)) {
                    pc_errf(e, PC_EINVAL, "%s: a text is expected", where);
                    goto bad;
                }
                if (check_text(json_string_value(s), fields, where, e) != 0)
                    goto bad;
            }
        }
    }
    notify_templates *t = malloc(sizeof *t);
    t->root = root;
    return t;
bad:
    json_decref(root);
    return NULL;
}

void notify_templates_free(notify_templates *t)
{
    if (!t)
        return;
    json_decref(t->root);
    free(t);
}

static notify_templates *shipped;
static pc_err shipped_err;

static void parse_shipped(void)
{
    if (notify_template_files_count < 1)
        pc_errf(&shipped_err, PC_EINTERNAL, "no notification templates were built in");
    else
        shipped = notify_templates_parse(notify_template_files[0].text, &shipped_err);
}

const notify_templates *notify_templates_shipped(pc_err *e)
{
    /* once per process, safe from the server's threads */
    static pthread_once_t once = PTHREAD_ONCE_INIT;
    pthread_once(&once, parse_shipped);
    if (!shipped && e)
        *e = shipped_err;
    return shipped;
}

bool notify_event_known(const notify_templates *t, const char *event, char *list, size_t cap)
{
    json_t *ev = event[0] == '_' ? NULL : json_object_get(t->root, event);
    if (!ev)
        return false;
    if (list && cap) {
        list[0] = 0;
        size_t i, n = 0;
        json_t *v;
        json_array_foreach(json_object_get(ev, "fields"), i, v)
        {
            int w = snprintf(list + n, cap - n, "%s%s", i ? ", " : "", json_string_value(v));
            if (w < 0 || (size_t)w >= cap - n)
                break;
            n += (size_t)w;
        }
    }
    return true;
}

bool notify_event_takes(const notify_templates *t, const char *event, const char *field)
{
    json_t *ev = event[0] == '_' ? NULL : json_object_get(t->root, event);
    return ev && declared(json_object_get(ev, "fields"), field, strlen(field));
}

static const char *field_value(const notify_field *fields, int n, const char *name, size_t len)
{
    for (int i = 0; i < n; i++)
        if (strlen(fields[i].name) == len && strncmp(fields[i].name, name, len) == 0)
            return fields[i].value;
    return NULL;
}

static int render_text(const char *text, const notify_field *fields, int nfields, const char *where, buf *out,
                       pc_err *e)
{
    buf_puts(out, ""); /* an empty text is "" rather than NULL */
    for (const char *p = text; *p;) {
        if ((p[0] == '{' && p[1] == '{') || (p[0] == '}' && p[1] == '}')) {
            buf_append(out, p, 1);
            p += 2;
            continue;
        }
        if (*p != '{') {
            const char *q = p;
            while (*q && *q != '{' && *q != '}')
                q++;
            if (q == p) /* a lone '}' was refused when parsing */
                q++;
            buf_append(out, p, (size_t)(q - p));
            p = q;
            continue;
        }
        placeholder ph;
        if (parse_placeholder(p, &ph, where, e) != 0)
            return -1;
        const char *v = field_value(fields, nfields, ph.name, ph.name_len);
        if (!v)
            return pc_errf(e, PC_EINVAL, "%s: field %.*s is needed (--field %.*s=VALUE)", where, (int)ph.name_len,
                           ph.name, (int)ph.name_len, ph.name);
        if (ph.filter) {
            money m;
            pc_err me = {0};
            if (money_parse(v, &m, &me) != 0)
                return pc_errf(e, PC_EINVAL, "%s: field %.*s = '%s': a whole number of đồng is expected", where,
                               (int)ph.name_len, ph.name, v);
            char mb[MONEY_FMT_MAX];
            buf_puts(out, money_format(m, true, mb));
        } else {
            buf_puts(out, v);
        }
        p = ph.end;
    }
    return 0;
}

int notify_render(const notify_templates *t, const char *event, const char *channel, const char *lang,
                  const notify_field *fields, int nfields, notify_rendered *out, pc_err *e)
{
    out->subject = out->body = NULL;
    char list[512];
    if (!notify_event_known(t, event, list, sizeof list)) {
        buf names = {0};
        const char *k;
        json_t *v;
        json_object_foreach(t->root, k, v)
        {
            if (k[0] != '_')
                buf_printf(&names, "%s%s", names.len ? ", " : "", k);
        }
        pc_errf(e, PC_EINVAL, "unknown notification event '%s' (known: %s)", event, names.data ? names.data : "");
        buf_free(&names);
        return -1;
    }
    json_t *ev = json_object_get(t->root, event);
    json_t *lt = json_object_get(ev, lang);
    if (!lt)
        return pc_errf(e, PC_EINVAL, "language '%s': vi or en is expected", lang);
    json_t *fdecl = json_object_get(ev, "fields");
    for (int i = 0; i < nfields; i++)
        if (!declared(fdecl, fields[i].name, strlen(fields[i].name)))
            return pc_errf(e, PC_EINVAL, "event %s has no field '%s' (its fields: %s)", event, fields[i].name, list);
    const char *body = NULL;
    for (size_t k = 0; k < sizeof channel_keys / sizeof *channel_keys; k++)
        if (strcmp(channel, channel_keys[k]) == 0)
            body = json_string_value(json_object_get(lt, channel_keys[k]));
    const char *body_key = body ? channel : "body";
    if (!body)
        body = json_string_value(json_object_get(lt, "body"));
    char where[128];
    buf s = {0}, b = {0};
    snprintf(where, sizeof where, "%s/%s/subject", event, lang);
    if (render_text(json_string_value(json_object_get(lt, "subject")), fields, nfields, where, &s, e) != 0)
        goto bad;
    snprintf(where, sizeof where, "%s/%s/%s", event, lang, body_key);
    if (render_text(body, fields, nfields, where, &b, e) != 0)
        goto bad;
    out->subject = s.data;
    out->body = b.data;
    return 0;
bad:
    buf_free(&s);
    buf_free(&b);
    return -1;
}

void notify_rendered_free(notify_rendered *r)
{
    free(r->subject);
    free(r->body);
    r->subject = r->body = NULL;
}

void json_escape_into(buf *out, const char *s)
{
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        switch (*p) {
        case '"': buf_puts(out, "\\\""); break;
        case '\\': buf_puts(out, "\\\\"); break;
        case '\n': buf_puts(out, "\\n"); break;
        case '\r': buf_puts(out, "\\r"); break;
        case '\t': buf_puts(out, "\\t"); break;
        default:
            if (*p < 0x20)
                buf_printf(out, "\\u%04x", *p);
            else
                buf_append(out, (const char *)p, 1); /* UTF-8 passes through unchanged */
        }
    }
}

static void form_escape_into(buf *out, const char *s)
{
    static const char hex[] = "0123456789ABCDEF";
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        unsigned char c = *p;
        if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '.' ||
            c == '_' || c == '*') {
            buf_append(out, (const char *)p, 1);
        } else if (c == ' ') {
            buf_puts(out, "+");
        } else {
            char h[3] = {'%', hex[c >> 4], hex[c & 15]};
            buf_append(out, h, 3);
        }
    }
}

int notify_fill(buf *out, const char *tmpl, const notify_field *fields, int nfields, fill_escape esc, pc_err *e)
{
    buf_puts(out, "");
    for (const char *p = tmpl; *p;) {
        if (*p != '{') {
            buf_append(out, p++, 1);
            continue;
        }
        const char *q = p + 1;
        while (is_name_char(*q))
            q++;
        const char *v = *q == '}' && q > p + 1 ? field_value(fields, nfields, p + 1, (size_t)(q - p - 1)) : NULL;
        if (!v) {
            if (*q == '}' && q > p + 1)
                return pc_errf(e, PC_EINVAL, "request template: unknown field {%.*s}", (int)(q - p - 1), p + 1);
            buf_append(out, p++, 1); /* a brace of the JSON itself */
            continue;
        }
        if (esc == FILL_JSON)
            json_escape_into(out, v);
        else if (esc == FILL_FORM)
            form_escape_into(out, v);
        else
            buf_puts(out, v);
        p = q + 1;
    }
    return 0;
}
