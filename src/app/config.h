/* Configuration: one INI file ($POWERCIS_CONFIG or --config) plus environment variables. Every
 * key and its default is documented in docs/configuration.md. */
#ifndef PC_APP_CONFIG_H
#define PC_APP_CONFIG_H

#include <stddef.h>

#include "base/err.h"
#include "domain/phanky.h"
#include "domain/readcheck.h"

#define CONFIG_MAX_COMPANIES 64

typedef struct {
    char code[16];
    char tax_code[20];      /* mã số thuế of the seller on e-invoices */
    char address[256];
    char phone[24];
    char bank_bin[8];       /* collection bank for VietQR */
    char bank_account[24];
    char einvoice_suffix[4]; /* the last two letters of the symbol 1K25T?? */
} company_config;

/* Dunning (DOMAIN 8, docs/dunning.md): days after the due date for each step, and the fee of a
 * reconnection order. */
typedef struct {
    int notice_1_days;       /* first payment notice: due date + 1 */
    int notice_2_days;       /* second notice: due date + 5 … */
    int notice_gap_days;     /* … and at least this long after the first (the law: 3) */
    int cut_order_days;      /* cut order: due date + 10 */
    long long reconnection_fee; /* đồng (verify) */
} dunning_config;

/* Debt case documents (docs/cases.md): where their bytes are kept, by content hash, and how big
 * one may be. */
typedef struct {
    char dir[1024]; /* "": next to the database (see config_documents_dir) */
    long long max_bytes;
} documents_config;

/* Overdue and bad debt (DOMAIN 9). */
typedef struct {
    char provision_scheme[16]; /* general (Circular 48/2019 art. 6) or special (individuals' retail) */
} debt_config;

typedef struct {
    int payment_term_days; /* default due date offset when a contract names none */
    read_rules reads;
    int utc_offset_minutes; /* Asia/Ho_Chi_Minh: +420 */
    dunning_config dunning;
    documents_config documents;
    debt_config debt;
    phanky_rules phanky; /* [phanky]: periods a month required by average consumption (DOMAIN 4) */
    int ncompanies;
    company_config companies[CONFIG_MAX_COMPANIES];
} pc_config;

void config_defaults(pc_config *c);
/* Reads the file (a missing path is an error; NULL path: defaults only). Unknown sections and
 * keys are errors naming the line, so a typo does not go unnoticed. */
int config_load(pc_config *c, const char *path, pc_err *e);
/* The configuration this process loaded last (by config_load, even with no file), for the use
 * cases reached from paths that carry no configuration (a payment's reconnection order); NULL
 * before any. */
const pc_config *config_active(void);
/* The folder of the document store: $POWERCIS_DATA_DIR/documents when that is set, else
 * [documents] dir, else "<database file>.files" for a SQLite file and "var/documents" for a
 * postgres:// target. */
int config_documents_dir(const pc_config *c, const char *db_target, char *out, size_t cap, pc_err *e);
/* The company's settings, or NULL when the file has no section for it. */
const company_config *config_company(const pc_config *c, const char *company_code);

#endif
