/* Demo data generator (see demo.h). Proportions follow DOMAIN 3 and 14: about 92% residential,
 * renters and shared meters among them, every non-residential purpose and voltage band, and a
 * tail of large customers above 50,000 and 100,000 kWh a month. */
#include "app/demo.h"
#include "app/risk.h"
#include "app/dunning.h"
#include "app/payments.h"
#include "app/posting.h"
#include "app/audit.h"

#include <jansson.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/billing.h"
#include "app/org.h"
#include "formats/tariff_json.h"
#include "base/date.h"
#include "domain/readcheck.h"
#include "store/reads.h"
#include "store/repo.h"

void demo_rng_init(demo_rng *r, uint64_t seed)
{
    memset(r, 0, sizeof *r);
    for (int i = 0; i < 8; i++)
        r->key[i] = (uint8_t)(seed >> (8 * i));
    r->pos = sizeof r->pool;
}

static uint64_t rng_u64(demo_rng *r)
{
    if (r->pos + 8 > sizeof r->pool) {
        /* ChaCha20 keyed by the seed and a block counter: portable and deterministic. */
        uint8_t k[32];
        memcpy(k, r->key, 32);
        for (int i = 0; i < 8; i++)
            k[16 + i] = (uint8_t)(r->counter >> (8 * i));
        r->counter++;
        randombytes_buf_deterministic(r->pool, sizeof r->pool, k);
        r->pos = 0;
    }
    uint64_t v;
    memcpy(&v, r->pool + r->pos, 8);
    r->pos += 8;
    return v;
}

uint64_t demo_rng_below(demo_rng *r, uint64_t n)
{
    return n ? rng_u64(r) % n : 0; /* bias below 2^-40 for our n: irrelevant for demo data */
}

static int64_t between(demo_rng *r, int64_t lo, int64_t hi)
{
    return lo + (int64_t)demo_rng_below(r, (uint64_t)(hi - lo + 1));
}

#define PICK(r, arr) (arr)[demo_rng_below((r), sizeof(arr) / sizeof *(arr))]

typedef struct {
    const char *province;
    const char *districts[10];
} province;

static const province provinces[] = {
    {"Nam Định", {"Mỹ Lộc", "Vụ Bản", "Ý Yên", "Nghĩa Hưng", "Nam Trực", "Trực Ninh", "Xuân Trường", "Giao Thủy", "Hải Hậu", NULL}},
    {"Thái Bình", {"Quỳnh Phụ", "Hưng Hà", "Đông Hưng", "Thái Thụy", "Tiền Hải", "Kiến Xương", "Vũ Thư", "Thành phố Thái Bình", NULL}},
    {"Hải Dương", {"Chí Linh", "Nam Sách", "Kinh Môn", "Kim Thành", "Thanh Hà", "Cẩm Giàng", "Bình Giang", "Gia Lộc", "Tứ Kỳ", NULL}},
    {"Bắc Ninh", {"Yên Phong", "Quế Võ", "Tiên Du", "Từ Sơn", "Thuận Thành", "Gia Bình", "Lương Tài", "Thành phố Bắc Ninh", NULL}},
    {"Quảng Ninh", {"Hạ Long", "Cẩm Phả", "Uông Bí", "Móng Cái", "Đông Triều", "Quảng Yên", "Vân Đồn", "Tiên Yên", NULL}},
};

void demo_tree_make(demo_rng *r, demo_tree *t)
{
    memset(t, 0, sizeof *t);
    t->companies = (int)(sizeof provinces / sizeof *provinces);
    for (int c = 0; c < t->companies; c++) {
        int avail = 0;
        while (provinces[c].districts[avail])
            avail++;
        int n = (int)between(r, 4, avail < 8 ? avail : 8);
        for (int u = 0; u < n; u++) {
            demo_unit *du = &t->units[t->nunits++];
            snprintf(du->code, sizeof du->code, "PA%02d%02d", (c + 1) % 100, (u + 1) % 100);
            snprintf(du->province, sizeof du->province, "%s", provinces[c].province);
            snprintf(du->district, sizeof du->district, "%s", provinces[c].districts[u]);
            snprintf(du->name, sizeof du->name, "Điện lực %s", provinces[c].districts[u]);
            du->weight = (int)between(r, 2, 6);
        }
    }
}

