/* Reconciliation of third-party collections (DOMAIN 11): one scenario that produces every kind
 * of difference with the values worked out in comments, then the edges one at a time: the
 * settlement window, duplicates on both sides, the match rate, refusals, and a large run. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "domain/reconcile.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))

static civil_date may(int day)
{
    return date_from_ymd(2025, 5, day);
}

static recon_txn txn(const char *ref, const char *customer, money amount, civil_date date)
{
    recon_txn t = {.amount = amount, .date = date};
    snprintf(t.txn_ref, sizeof t.txn_ref, "%s", ref);
    snprintf(t.customer_code, sizeof t.customer_code, "%s", customer);
    return t;
}

static remittance credit(const char *partner, civil_date for_day, civil_date value_date, money amount,
                         const char *reference)
{
    remittance r = {.for_day = for_day, .value_date = value_date, .amount = amount};
    snprintf(r.partner, sizeof r.partner, "%s", partner);
    snprintf(r.reference, sizeof r.reference, "%s", reference);
    return r;
}

/* The callback collects into a fixed array. */
typedef struct {
    recon_diff d[32];
    size_t n;
    size_t stop_after; /* 0: never stop */
} collected;

static int collect(void *ctx, const recon_diff *d)
{
    collected *c = ctx;
    if (c->n < N(c->d))
        c->d[c->n] = *d;
    c->n++;
    return c->stop_after && c->n >= c->stop_after;
}

