/* Debt cases and documents (see cases.h). */
#include "app/cases.h"

#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <magic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "app/audit.h"
#include "app/locks.h"
#include "base/date.h"
#include "base/fold.h"
#include "base/hash.h"
#include "store/repo.h"

static const char *const statuses[] = {"monitoring", "notified", "disconnected", "negotiating",
                                       "in_court",   "collected", "written_off"};

int case_status_parse(const char *flag, const char *in, char out[16], pc_err *e)
{
    char v[16];
    if (in && strlen(in) < sizeof v) {
        snprintf(v, sizeof v, "%s", in);
        for (char *p = v; *p; p++)
            if (*p == '-')
                *p = '_';
        for (size_t i = 0; i < sizeof statuses / sizeof *statuses; i++)
            if (strcmp(v, statuses[i]) == 0) {
                snprintf(out, 16, "%s", statuses[i]);
                return 0;
            }
    }
    return pc_errf(e, PC_EINVAL,
                   "%s '%s': expected monitoring, notified, disconnected, negotiating, in-court, collected or "
                   "written-off",
                   flag, in ? in : "");
}

/* Free text from a person: within max bytes, no control characters (a note may hold line
 * breaks and tabs). */
static int text_check(const char *flag, const char *s, size_t max, bool multiline, pc_err *e)
{
    size_t n = strlen(s);
    if (n > max)
        return pc_errf(e, PC_EINVAL, "%s: at most %zu bytes (got %zu)", flag, max, n);
    if (!text_is_utf8(s, n))
        return pc_errf(e, PC_EINVAL, "%s: not valid UTF-8 text", flag);
    for (const unsigned char *p = (const unsigned char *)s; *p; p++)
        if ((*p < 0x20 || *p == 0x7f) && !(multiline && (*p == '\n' || *p == '\t')))
            return pc_errf(e, PC_EINVAL, "%s: control characters are not allowed", flag);
    return 0;
}

static int date_check(const char *flag, const char *s, char out[DATE_FMT_MAX], pc_err *e)
{
    civil_date day;
    if (date_parse(s, &day, e) != 0)
        return pc_err_prefix(e, "%s", flag);
    date_format(day, out);
    return 0;
}

static const char *or_null(const char *s)
{
    return s && s[0] ? s : NULL;
}

/* The change checked and applied over the case's current state (cur). */
static int change_apply(const case_change *c, case_row *cur, bool *changed, pc_err *e)
{
    *changed = false;
    if (c->status) {
        char st[16];
        if (case_status_parse("--status", c->status, st, e) != 0)
            return -1;
        *changed |= strcmp(st, cur->status) != 0;
        snprintf(cur->status, sizeof cur->status, "%s", st);
    }
    if (c->owner) {
        if (text_check("--owner", c->owner, CASE_OWNER_MAX - 1, false, e) != 0)
            return -1;
        *changed |= strcmp(c->owner, cur->owner) != 0;
        snprintf(cur->owner, sizeof cur->owner, "%s", c->owner);
    }
    if (c->next_action) {
        char day[DATE_FMT_MAX] = "";
        if (c->next_action[0] && date_check("--next", c->next_action, day, e) != 0)
            return -1;
        *changed |= strcmp(day, cur->next_action) != 0;
        snprintf(cur->next_action, sizeof cur->next_action, "%s", day);
    }
    if (c->note && text_check("--note", c->note, CASE_NOTE_MAX - 1, true, e) != 0)
        return -1;
    /* DOMAIN 9: a debt is written off with approval; the note records it. */
    if (strcmp(cur->status, "written_off") == 0 && c->status && !(c->note && c->note[0]))
        return pc_errf(e, PC_EINVAL, "--note: writing a case off needs the approval (who approved, reference) in "
                                     "a note");
    return 0;
}

static int case_event_add(db *d, const char *actor, const case_row *c, const char *note, const char *at, pc_err *e)
{
    case_event_row ev;
    memset(&ev, 0, sizeof ev);
    ev.case_id = c->id;
    snprintf(ev.status, sizeof ev.status, "%s", c->status);
    snprintf(ev.owner, sizeof ev.owner, "%s", c->owner);
    snprintf(ev.next_action, sizeof ev.next_action, "%s", c->next_action);
    snprintf(ev.note, sizeof ev.note, "%s", note ? note : "");
    snprintf(ev.at, sizeof ev.at, "%s", at);
    snprintf(ev.by_user, sizeof ev.by_user, "%s", actor);
    return case_event_insert(d, &ev, e);
}