static const char *const family[] = {"Nguyễn", "Nguyễn", "Nguyễn", "Nguyễn", "Trần", "Trần", "Lê", "Lê", "Phạm",
                                     "Phạm", "Hoàng", "Vũ", "Phan", "Đặng", "Bùi", "Đỗ", "Ngô", "Dương", "Đinh", "Lương"};
static const char *const male_middle[] = {"Văn", "Văn", "Văn", "Đức", "Minh", "Quang", "Hữu", "Xuân", "Công", "Thành"};
static const char *const female_middle[] = {"Thị", "Thị", "Thị", "Thu", "Ngọc", "Thanh", "Minh", "Kim", "Hồng"};
static const char *const male_given[] = {"Hùng", "Dũng", "Tuấn", "Đức", "Nam", "Hải", "Long", "Thắng", "Sơn",
                                         "Cường", "Hiếu", "Khánh", "Phong", "Toàn", "Quý", "Đạt"};
static const char *const female_given[] = {"Lan", "Hương", "Mai", "Hoa", "Thảo", "Hằng", "Ngọc", "Ánh",
                                           "Linh", "Trang", "Yến", "Nhung", "Hạnh", "Dung", "Huyền", "Đào"};
static const char *const communes[] = {"Tân Thành", "Hồng Phong", "Quang Trung", "Đồng Tâm", "Minh Tân", "Thành Lợi",
                                       "Yên Bằng", "Hải Phú", "Nghĩa Đồng", "Xuân Hòa", "Hợp Tiến", "Kim Đính",
                                       "Đại An", "Liên Minh", "Trung Đông", "Việt Hùng"};
static const char *const hamlets[] = {"thôn Đông", "thôn Trung", "thôn Đoài", "thôn Nam", "thôn Bắc", "xóm 1",
                                      "xóm 2", "xóm 3", "xóm 4", "tổ dân phố 5", "tổ dân phố 7", "thôn An Lạc"};
static const char *const firms[] = {"Công ty TNHH", "Công ty Cổ phần", "Doanh nghiệp tư nhân", "Hợp tác xã"};
static const char *const trades[] = {"May mặc", "Thép", "Gạch Tuynel", "Chế biến Thủy sản", "Cơ khí", "Bao bì",
                                     "Gỗ", "Thức ăn Chăn nuôi", "Điện tử", "Xi măng", "Nước sạch", "Dệt"};
static const char *const shops[] = {"Cửa hàng tạp hóa", "Nhà hàng", "Khách sạn", "Quán cà phê", "Hiệu thuốc",
                                    "Cửa hàng vật liệu xây dựng", "Siêu thị mini", "Tiệm may"};
static const char *const mobile_prefixes[] = {"091", "094", "088", "098", "097", "096", "086", "090", "093",
                                              "089", "032", "033", "035", "038", "070", "079", "077", "081",
                                              "083", "085", "056", "058"};

static const demo_unit *pick_unit(demo_rng *r, const demo_tree *t)
{
    int total = 0;
    for (int i = 0; i < t->nunits; i++)
        total += t->units[i].weight;
    int x = (int)demo_rng_below(r, (uint64_t)total);
    for (int i = 0; i < t->nunits; i++) {
        if (x < t->units[i].weight)
            return &t->units[i];
        x -= t->units[i].weight;
    }
    return &t->units[t->nunits - 1];
}

static void person_name(demo_rng *r, char *out, size_t cap)
{
    bool male = demo_rng_below(r, 2);
    snprintf(out, cap, "%s %s %s", PICK(r, family), male ? PICK(r, male_middle) : PICK(r, female_middle),
             male ? PICK(r, male_given) : PICK(r, female_given));
}

/* Periods a month the phân kỳ rule wants for a monthly consumption (DOMAIN 4 defaults). */
static int periods_for(int64_t kwh)
{
    return kwh >= 100000 ? 3 : kwh >= 50000 ? 2 : 1;
}

