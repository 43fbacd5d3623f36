/* SQL for meters, meter reads and imported files (see reads.h). */
#include <stdio.h>
#include <string.h>

#include "base/date.h"
#include "store/reads.h"

#define COPY(dst, src) snprintf((dst), sizeof(dst), "%s", (src) ? (const char *)(src) : "")

static void meter_from_row(db_stmt *s, meter_row *m)
{
    m->id = db_col_int(s, 0);
    m->customer_id = db_col_int(s, 1);
    COPY(m->serial, db_col_text(s, 2));
    m->tou = strcmp(db_col_text(s, 3), "tou") == 0;
    m->multiplier = (int)db_col_int(s, 4);
    m->digits = (int)db_col_int(s, 5);
    COPY(m->installed_on, db_col_text(s, 6));
    COPY(m->removed_on, db_col_text(s, 7));
}

int meter_current(db *d, int64_t customer_id, const char *serial, meter_row *out, pc_err *e)
{
    db_stmt *s = db_prepare(d, "SELECT id, customer_id, serial, registers, multiplier, digits, installed_on, removed_on "
                               "FROM meter WHERE customer_id = ? AND removed_on IS NULL AND (? IS NULL OR serial = ?) "
                               "ORDER BY installed_on DESC, id DESC", e);
    if (!s)
        return -1;
    db_bind_int(s, 1, customer_id);
    db_bind_text(s, 2, serial);
    db_bind_text(s, 3, serial);
    int rc = db_step(s, e), more = 0;
    if (rc == 1) {
        meter_from_row(s, out);
        more = db_step(s, e) == 1;
    }
    db_reset(s);
    if (rc < 0)
        return -1;
    if (rc == 0)
        return serial ? pc_errf(e, PC_ENOTFOUND, "meter: '%s' is not installed at this customer", serial)
                      : pc_errf(e, PC_ENOTFOUND, "meter: the customer has no meter installed");
    if (more && !serial)
        return pc_errf(e, PC_EINVAL, "meter: the customer has several meters; name the serial");
    return 0;
}

int meter_add(db *d, meter_row *m, pc_err *e)
{
    db_stmt *s = db_prepare(d, "INSERT INTO meter (customer_id, serial, registers, multiplier, digits, amr, installed_on) "
                               "VALUES (?, ?, ?, ?, ?, 0, ?)", e);
    if (!s)
        return -1;
    db_bind_int(s, 1, m->customer_id);
    db_bind_text(s, 2, m->serial);
    db_bind_text(s, 3, m->tou ? "tou" : "total");
    db_bind_int(s, 4, m->multiplier);
    db_bind_int(s, 5, m->digits);
    db_bind_text(s, 6, m->installed_on);
    if (db_run(s, e) != 0) {
        if (e && e->code == PC_ECONFLICT)
            return pc_errf(e, PC_ECONFLICT, "meter: serial '%s' is already installed elsewhere", m->serial);
        return -1;
    }
    m->id = db_last_insert_id(d);
    return 0;
}

int meter_remove(db *d, int64_t meter_id, const char *date, pc_err *e)
{
    db_stmt *s = db_prepare(d, "UPDATE meter SET removed_on = ? WHERE id = ? AND removed_on IS NULL", e);
    if (!s)
        return -1;
    db_bind_text(s, 1, date);
    db_bind_int(s, 2, meter_id);
    return db_run(s, e);
}

#define READ_COLS                                                                                              \
    "r.id, r.customer_id, c.code, r.meter_id, m.serial, r.read_date, r.kind, r.idx_total, r.idx_normal, "      \
    "r.idx_peak, r.idx_offpeak, r.prev_read_id, r.kwh_total, r.kwh_normal, r.kwh_peak, r.kwh_offpeak, "       \
    "r.status, r.flags, r.note, r.source, r.supersedes_id"
#define READ_FROM "FROM meter_read r JOIN customer c ON c.id = r.customer_id JOIN meter m ON m.id = r.meter_id "

