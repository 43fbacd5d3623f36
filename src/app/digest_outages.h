/* The outage figures of the daily digest (docs/outages.md "The digest"): yesterday's outages,
 * the customers they interrupted and the planned outages starting tomorrow (the reader's: the
 * digest's day + 1), per org node (an outage
 * may be recorded at a company, above the units), summed per account's scope when rendered. */
#ifndef PC_APP_DIGEST_OUTAGES_H
#define PC_APP_DIGEST_OUTAGES_H

#include <stdbool.h>
#include <stdint.h>

#include "base/buf.h"
#include "base/date.h"
#include "store/db.h"

typedef struct {
    char path[160];
    int64_t outages, customers, planned_next;
} digest_outage_node;

typedef struct {
    digest_outage_node *nodes;
    int n;
} digest_outages;

/* The figures of figures_day (outages that started then) and of two days after it (planned). */
int digest_outages_load(db *d, civil_date figures_day, digest_outages *out, pc_err *e);
void digest_outages_free(digest_outages *o);
/* One line for the scope (Vietnamese unless vi is false): "Mất điện ngày …: N sự cố, M khách
 * hàng bị ảnh hưởng; ngày mai … có K lịch ngừng cấp điện theo kế hoạch." */
void digest_outages_render(const digest_outages *o, const char *scope_path, civil_date figures_day, bool vi,
                           buf *text);

#endif
