/* Working-day arithmetic over a dated holiday calendar (see workday.h). Weekdays are counted a
 * week at a time, then the sorted lists are searched, so a span of years costs a few binary
 * searches, not a walk over every day: the indicator report computes millions of spans. */
#include "domain/workday.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Number of entries of a sorted array that are <= d. */
static size_t count_le(const civil_date *a, size_t n, civil_date d)
{
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (a[mid] <= d)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

static bool contains(const civil_date *a, size_t n, civil_date d)
{
    size_t i = count_le(a, n, d);
    return i > 0 && a[i - 1] == d;
}

static bool weekend(civil_date d)
{
    return date_weekday(d) >= 5;
}

bool workday_is_working(const workcal *c, civil_date d)
{
    if (weekend(d))
        return contains(c->work, c->nwork, d);
    return !contains(c->off, c->noff, d);
}

/* Monday-to-Friday days in (a, b], a <= b. */
static int weekdays_in(civil_date a, civil_date b)
{
    int32_t days = date_days_between(a, b);
    int full = days / 7;
    int n = full * 5;
    for (civil_date d = date_add_days(a, full * 7 + 1); d <= b; d = date_add_days(d, 1))
        if (!weekend(d))
            n++;
    return n;
}

int workday_between(const workcal *c, civil_date from, civil_date to)
{
    if (to < from)
        return -workday_between(c, to, from);
    int n = weekdays_in(from, to);
    n -= (int)(count_le(c->off, c->noff, to) - count_le(c->off, c->noff, from));
    n += (int)(count_le(c->work, c->nwork, to) - count_le(c->work, c->nwork, from));
    return n;
}

civil_date workday_add(const workcal *c, civil_date from, int n)
{
    if (n <= 0)
        return from;
    /* Jump by whole weeks close to the answer, then step: the holidays in between are few. */
    civil_date d = from;
    int left = n;
    while (left > 10) {
        int weeks = left / 5 - 1;
        if (weeks < 1)
            break;
        civil_date next = date_add_days(d, weeks * 7);
        int got = workday_between(c, d, next);
        if (got >= left)
            break;
        left -= got;
        d = next;
    }
    while (left > 0) {
        d = date_add_days(d, 1);
        if (workday_is_working(c, d))
            left--;
    }
    return d;
}

static int cmp_date(const void *a, const void *b)
{
    civil_date x = *(const civil_date *)a, y = *(const civil_date *)b;
    return (x > y) - (x < y);
}

static int push(civil_date **a, size_t *n, size_t *cap, civil_date d, pc_err *e)
{
    if (*n == *cap) {
        size_t nc = *cap ? *cap * 2 : 64;
        civil_date *p = realloc(*a, nc * sizeof *p);
        if (!p)
            return pc_errf(e, PC_EINTERNAL, "out of memory reading the holiday calendar");
        *a = p;
        *cap = nc;
    }
    (*a)[(*n)++] = d;
    return 0;
}

int workcal_parse_csv(const char *text, workcal_data *out, pc_err *e)
{
    memset(out, 0, sizeof *out);
    size_t cap_off = 0, cap_work = 0;
    int line = 0, year_min = 0, year_max = 0;
    const char *p = text;
    while (*p) {
        const char *eol = strchr(p, '\n');
        size_t len = eol ? (size_t)(eol - p) : strlen(p);
        line++;
        char row[512];
        if (len >= sizeof row) {
            workcal_free(out);
            return pc_errf(e, PC_EINVAL, "holiday calendar line %d: longer than %zu bytes", line, sizeof row - 1);
        }
        memcpy(row, p, len);
        row[len] = '\0';
        if (len && row[len - 1] == '\r')
            row[--len] = '\0';
        p = eol ? eol + 1 : p + len;
        if (line == 1 || len == 0 || row[0] == '#')
            continue; /* header, blank line, comment */
        char *c1 = strchr(row, ',');
        if (!c1) {
            workcal_free(out);
            return pc_errf(e, PC_EINVAL, "holiday calendar line %d: expected date,name[,kind]", line);
        }
        *c1 = '\0';
        const char *kind = "holiday";
        char *c2 = strrchr(c1 + 1, ',');
        if (c2)
            kind = c2 + 1;
        civil_date d;
        if (date_parse(row, &d, e) != 0) {
            workcal_free(out);
            return pc_err_prefix(e, "holiday calendar line %d", line);
        }
        int y, m, dd;
        date_to_ymd(d, &y, &m, &dd);
        if (!year_min || y < year_min)
            year_min = y;
        if (y > year_max)
            year_max = y;
        bool makeup = strcmp(kind, "makeup") == 0;
        if (!makeup && strcmp(kind, "holiday") && strcmp(kind, "compensation") && strcmp(kind, "swap")) {
            workcal_free(out);
            return pc_errf(e, PC_EINVAL,
                           "holiday calendar line %d: kind '%s': expected holiday, compensation, swap or makeup",
                           line, kind);
        }
        if (makeup != weekend(d)) {
            workcal_free(out);
            return pc_errf(e, PC_EINVAL, "holiday calendar line %d: %s is a %s: %s", line, row,
                           weekend(d) ? "weekend day" : "weekday",
                           makeup ? "a make-up working day is a Saturday or Sunday"
                                  : "a day off on a weekend is given as its compensation day instead");
        }
        if (push(makeup ? &out->work : &out->off, makeup ? &out->nwork : &out->noff, makeup ? &cap_work : &cap_off, d,
                 e) != 0) {
            workcal_free(out);
            return -1;
        }
    }
    if (out->noff)
        qsort(out->off, out->noff, sizeof *out->off, cmp_date);
    if (out->nwork)
        qsort(out->work, out->nwork, sizeof *out->work, cmp_date);
    for (size_t i = 1; i < out->noff; i++)
        if (out->off[i] == out->off[i - 1]) {
            char buf[DATE_FMT_MAX];
            date_format(out->off[i], buf);
            workcal_free(out);
            return pc_errf(e, PC_EINVAL, "holiday calendar: %s is given twice", buf);
        }
    if (year_min) {
        out->first = date_from_ymd(year_min, 1, 1);
        out->last = date_from_ymd(year_max, 12, 31);
    }
    return 0;
}

void workcal_free(workcal_data *w)
{
    free(w->off);
    free(w->work);
    w->off = w->work = NULL;
    w->noff = w->nwork = 0;
}

workcal workcal_of(const workcal_data *w)
{
    workcal c = {w->off, w->noff, w->work, w->nwork};
    return c;
}
