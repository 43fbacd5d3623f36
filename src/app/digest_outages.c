/* Outage figures of the daily digest (see digest_outages.h). */
#include "app/digest_outages.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/outages.h"

typedef struct {
    digest_outages *o;
    int cap;
} load_ctx;

static int on_node(void *ctx, const char *path, int64_t outages, int64_t customers, int64_t planned_next, pc_err *e)
{
    load_ctx *x = ctx;
    if (x->o->n == x->cap) {
        int cap = x->cap ? x->cap * 2 : 16;
        digest_outage_node *t = realloc(x->o->nodes, (size_t)cap * sizeof *t);
        if (!t)
            return pc_errf(e, PC_EINTERNAL, "out of memory");
        x->o->nodes = t;
        x->cap = cap;
    }
    digest_outage_node *n = &x->o->nodes[x->o->n++];
    snprintf(n->path, sizeof n->path, "%s", path);
    n->outages = outages;
    n->customers = customers;
    n->planned_next = planned_next;
    return 0;
}

int digest_outages_load(db *d, civil_date figures_day, digest_outages *out, pc_err *e)
{
    memset(out, 0, sizeof *out);
    char day[DATE_FMT_MAX], next[DATE_FMT_MAX];
    date_format(figures_day, day);
    date_format(date_add_days(figures_day, 2), next); /* the reader's tomorrow */
    load_ctx x = {out, 0};
    if (outage_day_by_node(d, day, next, on_node, &x, e) != 0) {
        digest_outages_free(out);
        return -1;
    }
    return 0;
}

void digest_outages_free(digest_outages *o)
{
    free(o->nodes);
    memset(o, 0, sizeof *o);
}

void digest_outages_render(const digest_outages *o, const char *scope_path, civil_date figures_day, bool vi,
                           buf *text)
{
    int64_t outages = 0, customers = 0, planned = 0;
    for (int i = 0; i < o->n; i++) {
        if (scope_path && strncmp(o->nodes[i].path, scope_path, strlen(scope_path)) != 0)
            continue;
        outages += o->nodes[i].outages;
        customers += o->nodes[i].customers;
        planned += o->nodes[i].planned_next;
    }
    int y, m, d, y2, m2, d2;
    date_to_ymd(figures_day, &y, &m, &d);
    date_to_ymd(date_add_days(figures_day, 2), &y2, &m2, &d2);
    if (vi)
        buf_printf(text, "5. Mất điện ngày %02d/%02d/%04d: %lld sự cố, %lld khách hàng bị ảnh hưởng; ngày mai %02d/%02d có "
                         "%lld lịch ngừng cấp điện theo kế hoạch.\n",
                   d, m, y, (long long)outages, (long long)customers, d2, m2, (long long)planned);
    else
        buf_printf(text, "5. Outages on %04d-%02d-%02d: %lld, %lld customers affected; planned outages tomorrow (%04d-%02d-%02d): "
                   "%lld.\n",
                   y, m, d, (long long)outages, (long long)customers, y2, m2, d2, (long long)planned);
}
