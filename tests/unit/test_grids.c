/* Service grids (app/grids, store/grid_repo, app/worklist): which row of a dated, append-only
 * history is in force on a day (ties on one day: the later row), who may manage a grid, which
 * customers a route brings, and the worklist's CSV (quoting, empty values). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "app/grids.h"
#include "app/org.h"
#include "app/users.h"
#include "app/worklist.h"
#include "store/db.h"
#include "store/grids.h"

static char dir[64];
static int counter;

static int group_setup(void **state)
{
    (void)state;
    strcpy(dir, "/tmp/powercis-grids-XXXXXX");
    return mkdtemp(dir) ? 0 : -1;
}

static int group_teardown(void **state)
{
    (void)state;
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    return system(cmd) == 0 ? 0 : -1;
}

/* PA > PA01 > PA0101, PA0102; customers 001, 002 on route R1 and 003 on R2 of PA0101, 004 on
 * R1 of PA0102; account managers am.a (PA0101), am.c (PA0102), a cashier. */
static int setup(void **state)
{
    char path[128];
    snprintf(path, sizeof path, "%s/g%d.db", dir, ++counter);
    db *d;
    pc_err e = {0};
    if (db_open(path, &d, &e) != 0)
        return -1;
    org_row r;
    if (org_add(d, "t", "PA", "Tổng công ty", NULL, &r, &e) || org_add(d, "t", "PA01", "Công ty", "PA", &r, &e) ||
        org_add(d, "t", "PA0101", "Điện lực A", "PA01", &r, &e) ||
        org_add(d, "t", "PA0102", "Điện lực B", "PA01", &r, &e))
        return -1;
    const char *sql =
        "INSERT INTO customer (code, unit_id, name, address, route, created_at, updated_at) "
        "SELECT 'PA01010000001', id, 'A', 'x', 'R1', '', '' FROM org_node WHERE code = 'PA0101' UNION ALL "
        "SELECT 'PA01010000002', id, 'B, \"b\"', 'x', 'R1', '', '' FROM org_node WHERE code = 'PA0101' UNION ALL "
        "SELECT 'PA01010000003', id, 'C', 'x', 'R2', '', '' FROM org_node WHERE code = 'PA0101' UNION ALL "
        "SELECT 'PA01020000004', id, 'D', 'x', 'R1', '', '' FROM org_node WHERE code = 'PA0102'";
    if (db_exec(d, sql, &e) != 0)
        return -1;
    user_changes a = {"Am A", "account_manager", "PA0101", NULL, NULL, NULL, "vi", 0};
    user_changes c = {"Am C", "account_manager", "PA0102", NULL, NULL, NULL, "vi", 0};
    user_changes k = {"Cashier", "cashier", "PA0101", NULL, NULL, NULL, "vi", 0};
    if (users_add(d, "t", "am.a", &a, NULL, &e) || users_add(d, "t", "am.c", &c, NULL, &e) ||
        users_add(d, "t", "cash", &k, NULL, &e))
        return -1;
    grid_row g;
    if (grids_add(d, "t", "G1", "Lưới 1", "PA0101", &g, &e) || grids_add(d, "t", "G2", "Lưới 2", "PA0101", &g, &e))
        return -1;
    *state = d;
    return 0;
}

static int teardown(void **state)
{
    db_close(*state);
    return 0;
}

static int64_t cid(db *d, const char *code)
{
    int64_t id;
    char path[160];
    pc_err e = {0};
    assert_int_equal(grid_customer_lookup(d, code, &id, path, sizeof path, &e), 0);
    return id;
}

static int64_t gid(db *d, const char *code)
{
    grid_row g;
    pc_err e = {0};
    assert_int_equal(grid_get(d, code, &g, &e), 0);
    return g.id;
}

static int64_t grid_on(db *d, const char *code, const char *day)
{
    int64_t g;
    pc_err e = {0};
    assert_int_equal(grid_customer_on(d, cid(d, code), day, &g, &e), 0);
    return g;
}