void demo_customer_make(demo_rng *r, const demo_tree *t, int64_t seq, customer *c, meter_spec *m)
{
    customer_defaults(c);
    memset(m, 0, sizeof *m);
    m->multiplier = 1;
    m->digits = 6;
    const demo_unit *u = pick_unit(r, t);
    snprintf(c->unit, sizeof c->unit, "%s", u->code);
    /* Codes are unique because seq is: the 7 digits are seq within the whole demo. */
    snprintf(c->code, sizeof c->code, "%s%07lld", u->code, (long long)(seq % 10000000));
    const char *commune = PICK(r, communes);
    snprintf(c->address, sizeof c->address, "Số %d, %s, xã %s, huyện %s, tỉnh %s", (int)between(r, 1, 250),
             PICK(r, hamlets), commune, u->district, u->province);
    snprintf(c->route, sizeof c->route, "%s-%03d", u->code, (int)between(r, 1, 40));
    snprintf(c->valid_from, sizeof c->valid_from, "20%02d-%02d-01", (int)between(r, 10, 23), (int)between(r, 1, 12));
    if (demo_rng_below(r, 100) < 85)
        snprintf(c->phone, sizeof c->phone, "%s%07d", PICK(r, mobile_prefixes), (int)demo_rng_below(r, 10000000));
    snprintf(m->serial, sizeof m->serial, "PA%010lld", (long long)seq);
    m->digits = demo_rng_below(r, 4) == 0 ? 5 : 6;
    m->amr = demo_rng_below(r, 100) < 70;

    uint64_t kind = demo_rng_below(r, 1000);
    /* Every 250th customer is a large factory or trading company, so that even a small demo
     * has the phân kỳ tail: alternately 50,000-99,999 and 100,000+ kWh a month. */
    bool large = seq % 250 == 125;
    if (large)
        kind = 970 + demo_rng_below(r, 15); /* production */
    if (kind < 920) {
        c->purpose = PURPOSE_RESIDENTIAL;
        person_name(r, c->name, sizeof c->name);
        uint64_t sub = demo_rng_below(r, 100);
        if (sub < 4) { /* short-lease renters, half with declared occupants */
            c->renter = true;
            if (sub < 2)
                c->persons = (int)between(r, 2, 14);
        } else if (sub < 10) {
            c->households = (int)between(r, 2, 4);
        }
        c->est_kwh_month = between(r, 40, 180) + (int64_t)demo_rng_below(r, 4) * between(r, 0, 150) +
                           (c->households - 1) * 120 + c->persons * 25;
        return;
    }
    /* Non-residential: business 4.5%, production 2%, administrative 1.5% of all customers. */
    if (kind < 965) {
        c->purpose = PURPOSE_BUSINESS;
        char owner[96];
        person_name(r, owner, sizeof owner);
        snprintf(c->name, sizeof c->name, "%s %s", PICK(r, shops), owner);
        c->est_kwh_month = between(r, 300, 6000);
    } else if (kind < 985) {
        c->purpose = PURPOSE_PRODUCTION;
        snprintf(c->name, sizeof c->name, "%s %s %s", PICK(r, firms), PICK(r, trades), commune);
        c->est_kwh_month = between(r, 1500, 45000);
    } else if (kind < 993) {
        c->purpose = PURPOSE_ADMIN_PUBLIC;
        if (demo_rng_below(r, 3) == 0)
            snprintf(c->name, sizeof c->name, "Trạm Y tế xã %s", commune);
        else
            snprintf(c->name, sizeof c->name, "Trường %s %s", demo_rng_below(r, 2) ? "THCS" : "Tiểu học", commune);
        c->est_kwh_month = between(r, 400, 4000);
    } else {
        c->purpose = PURPOSE_ADMIN_OTHER;
        if (demo_rng_below(r, 2))
            snprintf(c->name, sizeof c->name, "Chiếu sáng công cộng xã %s", commune);
        else
            snprintf(c->name, sizeof c->name, "UBND xã %s", commune);
        c->est_kwh_month = between(r, 200, 3000);
    }
    /* The large tail: 4% of production and business above 50,000 kWh, 1.5% above 100,000. */
    if (c->purpose == PURPOSE_PRODUCTION || c->purpose == PURPOSE_BUSINESS) {
        uint64_t tail = demo_rng_below(r, 1000);
        if (tail < 15)
            c->est_kwh_month = between(r, 100000, 900000);
        else if (tail < 40)
            c->est_kwh_month = between(r, 50000, 99999);
    }
    if (large)
        c->est_kwh_month = (seq / 250) % 2 ? between(r, 100000, 900000) : between(r, 50000, 99999);
    int64_t k = c->est_kwh_month;
    static const char *const bands[] = {"<6kV", "6-22kV", "22-110kV", ">=110kV"};
    /* Large plants take medium or high voltage: above 100,000 kWh about half are on 110 kV (the
     * first of the every-250th tail always is, so a small demo has one). */
    int band = k >= 100000 ? (large ? ((seq / 250) % 4 == 1 ? 3 : 2) : (demo_rng_below(r, 2) == 0 ? 3 : 2))
               : k >= 20000 ? (demo_rng_below(r, 3) == 0 ? 2 : 1)
                            : (demo_rng_below(r, 20) == 0 ? 1 : 0);
    snprintf(c->voltage, sizeof c->voltage, "%s", bands[band]);
    if (c->purpose == PURPOSE_PRODUCTION || c->purpose == PURPOSE_BUSINESS)
        c->tou = k >= 2000 || band > 0;
    m->tou = c->tou;
    m->amr = c->tou || m->amr;
    m->digits = c->tou ? 7 : 6;
    if (k >= 20000)
        m->multiplier = k >= 300000 ? 200 : k >= 100000 ? 80 : 40;
    /* Most are configured as the rule wants; one in ten large customers is not, so the
     * phân kỳ control has something to find. */
    c->periods_per_month = periods_for(k);
    if (k >= 40000 && demo_rng_below(r, 10) == 0)
        c->periods_per_month = c->periods_per_month == 1 ? 2 : c->periods_per_month - 1;
    c->payment_term_days = c->purpose == PURPOSE_RESIDENTIAL ? 7 : 10;
}

