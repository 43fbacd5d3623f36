/* Report locks (DOMAIN 10): the guard every change consults, and lock / unlock. */
#include "app/locks.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/aging_report.h"
#include "app/audit.h"
#include "app/config.h"
#include "base/date.h"
#include "store/debt.h"
#include "store/repo.h"

#define GUARD_UNITS 64

struct lock_guard {
    db *d;
    lock_row *locks;
    int n, cap;
    /* the paths of the units seen so far (a run touches few) */
    struct {
        int64_t id;
        char path[160];
    } units[GUARD_UNITS];
    int nunits;
};

static int guard_add(void *ctx, const lock_row *r)
{
    lock_guard *g = ctx;
    if (g->n == g->cap) {
        int cap = g->cap ? g->cap * 2 : 8;
        lock_row *p = realloc(g->locks, sizeof *p * (size_t)cap);
        if (!p)
            return -1;
        g->locks = p;
        g->cap = cap;
    }
    g->locks[g->n++] = *r;
    return 0;
}

lock_guard *lock_guard_open(db *d, pc_err *e)
{
    lock_guard *g = calloc(1, sizeof *g);
    if (!g) {
        pc_errf(e, PC_EINTERNAL, "out of memory");
        return NULL;
    }
    g->d = d;
    if (lock_list(d, true, NULL, NULL, guard_add, g, e) != 0) {
        if (e && e->code == PC_OK)
            pc_errf(e, PC_EINTERNAL, "out of memory");
        lock_guard_close(g);
        return NULL;
    }
    return g;
}

void lock_guard_close(lock_guard *g)
{
    if (!g)
        return;
    free(g->locks);
    free(g);
}

static const char *unit_path(lock_guard *g, int64_t unit_id, char tmp[160], pc_err *e)
{
    for (int i = 0; i < g->nunits; i++)
        if (g->units[i].id == unit_id)
            return g->units[i].path;
    if (org_path_of(g->d, unit_id, tmp, e) != 0)
        return NULL;
    if (g->nunits < GUARD_UNITS) {
        g->units[g->nunits].id = unit_id;
        memcpy(g->units[g->nunits].path, tmp, 160);
        return g->units[g->nunits++].path;
    }
    return tmp;
}

int lock_guard_check(lock_guard *g, int64_t unit_id, const char *date, pc_err *e)
{
    if (g->n == 0)
        return 0;
    if (!date || strlen(date) < 7)
        return pc_errf(e, PC_EINVAL, "a change needs a date to be checked against report locks");
    char tmp[160];
    const char *path = NULL;
    for (int i = 0; i < g->n; i++) {
        const lock_row *l = &g->locks[i];
        if (strncmp(l->period, date, 7) != 0)
            continue;
        if (!path && !(path = unit_path(g, unit_id, tmp, e)))
            return -1;
        if (strncmp(path, l->org_path, strlen(l->org_path)) == 0)
            return pc_errf(e, PC_ECONFLICT,
                           "period %s of %s is locked (lock %lld by %s at %s): a change dated %.10s is refused; "
                           "post it in an open period",
                           l->period, l->org_code, (long long)l->id, l->locked_by, l->locked_at, date);
    }
    return 0;
}

int lock_check_unit(db *d, int64_t unit_id, const char *date, pc_err *e)
{
    lock_guard *g = lock_guard_open(d, e);
    if (!g)
        return -1;
    int rc = lock_guard_check(g, unit_id, date, e);
    lock_guard_close(g);
    return rc;
}

int lock_check_customer(db *d, int64_t customer_id, const char *date, pc_err *e)
{
    int64_t unit_id = 0;
    if (customer_unit_of(d, customer_id, &unit_id, e) != 0)
        return -1;
    return lock_check_unit(d, unit_id, date, e);
}

typedef struct {
    const char *path;
    int64_t id;
} covering_ctx;

static int covering_pick(void *ctx, const lock_row *r)
{
    covering_ctx *c = ctx;
    /* the lock's node is the scope or above it */
    if (!c->id && strncmp(c->path, r->org_path, strlen(r->org_path)) == 0)
        c->id = r->id;
    return 0;
}

int lock_covering(db *d, const char *scope_path, const char *period, int64_t *id, pc_err *e)
{
    covering_ctx c = {scope_path, 0};
    if (lock_list(d, true, period, scope_path, covering_pick, &c, e) != 0)
        return -1;
    *id = c.id;
    return 0;
}

/* ---- lock / unlock ---- */

typedef struct {
    const char *code;
    lock_row found;
} find_ctx;

static int find_node_lock(void *ctx, const lock_row *r)
{
    find_ctx *f = ctx;
    if (!f->found.id && strcmp(r->org_code, f->code) == 0)
        f->found = *r;
    return 0;
}

static int utc_offset(void)
{
    const pc_config *c = config_active();
    return c ? c->utc_offset_minutes : 420;
}

static provision_scheme scheme_of_config(void)
{
    const pc_config *c = config_active();
    provision_scheme s = PROVISION_GENERAL;
    if (c && c->debt.provision_scheme[0])
        provision_scheme_parse(c->debt.provision_scheme, &s);
    return s;
}

