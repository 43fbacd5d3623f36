/* Data the benchmarks share (see bench_data.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/org.h"
#include "bench_data.h"
#include "store/reads.h"
#include "store/repo.h"
#include "base/date.h"

void bench_die(const char *who, const pc_err *e)
{
    fprintf(stderr, "%s: %s\n", who, e->msg);
    exit(1);
}

/* Customers with an initial index on 2025-06-xx and a read a month later. */
void bench_build(db *d, int64_t n, demo_tree *t)
{
    pc_err e = {0};
    demo_rng r;
    demo_rng_init(&r, 7);
    demo_tree_make(&r, t);
    org_row row;
    int64_t unit_ids[64];
    if (db_begin(d, &e) != 0 || org_add(d, "bench", "PA", "Tổng công ty", NULL, &row, &e) != 0)
        bench_die("bench", &e);
    for (int c = 1; c <= t->companies; c++) {
        char code[16];
        snprintf(code, sizeof code, "PA%02d", c % 100);
        if (org_add(d, "bench", code, "Công ty", NULL, &row, &e) != 0)
            bench_die("bench", &e);
    }
    for (int u = 0; u < t->nunits; u++) {
        if (org_add(d, "bench", t->units[u].code, t->units[u].name, NULL, &row, &e) != 0)
            bench_die("bench", &e);
        unit_ids[u] = row.id;
    }
    /* Customers, contracts, meters and their two reads go out through the bulk path (COPY on
     * PostgreSQL), in chunks of 10,000 customers a transaction. */
    enum { CHUNK = 10000 };
    static int64_t cids[CHUNK], mids[CHUNK], rids[2 * CHUNK];
    db_bulk *bc = db_bulk_open(d, "customer", "id, code, unit_id, name, address, phone, route, status, created_at, updated_at", 10, &e);
    db_bulk *bk = bc ? db_bulk_open(d, "contract", "customer_id, valid_from, purpose, voltage, households, renter, persons, tou, "
                                    "payment_mode, payment_term_days, periods_per_month, est_kwh_month, created_at", 13, &e) : NULL;
    db_bulk *bm = bk ? db_bulk_open(d, "meter", "id, customer_id, serial, registers, multiplier, digits, amr, installed_on", 8, &e) : NULL;
    db_bulk *br = bm ? db_bulk_open(d, "meter_read", "id, customer_id, meter_id, read_date, kind, idx_total, idx_normal, idx_peak, "
                                    "idx_offpeak, prev_read_id, kwh_total, kwh_normal, kwh_peak, kwh_offpeak, status, flags, source, "
                                    "created_at, created_by", 19, &e) : NULL;
    if (!br)
        bench_die("bench", &e);
    char ts[TIMESTAMP_FMT_MAX];
    timestamp_now(ts);
    for (int64_t seq = 1; seq <= n; seq++) {
        int k = (int)((seq - 1) % CHUNK);
        if (k == 0) {
            int64_t left = n - seq + 1 < CHUNK ? n - seq + 1 : CHUNK;
            if (db_reserve_ids(d, "customer", (int)left, cids, &e) != 0 || db_reserve_ids(d, "meter", (int)left, mids, &e) != 0 ||
                db_reserve_ids(d, "meter_read", (int)(2 * left), rids, &e) != 0)
                bench_die("bench", &e);
        }
        customer c;
        meter_spec m;
        demo_customer_make(&r, t, seq, &c, &m);
        strcpy(c.valid_from, "2024-01-01");
        c.periods_per_month = 1;
        int64_t uid = 0;
        for (int u = 0; u < t->nunits; u++)
            if (strcmp(t->units[u].code, c.unit) == 0)
                uid = unit_ids[u];
        db_bulk_int(bc, cids[k]);
        db_bulk_text(bc, c.code);
        db_bulk_int(bc, uid);
        db_bulk_text(bc, c.name);
        db_bulk_text(bc, c.address);
        db_bulk_text(bc, c.phone[0] ? c.phone : NULL);
        db_bulk_text(bc, c.route[0] ? c.route : NULL);
        db_bulk_text(bc, "active");
        db_bulk_text(bc, ts);
        db_bulk_text(bc, ts);
        db_bulk_row(bc, &e);
        db_bulk_int(bk, cids[k]);
        db_bulk_text(bk, c.valid_from);
        db_bulk_text(bk, purpose_name(c.purpose));
        db_bulk_text(bk, c.voltage[0] ? c.voltage : NULL);
        db_bulk_int(bk, c.households);
        db_bulk_int(bk, c.renter);
        if (c.persons)
            db_bulk_int(bk, c.persons);
        else
            db_bulk_text(bk, NULL);
        db_bulk_int(bk, c.tou);
        db_bulk_text(bk, c.payment_mode);
        db_bulk_int(bk, c.payment_term_days);
        db_bulk_int(bk, c.periods_per_month);
        db_bulk_int(bk, c.est_kwh_month);
        db_bulk_text(bk, ts);
        db_bulk_row(bk, &e);
        db_bulk_int(bm, mids[k]);
        db_bulk_int(bm, cids[k]);
        db_bulk_text(bm, m.serial);
        db_bulk_text(bm, m.tou ? "tou" : "total");
        db_bulk_int(bm, m.multiplier);
        db_bulk_int(bm, m.digits);
        db_bulk_int(bm, m.amr);
        db_bulk_text(bm, c.valid_from);
        db_bulk_row(bm, &e);
        /* an initial index in June, a read a month later with its consumption */
        int day = 1 + (int)(seq % 28);
        for (int j = 0; j < 2; j++) {
            char date[11];
            snprintf(date, sizeof date, "2025-%02d-%02d", 6 + j, day);
            int64_t kwh = c.est_kwh_month, part = m.tou ? kwh / 3 : kwh;
            int64_t idx = 1000 + (j ? part / m.multiplier : 0), used = part / m.multiplier * m.multiplier;
            db_bulk_int(br, rids[2 * k + j]);
            db_bulk_int(br, cids[k]);
            db_bulk_int(br, mids[k]);
            db_bulk_text(br, date);
            db_bulk_text(br, j ? "regular" : "initial");
            for (int g = 0; g < 4; g++) {
                bool has = m.tou ? g > 0 : g == 0;
                if (has)
                    db_bulk_int(br, idx);
                else
                    db_bulk_text(br, NULL);
            }
            if (j)
                db_bulk_int(br, rids[2 * k]);
            else
                db_bulk_text(br, NULL);
            for (int g = 0; g < 4; g++) {
                bool has = j && (m.tou ? g > 0 : g == 0);
                if (has)
                    db_bulk_int(br, used);
                else
                    db_bulk_text(br, NULL);
            }
            db_bulk_text(br, "ok");
            db_bulk_text(br, "");
            db_bulk_text(br, "bench");
            db_bulk_text(br, ts);
            db_bulk_text(br, "bench");
            if (db_bulk_row(br, &e) != 0)
                bench_die("bench", &e);
        }
        if (k == CHUNK - 1 || seq == n) {
            if (db_bulk_flush(bc, &e) != 0 || db_bulk_flush(bk, &e) != 0 || db_bulk_flush(bm, &e) != 0 ||
                db_bulk_flush(br, &e) != 0 || db_commit(d, &e) != 0 || db_begin(d, &e) != 0)
                bench_die("bench", &e);
        }
    }
    db_bulk_close(bc);
    db_bulk_close(bk);
    db_bulk_close(bm);
    db_bulk_close(br);
    if (db_commit(d, &e) != 0)
        bench_die("bench", &e);
}