int case_open(db *d, const char *actor, const char *customer_code, const case_change *c, case_row *out, pc_err *e)
{
    memset(out, 0, sizeof *out);
    snprintf(out->status, sizeof out->status, "monitoring");
    bool changed;
    if (change_apply(c, out, &changed, e) != 0)
        return -1;
    char ts[TIMESTAMP_FMT_MAX];
    timestamp_now(ts);
    if (db_begin(d, e) != 0)
        return -1;
    case_customer cu;
    case_row existing;
    if (case_customer_get(d, customer_code, &cu, e) != 0)
        goto fail;
    pc_err found = {0};
    if (case_get_by_customer(d, cu.id, &existing, &found) == 0) {
        pc_errf(e, PC_ECONFLICT, "customer %s has a debt case already (%s, opened %s): use `powercis case update`",
                cu.code, existing.status, existing.opened_at);
        goto fail;
    }
    if (found.code != PC_ENOTFOUND) {
        if (e)
            *e = found;
        goto fail;
    }
    out->customer_id = cu.id;
    snprintf(out->customer_code, sizeof out->customer_code, "%s", cu.code);
    snprintf(out->customer_name, sizeof out->customer_name, "%s", cu.name);
    snprintf(out->unit_code, sizeof out->unit_code, "%s", cu.unit_code);
    snprintf(out->opened_at, sizeof out->opened_at, "%s", ts);
    snprintf(out->updated_at, sizeof out->updated_at, "%s", ts);
    if (case_insert(d, out, e) != 0 || case_event_add(d, actor, out, c->note, ts, e) != 0 ||
        audit_event(d, actor, "case.open", "debt_case", cu.code,
                    json_pack("{s:s, s:s?, s:s?, s:s?}", "status", out->status, "owner", or_null(out->owner),
                              "next_action", or_null(out->next_action), "note", or_null(c->note)),
                    e) != 0 ||
        case_get_by_customer(d, cu.id, out, e) != 0 || db_commit(d, e) != 0)
        goto fail;
    return 0;
fail:
    db_rollback(d);
    return -1;
}

int case_update(db *d, const char *actor, const char *customer_code, const case_change *c, case_row *out, pc_err *e)
{
    memset(out, 0, sizeof *out);
    if (!c->status && !c->owner && !c->next_action && !(c->note && c->note[0]))
        return pc_errf(e, PC_EINVAL, "nothing to update: give --status, --owner, --next or --note");
    char ts[TIMESTAMP_FMT_MAX];
    timestamp_now(ts);
    if (db_begin(d, e) != 0)
        return -1;
    case_customer cu;
    if (case_customer_get(d, customer_code, &cu, e) != 0)
        goto fail;
    if (case_get_by_customer(d, cu.id, out, e) != 0) {
        if (e && e->code == PC_ENOTFOUND)
            pc_errf(e, PC_ENOTFOUND, "customer %s has no debt case (open one with `powercis case open %s`)", cu.code,
                    cu.code);
        goto fail;
    }
    char before[16];
    snprintf(before, sizeof before, "%s", out->status);
    bool changed;
    if (change_apply(c, out, &changed, e) != 0)
        goto fail;
    if (!changed && !(c->note && c->note[0])) {
        pc_errf(e, PC_EINVAL, "the case of %s is %s already with that owner and next action: nothing to update",
                cu.code, out->status);
        goto fail;
    }
    snprintf(out->updated_at, sizeof out->updated_at, "%s", ts);
    if (case_set_current(d, out->id, out->status, out->owner, out->next_action, ts, e) != 0 ||
        case_event_add(d, actor, out, c->note, ts, e) != 0 ||
        audit_event(d, actor, "case.update", "debt_case", cu.code,
                    json_pack("{s:s, s:s, s:s?, s:s?, s:s?}", "status_before", before, "status", out->status, "owner",
                              or_null(out->owner), "next_action", or_null(out->next_action), "note", or_null(c->note)),
                    e) != 0 ||
        db_commit(d, e) != 0)
        goto fail;
    return 0;
fail:
    db_rollback(d);
    return -1;
}

