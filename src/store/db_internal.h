/* Engine entry points behind db.h (private to src/store). */
#ifndef PC_STORE_DB_INTERNAL_H
#define PC_STORE_DB_INTERNAL_H

#include "store/db.h"

int sqlite_open(const char *path, db **out, pc_err *e);
/* Applies the embedded migrations in order; each in its own transaction. */
int migrate_apply(db *d, pc_err *e);

#endif
