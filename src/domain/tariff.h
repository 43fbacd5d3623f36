/* EVN tariffs and the rating rule of DOMAIN 5.6, as pure functions over a tariff set loaded
 * from data (data/tariffs/): residential tiers with households and renters, time-of-use
 * registers by purpose and voltage, one-price administrative customers, proration across one
 * or several price changes inside a reading period, VAT by reading date, exact integers. */
#ifndef PC_DOMAIN_TARIFF_H
#define PC_DOMAIN_TARIFF_H

#include <stdbool.h>
#include <stdint.h>

#include "base/date.h"
#include "base/err.h"
#include "domain/customer.h"

#define TARIFF_MAX_TIERS 12
#define TARIFF_MAX_SCHEDULES 32
#define TARIFF_MAX_VAT 32
#define VOLTAGE_BANDS 4
#define RATE_MAX_PARTS 8
#define RATE_MAX_LINES 64

enum { TOU_NORMAL, TOU_PEAK, TOU_OFFPEAK, TOU_REGISTERS };

typedef struct {
    int64_t upto; /* cumulative bound in kWh; -1: no limit (the last tier) */
    int64_t price;
} tariff_tier;

typedef struct {
    civil_date effective;
    char decision[48];
    bool verified;
    int ntiers;
    tariff_tier tiers[TARIFF_MAX_TIERS];
    int64_t prepaid_price; /* 0 when none */
} residential_schedule;

typedef struct {
    bool set;
    int64_t price[TOU_REGISTERS]; /* normal, peak, off-peak; administrative: all three = the one price */
    bool flat;                    /* one price (administrative) */
} price_cell;

typedef struct {
    civil_date effective;
    char decision[48];
    bool verified;
    price_cell cells[PURPOSE_COUNT][VOLTAGE_BANDS]; /* [purpose][voltage_index]; residential unused */
} nonresidential_schedule;

typedef struct {
    civil_date from, to;
    int rate; /* percent */
} vat_period;

typedef struct {
    civil_date effective;
    char decision[48];
    int64_t price; /* đồng/kWh paid to the customer */
} solar_schedule;

typedef struct {
    int persons_per_household; /* 4: every 4 declared persons of a renter count as one household */
    int nres, nnonres, nvat;
    residential_schedule res[TARIFF_MAX_SCHEDULES];        /* by effective date, ascending */
    nonresidential_schedule nonres[TARIFF_MAX_SCHEDULES]; /* by effective date, ascending */
    vat_period vat[TARIFF_MAX_VAT];
    int nsolar;
    solar_schedule solar[TARIFF_MAX_SCHEDULES];
} tariff_set;

typedef struct {
    customer_purpose purpose;
    int voltage; /* voltage_index(); ignored for residential */
    civil_date previous_reading, reading;
    bool registers;                /* kWh by register (normal, peak, off-peak) instead of one total */
    int64_t kwh;                   /* total, when !registers */
    int64_t reg_kwh[TOU_REGISTERS]; /* when registers */
    int households;                /* ≥ 1 */
    bool renter;
    int persons; /* declared occupants of a renter; 0 = not declared */
} rate_request;

typedef struct {
    civil_date from, to; /* the part of the period the line belongs to */
    const char *item;    /* "tier 3", "normal", "peak", "offpeak", "flat" (static text) */
    int tier;            /* 1-based tier, 0 for registers */
    int64_t kwh, price, amount;
} rate_line;

typedef struct {
    int nlines;
    rate_line lines[RATE_MAX_LINES];
    int nparts;
    int64_t kwh;
    int64_t energy; /* Σ line amounts, đồng before VAT */
    int vat_rate;   /* percent, in force on the reading date */
    int64_t vat, total;
} rate_result;

/* Index of a voltage band name ("<6kV" 0, "6-22kV" 1, "22-110kV" 2, ">=110kV" 3), or -1. */
int voltage_index(const char *band);
const char *voltage_name(int index);

/* Rates one reading period. Errors name the request field. */
int tariff_rate(const tariff_set *t, const rate_request *q, rate_result *r, pc_err *e);
/* Index of the schedule in force on a date, or -1 before the first. */
int tariff_residential_in_force(const tariff_set *t, civil_date d);
int tariff_nonresidential_in_force(const tariff_set *t, civil_date d);
/* The VAT rate in force on a date (-1 when the data has no period for it). */
int tariff_vat_rate(const tariff_set *t, civil_date d);
/* Checks a loaded set: tiers ascending with one open last tier, schedules in date order,
 * VAT periods covering dates without overlap. */
int tariff_validate(const tariff_set *t, pc_err *e);

/* Rooftop solar (DOMAIN 5.7): the đồng price of a US-cent price at an exchange rate, cut to
 * the whole đồng as the decisions publish it (9.35 ¢ × 22,316 = 2,086.5 → 2,086). */
int64_t solar_price(int64_t cents_x100, int64_t usd_rate);

/* The rooftop-solar purchase of one period (DOMAIN 5.7): kWh exported × the price in force on
 * the period's last day, a credit on its own document, never netted into consumption tiers. */
typedef struct {
    int64_t kwh, price, amount;
    const char *decision;
} solar_credit;
int tariff_solar_credit(const tariff_set *t, civil_date last_day, int64_t kwh, solar_credit *out, pc_err *e);

#endif