static int collect_event(void *ctx, const case_event_row *ev)
{
    case_detail *c = ctx; /* a case has few events and documents: grown one at a time */
    c->events = realloc(c->events, (size_t)(c->nevents + 1) * sizeof *c->events);
    if (!c->events)
        abort();
    c->events[c->nevents++] = *ev;
    return 0;
}

static int collect_doc(void *ctx, const document_row *r)
{
    case_detail *c = ctx;
    c->docs = realloc(c->docs, (size_t)(c->ndocs + 1) * sizeof *c->docs);
    if (!c->docs)
        abort();
    c->docs[c->ndocs++] = *r;
    return 0;
}

void case_detail_free(case_detail *c)
{
    free(c->events);
    free(c->docs);
    memset(c, 0, sizeof *c);
}

int case_show(db *d, const char *customer_code, case_detail *out, pc_err *e)
{
    memset(out, 0, sizeof *out);
    case_customer cu;
    if (case_customer_get(d, customer_code, &cu, e) != 0)
        return -1;
    if (case_get_by_customer(d, cu.id, &out->c, e) != 0) {
        if (e && e->code == PC_ENOTFOUND)
            pc_errf(e, PC_ENOTFOUND, "customer %s has no debt case (open one with `powercis case open %s`)", cu.code,
                    cu.code);
        return -1;
    }
    if (case_events(d, out->c.id, collect_event, out, e) != 0 || documents_of(d, cu.id, true, collect_doc, out, e) != 0) {
        case_detail_free(out);
        return -1;
    }
    return 0;
}

int cases_list(db *d, const case_query *q, case_row_fn fn, void *ctx, pc_err *e)
{
    case_filter f = {0};
    char st[16], due[DATE_FMT_MAX];
    org_row u;
    if (q->scope_code && q->scope_code[0]) {
        if (org_get(d, q->scope_code, &u, e) != 0)
            return pc_err_prefix(e, "--scope");
        f.scope_path = u.path;
    }
    if (q->status) {
        if (case_status_parse("--status", q->status, st, e) != 0)
            return -1;
        f.status = st;
    }
    if (q->due_by) {
        if (date_check("--due-by", q->due_by, due, e) != 0)
            return -1;
        f.due_by = due;
    }
    f.owner = or_null(q->owner);
    if (q->limit < 0 || q->offset < 0)
        return pc_errf(e, PC_EINVAL, "--limit and --offset cannot be negative");
    f.limit = q->limit;
    f.offset = q->offset;
    return case_list(d, &f, fn, ctx, e);
}

static json_t *text_or_null(const char *s)
{
    return s[0] ? json_string(s) : json_null();
}

json_t *case_json(const case_row *c)
{
    return json_pack("{s:s, s:s, s:s, s:s, s:o, s:o, s:s, s:s, s:I}", "customer_code", c->customer_code,
                     "customer_name", c->customer_name, "unit", c->unit_code, "status", c->status, "owner",
                     text_or_null(c->owner), "next_action", text_or_null(c->next_action), "opened_at", c->opened_at,
                     "updated_at", c->updated_at, "documents", (json_int_t)c->documents);
}

json_t *case_event_json(const case_event_row *v)
{
    return json_pack("{s:s, s:s, s:o, s:o, s:o, s:s}", "at", v->at, "status", v->status, "owner",
                     text_or_null(v->owner), "next_action", text_or_null(v->next_action), "note", text_or_null(v->note),
                     "by", v->by_user);
}

json_t *case_detail_json(const case_detail *k)
{
    json_t *o = case_json(&k->c), *events = json_array(), *docs = json_array();
    for (int i = 0; i < k->nevents; i++)
        json_array_append_new(events, case_event_json(&k->events[i]));
    for (int i = 0; i < k->ndocs; i++)
        json_array_append_new(docs, document_json(&k->docs[i]));
    json_object_set_new(o, "events", events);
    json_object_set_new(o, "documents", docs); /* the list, removed ones too, instead of the count */
    return o;
}

