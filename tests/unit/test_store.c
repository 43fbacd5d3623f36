/* The SQLite store: migrations from empty and on reopen, constraint errors as PC_ECONFLICT,
 * nested transactions, the audit chain and its tamper detection, customer round trips. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "store/db.h"
#include "store/repo.h"

static char dir[64], path[128];

static int setup(void **state)
{
    (void)state;
    strcpy(dir, "/tmp/powercis-store-XXXXXX");
    if (!mkdtemp(dir))
        return -1;
    snprintf(path, sizeof path, "%s/t.db", dir);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    char cmd[200];
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    return system(cmd);
}

static int count(void *ctx, const customer_hit *h)
{
    (void)h;
    (*(int *)ctx)++;
    return 0;
}

static int64_t scalar(db *d, const char *sql)
{
    pc_err e = {0};
    db_stmt *s = db_prepare(d, sql, &e);
    assert_non_null(s);
    assert_int_equal(db_step(s, &e), 1);
    int64_t v = db_col_int(s, 0);
    db_reset(s);
    return v;
}

static void test_migrations(void **state)
{
    (void)state;
    db *d;
    pc_err e = {0};
    assert_int_equal(db_open(path, &d, &e), 0);
    int64_t applied = scalar(d, "SELECT count(*) FROM schema_migrations");
    assert_true(applied >= 4);
    assert_int_equal(scalar(d, "SELECT max(version) FROM schema_migrations"), applied);
    assert_int_equal(scalar(d, "SELECT count(*) FROM sqlite_master WHERE name IN ('org_node','customer','contract',"
                               "'meter','audit_log','meter_read','invoice','invoice_line','einvoice_series')"), 9);
    assert_int_equal(scalar(d, "PRAGMA foreign_keys"), 1);
    db_close(d);
    assert_int_equal(db_open(path, &d, &e), 0); /* reopening applies nothing new */
    assert_int_equal(scalar(d, "SELECT count(*) FROM schema_migrations"), applied);
    db_close(d);
    assert_int_equal(db_open("/nonexistent-dir/x.db", &d, &e), -1);
    assert_int_equal(e.code, PC_EDB);
}

static void test_constraints_and_transactions(void **state)
{
    (void)state;
    db *d;
    pc_err e = {0};
    assert_int_equal(db_open(path, &d, &e), 0);
    org_row r = {0};
    strcpy(r.code, "PA");
    strcpy(r.name, "Tổng công ty");
    strcpy(r.level, "corporation");
    strcpy(r.path, "/PA/");
    assert_int_equal(org_insert(d, &r, &e), 0);
    org_row dup = r;
    assert_int_equal(org_insert(d, &dup, &e), -1);
    assert_int_equal(e.code, PC_ECONFLICT);
    assert_non_null(strstr(e.msg, "already exists"));
    /* CHECK constraints hold even for SQL written by hand */
    assert_int_equal(db_exec(d, "INSERT INTO org_node (code, name, level, path, created_at) VALUES ('X', 'x', 'planet', '/X/', 'now')", &e), -1);
    assert_int_equal(e.code, PC_ECONFLICT);
    /* nested: the inner savepoint rolls back alone */
    assert_int_equal(db_begin(d, &e), 0);
    assert_int_equal(db_exec(d, "INSERT INTO import_file (kind, sha256, name, rows, imported_at, imported_by) VALUES ('t', 'a', 'a', 1, 'now', 'me')", &e), 0);
    assert_int_equal(db_begin(d, &e), 0);
    assert_int_equal(db_tx_depth(d), 2);
    assert_int_equal(db_exec(d, "INSERT INTO import_file (kind, sha256, name, rows, imported_at, imported_by) VALUES ('t', 'b', 'b', 1, 'now', 'me')", &e), 0);
    db_rollback(d);
    assert_int_equal(db_commit(d, &e), 0);
    assert_int_equal(scalar(d, "SELECT count(*) FROM import_file"), 1);
    assert_int_equal(db_commit(d, &e), -1); /* no transaction open */
    db_close(d);
}

static void test_audit_chain(void **state)
{
    (void)state;
    db *d;
    pc_err e = {0};
    assert_int_equal(db_open(path, &d, &e), 0);
    for (int i = 0; i < 3; i++)
        assert_int_equal(audit_append(d, "tester", "x.do", "thing", "k", "{\"n\":1}", &e), 0);
    audit_verdict v;
    assert_int_equal(audit_verify(d, &v, &e), 0);
    assert_int_equal(v.entries, 3);
    assert_int_equal(v.first_bad_id, 0);
    assert_int_equal(db_exec(d, "UPDATE audit_log SET actor = 'x' WHERE id = 2", &e), -1);
    assert_non_null(strstr(e.msg, "append-only"));
    assert_int_equal(db_exec(d, "DROP TRIGGER audit_log_no_update; UPDATE audit_log SET detail = '{\"x\":1}' WHERE id = 2", &e), 0);
    assert_int_equal(audit_verify(d, &v, &e), 0);
    assert_int_equal(v.first_bad_id, 2);
    db_close(d);
}

