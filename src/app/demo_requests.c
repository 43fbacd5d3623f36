/* The demo's customer service requests (issue 11): a year of requests of every type in every
 * unit, up to the demo's last month, each moved through its steps with realistic delays: most
 * steps done within their deadline, a step in twelve waiting a few working days for a reason
 * (papers, right of way, materials, the customer's appointment), so that some breach their
 * deadline; the last weeks' requests still open. New supplies become customers; changes change
 * the registry as in production. */
#include <stdio.h>
#include <string.h>

#include "app/demo.h"
#include "app/service.h"

static const char *const reasons[] = {"Chờ khách hàng bổ sung giấy tờ sở hữu đất", "Chờ thỏa thuận hướng tuyến với địa phương",
                                      "Chờ vật tư công tơ, cáp", "Khách hàng hẹn lại thời gian thi công",
                                      "Chờ cắt điện để đấu nối"};
static const char *const given[] = {"Nguyễn Văn", "Trần Thị", "Lê Văn", "Phạm Thị", "Hoàng Văn", "Vũ Thị", "Đặng Văn"};
static const char *const names[] = {"An", "Bình", "Cường", "Dung", "Hải", "Hoa", "Khánh", "Lan", "Minh", "Nga"};

int demo_requests(db *d, const char *actor, const demo_options *o, const demo_tree *tree, int64_t *count, pc_err *e)
{
    *count = 0;
    const svc_type *types;
    int ntypes;
    const workcal *cal;
    civil_date first_day, last_day;
    if (svc_types(&types, &ntypes, e) != 0 || svc_calendar(&cal, &first_day, &last_day, e) != 0)
        return -1;
    demo_rng r;
    demo_rng_init(&r, o->seed ^ 0x5e41ce);
    const demo_tree t = *tree;
    civil_date today = date_today(420);
    /* about one request a year for ten customers (at least one of each type a month), spread
     * over the units and the twelve months up to the demo's last */
    int64_t total = o->customers / 10;
    if (total < 12 * ntypes)
        total = 12 * ntypes;
    for (int64_t k = 0; k < total; k++) {
        civil_month m = month_add(o->until, -11 + (int)(k % 12));
        int u = (int)((k / 12) % t.nunits);
        const svc_type *ty = &types[k % ntypes];
        civil_date rec = date_add_days(month_first_day(m), (int)demo_rng_below(&r, 27));
        if (!workday_is_working(cal, rec))
            rec = workday_add(cal, rec, 1);
        if (rec > today || rec < first_day || rec > last_day)
            continue;
        char day[DATE_FMT_MAX], phone[16], name[64], addr[256], cust[16];
        date_format(rec, day);
        const char *keys[4], *values[4];
        int nk = 0;
        svc_add in = {.type = ty->code, .date = day, .owner = "tiep.nhan"};
        if (ty->new_customer) {
            snprintf(phone, sizeof phone, "09%08llu", (unsigned long long)demo_rng_below(&r, 100000000));
            snprintf(name, sizeof name, "%s %s", given[demo_rng_below(&r, 7)], names[demo_rng_below(&r, 10)]);
            snprintf(addr, sizeof addr, "Thôn %d, %s, %s", 1 + (int)demo_rng_below(&r, 12), t.units[u].district,
                     t.units[u].province);
            in.unit = t.units[u].code;
            in.name = name;
            in.phone = phone;
            in.address = addr;
        } else {
            /* a residential customer of the unit, drawn among its first hundred */
            if (svc_demo_customer(d, t.units[u].code, (int)demo_rng_below(&r, 100), cust, e) != 0)
                return -1;
            if (!cust[0])
                continue;
            in.customer_code = cust;
            if (!strcmp(ty->code, "capacity_change"))
                keys[nk] = "capacity_kva", values[nk++] = "10";
            else if (!strcmp(ty->code, "change_of_purpose"))
                {
                keys[nk] = "purpose", values[nk++] = "business";
                keys[nk] = "voltage", values[nk++] = "<6kV";
                keys[nk] = "households", values[nk++] = "1";
            }
            else if (!strcmp(ty->code, "change_of_holder"))
                keys[nk] = "name", values[nk++] = names[demo_rng_below(&r, 10)];
            else if (!strcmp(ty->code, "renters_persons"))
                keys[nk] = "persons", values[nk++] = "8";
            else if (!strcmp(ty->code, "meter_relocation"))
                keys[nk] = "address", values[nk++] = "Xóm mới, cạnh trạm biến áp";
        }
        in.keys = keys;
        in.values = values;
        in.nkeys = nk;
        sreq_row q;
        pc_err skip = {0};
        if (svc_request_add(d, actor, &in, &q, &skip) != 0) {
            if (skip.code == PC_EINVAL || skip.code == PC_ECONFLICT)
                continue; /* a customer the demo already terminated, say */
            *e = skip;
            return -1;
        }
        (*count)++;
        /* the steps: on time mostly, a wait now and then */
        civil_date at = rec;
        for (int s = 0; s < ty->nsteps; s++) {
            int delay = (int)demo_rng_below(&r, (uint64_t)ty->steps[s].days + 1);
            if (demo_rng_below(&r, 12) == 0) {
                char wd[DATE_FMT_MAX];
                date_format(at, wd);
                if (svc_request_wait(d, actor, q.code, reasons[demo_rng_below(&r, 5)], wd, &q, e) != 0)
                    return -1;
                delay += 1 + (int)demo_rng_below(&r, 4);
            }
            at = workday_add(cal, at, delay);
            if (at > today)
                break; /* still at this step today */
            char ad[DATE_FMT_MAX];
            date_format(at, ad);
            svc_move mv = {.date = ad, .owner = s == 0 ? "khao.sat" : NULL};
            if (svc_request_advance(d, actor, q.code, &mv, &q, &skip) != 0) {
                if (skip.code == PC_EINVAL || skip.code == PC_ECONFLICT)
                    break; /* the registry refused the change: the request stays open */
                *e = skip;
                return -1;
            }
        }
    }
    return 0;
}
