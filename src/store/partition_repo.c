/* SQL for the monthly partitions (see partitions.h). */
#include <stdio.h>
#include <string.h>

#include "store/partitions.h"

static const char *const tables[PARTITIONED_TABLES] = {"meter_read", "invoice", "invoice_line", "payment"};

int partitions_ensure(db *d, const char *from, const char *to, partition_status out[PARTITIONED_TABLES], int *n,
                      pc_err *e)
{
    *n = 0;
    if (db_engine_of(d) != DB_POSTGRES)
        return 0;
    for (int i = 0; i < PARTITIONED_TABLES; i++) {
        partition_status *p = &out[i];
        memset(p, 0, sizeof *p);
        snprintf(p->table, sizeof p->table, "%s", tables[i]);
        db_stmt *s = db_prepare(d, "SELECT pc_ensure_partitions(?, ?, ?)", e);
        if (!s)
            return -1;
        db_bind_text(s, 1, tables[i]);
        db_bind_text(s, 2, from);
        db_bind_text(s, 3, to);
        int rc = db_step(s, e);
        p->created = (int)db_col_int(s, 0);
        db_reset(s);
        if (rc < 0)
            return pc_err_prefix(e, "partitions of %s", tables[i]);
        /* The partitions are named TABLE_YYYYMM; their bounds are the months. */
        s = db_prepare(d, "SELECT count(*), min(substr(c.relname, length(?) + 2)), max(substr(c.relname, length(?) + 2)) "
                          "FROM pg_inherits h JOIN pg_class c ON c.oid = h.inhrelid "
                          "WHERE h.inhparent = CAST(? AS regclass) AND c.relname <> ? || '_default'", e);
        if (!s)
            return -1;
        for (int k = 1; k <= 4; k++)
            db_bind_text(s, k, tables[i]);
        rc = db_step(s, e);
        if (rc == 1) {
            p->partitions = (int)db_col_int(s, 0);
            const char *lo = db_col_text(s, 1), *hi = db_col_text(s, 2);
            if (lo && strlen(lo) == 6)
                snprintf(p->first, sizeof p->first, "%.4s-%.2s", lo, lo + 4);
            if (hi && strlen(hi) == 6)
                snprintf(p->last, sizeof p->last, "%.4s-%.2s", hi, hi + 4);
        }
        db_reset(s);
        if (rc < 0)
            return -1;
        char sql[96];
        snprintf(sql, sizeof sql, "SELECT count(*) FROM %s_default", tables[i]);
        s = db_prepare(d, sql, e);
        if (!s)
            return -1;
        rc = db_step(s, e);
        p->default_rows = db_col_int(s, 0);
        db_reset(s);
        if (rc < 0)
            return -1;
        (*n)++;
    }
    return 0;
}