/* The route's reading day, 1–28, fixed per route as in an EVN reading calendar. */
static int reading_day(const char *route)
{
    const char *dash = strrchr(route, '-');
    int book = dash ? atoi(dash + 1) : 1;
    return 1 + (book * 7) % 28;
}

/* Monthly consumption shape of the north: hot summers, a smaller peak in the cold months. */
static int season_pct(int month)
{
    static const int pct[12] = {105, 95, 90, 95, 110, 130, 135, 130, 115, 100, 95, 100};
    return pct[month - 1];
}

/* Reads of one customer for the months up to `until`: an initial index, then one read a month
 * on the route's day (two or three for phân kỳ customers). A few stuck meters and spikes go
 * through the real read control; those before the last month were approved after a check. */
static int demo_customer_reads(db *d, const char *actor, uint64_t seed, const customer *c, const meter_spec *m,
                               civil_month until, int months, const read_rules *rules, int64_t *nreads, pc_err *e)
{
    demo_rng r;
    demo_rng_init(&r, seed * 1000003u + (uint64_t)c->id);
    civil_month first = month_add(until, -(months - 1));
    civil_date installed;
    if (date_parse(c->valid_from, &installed, e) != 0)
        return -1;
    if (month_of(installed) >= first)
        first = month_add(month_of(installed), 1);
    if (first > until)
        return 0;
    int day = reading_day(c->route);
    int64_t span = 1;
    for (int i = 0; i < m->digits; i++)
        span *= 10;
    register_values idx = {0}, prev;
    if (m->tou) {
        for (int g = REG_NORMAL; g <= REG_OFFPEAK; g++) {
            idx.has[g] = true;
            idx.v[g] = (int64_t)demo_rng_below(&r, (uint64_t)(span / 4));
        }
    } else {
        idx.has[REG_TOTAL] = true;
        idx.v[REG_TOTAL] = (int64_t)demo_rng_below(&r, (uint64_t)(span / 2));
    }
    read_row row;
    memset(&row, 0, sizeof row);
    row.customer_id = c->id;
    row.meter_id = m->id;
    civil_month before = month_add(first, -1);
    date_format(month_first_day(before) + day - 1, row.read_date);
    strcpy(row.kind, "initial");
    strcpy(row.status, "ok");
    strcpy(row.source, "demo");
    row.idx = idx;
    if (read_insert(d, &row, actor, e) != 0)
        return -1;
    int64_t prev_id = row.id;
    int64_t history[3];
    int nhistory = 0;
    for (civil_month mo = first; mo <= until; mo = month_add(mo, 1)) {
        int periods = c->periods_per_month;
        int64_t month_kwh = c->est_kwh_month * season_pct(mo % 100) / 100;
        month_kwh = month_kwh * (85 + (int64_t)demo_rng_below(&r, 31)) / 100; /* ±15% */
        for (int p = 1; p <= periods; p++) {
            int dom = periods == 1 ? day : periods == 2 ? (p == 1 ? 15 : 28) : (p == 1 ? 10 : p == 2 ? 20 : 28);
            int64_t kwh = month_kwh / periods;
            uint64_t odd = demo_rng_below(&r, 1000);
            if (odd < 4)
                kwh = 0; /* a stuck meter */
            else if (odd < 8)
                kwh *= 3; /* a spike: a new air conditioner, or a misread */
            int64_t units = (kwh + m->multiplier / 2) / m->multiplier;
            prev = idx;
            if (m->tou) {
                int64_t split[3] = {units * 55 / 100, units * 20 / 100, 0};
                split[2] = units - split[0] - split[1];
                for (int g = REG_NORMAL; g <= REG_OFFPEAK; g++)
                    idx.v[g] = (idx.v[g] + split[g - REG_NORMAL]) % span;
            } else {
                idx.v[REG_TOTAL] = (idx.v[REG_TOTAL] + units) % span;
            }
            read_result res;
            read_evaluate(rules, &prev, &idx, m->digits, m->multiplier, true, history, nhistory, &res);
            memset(&row, 0, sizeof row);
            row.customer_id = c->id;
            row.meter_id = m->id;
            date_format(month_first_day(mo) + dom - 1, row.read_date);
            strcpy(row.kind, "regular");
            /* An AMR meter's reads come from the head-end, except when its channel failed and a
             * reader took the index by hand: about 1.5% of them, chosen by a hash of customer,
             * month and period (not by r, so the rest of the demo stays what it was). */
            uint64_t h = ((uint64_t)c->id * 2654435761u) ^ ((uint64_t)mo * 40503u) ^ ((uint64_t)p * 2246822519u);
            h ^= h >> 15;
            h *= 0x2c1b3c6dU;
            h ^= h >> 12;
            strcpy(row.source, m->amr && h % 1000 >= 15 ? "amr" : "demo");
            row.idx = idx;
            row.prev_read_id = prev_id;
            row.kwh_known = !(res.flags & READ_FLAG_BACKWARDS);
            row.kwh = res.kwh;
            row.flags = res.flags;
            if (!(res.flags & READ_FLAGS_HOLD)) {
                strcpy(row.status, "ok");
            } else if (mo == until) {
                strcpy(row.status, "flagged");
            } else {
                strcpy(row.status, "approved");
                strcpy(row.note, "demo: checked on site");
            }
            if (read_insert(d, &row, actor, e) != 0)
                return -1;
            prev_id = row.id;
            (*nreads)++;
            memmove(history + 1, history, sizeof history[0] * 2);
            history[0] = res.kwh_sum;
            if (nhistory < 3)
                nhistory++;
        }
    }
    return 0;
}

