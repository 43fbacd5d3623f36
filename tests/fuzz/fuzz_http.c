/* Fuzz target: the JSON bodies of every POST route of the HTTP API, through the handlers
 * themselves (no socket: this file stands in for the transport's header and query look-ups).
 * The first byte picks the route, the second its path parameters; the rest is the body. The
 * caller is an administrator of the whole tree (a partner for the partner routes), so bodies get
 * past access and reach the parsers. Oracles: never a 5xx, never an answer without a status, a
 * JSON answer is valid JSON, and a refused request (4xx) leaves every table as it was — except
 * where a refusal is itself recorded (failed sign-ins, which feed the throttle). */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/config.h"
#include "app/users.h"
#include "fuzz_common.h"
#include "http/router.h"
#include "http/server.h"

static char idem_key[40];

const char *http_query(const http_request *r, const char *name)
{
    (void)r;
    (void)name;
    return NULL;
}

const char *http_header(const http_request *r, const char *name)
{
    (void)r;
    if (strcasecmp(name, "Idempotency-Key") == 0)
        return idem_key;
    if (strcasecmp(name, "Content-Type") == 0)
        return "application/json";
    return NULL;
}

const char *http_client_ip(const http_request *r, char *out, size_t cap)
{
    (void)r;
    snprintf(out, cap, "127.0.0.1");
    return out;
}

static const http_route *posts[128];
static int nposts;
static http_principal admin, partner;
static pc_config cfg;

static void setup(db *d)
{
    for (int i = 0; http_routes[i].method && nposts < 128; i++)
        if (strcmp(http_routes[i].method, "GET") != 0)
            posts[nposts++] = &http_routes[i];
    pc_err e = {0};
    user_row u;
    user_changes c = {.name = "Fuzz", .role = "administrator", .scope = "PA", .digest = -1};
    if (users_add(d, "fuzz", "fuzz.admin", &c, &u, &e) != 0)
        fuzz_fail("fixture: user", e.msg);
    admin.authenticated = true;
    admin.via = "session";
    admin.user_id = u.id;
    snprintf(admin.login, sizeof admin.login, "fuzz.admin");
    snprintf(admin.role, sizeof admin.role, "administrator");
    snprintf(admin.scope_code, sizeof admin.scope_code, "PA");
    snprintf(admin.scope_path, sizeof admin.scope_path, "/PA/");
    snprintf(admin.lang, sizeof admin.lang, "vi");
    db_stmt *s = db_prepare(d, "SELECT id FROM partner WHERE code = 'ECPAY'", &e);
    if (!s || db_step(s, &e) != 1)
        fuzz_fail("fixture: partner", e.msg);
    partner.authenticated = true;
    partner.via = "signature";
    partner.partner_id = db_col_int(s, 0);
    db_reset(s);
    snprintf(partner.partner_code, sizeof partner.partner_code, "ECPAY");
    snprintf(partner.login, sizeof partner.login, "partner:ECPAY");
    snprintf(partner.role, sizeof partner.role, "partner");
    config_defaults(&cfg);
}

/* path parameters: customers of the fixture, ids, and hostile values */
static const char *const values[] = {"PA01010000101", "PA01020000104", "1", "2", "0", "-1", "ECPAY", "PA0101",
                                     "../../etc/passwd", "9999999999999999999999", "'; DROP TABLE customer; --", ""};
#define NVALUES (sizeof values / sizeof values[0])

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static unsigned long n;
    db *d = fuzz_db();
    if (!nposts)
        setup(d);
    if (size < 2 || !nposts)
        return 0;
    const http_route *route = posts[data[0] % nposts];
    http_request r = {0};
    http_response w = {0};
    r.method = route->method;
    r.path = route->pattern;
    r.params[0] = values[data[1] % NVALUES];
    for (int i = 1; i < 4; i++)
        r.params[i] = values[(data[1] / NVALUES + (unsigned)i) % NVALUES];
    r.nparams = 4;
    r.body_len = size - 2;
    r.d = d;
    r.cfg = &cfg;
    r.who = (route->access & ROLE_PARTNER) ? partner : admin;
    r.user = r.who.login;
    snprintf(r.ip, sizeof r.ip, "127.0.0.1");
    snprintf(idem_key, sizeof idem_key, "fuzz-%lu", ++n);
    /* the body as the server hands it over: NUL-terminated after body_len */
    const char *body = fuzz_text(data + 2, size - 2);
    r.body = body;
    int64_t before = fuzz_rows(d);
    route->handler(&r, &w);
    char what[160];
    snprintf(what, sizeof what, "%s %s -> %d", route->method, route->pattern, w.status);
    static int trace = -1;
    if (trace < 0)
        trace = getenv("FUZZ_TRACE") != NULL;
    if (trace) /* FUZZ_TRACE=1: what each input reached */
        fprintf(stderr, "%s %.*s\n", what, (int)(w.body.len < 120 ? w.body.len : 120), w.body.data ? w.body.data : "");
    if (w.status == 0 || w.status >= 500)
        fuzz_fail(what, w.body.data);
    if (w.content_type && strncmp(w.content_type, "application/json", 16) == 0) {
        json_error_t je;
        json_t *j = json_loadb(w.body.data ? w.body.data : "", w.body.len, 0, &je);
        if (!j)
            fuzz_fail(what, "the answer is not JSON");
        json_decref(j);
    }
    bool records_refusals = strstr(route->pattern, "login") || strstr(route->pattern, "password");
    if (w.status >= 400 && !records_refusals && fuzz_rows(d) != before)
        fuzz_fail(what, "a refused request changed the database");
    if (db_tx_depth(d) != 0)
        fuzz_fail(what, "a transaction was left open");
    buf_free(&w.body);
    return 0;
}
