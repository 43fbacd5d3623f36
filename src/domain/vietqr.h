/* VietQR payment payload (NAPAS, EMVCo merchant-presented QR): the bank BIN and account from
 * configuration, the invoice total, and the customer code and invoice number as the transfer's
 * purpose, closed by CRC-16/CCITT-FALSE (DOMAIN 6). */
#ifndef PC_DOMAIN_VIETQR_H
#define PC_DOMAIN_VIETQR_H

#include <stddef.h>
#include <stdint.h>

#include "base/err.h"

uint16_t crc16_ccitt_false(const unsigned char *data, size_t len);

/* bin: 6 digits; account: up to 19 characters; amount > 0; purpose: up to 25 ASCII characters.
 * Writes the payload (NUL-terminated) into out. */
int vietqr_payload(const char *bin, const char *account, int64_t amount, const char *purpose, char *out, size_t cap,
                   pc_err *e);
/* Checks the trailing CRC of a payload: 1 valid, 0 not. */
int vietqr_crc_ok(const char *payload);

#endif
