/* powercis tariff load|list|show: the tariffs in force on a date (shipped data, overridden by
 * files loaded into the database). */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/tariffs.h"
#include "cli/cli.h"

static const char tariff_usage[] =
    "usage: powercis tariff load DIR\n"
    "       powercis tariff list [--date YYYY-MM-DD]\n"
    "       powercis tariff show [--date YYYY-MM-DD] [--json]\n\n"
    "load reads residential.json, nonresidential.json and vat.json (those present) in the format of\n"
    "data/tariffs/ (docs/tariffs.md), checks them and stores them: a new price decision is a data\n"
    "change. list prints every schedule and marks those in force on the date (default today);\n"
    "show prints the prices in force.\n";

static void print_list(const tariff_set *t, civil_date d)
{
    char ds[DATE_FMT_MAX], de[DATE_FMT_MAX];
    int ri = tariff_residential_in_force(t, d), ni = tariff_nonresidential_in_force(t, d);
    printf("residential (%d tiers in force on %s)\n", ri >= 0 ? t->res[ri].ntiers : 0, date_format(d, ds));
    for (int i = 0; i < t->nres; i++)
        printf("  %s %s  %-20s %d tiers%s%s\n", i == ri ? "*" : " ", date_format(t->res[i].effective, de),
               t->res[i].decision, t->res[i].ntiers, t->res[i].verified ? "" : "  (unverified)",
               i == ri ? "  ← in force" : "");
    printf("non-residential\n");
    for (int i = 0; i < t->nnonres; i++)
        printf("  %s %s  %-20s%s%s\n", i == ni ? "*" : " ", date_format(t->nonres[i].effective, de),
               t->nonres[i].decision, t->nonres[i].verified ? "" : "  (unverified)", i == ni ? "  ← in force" : "");
    printf("VAT\n");
    for (int i = 0; i < t->nvat; i++) {
        char a[DATE_FMT_MAX], b[DATE_FMT_MAX];
        bool now = t->vat[i].from <= d && d <= t->vat[i].to;
        printf("  %s %s .. %s  %d%%%s\n", now ? "*" : " ", date_format(t->vat[i].from, a), date_format(t->vat[i].to, b),
               t->vat[i].rate, now ? "  ← in force" : "");
    }
}

static json_t *show_json(const tariff_set *t, civil_date d)
{
    char ds[DATE_FMT_MAX], de[DATE_FMT_MAX];
    json_t *o = json_pack("{s:s, s:i}", "date", date_format(d, ds), "vat_rate", tariff_vat_rate(t, d));
    int ri = tariff_residential_in_force(t, d), ni = tariff_nonresidential_in_force(t, d);
    if (ri >= 0) {
        const residential_schedule *s = &t->res[ri];
        json_t *tiers = json_array();
        for (int i = 0; i < s->ntiers; i++)
            json_array_append_new(tiers, json_pack("{s:i, s:o, s:I}", "tier", i + 1, "upto",
                                                   s->tiers[i].upto < 0 ? json_null() : json_integer(s->tiers[i].upto),
                                                   "price", (json_int_t)s->tiers[i].price));
        json_object_set_new(o, "residential",
                            json_pack("{s:s, s:s, s:b, s:o}", "decision", s->decision, "effective",
                                      date_format(s->effective, de), "verified", s->verified, "tiers", tiers));
    }
    if (ni >= 0) {
        const nonresidential_schedule *s = &t->nonres[ni];
        json_t *prices = json_object();
        for (int p = PURPOSE_PRODUCTION; p < PURPOSE_COUNT; p++) {
            json_t *bands = json_object();
            for (int v = 0; v < VOLTAGE_BANDS; v++) {
                const price_cell *c = &s->cells[p][v];
                json_object_set_new(bands, voltage_name(v),
                                    c->flat ? json_integer(c->price[0])
                                            : json_pack("{s:I, s:I, s:I}", "normal", (json_int_t)c->price[TOU_NORMAL], "peak",
                                                        (json_int_t)c->price[TOU_PEAK], "offpeak",
                                                        (json_int_t)c->price[TOU_OFFPEAK]));
            }
            json_object_set_new(prices, purpose_name((customer_purpose)p), bands);
        }
        json_object_set_new(o, "nonresidential",
                            json_pack("{s:s, s:s, s:b, s:o}", "decision", s->decision, "effective",
                                      date_format(s->effective, de), "verified", s->verified, "prices", prices));
    }
    return o;
}

