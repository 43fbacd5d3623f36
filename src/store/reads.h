/* Repository of meters, meter reads and imported files (SQL in read_repo.c). */
#ifndef PC_STORE_READS_H
#define PC_STORE_READS_H

#include <stdbool.h>
#include <stdint.h>

#include "base/err.h"
#include "domain/readcheck.h"
#include "store/db.h"

typedef struct {
    int64_t id;
    int64_t customer_id;
    char serial[32];
    bool tou;
    int multiplier;
    int digits;
    char installed_on[11];
    char removed_on[11]; /* empty while installed */
} meter_row;

typedef struct {
    int64_t id;
    int64_t customer_id;
    char customer_code[16];
    int64_t meter_id;
    char meter_serial[32];
    char read_date[11];
    char kind[8]; /* regular, initial, final */
    register_values idx;
    int64_t prev_read_id; /* 0: none */
    bool kwh_known;
    register_values kwh;
    int64_t kwh_sum;
    char status[12]; /* ok, flagged, approved, superseded */
    unsigned flags;
    char note[256];
    char source[80];
    int64_t supersedes_id;
} read_row;

/* The meter installed at the customer (serial NULL: the only one installed). */
int meter_current(db *d, int64_t customer_id, const char *serial, meter_row *out, pc_err *e);
int meter_add(db *d, meter_row *m, pc_err *e);
int meter_remove(db *d, int64_t meter_id, const char *date, pc_err *e);

/* The meter's latest read that is not superseded; *found = 0 when it has none. */
int read_last_of_meter(db *d, int64_t meter_id, read_row *out, int *found, pc_err *e);
/* kWh of the customer's last n regular reads before date that count (ok or approved), newest
 * first. */
int read_history_kwh(db *d, int64_t customer_id, const char *before_date, int n, int64_t *out, int *count, pc_err *e);
int read_insert(db *d, read_row *r, const char *actor, pc_err *e);
int read_get(db *d, int64_t id, read_row *out, pc_err *e);
int read_set_status(db *d, int64_t id, const char *status, const char *note, pc_err *e);

typedef struct {
    bool flagged_only;
    const char *customer_code; /* NULL: all */
    const char *scope_path;    /* NULL: all */
    const char *from, *to;     /* read_date range, inclusive; NULL: open */
    int limit;
    int offset;                /* rows skipped first (paging) */
    bool newest_first;         /* by date, newest first (a customer's history); else by code, date */
} read_filter;
typedef int (*read_fn)(void *ctx, const read_row *r);
int read_list(db *d, const read_filter *f, read_fn fn, void *ctx, pc_err *e);

/* Imported files by (kind, sha256). */
int import_file_find(db *d, const char *kind, const char *sha256, char imported_at[32], int *found, pc_err *e);
int import_file_record(db *d, const char *kind, const char *sha256, const char *name, int64_t rows,
                       const char *actor, pc_err *e);

#endif
