/* powercis: git-style entry point. Global options come before the command; each command
 * lives in its own file (cmd_NAME.c) and parses its own flags. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"

typedef struct {
    const char *name;
    int (*fn)(int, char **);
    const char *summary;
} command;

static const command commands[] = {
    {"init", cmd_init, "create the database (or bring it to the current schema)"},
    {"org", cmd_org, "organisation tree: add, list"},
    {"customer", cmd_customer, "customers: add, show, update, import, search"},
    {"read", cmd_read, "meter reads: add, import, list, approve, correct"},
    {"meter", cmd_meter, "meters: replace"},
    {"bill", cmd_bill, "billing run: bill a period's reads"},
    {"invoice", cmd_invoice, "invoices: show, xml, pdf, adjust, replace"},
    {"tariff", cmd_tariff, "tariffs: load, list, show what is in force on a date"},
    {"solar", cmd_solar, "rooftop solar bought from customers: credit documents"},
    {"rate", cmd_rate, "rate one bill: JSON request on stdin, JSON rating on stdout"},
    {"group", cmd_group, "group view over the corporations' databases (PostgreSQL)"},
    {"pay", cmd_pay, "collect money: open invoices, post, reverse, import collection files"},
    {"shift", cmd_shift, "a cashier's shift: open, close with cash counted, report"},
    {"partner", cmd_partner, "collection partners; open bills for offline collection points"},
    {"statement", cmd_statement, "partners' daily statements: import"},
    {"bank", cmd_bank, "bank statements of the collection account: import"},
    {"reconcile", cmd_reconcile, "a partner's day: our postings, its statement, the remittances"},
    {"receipt", cmd_receipt, "a payment's receipt as PDF"},
    {"card", cmd_card, "customer cards (Code 128) as PDF"},
    {"dunning", cmd_dunning, "payment notices, cut orders, billing disputes: run, show, dispute"},
    {"orders", cmd_orders, "cut and reconnection work orders: list, done, cancel"},
    {"debt", cmd_debt, "debt figures: import legacy receivables, adjust, list adjustments"},
    {"notify", cmd_notify, "notifications: send, list, retry, deliver, collect, optout, optin"},
    {"prepaid", cmd_prepaid, "prepaid customers: charge, enable, disable, statement, list, balance"},
    {"report", cmd_report, "reports: aging (overdue and bad debt), aging-trend"},
    {"outage", cmd_outage, "outages: add, list, close, notify (reliability: report reliability)"},
    {"case", cmd_case, "debt cases: open, update, show, list"},
    {"request", cmd_request, "customer service requests: add, list, show, advance, wait, attach, alerts"},
    {"doc", cmd_doc, "documents of a debt: add, list, get, remove"},
    {"lock", cmd_lock, "close a month's reports for a scope (snapshot; changes refused)"},
    {"unlock", cmd_unlock, "reopen a locked month, from the level above, with a reason"},
    {"db", cmd_db, "database housekeeping: monthly partitions (PostgreSQL)"},
    {"backup", cmd_backup, "a consistent copy of the database (SQLite backup API, pg_dump)"},
    {"restore", cmd_restore, "a backup into a new database"},
    {"digest", cmd_digest, "the managers' daily digest: preview what an account receives"},
    {"jobs", cmd_jobs, "the scheduler: list jobs, run what is due (cron), serve, history"},
    {"serve", cmd_serve, "the HTTP server (API) with the scheduler inside"},
    {"user", cmd_user, "staff accounts: add, update, list, disable, enable"},
    {"grid", cmd_grid, "service grids: add, list, show, assign managers and customers, import"},
    {"worklist", cmd_worklist, "an account manager's worklist: overdue debt, bills due, orders, cases"},
    {"audit", cmd_audit, "audit log: verify the hash chain"},
    {"risk", cmd_risk, "monthly risk classification: run, track (weekly list), flag, unflag"},
    {"check", cmd_check, "verify every invariant of the ledger (exit 1 when one breaks)"},
    {"demo", cmd_demo, "build a demo company with generated data"},
};

static void usage(FILE *out)
{
    fprintf(out, "usage: powercis [--db PATH] [--config FILE] <command> [<args>]\n\n"
                 "Customer, billing and receivables system for electricity retailers.\n\n"
                 "Global options:\n"
                 "  --db PATH   database file (default $POWERCIS_DB or var/powercis.db)\n"
                 "  --config F  configuration file (default $POWERCIS_CONFIG; see docs/configuration.md)\n"
                 "  --help      this text; `powercis <command> --help` for a command\n"
                 "  --version   print the version\n\nCommands:\n");
    for (size_t i = 0; i < sizeof commands / sizeof *commands; i++)
        fprintf(out, "  %-10s %s\n", commands[i].name, commands[i].summary);
}

int main(int argc, char **argv)
{
    int i = 1;
    for (; i < argc && argv[i][0] == '-'; i++) {
        if (strcmp(argv[i], "--db") == 0) {
            if (i + 1 >= argc) {
                fprintf(stderr, "powercis: --db needs a path\n");
                return 2;
            }
            cli_db_path = argv[++i];
        } else if (strcmp(argv[i], "--config") == 0) {
            if (i + 1 >= argc) {
                fprintf(stderr, "powercis: --config needs a path\n");
                return 2;
            }
            cli_config_path = argv[++i];
        } else if (strncmp(argv[i], "--db=", 5) == 0) {
            cli_db_path = argv[i] + 5;
        } else if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
            usage(stdout);
            return 0;
        } else if (strcmp(argv[i], "--version") == 0) {
            printf("powercis %s\n", POWERCIS_VERSION);
            return 0;
        } else {
            fprintf(stderr, "powercis: unknown option '%s'\n", argv[i]);
            usage(stderr);
            return 2;
        }
    }
    if (i >= argc) {
        usage(stderr);
        return 2;
    }
    for (size_t c = 0; c < sizeof commands / sizeof *commands; c++)
        if (strcmp(argv[i], commands[c].name) == 0)
            return commands[c].fn(argc - i, argv + i);
    fprintf(stderr, "powercis: '%s' is not a command; see `powercis --help`\n", argv[i]);
    return 2;
}
