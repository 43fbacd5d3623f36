/* The SQLite store (store/db, store/repo): migrations on a fresh file and on reopen, constraint
 * errors as PC_ECONFLICT, nested transactions, the audit chain, customers, contracts and search. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sodium.h>
#include <unistd.h>

#include "base/fold.h"
#include "store/db.h"
#include "store/repo.h"

/* The embedded migrations (tools/embed.c writes them; store/migrate.c applies them). */
extern const struct {
    const char *name;
    const char *text;
} schema_files[];
extern const size_t schema_files_count;

static char dir[64];
static int db_counter;

/* Each test gets its own database file, so tests do not depend on each other's order. */
typedef struct {
    db *d;
    char path[128];
    int64_t unit_id, unit2_id; /* PA0101 and PA0201 */
} fixture;

static int group_setup(void **state)
{
    (void)state;
    strcpy(dir, "/tmp/powercis-store-XXXXXX");
    return mkdtemp(dir) ? 0 : -1;
}

static int group_teardown(void **state)
{
    (void)state;
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    return system(cmd) == 0 ? 0 : -1;
}

static int open_fresh(void **state)
{
    fixture *f = calloc(1, sizeof *f);
    if (!f)
        return -1;
    snprintf(f->path, sizeof f->path, "%s/t%d.db", dir, ++db_counter);
    pc_err e = {0};
    if (db_open(f->path, &f->d, &e) != 0) {
        fprintf(stderr, "db_open: %s\n", e.msg);
        free(f);
        return -1;
    }
    *state = f;
    return 0;
}

static int close_fixture(void **state)
{
    fixture *f = *state;
    if (f) {
        db_close(f->d);
        free(f);
    }
    return 0;
}

static int64_t scalar(db *d, const char *sql)
{
    pc_err e = {0};
    db_stmt *s = db_prepare(d, sql, &e);
    if (!s)
        fail_msg("prepare '%s': %s", sql, e.msg);
    if (db_step(s, &e) != 1)
        fail_msg("'%s' gave no row: %s", sql, e.msg);
    int64_t v = db_col_int(s, 0);
    db_reset(s);
    return v;
}

static void exec_ok(db *d, const char *sql)
{
    pc_err e = {0};
    if (db_exec(d, sql, &e) != 0)
        fail_msg("'%s': %s", sql, e.msg);
}

static int64_t add_org(db *d, const char *code, const char *name, const char *level, int64_t parent, const char *path)
{
    org_row r = {0};
    snprintf(r.code, sizeof r.code, "%s", code);
    snprintf(r.name, sizeof r.name, "%s", name);
    snprintf(r.level, sizeof r.level, "%s", level);
    snprintf(r.path, sizeof r.path, "%s", path);
    r.parent_id = parent;
    pc_err e = {0};
    if (org_insert(d, &r, &e) != 0)
        fail_msg("org_insert %s: %s", code, e.msg);
    assert_true(r.id > 0);
    return r.id;
}

/* PA ─ PA01 ─ PA0101, and PA02 ─ PA0201 for scope tests. */
static void make_tree(fixture *f)
{
    int64_t pa = add_org(f->d, "PA", "Tổng công ty Điện lực miền Bắc", "corporation", 0, "/PA/");
    int64_t pa01 = add_org(f->d, "PA01", "Công ty Điện lực Nam Định", "company", pa, "/PA/PA01/");
    f->unit_id = add_org(f->d, "PA0101", "Điện lực Thành phố Nam Định", "unit", pa01, "/PA/PA01/PA0101/");
    int64_t pa02 = add_org(f->d, "PA02", "Công ty Điện lực Phú Thọ", "company", pa, "/PA/PA02/");
    f->unit2_id = add_org(f->d, "PA0201", "Điện lực Việt Trì", "unit", pa02, "/PA/PA02/PA0201/");
}

static customer residential(const char *code, const char *name, const char *address)
{
    customer c;
    customer_defaults(&c);
    snprintf(c.code, sizeof c.code, "%s", code);
    snprintf(c.unit, sizeof c.unit, "%.6s", code);
    snprintf(c.name, sizeof c.name, "%s", name);
    snprintf(c.address, sizeof c.address, "%s", address);
    strcpy(c.valid_from, "2024-01-01");
    return c;
}

static void insert_ok(fixture *f, customer *c, int64_t unit_id, meter_spec *m)
{
    pc_err e = {0};
    if (customer_insert(f->d, c, unit_id, m, &e) != 0)
        fail_msg("customer_insert %s: %s", c->code, e.msg);
    assert_true(c->id > 0);
}

/* ---- migrations ---- */

static void test_migrations_on_fresh_file(void **state)
{
    fixture *f = *state;
    assert_true(schema_files_count >= 1);
    assert_int_equal(scalar(f->d, "SELECT count(*) FROM schema_migrations"), (int64_t)schema_files_count);
    pc_err e = {0};
    db_stmt *s = db_prepare(f->d, "SELECT version, name, applied_at FROM schema_migrations ORDER BY version", &e);
    assert_non_null(s);
    for (size_t i = 0; i < schema_files_count; i++) {
        assert_int_equal(db_step(s, &e), 1);
        assert_int_equal(db_col_int(s, 0), atoi(schema_files[i].name));
        assert_string_equal(db_col_text(s, 1), schema_files[i].name);
        assert_int_equal(strlen(db_col_text(s, 2)), 20); /* an ISO UTC instant */
    }
    assert_int_equal(db_step(s, &e), 0);
    db_reset(s);
    assert_string_equal(schema_files[0].name, "001_init.sql");
    static const char *const tables[] = {"org_node", "customer", "contract", "meter", "audit_log", "customer_fts"};
    for (size_t i = 0; i < sizeof tables / sizeof *tables; i++) {
        db_stmt *q = db_prepare(f->d, "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = ?", &e);
        assert_non_null(q);
        db_bind_text(q, 1, tables[i]);
        assert_int_equal(db_step(q, &e), 1);
        if (db_col_int(q, 0) != 1)
            fail_msg("table %s is missing", tables[i]);
        db_reset(q);
    }
    assert_int_equal(scalar(f->d, "SELECT count(*) FROM sqlite_master WHERE type = 'trigger' AND name IN "
                                  "('audit_log_no_update', 'audit_log_no_delete', 'contract_no_update')"), 3);
    assert_int_equal(scalar(f->d, "PRAGMA foreign_keys"), 1);
    assert_int_equal(db_engine_of(f->d), DB_SQLITE);
    assert_int_equal(db_tx_depth(f->d), 0);
}