static void read_from_row(db_stmt *s, read_row *r)
{
    memset(r, 0, sizeof *r);
    r->id = db_col_int(s, 0);
    r->customer_id = db_col_int(s, 1);
    COPY(r->customer_code, db_col_text(s, 2));
    r->meter_id = db_col_int(s, 3);
    COPY(r->meter_serial, db_col_text(s, 4));
    COPY(r->read_date, db_col_text(s, 5));
    COPY(r->kind, db_col_text(s, 6));
    for (int g = 0; g < REG_COUNT; g++) {
        r->idx.has[g] = !db_col_null(s, 7 + g);
        r->idx.v[g] = db_col_int(s, 7 + g);
    }
    r->prev_read_id = db_col_int(s, 11);
    for (int g = 0; g < REG_COUNT; g++) {
        r->kwh.has[g] = !db_col_null(s, 12 + g);
        r->kwh.v[g] = db_col_int(s, 12 + g);
        if (r->kwh.has[g])
            r->kwh_known = true;
    }
    r->kwh_sum = r->kwh.has[REG_TOTAL] ? r->kwh.v[REG_TOTAL]
                                       : r->kwh.v[REG_NORMAL] + r->kwh.v[REG_PEAK] + r->kwh.v[REG_OFFPEAK];
    COPY(r->status, db_col_text(s, 16));
    r->flags = read_flags_parse(db_col_text(s, 17));
    COPY(r->note, db_col_text(s, 18));
    COPY(r->source, db_col_text(s, 19));
    r->supersedes_id = db_col_int(s, 20);
}

int read_last_of_meter(db *d, int64_t meter_id, read_row *out, int *found, pc_err *e)
{
    db_stmt *s = db_prepare(d, "SELECT " READ_COLS " " READ_FROM
                               "WHERE r.meter_id = ? AND r.status <> 'superseded' ORDER BY r.read_date DESC, "
                               "CASE r.kind WHEN 'final' THEN 2 WHEN 'regular' THEN 1 ELSE 0 END DESC, r.id DESC LIMIT 1", e);
    if (!s)
        return -1;
    db_bind_int(s, 1, meter_id);
    int rc = db_step(s, e);
    *found = rc == 1;
    if (rc == 1)
        read_from_row(s, out);
    db_reset(s);
    return rc < 0 ? -1 : 0;
}

int read_history_kwh(db *d, int64_t customer_id, const char *before_date, int n, int64_t *out, int *count, pc_err *e)
{
    /* A period's kWh is the regular read plus any final read of a replaced meter since the
     * previous regular read; grouping by the regular read keeps a meter change from looking
     * like a drop. For the rule, the regular reads' own kWh are close enough and simpler: a
     * replacement period is rare and a flag there is reviewed by a person anyway. */
    db_stmt *s = db_prepare(d, "SELECT COALESCE(kwh_total, COALESCE(kwh_normal, 0) + COALESCE(kwh_peak, 0) + "
                               "COALESCE(kwh_offpeak, 0)) FROM meter_read WHERE customer_id = ? AND kind = 'regular' "
                               "AND status IN ('ok', 'approved') AND read_date < ? "
                               "ORDER BY read_date DESC LIMIT ?", e);
    if (!s)
        return -1;
    db_bind_int(s, 1, customer_id);
    db_bind_text(s, 2, before_date);
    db_bind_int(s, 3, n);
    int rc;
    *count = 0;
    while ((rc = db_step(s, e)) == 1 && *count < n)
        out[(*count)++] = db_col_int(s, 0);
    db_reset(s);
    return rc < 0 ? -1 : 0;
}

int read_insert(db *d, read_row *r, const char *actor, pc_err *e)
{
    char ts[TIMESTAMP_FMT_MAX], flags[64];
    read_flags_format(r->flags, flags, sizeof flags);
    db_stmt *s = db_prepare(d, "INSERT INTO meter_read (customer_id, meter_id, read_date, kind, idx_total, idx_normal, "
                               "idx_peak, idx_offpeak, prev_read_id, kwh_total, kwh_normal, kwh_peak, kwh_offpeak, status, "
                               "flags, note, source, supersedes_id, created_at, created_by) "
                               "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", e);
    if (!s)
        return -1;
    db_bind_int(s, 1, r->customer_id);
    db_bind_int(s, 2, r->meter_id);
    db_bind_text(s, 3, r->read_date);
    db_bind_text(s, 4, r->kind);
    for (int g = 0; g < REG_COUNT; g++) {
        if (r->idx.has[g])
            db_bind_int(s, 5 + g, r->idx.v[g]);
        else
            db_bind_null(s, 5 + g);
        if (r->kwh_known && r->kwh.has[g])
            db_bind_int(s, 10 + g, r->kwh.v[g]);
        else
            db_bind_null(s, 10 + g);
    }
    if (r->prev_read_id)
        db_bind_int(s, 9, r->prev_read_id);
    else
        db_bind_null(s, 9);
    db_bind_text(s, 14, r->status);
    db_bind_text(s, 15, flags);
    db_bind_text(s, 16, r->note[0] ? r->note : NULL);
    db_bind_text(s, 17, r->source);
    if (r->supersedes_id)
        db_bind_int(s, 18, r->supersedes_id);
    else
        db_bind_null(s, 18);
    db_bind_text(s, 19, timestamp_now(ts));
    db_bind_text(s, 20, actor);
    if (db_run(s, e) != 0) {
        if (e && e->code == PC_ECONFLICT)
            return pc_errf(e, PC_ECONFLICT, "reading_date: meter %s already has a %s read on %s", r->meter_serial,
                           r->kind, r->read_date);
        return -1;
    }
    r->id = db_last_insert_id(d);
    return 0;
}

