/* Fuzz target: the `rate` request (JSON → rate_request → tariff_rate → response JSON) on the
 * shipped tariffs. Oracle: a rating adds up (total = energy + VAT, energy = Σ line amounts,
 * nothing negative); a refusal is an input error. */
#include <jansson.h>
#include <stdlib.h>

#include "domain/tariff.h"
#include "formats/rate_json.h"
#include "formats/tariff_json.h"
#include "fuzz_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static tariff_set t;
    static int loaded;
    pc_err e = {0};
    if (!loaded) {
        if (tariff_load_shipped(&t, &e) != 0)
            fuzz_fail("shipped tariffs", e.msg);
        loaded = 1;
    }
    json_error_t je;
    json_t *req = json_loadb((const char *)data, size, JSON_REJECT_DUPLICATES, &je);
    if (!req || !json_is_object(req)) {
        json_decref(req);
        return 0;
    }
    rate_request q;
    rate_result r;
    if (rate_request_from_json(req, &q, &e) != 0 || tariff_rate(&t, &q, &r, &e) != 0) {
        fuzz_expect_refusal(&e, "rate");
        json_decref(req);
        return 0;
    }
    json_decref(req);
    int64_t sum = 0;
    for (int i = 0; i < r.nlines; i++) {
        if (r.lines[i].amount < 0 || r.lines[i].kwh < 0)
            fuzz_fail("rate", "a negative line");
        sum += r.lines[i].amount;
    }
    if (sum != r.energy || r.total != r.energy + r.vat || r.vat < 0 || r.kwh < 0)
        fuzz_fail("rate", "the rating does not add up");
    json_t *out = rate_result_json(&r);
    char *s = json_dumps(out, JSON_COMPACT);
    if (!s)
        fuzz_fail("rate", "the response is not JSON");
    free(s);
    json_decref(out);
    return 0;
}
