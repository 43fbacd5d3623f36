/* SQL for the organisation tree. A node's path ("/PA/PA01/") makes a subtree one range scan. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/date.h"
#include "store/repo.h"

static void copy_text(char *dst, size_t cap, const char *src)
{
    snprintf(dst, cap, "%s", src ? src : "");
}

int org_insert(db *d, org_row *r, pc_err *e)
{
    char ts[TIMESTAMP_FMT_MAX];
    db_stmt *s = db_prepare(d, "INSERT INTO org_node (code, name, level, parent_id, path, created_at) "
                               "VALUES (?, ?, ?, ?, ?, ?) RETURNING id", e);
    if (!s)
        return -1;
    db_bind_text(s, 1, r->code);
    db_bind_text(s, 2, r->name);
    db_bind_text(s, 3, r->level);
    if (r->parent_id)
        db_bind_int(s, 4, r->parent_id);
    else
        db_bind_null(s, 4);
    db_bind_text(s, 5, r->path);
    db_bind_text(s, 6, timestamp_now(ts));
    int rc = db_step(s, e);
    if (rc == 1)
        r->id = db_col_int(s, 0);
    db_reset(s);
    if (rc < 0) {
        if (e && e->code == PC_ECONFLICT)
            return pc_errf(e, PC_ECONFLICT, "org code '%s' already exists", r->code);
        return -1;
    }
    return 0;
}

static void org_from_row(db_stmt *s, org_row *o)
{
    o->id = db_col_int(s, 0);
    copy_text(o->code, sizeof o->code, db_col_text(s, 1));
    copy_text(o->name, sizeof o->name, db_col_text(s, 2));
    copy_text(o->level, sizeof o->level, db_col_text(s, 3));
    o->parent_id = db_col_int(s, 4);
    copy_text(o->parent_code, sizeof o->parent_code, db_col_text(s, 5));
    copy_text(o->path, sizeof o->path, db_col_text(s, 6));
}

int org_get(db *d, const char *code, org_row *out, pc_err *e)
{
    db_stmt *s = db_prepare(d, "SELECT n.id, n.code, n.name, n.level, n.parent_id, p.code, n.path "
                               "FROM org_node n LEFT JOIN org_node p ON p.id = n.parent_id WHERE n.code = ?", e);
    if (!s)
        return -1;
    db_bind_text(s, 1, code);
    int rc = db_step(s, e);
    if (rc == 1)
        org_from_row(s, out);
    db_reset(s);
    if (rc < 0)
        return -1;
    if (rc == 0)
        return pc_errf(e, PC_ENOTFOUND, "org node '%s' does not exist", code);
    return 0;
}

int org_list(db *d, const char *scope_path, int with_counts, org_row_fn fn, void *ctx, pc_err *e)
{
    /* Counts are per unit first (one pass over customers with their latest contract), then
     * summed up the tree in C, so the cost is one scan whatever the depth. */
    db_stmt *s = db_prepare(d, "SELECT n.id, n.code, n.name, n.level, n.parent_id, p.code, n.path "
                               "FROM org_node n LEFT JOIN org_node p ON p.id = n.parent_id "
                               "WHERE ? IS NULL OR substr(n.path, 1, length(CAST(? AS TEXT))) = ? ORDER BY n.path", e);
    if (!s)
        return -1;
    int n = 0, cap = 64, rc, status = 0;
    org_row *rows = malloc(sizeof *rows * (size_t)cap);
    org_counts *counts = calloc((size_t)cap, sizeof *counts);
    if (!rows || !counts)
        abort();
    db_bind_text(s, 1, scope_path);
    db_bind_text(s, 2, scope_path);
    db_bind_text(s, 3, scope_path);
    while ((rc = db_step(s, e)) == 1) {
        if (n == cap) {
            cap *= 2;
            rows = realloc(rows, sizeof *rows * (size_t)cap);
            counts = realloc(counts, sizeof *counts * (size_t)cap);
            if (!rows || !counts)
                abort();
        }
        org_from_row(s, &rows[n]);
        memset(&counts[n], 0, sizeof counts[n]);
        n++;
    }
    db_reset(s);
    if (rc < 0) {
        status = -1;
        goto out;
    }
    if (with_counts && n > 0) {
        db_stmt *c = db_prepare(d,
            "SELECT n.path, count(*), "
            " sum(CASE WHEN k.purpose = 'residential' THEN 1 ELSE 0 END), "
            " sum(CASE WHEN k.purpose <> 'residential' THEN 1 ELSE 0 END), sum(k.renter), "
            " sum(CASE WHEN k.households > 1 THEN 1 ELSE 0 END), sum(k.tou), "
            " sum(CASE WHEN k.payment_mode = 'prepaid' THEN 1 ELSE 0 END) "
            "FROM customer cu JOIN org_node n ON n.id = cu.unit_id "
            "JOIN contract k ON k.id = (SELECT id FROM contract WHERE customer_id = cu.id "
            "                           ORDER BY valid_from DESC LIMIT 1) "
            "WHERE ? IS NULL OR substr(n.path, 1, length(CAST(? AS TEXT))) = ? GROUP BY n.path", e);
        if (!c) {
            status = -1;
            goto out;
        }
        db_bind_text(c, 1, scope_path);
        db_bind_text(c, 2, scope_path);
        db_bind_text(c, 3, scope_path);
        while ((rc = db_step(c, e)) == 1) {
            const char *unit_path = db_col_text(c, 0);
            org_counts u = {db_col_int(c, 1), db_col_int(c, 2), db_col_int(c, 3), db_col_int(c, 4),
                            db_col_int(c, 5), db_col_int(c, 6), db_col_int(c, 7)};
            for (int i = 0; i < n; i++) {
                if (strncmp(unit_path, rows[i].path, strlen(rows[i].path)) == 0) {
                    counts[i].customers += u.customers;
                    counts[i].residential += u.residential;
                    counts[i].nonresidential += u.nonresidential;
                    counts[i].renters += u.renters;
                    counts[i].shared_meters += u.shared_meters;
                    counts[i].tou += u.tou;
                    counts[i].prepaid += u.prepaid;
                }
            }
        }
        db_reset(c);
        if (rc < 0) {
            status = -1;
            goto out;
        }
    }
    for (int i = 0; i < n && status == 0; i++)
        if (fn(ctx, &rows[i], with_counts ? &counts[i] : NULL) != 0)
            status = -1;
out:
    free(rows);
    free(counts);
    return status;
}