static void route_brings_the_units_customers_only(void **state)
{
    db *d = *state;
    const char *routes[] = {"R1"};
    grid_assign_result r;
    pc_err e = {0};
    assert_int_equal(grids_assign_customers(d, "t", "G1", routes, 1, NULL, 0, "2026-01-01", &r, &e), 0);
    assert_int_equal(r.assigned, 2); /* 001 and 002, not 004 of PA0102 on its own R1 */
    assert_int_equal(r.unchanged, 0);
    assert_int_equal(grid_on(d, "PA01010000001", "2026-01-01"), gid(d, "G1"));
    assert_int_equal(grid_on(d, "PA01020000004", "2026-06-01"), 0);
    /* again: nothing new */
    assert_int_equal(grids_assign_customers(d, "t", "G1", routes, 1, NULL, 0, "2026-01-01", &r, &e), 0);
    assert_int_equal(r.assigned, 0);
    assert_int_equal(r.unchanged, 2);
    const char *none[] = {"R9"};
    assert_int_equal(grids_assign_customers(d, "t", "G1", none, 1, NULL, 0, "2026-01-01", &r, &e), -1);
    assert_int_equal(e.code, PC_EINVAL);
    assert_string_equal(e.msg, "route 'R9': no customer of unit PA0101 is on it");
    const char *other[] = {"PA01020000004"};
    assert_int_equal(grids_assign_customers(d, "t", "G1", NULL, 0, other, 1, "2026-01-01", &r, &e), -1);
    assert_string_equal(e.msg, "customer PA01020000004 is not a customer of unit PA0101 (grid G1)");
}

static void history_in_force_by_date_and_row(void **state)
{
    db *d = *state;
    const char *one[] = {"PA01010000001"};
    grid_assign_result r;
    pc_err e = {0};
    assert_int_equal(grids_assign_customers(d, "t", "G1", NULL, 0, one, 1, "2026-01-01", &r, &e), 0);
    assert_int_equal(grids_assign_customers(d, "t", "G2", NULL, 0, one, 1, "2026-03-01", &r, &e), 0);
    /* a row dated before the latest one is history too: in force between its day and the next */
    assert_int_equal(grids_assign_customers(d, "t", NULL, NULL, 0, one, 1, "2026-02-01", &r, &e), 0);
    assert_int_equal(grid_on(d, "PA01010000001", "2025-12-31"), 0);
    assert_int_equal(grid_on(d, "PA01010000001", "2026-01-31"), gid(d, "G1"));
    assert_int_equal(grid_on(d, "PA01010000001", "2026-02-01"), 0);
    assert_int_equal(grid_on(d, "PA01010000001", "2026-03-01"), gid(d, "G2"));
    /* two rows on one day: the later one is in force */
    assert_int_equal(grids_assign_customers(d, "t", "G1", NULL, 0, one, 1, "2026-03-01", &r, &e), 0);
    assert_int_equal(r.assigned, 1);
    assert_int_equal(grid_on(d, "PA01010000001", "2026-03-01"), gid(d, "G1"));
}

static void managers_checked_and_dated(void **state)
{
    db *d = *state;
    bool changed, on;
    pc_err e = {0};
    assert_int_equal(grids_set_manager(d, "t", "G1", "cash", "2026-01-01", true, &changed, &e), -1);
    assert_string_equal(e.msg, "manager 'cash' is a cashier: an account_manager or unit_officer is expected");
    assert_int_equal(grids_set_manager(d, "t", "G1", "am.c", "2026-01-01", true, &changed, &e), -1);
    assert_string_equal(e.msg, "manager 'am.c' (scope PA0102) cannot see unit PA0101 of grid G1");
    assert_int_equal(grids_set_manager(d, "t", "G1", "am.a", "2026-01-01", true, &changed, &e), 0);
    assert_true(changed);
    assert_int_equal(grids_set_manager(d, "t", "G1", "am.a", "2026-02-01", true, &changed, &e), 0);
    assert_false(changed); /* already so on that day */
    assert_int_equal(grids_set_manager(d, "t", "G1", "am.a", "2026-04-01", false, &changed, &e), 0);
    assert_true(changed);
    user_row u;
    assert_int_equal(user_get(d, "am.a", &u, &e), 0);
    assert_int_equal(grid_manager_on(d, gid(d, "G1"), u.id, "2026-03-31", &on, &e), 0);
    assert_true(on);
    assert_int_equal(grid_manager_on(d, gid(d, "G1"), u.id, "2026-04-01", &on, &e), 0);
    assert_false(on);
    assert_int_equal(grid_manager_on(d, gid(d, "G1"), u.id, "2025-12-31", &on, &e), 0);
    assert_false(on);
    assert_int_equal(grids_set_manager(d, "t", "G1", "am.a", "2026-13-01", true, &changed, &e), -1);
    assert_int_equal(e.code, PC_EINVAL);
}

