/* Repository of tariff files loaded into the database (newest version of each name in force). */
#ifndef PC_STORE_TARIFFS_STORE_H
#define PC_STORE_TARIFFS_STORE_H

#include "base/err.h"
#include "store/db.h"

int tariff_file_add(db *d, const char *name, const char *sha256, const char *content, const char *actor, pc_err *e);
typedef int (*tariff_file_fn)(void *ctx, const char *name, const char *sha256, const char *content, const char *loaded_at);
int tariff_files_current(db *d, tariff_file_fn fn, void *ctx, pc_err *e);

#endif
