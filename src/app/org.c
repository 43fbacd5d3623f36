/* Organisation tree use cases (see org.h). */
#include "app/org.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/fold.h"
#include "domain/customer.h"

int org_add(db *d, const char *actor, const char *code, const char *name, const char *parent_code,
            org_row *out, pc_err *e)
{
    org_level level;
    if (org_code_level(code, &level, e) != 0)
        return -1;
    if (!name || !name[0])
        return pc_errf(e, PC_EINVAL, "name: is empty");
    if (!text_is_utf8(name, strlen(name)) || strlen(name) >= sizeof out->name)
        return pc_errf(e, PC_EINVAL, "name: must be UTF-8 text under %zu bytes", sizeof out->name);

    /* The parent implied by the code: PA0101 → PA01 → PA. */
    char implied[16] = "";
    if (level == ORG_COMPANY)
        snprintf(implied, sizeof implied, "%.2s", code);
    else if (level == ORG_UNIT)
        snprintf(implied, sizeof implied, "%.4s", code);
    if (parent_code && parent_code[0] && implied[0] && strcmp(parent_code, implied) != 0)
        return pc_errf(e, PC_EINVAL, "--parent: %s %s belongs under %s, not %s", org_level_name(level), code,
                       implied, parent_code);
    const char *parent = implied[0] ? implied : (parent_code && parent_code[0] ? parent_code : NULL);
    if (level == ORG_GROUP && parent)
        return pc_errf(e, PC_EINVAL, "--parent: a group (%s) is the top of the tree", code);

    org_row r = {0};
    snprintf(r.code, sizeof r.code, "%s", code);
    snprintf(r.name, sizeof r.name, "%s", name);
    snprintf(r.level, sizeof r.level, "%s", org_level_name(level));
    if (db_begin(d, e) != 0)
        return -1;
    if (parent) {
        org_row p;
        if (org_get(d, parent, &p, e) != 0) {
            db_rollback(d);
            return pc_errf(e, PC_ENOTFOUND, "--parent: %s %s needs its parent %s, which does not exist yet",
                           org_level_name(level), code, parent);
        }
        org_level pl;
        org_code_level(p.code, &pl, NULL);
        if ((int)pl != (int)level - 1) {
            db_rollback(d);
            return pc_errf(e, PC_EINVAL, "--parent: %s is a %s; a %s sits under a %s", p.code, p.level,
                           org_level_name(level), org_level_name((org_level)(level - 1)));
        }
        r.parent_id = p.id;
        snprintf(r.parent_code, sizeof r.parent_code, "%s", p.code);
        if (strlen(p.path) + strlen(code) + 2 > sizeof r.path) {
            db_rollback(d);
            return pc_errf(e, PC_EINVAL, "org tree too deep under %s", p.code);
        }
        strcat(strcat(strcpy(r.path, p.path), code), "/");
    } else {
        snprintf(r.path, sizeof r.path, "/%s/", code);
    }
    json_t *detail = json_pack("{s:s, s:s, s:s, s:s?}", "code", r.code, "name", r.name, "level", r.level,
                               "parent", r.parent_code[0] ? r.parent_code : NULL);
    char *dj = json_dumps(detail, JSON_COMPACT | JSON_SORT_KEYS);
    json_decref(detail);
    int rc = org_insert(d, &r, e);
    if (rc == 0)
        rc = audit_append(d, actor, "org.add", "org_node", r.code, dj, e);
    free(dj);
    if (rc != 0 || db_commit(d, e) != 0) {
        db_rollback(d);
        return -1;
    }
    if (out)
        *out = r;
    return 0;
}

int org_scope_path(db *d, const char *scope_code, char path[160], const char **path_or_null, pc_err *e)
{
    *path_or_null = NULL;
    if (!scope_code || !scope_code[0])
        return 0;
    org_row r;
    if (org_get(d, scope_code, &r, e) != 0)
        return pc_err_prefix(e, "scope");
    snprintf(path, 160, "%s", r.path);
    *path_or_null = path;
    return 0;
}

typedef struct {
    org_row *v;
    int n, cap;
} unit_list;

static int add_unit_row(void *ctx, const org_row *r, const org_counts *counts)
{
    (void)counts;
    unit_list *l = ctx;
    if (strcmp(r->level, "unit") != 0)
        return 0;
    if (l->n == l->cap) {
        int cap = l->cap ? l->cap * 2 : 32;
        org_row *p = realloc(l->v, sizeof *p * (size_t)cap);
        if (!p)
            return -1;
        l->v = p;
        l->cap = cap;
    }
    l->v[l->n++] = *r;
    return 0;
}

static int by_code(const void *a, const void *b)
{
    return strcmp(((const org_row *)a)->code, ((const org_row *)b)->code);
}

int org_units(db *d, const char *scope_path, org_row **out, int *n, pc_err *e)
{
    unit_list l = {0};
    *out = NULL;
    *n = 0;
    int rc = org_list(d, scope_path, 0, add_unit_row, &l, e);
    if (rc != 0) {
        free(l.v);
        return e->code != PC_OK ? -1 : pc_errf(e, PC_EINTERNAL, "out of memory");
    }
    if (l.n > 1)
        qsort(l.v, (size_t)l.n, sizeof *l.v, by_code);
    *out = l.v;
    *n = l.n;
    return 0;
}