static void test_customer_round_trip(void **state)
{
    (void)state;
    db *d;
    pc_err e = {0};
    assert_int_equal(db_open(path, &d, &e), 0);
    org_row p, c, u;
    assert_int_equal(org_get(d, "PA", &p, &e), 0);
    memset(&c, 0, sizeof c);
    strcpy(c.code, "PA01"); strcpy(c.name, "Công ty"); strcpy(c.level, "company"); strcpy(c.path, "/PA/PA01/");
    c.parent_id = p.id;
    assert_int_equal(org_insert(d, &c, &e), 0);
    memset(&u, 0, sizeof u);
    strcpy(u.code, "PA0101"); strcpy(u.name, "Điện lực"); strcpy(u.level, "unit"); strcpy(u.path, "/PA/PA01/PA0101/");
    u.parent_id = c.id;
    assert_int_equal(org_insert(d, &u, &e), 0);

    customer in;
    customer_defaults(&in);
    strcpy(in.code, "PA01010000001"); strcpy(in.unit, "PA0101"); strcpy(in.name, "Nguyễn Văn Đức");
    strcpy(in.address, "Số 5, Hà Đông"); strcpy(in.phone, "0912345678"); strcpy(in.route, "R1");
    strcpy(in.valid_from, "2024-01-01");
    in.purpose = PURPOSE_RESIDENTIAL; in.renter = true; in.persons = 6; in.est_kwh_month = 250;
    meter_spec m = {.multiplier = 1, .digits = 6};
    strcpy(m.serial, "M1");
    assert_int_equal(customer_insert(d, &in, u.id, &m, &e), 0);
    assert_true(in.id > 0 && m.id > 0);
    customer dup = in;
    assert_int_equal(customer_insert(d, &dup, u.id, NULL, &e), -1);
    assert_int_equal(e.code, PC_ECONFLICT);

    customer out;
    assert_int_equal(customer_get(d, "PA01010000001", NULL, &out, &e), 0);
    assert_string_equal(out.name, in.name);
    assert_string_equal(out.address, in.address);
    assert_string_equal(out.phone, in.phone);
    assert_string_equal(out.route, "R1");
    assert_string_equal(out.unit, "PA0101");
    assert_true(out.renter);
    assert_int_equal(out.persons, 6);
    assert_int_equal(out.est_kwh_month, 250);

    customer later = out;
    later.renter = false; later.persons = 0; later.households = 2;
    strcpy(later.valid_from, "2025-03-01");
    assert_int_equal(contract_append(d, &later, &e), 0);
    assert_int_equal(customer_get(d, "PA01010000001", "2025-02-28", &out, &e), 0);
    assert_int_equal(out.households, 1);
    assert_int_equal(customer_get(d, "PA01010000001", "2025-03-01", &out, &e), 0);
    assert_int_equal(out.households, 2);
    assert_int_equal(customer_get(d, "PA01010000001", "2023-12-31", &out, &e), -1);
    assert_int_equal(e.code, PC_ENOTFOUND);

    int hits = 0;
    assert_int_equal(customer_find_by_text(d, "duc nguyen", false, NULL, 10, count, &hits, &e), 0);
    assert_int_equal(hits, 1);
    hits = 0;
    assert_int_equal(customer_find_by_text(d, "du", true, "/PA/PA02/", 10, count, &hits, &e), 0);
    assert_int_equal(hits, 0); /* another company's scope */
    assert_int_equal(customer_find_by_text(d, "du", true, "/PA/PA01/", 10, count, &hits, &e), 0);
    assert_int_equal(hits, 1); /* "du" is the start of "duc" */
    hits = 0;
    assert_int_equal(customer_find_by_text(d, "du", false, NULL, 10, count, &hits, &e), 0);
    assert_int_equal(hits, 0); /* a whole word only */
    assert_int_equal(customer_find_by_text(d, "\"duc OR", false, NULL, 10, count, &hits, &e), 0);
    assert_int_equal(hits, 0); /* quotes and operators are plain text */
    db_close(d);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_migrations),
        cmocka_unit_test(test_constraints_and_transactions),
        cmocka_unit_test(test_audit_chain),
        cmocka_unit_test(test_customer_round_trip),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
