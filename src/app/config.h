/* Configuration: one INI file ($POWERCIS_CONFIG or --config) plus environment variables. Every
 * key and its default is documented in docs/configuration.md. */
#ifndef PC_APP_CONFIG_H
#define PC_APP_CONFIG_H

#include "base/err.h"
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

typedef struct {
    int payment_term_days; /* default due date offset when a contract names none */
    read_rules reads;
    int utc_offset_minutes; /* Asia/Ho_Chi_Minh: +420 */
    int ncompanies;
    company_config companies[CONFIG_MAX_COMPANIES];
} pc_config;

void config_defaults(pc_config *c);
/* Reads the file (a missing path is an error; NULL path: defaults only). Unknown sections and
 * keys are errors naming the line, so a typo does not go unnoticed. */
int config_load(pc_config *c, const char *path, pc_err *e);
/* The company's settings, or NULL when the file has no section for it. */
const company_config *config_company(const pc_config *c, const char *company_code);

#endif
