/* powercis debt import FILE: receivables brought from legacy systems (app/debt_import.h). */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/debt_import.h"
#include "cli/cli.h"

static const char usage[] =
    "usage: powercis debt import FILE.csv [--dry-run] [--json]\n\n"
    "Creates the receivables of a legacy debt file\n"
    "`customer_code,invoice_no,period,issue_date,due_date,amount[,paid][,paid_at]`\n"
    "(docs/formats.md): one invoice of symbol LEGACY per line, with what was paid on it already\n"
    "as a payment dated paid_at. Every line is checked first; one bad line rejects the whole file\n"
    "with a report naming every bad line (exit status 2) and nothing is written. A line whose\n"
    "invoice_no was imported before with the same content is skipped: the same file twice\n"
    "changes nothing. --dry-run checks the file and writes nothing.\n";

/* "line 3: …\nline 7: …\n" as a JSON array of its lines. */
static json_t *error_lines(const buf *b)
{
    json_t *a = json_array();
    if (!b->len)
        return a;
    const char *p = b->data;
    while (*p) {
        const char *nl = strchr(p, '\n');
        size_t n = nl ? (size_t)(nl - p) : strlen(p);
        json_array_append_new(a, json_stringn(p, n));
        p += n + (nl ? 1 : 0);
    }
    return a;
}

int cmd_debt_import(int argc, char **argv)
{
    if (cli_wants_help(argc, argv)) {
        fputs(usage, stdout);
        return 0;
    }
    bool json = false, dry_run = false;
    const char *pos[1];
    int npos;
    cli_opt opts[] = {{"--json", NULL, &json, NULL, NULL, 0},
                      {"--dry-run", NULL, &dry_run, NULL, NULL, 0},
                      {NULL, NULL, NULL, NULL, NULL, 0}};
    if (cli_parse_opts("debt import", argc, argv, 1, opts, pos, 1, &npos) != 0)
        return 2;
    if (npos != 1)
        return cli_usage_error("debt import", "expected the legacy debt file (CSV)");
    const pc_config *cfg = cli_config();
    if (!cfg)
        return 2;
    db *d = cli_open_db();
    if (!d)
        return 1;
    pc_err e = {0};
    debt_import_report rep;
    int rc = debt_import(d, cli_actor, cfg->utc_offset_minutes, pos[0], dry_run, &rep, &e);
    db_close(d);
    char m1[MONEY_FMT_MAX], m2[MONEY_FMT_MAX];
    if (json) {
        json_t *o = json_pack("{s:s, s:b, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:o, s:s?}", "file", pos[0], "dry_run",
                              dry_run, "lines", (json_int_t)rep.lines, "imported", (json_int_t)rep.imported, "already",
                              (json_int_t)rep.already, "settled", (json_int_t)rep.settled, "error_lines",
                              (json_int_t)rep.error_lines, "amount", (json_int_t)rep.amount, "paid",
                              (json_int_t)rep.paid, "errors", error_lines(&rep.errors), "error",
                              rc != 0 ? e.msg : NULL);
        char *text = json_dumps(o, JSON_COMPACT);
        printf("%s\n", text);
        free(text);
        json_decref(o);
    } else if (rep.errors.len) {
        fputs(rep.errors.data, stderr);
    }
    debt_import_report_free(&rep);
    if (rc != 0)
        return json ? (e.code == PC_EINVAL ? 2 : 1) : cli_fail(&e);
    if (!json) {
        if (rep.imported == 0)
            printf("%s: %ld lines, all imported before: nothing changed\n", pos[0], rep.lines);
        else
            printf("%s: %ld lines, %ld %s (%s, paid already %s; %ld settled), %ld imported before%s\n", pos[0],
                   rep.lines, rep.imported, dry_run ? "to import" : "imported", money_format(rep.amount, true, m1),
                   money_format(rep.paid, true, m2), rep.settled, rep.already,
                   dry_run ? "; nothing written (--dry-run)" : "");
    }
    return 0;
}