static void print_show(const tariff_set *t, civil_date d)
{
    char ds[DATE_FMT_MAX];
    int ri = tariff_residential_in_force(t, d), ni = tariff_nonresidential_in_force(t, d);
    printf("In force on %s — VAT %d%%\n", date_format(d, ds), tariff_vat_rate(t, d));
    if (ri >= 0) {
        const residential_schedule *s = &t->res[ri];
        printf("Residential: %s%s\n", s->decision, s->verified ? "" : " (unverified)");
        int64_t below = 0;
        for (int i = 0; i < s->ntiers; i++) {
            char range[40];
            if (s->tiers[i].upto < 0)
                snprintf(range, sizeof range, "%lld+ kWh", (long long)below + 1);
            else
                snprintf(range, sizeof range, "%lld-%lld kWh", (long long)below + (i ? 1 : 0), (long long)s->tiers[i].upto);
            printf("  tier %-2d %-14s %6lld đ/kWh\n", i + 1, range, (long long)s->tiers[i].price);
            below = s->tiers[i].upto;
        }
    }
    if (ni >= 0) {
        const nonresidential_schedule *s = &t->nonres[ni];
        printf("Non-residential: %s%s (normal / peak / off-peak, or one price)\n", s->decision,
               s->verified ? "" : " (unverified)");
        for (int p = PURPOSE_PRODUCTION; p < PURPOSE_COUNT; p++)
            for (int v = VOLTAGE_BANDS - 1; v >= 0; v--) {
                const price_cell *c = &s->cells[p][v];
                if (c->flat)
                    printf("  %-22s %-9s %6lld\n", purpose_name((customer_purpose)p), voltage_name(v), (long long)c->price[0]);
                else
                    printf("  %-22s %-9s %6lld / %6lld / %6lld\n", purpose_name((customer_purpose)p), voltage_name(v),
                           (long long)c->price[TOU_NORMAL], (long long)c->price[TOU_PEAK], (long long)c->price[TOU_OFFPEAK]);
            }
    }
}

int cmd_tariff(int argc, char **argv)
{
    if (argc < 2 || cli_wants_help(argc, argv)) {
        fputs(tariff_usage, argc < 2 ? stderr : stdout);
        return argc < 2 ? 2 : 0;
    }
    const char *sub = argv[1];
    const pc_config *cfg = cli_config();
    if (!cfg)
        return 2;
    pc_err e = {0};
    if (strcmp(sub, "load") == 0) {
        if (argc != 3)
            return cli_usage_error("tariff load", "expected one DIR");
        db *d = cli_open_db();
        if (!d)
            return 1;
        tariff_load_report rep;
        int rc = tariffs_load(d, cli_actor, argv[2], &rep, &e);
        db_close(d);
        if (rc != 0)
            return cli_fail(&e);
        printf("loaded %d tariff file(s)", rep.loaded);
        for (int i = 0; i < rep.loaded; i++)
            printf("%s%s", i ? ", " : ": ", rep.names[i]);
        printf("; %d unchanged\n", rep.unchanged);
        return 0;
    }
    if (strcmp(sub, "list") != 0 && strcmp(sub, "show") != 0)
        return cli_usage_error("tariff", "unknown subcommand '%s'", sub);
    civil_date day = date_today(cfg->utc_offset_minutes);
    int json = 0;
    for (int i = 2; i < argc; i++) {
        if (strcmp(argv[i], "--date") == 0 && i + 1 < argc) {
            if (date_parse(argv[++i], &day, &e) != 0)
                return cli_usage_error("tariff", "--date: %s", e.msg);
        } else if (strcmp(argv[i], "--json") == 0 && sub[0] == 's') {
            json = 1;
        } else {
            return cli_usage_error("tariff", "unexpected argument '%s'", argv[i]);
        }
    }
    db *d = cli_open_db();
    if (!d)
        return 1;
    static tariff_set t;
    int rc = tariffs_in_force(d, &t, &e);
    db_close(d);
    if (rc != 0)
        return cli_fail(&e);
    if (sub[0] == 'l') {
        print_list(&t, day);
    } else if (json) {
        json_t *o = show_json(&t, day);
        char *s = json_dumps(o, JSON_INDENT(2));
        puts(s);
        free(s);
        json_decref(o);
    } else {
        print_show(&t, day);
    }
    return 0;
}