static void test_reopen_applies_nothing_new(void **state)
{
    fixture *f = *state;
    make_tree(f);
    int64_t before = scalar(f->d, "SELECT count(*) FROM schema_migrations");
    exec_ok(f->d, "CREATE TEMP TABLE t AS SELECT group_concat(version || name || applied_at) AS v FROM schema_migrations");
    pc_err e = {0};
    db_stmt *s = db_prepare(f->d, "SELECT v FROM t", &e);
    assert_int_equal(db_step(s, &e), 1);
    char *rows = strdup(db_col_text(s, 0));
    db_reset(s);
    db_close(f->d);
    f->d = NULL;
    assert_int_equal(db_open(f->path, &f->d, &e), 0);
    assert_int_equal(scalar(f->d, "SELECT count(*) FROM schema_migrations"), before);
    s = db_prepare(f->d, "SELECT group_concat(version || name || applied_at) FROM schema_migrations", &e);
    assert_int_equal(db_step(s, &e), 1);
    assert_string_equal(db_col_text(s, 0), rows);
    db_reset(s);
    free(rows);
    org_row r;
    assert_int_equal(org_get(f->d, "PA0101", &r, &e), 0); /* the data is still there */
    assert_string_equal(r.parent_code, "PA01");
}

static void test_open_unwritable_path(void **state)
{
    (void)state;
    db *d = NULL;
    pc_err e = {0};
    assert_int_equal(db_open("/nonexistent-dir/x.db", &d, &e), -1);
    assert_int_equal(e.code, PC_EDB);
    assert_non_null(strstr(e.msg, "/nonexistent-dir/x.db"));
}

/* ---- constraints ---- */

static void test_org_duplicate_is_conflict(void **state)
{
    fixture *f = *state;
    make_tree(f);
    org_row dup = {0};
    strcpy(dup.code, "PA01");
    strcpy(dup.name, "again");
    strcpy(dup.level, "company");
    strcpy(dup.path, "/PA/PA01b/");
    pc_err e = {0};
    assert_int_equal(org_insert(f->d, &dup, &e), -1);
    assert_int_equal(e.code, PC_ECONFLICT);
    assert_non_null(strstr(e.msg, "PA01"));
    assert_non_null(strstr(e.msg, "already exists"));
    assert_int_equal(scalar(f->d, "SELECT count(*) FROM org_node WHERE code = 'PA01'"), 1);

    org_row r;
    assert_int_equal(org_get(f->d, "PA09", &r, &e), -1);
    assert_int_equal(e.code, PC_ENOTFOUND);
    assert_non_null(strstr(e.msg, "PA09"));
    /* a CHECK on a hand-written row is a conflict too */
    assert_int_equal(db_exec(f->d, "INSERT INTO org_node (code, name, level, path, created_at) "
                                   "VALUES ('X', 'x', 'planet', '/X/', 'now')", &e), -1);
    assert_int_equal(e.code, PC_ECONFLICT);
}

static void test_customer_duplicate_is_conflict(void **state)
{
    fixture *f = *state;
    make_tree(f);
    customer a = residential("PA01010000001", "Nguyễn Văn A", "Xóm 1");
    insert_ok(f, &a, f->unit_id, NULL);
    customer b = residential("PA01010000001", "Trần Thị B", "Xóm 2");
    pc_err e = {0};
    assert_int_equal(customer_insert(f->d, &b, f->unit_id, NULL, &e), -1);
    assert_int_equal(e.code, PC_ECONFLICT);
    assert_non_null(strstr(e.msg, "customer_code"));
    assert_non_null(strstr(e.msg, "PA01010000001"));
    assert_int_equal(scalar(f->d, "SELECT count(*) FROM customer"), 1);
    customer out;
    assert_int_equal(customer_get(f->d, "PA01010000001", NULL, &out, &e), 0);
    assert_string_equal(out.name, "Nguyễn Văn A");
}

static void test_contract_check_constraints(void **state)
{
    fixture *f = *state;
    make_tree(f);
    customer a = residential("PA01010000001", "Nguyễn Văn A", "Xóm 1");
    insert_ok(f, &a, f->unit_id, NULL);
    char sql[512];
    pc_err e = {0};
    snprintf(sql, sizeof sql, "INSERT INTO contract (customer_id, valid_from, purpose, created_at) "
                              "VALUES (%lld, '2025-01-01', 'x', 'now')", (long long)a.id);
    assert_int_equal(db_exec(f->d, sql, &e), -1);
    assert_int_equal(e.code, PC_ECONFLICT);
    assert_non_null(strstr(e.msg, "CHECK"));
    snprintf(sql, sizeof sql, "INSERT INTO contract (customer_id, valid_from, purpose, voltage, created_at) "
                              "VALUES (%lld, '2025-01-01', 'business', '35kV', 'now')", (long long)a.id);
    assert_int_equal(db_exec(f->d, sql, &e), -1);
    assert_int_equal(e.code, PC_ECONFLICT);
    /* a contract for no customer: the foreign key */
    assert_int_equal(db_exec(f->d, "INSERT INTO contract (customer_id, valid_from, purpose, created_at) "
                                   "VALUES (999, '2025-01-01', 'residential', 'now')", &e), -1);
    assert_int_equal(e.code, PC_ECONFLICT);
    /* contracts are append-only */
    assert_int_equal(db_exec(f->d, "UPDATE contract SET households = 5", &e), -1);
    assert_non_null(strstr(e.msg, "append-only"));
    assert_int_equal(scalar(f->d, "SELECT count(*) FROM contract"), 1);
}

