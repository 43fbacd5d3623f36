/* The demo's outages (issue 10): over the last months of the demo window (at most 6, to keep the
 * demo's build time), in each unit a few unplanned interruptions of whole routes lasting half an
 * hour to five hours, a planned maintenance outage most months, and some momentary ones (a
 * recloser's 1 to 5 minutes), so that `report reliability` shows what a Vietnamese district does:
 * SAIFI well under 1 and SAIDI of the order of tens of minutes a month, MAIFI a few hundredths.
 * Deterministic from the seed, recorded through the same use case as `powercis outage add`. */
#include <stdio.h>
#include <string.h>

#include "app/demo.h"
#include "app/outages.h"

static int64_t pick(demo_rng *r, int64_t lo, int64_t hi)
{
    return lo + (int64_t)demo_rng_below(r, (uint64_t)(hi - lo + 1));
}

static const char *const causes[] = {"Cây đổ vào đường dây", "Sự cố máy biến áp", "Sét đánh", "Quá tải cục bộ",
                                     "Phương tiện va chạm cột điện", "Động vật gây ngắn mạch"};

/* One outage on a route of the unit that has customers (a few routes tried; none found: none). */
static int one(db *d, const pc_config *cfg, const char *actor, demo_rng *r, const char *unit, civil_month m,
               int minutes, int hour, bool planned, const char *cause, int64_t *count, pc_err *e)
{
    int y = m / 100, mo = m % 100, day = (int)pick(r, 1, 28), minute = planned ? 0 : (int)pick(r, 0, 3) * 15;
    int64_t start = (int64_t)date_from_ymd(y, mo, day) * 1440 + hour * 60 + minute;
    char s[17], t[17], route[32];
    rel_format_local_minute(start, s);
    rel_format_local_minute(start + minutes, t);
    for (int attempt = 0; attempt < 6; attempt++) {
        snprintf(route, sizeof route, "%s-%03d", unit, (int)pick(r, 1, 40));
        outage_add_request rq = {.scope = unit, .start = s, .end = t, .planned = planned, .route = route, .cause = cause};
        outage_added out;
        pc_err why = {0};
        if (outage_add(d, cfg, actor, &rq, &out, &why) == 0) {
            (*count)++;
            return 0;
        }
        if (why.code != PC_EINVAL || !strstr(why.msg, "no active customer")) {
            if (e)
                *e = why;
            return -1;
        }
    }
    return 0;
}

int demo_outages(db *d, const char *actor, const demo_options *o, const demo_tree *t, int64_t *count, pc_err *e)
{
    *count = 0;
    if (o->months <= 0)
        return 0;
    pc_config cfg;
    config_defaults(&cfg);
    demo_rng r;
    demo_rng_init(&r, o->seed * 104729 + 26);
    int months = o->months < 6 ? o->months : 6;
    for (int u = 0; u < t->nunits; u++) {
        for (civil_month m = month_add(o->until, -(months - 1)); m <= o->until; m = month_add(m, 1)) {
            int sustained = (int)pick(&r, 3, 8), momentary = (int)pick(&r, 1, 4);
            for (int i = 0; i < sustained; i++)
                if (one(d, &cfg, actor, &r, t->units[u].code, m, (int)pick(&r, 30, 300), (int)pick(&r, 0, 23), false,
                        causes[pick(&r, 0, (int64_t)(sizeof causes / sizeof *causes) - 1)], count, e) != 0)
                    return -1;
            if (demo_rng_below(&r, 10) < 6 &&
                one(d, &cfg, actor, &r, t->units[u].code, m, (int)pick(&r, 180, 480), (int)pick(&r, 7, 8), true,
                    "Bảo dưỡng, sửa chữa lưới điện theo kế hoạch", count, e) != 0)
                return -1;
            for (int i = 0; i < momentary; i++)
                if (one(d, &cfg, actor, &r, t->units[u].code, m, (int)pick(&r, 1, 5), (int)pick(&r, 0, 23), false,
                        "Tự đóng lại thành công (thoáng qua)", count, e) != 0)
                    return -1;
        }
    }
    return 0;
}