static int acting_node(db *d, const char *as_code, const org_row *scope, org_row *as, pc_err *e)
{
    if (!as_code) {
        *as = *scope;
        return 0;
    }
    if (org_get(d, as_code, as, e) != 0)
        return e->code == PC_ENOTFOUND ? pc_errf(e, PC_EINVAL, "--as: no org node '%s'", as_code) : -1;
    return 0;
}

int lock_period(db *d, const char *scope_code, const char *period, const char *as_code, const char *actor,
                int64_t *lock_id, pc_err *e)
{
    civil_month m;
    if (month_parse(period, &m, e) != 0)
        return pc_err_prefix(e, "--period");
    if (m >= month_of(date_today(utc_offset())))
        return pc_errf(e, PC_EINVAL, "--period %s has not ended: only past months are locked", period);
    org_row scope, as;
    if (org_get(d, scope_code, &scope, e) != 0)
        return e->code == PC_ENOTFOUND ? pc_errf(e, PC_EINVAL, "--scope: no org node '%s'", scope_code) : -1;
    if (acting_node(d, as_code, &scope, &as, e) != 0)
        return -1;
    if (strncmp(scope.path, as.path, strlen(as.path)) != 0)
        return pc_errf(e, PC_EFORBIDDEN, "%s may lock only its own subtree; %s is not under it", as.code, scope.code);
    if (db_begin(d, e) != 0)
        return -1;
    find_ctx f = {scope.code, {0}};
    if (lock_list(d, true, period, scope.path, find_node_lock, &f, e) != 0)
        goto fail;
    if (f.found.id) {
        pc_errf(e, PC_ECONFLICT, "period %s of %s is already locked (lock %lld by %s at %s)", period, scope.code,
                (long long)f.found.id, f.found.locked_by, f.found.locked_at);
        goto fail;
    }
    lock_row r;
    memset(&r, 0, sizeof r);
    r.org_id = scope.id;
    snprintf(r.period, sizeof r.period, "%s", period);
    timestamp_now(r.locked_at);
    snprintf(r.locked_by, sizeof r.locked_by, "%s", actor);
    if (lock_insert(d, &r, as.id, e) != 0 ||
        aging_snapshot_store(d, r.id, scope.code, month_last_day(m), scheme_of_config(), e) != 0)
        goto fail;
    char key[24];
    snprintf(key, sizeof key, "%lld", (long long)r.id);
    if (audit_event(d, actor, "lock", "report_lock", key,
                    json_pack("{s:s, s:s, s:s}", "scope", scope.code, "period", period, "as", as.code), e) != 0)
        goto fail;
    if (db_commit(d, e) != 0)
        goto fail;
    *lock_id = r.id;
    return 0;
fail:
    db_rollback(d);
    return -1;
}

int unlock_period(db *d, const char *scope_code, const char *period, const char *as_code, const char *reason,
                  const char *actor, pc_err *e)
{
    civil_month m;
    if (month_parse(period, &m, e) != 0)
        return pc_err_prefix(e, "--period");
    if (!reason || !*reason)
        return pc_errf(e, PC_EINVAL, "--reason is required to unlock");
    if (!as_code)
        return pc_errf(e, PC_EINVAL, "--as CODE is required: the node above the lock that unlocks it");
    org_row scope, as;
    if (org_get(d, scope_code, &scope, e) != 0)
        return e->code == PC_ENOTFOUND ? pc_errf(e, PC_EINVAL, "--scope: no org node '%s'", scope_code) : -1;
    if (acting_node(d, as_code, &scope, &as, e) != 0)
        return -1;
    /* the level above; a root (nothing above it) answers for itself */
    bool above = strncmp(scope.path, as.path, strlen(as.path)) == 0 && strcmp(scope.path, as.path) != 0;
    bool root_self = scope.parent_id == 0 && as.id == scope.id;
    if (!above && !root_self)
        return pc_errf(e, PC_EFORBIDDEN, "only a level above %s unlocks its reports; %s is not above it", scope.code,
                       as.code);
    if (db_begin(d, e) != 0)
        return -1;
    find_ctx f = {scope.code, {0}};
    if (lock_list(d, true, period, scope.path, find_node_lock, &f, e) != 0)
        goto fail;
    if (!f.found.id) {
        pc_errf(e, PC_ENOTFOUND, "period %s of %s is not locked", period, scope.code);
        goto fail;
    }
    char at[TIMESTAMP_FMT_MAX], key[24];
    timestamp_now(at);
    snprintf(key, sizeof key, "%lld", (long long)f.found.id);
    if (lock_unlock_insert(d, f.found.id, at, actor, as.id, reason, e) != 0 ||
        audit_event(d, actor, "unlock", "report_lock", key,
                    json_pack("{s:s, s:s, s:s, s:s}", "scope", scope.code, "period", period, "as", as.code, "reason",
                              reason),
                    e) != 0 ||
        db_commit(d, e) != 0)
        goto fail;
    return 0;
fail:
    db_rollback(d);
    return -1;
}

int locks_list(db *d, const char *scope_code, const char *period, bool all, lock_row_fn fn, void *ctx, pc_err *e)
{
    org_row node;
    if (scope_code && org_get(d, scope_code, &node, e) != 0)
        return e->code == PC_ENOTFOUND ? pc_errf(e, PC_EINVAL, "--scope: no org node '%s'", scope_code) : -1;
    return lock_list(d, !all, period, scope_code ? node.path : NULL, fn, ctx, e);
}