json_t *document_json(const document_row *r)
{
    json_t *o = json_pack("{s:I, s:s, s:s, s:s, s:s, s:s, s:I, s:s, s:s, s:s, s:s, s:b}", "id", (json_int_t)r->id,
                          "customer_code", r->customer_code, "kind", r->kind, "title", r->title, "file_name",
                          r->file_name, "media_type", r->media_type, "size", (json_int_t)r->size, "sha256", r->sha256,
                          "date", r->doc_date, "added_at", r->added_at, "added_by", r->added_by, "removed", r->removed);
    if (r->removed) {
        json_object_set_new(o, "removed_at", json_string(r->removed_at));
        json_object_set_new(o, "removed_by", json_string(r->removed_by));
        json_object_set_new(o, "removal_reason", json_string(r->removal_reason));
    }
    return o;
}

/* ---- documents ---- */

static const char *const kinds[] = {"invoice", "minutes", "record", "court", "other"};

static int kind_check(const char *kind, pc_err *e)
{
    for (size_t i = 0; kind && i < sizeof kinds / sizeof *kinds; i++)
        if (strcmp(kind, kinds[i]) == 0)
            return 0;
    return pc_errf(e, PC_EINVAL, "--kind '%s': expected invoice, minutes, record, court or other", kind ? kind : "");
}

int doc_file_name_check(const char *name, pc_err *e)
{
    if (!name || !name[0] || strcmp(name, ".") == 0 || strcmp(name, "..") == 0)
        return pc_errf(e, PC_EINVAL, "a document needs a file name");
    if (strlen(name) > DOC_FILE_NAME_MAX)
        return pc_errf(e, PC_EINVAL, "file name: at most %d bytes (got %zu)", DOC_FILE_NAME_MAX, strlen(name));
    if (!text_is_utf8(name, strlen(name)))
        return pc_errf(e, PC_EINVAL, "file name: not valid UTF-8 text");
    for (const unsigned char *p = (const unsigned char *)name; *p; p++)
        if (*p == '/' || *p < 0x20 || *p == 0x7f)
            return pc_errf(e, PC_EINVAL, "file name: '/' and control characters are not allowed");
    return 0;
}

int doc_media_type(const char *name, const void *data, size_t len, char out[32], pc_err *e)
{
    /* Only the type is asked for; compressed files are not looked into. */
    magic_t m = magic_open(MAGIC_MIME_TYPE | MAGIC_NO_CHECK_COMPRESS);
    if (!m)
        return pc_errf(e, PC_EINTERNAL, "cannot start libmagic: %s", strerror(errno));
    if (magic_load(m, NULL) != 0) {
        pc_errf(e, PC_EINTERNAL, "cannot load the libmagic database (is libmagic-mgc installed?): %s",
                magic_error(m) ? magic_error(m) : "unknown error");
        magic_close(m);
        return -1;
    }
    const char *type = magic_buffer(m, data, len);
    char found[64];
    snprintf(found, sizeof found, "%s", type ? type : "unknown");
    magic_close(m);
    static const char *const accepted[] = {"application/pdf", "image/jpeg", "image/png"};
    for (size_t i = 0; i < sizeof accepted / sizeof *accepted; i++)
        if (strcmp(found, accepted[i]) == 0) {
            snprintf(out, 32, "%s", accepted[i]);
            return 0;
        }
    return pc_errf(e, PC_EINVAL, "'%s' is %s by its content: only PDF, JPEG and PNG documents are accepted", name,
                   found);
}

/* mkdir -p, for the store's folder and its two-letter subfolders. */
static int make_dirs(const char *dir, pc_err *e)
{
    char p[4096];
    if (snprintf(p, sizeof p, "%s", dir) >= (int)sizeof p)
        return pc_errf(e, PC_EINVAL, "document folder name too long");
    for (char *s = p + 1; *s; s++) {
        if (*s != '/')
            continue;
        *s = '\0';
        if (mkdir(p, 0750) != 0 && errno != EEXIST)
            return pc_errf(e, PC_EIO, "cannot create folder '%s': %s", p, strerror(errno));
        *s = '/';
    }
    if (mkdir(p, 0750) != 0 && errno != EEXIST)
        return pc_errf(e, PC_EIO, "cannot create folder '%s': %s", p, strerror(errno));
    return 0;
}

