/* Repository of rooftop-solar credit documents. */
#ifndef PC_STORE_SOLAR_H
#define PC_STORE_SOLAR_H

#include <stdint.h>

#include "base/err.h"
#include "store/db.h"

typedef struct {
    int64_t id, customer_id;
    char customer_code[16];
    char period[8];
    int year;
    int64_t number, kwh, price, amount;
    char decision[48];
    char issue_date[11];
} solar_credit_row;

/* Stores the document with the next number of its year (PC_ECONFLICT if the customer already
 * has one for the period). Sets id and number. */
int solar_credit_insert(db *d, solar_credit_row *r, const char *actor, pc_err *e);
typedef int (*solar_credit_fn)(void *ctx, const solar_credit_row *r);
int solar_credit_list(db *d, const char *customer_code, const char *period, solar_credit_fn fn, void *ctx, pc_err *e);

#endif
