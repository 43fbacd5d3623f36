/* Customer cards (THẺ KHÁCH HÀNG) as PDF: A4 sheets of 2 × 5 cards of ID-1 size (85.6 × 54 mm)
 * with cut marks in the margins. Each card carries the customer code as Code 128, which is what
 * the collection counter scans to find the customer. */
#ifndef PC_FORMATS_CARD_PDF_H
#define PC_FORMATS_CARD_PDF_H

#include "base/err.h"

#define CARD_COLUMNS 2
#define CARD_ROWS 5
#define CARDS_PER_SHEET (CARD_COLUMNS * CARD_ROWS)

/* Plain data, strings UTF-8. A long company name or address is cut with "…" to fit the card. */
typedef struct {
    const char *company;       /* "Công ty Điện lực …"; NULL or empty prints nothing */
    const char *customer_code; /* required; Code 128 takes ASCII only */
    const char *name, *address;
} customer_card;

/* Writes cards[0..ncards) to `path`, row by row, as many pages as needed (ncards ≥ 1). */
int card_sheet_pdf(const customer_card *cards, int ncards, const char *path, pc_err *e);

#endif
