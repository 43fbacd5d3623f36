/* Money is int64_t đồng: never a float on a money path. Parsing accepts "1234567", "1.234.567"
 * (Vietnamese thousands separator) and a leading '-'; formatting writes "1.234.567 đ". */
#ifndef PC_BASE_MONEY_H
#define PC_BASE_MONEY_H

#include <stdbool.h>
#include <stdint.h>

#include "base/err.h"

typedef int64_t money; /* đồng */

#define MONEY_FMT_MAX 40

/* Whole đồng only; refuses empty text, stray characters, misplaced separators and overflow. */
int money_parse(const char *s, money *out, pc_err *e);
/* "1.234.567 đ" (with_unit) or "1.234.567"; returns buf. buf must hold MONEY_FMT_MAX bytes. */
char *money_format(money v, bool with_unit, char buf[MONEY_FMT_MAX]);
/* Checked arithmetic: false on overflow, *out untouched then. */
bool money_add(money a, money b, money *out);
bool money_mul(money a, int64_t b, money *out);

#endif