static void test_every_kind(void **state)
{
    (void)state;
    recon_txn ours[] = {
        txn("T01", "PA01000000001", 100000, may(15)), /* matched */
        txn("T05", "PA01000000006", 70000, may(15)),  /* the partner does not have it */
        txn("T02", "PA01000000002", 200000, may(15)), /* matched */
        txn("T03", "PA01000000003", 150000, may(15)), /* partner says 160,000 */
        txn("T04", "PA01000000004", 50000, may(15)),  /* partner says customer …005 */
        txn("T07", "PA01000000008", 30000, may(15)),  /* posted twice by us */
        txn("T07", "PA01000000008", 30000, may(16)),
        txn("T08", "PA01000000010", 40000, may(15)), /* listed twice by the partner */
        txn("T09", "PA01000000009", 90000, may(16)), /* matched (day 16) */
        txn("T10", "PA01000000011", 60000, may(17)), /* matched (day 17) */
        txn("T11", "PA01000000012", 25000, may(18)), /* matched (day 18) */
    };
    recon_txn partner[] = {
        txn("T11", "PA01000000012", 25000, may(18)), txn("T10", "PA01000000011", 60000, may(17)),
        txn("T09", "PA01000000009", 90000, may(16)), txn("T08", "PA01000000010", 40000, may(15)),
        txn("T08", "PA01000000010", 40000, may(15)), txn("T07", "PA01000000008", 30000, may(15)),
        txn("T06", "PA01000000007", 80000, may(15)), txn("T04", "PA01000000005", 50000, may(15)),
        txn("T03", "PA01000000003", 160000, may(15)), txn("T02", "PA01000000002", 200000, may(15)),
        txn("T01", "PA01000000001", 100000, may(15)),
    };
    /* Partner day totals: 15th 100,000 + 200,000 + 160,000 + 50,000 + 80,000 + 30,000 + 2 × 40,000
     * = 700,000; 16th 90,000; 17th 60,000; 18th 25,000; 19th nothing. */
    remittance bank[] = {
        credit("VNPOST", may(15), may(16), 700000, "VNP 15/05"), /* T+1, exact: no difference */
        credit("ECPAY", may(15), may(16), 999, "ECPAY 15/05"),   /* another partner: not ours */
        credit("VNPOST", may(16), may(17), 80000, "VNP 16/05"),  /* short by 10,000 */
        /* 17th: nothing remitted */
        credit("VNPOST", may(18), may(21), 25000, "VNP 18/05"), /* due by the 19th: 2 days late */
        credit("VNPOST", may(19), may(20), 10000, "VNP 19/05"), /* for a day with no lines: over */
    };
    collected c = {0};
    recon_summary s;
    pc_err e = {0};
    if (reconcile("VNPOST", ours, N(ours), partner, N(partner), bank, N(bank), RECON_SETTLEMENT_DAYS_DEFAULT, collect,
                  &c, &s, &e) != 0)
        fail_msg("%s", e.msg);

    assert_int_equal(c.n, 10);
    const recon_diff *d = c.d;
    /* day level, by day */
    assert_int_equal(d[0].kind, RECON_REMITTANCE_SHORT);
    assert_int_equal(d[0].day, may(16));
    assert_int_equal(d[0].expected, 90000);
    assert_int_equal(d[0].actual, 80000);
    assert_int_equal(d[1].kind, RECON_REMITTANCE_MISSING);
    assert_int_equal(d[1].day, may(17));
    assert_int_equal(d[1].expected, 60000);
    assert_int_equal(d[1].actual, 0);
    assert_int_equal(d[2].kind, RECON_REMITTANCE_LATE);
    assert_int_equal(d[2].day, may(18));
    assert_int_equal(d[2].days_late, 2);
    assert_string_equal(d[2].remittance.reference, "VNP 18/05");
    assert_int_equal(d[3].kind, RECON_REMITTANCE_OVER);
    assert_int_equal(d[3].day, may(19));
    assert_int_equal(d[3].expected, 0);
    assert_int_equal(d[3].actual, 10000);
    /* transaction level, by reference */
    assert_int_equal(d[4].kind, RECON_AMOUNT_DIFFERS);
    assert_string_equal(d[4].ours.txn_ref, "T03");
    assert_int_equal(d[4].expected, 160000);
    assert_int_equal(d[4].actual, 150000);
    assert_int_equal(d[5].kind, RECON_CUSTOMER_DIFFERS);
    assert_string_equal(d[5].ours.customer_code, "PA01000000004");
    assert_string_equal(d[5].partner.customer_code, "PA01000000005");
    assert_int_equal(d[6].kind, RECON_MISSING_AT_PARTNER);
    assert_string_equal(d[6].ours.txn_ref, "T05");
    assert_int_equal(d[6].actual, 70000);
    assert_int_equal(d[7].kind, RECON_MISSING_IN_OURS);
    assert_string_equal(d[7].partner.txn_ref, "T06");
    assert_string_equal(d[7].partner.customer_code, "PA01000000007");
    assert_int_equal(d[7].expected, 80000);
    assert_int_equal(d[8].kind, RECON_DUPLICATE);
    assert_int_equal(d[8].side, RECON_SIDE_OURS);
    assert_string_equal(d[8].ours.txn_ref, "T07");
    assert_int_equal(d[8].ours.date, may(16)); /* the later of the two is the repeat */
    assert_int_equal(d[9].kind, RECON_DUPLICATE);
    assert_int_equal(d[9].side, RECON_SIDE_PARTNER);
    assert_string_equal(d[9].partner.txn_ref, "T08");

    size_t want[RECON_KIND_COUNT] = {[RECON_MISSING_IN_OURS] = 1,    [RECON_MISSING_AT_PARTNER] = 1,
                                     [RECON_AMOUNT_DIFFERS] = 1,     [RECON_CUSTOMER_DIFFERS] = 1,
                                     [RECON_DUPLICATE] = 2,          [RECON_REMITTANCE_MISSING] = 1,
                                     [RECON_REMITTANCE_SHORT] = 1,   [RECON_REMITTANCE_OVER] = 1,
                                     [RECON_REMITTANCE_LATE] = 1};
    for (int k = 0; k < RECON_KIND_COUNT; k++) {
        print_message("# %s: %zu\n", recon_kind_name((recon_kind)k), s.count[k]);
        assert_int_equal(s.count[k], want[k]);
    }
    /* T01..T11: 11 references; matched T01, T02, T09, T10, T11 (T07 and T08 are duplicated) */
    assert_int_equal(s.transactions, 11);
    assert_int_equal(s.matched, 5);
    assert_true(recon_match_rate(&s) == 5.0 / 11.0);
    assert_int_equal(s.days, 5);
    assert_int_equal(s.ours_lines, 11);
    assert_int_equal(s.partner_lines, 11);
    assert_int_equal(s.remittances, 4);
    /* ours: 100+70+200+150+50+30+30+40+90+60+25 thousand */
    assert_int_equal(s.ours_total, 845000);
    assert_int_equal(s.partner_total, 700000 + 90000 + 60000 + 25000);
    assert_int_equal(s.remitted_total, 700000 + 80000 + 25000 + 10000);
    /* both sides are left sorted by reference */
    for (size_t i = 1; i < N(ours); i++)
        assert_true(strcmp(ours[i - 1].txn_ref, ours[i].txn_ref) <= 0);
    assert_string_equal(partner[0].txn_ref, "T01");
}