/* ---- payments over the demo's months ---- */

typedef struct {
    char code[16];
    int64_t unit_id;
    money amount;
    civil_date day;
    int minute;   /* of the day */
    int channel;  /* index into demo_channels */
} planned_payment;

typedef struct {
    const char *partner; /* NULL: the counter */
    const char *method;
    int weight;
} demo_channel;

/* Counter cash and card at the units, a bank's app, ECPay's shops, VNPost, a wallet. */
static const demo_channel demo_channels[] = {{NULL, "cash", 25}, {NULL, "card", 5},   {"VCB", "partner", 30},
                                             {"ECPAY", "partner", 20}, {"VNPOST", "partner", 8}, {"MOMO", "partner", 12}};
#define DEMO_CHANNELS ((int)(sizeof demo_channels / sizeof *demo_channels))

typedef struct {
    demo_rng *r;
    planned_payment *v;
    size_t n, cap;
    civil_date cutoff;
    int64_t behaviour_seed;
} plan_ctx;

static uint64_t code_hash(const char *s, uint64_t seed)
{
    uint64_t h = 1469598103934665603ull ^ seed;
    for (; *s; s++)
        h = (h ^ (uint8_t)*s) * 1099511628211ull;
    return h;
}

/* How each customer pays (by its code, the same for every invoice): most before the due date,
 * some late by one to six weeks, a few in arrears that they settle now and then, and a tail
 * that never pays. */
