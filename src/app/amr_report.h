/* AMR collection figures per unit for a month (DOMAIN 4, issue 7): meters installed at the
 * month's end, the automatic ones and the coverage; the automatic reads scheduled (each AMR
 * meter, its contract's periods a month), those received (regular reads the AMR head-end sent:
 * source 'amr' or 'amr:<file>') and the success rate; against State Grid's targets. */
#ifndef PC_APP_AMR_REPORT_H
#define PC_APP_AMR_REPORT_H

#include <stdint.h>
#include <stdio.h>

#include "base/date.h"
#include "store/db.h"

typedef struct {
    char unit[16];
    char name[256];
    int64_t meters, amr_meters;
    int64_t scheduled, received;
    int64_t coverage_hundredths, success_hundredths; /* -1: nothing to divide by */
} amr_unit;

typedef struct {
    amr_unit *units; /* every unit of the scope, by code */
    int nunits;
    amr_unit totals;
} amr_summary;

/* Fills *sum (free with amr_summary_free, also after an error). Unknown scope: PC_ENOTFOUND. */
int amr_run(db *d, civil_month month, const char *scope, amr_summary *sum, pc_err *e);
void amr_summary_free(amr_summary *sum);

/* JSON {"report":"amr","month","scope","targets":{…},"units":[…],"totals":{…}} or CSV (a line
 * per unit and a total line) to f. Fields in docs/formats.md. */
int amr_report_write(db *d, civil_month month, const char *scope, const char *format, FILE *f, pc_err *e);

#endif
