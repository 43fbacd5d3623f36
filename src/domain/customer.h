/* Customers and their contract terms as plain structs, and the rules that make one valid
 * (DOMAIN 2–3): code = unit code + 7 digits, phone formats, class/purpose/voltage consistency. */
#ifndef PC_DOMAIN_CUSTOMER_H
#define PC_DOMAIN_CUSTOMER_H

#include <stdbool.h>
#include <stdint.h>

#include "base/err.h"

#define CUSTOMER_CODE_LEN 13
#define UNIT_CODE_LEN 6

typedef enum {
    PURPOSE_RESIDENTIAL,
    PURPOSE_PRODUCTION,
    PURPOSE_BUSINESS,
    PURPOSE_ADMIN_PUBLIC, /* hospitals, schools */
    PURPOSE_ADMIN_OTHER,  /* public lighting, offices, other */
    PURPOSE_COUNT
} customer_purpose;

typedef enum { ORG_GROUP, ORG_CORPORATION, ORG_COMPANY, ORG_UNIT } org_level;

typedef struct {
    int64_t id;
    char code[16];
    char unit[16]; /* unit code, the first six characters of code */
    char name[256];
    char address[512];
    char phone[16];  /* normalised: 0xxxxxxxxx, or empty */
    char route[32];  /* reading route (sổ GCS), may be empty */
    char transformer[64]; /* transformer station (trạm biến áp) feeding it, may be empty (026) */
    char status[16]; /* active, disconnected, terminated */
    /* contract terms in force */
    char valid_from[11];
    customer_purpose purpose;
    char voltage[12]; /* empty for residential */
    int households;
    bool renter;
    int persons; /* declared occupants for a short-lease renter; 0 = not declared */
    bool tou;
    char payment_mode[12]; /* postpaid, prepaid */
    int payment_term_days;
    int periods_per_month;
    int64_t est_kwh_month; /* estimated monthly consumption from the contract; 0 unknown */
} customer;

typedef struct {
    int64_t id; /* set when stored */
    char serial[32];
    bool tou; /* three registers (normal, peak, off-peak) instead of one total */
    int multiplier;
    int digits;
    bool amr;
} meter_spec;

const char *purpose_name(customer_purpose p);
int purpose_parse(const char *s, customer_purpose *out, pc_err *e);
bool purpose_is_residential(customer_purpose p);
const char *purpose_class(customer_purpose p); /* "residential" or "nonresidential" */
/* Voltage bands are the DOMAIN 3 names; the list lives in one table in customer.c. */
bool voltage_valid(const char *s);

/* Org codes: "PA" corporation, "PA01" company, "PA0101" unit; a group is 3–8 capital letters.
 * Returns the level implied by the code's shape. */
int org_code_level(const char *code, org_level *out, pc_err *e);
const char *org_level_name(org_level l);

/* "PA01010012345": 13 characters, a valid unit code then 7 digits. */
int customer_code_check(const char *code, pc_err *e);
/* Accepts spaces, dots and dashes and a +84 prefix; writes 0xxxxxxxxx (mobile, 10 digits) or
 * 02xxxxxxxxx (landline, 11 digits). */
int phone_normalize(const char *in, char out[16], pc_err *e);
/* Yes/no fields in files and flags: 1/0, true/false, yes/no, có/không, empty = no. */
int bool_parse(const char *s, bool *out, pc_err *e);

/* Sets the defaults of a new customer (households 1, postpaid, active, 7-day term, 1 period). */
void customer_defaults(customer *c);
/* Checks every field and their consistency; the message names the field. */
int customer_validate(const customer *c, pc_err *e);

#endif