static void worklist_csv_quotes_and_empties(void **state)
{
    db *d = *state;
    const char *routes[] = {"R1"};
    grid_assign_result r;
    bool changed;
    pc_err e = {0};
    assert_int_equal(grids_assign_customers(d, "t", "G1", routes, 1, NULL, 0, "2026-01-01", &r, &e), 0);
    assert_int_equal(grids_set_manager(d, "t", "G1", "am.a", "2026-01-01", true, &changed, &e), 0);
    /* two overdue invoices of 002 (whose name holds a comma and quotes), one of 001 */
    const char *sql = "INSERT INTO open_item (invoice_id, customer_id, period, due_date, number, open, unit_id) "
                      "SELECT 1, id, '2026-01', '2026-02-10', 1, 150000, unit_id FROM customer "
                      "WHERE code = 'PA01010000002' UNION ALL "
                      "SELECT 2, id, '2026-02', '2026-03-10', 2, 70000, unit_id FROM customer "
                      "WHERE code = 'PA01010000002' UNION ALL "
                      "SELECT 3, id, '2026-02', '2026-03-12', 3, 90000, unit_id FROM customer "
                      "WHERE code = 'PA01010000001'";
    assert_int_equal(db_exec(d, sql, &e), 0);
    worklist_request q = {.manager = "am.a", .date = "2026-03-15"};
    json_t *w;
    assert_int_equal(worklist_build(d, &q, 420, &w, &e), 0);
    char *text = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&text, &len);
    assert_int_equal(worklist_write_csv(w, f), 0);
    fclose(f);
    assert_string_equal(text,
                        "\"section\",\"grid\",\"customer\",\"name\",\"address\",\"phone\",\"route\","
                        "\"amount\",\"count\",\"date\",\"days\",\"detail\",\"ref\"\n"
                        "\"overdue_debt\",\"G1\",\"PA01010000002\",\"B, \"\"b\"\"\",\"x\",\"\",\"R1\",\"220000\",\"2\","
                        "\"2026-02-10\",\"33\",\"\",\"\"\n"
                        "\"overdue_debt\",\"G1\",\"PA01010000001\",\"A\",\"x\",\"\",\"R1\",\"90000\",\"1\","
                        "\"2026-03-12\",\"3\",\"\",\"\"\n");
    free(text);
    json_t *s = json_array_get(json_object_get(w, "sections"), 0);
    assert_int_equal(json_integer_value(json_object_get(s, "count")), 2);
    assert_int_equal(json_integer_value(json_object_get(s, "amount")), 310000);
    json_decref(w);
    /* limit 1: one line listed, both counted */
    q.limit = 1;
    assert_int_equal(worklist_build(d, &q, 420, &w, &e), 0);
    s = json_array_get(json_object_get(w, "sections"), 0);
    assert_int_equal(json_array_size(json_object_get(s, "items")), 1);
    assert_int_equal(json_integer_value(json_object_get(s, "count")), 2);
    json_decref(w);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(route_brings_the_units_customers_only, setup, teardown),
        cmocka_unit_test_setup_teardown(history_in_force_by_date_and_row, setup, teardown),
        cmocka_unit_test_setup_teardown(managers_checked_and_dated, setup, teardown),
        cmocka_unit_test_setup_teardown(worklist_csv_quotes_and_empties, setup, teardown),
    };
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
