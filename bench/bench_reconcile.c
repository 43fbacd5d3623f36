/* Benchmark of reconciliation (issue 5): one partner's day of 1,000,000 statement lines against
 * 1,000,000 postings, end to end from an SQLite database (load both sides and the remittances,
 * match, classify). The data is written straight through the store in one transaction; a few
 * lines in every thousand differ so the differences path is exercised too. Prints
 * `metric | value | target` rows; timing never fails anything.
 * Usage: bench_reconcile [N] */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "app/demo.h"
#include "app/reconciliation.h"
#include "store/reads.h"
#include "store/recon.h"

#define PARTNER "BENCHPAY"
#define DAY "2025-09-12"
#define NCUSTOMERS 2000

static int fail(const char *what, const pc_err *e)
{
    fprintf(stderr, "bench_reconcile: %s: %s\n", what, e->msg);
    return 1;
}

/* Writes N postings and N statement lines for the day. Every 1000 lines: one amount differs,
 * one reference only the partner has, one only we have. */
static int generate(db *d, int64_t n, const char (*codes)[16], pc_err *e)
{
    if (db_begin(d, e) != 0)
        return -1;
    partner_row p = {.settlement_days = 1};
    snprintf(p.code, sizeof p.code, PARTNER);
    snprintf(p.name, sizeof p.name, "Bench partner");
    snprintf(p.kind, sizeof p.kind, "collector");
    if (partner_insert(d, &p, "bench", e) != 0 || import_file_record(d, "statement", "bench", "bench.csv", n, "bench", e) != 0)
        goto fail;
    int64_t file_id = db_last_insert_id(d);
    statement_writer *w = statement_writer_open(d, e);
    if (!w)
        goto fail;
    payment_row pay;
    memset(&pay, 0, sizeof pay);
    snprintf(pay.channel, sizeof pay.channel, "partner");
    snprintf(pay.method, sizeof pay.method, "partner");
    snprintf(pay.source, sizeof pay.source, PARTNER);
    snprintf(pay.paid_at, sizeof pay.paid_at, DAY " 10:00:00");
    snprintf(pay.paid_date, sizeof pay.paid_date, DAY);
    statement_line_row line = {.file_id = file_id};
    snprintf(line.partner, sizeof line.partner, PARTNER);
    snprintf(line.day, sizeof line.day, DAY);
    snprintf(line.paid_at, sizeof line.paid_at, DAY " 10:00:00");
    money owed = 0;
    for (int64_t i = 0; i < n; i++) {
        int64_t cust = i % NCUSTOMERS;
        money amount = 50000 + (i % 997) * 1000;
        int kind = (int)(i % 1000);
        if (kind != 1) { /* kind 1: only the partner has it */
            pay.id = 0;
            pay.receipt_no[0] = '\0';
            pay.customer_id = cust + 1;
            snprintf(pay.ext_ref, sizeof pay.ext_ref, "TX%09lld", (long long)i);
            pay.amount = kind == 0 ? amount + 1000 : amount; /* kind 0: amount differs */
            if (payment_insert(d, &pay, "bench", e) != 0) {
                statement_writer_close(w);
                goto fail;
            }
        }
        if (kind != 2) { /* kind 2: only we have it */
            line.line = i + 2;
            snprintf(line.txn_ref, sizeof line.txn_ref, "TX%09lld", (long long)i);
            snprintf(line.customer_code, sizeof line.customer_code, "%s", codes[cust]);
            line.amount = amount;
            owed += amount;
            if (statement_writer_add(w, &line, e) != 0) {
                statement_writer_close(w);
                goto fail;
            }
        }
    }
    if (statement_writer_flush(w, e) != 0) {
        statement_writer_close(w);
        goto fail;
    }
    statement_writer_close(w);
    if (import_file_record(d, "bank", "bench", "bank.csv", 1, "bench", e) != 0)
        goto fail;
    bank_line_row b = {.file_id = db_last_insert_id(d), .line = 2, .amount = owed - 1000000};
    snprintf(b.reference, sizeof b.reference, "FT-BENCH-1");
    snprintf(b.value_date, sizeof b.value_date, "2025-09-13");
    snprintf(b.partner, sizeof b.partner, PARTNER);
    snprintf(b.for_day, sizeof b.for_day, DAY);
    if (bank_line_insert(d, &b, e) != 0 || db_commit(d, e) != 0)
        goto fail;
    return 0;
fail:
    db_rollback(d);
    return -1;
}

int main(int argc, char **argv)
{
    int64_t n = argc > 1 ? atoll(argv[1]) : 1000000;
    char dir[512], dbpath[600];
    const char *tmp = getenv("TMPDIR");
    snprintf(dir, sizeof dir, "%s/powercis-bench-XXXXXX", tmp && *tmp ? tmp : "/tmp");
    if (!mkdtemp(dir)) {
        perror("mkdtemp");
        return 1;
    }
    snprintf(dbpath, sizeof dbpath, "%s/bench.db", dir);
    db *d;
    pc_err e = {0};
    if (db_open(dbpath, &d, &e) != 0)
        return fail("open", &e);
    demo_options o = {.customers = NCUSTOMERS, .seed = 42};
    demo_tree t;
    demo_summary ds;
    if (demo_build(d, "bench", &o, &t, &ds, &e) != 0)
        return fail("customers", &e);
    static char codes[NCUSTOMERS][16];
    for (int i = 0; i < NCUSTOMERS; i++) {
        payer_row c;
        if (payer_get_by_id(d, i + 1, &c, &e) != 0)
            return fail("customer codes", &e);
        memcpy(codes[i], c.code, sizeof codes[i]);
    }
    double t0 = monotonic_seconds();
    if (generate(d, n, (const char (*)[16])codes, &e) != 0)
        return fail("generate", &e);
    double gen = monotonic_seconds() - t0;

    recon_report r;
    t0 = monotonic_seconds();
    if (reconcile_day(d, PARTNER, DAY, &r, &e) != 0)
        return fail("reconcile", &e);
    double secs = monotonic_seconds() - t0;
    printf("reconcile generate data (s, %lld postings + %lld lines, one transaction) | %.1f | -\n",
           (long long)r.sum.ours_lines, (long long)r.sum.partner_lines, gen);
    printf("reconcile %lld partner lines vs %lld postings from SQLite (s, %zu differences, match rate %.4f) | %.2f | <= 10\n",
           (long long)r.sum.partner_lines, (long long)r.sum.ours_lines, r.ndiffs, r.match_rate, secs);
    recon_report_free(&r);
    db_close(d);
    unlink(dbpath);
    char side[700];
    snprintf(side, sizeof side, "%s-wal", dbpath);
    unlink(side);
    snprintf(side, sizeof side, "%s-shm", dbpath);
    unlink(side);
    rmdir(dir);
    return 0;
}