/* ---- transactions ---- */

static void test_nested_rollback_inner_commit_outer(void **state)
{
    fixture *f = *state;
    pc_err e = {0};
    assert_int_equal(db_begin(f->d, &e), 0);
    add_org(f->d, "PA", "outer", "corporation", 0, "/PA/");
    assert_int_equal(db_begin(f->d, &e), 0);
    assert_int_equal(db_tx_depth(f->d), 2);
    add_org(f->d, "PB", "inner", "corporation", 0, "/PB/");
    assert_int_equal(scalar(f->d, "SELECT count(*) FROM org_node"), 2);
    db_rollback(f->d);
    assert_int_equal(db_tx_depth(f->d), 1);
    assert_int_equal(scalar(f->d, "SELECT count(*) FROM org_node"), 1);
    add_org(f->d, "PC", "outer again", "corporation", 0, "/PC/"); /* the outer one is still usable */
    assert_int_equal(db_commit(f->d, &e), 0);
    assert_int_equal(db_tx_depth(f->d), 0);
    assert_int_equal(scalar(f->d, "SELECT count(*) FROM org_node WHERE code IN ('PA', 'PC')"), 2);
    assert_int_equal(scalar(f->d, "SELECT count(*) FROM org_node WHERE code = 'PB'"), 0);
}

static void test_nested_commit_inner_rollback_outer(void **state)
{
    fixture *f = *state;
    pc_err e = {0};
    assert_int_equal(db_begin(f->d, &e), 0);
    add_org(f->d, "PA", "outer", "corporation", 0, "/PA/");
    assert_int_equal(db_begin(f->d, &e), 0);
    add_org(f->d, "PB", "inner", "corporation", 0, "/PB/");
    assert_int_equal(db_commit(f->d, &e), 0); /* releases the savepoint only */
    assert_int_equal(db_tx_depth(f->d), 1);
    db_rollback(f->d);
    assert_int_equal(db_tx_depth(f->d), 0);
    assert_int_equal(scalar(f->d, "SELECT count(*) FROM org_node"), 0);
}

static void test_three_levels(void **state)
{
    fixture *f = *state;
    pc_err e = {0};
    assert_int_equal(db_begin(f->d, &e), 0);
    add_org(f->d, "PA", "1", "corporation", 0, "/PA/");
    assert_int_equal(db_begin(f->d, &e), 0);
    add_org(f->d, "PB", "2", "corporation", 0, "/PB/");
    assert_int_equal(db_begin(f->d, &e), 0);
    assert_int_equal(db_tx_depth(f->d), 3);
    add_org(f->d, "PC", "3", "corporation", 0, "/PC/");
    db_rollback(f->d); /* PC gone */
    assert_int_equal(db_commit(f->d, &e), 0); /* PB kept within the outer */
    assert_int_equal(db_commit(f->d, &e), 0);
    assert_int_equal(scalar(f->d, "SELECT count(*) FROM org_node"), 2);
    assert_int_equal(scalar(f->d, "SELECT count(*) FROM org_node WHERE code = 'PC'"), 0);
}

static void test_commit_without_transaction(void **state)
{
    fixture *f = *state;
    pc_err e = {0};
    assert_int_equal(db_commit(f->d, &e), -1);
    assert_int_equal(e.code, PC_EINTERNAL);
    db_rollback(f->d); /* harmless */
    assert_int_equal(db_tx_depth(f->d), 0);
}

/* ---- audit log ---- */

static void append3(fixture *f)
{
    pc_err e = {0};
    static const char *const keys[] = {"PA01010000001", "PA01010000002", "PA01010000003"};
    for (int i = 0; i < 3; i++)
        if (audit_append(f->d, "tester", "customer.create", "customer", keys[i], "{\"n\":1}", &e) != 0)
            fail_msg("audit_append: %s", e.msg);
}

static void test_audit_chain_intact(void **state)
{
    fixture *f = *state;
    append3(f);
    audit_verdict v;
    pc_err e = {0};
    assert_int_equal(audit_verify(f->d, &v, &e), 0);
    assert_int_equal(v.entries, 3);
    assert_int_equal(v.first_bad_id, 0);
    assert_string_equal(v.why, "");
    /* the chain: each row points at the previous row's hash, the first at the genesis hash */
    assert_int_equal(scalar(f->d, "SELECT count(*) FROM audit_log a JOIN audit_log b ON b.id = a.id + 1 "
                                  "WHERE b.prev_hash = a.hash"), 2);
    assert_int_equal(scalar(f->d, "SELECT prev_hash = '" "0000000000000000000000000000000000000000000000000000000000000000"
                                  "' FROM audit_log WHERE id = 1"), 1);
    assert_int_equal(scalar(f->d, "SELECT count(DISTINCT hash) FROM audit_log WHERE length(hash) = 64"), 3);
    /* detail defaults to {} */
    assert_int_equal(audit_append(f->d, "tester", "x", "y", "z", NULL, &e), 0);
    assert_int_equal(scalar(f->d, "SELECT detail = '{}' FROM audit_log WHERE id = 4"), 1);
    assert_int_equal(audit_verify(f->d, &v, &e), 0);
    assert_int_equal(v.entries, 4);
    assert_int_equal(v.first_bad_id, 0);
}

