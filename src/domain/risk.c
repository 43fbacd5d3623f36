/* Risk score, class, reasons and action of a customer (see risk.h and docs/risk.md). Integer
 * arithmetic only: the same input gives the same points on every machine. */
#include "domain/risk.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const factor_codes[RISK_FACTORS] = {"overdue_age",    "overdue_amount", "late_payments",
                                                       "disconnections", "debt_growth",    "flagged_sector",
                                                       "flagged_customer"};

risk_params risk_params_default(void)
{
    /* Ours to verify (docs/risk.md): the weights sum to 100 so a customer at every cap scores 100. */
    risk_params p = {0};
    p.weight[RISK_F_OVERDUE_AGE] = 30;
    p.weight[RISK_F_OVERDUE_AMOUNT] = 20;
    p.weight[RISK_F_LATE_PAYMENTS] = 15;
    p.weight[RISK_F_DISCONNECTIONS] = 15;
    p.weight[RISK_F_DEBT_GROWTH] = 10;
    p.weight[RISK_F_FLAGGED_SECTOR] = 5;
    p.weight[RISK_F_FLAGGED_CUSTOMER] = 5;
    p.overdue_age_cap_days = 180;
    p.overdue_amount_cap = 5000000;
    p.late_payments_cap = 6;
    p.disconnections_cap = 2;
    p.debt_growth_cap = 2000000;
    p.medium_threshold = 30;
    p.high_threshold = 60;
    p.prepaid_late_payments = 4;
    p.visit_overdue_days = 60;
    return p;
}

static int number(const char *key, const char *value, int64_t min, int64_t max, int64_t *out, pc_err *e)
{
    char *end;
    errno = 0;
    long long v = strtoll(value, &end, 10);
    if (!value[0] || *end || errno || v < min || v > max)
        return pc_errf(e, PC_EINVAL, "[risk] %s = '%s': a whole number from %lld to %lld is expected", key, value,
                       (long long)min, (long long)max);
    *out = v;
    return 0;
}

static int sectors_set(risk_params *p, const char *value, pc_err *e)
{
    p->nsectors = 0;
    const char *s = value;
    while (*s) {
        while (*s == ' ' || *s == ',')
            s++;
        if (!*s)
            break;
        size_t n = strcspn(s, ", ");
        if (p->nsectors == RISK_SECTORS_MAX || n >= sizeof p->sectors[0])
            return pc_errf(e, PC_EINVAL, "[risk] sectors: at most %d contract purposes", RISK_SECTORS_MAX);
        memcpy(p->sectors[p->nsectors], s, n);
        p->sectors[p->nsectors][n] = '\0';
        const char *known[] = {"residential", "production", "business", "administrative_public", "administrative_other"};
        bool ok = false;
        for (size_t i = 0; i < sizeof known / sizeof *known; i++)
            ok = ok || strcmp(known[i], p->sectors[p->nsectors]) == 0;
        if (!ok)
            return pc_errf(e, PC_EINVAL,
                           "[risk] sectors: '%s' is not a contract purpose (residential, production, business, "
                           "administrative_public, administrative_other)",
                           p->sectors[p->nsectors]);
        p->nsectors++;
        s += n;
    }
    return 0;
}

int risk_params_set(risk_params *p, const char *key, const char *value, pc_err *e)
{
    int64_t v = 0;
    if (strncmp(key, "weight_", 7) == 0) {
        risk_factor f;
        if (risk_factor_parse(key + 7, &f) != 0)
            return 0;
        if (number(key, value, 0, 100, &v, e) != 0)
            return -1;
        p->weight[f] = (int)v;
        return 1;
    }
    struct {
        const char *key;
        int64_t *dst64;
        int *dst;
        int64_t min, max;
    } keys[] = {
        {"overdue_age_cap_days", &p->overdue_age_cap_days, NULL, 1, 3650},
        {"overdue_amount_cap", &p->overdue_amount_cap, NULL, 1, 1000000000000LL},
        {"late_payments_cap", &p->late_payments_cap, NULL, 1, 12},
        {"disconnections_cap", &p->disconnections_cap, NULL, 1, 12},
        {"debt_growth_cap", &p->debt_growth_cap, NULL, 1, 1000000000000LL},
        {"medium_threshold", NULL, &p->medium_threshold, 1, 100},
        {"high_threshold", NULL, &p->high_threshold, 1, 100},
        {"prepaid_late_payments", NULL, &p->prepaid_late_payments, 1, 12},
        {"visit_overdue_days", NULL, &p->visit_overdue_days, 1, 3650},
    };
    for (size_t i = 0; i < sizeof keys / sizeof *keys; i++)
        if (strcmp(keys[i].key, key) == 0) {
            if (number(key, value, keys[i].min, keys[i].max, &v, e) != 0)
                return -1;
            if (keys[i].dst64)
                *keys[i].dst64 = v;
            else
                *keys[i].dst = (int)v;
            return 1;
        }
    if (strcmp(key, "sectors") == 0)
        return sectors_set(p, value, e) == 0 ? 1 : -1;
    return 0;
}