static void test_amount_and_customer_both_differ(void **state)
{
    (void)state;
    recon_txn ours[] = {txn("X1", "PA01", 1000, may(15))};
    recon_txn partner[] = {txn("X1", "PA02", 1200, may(15))};
    remittance bank[] = {credit("MOMO", may(15), may(16), 1200, "r")};
    collected c = {0};
    recon_summary s;
    pc_err e = {0};
    assert_int_equal(reconcile("MOMO", ours, 1, partner, 1, bank, 1, 1, collect, &c, &s, &e), 0);
    assert_int_equal(c.n, 2);
    assert_int_equal(c.d[0].kind, RECON_AMOUNT_DIFFERS);
    assert_int_equal(c.d[1].kind, RECON_CUSTOMER_DIFFERS);
    assert_int_equal(s.transactions, 1);
    assert_int_equal(s.matched, 0);
    assert_true(recon_match_rate(&s) == 0.0);
}

/* Twice in ours and three times at the partner: three duplicates, one transaction, not matched;
 * the first lines agree, so nothing else is reported. */
static void test_duplicates_on_both_sides(void **state)
{
    (void)state;
    recon_txn ours[] = {txn("D1", "C", 500, may(15)), txn("D1", "C", 500, may(15))};
    recon_txn partner[] = {txn("D1", "C", 500, may(15)), txn("D1", "C", 500, may(15)), txn("D1", "C", 700, may(15))};
    remittance bank[] = {credit("P", may(15), may(16), 1700, "r")};
    collected c = {0};
    recon_summary s;
    pc_err e = {0};
    assert_int_equal(reconcile("P", ours, N(ours), partner, N(partner), bank, N(bank), 1, collect, &c, &s, &e), 0);
    assert_int_equal(c.n, 3);
    assert_int_equal(s.count[RECON_DUPLICATE], 3);
    assert_int_equal(c.d[0].side, RECON_SIDE_OURS);
    assert_int_equal(c.d[1].side, RECON_SIDE_PARTNER);
    assert_int_equal(c.d[2].side, RECON_SIDE_PARTNER);
    assert_int_equal(c.d[2].partner.amount, 700); /* the 500s sort first and stand for the ref */
    assert_int_equal(s.transactions, 1);
    assert_int_equal(s.matched, 0);
}

/* The window is a parameter: the same credits judged with 0, 1 and 2 days. */
static void test_settlement_window(void **state)
{
    (void)state;
    static const struct {
        int window;
        size_t late;
        int32_t days_late_second;
    } cases[] = {{0, 2, 2}, {1, 1, 1}, {2, 0, 0}};
    for (size_t i = 0; i < N(cases); i++) {
        recon_txn partner[] = {txn("A", "C", 300, may(15)), txn("B", "C", 200, may(15))};
        /* one credit on the 16th (T+1), one on the 17th (T+2), one before the day (on time) */
        remittance bank[] = {credit("P", may(15), may(16), 100, "first"), credit("P", may(15), may(17), 350, "second"),
                             credit("P", may(15), may(14), 50, "advance")};
        collected c = {0};
        recon_summary s;
        pc_err e = {0};
        assert_int_equal(reconcile("P", NULL, 0, partner, N(partner), bank, N(bank), cases[i].window, collect, &c, &s,
                                   &e),
                         0);
        print_message("# window %d\n", cases[i].window);
        assert_int_equal(s.count[RECON_REMITTANCE_LATE], cases[i].late);
        /* 100 + 350 + 50 = 500 = the day total: late money still counts, so never short */
        assert_int_equal(s.count[RECON_REMITTANCE_SHORT], 0);
        assert_int_equal(s.count[RECON_REMITTANCE_OVER], 0);
        if (cases[i].late) {
            const recon_diff *last = &c.d[cases[i].late - 1];
            assert_string_equal(last->remittance.reference, "second");
            assert_int_equal(last->days_late, cases[i].days_late_second);
        }
        /* nothing in ours: both partner lines are missing in ours; nothing matched */
        assert_int_equal(s.count[RECON_MISSING_IN_OURS], 2);
        assert_int_equal(s.matched, 0);
    }
}

