/* Service grids, their managers and customers (app/grids.h, docs/grids.md): the checks of who
 * may manage a grid and which customers may be put in it, the file import, and the audit trail.
 * The history is append-only; a change already true on its date writes nothing. */
#include "app/grids.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/audit.h"
#include "base/date.h"
#include "domain/access.h"
#include "formats/csv_reader.h"
#include "store/repo.h"
#include "store/users.h"

#define GRID_CODE_MAX 31
#define MAX_LISTED 1000

static int check_date(const char *what, const char *v, char out[DATE_FMT_MAX], pc_err *e)
{
    civil_date dt;
    if (!v || !*v)
        return pc_errf(e, PC_EINVAL, "%s: a date YYYY-MM-DD is required", what);
    if (date_parse(v, &dt, e) != 0)
        return pc_err_prefix(e, "%s", what);
    date_format(dt, out);
    return 0;
}

static int check_grid_code(const char *code, pc_err *e)
{
    if (!code || !*code)
        return pc_errf(e, PC_EINVAL, "grid: a code is required");
    if (strlen(code) > GRID_CODE_MAX)
        return pc_errf(e, PC_EINVAL, "grid '%s': at most %d characters", code, GRID_CODE_MAX);
    for (const char *p = code; *p; p++)
        if (!((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || strchr("._-", *p)))
            return pc_errf(e, PC_EINVAL, "grid '%s': letters, digits, '.', '_' and '-' only", code);
    return 0;
}

static int check_grid_name(const char *code, const char *name, pc_err *e)
{
    if (!name || !*name)
        return pc_errf(e, PC_EINVAL, "grid '%s': a name is required", code);
    if (strlen(name) >= sizeof(((grid_row *)0)->name))
        return pc_errf(e, PC_EINVAL, "grid '%s': the name is too long", code);
    return 0;
}

static int unit_of(db *d, const char *unit_code, org_row *u, pc_err *e)
{
    if (!unit_code || !*unit_code)
        return pc_errf(e, PC_EINVAL, "unit: an org unit code is required");
    if (org_get(d, unit_code, u, e) != 0)
        return -1;
    if (strcmp(u->level, "unit") != 0)
        return pc_errf(e, PC_EINVAL, "unit '%s' is a %s: a grid belongs to a unit (Điện lực)", unit_code, u->level);
    return 0;
}

/* The grid of code, created when absent; an existing one must have this name and unit. */
static int grid_ensure(db *d, const char *actor, const char *code, const char *name, const char *unit_code,
                       grid_row *g, bool *created, pc_err *e)
{
    *created = false;
    if (check_grid_code(code, e) != 0 || check_grid_name(code, name, e) != 0)
        return -1;
    org_row u;
    if (unit_of(d, unit_code, &u, e) != 0)
        return -1;
    pc_err ge = {0};
    if (grid_get(d, code, g, &ge) == 0) {
        if (g->unit_id != u.id)
            return pc_errf(e, PC_EINVAL, "grid '%s' exists in unit %s, not %s", code, g->unit_code, u.code);
        if (strcmp(g->name, name) != 0)
            return pc_errf(e, PC_EINVAL, "grid '%s' exists named '%s', not '%s'", code, g->name, name);
        return 0;
    }
    if (ge.code != PC_ENOTFOUND) {
        *e = ge;
        return -1;
    }
    memset(g, 0, sizeof *g);
    snprintf(g->code, sizeof g->code, "%s", code);
    snprintf(g->name, sizeof g->name, "%s", name);
    g->unit_id = u.id;
    snprintf(g->unit_code, sizeof g->unit_code, "%s", u.code);
    snprintf(g->unit_path, sizeof g->unit_path, "%s", u.path);
    char ts[TIMESTAMP_FMT_MAX];
    if (grid_insert(d, g, timestamp_now(ts), actor, e) != 0)
        return -1;
    *created = true;
    return audit_event(d, actor, "grid_add", "grid", g->code,
                       json_pack("{s:s, s:s, s:s}", "code", g->code, "name", g->name, "unit", g->unit_code), e);
}

int grids_add(db *d, const char *actor, const char *code, const char *name, const char *unit_code, grid_row *out,
              pc_err *e)
{
    if (db_begin(d, e) != 0)
        return -1;
    pc_err ge = {0};
    grid_row g;
    if (code && grid_get(d, code, &g, &ge) == 0) {
        db_rollback(d);
        return pc_errf(e, PC_ECONFLICT, "grid '%s' exists already (unit %s)", code, g.unit_code);
    }
    bool created;
    if (grid_ensure(d, actor, code, name, unit_code, out, &created, e) != 0 || db_commit(d, e) != 0) {
        db_rollback(d);
        return -1;
    }
    return 0;
}

/* Whether u may manage g: an enabled account manager or unit officer over the grid's unit. */
static int check_manager(db *d, const char *login, const grid_row *g, user_row *u, pc_err *e)
{
    if (!login || !*login)
        return pc_errf(e, PC_EINVAL, "manager: a login is required");
    if (user_get(d, login, u, e) != 0)
        return pc_errf(e, PC_EINVAL, "manager '%s': no such account", login);
    if (strcmp(u->role, "account_manager") != 0 && strcmp(u->role, "unit_officer") != 0)
        return pc_errf(e, PC_EINVAL, "manager '%s' is a %s: an account_manager or unit_officer is expected", login,
                       u->role);
    if (u->disabled)
        return pc_errf(e, PC_EINVAL, "manager '%s': the account is disabled", login);
    if (!access_in_scope(u->scope_path, g->unit_path))
        return pc_errf(e, PC_EINVAL, "manager '%s' (scope %s) cannot see unit %s of grid %s", login, u->scope_code,
                       g->unit_code, g->code);
    return 0;
}

/* Writes the manager row unless it is so already on from. */
static int set_manager(db *d, const char *actor, const grid_row *g, const user_row *u, const char *from, bool active,
                       bool *changed, pc_err *e)
{
    bool now;
    *changed = false;
    if (grid_manager_on(d, g->id, u->id, from, &now, e) != 0)
        return -1;
    if (now == active)
        return 0;
    char ts[TIMESTAMP_FMT_MAX];
    if (grid_manager_add(d, g->id, u->id, from, active, timestamp_now(ts), actor, e) != 0)
        return -1;
    *changed = true;
    return audit_event(d, actor, active ? "grid_manager" : "grid_manager_end", "grid", g->code,
                       json_pack("{s:s, s:s}", "manager", u->login, "from", from), e);
}

int grids_set_manager(db *d, const char *actor, const char *grid_code, const char *login, const char *from_in,
                      bool active, bool *changed, pc_err *e)
{
    char from[DATE_FMT_MAX];
    if (check_date("--from", from_in, from, e) != 0)
        return -1;
    if (db_begin(d, e) != 0)
        return -1;
    grid_row g;
    user_row u;
    if (grid_get(d, grid_code ? grid_code : "", &g, e) != 0 || (active && check_manager(d, login, &g, &u, e) != 0) ||
        (!active && user_get(d, login ? login : "", &u, e) != 0) ||
        set_manager(d, actor, &g, &u, from, active, changed, e) != 0 || db_commit(d, e) != 0) {
        db_rollback(d);
        return -1;
    }
    return 0;
}

/* ---- customers ---- */

typedef struct {
    int64_t *ids;
    char (*codes)[16];
    size_t n, cap;
} id_list;

static int id_push(void *ctx, int64_t id, const char *code)
{
    id_list *l = ctx;
    for (size_t i = 0; i < l->n; i++)
        if (l->ids[i] == id)
            return 0; /* a route and the list may both name a customer */
    if (l->n == l->cap) {
        size_t cap = l->cap ? l->cap * 2 : 64;
        int64_t *ids = realloc(l->ids, cap * sizeof *ids);
        if (!ids)
            return -1;
        l->ids = ids;
        char(*codes)[16] = realloc(l->codes, cap * sizeof *codes);
        if (!codes)
            return -1;
        l->codes = codes;
        l->cap = cap;
    }
    l->ids[l->n] = id;
    snprintf(l->codes[l->n], sizeof l->codes[l->n], "%s", code);
    l->n++;
    return 0;
}

static void id_free(id_list *l)
{
    free(l->ids);
    free(l->codes);
    memset(l, 0, sizeof *l);
}

/* The customers on a route of g's unit; none is an error (a mistyped route). */
static int add_route(db *d, const grid_row *g, const char *route, id_list *l, pc_err *e)
{
    size_t before = l->n;
    if (grid_route_customers(d, g->unit_path, route, id_push, l, e) != 0)
        return e->code ? -1 : pc_errf(e, PC_EINTERNAL, "out of memory");
    if (l->n == before)
        return pc_errf(e, PC_EINVAL, "route '%s': no customer of unit %s is on it", route, g->unit_code);
    return 0;
}

/* A customer by code, which must lie in g's unit (g NULL: anywhere). */
static int add_customer(db *d, const grid_row *g, const char *code, id_list *l, pc_err *e)
{
    int64_t id;
    char path[160];
    if (grid_customer_lookup(d, code, &id, path, sizeof path, e) != 0)
        return -1;
    if (g && !access_in_scope(g->unit_path, path))
        return pc_errf(e, PC_EINVAL, "customer %s is not a customer of unit %s (grid %s)", code, g->unit_code, g->code);
    if (id_push(l, id, code) != 0)
        return pc_errf(e, PC_EINTERNAL, "out of memory");
    return 0;
}

/* Writes what is not so already on from. clash_after > 0: a row written after that id putting a
 * customer in another grid on the same date is an error (a file naming a customer twice). */
static int write_customers(db *d, const char *actor, const grid_row *g, const id_list *l, const char *from,
                           const char *source, int64_t clash_after, grid_assign_result *r, pc_err *e)
{
    char ts[TIMESTAMP_FMT_MAX];
    timestamp_now(ts);
    int64_t gid = g ? g->id : 0;
    for (size_t i = 0; i < l->n; i++) {
        int64_t now;
        if (grid_customer_on(d, l->ids[i], from, &now, e) != 0)
            return -1;
        if (clash_after >= 0) {
            bool clash;
            char other[32];
            if (grid_customer_clash(d, l->ids[i], clash_after, from, gid, other, sizeof other, &clash, e) != 0)
                return -1;
            if (clash)
                return pc_errf(e, PC_EINVAL, "customer %s is put in grid %s from %s by another line of the file",
                               l->codes[i], other[0] ? other : "(none)", from);
        }
        if (now == gid) {
            r->unchanged++;
            continue;
        }
        if (grid_customer_add(d, l->ids[i], gid, from, source, ts, actor, e) != 0)
            return -1;
        r->assigned++;
    }
    return 0;
}

int grids_assign_customers(db *d, const char *actor, const char *grid_code, const char *const *routes, int nroutes,
                           const char *const *codes, int ncodes, const char *from_in, grid_assign_result *out,
                           pc_err *e)
{
    memset(out, 0, sizeof *out);
    char from[DATE_FMT_MAX];
    if (check_date("--from", from_in, from, e) != 0)
        return -1;
    if (nroutes + ncodes == 0)
        return pc_errf(e, PC_EINVAL, "--routes or --customers is required");
    if (!grid_code && nroutes)
        return pc_errf(e, PC_EINVAL, "grid release takes --customers only");
    if (db_begin(d, e) != 0)
        return -1;
    grid_row g;
    id_list l = {0};
    int rc = -1;
    if (grid_code && grid_get(d, grid_code, &g, e) != 0)
        goto done;
    for (int i = 0; i < nroutes; i++)
        if (add_route(d, &g, routes[i], &l, e) != 0)
            goto done;
    for (int i = 0; i < ncodes; i++)
        if (add_customer(d, grid_code ? &g : NULL, codes[i], &l, e) != 0)
            goto done;
    char source[64];
    if (nroutes)
        snprintf(source, sizeof source, "route:%s%s", routes[0], nroutes > 1 ? ",…" : "");
    else
        snprintf(source, sizeof source, "list");
    if (write_customers(d, actor, grid_code ? &g : NULL, &l, from, source, -1, out, e) != 0)
        goto done;
    json_t *rj = json_array(), *cj = json_array();
    for (int i = 0; i < nroutes; i++)
        json_array_append_new(rj, json_string(routes[i]));
    for (int i = 0; i < ncodes; i++)
        json_array_append_new(cj, json_string(codes[i]));
    if (audit_event(d, actor, grid_code ? "grid_customers" : "grid_release", "grid", grid_code ? grid_code : "",
                    json_pack("{s:s, s:o, s:o, s:I, s:I}", "from", from, "routes", rj, "customers", cj, "assigned",
                              (json_int_t)out->assigned, "unchanged", (json_int_t)out->unchanged),
                    e) != 0)
        goto done;
    rc = db_commit(d, e);
done:
    if (rc != 0)
        db_rollback(d);
    id_free(&l);
    return rc;
}

/* ---- import ---- */

enum { C_GRID, C_NAME, C_UNIT, C_FROM, C_MANAGERS, C_ROUTES, C_CUSTOMERS, NCOLS };
static const char *const columns[NCOLS] = {"grid", "name", "unit", "valid_from", "managers", "routes", "customers"};
#define NREQUIRED 4

typedef struct {
    db *d;
    const char *actor;
    grid_import_report *rep;
    int col[NCOLS];
    bool header;
    long listed, last_bad;
    int64_t first_id; /* grid_customer rows after it are this file's */
} import_ctx;

static void row_error(import_ctx *x, long line, const char *column, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static void row_error(import_ctx *x, long line, const char *column, const char *fmt, ...)
{
    if (x->last_bad != line) {
        x->rep->error_rows++;
        x->last_bad = line;
    }
    if (++x->listed > MAX_LISTED) {
        if (x->listed == MAX_LISTED + 1)
            buf_puts(&x->rep->errors, "… more errors not listed\n");
        return;
    }
    char msg[600];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    buf_printf(&x->rep->errors, "line %ld: %s: %s\n", line, column, msg);
}

/* The field of column k trimmed of blanks ("" when the column is absent); false when it does not
 * fit in cap (out then holds nothing). */
static bool field(const csv_record *r, const import_ctx *x, int k, char *out, size_t cap)
{
    const char *s = x->col[k] >= 0 && (size_t)x->col[k] < r->nfields ? r->fields[x->col[k]] : "";
    while (*s == ' ' || *s == '\t')
        s++;
    size_t n = strlen(s);
    while (n && (s[n - 1] == ' ' || s[n - 1] == '\t'))
        n--;
    if (n >= cap) {
        out[0] = 0;
        return false;
    }
    memcpy(out, s, n);
    out[n] = 0;
    return true;
}

/* Calls fn on each ';'-separated item of list, trimmed, empty ones skipped. */
static int each_item(char *list, int (*fn)(void *ctx, const char *item), void *ctx)
{
    int rc = 0;
    for (char *save = NULL, *t = strtok_r(list, ";", &save); t; t = strtok_r(NULL, ";", &save)) {
        while (*t == ' ')
            t++;
        size_t n = strlen(t);
        while (n && t[n - 1] == ' ')
            t[--n] = 0;
        if (*t && fn(ctx, t) != 0)
            rc = -1;
    }
    return rc;
}

typedef struct {
    import_ctx *x;
    long line;
    const grid_row *g;
    const char *from;
    id_list *l;
    user_row *mgrs;
    int nmgrs;
} row_ctx;

static int row_manager(void *ctx, const char *login)
{
    row_ctx *c = ctx;
    pc_err e = {0};
    if (c->nmgrs == 16) {
        row_error(c->x, c->line, "managers", "at most 16 managers on a line");
        return -1;
    }
    if (check_manager(c->x->d, login, c->g, &c->mgrs[c->nmgrs], &e) != 0) {
        row_error(c->x, c->line, "managers", "%s", e.msg);
        return -1;
    }
    c->nmgrs++;
    return 0;
}

static int row_route(void *ctx, const char *route)
{
    row_ctx *c = ctx;
    pc_err e = {0};
    if (add_route(c->x->d, c->g, route, c->l, &e) != 0) {
        row_error(c->x, c->line, "routes", "%s", e.msg);
        return -1;
    }
    return 0;
}

static int row_customer(void *ctx, const char *code)
{
    row_ctx *c = ctx;
    pc_err e = {0};
    if (add_customer(c->x->d, c->g, code, c->l, &e) != 0) {
        row_error(c->x, c->line, "customers", "%s", e.msg);
        return -1;
    }
    return 0;
}

static int import_header(import_ctx *x, const csv_record *r, pc_err *e)
{
    bool bad = false;
    for (int k = 0; k < NCOLS; k++)
        x->col[k] = -1;
    for (size_t i = 0; i < r->nfields; i++) {
        int k = 0;
        while (k < NCOLS && strcmp(r->fields[i], columns[k]) != 0)
            k++;
        if (k == NCOLS) {
            buf_printf(&x->rep->errors,
                       "line %ld: unknown column '%s' (expected grid, name, unit, valid_from and optionally managers, "
                       "routes, customers)\n", r->line, r->fields[i]);
            bad = true;
        } else if (x->col[k] >= 0) {
            buf_printf(&x->rep->errors, "line %ld: column '%s' appears twice\n", r->line, columns[k]);
            bad = true;
        } else
            x->col[k] = (int)i;
    }
    for (int k = 0; k < NREQUIRED; k++)
        if (x->col[k] < 0) {
            buf_printf(&x->rep->errors, "line %ld: required column '%s' is missing\n", r->line, columns[k]);
            bad = true;
        }
    x->header = true;
    if (bad)
        return pc_errf(e, PC_EINVAL, "the header row is not the grid layout (docs/grids.md): nothing was imported");
    return 0;
}

static int import_row(void *ctx, const csv_record *r, pc_err *e)
{
    import_ctx *x = ctx;
    if (r->record == 0)
        return import_header(x, r, e);
    x->rep->rows++;
    long line = r->line;
    char code[64], name[512], unit[32], from_in[32], from[DATE_FMT_MAX];
    char managers[4096], routes[8192], customers[32768];
    struct {
        int k;
        char *out;
        size_t cap;
    } fields[] = {{C_GRID, code, sizeof code},           {C_NAME, name, sizeof name},
                  {C_UNIT, unit, sizeof unit},           {C_FROM, from_in, sizeof from_in},
                  {C_MANAGERS, managers, sizeof managers}, {C_ROUTES, routes, sizeof routes},
                  {C_CUSTOMERS, customers, sizeof customers}};
    bool fits = true;
    for (size_t i = 0; i < sizeof fields / sizeof fields[0]; i++)
        if (!field(r, x, fields[i].k, fields[i].out, fields[i].cap)) {
            row_error(x, line, columns[fields[i].k],
                      "longer than %zu characters (split a long list over several lines)", fields[i].cap - 1);
            fits = false;
        }
    if (!fits)
        return 0;
    pc_err fe = {0};
    bool ok = true;
    civil_date fd;
    if (!from_in[0])
        pc_errf(&fe, PC_EINVAL, "a date YYYY-MM-DD is required");
    if (!from_in[0] || date_parse(from_in, &fd, &fe) != 0) {
        row_error(x, line, "valid_from", "%s", fe.msg);
        ok = false;
    } else
        date_format(fd, from);
    grid_row g;
    bool created = false;
    pc_err ge = {0};
    org_row u;
    /* without its grid nothing else of the line can be checked */
    if (check_grid_code(code, &ge) != 0) {
        row_error(x, line, "grid", "%s", ge.msg);
        return 0;
    }
    if (check_grid_name(code, name, &ge) != 0) {
        row_error(x, line, "name", "%s", ge.msg);
        return 0;
    }
    if (unit_of(x->d, unit, &u, &ge) != 0) {
        if (ge.code == PC_EDB || ge.code == PC_EINTERNAL) {
            *e = ge;
            return -1;
        }
        row_error(x, line, "unit", "%s", ge.msg);
        return 0;
    }
    /* the grid is created as soon as its line names it well: later lines of the file refer to it */
    if (grid_ensure(x->d, x->actor, code, name, unit, &g, &created, &ge) != 0) {
        if (ge.code == PC_EDB || ge.code == PC_EINTERNAL) {
            *e = ge;
            return -1;
        }
        row_error(x, line, "grid", "%s", ge.msg);
        return 0;
    }
    if (created)
        x->rep->grids_created++;
    user_row mgrs[16];
    id_list l = {0};
    row_ctx c = {.x = x, .line = line, .g = &g, .from = from, .l = &l, .mgrs = mgrs};
    if (each_item(managers, row_manager, &c) != 0)
        ok = false;
    if (each_item(routes, row_route, &c) != 0)
        ok = false;
    if (each_item(customers, row_customer, &c) != 0)
        ok = false;
    if (ok && x->rep->error_rows == 0) {
        /* once a line is bad nothing will be kept: the rest is only checked */
        for (int i = 0; i < c.nmgrs; i++) {
            bool changed;
            if (set_manager(x->d, x->actor, &g, &mgrs[i], from, true, &changed, e) != 0) {
                id_free(&l);
                return -1;
            }
            if (changed)
                x->rep->managers++;
        }
        grid_assign_result ar = {0};
        pc_err we = {0};
        if (write_customers(x->d, x->actor, &g, &l, from, "import", x->first_id, &ar, &we) != 0) {
            if (we.code != PC_EINVAL) {
                *e = we;
                id_free(&l);
                return -1;
            }
            row_error(x, line, "customers", "%s", we.msg);
        }
        x->rep->customers += ar.assigned;
        x->rep->unchanged += ar.unchanged;
    }
    id_free(&l);
    return 0;
}

int grids_import(db *d, const char *actor, const char *path, grid_import_report *rep, pc_err *e)
{
    memset(rep, 0, sizeof *rep);
    import_ctx x = {.d = d, .actor = actor, .rep = rep};
    if (db_begin(d, e) != 0)
        return -1;
    int rc = -1;
    if (grid_customer_max_id(d, &x.first_id, e) != 0)
        goto done;
    if (csv_read_file(path, import_row, &x, e) != 0)
        goto done;
    if (!x.header) {
        pc_errf(e, PC_EINVAL, "'%s' is empty: expected a header row (docs/grids.md)", path);
        goto done;
    }
    if (rep->error_rows) {
        pc_errf(e, PC_EINVAL, "%ld of %ld lines have errors; nothing was imported", rep->error_rows, rep->rows);
        goto done;
    }
    /* a file that changes nothing (the same file again) leaves no trace either */
    if (rep->grids_created + rep->managers + rep->customers == 0) {
        rc = db_commit(d, e);
        goto done;
    }
    const char *base = strrchr(path, '/');
    base = base ? base + 1 : path;
    if (audit_event(d, actor, "grid_import", "grid", base,
                    json_pack("{s:s, s:I, s:I, s:I, s:I, s:I}", "file", base, "lines", (json_int_t)rep->rows, "grids",
                              (json_int_t)rep->grids_created, "managers", (json_int_t)rep->managers, "customers",
                              (json_int_t)rep->customers, "unchanged", (json_int_t)rep->unchanged),
                    e) != 0)
        goto done;
    rc = db_commit(d, e);
done:
    if (rc != 0)
        db_rollback(d);
    return rc;
}

void grid_import_report_free(grid_import_report *rep)
{
    buf_free(&rep->errors);
}

int grids_list(db *d, const char *scope_code, const char *date_in, const char *only_manager, int utc_offset,
               grid_summary_fn fn, void *ctx, pc_err *e)
{
    char date[DATE_FMT_MAX];
    if (date_in) {
        if (check_date("date", date_in, date, e) != 0)
            return -1;
    } else
        date_format(date_today(utc_offset), date);
    char path[160] = "/";
    if (scope_code && *scope_code) {
        org_row n;
        if (org_get(d, scope_code, &n, e) != 0)
            return -1;
        snprintf(path, sizeof path, "%s", n.path);
    }
    int64_t only = 0;
    if (only_manager) {
        user_row u;
        if (user_get(d, only_manager, &u, e) != 0)
            return -1;
        only = u.id;
    }
    return grid_list(d, path, date, only, fn, ctx, e);
}

json_t *grid_summary_json(const grid_summary *s)
{
    json_t *m = json_array();
    char tmp[sizeof s->managers];
    snprintf(tmp, sizeof tmp, "%s", s->managers);
    for (char *save = NULL, *t = strtok_r(tmp, ", ", &save); t; t = strtok_r(NULL, ", ", &save))
        json_array_append_new(m, json_string(t));
    return json_pack("{s:s, s:s, s:s, s:s, s:I, s:o}", "code", s->g.code, "name", s->g.name, "unit", s->g.unit_code,
                     "unit_name", s->unit_name, "customers", (json_int_t)s->customers, "managers", m);
}