static void test_audit_empty_log_is_intact(void **state)
{
    fixture *f = *state;
    audit_verdict v;
    assert_int_equal(audit_verify(f->d, &v, NULL), 0);
    assert_int_equal(v.entries, 0);
    assert_int_equal(v.first_bad_id, 0);
}

static void test_audit_update_and_delete_refused(void **state)
{
    fixture *f = *state;
    append3(f);
    pc_err e = {0};
    assert_int_equal(db_exec(f->d, "UPDATE audit_log SET actor = 'x' WHERE id = 2", &e), -1);
    assert_non_null(strstr(e.msg, "append-only"));
    assert_int_equal(db_exec(f->d, "DELETE FROM audit_log WHERE id = 3", &e), -1);
    assert_non_null(strstr(e.msg, "append-only"));
    assert_int_equal(scalar(f->d, "SELECT count(*) FROM audit_log WHERE actor = 'tester'"), 3);
}

static void test_audit_tamper_detected(void **state)
{
    fixture *f = *state;
    append3(f);
    exec_ok(f->d, "DROP TRIGGER audit_log_no_update; UPDATE audit_log SET detail='{\"x\":1}' WHERE id=2");
    audit_verdict v;
    pc_err e = {0};
    assert_int_equal(audit_verify(f->d, &v, &e), 0);
    assert_int_equal(v.first_bad_id, 2);
    assert_non_null(strstr(v.why, "2"));
    assert_non_null(strstr(v.why, "changed"));
}

/* The row hash as audit_repo.c defines it (SHA-256 over length-prefixed fields), so the test can
 * play a forger who rewrites a row AND its hash: the next row's link then gives it away. */
static void forge_hash(const char *const fields[8], char out[65])
{
    crypto_hash_sha256_state st;
    unsigned char digest[crypto_hash_sha256_BYTES];
    crypto_hash_sha256_init(&st);
    for (int i = 0; i < 8; i++) {
        uint64_t n = strlen(fields[i]);
        unsigned char len[8];
        for (int k = 0; k < 8; k++)
            len[k] = (unsigned char)(n >> (8 * k));
        crypto_hash_sha256_update(&st, len, sizeof len);
        crypto_hash_sha256_update(&st, (const unsigned char *)fields[i], n);
    }
    crypto_hash_sha256_final(&st, digest);
    sodium_bin2hex(out, 65, digest, sizeof digest);
}

static void test_audit_rehashed_row_breaks_the_next(void **state)
{
    fixture *f = *state;
    append3(f);
    pc_err e = {0};
    db_stmt *s = db_prepare(f->d, "SELECT prev_hash, id, at, actor, action, entity, entity_key, detail, hash "
                                  "FROM audit_log WHERE id = 2", &e);
    assert_int_equal(db_step(s, &e), 1);
    char cols[9][128];
    for (int i = 0; i < 9; i++)
        snprintf(cols[i], sizeof cols[i], "%s", db_col_text(s, i));
    db_reset(s);
    /* the formula reproduces the stored hash of the untouched row */
    const char *fields[8] = {cols[0], cols[1], cols[2], cols[3], cols[4], cols[5], cols[6], cols[7]};
    char h[65];
    forge_hash(fields, h);
    assert_string_equal(h, cols[8]);
    /* forge: new detail, matching hash */
    fields[7] = "{\"n\":999}";
    forge_hash(fields, h);
    char sql[256];
    snprintf(sql, sizeof sql, "DROP TRIGGER audit_log_no_update; "
                              "UPDATE audit_log SET detail = '{\"n\":999}', hash = '%s' WHERE id = 2", h);
    exec_ok(f->d, sql);
    audit_verdict v;
    assert_int_equal(audit_verify(f->d, &v, &e), 0);
    assert_int_equal(v.first_bad_id, 3);
    assert_non_null(strstr(v.why, "does not point at"));
}

static void test_audit_gap_detected(void **state)
{
    fixture *f = *state;
    append3(f);
    exec_ok(f->d, "DROP TRIGGER audit_log_no_delete; DELETE FROM audit_log WHERE id = 2");
    audit_verdict v;
    assert_int_equal(audit_verify(f->d, &v, NULL), 0);
    assert_int_equal(v.first_bad_id, 3);
    assert_non_null(strstr(v.why, "missing"));
}

static void test_audit_append_rolls_back_with_caller(void **state)
{
    fixture *f = *state;
    pc_err e = {0};
    assert_int_equal(db_begin(f->d, &e), 0);
    assert_int_equal(audit_append(f->d, "tester", "x", "y", "z", "{}", &e), 0);
    assert_int_equal(db_tx_depth(f->d), 1);
    db_rollback(f->d);
    assert_int_equal(scalar(f->d, "SELECT count(*) FROM audit_log"), 0);
    append3(f); /* the chain starts again at id 1 */
    audit_verdict v;
    assert_int_equal(audit_verify(f->d, &v, &e), 0);
    assert_int_equal(v.entries, 3);
    assert_int_equal(v.first_bad_id, 0);
}

/* ---- customers ---- */

static void assert_same_customer(const customer *got, const customer *want)
{
    assert_int_equal(got->id, want->id);
    assert_string_equal(got->code, want->code);
    assert_string_equal(got->unit, want->unit);
    assert_string_equal(got->name, want->name);
    assert_string_equal(got->address, want->address);
    assert_string_equal(got->phone, want->phone);
    assert_string_equal(got->route, want->route);
    assert_string_equal(got->status, want->status);
    assert_string_equal(got->valid_from, want->valid_from);
    assert_int_equal(got->purpose, want->purpose);
    assert_string_equal(got->voltage, want->voltage);
    assert_int_equal(got->households, want->households);
    assert_int_equal(got->renter, want->renter);
    assert_int_equal(got->persons, want->persons);
    assert_int_equal(got->tou, want->tou);
    assert_string_equal(got->payment_mode, want->payment_mode);
    assert_int_equal(got->payment_term_days, want->payment_term_days);
    assert_int_equal(got->periods_per_month, want->periods_per_month);
    assert_int_equal(got->est_kwh_month, want->est_kwh_month);
}

