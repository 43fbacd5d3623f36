/* Data the benchmarks share (see bench_data.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/org.h"
#include "bench_data.h"
#include "store/reads.h"
#include "store/repo.h"

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
    for (int64_t seq = 1; seq <= n; seq++) {
        customer c;
        meter_spec m;
        demo_customer_make(&r, t, seq, &c, &m);
        strcpy(c.valid_from, "2024-01-01");
        c.periods_per_month = 1;
        int64_t uid = 0;
        for (int u = 0; u < t->nunits; u++)
            if (strcmp(t->units[u].code, c.unit) == 0)
                uid = unit_ids[u];
        if (customer_insert_unindexed(d, &c, uid, &m, &e) != 0)
            bench_die("bench", &e);
        read_row rd;
        memset(&rd, 0, sizeof rd);
        rd.customer_id = c.id;
        rd.meter_id = m.id;
        strcpy(rd.kind, "initial");
        strcpy(rd.status, "ok");
        strcpy(rd.source, "bench");
        int day = 1 + (int)(seq % 28);
        snprintf(rd.read_date, sizeof rd.read_date, "2025-06-%02d", day);
        int g0 = m.tou ? REG_NORMAL : REG_TOTAL, g1 = m.tou ? REG_OFFPEAK : REG_TOTAL;
        for (int g = g0; g <= g1; g++) {
            rd.idx.has[g] = true;
            rd.idx.v[g] = 1000;
        }
        if (read_insert(d, &rd, "bench", &e) != 0)
            bench_die("bench", &e);
        int64_t prev = rd.id;
        snprintf(rd.read_date, sizeof rd.read_date, "2025-07-%02d", day);
        strcpy(rd.kind, "regular");
        rd.prev_read_id = prev;
        rd.kwh_known = true;
        int64_t kwh = c.est_kwh_month;
        for (int g = g0; g <= g1; g++) {
            int64_t part = m.tou ? kwh / 3 : kwh;
            rd.idx.v[g] = 1000 + part / m.multiplier;
            rd.kwh.has[g] = true;
            rd.kwh.v[g] = part / m.multiplier * m.multiplier;
        }
        if (read_insert(d, &rd, "bench", &e) != 0)
            bench_die("bench", &e);
    }
    if (db_commit(d, &e) != 0)
        bench_die("bench", &e);
}

