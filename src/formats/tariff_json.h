/* Tariffs as data: reads residential.json, nonresidential.json and vat.json (data/tariffs/,
 * built into the binary) into a tariff_set, with errors naming the file and the field. */
#ifndef PC_FORMATS_TARIFF_JSON_H
#define PC_FORMATS_TARIFF_JSON_H

#include "base/err.h"
#include "domain/tariff.h"

/* The files that make a tariff set. */
#define TARIFF_FILES 4
extern const char *const tariff_file_names[TARIFF_FILES];

/* Loads one file's text; `name` (residential.json, nonresidential.json, vat.json) says which
 * part of the set it replaces. Other names are ignored (returns 0). */
int tariff_load_text(tariff_set *t, const char *name, const char *text, pc_err *e);
/* The tariffs shipped with the program. */
int tariff_load_shipped(tariff_set *t, pc_err *e);
/* The shipped tariffs, with every part that `dir` has a file for replaced by that file. */
int tariff_load_dir(tariff_set *t, const char *dir, pc_err *e);

#endif
