/* The small chart attached to the daily digest e-mail: the scope's debt by age bucket as bars,
 * and the month's collection against its plan as a progress bar. PNG through cairo, text
 * through pango (Vietnamese labels). */
#ifndef PC_FORMATS_DIGEST_CHART_H
#define PC_FORMATS_DIGEST_CHART_H

#include <stdint.h>

#include "base/buf.h"
#include "base/err.h"

#define DIGEST_CHART_BARS 7

typedef struct {
    const char *title;                      /* "Dư nợ theo tuổi nợ — PA01, 23/11/2026" */
    const char *bar_label[DIGEST_CHART_BARS];
    int64_t bar_value[DIGEST_CHART_BARS];   /* đồng */
    const char *progress_label;             /* "Thu lũy kế tháng / kế hoạch" */
    int64_t progress_value, progress_target;
} digest_chart;

/* Appends the PNG (720 × 380 pixels) to png. */
int digest_chart_png(const digest_chart *c, buf *png, pc_err *e);

#endif
