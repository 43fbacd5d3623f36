/* SQL for debt cases and documents (see cases.h). */
#include <stdio.h>
#include <string.h>

#include "store/cases.h"

#define COPY(dst, src) snprintf((dst), sizeof(dst), "%s", (src) ? (const char *)(src) : "")
#define IN_SCOPE(col) "(? IS NULL OR substr(" col ", 1, length(CAST(? AS TEXT))) = ?)"
#define NOT_REMOVED(doc) "NOT EXISTS (SELECT 1 FROM document_removal r WHERE r.document_id = " doc ".id)"

static const char *or_null(const char *s)
{
    return s && s[0] ? s : NULL;
}

int case_customer_get(db *d, const char *code, case_customer *out, pc_err *e)
{
    db_stmt *s = db_prepare(d, "SELECT c.id, c.code, c.name, u.code FROM customer c JOIN org_node u ON u.id = c.unit_id "
                               "WHERE c.code = ?", e);
    if (!s)
        return -1;
    db_bind_text(s, 1, code);
    int rc = db_step(s, e);
    if (rc == 1) {
        memset(out, 0, sizeof *out);
        out->id = db_col_int(s, 0);
        COPY(out->code, db_col_text(s, 1));
        COPY(out->name, db_col_text(s, 2));
        COPY(out->unit_code, db_col_text(s, 3));
    }
    db_reset(s);
    if (rc == 0)
        return pc_errf(e, PC_ENOTFOUND, "no customer %s", code);
    return rc < 0 ? -1 : 0;
}

/* ---- cases ---- */

int case_insert(db *d, case_row *c, pc_err *e)
{
    db_stmt *s = db_prepare(d, "INSERT INTO debt_case (customer_id, status, owner, next_action, opened_at, updated_at) "
                               "VALUES (?, ?, ?, ?, ?, ?)", e);
    if (!s)
        return -1;
    db_bind_int(s, 1, c->customer_id);
    db_bind_text(s, 2, c->status);
    db_bind_text(s, 3, or_null(c->owner));
    db_bind_text(s, 4, or_null(c->next_action));
    db_bind_text(s, 5, c->opened_at);
    db_bind_text(s, 6, c->updated_at);
    if (db_run(s, e) != 0) {
        if (e && e->code == PC_ECONFLICT)
            return pc_errf(e, PC_ECONFLICT, "customer %s has a debt case already (opened meanwhile?)",
                           c->customer_code);
        return -1;
    }
    c->id = db_last_insert_id(d);
    return 0;
}

int case_set_current(db *d, int64_t case_id, const char *status, const char *owner, const char *next_action,
                     const char *updated_at, pc_err *e)
{
    db_stmt *s = db_prepare(d, "UPDATE debt_case SET status = ?, owner = ?, next_action = ?, updated_at = ? WHERE id = ?",
                            e);
    if (!s)
        return -1;
    db_bind_text(s, 1, status);
    db_bind_text(s, 2, or_null(owner));
    db_bind_text(s, 3, or_null(next_action));
    db_bind_text(s, 4, updated_at);
    db_bind_int(s, 5, case_id);
    return db_run(s, e);
}

#define CASE_SELECT                                                                                             \
    "SELECT k.id, k.customer_id, c.code, c.name, u.code, k.status, k.owner, k.next_action, k.opened_at, "       \
    "k.updated_at, (SELECT count(*) FROM document x WHERE x.customer_id = k.customer_id AND " NOT_REMOVED("x")   \
    ") FROM debt_case k JOIN customer c ON c.id = k.customer_id JOIN org_node u ON u.id = c.unit_id "

static void case_from(db_stmt *s, case_row *c)
{
    memset(c, 0, sizeof *c);
    c->id = db_col_int(s, 0);
    c->customer_id = db_col_int(s, 1);
    COPY(c->customer_code, db_col_text(s, 2));
    COPY(c->customer_name, db_col_text(s, 3));
    COPY(c->unit_code, db_col_text(s, 4));
    COPY(c->status, db_col_text(s, 5));
    COPY(c->owner, db_col_text(s, 6));
    COPY(c->next_action, db_col_text(s, 7));
    COPY(c->opened_at, db_col_text(s, 8));
    COPY(c->updated_at, db_col_text(s, 9));
    c->documents = db_col_int(s, 10);
}

int case_get_by_customer(db *d, int64_t customer_id, case_row *out, pc_err *e)
{
    db_stmt *s = db_prepare(d, CASE_SELECT "WHERE k.customer_id = ?", e);
    if (!s)
        return -1;
    db_bind_int(s, 1, customer_id);
    int rc = db_step(s, e);
    if (rc == 1)
        case_from(s, out);
    db_reset(s);
    if (rc == 0)
        return pc_errf(e, PC_ENOTFOUND, "customer %lld has no debt case", (long long)customer_id);
    return rc < 0 ? -1 : 0;
}

