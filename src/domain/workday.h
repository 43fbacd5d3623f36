/* Working days (issue 11, docs/service.md): service deadlines count days on which a unit works,
 * i.e. Monday to Friday minus the public holidays and the days off swapped or given in
 * compensation, plus the Saturdays worked to make up a swap. Tết and Hùng Kings' day follow the
 * lunar calendar and the days off are decided each year, so the calendar is dated data
 * (data/holidays/vn.csv), never a formula. Pure: the caller owns the arrays. */
#ifndef PC_DOMAIN_WORKDAY_H
#define PC_DOMAIN_WORKDAY_H

#include <stdbool.h>
#include <stddef.h>

#include "base/date.h"
#include "base/err.h"

typedef struct {
    const civil_date *off; /* days off on weekdays (holiday, compensation, swap), sorted ascending */
    size_t noff;
    const civil_date *work; /* weekend days worked (make-up Saturdays), sorted ascending */
    size_t nwork;
} workcal;

bool workday_is_working(const workcal *c, civil_date d);
/* The n-th working day after `from` (n >= 0; n = 0 gives `from` itself). A request received on
 * day D with a deadline of n working days is due by the end of workday_add(D, n). */
civil_date workday_add(const workcal *c, civil_date from, int n);
/* Working days in (from, to]: workday_between(c, d, workday_add(c, d, n)) == n. Negative when to
 * is before from (minus the working days in (to, from]); 0 when equal. */
int workday_between(const workcal *c, civil_date from, civil_date to);

/* Holiday CSV (header "date,name,kind"; kind holiday, compensation, swap or makeup; a missing
 * kind is holiday). Fills off/work (malloc'd, sorted; free with workcal_free) and checks every
 * row: a holiday on a weekend or a make-up day on a weekday is an error naming the line, as is a
 * date given twice. */
typedef struct {
    civil_date *off;
    size_t noff;
    civil_date *work;
    size_t nwork;
    civil_date first, last; /* the years the data covers: Jan 1 of the first, Dec 31 of the last */
} workcal_data;
int workcal_parse_csv(const char *text, workcal_data *out, pc_err *e);
void workcal_free(workcal_data *w);
workcal workcal_of(const workcal_data *w);

#endif
