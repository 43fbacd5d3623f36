/* Fuzz target: one CSV import (FUZZ_KIND, set by meson: customers, reads, collections,
 * statements, bank, legacy) against the fixture database. Oracles: a refused file is the file's
 * fault (never a database or internal error) and leaves every table as it was (all lines or
 * none); an accepted file is taken whole. */
#include <string.h>

#include "app/config.h"
#include "app/customers.h"
#include "app/debt_import.h"
#include "app/payments.h"
#include "app/reads.h"
#include "app/reconciliation.h"
#include "fuzz_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    db *d = fuzz_db();
    const char *path = fuzz_file(data, size);
    int64_t before = fuzz_rows(d);
    pc_err e = {0};
    int rc;
#if FUZZ_KIND == 1
    import_report rep = {0};
    rc = customer_import(d, "fuzz", path, &rep, &e);
    import_report_free(&rep);
#elif FUZZ_KIND == 2
    read_rules rules = read_rules_default();
    read_import_report rep = {0};
    rc = read_import(d, "fuzz", &rules, path, false, &rep, &e);
    read_import_report_free(&rep);
#elif FUZZ_KIND == 3
    collection_report rep = {0};
    rc = collection_import(d, "fuzz", 420, path, &rep, &e);
    collection_report_free(&rep);
#elif FUZZ_KIND == 4
    recon_import_report rep = {0};
    rc = statement_import(d, "fuzz", NULL, path, &rep, &e);
    recon_import_report_free(&rep);
#elif FUZZ_KIND == 5
    recon_import_report rep = {0};
    rc = bank_import(d, "fuzz", path, &rep, &e);
    recon_import_report_free(&rep);
#elif FUZZ_KIND == 6
    debt_import_report rep = {0};
    rc = debt_import(d, "fuzz", 420, path, false, &rep, &e);
    debt_import_report_free(&rep);
#else
#error "FUZZ_KIND: 1 customers, 2 reads, 3 collections, 4 statements, 5 bank, 6 legacy"
#endif
    if (rc != 0) {
        fuzz_expect_refusal(&e, "import");
        if (fuzz_rows(d) != before)
            fuzz_fail("a refused import changed the database", e.msg);
    }
    if (db_tx_depth(d) != 0)
        fuzz_fail("import", "a transaction was left open");
    return 0;
}
