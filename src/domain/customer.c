/* Customer validation rules (see customer.h). */
#include "domain/customer.h"

#include "base/fold.h"

#include <stdio.h>
#include <string.h>

static const char *const purpose_names[PURPOSE_COUNT] = {
    "residential", "production", "business", "administrative_public", "administrative_other"};

static const char *const voltage_bands[] = {"<6kV", "6-22kV", "22-110kV", ">=110kV"};

const char *purpose_name(customer_purpose p)
{
    return p < PURPOSE_COUNT ? purpose_names[p] : "?";
}

int purpose_parse(const char *s, customer_purpose *out, pc_err *e)
{
    for (int i = 0; i < PURPOSE_COUNT; i++) {
        if (strcmp(s, purpose_names[i]) == 0) {
            *out = (customer_purpose)i;
            return 0;
        }
    }
    return pc_errf(e, PC_EINVAL,
                   "purpose '%s' is not one of residential, production, business, "
                   "administrative_public, administrative_other", s);
}

bool purpose_is_residential(customer_purpose p)
{
    return p == PURPOSE_RESIDENTIAL;
}

const char *purpose_class(customer_purpose p)
{
    return p == PURPOSE_RESIDENTIAL ? "residential" : "nonresidential";
}

bool voltage_valid(const char *s)
{
    for (size_t i = 0; i < sizeof voltage_bands / sizeof *voltage_bands; i++)
        if (strcmp(s, voltage_bands[i]) == 0)
            return true;
    return false;
}

static bool all_upper(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (s[i] < 'A' || s[i] > 'Z')
            return false;
    return true;
}

static bool all_digits(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (s[i] < '0' || s[i] > '9')
            return false;
    return true;
}

int org_code_level(const char *code, org_level *out, pc_err *e)
{
    size_t n = strlen(code);
    if (n == 2 && all_upper(code, 2))
        *out = ORG_CORPORATION;
    else if (n == 4 && all_upper(code, 2) && all_digits(code + 2, 2))
        *out = ORG_COMPANY;
    else if (n == 6 && all_upper(code, 2) && all_digits(code + 2, 4))
        *out = ORG_UNIT;
    else if (n >= 3 && n <= 8 && all_upper(code, n))
        *out = ORG_GROUP;
    else
        return pc_errf(e, PC_EINVAL,
                       "org code '%s' is not EVN-style: 'PA' (corporation), 'PA01' (company), "
                       "'PA0101' (unit) or 3-8 capital letters (group)", code);
    return 0;
}

const char *org_level_name(org_level l)
{
    static const char *names[] = {"group", "corporation", "company", "unit"};
    return names[l];
}

int customer_code_check(const char *code, pc_err *e)
{
    size_t n = strlen(code);
    if (n != CUSTOMER_CODE_LEN || !all_upper(code, 2) || !all_digits(code + 2, n - 2))
        return pc_errf(e, PC_EINVAL,
                       "customer code '%s' must be a unit code and 7 digits, 13 characters "
                       "(e.g. PA01010012345)", code);
    return 0;
}

int phone_normalize(const char *in, char out[16], pc_err *e)
{
    char d[24];
    size_t n = 0;
    const char *p = in;
    if (p[0] == '+') {
        if (strncmp(p, "+84", 3) != 0)
            return pc_errf(e, PC_EINVAL, "phone '%s' is not a Vietnamese number", in);
        d[n++] = '0';
        p += 3;
    }
    for (; *p; p++) {
        if (*p == ' ' || *p == '.' || *p == '-')
            continue;
        if (*p < '0' || *p > '9' || n >= sizeof d - 1)
            return pc_errf(e, PC_EINVAL, "phone '%s' must be digits (0912345678 or +84912345678)", in);
        d[n++] = *p;
    }
    d[n] = '\0';
    bool mobile = n == 10 && d[0] == '0' && strchr("35789", d[1]);
    bool landline = n == 11 && d[0] == '0' && d[1] == '2';
    if (!mobile && !landline)
        return pc_errf(e, PC_EINVAL,
                       "phone '%s' is not a Vietnamese mobile (10 digits, 03/05/07/08/09) or "
                       "landline (11 digits, 02…) number", in);
    memcpy(out, d, n + 1);
    return 0;
}