int case_list(db *d, const case_filter *f, case_row_fn fn, void *ctx, pc_err *e)
{
    db_stmt *s = db_prepare(d, CASE_SELECT "WHERE " IN_SCOPE("u.path") " AND (? IS NULL OR k.status = ?) "
                                           "AND (? IS NULL OR k.next_action <= ?) AND (? IS NULL OR k.owner = ?) "
                                           "ORDER BY CASE WHEN k.next_action IS NULL THEN 1 ELSE 0 END, k.next_action, "
                                           "c.code LIMIT ? OFFSET ?",
                            e);
    if (!s)
        return -1;
    db_bind_text(s, 1, f->scope_path);
    db_bind_text(s, 2, f->scope_path);
    db_bind_text(s, 3, f->scope_path);
    db_bind_text(s, 4, f->status);
    db_bind_text(s, 5, f->status);
    db_bind_text(s, 6, f->due_by);
    db_bind_text(s, 7, f->due_by);
    db_bind_text(s, 8, f->owner);
    db_bind_text(s, 9, f->owner);
    db_bind_int(s, 10, f->limit > 0 ? f->limit : INT64_MAX);
    db_bind_int(s, 11, f->offset > 0 ? f->offset : 0);
    int rc;
    while ((rc = db_step(s, e)) == 1) {
        case_row c;
        case_from(s, &c);
        if (fn(ctx, &c) != 0) {
            db_reset(s);
            return -1;
        }
    }
    db_reset(s);
    return rc < 0 ? -1 : 0;
}

int case_event_insert(db *d, case_event_row *ev, pc_err *e)
{
    db_stmt *s = db_prepare(d, "INSERT INTO debt_case_event (case_id, status, owner, next_action, note, at, by_user) "
                               "VALUES (?, ?, ?, ?, ?, ?, ?)", e);
    if (!s)
        return -1;
    db_bind_int(s, 1, ev->case_id);
    db_bind_text(s, 2, ev->status);
    db_bind_text(s, 3, or_null(ev->owner));
    db_bind_text(s, 4, or_null(ev->next_action));
    db_bind_text(s, 5, or_null(ev->note));
    db_bind_text(s, 6, ev->at);
    db_bind_text(s, 7, ev->by_user);
    if (db_run(s, e) != 0)
        return -1;
    ev->id = db_last_insert_id(d);
    return 0;
}

int case_events(db *d, int64_t case_id, case_event_fn fn, void *ctx, pc_err *e)
{
    db_stmt *s = db_prepare(d, "SELECT id, case_id, status, owner, next_action, note, at, by_user FROM debt_case_event "
                               "WHERE case_id = ? ORDER BY id", e);
    if (!s)
        return -1;
    db_bind_int(s, 1, case_id);
    int rc;
    while ((rc = db_step(s, e)) == 1) {
        case_event_row ev;
        memset(&ev, 0, sizeof ev);
        ev.id = db_col_int(s, 0);
        ev.case_id = db_col_int(s, 1);
        COPY(ev.status, db_col_text(s, 2));
        COPY(ev.owner, db_col_text(s, 3));
        COPY(ev.next_action, db_col_text(s, 4));
        COPY(ev.note, db_col_text(s, 5));
        COPY(ev.at, db_col_text(s, 6));
        COPY(ev.by_user, db_col_text(s, 7));
        if (fn(ctx, &ev) != 0) {
            db_reset(s);
            return -1;
        }
    }
    db_reset(s);
    return rc < 0 ? -1 : 0;
}

/* Starts from the few customers with a case or a document rather than from every customer. */
int case_marks(db *d, case_mark_fn fn, void *ctx, pc_err *e)
{
    db_stmt *s = db_prepare(
        d,
        "SELECT x.customer_id, COALESCE(k.status, ''), COALESCE(n.docs, 0) FROM "
        "(SELECT customer_id FROM debt_case UNION SELECT y.customer_id FROM document y WHERE " NOT_REMOVED("y") ") x "
        "LEFT JOIN debt_case k ON k.customer_id = x.customer_id "
        "LEFT JOIN (SELECT z.customer_id, count(*) AS docs FROM document z WHERE " NOT_REMOVED("z")
        " GROUP BY z.customer_id) n ON n.customer_id = x.customer_id ORDER BY x.customer_id",
        e);
    if (!s)
        return -1;
    int rc;
    while ((rc = db_step(s, e)) == 1) {
        case_mark m;
        memset(&m, 0, sizeof m);
        m.customer_id = db_col_int(s, 0);
        COPY(m.status, db_col_text(s, 1));
        m.documents = db_col_int(s, 2);
        if (fn(ctx, &m) != 0) {
            db_reset(s);
            return -1;
        }
    }
    db_reset(s);
    return rc < 0 ? -1 : 0;
}

