/* The demo's service grids (app/demo_grids.h). State Grid Sichuan runs 103 grids with 440
 * account managers for a province of 30 million customers; the demo's 50,000 customers in some
 * 30 units get two grids per unit (routes 1–20 and 21–40, DEMO routes run 1–40) and two managers
 * per grid. Everything goes through the use cases, audited like any assignment. */
#include "app/demo_grids.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "app/grids.h"
#include "app/users.h"
#include "store/repo.h"

enum { GRIDS_PER_UNIT = 2, ROUTES_PER_UNIT = 40, MANAGERS_PER_GRID = 2 };

static const char *const surnames[] = {"Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đặng", "Bùi", "Đỗ", "Ngô"};
static const char *const given[] = {"Văn Nam", "Thị Hạnh", "Minh Tuấn", "Thu Hà", "Quốc Việt", "Thị Liên",
                                    "Đức Anh", "Thị Yến", "Văn Hải", "Ngọc Lan", "Hữu Phước", "Thị Nga"};

typedef struct {
    char code[64][16];
    char name[64][256];
    int n;
} unit_list;

static int unit_of_tree(void *ctx, const org_row *r, const org_counts *counts)
{
    (void)counts;
    unit_list *u = ctx;
    if (strcmp(r->level, "unit") == 0 && u->n < 64) {
        snprintf(u->code[u->n], sizeof u->code[u->n], "%s", r->code);
        snprintf(u->name[u->n], sizeof u->name[u->n], "%s", r->name);
        u->n++;
    }
    return 0;
}

/* A generated account manager of a unit, without a password. */
static int add_manager(db *d, const char *actor, const char *unit, int k, char login[32], pc_err *e)
{
    snprintf(login, 32, "ql.%s.%d", unit, k);
    for (char *p = login; *p; p++)
        *p = (char)tolower((unsigned char)*p);
    char name[128];
    size_t h = 0;
    for (const char *p = login; *p; p++)
        h = h * 31 + (unsigned char)*p;
    snprintf(name, sizeof name, "%s %s", surnames[h % 10], given[(h / 10) % 12]);
    user_changes c = {name, "account_manager", unit, NULL, NULL, NULL, "vi", 0};
    return users_add(d, actor, login, &c, NULL, e);
}

int demo_grids(db *d, const char *actor, civil_date from_day, civil_date change_day, demo_grids_summary *out,
               pc_err *e)
{
    memset(out, 0, sizeof *out);
    char from[DATE_FMT_MAX], change[DATE_FMT_MAX];
    date_format(from_day, from);
    date_format(change_day, change);
    unit_list units = {0};
    if (org_list(d, "/PA/", 0, unit_of_tree, &units, e) != 0)
        return -1;
    if (db_begin(d, e) != 0)
        return -1;
    for (int u = 0; u < units.n; u++) {
        const char *unit = units.code[u];
        const char *place = strncmp(units.name[u], "Điện lực ", strlen("Điện lực ")) == 0
                                ? units.name[u] + strlen("Điện lực ")
                                : units.name[u];
        int k = 0;
        for (int g = 0; g < GRIDS_PER_UNIT; g++) {
            char code[32], name[300];
            snprintf(code, sizeof code, "%s-L%d", unit, g + 1);
            snprintf(name, sizeof name, "Lưới %s %d", place, g + 1);
            grid_row row;
            if (grids_add(d, actor, code, name, unit, &row, e) != 0)
                goto fail;
            out->grids++;
            for (int m = 0; m < MANAGERS_PER_GRID; m++) {
                char login[32];
                bool first = strcmp(unit, "PA0101") == 0 && g == 0 && m == 0;
                if (first)
                    snprintf(login, sizeof login, "ql.pa0101"); /* demo_users' account, with the password */
                else if (add_manager(d, actor, unit, ++k, login, e) != 0)
                    goto fail;
                else
                    out->managers++;
                bool changed;
                if (grids_set_manager(d, actor, code, login, from, true, &changed, e) != 0)
                    goto fail;
            }
            /* half of the unit's routes, the customers on them from the window's start */
            const char *routes[ROUTES_PER_UNIT / GRIDS_PER_UNIT];
            char rbuf[ROUTES_PER_UNIT / GRIDS_PER_UNIT][32];
            int nr = 0;
            enum { PER_GRID = ROUTES_PER_UNIT / GRIDS_PER_UNIT };
            for (int r = g * PER_GRID + 1; r <= (g + 1) * PER_GRID; r++) {
                snprintf(rbuf[nr], sizeof rbuf[nr], "%s-%03d", unit, r);
                routes[nr] = rbuf[nr];
                nr++;
            }
            /* a route with no customer (a small demo) is not an error here: assign those that have some */
            for (int r = 0; r < nr; r++) {
                grid_assign_result res;
                pc_err re = {0};
                if (grids_assign_customers(d, actor, code, &routes[r], 1, NULL, 0, from, &res, &re) == 0)
                    out->customers += res.assigned;
                else if (re.code != PC_EINVAL) {
                    *e = re;
                    goto fail;
                }
            }
        }
        /* one hand-over in the window: the unit's second grid passes from its first manager to a
         * new one, so the history shows a change */
        char login[32], gone[32];
        snprintf(gone, sizeof gone, "ql.%s.%d", unit, strcmp(unit, "PA0101") == 0 ? 2 : 3);
        for (char *p = gone; *p; p++)
            *p = (char)tolower((unsigned char)*p);
        char code[32];
        snprintf(code, sizeof code, "%s-L2", unit);
        bool changed;
        if (add_manager(d, actor, unit, ++k, login, e) != 0 ||
            grids_set_manager(d, actor, code, gone, change, false, &changed, e) != 0 ||
            grids_set_manager(d, actor, code, login, change, true, &changed, e) != 0)
            goto fail;
        out->managers++;
    }
    return db_commit(d, e);
fail:
    db_rollback(d);
    return -1;
}