static int blob_path(const char *dir, const char *hex, char *out, size_t cap, pc_err *e)
{
    int n = snprintf(out, cap, "%s/%.2s/%s", dir, hex, hex);
    if (n < 0 || (size_t)n >= cap)
        return pc_errf(e, PC_EINVAL, "document folder name too long");
    return 0;
}

/* Reads a whole file of at most max bytes; *too_big when it is larger (nothing read). */
static int read_file(const char *path, int64_t max, unsigned char **data, size_t *len, bool *too_big, int64_t *size,
                     pc_err *e)
{
    *data = NULL;
    *len = 0;
    *too_big = false;
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK); /* a FIFO must not block us */
    if (fd < 0)
        return pc_errf(e, errno == ENOENT ? PC_EINVAL : PC_EIO, "cannot open '%s': %s", path, strerror(errno));
    struct stat st;
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        close(fd);
        return pc_errf(e, PC_EINVAL, "'%s' is not a regular file", path);
    }
    *size = st.st_size;
    if (st.st_size > max) {
        close(fd);
        *too_big = true;
        return 0;
    }
    unsigned char *buf = malloc((size_t)st.st_size + 1);
    if (!buf)
        abort();
    size_t got = 0;
    /* read up to one byte more than announced, to notice a file growing meanwhile */
    while (got <= (size_t)st.st_size) {
        ssize_t r = read(fd, buf + got, (size_t)st.st_size + 1 - got);
        if (r < 0 && errno == EINTR)
            continue;
        if (r < 0) {
            int err = errno;
            close(fd);
            free(buf);
            return pc_errf(e, PC_EIO, "cannot read '%s': %s", path, strerror(err));
        }
        if (r == 0)
            break;
        got += (size_t)r;
    }
    close(fd);
    if (got != (size_t)st.st_size) {
        free(buf);
        return pc_errf(e, PC_EIO, "'%s' changed while it was read", path);
    }
    *data = buf;
    *len = got;
    return 0;
}

/* Stores the bytes at DIR/ab/<hex> unless a file with this content is there already. A new file
 * is written beside its final name and renamed, so a reader never sees half of one. */
static int blob_put(const char *dir, const char *hex, const void *data, size_t len, bool *created, pc_err *e)
{
    *created = false;
    char sub[4096], final[4096], tmp[4096];
    if (snprintf(sub, sizeof sub, "%s/%.2s", dir, hex) >= (int)sizeof sub || blob_path(dir, hex, final, sizeof final, e) != 0)
        return pc_errf(e, PC_EINVAL, "document folder name too long");
    if (make_dirs(sub, e) != 0)
        return -1;
    unsigned char *have;
    size_t nhave;
    bool big;
    int64_t size;
    pc_err ignored = {0};
    if (read_file(final, (int64_t)len, &have, &nhave, &big, &size, &ignored) == 0 && !big) {
        char h[SHA256_HEX_LEN];
        sha256_hex(have, nhave, h);
        free(have);
        if (strcmp(h, hex) == 0)
            return 0; /* the same content, stored before */
        /* a damaged copy: replaced below */
    }
    if (snprintf(tmp, sizeof tmp, "%s/.%s.XXXXXX", sub, hex) >= (int)sizeof tmp)
        return pc_errf(e, PC_EINVAL, "document folder name too long");
    int fd = mkstemp(tmp);
    if (fd < 0)
        return pc_errf(e, PC_EIO, "cannot create a file in '%s': %s", sub, strerror(errno));
    const unsigned char *p = data;
    size_t left = len;
    while (left > 0) {
        ssize_t w = write(fd, p, left);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0) {
            int err = errno;
            close(fd);
            unlink(tmp);
            return pc_errf(e, PC_EIO, "cannot write '%s': %s", tmp, strerror(err));
        }
        p += w;
        left -= (size_t)w;
    }
    if (fchmod(fd, 0640) != 0 || fsync(fd) != 0 || close(fd) != 0) {
        int err = errno;
        unlink(tmp);
        return pc_errf(e, PC_EIO, "cannot write '%s': %s", tmp, strerror(err));
    }
    if (rename(tmp, final) != 0) {
        int err = errno;
        unlink(tmp);
        return pc_errf(e, PC_EIO, "cannot store '%s': %s", final, strerror(err));
    }
    *created = true;
    return 0;
}