static int plan_payment(void *ctx, const payer_row *c, const open_bill *b)
{
    plan_ctx *x = ctx;
    uint64_t h = code_hash(c->code, (uint64_t)x->behaviour_seed) % 1000;
    civil_date issue, due;
    date_parse(b->issue_date, &issue, NULL);
    date_parse(b->due_date, &due, NULL);
    civil_date day;
    if (h < 25)
        return 0; /* 2.5% never pay */
    if (h < 125)
        day = due + 6 + (civil_date)between(x->r, 0, 40); /* 10% late, after a notice or two */
    else if (h < 160)
        day = due + (civil_date)between(x->r, 100, 400); /* 3.5% in long arrears */
    else
        day = issue + (civil_date)between(x->r, 0, (due - issue) + 4); /* the rest: on time, a few days late */
    if (day > x->cutoff)
        return 0; /* not paid yet */
    if (x->n == x->cap) {
        x->cap = x->cap ? x->cap * 2 : 65536;
        x->v = realloc(x->v, x->cap * sizeof *x->v);
        if (!x->v)
            abort();
    }
    planned_payment *p = &x->v[x->n++];
    snprintf(p->code, sizeof p->code, "%s", c->code);
    p->unit_id = c->unit_id;
    p->amount = b->open;
    p->day = day;
    p->minute = (int)between(x->r, 7 * 60, 20 * 60);
    int w = (int)demo_rng_below(x->r, 100), k = 0;
    for (int acc = demo_channels[0].weight; k < DEMO_CHANNELS - 1 && w >= acc; acc += demo_channels[++k].weight)
        ;
    p->channel = k;
    return 0;
}

static int by_day(const void *a, const void *b)
{
    const planned_payment *p = a, *q = b;
    if (p->day != q->day)
        return p->day < q->day ? -1 : 1;
    if (p->minute != q->minute)
        return p->minute < q->minute ? -1 : 1;
    return strcmp(p->code, q->code);
}

typedef struct {
    int64_t *ids;
    size_t n, cap;
} order_ids;

static int collect_order(void *ctx, const work_order_row *o)
{
    order_ids *x = ctx;
    if (x->n == x->cap) {
        x->cap = x->cap ? x->cap * 2 : 256;
        x->ids = realloc(x->ids, x->cap * sizeof *x->ids);
        if (!x->ids)
            abort();
    }
    x->ids[x->n++] = o->id;
    return 0;
}

/* Dunning in the demo's last days (runs 12 and 6 days before its last day and on it, so that
 * the overdue get notice 1, notice 2 and a cut order); the crews have executed two cut orders
 * in three, so some customers are disconnected. */
static int demo_dunning(db *d, const char *actor, civil_date day, pc_err *e)
{
    pc_config cfg;
    config_defaults(&cfg);
    char date[DATE_FMT_MAX];
    for (int back = 12; back >= 0; back -= 6) {
        date_format(day - back, date);
        dunning_summary sum;
        if (dunning_run(d, actor, &cfg.dunning, date, NULL, &sum, e) != 0)
            return -1;
        dunning_summary_free(&sum);
    }
    order_ids x = {0};
    int rc = work_orders_list(d, "cut", "open", NULL, collect_order, &x, e);
    for (size_t i = 0; rc == 0 && i < x.n; i++) {
        work_order_row o;
        if (i % 3 != 2)
            rc = work_order_done(d, actor, x.ids[i], date, "Đã cắt điện", 420, &o, e);
    }
    free(x.ids);
    return rc;
}

/* Every invoice of the window paid (or not) as its customer would, in date order through the
 * real posting: counter payments in a shift per unit and month, closed with the cash counted. */