int risk_params_check(const risk_params *p, pc_err *e)
{
    if (p->medium_threshold <= 0 || p->medium_threshold >= p->high_threshold || p->high_threshold > 100)
        return pc_errf(e, PC_EINVAL, "[risk] 0 < medium_threshold (%d) < high_threshold (%d) <= 100 is expected",
                       p->medium_threshold, p->high_threshold);
    if (p->overdue_age_cap_days <= 0 || p->overdue_amount_cap <= 0 || p->late_payments_cap <= 0 ||
        p->disconnections_cap <= 0 || p->debt_growth_cap <= 0)
        return pc_errf(e, PC_EINVAL, "[risk] every cap must be positive");
    for (int f = 0; f < RISK_FACTORS; f++)
        if (p->weight[f] < 0 || p->weight[f] > 100)
            return pc_errf(e, PC_EINVAL, "[risk] weight_%s: 0 to 100 is expected", factor_codes[f]);
    return 0;
}

bool risk_sector_flagged(const risk_params *p, const char *purpose)
{
    if (!purpose)
        return false;
    for (int i = 0; i < p->nsectors; i++)
        if (strcmp(p->sectors[i], purpose) == 0)
            return true;
    return false;
}

size_t risk_params_text(const risk_params *p, char *out, size_t cap)
{
    size_t n = 0;
#define PUT(...)                                                                                                        \
    do {                                                                                                                \
        int k_ = snprintf(out + (n < cap ? n : cap), n < cap ? cap - n : 0, __VA_ARGS__);                               \
        if (k_ > 0)                                                                                                     \
            n += (size_t)k_;                                                                                            \
    } while (0)
    if (cap)
        out[0] = '\0';
    for (int f = 0; f < RISK_FACTORS; f++)
        PUT("weight_%s=%d;", factor_codes[f], p->weight[f]);
    PUT("overdue_age_cap_days=%lld;overdue_amount_cap=%lld;late_payments_cap=%lld;disconnections_cap=%lld;"
        "debt_growth_cap=%lld;medium_threshold=%d;high_threshold=%d;prepaid_late_payments=%d;visit_overdue_days=%d;"
        "sectors=",
        (long long)p->overdue_age_cap_days, (long long)p->overdue_amount_cap, (long long)p->late_payments_cap,
        (long long)p->disconnections_cap, (long long)p->debt_growth_cap, p->medium_threshold, p->high_threshold,
        p->prepaid_late_payments, p->visit_overdue_days);
    for (int i = 0; i < p->nsectors; i++)
        PUT("%s%s", i ? "," : "", p->sectors[i]);
#undef PUT
    return n;
}

/* weight * min(v, cap) / cap, rounded down; nothing for v <= 0. */
static int scaled(int weight, int64_t v, int64_t cap)
{
    if (v <= 0 || weight <= 0 || cap <= 0)
        return 0;
    if (v > cap)
        v = cap;
    /* weight <= 100 and cap <= 10^12: the product stays far inside int64 */
    return (int)((int64_t)weight * v / cap);
}