static void test_late_and_short_together(void **state)
{
    (void)state;
    recon_txn partner[] = {txn("A", "C", 1000, may(15))};
    remittance bank[] = {credit("P", may(15), may(20), 400, "late part")};
    collected c = {0};
    recon_summary s;
    pc_err e = {0};
    assert_int_equal(reconcile("P", NULL, 0, partner, 1, bank, 1, 1, collect, &c, &s, &e), 0);
    assert_int_equal(c.n, 3);
    assert_int_equal(c.d[0].kind, RECON_REMITTANCE_LATE);
    assert_int_equal(c.d[0].days_late, 4);
    assert_int_equal(c.d[1].kind, RECON_REMITTANCE_SHORT);
    assert_int_equal(c.d[1].expected, 1000);
    assert_int_equal(c.d[1].actual, 400);
    assert_int_equal(c.d[2].kind, RECON_MISSING_IN_OURS);
}

static void test_over_on_a_day_with_lines(void **state)
{
    (void)state;
    recon_txn ours[] = {txn("A", "C", 1000, may(15))};
    recon_txn partner[] = {txn("A", "C", 1000, may(15))};
    remittance bank[] = {credit("P", may(15), may(16), 600, "1"), credit("P", may(15), may(16), 600, "2")};
    collected c = {0};
    recon_summary s;
    pc_err e = {0};
    assert_int_equal(reconcile("P", ours, 1, partner, 1, bank, 2, 1, collect, &c, &s, &e), 0);
    assert_int_equal(c.n, 1);
    assert_int_equal(c.d[0].kind, RECON_REMITTANCE_OVER);
    assert_int_equal(c.d[0].expected, 1000);
    assert_int_equal(c.d[0].actual, 1200);
    assert_true(recon_match_rate(&s) == 1.0);
}

static void test_nothing_to_reconcile(void **state)
{
    (void)state;
    recon_summary s;
    pc_err e = {0};
    assert_int_equal(reconcile("P", NULL, 0, NULL, 0, NULL, 0, 1, NULL, NULL, &s, &e), 0);
    assert_int_equal(s.transactions, 0);
    assert_int_equal(s.days, 0);
    assert_true(recon_match_rate(&s) == 1.0);
}

static void test_refusals(void **state)
{
    (void)state;
    recon_txn good[] = {txn("A", "C", 1000, may(15))};
    recon_txn empty_ref[] = {txn("", "C", 1000, may(15))};
    recon_txn zero[] = {txn("A", "C", 0, may(15))};
    recon_txn huge[] = {txn("A", "C", INT64_MAX, may(15)), txn("B", "C", 1, may(15))};
    remittance bad_bank[] = {credit("P", may(15), may(16), -1, "neg")};
    remittance other_bad[] = {credit("Q", may(15), may(16), -1, "not P's")};
    recon_summary s;
    pc_err e = {0};
    collected c = {0};
    assert_int_equal(reconcile("P", empty_ref, 1, good, 1, NULL, 0, 1, collect, &c, &s, &e), -1);
    assert_non_null(strstr(e.msg, "our line 1: the transaction reference is empty"));
    assert_int_equal(reconcile("P", good, 1, zero, 1, NULL, 0, 1, collect, &c, &s, &e), -1);
    assert_non_null(strstr(e.msg, "partner line 1 (A): amount 0 must be positive"));
    assert_int_equal(reconcile("P", good, 1, huge, 2, NULL, 0, 1, collect, &c, &s, &e), -1);
    assert_non_null(strstr(e.msg, "add up to more than"));
    assert_int_equal(reconcile("P", good, 1, good, 1, bad_bank, 1, 1, collect, &c, &s, &e), -1);
    assert_non_null(strstr(e.msg, "remittance 1 (neg)"));
    assert_int_equal(reconcile("P", good, 1, good, 1, NULL, 0, -1, collect, &c, &s, &e), -1);
    assert_non_null(strstr(e.msg, "negative"));
    assert_int_equal(reconcile("", good, 1, good, 1, NULL, 0, 1, collect, &c, &s, &e), -1);
    assert_int_equal(e.code, PC_EINVAL);
    assert_int_equal(c.n, 0); /* refused before anything was emitted */
    /* another partner's credits are not this reconciliation's business */
    assert_int_equal(reconcile("P", good, 1, good, 1, other_bad, 1, 1, collect, &c, &s, &e), 0);
    assert_int_equal(s.remittances, 0);
    assert_int_equal(s.count[RECON_REMITTANCE_MISSING], 1);
}