static int demo_payments(db *d, const char *actor, const demo_options *o, const demo_tree *t, int64_t *npay,
                         money *paid, pc_err *e)
{
    static const struct {
        const char *code, *name, *kind;
        int days;
    } partners[] = {{"VCB", "Ngân hàng TMCP Ngoại thương Việt Nam", "bank", 1},
                    {"ECPAY", "Công ty CP Thanh toán điện tử ECPay", "collector", 1},
                    {"VNPOST", "Tổng công ty Bưu điện Việt Nam", "post", 2},
                    {"MOMO", "Ví điện tử MoMo", "wallet", 1}};
    for (size_t i = 0; i < sizeof partners / sizeof *partners; i++)
        if (partner_add(d, actor, partners[i].code, partners[i].name, partners[i].kind, partners[i].days, e) != 0)
            return -1;
    demo_rng r;
    demo_rng_init(&r, o->seed ^ 0x5041594d454e5453ull); /* "PAYMENTS" */
    plan_ctx x = {.r = &r, .behaviour_seed = (int64_t)o->seed};
    x.cutoff = month_first_day(month_add(o->until, 1)) + 19;
    if (open_bills_in_scope(d, NULL, plan_payment, &x, e) != 0) {
        free(x.v);
        return -1;
    }
    qsort(x.v, x.n, sizeof *x.v, by_day);
    /* One counter shift per unit and month. */
    struct {
        int64_t id;
        civil_month month;
        money cash;
    } shifts[64] = {{0}};
    int rc = 0;
    posting_batch *batch = posting_batch_open(d, actor, 420, e);
    if (!batch) {
        free(x.v);
        return -1;
    }
    for (size_t i = 0; i < x.n && rc == 0; i++) {
        planned_payment *p = &x.v[i];
        const demo_channel *ch = &demo_channels[p->channel];
        int y, m, dd;
        date_to_ymd(p->day, &y, &m, &dd);
        char paid_at[32], ref[48];
        snprintf(paid_at, sizeof paid_at, "%04d-%02d-%02d %02d:%02d:00", y, m, dd, (p->minute / 60) % 24, p->minute % 60);
        snprintf(ref, sizeof ref, "DEMO%08zu", i + 1);
        payment_request q = {.customer_code = p->code, .method = ch->method, .ext_ref = ref, .amount = p->amount,
                             .paid_at = paid_at};
        if (ch->partner) {
            q.channel = "partner";
            q.source = ch->partner;
        } else {
            q.channel = "counter";
            q.source = "counter";
            int u = 0;
            char unit[8];
            snprintf(unit, sizeof unit, "%.6s", p->code);
            while (u < t->nunits && strcmp(t->units[u].code, unit) != 0)
                u++;
            if (u == t->nunits)
                return pc_errf(e, PC_EINTERNAL, "demo: no unit for %s", p->code);
            civil_month mo = y * 100 + m;
            if (shifts[u].id && shifts[u].month != mo) {
                shift_report rep;
                rc = posting_batch_flush(batch, e) == 0 ? shift_close(d, actor, shifts[u].id, shifts[u].cash, NULL, &rep, e) : -1;
                shifts[u].id = 0;
            }
            if (rc == 0 && !shifts[u].id) {
                shift_row sh;
                rc = shift_open(d, actor, "Thu ngân quầy", unit, 0, &sh, e);
                shifts[u].id = sh.id;
                shifts[u].month = mo;
                shifts[u].cash = 0;
            }
            q.shift_id = shifts[u].id;
            if (strcmp(ch->method, "cash") == 0)
                shifts[u].cash += p->amount;
        }
        int64_t id;
        bool repeated;
        if (rc == 0)
            rc = posting_batch_add(batch, &q, &id, &repeated, e);
        if (rc == 0) {
            (*npay)++;
            *paid += p->amount;
        }
    }
    if (rc == 0)
        rc = posting_batch_flush(batch, e);
    posting_batch_close(batch);
    /* The shifts of the last month stay open, as at a counter in the middle of its day. */
    free(x.v);
    if (rc != 0)
        return rc;
    return demo_dunning(d, actor, x.cutoff, e);
}

