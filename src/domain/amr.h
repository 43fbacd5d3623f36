/* AMR collection figures (DOMAIN 4): coverage = automatic meters / all meters, success rate =
 * scheduled automatic reads received / scheduled, with State Grid's targets (99% and 98%).
 * Percentages are kept as whole hundredths of a percent so that reports print them exactly. */
#ifndef PC_DOMAIN_AMR_H
#define PC_DOMAIN_AMR_H

#include <stdint.h>

#define AMR_COVERAGE_TARGET_HUNDREDTHS 9900 /* 99.00% of meters read automatically */
#define AMR_SUCCESS_TARGET_HUNDREDTHS 9800  /* 98.00% of scheduled automatic reads received */

/* part / whole in hundredths of a percent, rounded half up (75.00% → 7500); -1 when whole is 0
 * (no meters: no rate, rather than 0% or 100%). */
int64_t amr_pct_hundredths(int64_t part, int64_t whole);
/* The reads of one meter that count as received: at most the reads scheduled for it (an extra
 * read in the month does not make up for another meter's missing one). */
int64_t amr_received_counted(int64_t received, int64_t scheduled);

#endif
