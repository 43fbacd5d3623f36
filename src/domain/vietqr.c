/* VietQR payload (see vietqr.h). EMVCo TLV: two-digit id, two-digit length, value. */
#include "domain/vietqr.h"

#include <stdio.h>
#include <string.h>

uint16_t crc16_ccitt_false(const unsigned char *data, size_t len)
{
    uint16_t crc = 0xFFFF; /* polynomial 0x1021, no reflection, no final xor */
    for (size_t i = 0; i < len; i++) {
        crc ^= (uint16_t)(data[i] << 8);
        for (int b = 0; b < 8; b++)
            crc = (uint16_t)(crc & 0x8000 ? (crc << 1) ^ 0x1021 : crc << 1);
    }
    return crc;
}

static int tlv(char *out, size_t cap, size_t *pos, const char *id, const char *value)
{
    size_t n = strlen(value);
    if (n > 99)
        return -1;
    int w = snprintf(out + *pos, cap - *pos, "%s%02zu%s", id, n, value);
    if (w < 0 || (size_t)w >= cap - *pos)
        return -1;
    *pos += (size_t)w;
    return 0;
}

static int all_digits(const char *s)
{
    if (!*s)
        return 0;
    for (; *s; s++)
        if (*s < '0' || *s > '9')
            return 0;
    return 1;
}

int vietqr_payload(const char *bin, const char *account, int64_t amount, const char *purpose, char *out, size_t cap,
                   pc_err *e)
{
    if (strlen(bin) != 6 || !all_digits(bin))
        return pc_errf(e, PC_EINVAL, "vietqr: bank BIN '%s' must be 6 digits", bin);
    size_t al = strlen(account);
    if (al == 0 || al > 19)
        return pc_errf(e, PC_EINVAL, "vietqr: account '%s' must be 1-19 characters", account);
    if (amount <= 0)
        return pc_errf(e, PC_EINVAL, "vietqr: amount must be positive");
    for (const char *p = purpose; *p; p++)
        if ((unsigned char)*p < 0x20 || (unsigned char)*p > 0x7e)
            return pc_errf(e, PC_EINVAL, "vietqr: the purpose must be plain ASCII (no diacritics)");
    if (strlen(purpose) > 25)
        return pc_errf(e, PC_EINVAL, "vietqr: purpose longer than 25 characters");

    char beneficiary[64], merchant[128], amt[24], extra[40];
    size_t bp = 0, mp = 0, ep = 0, pos = 0;
    snprintf(amt, sizeof amt, "%lld", (long long)amount);
    if (tlv(beneficiary, sizeof beneficiary, &bp, "00", bin) || tlv(beneficiary, sizeof beneficiary, &bp, "01", account) ||
        tlv(merchant, sizeof merchant, &mp, "00", "A000000727") || tlv(merchant, sizeof merchant, &mp, "01", beneficiary) ||
        tlv(merchant, sizeof merchant, &mp, "02", "QRIBFTTA") || (purpose[0] && tlv(extra, sizeof extra, &ep, "08", purpose)))
        return pc_errf(e, PC_EINVAL, "vietqr: field too long");
    if (tlv(out, cap, &pos, "00", "01") || tlv(out, cap, &pos, "01", "12") || tlv(out, cap, &pos, "38", merchant) ||
        tlv(out, cap, &pos, "53", "704") || tlv(out, cap, &pos, "54", amt) || tlv(out, cap, &pos, "58", "VN") ||
        (ep && tlv(out, cap, &pos, "62", extra)))
        return pc_errf(e, PC_EINVAL, "vietqr: payload does not fit");
    if (pos + 9 > cap)
        return pc_errf(e, PC_EINVAL, "vietqr: payload does not fit");
    memcpy(out + pos, "6304", 5);
    pos += 4;
    uint16_t crc = crc16_ccitt_false((const unsigned char *)out, pos);
    snprintf(out + pos, cap - pos, "%04X", crc);
    return 0;
}

int vietqr_crc_ok(const char *payload)
{
    size_t n = strlen(payload);
    if (n < 8 || strncmp(payload + n - 8, "6304", 4) != 0)
        return 0;
    char want[5];
    snprintf(want, sizeof want, "%04X", crc16_ccitt_false((const unsigned char *)payload, n - 4));
    return strcmp(want, payload + n - 4) == 0;
}