int demo_build(db *d, const char *actor, const demo_options *o, demo_tree *t, demo_summary *sum, pc_err *e)
{
    int64_t n = o->customers;
    uint64_t seed = o->seed;
    read_rules rules = read_rules_default();
    memset(sum, 0, sizeof *sum);
    demo_rng r;
    demo_rng_init(&r, seed);
    demo_tree_make(&r, t);
    if (db_begin(d, e) != 0)
        return -1;
    org_row row;
    int64_t unit_ids[64];
    if (org_add(d, actor, "PA", "Tổng công ty Điện lực miền Bắc", NULL, &row, e) != 0)
        goto fail;
    for (int c = 0; c < t->companies; c++) {
        char code[8], name[128];
        snprintf(code, sizeof code, "PA%02d", (c + 1) % 100);
        snprintf(name, sizeof name, "Công ty Điện lực %s", provinces[c].province);
        if (org_add(d, actor, code, name, NULL, &row, e) != 0)
            goto fail;
    }
    for (int u = 0; u < t->nunits; u++) {
        if (org_add(d, actor, t->units[u].code, t->units[u].name, NULL, &row, e) != 0)
            goto fail;
        unit_ids[u] = row.id;
    }
    int64_t before_id;
    if (customer_max_id(d, &before_id, e) != 0)
        goto fail;
    for (int64_t seq = 1; seq <= n; seq++) {
        customer c;
        meter_spec m;
        demo_customer_make(&r, t, seq, &c, &m);
        int64_t uid = 0;
        for (int u = 0; u < t->nunits; u++)
            if (strcmp(t->units[u].code, c.unit) == 0)
                uid = unit_ids[u];
        if (customer_validate(&c, e) != 0 || customer_insert_unindexed(d, &c, uid, &m, e) != 0 ||
            (o->months > 0 && demo_customer_reads(d, actor, seed, &c, &m, o->until, o->months, &rules, &sum->reads, e) != 0)) {
            pc_err_prefix(e, "demo customer %s", c.code);
            goto fail;
        }
    }
    if (customer_index_since(d, before_id, e) != 0)
        goto fail;
    /* Bill every month of the window as the units would have, issuing on the 2nd of the
     * following month; flagged reads of the last month stay unbilled in the queue. */
    if (o->months > 0 && !o->no_invoices) {
        static tariff_set tariffs;
        pc_config cfg;
        config_defaults(&cfg);
        if (tariff_load_shipped(&tariffs, e) != 0)
            goto fail;
        for (civil_month mo = month_add(o->until, -(o->months - 1)); mo <= o->until; mo = month_add(mo, 1)) {
            bill_options bo = {.period = mo, .issue_date = month_first_day(month_add(mo, 1)) + 1};
            bill_summary bs;
            if (billing_run(d, actor, &cfg, &tariffs, &bo, &bs, e) != 0)
                goto fail;
            sum->invoices += bs.invoices;
            sum->billed += bs.total;
        }
        if (demo_payments(d, actor, o, t, &sum->payments, &sum->paid, e) != 0 ||
            demo_prepaid(d, actor, o, t, &sum->prepaid, e) != 0 || demo_debt(d, actor, o, &sum->debt, e) != 0 ||
            demo_requests(d, actor, o, t, &sum->requests, e) != 0 || demo_risk(d, actor, o->until, o->months, e) != 0)
            goto fail;
    }
    if (demo_outages(d, actor, o, t, &sum->outages, e) != 0)
        goto fail;
    char until[MONTH_FMT_MAX];
    json_t *detail = json_pack("{s:I, s:I, s:s, s:i, s:I}", "customers", (json_int_t)n, "seed", (json_int_t)seed,
                               "until", month_format(o->until, until), "months", o->months, "reads",
                               (json_int_t)sum->reads);
    json_object_set_new(detail, "invoices", json_integer(sum->invoices));
    json_object_set_new(detail, "payments", json_integer(sum->payments));
    int rc = audit_event(d, actor, "demo.build", "org_node", "PA", detail, e);
    if (rc != 0)
        goto fail;
    return db_commit(d, e);
fail:
    db_rollback(d);
    return -1;
}

static void csv_field(FILE *out, const char *s, bool last)
{
    if (strpbrk(s, ",\"\n")) {
        fputc('"', out);
        for (; *s; s++) {
            if (*s == '"')
                fputc('"', out);
            fputc(*s, out);
        }
        fputc('"', out);
    } else {
        fputs(s, out);
    }
    fputc(last ? '\n' : ',', out);
}

int demo_write_csv(FILE *out, const demo_tree *t, demo_rng *r, int64_t first_seq, int64_t n)
{
    fputs("customer_code,name,address,unit,purpose,voltage,households,phone,renter,persons,tou,route,"
          "periods_per_month,est_kwh,valid_from,meter,multiplier,digits,amr\n", out);
    for (int64_t i = 0; i < n; i++) {
        customer c;
        meter_spec m;
        demo_customer_make(r, t, first_seq + i, &c, &m);
        char num[8][24];
        snprintf(num[0], sizeof num[0], "%d", c.households);
        snprintf(num[1], sizeof num[1], "%d", c.persons);
        snprintf(num[2], sizeof num[2], "%d", c.periods_per_month);
        snprintf(num[3], sizeof num[3], "%lld", (long long)c.est_kwh_month);
        snprintf(num[4], sizeof num[4], "%d", m.multiplier);
        snprintf(num[5], sizeof num[5], "%d", m.digits);
        csv_field(out, c.code, false);
        csv_field(out, c.name, false);
        csv_field(out, c.address, false);
        csv_field(out, c.unit, false);
        csv_field(out, purpose_name(c.purpose), false);
        csv_field(out, c.voltage, false);
        csv_field(out, num[0], false);
        csv_field(out, c.phone, false);
        csv_field(out, c.renter ? "1" : "0", false);
        csv_field(out, c.persons ? num[1] : "", false);
        csv_field(out, c.tou ? "1" : "0", false);
        csv_field(out, c.route, false);
        csv_field(out, num[2], false);
        csv_field(out, num[3], false);
        csv_field(out, c.valid_from, false);
        csv_field(out, m.serial, false);
        csv_field(out, num[4], false);
        csv_field(out, num[5], false);
        csv_field(out, m.amr ? "1" : "0", true);
    }
    return ferror(out) ? -1 : 0;
}
