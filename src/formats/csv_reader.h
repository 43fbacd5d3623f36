/* Reading CSV files with libcsv: one callback per record with its fields and the physical line
 * it starts on, so import errors can say "line 17: …". A UTF-8 byte-order mark is skipped;
 * CRLF and LF both end records; quoted fields may hold commas, quotes and newlines. */
#ifndef PC_FORMATS_CSV_READER_H
#define PC_FORMATS_CSV_READER_H

#include <stddef.h>
#include <stdio.h>

#include "base/err.h"

#define CSV_MAX_LINE (1u << 20) /* a physical line longer than 1 MiB is refused */

typedef struct {
    const char *const *fields; /* NUL-terminated, valid during the callback */
    size_t nfields;
    long line;   /* physical line the record starts on (1-based) */
    long record; /* 0 for the header row */
} csv_record;

/* Returns 0 to go on, -1 to stop reading (the reader then returns -1 with the callback's error). */
typedef int (*csv_record_fn)(void *ctx, const csv_record *r, pc_err *e);

/* Reads the whole file, calling fn for every record. Malformed quoting, invalid UTF-8 and
 * over-long lines are errors naming the line. */
int csv_read_file(const char *path, csv_record_fn fn, void *ctx, pc_err *e);

/* Writes one record (every field quoted by libcsv, CRLF-free: "\n" ends it). -1 on a write error. */
int csv_write_record(FILE *f, const char *const *fields, size_t n);
/* Index of a header name in a record, or -1. */
int csv_column(const csv_record *header, const char *name);

#endif