static void test_callback_stops_the_run(void **state)
{
    (void)state;
    recon_txn ours[] = {txn("A", "C", 1, may(15)), txn("B", "C", 1, may(15))};
    collected c = {.stop_after = 1};
    recon_summary s;
    pc_err e = {0};
    assert_int_equal(reconcile("P", ours, N(ours), NULL, 0, NULL, 0, 1, collect, &c, &s, &e), -1);
    assert_int_equal(c.n, 1);
}

static void test_kind_names(void **state)
{
    (void)state;
    assert_string_equal(recon_kind_name(RECON_MISSING_IN_OURS), "missing_in_ours");
    assert_string_equal(recon_kind_name(RECON_REMITTANCE_LATE), "remittance_late");
    assert_string_equal(recon_kind_name(RECON_KIND_COUNT), "?");
    for (int k = 0; k < RECON_KIND_COUNT; k++)
        assert_string_not_equal(recon_kind_name((recon_kind)k), "?");
}

/* Many lines, both sides shuffled differently: one in a thousand missing in ours, one in a
 * thousand with another amount. RECON_SCALE_LINES sets the size (default 200,000 to keep the
 * sanitizer build quick; 1,000,000 is the stated target). Prints the time, asserts only counts. */
static uint64_t lcg(uint64_t *s)
{
    *s = *s * 6364136223846793005ULL + 1442695040888963407ULL;
    return *s >> 33;
}

static void shuffle(recon_txn *t, size_t n, uint64_t seed)
{
    for (size_t i = n - 1; i > 0; i--) {
        size_t j = (size_t)(lcg(&seed) % (i + 1));
        recon_txn x = t[i];
        t[i] = t[j];
        t[j] = x;
    }
}

static void test_large_run(void **state)
{
    (void)state;
    const char *env = getenv("RECON_SCALE_LINES");
    size_t n = env ? (size_t)strtoull(env, NULL, 10) : 200000;
    n -= n % 1000;
    assert_true(n >= 1000);
    recon_txn *ours = malloc(n * sizeof *ours), *partner = malloc(n * sizeof *partner);
    assert_non_null(ours);
    assert_non_null(partner);
    size_t nours = 0;
    money day_total[10] = {0};
    for (size_t i = 0; i < n; i++) {
        char ref[32], customer[24];
        snprintf(ref, sizeof ref, "VNP%012zu", i);
        snprintf(customer, sizeof customer, "PA%011zu", i % 500000);
        money amount = 100000 + (money)(i % 977) * 1000;
        partner[i] = txn(ref, customer, amount, may(1 + (int)(i % 10)));
        day_total[i % 10] += amount;
        if (i % 1000 == 7)
            continue; /* missing in ours */
        ours[nours] = partner[i];
        if (i % 1000 == 3)
            ours[nours].amount += 1;
        nours++;
    }
    shuffle(ours, nours, 1);
    shuffle(partner, n, 2);
    remittance bank[10];
    for (int d = 0; d < 10; d++)
        bank[d] = credit("VNPOST", may(1 + d), may(2 + d), day_total[d], "daily");
    recon_summary s;
    pc_err e = {0};
    double t0 = monotonic_seconds();
    if (reconcile("VNPOST", ours, nours, partner, n, bank, 10, 1, NULL, NULL, &s, &e) != 0)
        fail_msg("%s", e.msg);
    print_message("# %zu lines a side reconciled in %.3f s\n", n, monotonic_seconds() - t0);
    assert_int_equal(s.transactions, n);
    assert_int_equal(s.count[RECON_MISSING_IN_OURS], n / 1000);
    assert_int_equal(s.count[RECON_AMOUNT_DIFFERS], n / 1000);
    assert_int_equal(s.matched, n - 2 * (n / 1000));
    for (int k = RECON_REMITTANCE_MISSING; k < RECON_KIND_COUNT; k++)
        assert_int_equal(s.count[k], 0);
    free(ours);
    free(partner);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_every_kind),
        cmocka_unit_test(test_amount_and_customer_both_differ),
        cmocka_unit_test(test_duplicates_on_both_sides),
        cmocka_unit_test(test_settlement_window),
        cmocka_unit_test(test_late_and_short_together),
        cmocka_unit_test(test_over_on_a_day_with_lines),
        cmocka_unit_test(test_nothing_to_reconcile),
        cmocka_unit_test(test_refusals),
        cmocka_unit_test(test_callback_stops_the_run),
        cmocka_unit_test(test_kind_names),
        cmocka_unit_test(test_large_run),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