int bool_parse(const char *s, bool *out, pc_err *e)
{
    /* Folded first, so "CÓ", "Không" and "KHONG" read alike. */
    static const char *yes[] = {"1", "true", "yes", "y", "x", "co"};
    static const char *no[] = {"", "0", "false", "no", "n", "khong"};
    char f[32];
    bool ascii_punct = false;
    for (const char *p = s; *p; p++)
        ascii_punct |= (unsigned char)*p < 0x80 && !((*p >= '0' && *p <= '9') || ((*p | 0x20) >= 'a' && (*p | 0x20) <= 'z'));
    if (ascii_punct || strlen(s) >= sizeof f || text_fold(s, f, sizeof f, NULL) != 0)
        return pc_errf(e, PC_EINVAL, "'%s' is not yes or no (1/0, true/false, yes/no, có/không)", s);
    for (size_t i = 0; i < sizeof yes / sizeof *yes; i++)
        if (strcmp(f, yes[i]) == 0) {
            *out = true;
            return 0;
        }
    for (size_t i = 0; i < sizeof no / sizeof *no; i++)
        if (strcmp(f, no[i]) == 0) {
            *out = false;
            return 0;
        }
    return pc_errf(e, PC_EINVAL, "'%s' is not yes or no (1/0, true/false, yes/no, có/không)", s);
}

void customer_defaults(customer *c)
{
    memset(c, 0, sizeof *c);
    c->purpose = PURPOSE_RESIDENTIAL;
    c->households = 1;
    strcpy(c->status, "active");
    strcpy(c->payment_mode, "postpaid");
    c->payment_term_days = 7;
    c->periods_per_month = 1;
}

int customer_validate(const customer *c, pc_err *e)
{
    if (customer_code_check(c->code, e) != 0)
        return pc_err_prefix(e, "customer_code");
    if (strncmp(c->code, c->unit, UNIT_CODE_LEN) != 0 || strlen(c->unit) != UNIT_CODE_LEN)
        return pc_errf(e, PC_EINVAL, "customer_code: '%s' does not start with its unit code '%s'",
                       c->code, c->unit);
    if (!c->name[0])
        return pc_errf(e, PC_EINVAL, "name: is empty");
    if (!c->address[0])
        return pc_errf(e, PC_EINVAL, "address: is empty");
    if (c->purpose >= PURPOSE_COUNT)
        return pc_errf(e, PC_EINVAL, "purpose: unknown");
    if (strcmp(c->status, "active") && strcmp(c->status, "disconnected") && strcmp(c->status, "terminated"))
        return pc_errf(e, PC_EINVAL, "status: '%s' is not active, disconnected or terminated", c->status);
    if (strcmp(c->payment_mode, "postpaid") && strcmp(c->payment_mode, "prepaid"))
        return pc_errf(e, PC_EINVAL, "payment_mode: '%s' is not postpaid or prepaid", c->payment_mode);
    if (c->households < 1 || c->households > 999)
        return pc_errf(e, PC_EINVAL, "households: %d is not between 1 and 999", c->households);
    if (c->persons < 0 || c->persons > 9999)
        return pc_errf(e, PC_EINVAL, "persons: %d is not between 1 and 9999", c->persons);
    if (c->payment_term_days < 0 || c->payment_term_days > 90)
        return pc_errf(e, PC_EINVAL, "payment_term_days: %d is not between 0 and 90", c->payment_term_days);
    if (c->periods_per_month < 1 || c->periods_per_month > 3)
        return pc_errf(e, PC_EINVAL, "periods_per_month: %d is not 1, 2 or 3", c->periods_per_month);
    if (c->est_kwh_month < 0)
        return pc_errf(e, PC_EINVAL, "est_kwh: must not be negative");

    if (purpose_is_residential(c->purpose)) {
        if (c->voltage[0])
            return pc_errf(e, PC_EINVAL, "voltage: must be empty for a residential customer (got '%s')",
                           c->voltage);
        if (c->tou)
            return pc_errf(e, PC_EINVAL, "tou: residential customers are billed by tiers, not time of use");
        if (c->persons && !c->renter)
            return pc_errf(e, PC_EINVAL, "persons: declared persons apply only to a renter's contract");
        if (c->renter && c->households != 1)
            return pc_errf(e, PC_EINVAL, "households: a renter's contract counts households from persons, "
                                         "leave households at 1");
        if (c->periods_per_month != 1)
            return pc_errf(e, PC_EINVAL, "periods_per_month: residential meters are read once a month");
    } else {
        if (!c->voltage[0])
            return pc_errf(e, PC_EINVAL, "voltage: required for a %s customer (<6kV, 6-22kV, 22-110kV, >=110kV)",
                           purpose_name(c->purpose));
        if (!voltage_valid(c->voltage))
            return pc_errf(e, PC_EINVAL, "voltage: '%s' is not one of <6kV, 6-22kV, 22-110kV, >=110kV", c->voltage);
        if (c->households != 1)
            return pc_errf(e, PC_EINVAL, "households: only residential meters serve several households");
        if (c->renter || c->persons)
            return pc_errf(e, PC_EINVAL, "renter: the renters' rule applies to residential customers only");
        if (c->tou && (c->purpose == PURPOSE_ADMIN_PUBLIC || c->purpose == PURPOSE_ADMIN_OTHER))
            return pc_errf(e, PC_EINVAL, "tou: administrative customers pay one price, not time of use");
    }
    return 0;
}