/* ---- documents ---- */

int document_insert(db *d, document_row *r, pc_err *e)
{
    db_stmt *s = db_prepare(d, "INSERT INTO document (customer_id, kind, title, file_name, media_type, size, sha256, "
                               "doc_date, added_at, added_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", e);
    if (!s)
        return -1;
    db_bind_int(s, 1, r->customer_id);
    db_bind_text(s, 2, r->kind);
    db_bind_text(s, 3, r->title);
    db_bind_text(s, 4, r->file_name);
    db_bind_text(s, 5, r->media_type);
    db_bind_int(s, 6, r->size);
    db_bind_text(s, 7, r->sha256);
    db_bind_text(s, 8, r->doc_date);
    db_bind_text(s, 9, r->added_at);
    db_bind_text(s, 10, r->added_by);
    if (db_run(s, e) != 0)
        return -1;
    r->id = db_last_insert_id(d);
    return 0;
}

#define DOC_SELECT                                                                                              \
    "SELECT x.id, x.customer_id, c.code, x.kind, x.title, x.file_name, x.media_type, x.size, x.sha256, "         \
    "x.doc_date, x.added_at, x.added_by, r.removed_at, r.removed_by, r.reason FROM document x "                  \
    "JOIN customer c ON c.id = x.customer_id LEFT JOIN document_removal r ON r.document_id = x.id "

static void doc_from(db_stmt *s, document_row *r)
{
    memset(r, 0, sizeof *r);
    r->id = db_col_int(s, 0);
    r->customer_id = db_col_int(s, 1);
    COPY(r->customer_code, db_col_text(s, 2));
    COPY(r->kind, db_col_text(s, 3));
    COPY(r->title, db_col_text(s, 4));
    COPY(r->file_name, db_col_text(s, 5));
    COPY(r->media_type, db_col_text(s, 6));
    r->size = db_col_int(s, 7);
    COPY(r->sha256, db_col_text(s, 8));
    COPY(r->doc_date, db_col_text(s, 9));
    COPY(r->added_at, db_col_text(s, 10));
    COPY(r->added_by, db_col_text(s, 11));
    r->removed = !db_col_null(s, 12);
    COPY(r->removed_at, db_col_text(s, 12));
    COPY(r->removed_by, db_col_text(s, 13));
    COPY(r->removal_reason, db_col_text(s, 14));
}

int document_get(db *d, int64_t id, document_row *out, pc_err *e)
{
    db_stmt *s = db_prepare(d, DOC_SELECT "WHERE x.id = ?", e);
    if (!s)
        return -1;
    db_bind_int(s, 1, id);
    int rc = db_step(s, e);
    if (rc == 1)
        doc_from(s, out);
    db_reset(s);
    if (rc == 0)
        return pc_errf(e, PC_ENOTFOUND, "no document %lld", (long long)id);
    return rc < 0 ? -1 : 0;
}

int documents_of(db *d, int64_t customer_id, bool with_removed, document_fn fn, void *ctx, pc_err *e)
{
    db_stmt *s = db_prepare(d, DOC_SELECT "WHERE x.customer_id = ? AND (? = 1 OR r.document_id IS NULL) "
                                          "ORDER BY x.doc_date, x.id", e);
    if (!s)
        return -1;
    db_bind_int(s, 1, customer_id);
    db_bind_int(s, 2, with_removed ? 1 : 0);
    int rc;
    while ((rc = db_step(s, e)) == 1) {
        document_row r;
        doc_from(s, &r);
        if (fn(ctx, &r) != 0) {
            db_reset(s);
            return -1;
        }
    }
    db_reset(s);
    return rc < 0 ? -1 : 0;
}

int document_removal_insert(db *d, int64_t document_id, const char *at, const char *by, const char *reason,
                            pc_err *e)
{
    db_stmt *s = db_prepare(d, "INSERT INTO document_removal (document_id, removed_at, removed_by, reason) "
                               "VALUES (?, ?, ?, ?)", e);
    if (!s)
        return -1;
    db_bind_int(s, 1, document_id);
    db_bind_text(s, 2, at);
    db_bind_text(s, 3, by);
    db_bind_text(s, 4, reason);
    if (db_run(s, e) != 0) {
        if (e && e->code == PC_ECONFLICT)
            return pc_errf(e, PC_ECONFLICT, "document %lld was removed already", (long long)document_id);
        return -1;
    }
    return 0;
}
