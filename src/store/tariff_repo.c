/* SQL for tariff files loaded into the database (see tariffs_store.h). */
#include <stdio.h>
#include <string.h>

#include "base/date.h"
#include "store/tariffs_store.h"

int tariff_file_add(db *d, const char *name, const char *sha256, const char *content, const char *actor, pc_err *e)
{
    char ts[TIMESTAMP_FMT_MAX];
    db_stmt *s = db_prepare(d, "INSERT INTO tariff_file (name, sha256, content, loaded_at, loaded_by) VALUES (?, ?, ?, ?, ?)", e);
    if (!s)
        return -1;
    db_bind_text(s, 1, name);
    db_bind_text(s, 2, sha256);
    db_bind_text(s, 3, content);
    db_bind_text(s, 4, timestamp_now(ts));
    db_bind_text(s, 5, actor);
    return db_run(s, e);
}

int tariff_files_current(db *d, tariff_file_fn fn, void *ctx, pc_err *e)
{
    db_stmt *s = db_prepare(d, "SELECT f.name, f.sha256, f.content, f.loaded_at FROM tariff_file f "
                               "WHERE f.id = (SELECT max(id) FROM tariff_file g WHERE g.name = f.name) ORDER BY f.name", e);
    if (!s)
        return -1;
    int rc;
    while ((rc = db_step(s, e)) == 1) {
        if (fn(ctx, db_col_text(s, 0), db_col_text(s, 1), db_col_text(s, 2), db_col_text(s, 3)) != 0) {
            db_reset(s);
            return -1;
        }
    }
    db_reset(s);
    return rc < 0 ? -1 : 0;
}