typedef struct {
    int n;
    meter_spec m[4];
    char installed[4][11];
    int removed;
} meters_seen;

static int collect_meter(void *ctx, const meter_spec *m, const char *installed_on, const char *removed_on)
{
    meters_seen *s = ctx;
    if (s->n < 4) {
        s->m[s->n] = *m;
        snprintf(s->installed[s->n], sizeof s->installed[0], "%s", installed_on);
    }
    s->n++;
    s->removed += removed_on != NULL;
    return 0;
}

static void test_customer_round_trip_residential(void **state)
{
    fixture *f = *state;
    make_tree(f);
    customer in = residential("PA01010000001", "Nguyễn Văn Đức", "Số 5, ngõ 10, phố Huế, Hà Đông");
    strcpy(in.phone, "0912345678");
    strcpy(in.route, "GCS-07");
    in.renter = true;
    in.persons = 6;
    in.est_kwh_month = 250;
    in.payment_term_days = 10;
    meter_spec m = {.multiplier = 1, .digits = 6};
    strcpy(m.serial, "M-0001");
    pc_err e = {0};
    assert_int_equal(customer_validate(&in, &e), 0);
    insert_ok(f, &in, f->unit_id, &m);
    assert_true(m.id > 0);

    customer out;
    memset(&out, 0x5a, sizeof out);
    assert_int_equal(customer_get(f->d, "PA01010000001", NULL, &out, &e), 0);
    assert_same_customer(&out, &in);
    memset(&out, 0x5a, sizeof out);
    assert_int_equal(customer_get_by_id(f->d, in.id, "2024-06-30", &out, &e), 0);
    assert_same_customer(&out, &in);

    meters_seen ms = {0};
    assert_int_equal(meter_list(f->d, in.id, collect_meter, &ms, &e), 0);
    assert_int_equal(ms.n, 1);
    assert_string_equal(ms.m[0].serial, "M-0001");
    assert_false(ms.m[0].tou);
    assert_int_equal(ms.m[0].multiplier, 1);
    assert_int_equal(ms.m[0].digits, 6);
    assert_false(ms.m[0].amr);
    assert_string_equal(ms.installed[0], "2024-01-01");
    assert_int_equal(ms.removed, 0);

    int64_t max = 0;
    assert_int_equal(customer_max_id(f->d, &max, &e), 0);
    assert_int_equal(max, in.id);
    assert_int_equal(customer_get(f->d, "PA01019999999", NULL, &out, &e), -1);
    assert_int_equal(e.code, PC_ENOTFOUND);
}

static void test_customer_round_trip_business(void **state)
{
    fixture *f = *state;
    make_tree(f);
    customer in = residential("PA02010000042", "Công ty TNHH Dệt May Nam Định", "KCN Hòa Xá, lô B2");
    strcpy(in.unit, "PA0201");
    in.purpose = PURPOSE_BUSINESS;
    strcpy(in.voltage, "22-110kV");
    in.tou = true;
    strcpy(in.payment_mode, "prepaid");
    in.payment_term_days = 0;
    in.periods_per_month = 3;
    in.est_kwh_month = 150000;
    strcpy(in.status, "disconnected");
    strcpy(in.valid_from, "2025-02-15");
    meter_spec m = {.tou = true, .multiplier = 200, .digits = 7, .amr = true};
    strcpy(m.serial, "TOU-77");
    pc_err e = {0};
    assert_int_equal(customer_validate(&in, &e), 0);
    insert_ok(f, &in, f->unit2_id, &m);

    customer out;
    memset(&out, 0x5a, sizeof out);
    assert_int_equal(customer_get(f->d, in.code, NULL, &out, &e), 0);
    assert_same_customer(&out, &in);
    assert_string_equal(out.phone, ""); /* no phone, no route: empty, stored as NULL */
    assert_string_equal(out.route, "");
    assert_int_equal(scalar(f->d, "SELECT count(*) FROM customer WHERE phone IS NULL AND route IS NULL"), 1);

    meters_seen ms = {0};
    assert_int_equal(meter_list(f->d, in.id, collect_meter, &ms, &e), 0);
    assert_int_equal(ms.n, 1);
    assert_true(ms.m[0].tou);
    assert_int_equal(ms.m[0].multiplier, 200);
    assert_int_equal(ms.m[0].digits, 7);
    assert_true(ms.m[0].amr);
    assert_string_equal(ms.installed[0], "2025-02-15");

    /* the same serial on another customer is refused */
    customer other = residential("PA01010000002", "Lê C", "Xóm 3");
    assert_int_equal(customer_insert(f->d, &other, f->unit_id, &m, &e), -1);
    assert_int_equal(e.code, PC_ECONFLICT);
    assert_non_null(strstr(e.msg, "TOU-77"));
}

typedef struct {
    int n;
    char valid_from[4][11];
    int households[4];
} history_seen;

static int collect_version(void *ctx, const customer *v)
{
    history_seen *h = ctx;
    if (h->n < 4) {
        snprintf(h->valid_from[h->n], sizeof h->valid_from[0], "%s", v->valid_from);
        h->households[h->n] = v->households;
    }
    h->n++;
    return 0;
}