int read_get(db *d, int64_t id, read_row *out, pc_err *e)
{
    db_stmt *s = db_prepare(d, "SELECT " READ_COLS " " READ_FROM "WHERE r.id = ?", e);
    if (!s)
        return -1;
    db_bind_int(s, 1, id);
    int rc = db_step(s, e);
    if (rc == 1)
        read_from_row(s, out);
    db_reset(s);
    if (rc < 0)
        return -1;
    if (rc == 0)
        return pc_errf(e, PC_ENOTFOUND, "read %lld does not exist", (long long)id);
    return 0;
}

int read_set_status(db *d, int64_t id, const char *status, const char *note, pc_err *e)
{
    db_stmt *s = db_prepare(d, "UPDATE meter_read SET status = ?, note = COALESCE(?, note) WHERE id = ?", e);
    if (!s)
        return -1;
    db_bind_text(s, 1, status);
    db_bind_text(s, 2, note);
    db_bind_int(s, 3, id);
    return db_run(s, e);
}

int read_list(db *d, const read_filter *f, read_fn fn, void *ctx, pc_err *e)
{
#define READ_LIST_SQL(order)                                                                                   \
    "SELECT " READ_COLS " " READ_FROM "JOIN org_node n ON n.id = c.unit_id "                                    \
    "WHERE (? = 0 OR r.status = 'flagged') AND (? IS NULL OR c.code = ?) "                                     \
    "AND (? IS NULL OR substr(n.path, 1, length(CAST(? AS TEXT))) = ?) "                                       \
    "AND (? IS NULL OR r.read_date >= ?) AND (? IS NULL OR r.read_date <= ?) "                                 \
    "AND r.status <> 'superseded' ORDER BY " order " LIMIT ? OFFSET ?"
    db_stmt *s = db_prepare(d, f->newest_first ? READ_LIST_SQL("r.read_date DESC, r.id DESC")
                                               : READ_LIST_SQL("c.code, r.read_date, r.id"), e);
    if (!s)
        return -1;
    db_bind_int(s, 1, f->flagged_only);
    db_bind_text(s, 2, f->customer_code);
    db_bind_text(s, 3, f->customer_code);
    db_bind_text(s, 4, f->scope_path);
    db_bind_text(s, 5, f->scope_path);
    db_bind_text(s, 6, f->scope_path);
    db_bind_text(s, 7, f->from);
    db_bind_text(s, 8, f->from);
    db_bind_text(s, 9, f->to);
    db_bind_text(s, 10, f->to);
    db_bind_int(s, 11, f->limit > 0 ? f->limit : 1000000000);
    db_bind_int(s, 12, f->offset > 0 ? f->offset : 0);
    int rc;
    while ((rc = db_step(s, e)) == 1) {
        read_row r;
        read_from_row(s, &r);
        if (fn(ctx, &r) != 0) {
            db_reset(s);
            return -1;
        }
    }
    db_reset(s);
    return rc < 0 ? -1 : 0;
}

int import_file_find(db *d, const char *kind, const char *sha256, char imported_at[32], int *found, pc_err *e)
{
    db_stmt *s = db_prepare(d, "SELECT imported_at FROM import_file WHERE kind = ? AND sha256 = ?", e);
    if (!s)
        return -1;
    db_bind_text(s, 1, kind);
    db_bind_text(s, 2, sha256);
    int rc = db_step(s, e);
    *found = rc == 1;
    if (rc == 1)
        snprintf(imported_at, 32, "%s", db_col_text(s, 0));
    db_reset(s);
    return rc < 0 ? -1 : 0;
}

int import_file_record(db *d, const char *kind, const char *sha256, const char *name, int64_t rows,
                       const char *actor, pc_err *e)
{
    char ts[TIMESTAMP_FMT_MAX];
    db_stmt *s = db_prepare(d, "INSERT INTO import_file (kind, sha256, name, rows, imported_at, imported_by) "
                               "VALUES (?, ?, ?, ?, ?, ?)", e);
    if (!s)
        return -1;
    db_bind_text(s, 1, kind);
    db_bind_text(s, 2, sha256);
    db_bind_text(s, 3, name);
    db_bind_int(s, 4, rows);
    db_bind_text(s, 5, timestamp_now(ts));
    db_bind_text(s, 6, actor);
    return db_run(s, e);
}
