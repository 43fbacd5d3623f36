/* powercis reconcile | statement import | bank import: reconciliation of third-party collections
 * (DOMAIN 11, docs/reconciliation.md). The report comes as text, JSON, CSV or an Excel sheet
 * for the manager who signs the day off (app/recon_report.c writes them). */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/recon_report.h"
#include "app/reconciliation.h"
#include "cli/cli.h"

static const char reconcile_usage[] =
    "usage: powercis reconcile --partner P --date YYYY-MM-DD [--format text|json|csv|xlsx] [--out FILE]\n"
    "                          [--clear-missing]\n\n"
    "Reconciles one partner's business day: our postings through the partner that day against the\n"
    "partner's statement (`powercis statement import`), transaction by transaction, and the\n"
    "statement's total against the remittances for that day on the bank statement (`powercis bank\n"
    "import`), on time within the partner's settlement days (T+1 by default). Every difference has\n"
    "a kind: missing_in_ours, missing_at_partner, amount_differs, customer_differs, duplicate,\n"
    "remittance_missing, remittance_short, remittance_over, remittance_late. match_rate is\n"
    "matched / transactions (distinct references on either side).\n"
    "--format: text (default), json, csv (one row per difference) or xlsx (needs --out).\n"
    "--clear-missing: posts every missing_in_ours item as the partner's payment (its reference,\n"
    "amount, customer and paid_at), all or none, audited; then reports the day as it stands.\n"
    "Exit status 0 when the report was produced, whatever it found.\n";

static const char statement_usage[] =
    "usage: powercis statement import [--partner P] FILE.csv [--json]\n\n"
    "A partner's daily statement: `partner,txn_ref,customer_code,amount,paid_at` (docs/\n"
    "reconciliation.md). All lines or none; the same file twice changes nothing. With --partner,\n"
    "every line must be that partner's. A later statement for a partner and day replaces the\n"
    "earlier one in reconciliation (both are kept).\n";

static const char bank_usage[] =
    "usage: powercis bank import FILE.csv [--json]\n\n"
    "The bank statement of the collection account: `value_date,amount,partner,for_day,reference\n"
    "[,narrative]` (docs/reconciliation.md). All lines or none; the same file twice changes\n"
    "nothing; a bank reference imported before with the same content is skipped, so overlapping\n"
    "statements import cleanly.\n";

/* ---- imports ---- */

static int import_print(const char *path, int rc, const pc_err *e, recon_import_report *rep, bool json)
{
    char m[MONEY_FMT_MAX];
    if (json) {
        json_t *o = json_pack("{s:s, s:b, s:I, s:I, s:I, s:I, s:I, s:s?}", "file", path, "already", rep->already, "rows",
                              (json_int_t)rep->rows, "added", (json_int_t)rep->added, "repeated",
                              (json_int_t)rep->repeated, "error_rows", (json_int_t)rep->error_rows, "amount",
                              (json_int_t)rep->amount, "error", rc != 0 ? e->msg : NULL);
        if (rep->errors.len)
            json_object_set_new(o, "errors", json_string(rep->errors.data));
        char *text = json_dumps(o, JSON_COMPACT);
        printf("%s\n", text);
        free(text);
        json_decref(o);
    } else if (rep->errors.len) {
        fputs(rep->errors.data, stderr);
    }
    recon_import_report_free(rep);
    if (rc != 0)
        return json ? (e->code == PC_EINVAL ? 2 : 1) : cli_fail(e);
    if (!json) {
        if (rep->already)
            printf("%s was imported already (%s): nothing changed\n", path, rep->already_at);
        else
            printf("%s: %ld rows, %ld lines added (%s), %ld known before\n", path, rep->rows, rep->added,
                   money_format(rep->amount, true, m), rep->repeated);
    }
    return 0;
}

