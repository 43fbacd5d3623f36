/* The payment receipt handed over at the collection counter (BIÊN NHẬN THANH TOÁN TIỀN ĐIỆN), as
 * PDF on a narrow 80 mm page for a thermal printer, as long as its content. The receipt number is
 * also printed as Code 128, so a later enquiry or reversal starts with one scan. */
#ifndef PC_FORMATS_RECEIPT_PDF_H
#define PC_FORMATS_RECEIPT_PDF_H

#include <stdbool.h>

#include "base/date.h"
#include "base/err.h"
#include "base/money.h"

/* One invoice this payment cleared, wholly or in part. */
typedef struct {
    civil_month period;  /* billing period, yyyymm */
    const char *symbol;  /* e-invoice symbol (ký hiệu), "1K25TAA" */
    int64_t number;      /* e-invoice number (số) */
    money amount;        /* what this payment put on it */
} receipt_line;

/* Plain data, strings UTF-8; a NULL or empty optional string prints as "—". */
typedef struct {
    const char *company;    /* "Tổng công ty Điện lực …" or "Công ty Điện lực …" */
    const char *unit;       /* the collecting unit, "Điện lực Ba Đình" */
    const char *receipt_no; /* required; Code 128 takes ASCII only */
    civil_date paid_date;   /* local date of the payment */
    int paid_minutes;       /* local time of day, minutes after midnight (0..1439) */
    const char *cashier, *shift;
    const char *customer_code; /* required */
    const char *customer_name, *customer_address;
    const char *method; /* as printed: "Tiền mặt", "Thẻ", "Chuyển khoản" … */
    const receipt_line *lines;
    int nlines;
    money total_paid;  /* the whole payment, in words too */
    money credit_left; /* customer credit left for next bills after this payment; 0 prints nothing */
    money tendered;    /* cash handed over; change is printed when it exceeds total_paid, 0 otherwise */
    bool prepaid;          /* a prepaid top-up: the amount went to the prepaid balance (no invoices) */
    money prepaid_balance; /* the prepaid balance after the top-up (may be below zero) */
} receipt_doc;

/* Writes the receipt to `path` (one page, 80 mm wide). */
int receipt_pdf(const receipt_doc *r, const char *path, pc_err *e);

#endif
