/* Shared pieces of the command-line interface: every subcommand is one file with
 * `int cmd_NAME(int argc, char **argv)` (argv[0] is the command's own name), returning the
 * process exit status. Only this layer prints to the user or exits. */
#ifndef PC_CLI_H
#define PC_CLI_H

#include <stdbool.h>
#include <stdint.h>

#include "app/config.h"
#include "base/err.h"
#include "domain/readcheck.h"
#include "domain/tariff.h"
#include "store/db.h"

/* Global options, set by main before the command runs. */
extern const char *cli_db_path; /* --db, else $POWERCIS_DB, else var/powercis.db */
extern const char *cli_actor;   /* who is acting, for the audit log: $POWERCIS_USER or $USER */
extern const char *cli_config_path; /* --config, else $POWERCIS_CONFIG, else none (defaults) */

/* The configuration, loaded on first use; NULL after printing the error. */
const pc_config *cli_config(void);

/* The database target: --db, else $POWERCIS_DB, else var/powercis.db. */
const char *cli_db_target(void);
/* Opens the database named by --db, creating its folder, applying migrations. NULL after
 * printing the error. */
db *cli_open_db(void);
/* Prints "powercis: <message>" on stderr and returns the exit status for the error's kind
 * (2 for bad input, 1 otherwise). */
int cli_fail(const pc_err *e);
int cli_usage_error(const char *cmd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Parses a whole number from a flag value; prints the error naming the flag. */
int cli_parse_int(const char *flag, const char *value, int64_t min, int64_t max, int64_t *out);
/* Reads --PREFIXtotal / --PREFIXnormal / --PREFIXpeak / --PREFIXoffpeak N into v; *matched = 0
 * when flag is none of them. -1 after printing the error for a bad number. */
int cli_register_flag(const char *flag, const char *prefix, const char *value, register_values *v, int *matched);
/* The tariffs in force (shipped, overridden by loaded files); prints the error. */
int cli_load_tariffs(db *d, tariff_set *t);
/* --issue-date VALUE, or today when v is NULL; prints the error. */
int cli_parse_issue_date(const char *v, civil_date *out, int utc_offset);
/* One option of a command: "--name VALUE" stores VALUE in *value (repeatable ones append to
 * multi, at most max), a switch (value and multi NULL) sets *present. */
typedef struct {
    const char *name;
    const char **value;
    bool *present;
    const char **multi;
    int *nmulti, max;
} cli_opt;
/* Parses argv[first..]: options from opts (a NULL name ends the table), other arguments into
 * pos (at most npos; *got receives how many). Prints the error and returns 2 on a bad one. */
int cli_parse_opts(const char *cmd, int argc, char **argv, int first, const cli_opt *opts, const char **pos, int npos,
                   int *got);
/* true when argv holds --help or -h */
bool cli_wants_help(int argc, char **argv);

/* Prints the org tree under scope (NULL: all), with customer counts when counts. */
int org_print_list(db *d, const char *scope, int counts, int json, pc_err *e);

int cmd_init(int argc, char **argv);
int cmd_org(int argc, char **argv);
int cmd_customer(int argc, char **argv);
int cmd_audit(int argc, char **argv);
int cmd_demo(int argc, char **argv);
int cmd_read(int argc, char **argv);
int cmd_meter(int argc, char **argv);
int cmd_rate(int argc, char **argv);
int cmd_bill(int argc, char **argv);
int cmd_tariff(int argc, char **argv);
int cmd_solar(int argc, char **argv);
int cmd_group(int argc, char **argv);
int cmd_backup(int argc, char **argv);
int cmd_db(int argc, char **argv);
int cmd_pay(int argc, char **argv);
int cmd_shift(int argc, char **argv);
int cmd_partner(int argc, char **argv);
int cmd_reconcile(int argc, char **argv);
int cmd_statement(int argc, char **argv);
int cmd_bank(int argc, char **argv);
int cmd_receipt(int argc, char **argv);
int cmd_card(int argc, char **argv);
int cmd_restore(int argc, char **argv);
int cmd_invoice(int argc, char **argv);
int cmd_dunning(int argc, char **argv);
int cmd_orders(int argc, char **argv);
int cmd_debt(int argc, char **argv);
/* debt import FILE (argv[0] = "import") */
int cmd_debt_import(int argc, char **argv);
/* debt adjust … / debt adjustments … (argv[0] names which) */
int cmd_debt_adjust(int argc, char **argv);
int cmd_case(int argc, char **argv);
int cmd_doc(int argc, char **argv);
int cmd_report(int argc, char **argv);
int cmd_request(int argc, char **argv);
int report_service_cmd(int argc, char **argv); /* cmd_request.c */
int cmd_lock(int argc, char **argv);
int cmd_unlock(int argc, char **argv);
int cmd_user(int argc, char **argv);
int cmd_digest(int argc, char **argv);
int cmd_notify(int argc, char **argv);
int cmd_jobs(int argc, char **argv);
int cmd_serve(int argc, char **argv);
int cmd_check(int argc, char **argv);
int cmd_grid(int argc, char **argv);
int cmd_worklist(int argc, char **argv);
/* risk run|track|flag|unflag; report risk / risk-tracking (cmd_risk.c) */
int cmd_risk(int argc, char **argv);
int cmd_report_risk(int argc, char **argv);
int cmd_report_risk_tracking(int argc, char **argv);
int cmd_outage(int argc, char **argv);
/* report reliability … (argv[0] = "reliability") */
int cmd_report_reliability(int argc, char **argv);
int cmd_prepaid(int argc, char **argv);

#endif
