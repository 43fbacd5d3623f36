/* Monthly risk classification of a customer (DOMAIN 12, docs/risk.md): a score 0-100 from weighted
 * factors (overdue age and amount, late payments, disconnections, debt growth, flagged sector and
 * customer), a class, the reasons behind the score and a suggested action. Pure functions; the
 * weights and thresholds are configuration ([risk], defaults ours to verify). */
#ifndef PC_DOMAIN_RISK_H
#define PC_DOMAIN_RISK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/err.h"

/* The factors, in the order reasons are listed. */
typedef enum {
    RISK_F_OVERDUE_AGE,
    RISK_F_OVERDUE_AMOUNT,
    RISK_F_LATE_PAYMENTS,
    RISK_F_DISCONNECTIONS,
    RISK_F_DEBT_GROWTH,
    RISK_F_FLAGGED_SECTOR,
    RISK_F_FLAGGED_CUSTOMER,
    RISK_FACTORS
} risk_factor;

typedef enum { RISK_LOW, RISK_MEDIUM, RISK_HIGH } risk_class;

typedef enum { RISK_ACT_NONE, RISK_ACT_REMINDER, RISK_ACT_VISIT, RISK_ACT_GUARANTEE, RISK_ACT_PREPAID } risk_action;

#define RISK_SECTORS_MAX 5

/* Each factor gives weight[f] * min(value, cap[f]) / cap[f] points (rounded down); the two flags
 * give their whole weight when set. The score is the sum, at most 100. */
typedef struct {
    int weight[RISK_FACTORS];
    int64_t overdue_age_cap_days;  /* oldest overdue invoice this many days late: full weight */
    int64_t overdue_amount_cap;    /* đồng overdue for full weight */
    int64_t late_payments_cap;     /* invoices paid late in 12 months for full weight */
    int64_t disconnections_cap;    /* cuts done in 12 months for full weight */
    int64_t debt_growth_cap;       /* đồng of growth over 3 months for full weight */
    int medium_threshold;          /* score at or above: medium */
    int high_threshold;            /* score at or above: high */
    int prepaid_late_payments;     /* high with this many late payments (or any cut): prepaid */
    int visit_overdue_days;        /* medium with the oldest overdue this old: visit */
    int nsectors;
    char sectors[RISK_SECTORS_MAX][32]; /* contract purposes flagged (default: none) */
} risk_params;

/* What a run measured of one customer at the month's end. */
typedef struct {
    int64_t overdue_days;   /* age of the oldest overdue open invoice; 0 when none */
    int64_t overdue_amount; /* đồng overdue */
    int64_t late_payments;  /* payments in the last 12 months that settled an invoice after its due date */
    int64_t disconnections; /* cut orders done in the last 12 months */
    int64_t debt;           /* debt at the month's end */
    int64_t debt_before;    /* debt 3 months before (0 when unknown) */
    bool sector_flagged;
    bool customer_flagged;
} risk_input;

typedef struct {
    risk_factor factor;
    int64_t value;  /* days, đồng, count; 1 for a flag */
    int points;
} risk_reason;

typedef struct {
    int score;
    risk_class cls;
    risk_action action;
    int nreasons; /* factors that gave points, in factor order */
    risk_reason reasons[RISK_FACTORS];
} risk_result;

risk_params risk_params_default(void);
/* Sets one [risk] key from its text ("weight_overdue_age = 30", "sectors = business,production").
 * 1: set; 0: the key is unknown; -1: a bad value (e says why). */
int risk_params_set(risk_params *p, const char *key, const char *value, pc_err *e);
/* Caps positive, 0 < medium_threshold < high_threshold <= 100, weights 0-100. */
int risk_params_check(const risk_params *p, pc_err *e);
/* Whether a contract purpose is in the flagged sectors. */
bool risk_sector_flagged(const risk_params *p, const char *purpose);
/* A canonical text of the parameters ("k=v;…"), stored with a run so it says what it used. */
size_t risk_params_text(const risk_params *p, char *out, size_t cap);

void risk_score(const risk_params *p, const risk_input *in, risk_result *out);

/* "overdue_age", "overdue_amount", "late_payments", "disconnections", "debt_growth",
 * "flagged_sector", "flagged_customer" */
const char *risk_factor_code(risk_factor f);
int risk_factor_parse(const char *s, risk_factor *out);
const char *risk_class_name(risk_class c); /* "low", "medium", "high" */
int risk_class_parse(const char *s, risk_class *out);
const char *risk_action_name(risk_action a); /* "none", "reminder", "visit", "guarantee", "prepaid" */
/* The reasons as stored and printed: "overdue_age=45:7;overdue_amount=1500000:6" (code=value:points). */
size_t risk_reasons_text(const risk_result *r, char *out, size_t cap);
/* The reverse; -1 on text not of that form. */
int risk_reasons_parse(const char *text, risk_reason *out, int *n);

#endif
