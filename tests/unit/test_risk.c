/* The risk score (DOMAIN 12, docs/risk.md): a table of inputs with the exact points, class,
 * action and reasons each gives under the default [risk] parameters; class boundaries; the
 * configured parameters and their refusals; the reasons' stored text both ways. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>

#include "domain/risk.h"

typedef struct {
    const char *name;
    risk_input in;
    int score;
    risk_class cls;
    risk_action action;
    const char *reasons;
} score_case;

/* Defaults: weights 30/20/15/15/10/5/5; caps 180 days, 5,000,000 đ, 6 late, 2 cuts, 2,000,000 đ;
 * medium at 30, high at 60; prepaid from 4 late payments or any cut; visit from 60 days. */
static const score_case cases[] = {
    {"clean", {0}, 0, RISK_LOW, RISK_ACT_NONE, ""},
    {"tiny overdue gives no points but a reminder", {1, 1, 0, 0, 1, 1, false, false}, 0, RISK_LOW, RISK_ACT_REMINDER, ""},
    {"age 90 days, 1,000,000 d", {90, 1000000, 0, 0, 1000000, 1000000, false, false}, 19, RISK_LOW,
     RISK_ACT_REMINDER, "overdue_age=90:15;overdue_amount=1000000:4"},
    {"one point below medium", {59, 5000000, 0, 0, 5000000, 5000000, false, false}, 29, RISK_LOW, RISK_ACT_REMINDER,
     "overdue_age=59:9;overdue_amount=5000000:20"},
    {"exactly medium, exactly visit age", {60, 5000000, 0, 0, 5000000, 5000000, false, false}, 30, RISK_MEDIUM,
     RISK_ACT_VISIT, "overdue_age=60:10;overdue_amount=5000000:20"},
    {"medium, one day short of a visit", {59, 5000000, 0, 0, 5000000, 5000000, true, false}, 34, RISK_MEDIUM,
     RISK_ACT_REMINDER, "overdue_age=59:9;overdue_amount=5000000:20;flagged_sector=1:5"},
    {"age and amount at their caps", {180, 5000000, 0, 0, 5000000, 5000000, false, false}, 50, RISK_MEDIUM,
     RISK_ACT_VISIT, "overdue_age=180:30;overdue_amount=5000000:20"},
    {"3 late payments", {0, 0, 3, 0, 0, 0, false, false}, 7, RISK_LOW, RISK_ACT_NONE, "late_payments=3:7"},
    {"late payments capped at 6", {0, 0, 10, 0, 0, 0, false, false}, 15, RISK_LOW, RISK_ACT_NONE,
     "late_payments=10:15"},
    {"one disconnection", {0, 0, 0, 1, 0, 0, false, false}, 7, RISK_LOW, RISK_ACT_NONE, "disconnections=1:7"},
    {"debt grew 2,000,000 d", {0, 0, 0, 0, 3000000, 1000000, false, false}, 10, RISK_LOW, RISK_ACT_NONE,
     "debt_growth=2000000:10"},
    {"debt fell: no growth points", {0, 0, 0, 0, 1000000, 3000000, false, false}, 0, RISK_LOW, RISK_ACT_NONE, ""},
    {"flagged customer", {0, 0, 0, 0, 0, 0, false, true}, 5, RISK_LOW, RISK_ACT_NONE, "flagged_customer=1:5"},
    {"exactly high, guarantee", {365, 10000000, 2, 0, 10000000, 9000000, false, false}, 60, RISK_HIGH,
     RISK_ACT_GUARANTEE, "overdue_age=365:30;overdue_amount=10000000:20;late_payments=2:5;debt_growth=1000000:5"},
    {"one point below high", {365, 10000000, 2, 0, 10000000, 9200000, false, false}, 59, RISK_MEDIUM, RISK_ACT_VISIT,
     "overdue_age=365:30;overdue_amount=10000000:20;late_payments=2:5;debt_growth=800000:4"},
    {"high with 4 late payments: prepaid", {365, 10000000, 4, 0, 10000000, 9000000, false, false}, 65, RISK_HIGH,
     RISK_ACT_PREPAID, "overdue_age=365:30;overdue_amount=10000000:20;late_payments=4:10;debt_growth=1000000:5"},
    {"high with a cut: prepaid", {365, 10000000, 2, 1, 10000000, 9000000, false, false}, 67, RISK_HIGH,
     RISK_ACT_PREPAID,
     "overdue_age=365:30;overdue_amount=10000000:20;late_payments=2:5;disconnections=1:7;debt_growth=1000000:5"},
    {"every factor at its cap", {400, 9000000, 6, 2, 9000000, 0, true, true}, 100, RISK_HIGH, RISK_ACT_PREPAID,
     "overdue_age=400:30;overdue_amount=9000000:20;late_payments=6:15;disconnections=2:15;debt_growth=9000000:10;"
     "flagged_sector=1:5;flagged_customer=1:5"},
};

