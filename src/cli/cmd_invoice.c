/* powercis invoice show|xml|pdf|adjust|replace: an issued invoice, never edited. */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/billing.h"
#include "app/invoices.h"
#include "app/tariffs.h"
#include "base/money.h"
#include "cli/cli.h"
#include "store/repo.h"

static const char invoice_usage[] =
    "usage: powercis invoice show INVOICE [--json]\n"
    "       powercis invoice xml INVOICE [--out FILE]\n"
    "       powercis invoice pdf INVOICE --out FILE\n"
    "       powercis invoice adjust INVOICE (--kwh N | --normal N --peak N --offpeak N) --reason TEXT\n"
    "                               [--issue-date D]\n"
    "       powercis invoice replace INVOICE (--kwh N | --normal N --peak N --offpeak N) --reason TEXT\n"
    "                               [--issue-date D]\n\n"
    "INVOICE is SYMBOL/NUMBER (1K25TAA/42) or the invoice's id. An invoice is never edited:\n"
    "adjust issues an adjusting invoice with the differences, replace a replacing invoice with the\n"
    "corrected amounts; both refer to the original.\n";

static void print_invoice(const invoice_row *v)
{
    char m1[MONEY_FMT_MAX], m2[MONEY_FMT_MAX], m3[MONEY_FMT_MAX];
    printf("%s/%lld  %s  %s  period %s..%s  issued %s  due %s\n", v->symbol, (long long)v->number, v->kind,
           v->customer_code, v->from_date, v->to_date, v->issue_date, v->due_date);
    if (v->reason[0])
        printf("  reason: %s\n", v->reason);
    for (int i = 0; i < v->nlines; i++) {
        const invoice_line_row *l = &v->lines[i];
        printf("  %2d  %s..%s  %-8s %8lld kWh × %6lld = %s\n", l->line_no, l->part_from, l->part_to, l->item,
               (long long)l->kwh, (long long)l->price, money_format(l->amount, true, m1));
    }
    printf("  %lld kWh   energy %s   VAT %d%% %s   total %s\n", (long long)v->kwh, money_format(v->energy, true, m1),
           v->vat_rate, money_format(v->vat, true, m2), money_format(v->total, true, m3));
    if (v->credit_applied)
        printf("  credit applied %s   due %s\n", money_format(v->credit_applied, true, m1),
               money_format(v->total - v->credit_applied, true, m2));
}

static int correct_cmd(db *d, const pc_config *cfg, const char *ref, int argc, char **argv, int replace)
{
    corrected_kwh k = {0};
    const char *reason = NULL, *issue = NULL;
    bool any = false;
    for (int i = 0; i < argc; i++) {
        if (i + 1 >= argc)
            return cli_usage_error("invoice", "%s needs a value", argv[i]);
        const char *a = argv[i], *v = argv[++i];
        int64_t n;
        int reg = strcmp(a, "--normal") == 0 ? 0 : strcmp(a, "--peak") == 0 ? 1 : strcmp(a, "--offpeak") == 0 ? 2 : -1;
        if (strcmp(a, "--reason") == 0)
            reason = v;
        else if (strcmp(a, "--issue-date") == 0)
            issue = v;
        else if (strcmp(a, "--kwh") == 0 || reg >= 0) {
            if (cli_parse_int(a, v, 0, 1000000000000LL, &n) != 0)
                return 2;
            if (reg >= 0) {
                k.registers = true;
                k.reg_kwh[reg] = n;
            } else {
                k.kwh = n;
            }
            any = true;
        } else
            return cli_usage_error("invoice", "unknown option '%s'", a);
    }
    if (!any)
        return cli_usage_error("invoice", "give the corrected consumption: --kwh N or --normal/--peak/--offpeak");
    civil_date issue_date;
    if (cli_parse_issue_date(issue, &issue_date, cfg->utc_offset_minutes) != 0)
        return 2;
    static tariff_set t;
    if (cli_load_tariffs(d, &t) != 0)
        return 1;
    pc_err e = {0};
    invoice_row orig, out;
    if (invoice_find(d, ref, &orig, &e) != 0 ||
        invoice_correct(d, cli_actor, cfg, &t, orig.id, &k, replace, reason, issue_date, &out, &e) != 0)
        return cli_fail(&e);
    print_invoice(&out);
    return 0;
}

int cmd_invoice(int argc, char **argv)
{
    if (argc < 3 || cli_wants_help(argc, argv)) {
        fputs(invoice_usage, argc < 3 && !cli_wants_help(argc, argv) ? stderr : stdout);
        return cli_wants_help(argc, argv) ? 0 : 2;
    }
    const char *sub = argv[1], *ref = argv[2];
    const pc_config *cfg = cli_config();
    if (!cfg)
        return 2;
    db *d = cli_open_db();
    if (!d)
        return 1;
    pc_err e = {0};
    int status = 0;
    if (strcmp(sub, "show") == 0) {
        invoice_row v;
        int json = argc > 3 && strcmp(argv[3], "--json") == 0;
        if (argc > 3 + json)
            status = cli_usage_error("invoice show", "unexpected argument '%s'", argv[3 + json]);
        else if (invoice_find(d, ref, &v, &e) != 0)
            status = cli_fail(&e);
        else if (json) {
            json_t *o = invoice_to_json(&v);
            char *s = json_dumps(o, JSON_INDENT(2));
            puts(s);
            free(s);
            json_decref(o);
        } else
            print_invoice(&v);
    } else if (strcmp(sub, "xml") == 0 || strcmp(sub, "pdf") == 0) {
        const char *out = NULL;
        if (argc == 5 && strcmp(argv[3], "--out") == 0)
            out = argv[4];
        else if (argc != 3)
            status = cli_usage_error("invoice", "expected INVOICE [--out FILE]");
        if (!status && sub[0] == 'p' && !out)
            status = cli_usage_error("invoice pdf", "--out FILE is required");
        if (!status && sub[0] == 'x') {
            buf xml = {0};
            if (invoice_xml_render(d, cfg, ref, &xml, &e) != 0)
                status = cli_fail(&e);
            else {
                FILE *f = out ? fopen(out, "wb") : stdout;
                if (!f || fwrite(xml.data, 1, xml.len, f) != xml.len) {
                    fprintf(stderr, "powercis: cannot write '%s'\n", out);
                    status = 1;
                }
                if (f && out)
                    fclose(f);
            }
            buf_free(&xml);
        } else if (!status) {
            if (invoice_pdf_write(d, cfg, ref, out, &e) != 0)
                status = cli_fail(&e);
            else
                printf("wrote %s\n", out);
        }
    } else if (strcmp(sub, "adjust") == 0 || strcmp(sub, "replace") == 0) {
        status = correct_cmd(d, cfg, ref, argc - 3, argv + 3, sub[0] == 'r');
    } else {
        status = cli_usage_error("invoice", "unknown subcommand '%s'", sub);
    }
    db_close(d);
    return status;
}
