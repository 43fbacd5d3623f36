/* Aging of open receivables (DOMAIN 9): which bucket an open amount falls in on an as-of date,
 * with calendar-month boundaries clamped to month ends, and the provision each scheme asks for
 * (Circular 48/2019). Pure functions; the report that sums open items lives in app/aging_report.c. */
#ifndef PC_DOMAIN_AGING_H
#define PC_DOMAIN_AGING_H

#include <stdint.h>

#include "base/date.h"

/* The buckets a report shows, in order. */
typedef enum {
    AGING_NOT_DUE, /* as-of date on or before the due date */
    AGING_LT_3M,   /* overdue, under 3 months */
    AGING_M3_6,
    AGING_M6_12,
    AGING_Y1_2,
    AGING_Y2_3,
    AGING_GE_3Y,
    AGING_BUCKETS
} aging_bucket;

/* The finer slices aging is summed in: the buckets, with 6 to under 12 months split at 9 months,
 * because the special provisioning scheme rates the two halves differently. */
typedef enum {
    AGING_S_NOT_DUE,
    AGING_S_LT_3M,
    AGING_S_M3_6,
    AGING_S_M6_9,
    AGING_S_M9_12,
    AGING_S_Y1_2,
    AGING_S_Y2_3,
    AGING_S_GE_3Y,
    AGING_SLICES
} aging_slice;

typedef enum { PROVISION_GENERAL, PROVISION_SPECIAL } provision_scheme;

/* JSON and CSV field names of the buckets: "not_due", "lt_3m", "m3_6", "m6_12", "y1_2", "y2_3", "ge_3y". */
extern const char *const aging_bucket_field[AGING_BUCKETS];
/* Vietnamese column headings of the buckets ("Chưa đến hạn", "Dưới 3 tháng", …). */
extern const char *const aging_bucket_heading_vi[AGING_BUCKETS];

aging_bucket aging_bucket_of_slice(aging_slice s);
/* The slice of an amount due on `due`, seen on `as_of`. */
aging_slice aging_slice_of(civil_date due, civil_date as_of);
aging_bucket aging_bucket_of(civil_date due, civil_date as_of);

/* The same rule as due-date thresholds, for sums over many items: on as_of, an item is
 * overdue when due < as_of, and has reached the k-th boundary (3, 6, 9, 12, 24, 36 months) when
 * due <= reached[k]. aging_slice_of(due, D) == aging_slice_by_cutoffs(due, cutoffs of D). */
enum { AGING_CUT_3M, AGING_CUT_6M, AGING_CUT_9M, AGING_CUT_12M, AGING_CUT_24M, AGING_CUT_36M, AGING_CUTS };
typedef struct {
    civil_date as_of;
    civil_date reached[AGING_CUTS];
} aging_cutoffs;
void aging_cutoffs_of(civil_date as_of, aging_cutoffs *out);
aging_slice aging_slice_by_cutoffs(civil_date due, const aging_cutoffs *c);

/* Sums per slice folded into the buckets. */
void aging_buckets_of_slices(const int64_t slices[AGING_SLICES], int64_t buckets[AGING_BUCKETS]);
/* The provision of a set of open amounts given per slice: each slice times its rate, the sum
 * rounded half up to the đồng. General: 6-<12 m 30%, 1-<2 y 50%, 2-<3 y 70%, >=3 y 100%.
 * Special (retail receivables from individuals): 3-<6 m 30%, 6-<9 m 50%, 9-<12 m 70%, >=12 m 100%. */
int64_t aging_provision(const int64_t slices[AGING_SLICES], provision_scheme scheme);
/* Percent a scheme provisions for a slice. */
int aging_provision_rate(aging_slice s, provision_scheme scheme);
/* "general" / "special"; -1 for anything else. */
int provision_scheme_parse(const char *s, provision_scheme *out);
const char *provision_scheme_name(provision_scheme s);

#endif