void risk_score(const risk_params *p, const risk_input *in, risk_result *out)
{
    memset(out, 0, sizeof *out);
    int64_t growth = in->debt - in->debt_before;
    int64_t values[RISK_FACTORS] = {in->overdue_days,   in->overdue_amount, in->late_payments, in->disconnections,
                                    growth > 0 ? growth : 0, in->sector_flagged ? 1 : 0, in->customer_flagged ? 1 : 0};
    int64_t caps[RISK_FACTORS] = {p->overdue_age_cap_days, p->overdue_amount_cap, p->late_payments_cap,
                                  p->disconnections_cap,   p->debt_growth_cap,    1, 1};
    int total = 0;
    for (int f = 0; f < RISK_FACTORS; f++) {
        int pts = scaled(p->weight[f], values[f], caps[f]);
        if (pts <= 0)
            continue;
        out->reasons[out->nreasons++] = (risk_reason){(risk_factor)f, values[f], pts};
        total += pts;
    }
    out->score = total > 100 ? 100 : total;
    out->cls = out->score >= p->high_threshold ? RISK_HIGH : out->score >= p->medium_threshold ? RISK_MEDIUM : RISK_LOW;
    /* The action (docs/risk.md): a high-risk customer who was cut or pays late habitually moves
     * to prepaid; other high-risk customers give a guarantee deposit; medium ones get a visit
     * when their debt is old, else a reminder; low ones a reminder while anything is overdue. */
    switch (out->cls) {
    case RISK_HIGH:
        out->action = in->disconnections > 0 || in->late_payments >= p->prepaid_late_payments ? RISK_ACT_PREPAID
                                                                                              : RISK_ACT_GUARANTEE;
        break;
    case RISK_MEDIUM:
        out->action = in->overdue_days >= p->visit_overdue_days ? RISK_ACT_VISIT : RISK_ACT_REMINDER;
        break;
    default:
        out->action = in->overdue_amount > 0 ? RISK_ACT_REMINDER : RISK_ACT_NONE;
    }
}

const char *risk_factor_code(risk_factor f)
{
    return f >= 0 && f < RISK_FACTORS ? factor_codes[f] : "?";
}

int risk_factor_parse(const char *s, risk_factor *out)
{
    for (int f = 0; f < RISK_FACTORS; f++)
        if (s && strcmp(s, factor_codes[f]) == 0) {
            *out = (risk_factor)f;
            return 0;
        }
    return -1;
}

const char *risk_class_name(risk_class c)
{
    return c == RISK_HIGH ? "high" : c == RISK_MEDIUM ? "medium" : "low";
}

int risk_class_parse(const char *s, risk_class *out)
{
    if (!s)
        return -1;
    if (strcmp(s, "low") == 0)
        *out = RISK_LOW;
    else if (strcmp(s, "medium") == 0)
        *out = RISK_MEDIUM;
    else if (strcmp(s, "high") == 0)
        *out = RISK_HIGH;
    else
        return -1;
    return 0;
}

const char *risk_action_name(risk_action a)
{
    static const char *const names[] = {"none", "reminder", "visit", "guarantee", "prepaid"};
    return a >= RISK_ACT_NONE && a <= RISK_ACT_PREPAID ? names[a] : "none";
}

size_t risk_reasons_text(const risk_result *r, char *out, size_t cap)
{
    size_t n = 0;
    if (cap)
        out[0] = '\0';
    for (int i = 0; i < r->nreasons; i++) {
        int k = snprintf(out + (n < cap ? n : cap), n < cap ? cap - n : 0, "%s%s=%lld:%d", i ? ";" : "",
                         factor_codes[r->reasons[i].factor], (long long)r->reasons[i].value, r->reasons[i].points);
        if (k > 0)
            n += (size_t)k;
    }
    return n;
}

int risk_reasons_parse(const char *text, risk_reason *out, int *n)
{
    *n = 0;
    const char *s = text ? text : "";
    while (*s) {
        if (*n == RISK_FACTORS)
            return -1;
        const char *eq = strchr(s, '=');
        if (!eq || eq - s >= 32)
            return -1;
        char code[32];
        memcpy(code, s, (size_t)(eq - s));
        code[eq - s] = '\0';
        risk_factor f;
        if (risk_factor_parse(code, &f) != 0)
            return -1;
        char *end;
        long long v = strtoll(eq + 1, &end, 10);
        if (end == eq + 1 || *end != ':')
            return -1;
        const char *pts = end + 1;
        long p = strtol(pts, &end, 10);
        if (end == pts || (*end && *end != ';'))
            return -1;
        out[(*n)++] = (risk_reason){f, v, (int)p};
        s = *end ? end + 1 : end;
    }
    return 0;
}