static void test_score_table(void **state)
{
    (void)state;
    risk_params p = risk_params_default();
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        const score_case *c = &cases[i];
        risk_result r;
        risk_score(&p, &c->in, &r);
        char text[512];
        risk_reasons_text(&r, text, sizeof text);
        if (r.score != c->score || r.cls != c->cls || r.action != c->action || strcmp(text, c->reasons) != 0)
            fail_msg("%s: score %d class %s action %s reasons '%s'; expected %d %s %s '%s'", c->name, r.score,
                     risk_class_name(r.cls), risk_action_name(r.action), text, c->score, risk_class_name(c->cls),
                     risk_action_name(c->action), c->reasons);
        int sum = 0;
        for (int k = 0; k < r.nreasons; k++)
            sum += r.reasons[k].points;
        assert_int_equal(sum, r.score); /* under 100 the reasons explain every point */
    }
}

static void test_configured(void **state)
{
    (void)state;
    risk_params p = risk_params_default();
    pc_err e = {0};
    assert_int_equal(risk_params_set(&p, "weight_overdue_age", "60", &e), 1);
    assert_int_equal(risk_params_set(&p, "weight_flagged_sector", "50", &e), 1);
    assert_int_equal(risk_params_set(&p, "high_threshold", "80", &e), 1);
    assert_int_equal(risk_params_set(&p, "sectors", "business, production", &e), 1);
    assert_int_equal(p.nsectors, 2);
    assert_true(risk_sector_flagged(&p, "production"));
    assert_false(risk_sector_flagged(&p, "residential"));
    assert_int_equal(risk_params_check(&p, &e), 0);
    /* 60 * 90 / 180 = 30, + 50 for the sector, + 20 for the amount at its cap: 100 → capped */
    risk_input in = {90, 5000000, 0, 0, 5000000, 5000000, true, false};
    risk_result r;
    risk_score(&p, &in, &r);
    assert_int_equal(r.score, 100);
    assert_int_equal(r.cls, RISK_HIGH);
    assert_int_equal(r.action, RISK_ACT_GUARANTEE);
    in.sector_flagged = false; /* 30 + 20 = 50: medium under 80 */
    risk_score(&p, &in, &r);
    assert_int_equal(r.score, 50);
    assert_int_equal(r.cls, RISK_MEDIUM);
    assert_int_equal(r.action, RISK_ACT_VISIT);
    /* overflowing weights: the score stops at 100 */
    assert_int_equal(risk_params_set(&p, "weight_overdue_amount", "100", &e), 1);
    in.sector_flagged = true;
    risk_score(&p, &in, &r);
    assert_int_equal(r.score, 100);

    char text[1024];
    risk_params d = risk_params_default();
    risk_params_text(&d, text, sizeof text);
    assert_string_equal(text, "weight_overdue_age=30;weight_overdue_amount=20;weight_late_payments=15;"
                              "weight_disconnections=15;weight_debt_growth=10;weight_flagged_sector=5;"
                              "weight_flagged_customer=5;overdue_age_cap_days=180;overdue_amount_cap=5000000;"
                              "late_payments_cap=6;disconnections_cap=2;debt_growth_cap=2000000;medium_threshold=30;"
                              "high_threshold=60;prepaid_late_payments=4;visit_overdue_days=60;sectors=");
}

static void test_refusals(void **state)
{
    (void)state;
    risk_params p = risk_params_default();
    pc_err e = {0};
    assert_int_equal(risk_params_set(&p, "weight_nothing", "5", &e), 0);
    assert_int_equal(risk_params_set(&p, "colour", "red", &e), 0);
    assert_int_equal(risk_params_set(&p, "weight_overdue_age", "101", &e), -1);
    assert_non_null(strstr(e.msg, "weight_overdue_age"));
    assert_int_equal(risk_params_set(&p, "overdue_amount_cap", "0", &e), -1);
    assert_int_equal(risk_params_set(&p, "high_threshold", "ten", &e), -1);
    assert_int_equal(risk_params_set(&p, "sectors", "mining", &e), -1);
    assert_non_null(strstr(e.msg, "mining"));
    assert_int_equal(risk_params_set(&p, "medium_threshold", "70", &e), 1);
    assert_int_equal(risk_params_check(&p, &e), -1); /* 70 >= high 60 */
    assert_non_null(strstr(e.msg, "medium_threshold"));
}

static void test_reasons_text(void **state)
{
    (void)state;
    risk_reason rs[RISK_FACTORS];
    int n;
    assert_int_equal(risk_reasons_parse("overdue_age=45:7;debt_growth=1500000:7", rs, &n), 0);
    assert_int_equal(n, 2);
    assert_int_equal(rs[0].factor, RISK_F_OVERDUE_AGE);
    assert_int_equal(rs[0].value, 45);
    assert_int_equal(rs[0].points, 7);
    assert_int_equal(rs[1].factor, RISK_F_DEBT_GROWTH);
    assert_int_equal(rs[1].value, 1500000);
    assert_int_equal(risk_reasons_parse("", rs, &n), 0);
    assert_int_equal(n, 0);
    assert_int_equal(risk_reasons_parse("overdue_age=45", rs, &n), -1);
    assert_int_equal(risk_reasons_parse("weather=1:2", rs, &n), -1);
    risk_class c;
    assert_int_equal(risk_class_parse("high", &c), 0);
    assert_int_equal(c, RISK_HIGH);
    assert_int_equal(risk_class_parse("severe", &c), -1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_score_table),
        cmocka_unit_test(test_configured),
        cmocka_unit_test(test_refusals),
        cmocka_unit_test(test_reasons_text),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
