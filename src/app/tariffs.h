/* Tariffs in force: the shipped data, overridden by files loaded into the database with
 * `powercis tariff load` (a new price decision without a rebuild). */
#ifndef PC_APP_TARIFFS_H
#define PC_APP_TARIFFS_H

#include "domain/tariff.h"
#include "store/db.h"

int tariffs_in_force(db *d, tariff_set *t, pc_err *e);

typedef struct {
    int loaded, unchanged;
    char names[4][32];
} tariff_load_report;
/* Loads residential.json, nonresidential.json and vat.json from dir (those present): checked
 * together with what is in force, stored only if valid; a file identical to the one in force
 * changes nothing. Audited. */
int tariffs_load(db *d, const char *actor, const char *dir, tariff_load_report *rep, pc_err *e);

#endif
