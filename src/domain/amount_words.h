/* The invoice total in Vietnamese words, as printed on invoices and carried in the e-invoice
 * XML (TgTTTBSo in words, TgTTTBChu): 217836 → "Hai trăm mười bảy nghìn tám trăm ba mươi sáu đồng". */
#ifndef PC_DOMAIN_AMOUNT_WORDS_H
#define PC_DOMAIN_AMOUNT_WORDS_H

#include <stddef.h>
#include <stdint.h>

/* Writes the words (UTF-8, first letter capital, ending in " đồng") into out; returns 0, or -1
 * when cap is too small. */
int amount_in_words(int64_t dong, char *out, size_t cap);

#endif
