/* Monthly partitions of the large tables (PostgreSQL; see schema/009_partitions.sql). */
#ifndef PC_STORE_PARTITIONS_H
#define PC_STORE_PARTITIONS_H

#include <stdint.h>

#include "base/err.h"
#include "store/db.h"

#define PARTITIONED_TABLES 4 /* meter_read, invoice, invoice_line, payment */

typedef struct {
    char table[32];
    int created;          /* partitions created by this call */
    int partitions;       /* monthly partitions now, the default one not counted */
    char first[8], last[8]; /* the months they cover, YYYY-MM ("" when none) */
    int64_t default_rows; /* rows in the default partition (months without their own) */
} partition_status;

/* Creates the missing monthly partitions from one month to another (YYYY-MM, inclusive) for
 * every partitioned table and reports each table. SQLite has none: *n = 0. */
int partitions_ensure(db *d, const char *from, const char *to, partition_status out[PARTITIONED_TABLES], int *n,
                      pc_err *e);

#endif