static void test_contract_versions_as_of(void **state)
{
    fixture *f = *state;
    make_tree(f);
    customer c = residential("PA01010000001", "Nguyễn Văn A", "Xóm 1");
    c.renter = true;
    c.persons = 6;
    insert_ok(f, &c, f->unit_id, NULL);

    customer later = c;
    later.renter = false;
    later.persons = 0;
    later.households = 2;
    strcpy(later.valid_from, "2025-03-01");
    pc_err e = {0};
    assert_int_equal(contract_append(f->d, &later, &e), 0);

    static const struct {
        const char *as_of;
        int households, persons;
        const char *valid_from;
    } cases[] = {
        {"2024-01-01", 1, 6, "2024-01-01"}, /* the first day of the first version */
        {"2025-02-28", 1, 6, "2024-01-01"},
        {"2025-03-01", 2, 0, "2025-03-01"}, /* the first day of the new version */
        {"2030-12-31", 2, 0, "2025-03-01"},
        {NULL, 2, 0, "2025-03-01"},         /* the latest */
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        customer out;
        if (customer_get(f->d, c.code, cases[i].as_of, &out, &e) != 0)
            fail_msg("as of %s: %s", cases[i].as_of ? cases[i].as_of : "latest", e.msg);
        assert_int_equal(out.households, cases[i].households);
        assert_int_equal(out.persons, cases[i].persons);
        assert_int_equal(out.renter, cases[i].persons != 0);
        assert_string_equal(out.valid_from, cases[i].valid_from);
        assert_string_equal(out.name, "Nguyễn Văn A");
    }
    customer out;
    assert_int_equal(customer_get(f->d, c.code, "2023-12-31", &out, &e), -1);
    assert_int_equal(e.code, PC_ENOTFOUND);
    assert_non_null(strstr(e.msg, "2023-12-31"));

    /* a second version on the same day is a conflict */
    assert_int_equal(contract_append(f->d, &later, &e), -1);
    assert_int_equal(e.code, PC_ECONFLICT);
    assert_non_null(strstr(e.msg, "2025-03-01"));

    history_seen h = {0};
    assert_int_equal(contract_history(f->d, &c, collect_version, &h, &e), 0);
    assert_int_equal(h.n, 2);
    assert_string_equal(h.valid_from[0], "2024-01-01");
    assert_int_equal(h.households[0], 1);
    assert_string_equal(h.valid_from[1], "2025-03-01");
    assert_int_equal(h.households[1], 2);
}

static void test_update_identity(void **state)
{
    fixture *f = *state;
    make_tree(f);
    customer c = residential("PA01010000001", "Nguyễn Văn A", "Xóm 1");
    insert_ok(f, &c, f->unit_id, NULL);
    strcpy(c.name, "Phạm Thị Hoa");
    strcpy(c.address, "Tổ 5, phường Lộc Hạ");
    strcpy(c.phone, "0987654321");
    strcpy(c.status, "terminated");
    pc_err e = {0};
    assert_int_equal(customer_update_identity(f->d, &c, &e), 0);
    customer out;
    assert_int_equal(customer_get(f->d, c.code, NULL, &out, &e), 0);
    assert_same_customer(&out, &c);
    assert_int_equal(scalar(f->d, "SELECT count(*) FROM customer_fts"), 1);
}

/* ---- search ---- */

typedef struct {
    int n;
    char codes[8][16];
    double score[8];
} hits_seen;

static int collect_hit(void *ctx, const customer_hit *h)
{
    hits_seen *s = ctx;
    if (s->n < 8) {
        snprintf(s->codes[s->n], sizeof s->codes[0], "%s", h->code);
        s->score[s->n] = h->score;
    }
    s->n++;
    return 0;
}

static hits_seen find(fixture *f, const char *text, bool prefix, const char *scope)
{
    hits_seen s = {0};
    char words[256];
    pc_err e = {0};
    assert_int_equal(text_fold(text, words, sizeof words, &e), 0);
    if (customer_find_by_text(f->d, words, prefix, scope, 10, collect_hit, &s, &e) != 0)
        fail_msg("find '%s': %s", text, e.msg);
    return s;
}

static void search_fixture(fixture *f)
{
    make_tree(f);
    customer a = residential("PA01010000001", "Nguyễn Văn Đức", "Số 5, phố Huế, Hà Đông");
    customer b = residential("PA01010000002", "Trần Thị Hà", "Xóm Đức Thắng, Nam Định");
    customer c = residential("PA02010000001", "Nguyễn Đức Anh", "Việt Trì, Phú Thọ");
    strcpy(c.unit, "PA0201");
    insert_ok(f, &a, f->unit_id, NULL);
    insert_ok(f, &b, f->unit_id, NULL);
    insert_ok(f, &c, f->unit2_id, NULL);
}

