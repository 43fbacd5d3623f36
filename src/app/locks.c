/* Report locks (DOMAIN 10): the guard every change consults, and lock / unlock. */
#include "app/locks.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/debt.h"

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
