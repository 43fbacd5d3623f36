/* powercis rate: one JSON request on stdin, the rating as JSON on stdout (a public contract,
 * docs/cli.md). The shipped tariffs, or those of --tariffs DIR. */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "domain/tariff.h"
#include "formats/rate_json.h"
#include "formats/tariff_json.h"

static const char rate_usage[] =
    "usage: powercis rate [--tariffs DIR] < request.json\n\n"
    "Request: {\"purpose\": \"residential\" | \"production\" | \"business\" | \"administrative_public\" |\n"
    "          \"administrative_other\", \"voltage\": \"<6kV\" | \"6-22kV\" | \"22-110kV\" | \">=110kV\",\n"
    "          \"previous_reading\": \"YYYY-MM-DD\", \"reading\": \"YYYY-MM-DD\",\n"
    "          \"kwh\": N | {\"normal\": N, \"peak\": N, \"offpeak\": N},\n"
    "          \"households\": N (default 1), \"renter\": true|false, \"persons\": N}\n"
    "Response: {\"energy\", \"vat_rate\", \"vat\", \"total\", \"kwh\", \"lines\": [{\"from\", \"to\",\n"
    "          \"tier\" | \"register\", \"kwh\", \"price\", \"amount\"}]} (đồng, integers)\n"
    "A bad request exits 2 with one line on stderr naming the field.\n";

static int fail_field(const char *msg)
{
    fprintf(stderr, "powercis rate: %s\n", msg);
    return 2;
}

int cmd_rate(int argc, char **argv)
{
    const char *dir = NULL;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
            fputs(rate_usage, stdout);
            return 0;
        }
        if (strcmp(argv[i], "--tariffs") == 0 && i + 1 < argc)
            dir = argv[++i];
        else
            return cli_usage_error("rate", "unexpected argument '%s'", argv[i]);
    }
    static tariff_set t;
    pc_err e = {0};
    if ((dir ? tariff_load_dir(&t, dir, &e) : tariff_load_shipped(&t, &e)) != 0)
        return cli_fail(&e);
    json_error_t je;
    json_t *req = json_loadf(stdin, JSON_REJECT_DUPLICATES, &je);
    if (!req) {
        char msg[300];
        snprintf(msg, sizeof msg, "request: not valid JSON (line %d: %s)", je.line, je.text);
        return fail_field(msg);
    }
    if (!json_is_object(req)) {
        json_decref(req);
        return fail_field("request: must be a JSON object");
    }
    rate_request q;
    rate_result r;
    int rc = rate_request_from_json(req, &q, &e);
    json_decref(req);
    if (rc != 0 || tariff_rate(&t, &q, &r, &e) != 0)
        return fail_field(e.msg);
    json_t *out = rate_result_json(&r);
    char *s = json_dumps(out, JSON_INDENT(2));
    puts(s);
    free(s);
    json_decref(out);
    return 0;
}