static int import_cmd(const char *cmd, const char *usage, int argc, char **argv, bool statement)
{
    if (argc < 2 || cli_wants_help(argc, argv)) {
        fputs(usage, argc < 2 ? stderr : stdout);
        return argc < 2 ? 2 : 0;
    }
    if (strcmp(argv[1], "import") != 0)
        return cli_usage_error(cmd, "unknown subcommand '%s'", argv[1]);
    const char *partner = NULL;
    bool json = false;
    const char *pos[1];
    int npos;
    cli_opt opts[] = {{"--partner", statement ? &partner : NULL, NULL, NULL, NULL, 0},
                      {"--json", NULL, &json, NULL, NULL, 0},
                      {NULL, NULL, NULL, NULL, NULL, 0}};
    char full[32];
    snprintf(full, sizeof full, "%s import", cmd);
    if (cli_parse_opts(full, argc, argv, 2, statement ? opts : opts + 1, pos, 1, &npos) != 0)
        return 2;
    if (npos != 1)
        return cli_usage_error(full, "expected the statement file");
    db *d = cli_open_db();
    if (!d)
        return 1;
    pc_err e = {0};
    recon_import_report rep;
    int rc = statement ? statement_import(d, cli_actor, partner, pos[0], &rep, &e)
                       : bank_import(d, cli_actor, pos[0], &rep, &e);
    db_close(d);
    return import_print(pos[0], rc, &e, &rep, json);
}

int cmd_statement(int argc, char **argv)
{
    return import_cmd("statement", statement_usage, argc, argv, true);
}

int cmd_bank(int argc, char **argv)
{
    return import_cmd("bank", bank_usage, argc, argv, false);
}

int cmd_reconcile(int argc, char **argv)
{
    if (cli_wants_help(argc, argv)) {
        fputs(reconcile_usage, stdout);
        return 0;
    }
    const char *partner = NULL, *date = NULL, *format = "text", *out = NULL;
    bool clear = false;
    const char *pos[1];
    int npos;
    cli_opt opts[] = {{"--partner", &partner, NULL, NULL, NULL, 0},     {"--date", &date, NULL, NULL, NULL, 0},
                      {"--format", &format, NULL, NULL, NULL, 0},       {"--out", &out, NULL, NULL, NULL, 0},
                      {"--clear-missing", NULL, &clear, NULL, NULL, 0}, {NULL, NULL, NULL, NULL, NULL, 0}};
    if (cli_parse_opts("reconcile", argc, argv, 1, opts, pos, 0, &npos) != 0)
        return 2;
    if (!partner || !date)
        return cli_usage_error("reconcile", "--partner P and --date YYYY-MM-DD are required");
    bool json = strcmp(format, "json") == 0, csv = strcmp(format, "csv") == 0, xlsx = strcmp(format, "xlsx") == 0;
    if (!json && !csv && !xlsx && strcmp(format, "text") != 0)
        return cli_usage_error("reconcile", "--format '%s': expected text, json, csv or xlsx", format);
    if (xlsx && !out)
        return cli_usage_error("reconcile", "--format xlsx writes a file: give --out FILE.xlsx");
    const pc_config *cfg = cli_config();
    if (!cfg)
        return 2;
    db *d = cli_open_db();
    if (!d)
        return 1;
    pc_err e = {0};
    recon_report r;
    recon_clear_result cleared;
    int rc = clear ? reconcile_clear_missing(d, cli_actor, cfg->utc_offset_minutes, partner, date, &cleared, &r, &e)
                   : reconcile_day(d, partner, date, &r, &e);
    db_close(d);
    if (rc != 0) {
        if (clear)
            recon_clear_result_free(&cleared);
        return cli_fail(&e);
    }
    const recon_clear_result *cl = clear ? &cleared : NULL;
    if (clear && cleared.skipped_refs.len)
        fprintf(stderr, "not posted again (the reference is posted already: on another day, or reversed):\n%s", cleared.skipped_refs.data);
    int status = 0;
    if (xlsx) {
        if (recon_report_write(&r, cl, format, NULL, out, &e) != 0)
            status = cli_fail(&e);
    } else {
        FILE *f = out ? fopen(out, "w") : stdout;
        if (!f) {
            pc_errf(&e, PC_EIO, "cannot create '%s'", out);
            status = cli_fail(&e);
        } else {
            int wrc = recon_report_write(&r, cl, format, f, NULL, &e);
            if (out && fclose(f) != 0)
                wrc = -1;
            if (wrc != 0) {
                pc_errf(&e, PC_EIO, "cannot write the report%s%s", out ? " to " : "", out ? out : "");
                status = cli_fail(&e);
            }
        }
    }
    if (cl && status == 0 && !json && (xlsx || csv || out))
        fprintf(stderr, "cleared: %ld posted, %ld posted already\n", cleared.posted, cleared.skipped);
    if (clear)
        recon_clear_result_free(&cleared);
    recon_report_free(&r);
    return status;
}
