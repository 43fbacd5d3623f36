/* Meter-read use cases: post a read (CLI, file, AMR), the control queue (approve, correct),
 * meter replacement inside a period, and listing. Flagged reads are never billed until a
 * person approves or corrects them. */
#ifndef PC_APP_READS_H
#define PC_APP_READS_H

#include <stdbool.h>

#include "base/buf.h"
#include "domain/readcheck.h"
#include "store/reads.h"

typedef struct {
    char customer_code[16];
    char meter[32]; /* serial; empty: the meter installed */
    char route[32]; /* empty: not checked */
    char date[11];
    register_values idx;
    char source[80]; /* cli, file:<sha256 prefix>, amr */
} read_input;

/* Checks and stores one read; *out receives it with its consumption, status and flags. */
int read_post(db *d, const char *actor, const read_rules *rules, const read_input *in, read_row *out, pc_err *e);

typedef struct {
    long rows, ok, flagged, initial;
    long error_rows;
    bool already; /* the same file was imported before: nothing changed */
    char already_at[32];
    buf errors; /* "line N: …\n" */
} read_import_report;
/* CSV with route, customer_code, meter, reading_date and total or normal/peak/offpeak; all or
 * nothing; the same file (by SHA-256) a second time changes nothing. automatic: the file came
 * from the AMR head-end (reads stored with source amr:<sha256 prefix>, counted as received in
 * the AMR figures), else from hand-held reading (file:<sha256 prefix>). */
int read_import(db *d, const char *actor, const read_rules *rules, const char *path, bool automatic,
                read_import_report *rep, pc_err *e);
void read_import_report_free(read_import_report *rep);

int read_approve(db *d, const char *actor, int64_t read_id, const char *reason, pc_err *e);
/* Replaces a read's indexes: the old row is kept, marked superseded; the new one is checked
 * again. Only the latest read of a meter can be corrected. */
int read_correct(db *d, const char *actor, const read_rules *rules, int64_t read_id, const register_values *idx,
                 const char *reason, read_row *out, pc_err *e);

typedef struct {
    char serial[32];
    int multiplier; /* 0: as the old meter */
    int digits;     /* 0: as the old meter */
    register_values initial; /* the new meter's first index; unset registers start at 0 */
} new_meter;
/* Closes the old meter with its final index and installs a new one with its initial index, on
 * the same day; the final read's consumption is billed with the period it falls in. */
int meter_replace(db *d, const char *actor, const read_rules *rules, const char *customer_code, const char *date,
                  const register_values *final_idx, const new_meter *nm, const char *reason, pc_err *e);

#endif