static void test_find_by_text(void **state)
{
    fixture *f = *state;
    search_fixture(f);
    static const struct {
        const char *text;
        bool prefix;
        const char *scope;
        int n;
        const char *first;
    } cases[] = {
        {"Nguyễn Đức", false, NULL, 2, "PA01010000001"},  /* both names, in code order */
        {"nguyen duc", false, NULL, 2, "PA01010000001"},  /* folded already */
        {"ĐỨC NGUYỄN", false, NULL, 2, "PA01010000001"},  /* any order, any case */
        {"nguyen du", true, NULL, 2, "PA01010000001"},    /* the last word as a prefix */
        {"nguyen du", false, NULL, 0, NULL},              /* ... and not without it */
        {"van duc", false, NULL, 1, "PA01010000001"},
        {"nguyen duc", false, "/PA/PA02/", 1, "PA02010000001"},
        {"nguyen duc", false, "/PA/PA01/PA0101/", 1, "PA01010000001"},
        {"nguyen duc", false, "/PA/", 2, "PA01010000001"},
        {"hue", false, NULL, 1, "PA01010000001"},         /* an address word (second pass) */
        {"duc thang", false, NULL, 1, "PA01010000002"},
        {"duc", false, NULL, 3, NULL},                    /* name matches first, then addresses */
        {"le thi", false, NULL, 0, NULL},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        hits_seen s = find(f, cases[i].text, cases[i].prefix, cases[i].scope);
        if (s.n != cases[i].n)
            fail_msg("'%s' (prefix %d, scope %s): %d hits, want %d", cases[i].text, cases[i].prefix,
                     cases[i].scope ? cases[i].scope : "-", s.n, cases[i].n);
        if (cases[i].first)
            assert_string_equal(s.codes[0], cases[i].first);
    }
    /* name hits come first, scored 0, then address hits */
    hits_seen s = find(f, "duc", false, NULL);
    assert_string_equal(s.codes[0], "PA01010000001");
    assert_string_equal(s.codes[1], "PA02010000001");
    assert_true(s.score[0] == 0 && s.score[1] == 0);
    assert_string_equal(s.codes[2], "PA01010000002");
    /* the limit holds across both passes */
    memset(&s, 0, sizeof s);
    pc_err e = {0};
    assert_int_equal(customer_find_by_text(f->d, "duc", false, NULL, 2, collect_hit, &s, &e), 0);
    assert_int_equal(s.n, 2);

    /* words reach the index quoted: quotes and FTS operators in them are plain text */
    static const struct {
        const char *words;
        int n;
    } raw[] = {
        {"\"duc", 3}, {"duc\"", 3}, {"duc OR tran", 0}, {"nguyen NOT duc", 0}, {"duc AND", 0},
        {"nguyen*", 2}, {"name:duc", 0}, {"(duc", 3},
    };
    for (size_t i = 0; i < sizeof raw / sizeof *raw; i++) {
        memset(&s, 0, sizeof s);
        if (customer_find_by_text(f->d, raw[i].words, false, NULL, 10, collect_hit, &s, &e) != 0)
            fail_msg("'%s': %s", raw[i].words, e.msg);
        if (s.n != raw[i].n)
            fail_msg("'%s': %d hits, want %d", raw[i].words, s.n, raw[i].n);
    }

    assert_int_equal(customer_find_by_text(f->d, "   ", false, NULL, 10, collect_hit, &s, &e), -1);
    assert_int_equal(e.code, PC_EINVAL);
}

/* The FTS expression the store builds ({name address} : ("nguyen" "duc"*)), checked against the
 * index directly, so a change in how the query is written shows up here. */
static void test_fts_query_form(void **state)
{
    fixture *f = *state;
    search_fixture(f);
    assert_int_equal(scalar(f->d, "SELECT count(*) FROM customer_fts WHERE customer_fts MATCH "
                                  "'{name} : (\"nguyen\" \"du\"*)'"), 2);
    assert_int_equal(scalar(f->d, "SELECT count(*) FROM customer_fts WHERE customer_fts MATCH "
                                  "'{name address} : (\"duc\")'"), 3);
    assert_int_equal(scalar(f->d, "SELECT count(*) FROM customer_fts WHERE customer_fts MATCH "
                                  "'{name} : (\"duc\") AND scope : \"PA0201\"'"), 1);
    /* the index holds folded text */
    assert_int_equal(scalar(f->d, "SELECT count(*) FROM customer_fts WHERE name = 'nguyen van duc' "
                                  "AND address = 'so 5 pho hue ha dong' AND scope = 'PA PA01 PA0101'"), 1);
}

static void test_index_since(void **state)
{
    fixture *f = *state;
    search_fixture(f);
    int64_t before = 0;
    pc_err e = {0};
    assert_int_equal(customer_max_id(f->d, &before, &e), 0);
    customer d1 = residential("PA01010000101", "Hoàng Minh Tuấn", "Đường Trần Hưng Đạo");
    customer d2 = residential("PA01010000102", "Hoàng Thị Lan", "Đường Lê Lợi");
    assert_int_equal(customer_insert_unindexed(f->d, &d1, f->unit_id, NULL, &e), 0);
    assert_int_equal(customer_insert_unindexed(f->d, &d2, f->unit_id, NULL, &e), 0);
    assert_int_equal(find(f, "hoang", false, NULL).n, 0); /* not searchable yet */
    assert_int_equal(customer_index_since(f->d, before, &e), 0);
    hits_seen s = find(f, "hoang", false, NULL);
    assert_int_equal(s.n, 2);
    assert_string_equal(s.codes[0], "PA01010000101");
    assert_int_equal(find(f, "tran hung dao", false, NULL).n, 1);
    assert_int_equal(find(f, "hoang lan", false, "/PA/PA01/").n, 1);
    assert_int_equal(scalar(f->d, "SELECT count(*) FROM customer_fts"), 5); /* the earlier rows not twice */
    assert_int_equal(scalar(f->d, "SELECT count(*) FROM customer_fts WHERE name = 'hoang minh tuan' "
                                  "AND address = 'duong tran hung dao'"), 1);
}