static char *basename_of(const char *path)
{
    const char *slash = strrchr(path, '/');
    return (char *)(slash ? slash + 1 : path);
}

int doc_add_bytes(db *d, const char *actor, const doc_store *st, const char *customer_code, const char *file_name,
                  const void *data, size_t len, const doc_meta *m, int utc_offset, document_row *out,
                  bool *stored_new, pc_err *e)
{
    memset(out, 0, sizeof *out);
    *stored_new = false;
    const char *title = m->title && m->title[0] ? m->title : file_name;
    if (kind_check(m->kind, e) != 0 || doc_file_name_check(file_name, e) != 0 ||
        text_check("--title", title, sizeof out->title - 1, false, e) != 0)
        return -1;
    civil_date today = date_today(utc_offset);
    if (m->date && m->date[0]) {
        civil_date day;
        if (date_parse(m->date, &day, e) != 0)
            return pc_err_prefix(e, "--date");
        if (day > today)
            return pc_errf(e, PC_EINVAL, "--date %s is in the future", m->date);
        date_format(day, out->doc_date);
    } else {
        date_format(today, out->doc_date);
    }
    if (len == 0)
        return pc_errf(e, PC_EINVAL, "'%s' is empty", file_name);
    if ((int64_t)len > st->max_bytes)
        return pc_errf(e, PC_EINVAL, "'%s' is %zu bytes: the limit is %lld bytes ([documents] max_bytes)", file_name,
                       len, (long long)st->max_bytes);
    if (doc_media_type(file_name, data, len, out->media_type, e) != 0)
        return -1;
    sha256_hex(data, len, out->sha256);
    out->size = (int64_t)len;
    snprintf(out->kind, sizeof out->kind, "%s", m->kind);
    snprintf(out->title, sizeof out->title, "%s", title);
    snprintf(out->file_name, sizeof out->file_name, "%s", file_name);
    snprintf(out->added_by, sizeof out->added_by, "%s", actor);
    timestamp_now(out->added_at);

    if (db_begin(d, e) != 0)
        return -1;
    case_customer cu;
    if (case_customer_get(d, customer_code, &cu, e) != 0 || lock_check_customer(d, cu.id, out->doc_date, e) != 0)
        goto fail;
    out->customer_id = cu.id;
    snprintf(out->customer_code, sizeof out->customer_code, "%s", cu.code);
    /* The bytes first: a row never names a file that is not there. A rollback after this leaves
     * an unreferenced file, which the next add of the same content reuses. */
    if (blob_put(st->dir, out->sha256, data, len, stored_new, e) != 0 || document_insert(d, out, e) != 0)
        goto fail;
    char key[24];
    snprintf(key, sizeof key, "%lld", (long long)out->id);
    if (audit_event(d, actor, "document.add", "document", key,
                    json_pack("{s:s, s:s, s:s, s:s, s:s, s:I, s:s, s:s}", "customer", cu.code, "kind", out->kind,
                              "title", out->title, "file_name", out->file_name, "media_type", out->media_type, "size",
                              (json_int_t)out->size, "sha256", out->sha256, "date", out->doc_date),
                    e) != 0 ||
        db_commit(d, e) != 0)
        goto fail;
    return 0;
fail:
    db_rollback(d);
    return -1;
}

int doc_add_file(db *d, const char *actor, const doc_store *st, const char *customer_code, const char *path,
                 const doc_meta *m, int utc_offset, document_row *out, bool *stored_new, pc_err *e)
{
    memset(out, 0, sizeof *out);
    *stored_new = false;
    const char *name = basename_of(path);
    /* cheap checks before reading the file */
    if (kind_check(m->kind, e) != 0 || doc_file_name_check(name, e) != 0)
        return -1;
    unsigned char *data;
    size_t len;
    bool too_big;
    int64_t size;
    if (read_file(path, st->max_bytes, &data, &len, &too_big, &size, e) != 0)
        return -1;
    if (too_big)
        return pc_errf(e, PC_EINVAL, "'%s' is %lld bytes: the limit is %lld bytes ([documents] max_bytes)", name,
                       (long long)size, (long long)st->max_bytes);
    int rc = doc_add_bytes(d, actor, st, customer_code, name, data, len, m, utc_offset, out, stored_new, e);
    free(data);
    return rc;
}

