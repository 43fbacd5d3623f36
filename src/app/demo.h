/* The demo company: a corporation (PA) with companies and units of northern provinces and
 * customers generated deterministically from a seed (same seed, same data, on any machine). */
#ifndef PC_APP_DEMO_H
#define PC_APP_DEMO_H

#include <stdint.h>
#include <stdio.h>

#include "base/date.h"
#include "domain/customer.h"
#include "store/db.h"

typedef struct {
    uint8_t key[32];
    uint64_t counter;
    uint8_t pool[4096];
    size_t pos;
} demo_rng;

void demo_rng_init(demo_rng *r, uint64_t seed);
uint64_t demo_rng_below(demo_rng *r, uint64_t n); /* uniform in [0, n) */

typedef struct {
    char code[8];
    char name[128];
    char province[64];
    char district[64];
    int weight; /* relative number of customers */
} demo_unit;

typedef struct {
    int companies;
    int nunits;
    demo_unit units[64];
} demo_tree;

/* Draws the org tree (5 companies, 4–8 units each). */
void demo_tree_make(demo_rng *r, demo_tree *t);
/* Draws the customer with sequence number seq (1-based, unique across the whole demo). */
void demo_customer_make(demo_rng *r, const demo_tree *t, int64_t seq, customer *c, meter_spec *m);

typedef struct {
    int64_t customers;
    uint64_t seed;
    civil_month until; /* the last month with reads */
    int months;        /* months of reads up to `until` (0: none) */
    bool no_invoices;  /* reads only: leave the months unbilled */
    const char *doc_dir; /* the document store for the debt cases' minutes (NULL: no documents) */
} demo_options;

/* The debt part of the demo (demo_debt.c). */
typedef struct {
    int64_t legacy_customers, legacy_receivables;
    int64_t legacy_amount; /* đồng still owed on them */
    int64_t cases, documents;
    int64_t written_off; /* đồng */
    int64_t locks;
    /* as of today: overdue 3 months or more (bad debt), of which 3 years or more; customers
     * overdue, of which under 3 months */
    int64_t bad_debt, ge_3y, overdue_customers, recent_customers;
} demo_debt_summary;

/* The prepaid part of the demo (demo_prepaid.c). */
typedef struct {
    int64_t customers, topups, topup_amount, charges, charged, cut_orders, low_notices, below_zero;
} demo_prepaid_summary;

typedef struct {
    int64_t reads;
    int64_t invoices;
    int64_t billed; /* đồng, VAT included */
    int64_t payments;
    int64_t paid; /* đồng */
    demo_debt_summary debt;
    int64_t requests; /* customer service requests (demo_requests.c) */
    int64_t outages; /* demo_outages.c */
    demo_prepaid_summary prepaid;
} demo_summary;

/* Creates the tree, the customers and their reads in one transaction (the database must have
 * no PA tree). The same options give the same data on any machine. */
/* Legacy receivables, cases with documents, write-offs and locks over a built demo. */
int demo_debt(db *d, const char *actor, const demo_options *o, demo_debt_summary *s, pc_err *e);
/* A year of customer service requests of every type over a built demo (demo_requests.c). */
int demo_requests(db *d, const char *actor, const demo_options *o, const demo_tree *t, int64_t *count, pc_err *e);
/* Prepaid customers with AMR meters over the last month of a built demo. */
int demo_prepaid(db *d, const char *actor, const demo_options *o, const demo_tree *t, demo_prepaid_summary *s,
                 pc_err *e);
int demo_build(db *d, const char *actor, const demo_options *o, demo_tree *t, demo_summary *sum, pc_err *e);
/* Outages with plausible reliability indices over the last months of the window (demo_outages.c). */
int demo_outages(db *d, const char *actor, const demo_options *o, const demo_tree *t, int64_t *count, pc_err *e);
/* Writes n generated customers as an import CSV (header included), for benchmarks. */
int demo_write_csv(FILE *out, const demo_tree *t, demo_rng *r, int64_t first_seq, int64_t n);

#endif