static void test_find_by_code_and_phone(void **state)
{
    fixture *f = *state;
    make_tree(f);
    customer a = residential("PA01010000001", "Nguyễn Văn A", "Xóm 1");
    strcpy(a.phone, "0912345678");
    customer b = residential("PA01010000002", "Nguyễn Văn B", "Xóm 2");
    strcpy(b.phone, "0912345678");
    insert_ok(f, &a, f->unit_id, NULL);
    insert_ok(f, &b, f->unit_id, NULL);
    hits_seen s = {0};
    pc_err e = {0};
    assert_int_equal(customer_find_by_code(f->d, "PA01010000002", NULL, collect_hit, &s, &e), 0);
    assert_int_equal(s.n, 1);
    assert_string_equal(s.codes[0], "PA01010000002");
    memset(&s, 0, sizeof s);
    assert_int_equal(customer_find_by_code(f->d, "PA01010000002", "/PA/PA02/", collect_hit, &s, &e), 0);
    assert_int_equal(s.n, 0);
    assert_int_equal(customer_find_by_phone(f->d, "0912345678", NULL, 10, collect_hit, &s, &e), 0);
    assert_int_equal(s.n, 2);
    assert_string_equal(s.codes[0], "PA01010000001");
    memset(&s, 0, sizeof s);
    assert_int_equal(customer_find_by_phone(f->d, "0912345678", NULL, 1, collect_hit, &s, &e), 0);
    assert_int_equal(s.n, 1);
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, open_fresh, close_fixture)


/* ---- batched bulk writes (SQLite) ---- */

static int64_t count_of(db *d, const char *sql)
{
    pc_err e = {0};
    db_stmt *s = db_prepare(d, sql, &e);
    if (!s || db_step(s, &e) != 1)
        fail_msg("%s: %s", sql, e.msg);
    int64_t n = db_col_int(s, 0);
    db_reset(s);
    return n;
}

static int bulk_row(db_bulk *b, int64_t id, int64_t n, const char *t, const char *k)
{
    pc_err e = {0};
    db_bulk_int(b, id);
    db_bulk_int(b, n);
    db_bulk_text(b, t);
    db_bulk_text(b, k);
    return db_bulk_row(b, &e);
}

/* 203 rows (three full statements of 64 and the tail 8 + 2 + 1): every value as given, NULL
 * apart from '', nothing in the table before the flush, a discarded row never written, and a
 * duplicate failing the flush. */
static void test_bulk_batched(void **state)
{
    fixture *f = *state;
    pc_err e = {0};
    assert_int_equal(db_exec(f->d, "CREATE TABLE bt (id INTEGER PRIMARY KEY, n BIGINT, t TEXT, "
                                   "k TEXT CHECK (k IN ('a', 'b', 'c')))", &e), 0);
    assert_int_equal(db_begin(f->d, &e), 0);
    db_bulk *b = db_bulk_open(f->d, "bt", "id, n, t, k", 4, &e);
    assert_non_null(b);
    db_bulk_batch(b);
    for (int i = 1; i <= 203; i++) {
        char t[32];
        snprintf(t, sizeof t, "text %d é", i);
        assert_int_equal(bulk_row(b, i, (int64_t)i * 1000000007LL, i % 10 == 0 ? NULL : i % 10 == 1 ? "" : t,
                                  i % 2 ? "a" : "c"),
                         0);
    }
    /* a row with a column missing is refused and leaves the others */
    db_bulk_int(b, 999);
    assert_int_equal(db_bulk_row(b, &e), -1);
    assert_int_equal(count_of(f->d, "SELECT count(*) FROM bt"), 0);
    assert_int_equal(db_bulk_flush(b, &e), 0);
    assert_int_equal(count_of(f->d, "SELECT count(*) FROM bt"), 203);
    assert_int_equal(count_of(f->d, "SELECT sum(n) FROM bt"), 203LL * 204 / 2 * 1000000007LL);
    assert_int_equal(count_of(f->d, "SELECT count(*) FROM bt WHERE t IS NULL"), 20);
    assert_int_equal(count_of(f->d, "SELECT count(*) FROM bt WHERE t = ''"), 21);
    assert_int_equal(count_of(f->d, "SELECT count(*) FROM bt WHERE id = 77 AND t = 'text 77 é' AND k = 'a'"), 1);
    assert_int_equal(count_of(f->d, "SELECT count(*) FROM bt WHERE k = 'c'"), 101);
    /* discarded rows are never written */
    assert_int_equal(bulk_row(b, 500, 1, "x", "b"), 0);
    db_bulk_discard(b);
    assert_int_equal(db_bulk_flush(b, &e), 0);
    assert_int_equal(count_of(f->d, "SELECT count(*) FROM bt"), 203);
    /* a duplicate key and a value outside the CHECK fail at the flush */
    assert_int_equal(bulk_row(b, 5, 1, "x", "b"), 0);
    assert_int_equal(db_bulk_flush(b, &e), -1);
    assert_int_equal(e.code, PC_ECONFLICT);
    assert_int_equal(bulk_row(b, 600, 1, "x", "z"), 0);
    assert_int_equal(db_bulk_flush(b, &e), -1);
    db_bulk_close(b);
    db_rollback(f->d);
    assert_int_equal(count_of(f->d, "SELECT count(*) FROM bt"), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(test_migrations_on_fresh_file),
        T(test_reopen_applies_nothing_new),
        cmocka_unit_test(test_open_unwritable_path),
        T(test_org_duplicate_is_conflict),
        T(test_customer_duplicate_is_conflict),
        T(test_contract_check_constraints),
        T(test_nested_rollback_inner_commit_outer),
        T(test_nested_commit_inner_rollback_outer),
        T(test_three_levels),
        T(test_commit_without_transaction),
        T(test_audit_chain_intact),
        T(test_audit_empty_log_is_intact),
        T(test_audit_update_and_delete_refused),
        T(test_audit_tamper_detected),
        T(test_audit_rehashed_row_breaks_the_next),
        T(test_audit_gap_detected),
        T(test_audit_append_rolls_back_with_caller),
        T(test_customer_round_trip_residential),
        T(test_customer_round_trip_business),
        T(test_contract_versions_as_of),
        T(test_update_identity),
        T(test_find_by_text),
        T(test_fts_query_form),
        T(test_index_since),
        T(test_find_by_code_and_phone),
        T(test_bulk_batched),
    };
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