int doc_list(db *d, const char *customer_code, bool with_removed, document_fn fn, void *ctx, pc_err *e)
{
    case_customer cu;
    if (case_customer_get(d, customer_code, &cu, e) != 0)
        return -1;
    return documents_of(d, cu.id, with_removed, fn, ctx, e);
}

int doc_read(db *d, const doc_store *st, int64_t id, document_row *out, unsigned char **bytes, size_t *len, pc_err *e)
{
    *bytes = NULL;
    *len = 0;
    if (document_get(d, id, out, e) != 0)
        return -1;
    char path[4096];
    if (blob_path(st->dir, out->sha256, path, sizeof path, e) != 0)
        return -1;
    unsigned char *data;
    size_t n;
    bool too_big;
    int64_t size;
    pc_err why = {0};
    if (read_file(path, out->size, &data, &n, &too_big, &size, &why) != 0)
        return pc_errf(e, PC_EIO, "document %lld: the stored file is missing or unreadable (%s): restore it from a backup",
                       (long long)id, why.msg);
    char hex[SHA256_HEX_LEN] = "";
    if (!too_big)
        sha256_hex(data, n, hex);
    if (too_big || strcmp(hex, out->sha256) != 0) {
        free(data);
        return pc_errf(e, PC_EIO, "document %lld: the stored file %s does not match its SHA-256 (damaged or altered): "
                                  "restore it from a backup",
                       (long long)id, path);
    }
    *bytes = data;
    *len = n;
    return 0;
}

int doc_remove(db *d, const char *actor, int64_t id, const char *reason, int utc_offset, document_row *out, pc_err *e)
{
    memset(out, 0, sizeof *out);
    if (!reason || !reason[0])
        return pc_errf(e, PC_EINVAL, "--reason: removing a document needs a reason");
    if (text_check("--reason", reason, sizeof out->removal_reason - 1, false, e) != 0)
        return -1;
    char today[DATE_FMT_MAX], ts[TIMESTAMP_FMT_MAX];
    date_format(date_today(utc_offset), today);
    timestamp_now(ts);
    if (db_begin(d, e) != 0)
        return -1;
    if (document_get(d, id, out, e) != 0)
        goto fail;
    if (out->removed) {
        pc_errf(e, PC_ECONFLICT, "document %lld was removed already (at %s by %s)", (long long)id, out->removed_at,
                out->removed_by);
        goto fail;
    }
    if (lock_check_customer(d, out->customer_id, today, e) != 0 ||
        document_removal_insert(d, id, ts, actor, reason, e) != 0)
        goto fail;
    char key[24];
    snprintf(key, sizeof key, "%lld", (long long)id);
    if (audit_event(d, actor, "document.remove", "document", key,
                    json_pack("{s:s, s:s, s:s, s:s}", "customer", out->customer_code, "sha256", out->sha256, "date",
                              today, "reason", reason),
                    e) != 0 ||
        document_get(d, id, out, e) != 0 || db_commit(d, e) != 0)
        goto fail;
    return 0;
fail:
    db_rollback(d);
    return -1;
}

int doc_store_put(const doc_store *st, const char *hex_name, const void *data, size_t len, bool *created,
                  pc_err *e)
{
    return blob_put(st->dir, hex_name, data, len, created, e);
}

int doc_store_get(const doc_store *st, const char *hex_name, int64_t size, unsigned char **bytes, size_t *len,
                  pc_err *e)
{
    *bytes = NULL;
    *len = 0;
    char path[4096];
    if (blob_path(st->dir, hex_name, path, sizeof path, e) != 0)
        return -1;
    unsigned char *data;
    size_t n;
    bool too_big;
    int64_t got;
    pc_err why = {0};
    if (read_file(path, size, &data, &n, &too_big, &got, &why) != 0)
        return pc_errf(e, PC_EIO, "the stored file %s is missing or unreadable (%s): restore it from a backup", path,
                       why.msg);
    char hex[SHA256_HEX_LEN] = "";
    if (!too_big)
        sha256_hex(data, n, hex);
    if (too_big || strcmp(hex, hex_name) != 0) {
        free(data);
        return pc_errf(e, PC_EIO, "the stored file %s does not match its SHA-256: restore it from a backup", path);
    }
    *bytes = data;
    *len = n;
    return 0;
}
