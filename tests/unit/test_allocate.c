/* Payment allocation (DOMAIN 7): the golden cases in tests/cases/allocation/cases.txt (one TAP
 * test each, format at the top of that file), then the reversal and the allocation check. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "domain/allocate.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))
#define MAX_ROWS 16

typedef struct {
    char name[128];
    int line; /* where the case starts in the file */
    open_invoice inv[MAX_ROWS];
    size_t ninv;
    money payment;
    int64_t named[MAX_ROWS];
    size_t nnamed;
    allocation want[MAX_ROWS];
    size_t nwant;
    money excess;
    char error[32];   /* pc_errcode_name, or "" when the payment is accepted */
    char says[128];   /* part of the error message */
} alloc_case;

/* ---- reading cases.txt ---- */

static int parse_int(const char *s, int64_t *out)
{
    char *end;
    errno = 0;
    long long v = strtoll(s, &end, 10);
    if (errno || end == s || *end)
        return -1;
    *out = v;
    return 0;
}

static int parse_date(const char *s, civil_date *out)
{
    pc_err e = {0};
    return date_parse(s, out, &e);
}

/* One directive into c; -1 on a line the format does not allow. */
static int case_line(alloc_case *c, char *line)
{
    char *save = NULL, *word = strtok_r(line, " \t", &save);
    char *rest = strtok_r(NULL, "", &save);
    char *tok[8] = {0};
    size_t ntok = 0;
    char copy[256] = "";
    if (rest) {
        snprintf(copy, sizeof copy, "%s", rest);
        for (char *t = strtok_r(rest, " \t", &save); t && ntok < N(tok); t = strtok_r(NULL, " \t", &save))
            tok[ntok++] = t;
    }
    if (strcmp(word, "invoice") == 0) {
        if (ntok != 4 || c->ninv == MAX_ROWS)
            return -1;
        open_invoice *v = &c->inv[c->ninv++];
        return parse_int(tok[0], &v->invoice_id) || parse_date(tok[1], &v->due_date) ||
                       parse_int(tok[2], &v->number) || parse_int(tok[3], &v->open_amount)
                   ? -1
                   : 0;
    }
    if (strcmp(word, "payment") == 0)
        return ntok == 1 ? parse_int(tok[0], &c->payment) : -1;
    if (strcmp(word, "named") == 0) {
        if (ntok == 0)
            return -1;
        for (size_t i = 0; i < ntok; i++)
            if (c->nnamed == MAX_ROWS || parse_int(tok[i], &c->named[c->nnamed++]))
                return -1;
        return 0;
    }
    if (strcmp(word, "expect") == 0) {
        if (ntok != 2 || c->nwant == MAX_ROWS)
            return -1;
        allocation *a = &c->want[c->nwant++];
        return parse_int(tok[0], &a->invoice_id) || parse_int(tok[1], &a->amount) ? -1 : 0;
    }
    if (strcmp(word, "excess") == 0)
        return ntok == 1 ? parse_int(tok[0], &c->excess) : -1;
    if (strcmp(word, "error") == 0) {
        if (ntok == 0)
            return -1;
        snprintf(c->error, sizeof c->error, "%s", tok[0]);
        const char *says = copy + strlen(tok[0]);
        says += strspn(says, " \t");
        snprintf(c->says, sizeof c->says, "%s", says);
        return 0;
    }
    return -1;
}

static int load_cases(const char *path, alloc_case **out, size_t *n)
{
    FILE *f = fopen(path, "r");
    if (!f) {
        fprintf(stderr, "cannot open %s: %s\n", path, strerror(errno));
        return -1;
    }
    alloc_case *cases = NULL, *c = NULL;
    size_t count = 0;
    char line[512];
    int lineno = 0, rc = 0;
    while (rc == 0 && fgets(line, sizeof line, f)) {
        lineno++;
        line[strcspn(line, "\r\n")] = '\0';
        if (line[0] == '\0' || line[0] == '#')
            continue;
        if (strncmp(line, "case ", 5) == 0 && !c) {
            alloc_case *grown = realloc(cases, (count + 1) * sizeof *cases);
            if (!grown) {
                rc = -1;
                break;
            }
            cases = grown;
            c = &cases[count++];
            memset(c, 0, sizeof *c);
            snprintf(c->name, sizeof c->name, "%s", line + 5);
            c->line = lineno;
        } else if (strcmp(line, "end") == 0 && c) {
            c = NULL;
        } else if (!c || case_line(c, line) != 0) {
            rc = -1;
        }
    }
    fclose(f);
    if (rc == 0 && c) {
        fprintf(stderr, "%s: case '%s' has no end\n", path, c->name);
        rc = -1;
    } else if (rc != 0) {
        fprintf(stderr, "%s:%d: not a line of the case format\n", path, lineno);
    }
    if (rc != 0) {
        free(cases);
        return -1;
    }
    *out = cases;
    *n = count;
    return 0;
}

/* ---- running one case ---- */

static void run_case(void **state)
{
    const alloc_case *c = *state;
    allocation out[MAX_ROWS];
    allocation_result res = {0};
    pc_err e = {0};
    int rc = payment_allocate(c->inv, c->ninv, c->payment, c->nnamed ? c->named : NULL, c->nnamed, out, MAX_ROWS,
                              &res, &e);
    if (c->error[0]) {
        if (rc == 0)
            fail_msg("cases.txt:%d %s: accepted, want %s", c->line, c->name, c->error);
        assert_string_equal(pc_errcode_name(e.code), c->error);
        if (!strstr(e.msg, c->says))
            fail_msg("cases.txt:%d: message '%s' does not say '%s'", c->line, e.msg, c->says);
        return;
    }
    if (rc != 0)
        fail_msg("cases.txt:%d %s: refused: %s", c->line, c->name, e.msg);
    assert_int_equal(res.n, c->nwant);
    for (size_t i = 0; i < c->nwant; i++) {
        assert_int_equal(out[i].invoice_id, c->want[i].invoice_id);
        assert_int_equal(out[i].amount, c->want[i].amount);
    }
    assert_int_equal(res.excess, c->excess);
    assert_int_equal(res.allocated, c->payment - c->excess);

    /* What payment_allocate produces, allocations_check accepts … */
    if (allocations_check(c->inv, c->ninv, c->payment, out, res.n, res.excess, &e) != 0)
        fail_msg("cases.txt:%d: allocations_check refused the allocation: %s", c->line, e.msg);
    /* … and the reversal reopens exactly what was cleared. */
    allocation rev[MAX_ROWS];
    money credit = 1;
    assert_int_equal(payment_reverse(out, res.n, res.excess, rev, &credit, &e), 0);
    for (size_t i = 0; i < res.n; i++) {
        assert_int_equal(rev[i].invoice_id, out[i].invoice_id);
        assert_int_equal(rev[i].amount, -out[i].amount);
    }
    assert_int_equal(credit, -res.excess);
}

/* ---- the rest of the interface ---- */

static const open_invoice three[] = {
    {.invoice_id = 3, .due_date = 20230, .number = 103, .open_amount = 400000},
    {.invoice_id = 1, .due_date = 20168, .number = 101, .open_amount = 200000},
    {.invoice_id = 2, .due_date = 20198, .number = 102, .open_amount = 100000},
};

static void test_order_sorts_like_the_rule(void **state)
{
    (void)state;
    open_invoice v[] = {
        {.invoice_id = 9, .due_date = 20000, .number = 5, .open_amount = 1},
        {.invoice_id = 8, .due_date = 20000, .number = 5, .open_amount = 1},
        {.invoice_id = 7, .due_date = 20000, .number = 4, .open_amount = 1},
        {.invoice_id = 6, .due_date = 19999, .number = 99, .open_amount = 1},
    };
    qsort(v, N(v), sizeof *v, open_invoice_order);
    int64_t want[] = {6, 7, 8, 9};
    for (size_t i = 0; i < N(v); i++)
        assert_int_equal(v[i].invoice_id, want[i]);
    assert_int_equal(open_invoice_order(&v[0], &v[0]), 0);
}

static void test_inputs_untouched(void **state)
{
    (void)state;
    open_invoice copy[N(three)];
    memcpy(copy, three, sizeof three);
    allocation out[N(three)];
    allocation_result res;
    pc_err e = {0};
    assert_int_equal(payment_allocate(copy, N(copy), 250000, NULL, 0, out, N(out), &res, &e), 0);
    assert_memory_equal(copy, three, sizeof three);
    /* 200,000 to invoice 1 (oldest), 50,000 to invoice 2 */
    assert_int_equal(res.n, 2);
    assert_int_equal(out[0].invoice_id, 1);
    assert_int_equal(out[1].amount, 50000);
}

static void test_named_null_means_none(void **state)
{
    (void)state;
    allocation out[N(three)];
    allocation_result res;
    pc_err e = {0};
    assert_int_equal(payment_allocate(three, N(three), 700000, NULL, 5, out, N(out), &res, &e), 0);
    assert_int_equal(res.n, 3);
    assert_int_equal(res.excess, 0);
}

static void test_output_too_small(void **state)
{
    (void)state;
    allocation out[2];
    allocation_result res;
    pc_err e = {0};
    assert_int_equal(payment_allocate(three, N(three), 100, NULL, 0, out, N(out), &res, &e), -1);
    assert_int_equal(e.code, PC_EINTERNAL);
    /* named: room for the named ones is enough */
    int64_t named[] = {3, 2};
    assert_int_equal(payment_allocate(three, N(three), 600000, named, N(named), out, N(out), &res, &e), 0);
    assert_int_equal(res.n, 2);
    assert_int_equal(out[0].invoice_id, 2); /* due earlier than 3 */
    assert_int_equal(out[1].amount, 400000);
    assert_int_equal(res.excess, 100000);
}

static void test_reverse_in_place_and_refusals(void **state)
{
    (void)state;
    allocation a[] = {{1, 200000}, {2, 50000}};
    money credit = 0;
    pc_err e = {0};
    assert_int_equal(payment_reverse(a, N(a), 7000, a, &credit, &e), 0);
    assert_int_equal(a[0].amount, -200000);
    assert_int_equal(a[1].amount, -50000);
    assert_int_equal(credit, -7000);
    /* reversing the reversal is refused, and nothing is written */
    allocation out[2] = {{0, 0}, {0, 0}};
    assert_int_equal(payment_reverse(a, N(a), 0, out, &credit, &e), -1);
    assert_int_equal(e.code, PC_EINVAL);
    assert_int_equal(out[0].amount, 0);
    allocation b[] = {{1, 100}};
    assert_int_equal(payment_reverse(b, N(b), -1, out, &credit, &e), -1);
    /* a payment that was all credit reverses to credit only */
    assert_int_equal(payment_reverse(NULL, 0, 250000, out, &credit, &e), 0);
    assert_int_equal(credit, -250000);
}

static void test_check_refusals(void **state)
{
    (void)state;
    pc_err e = {0};
    struct {
        const char *name;
        allocation a[3];
        size_t n;
        money payment, excess;
        pc_errcode code;
        const char *says;
    } cases[] = {
        {"good, two rows to one invoice", {{1, 150000}, {2, 100000}, {1, 50000}}, 3, 300000, 0, PC_OK, ""},
        {"two rows to one invoice past its open amount", {{1, 150000}, {1, 50001}}, 2, 300000, 99999, PC_EINVAL,
         "open for 200000"},
        {"more than the invoice", {{2, 100001}}, 1, 200000, 99999, PC_EINVAL, "open for 100000"},
        {"more than the payment", {{1, 200000}, {2, 100000}}, 2, 250000, 0, PC_EINVAL, "more than the payment"},
        {"excess does not add up", {{1, 200000}}, 1, 250000, 40000, PC_EINVAL, "not the excess 40000"},
        {"unknown invoice", {{4, 1}}, 1, 1, 0, PC_ENOTFOUND, "invoice 4"},
        {"zero row", {{1, 0}}, 1, 1, 1, PC_EINVAL, "not positive"},
        {"negative row", {{1, -5}}, 1, 1, 6, PC_EINVAL, "not positive"},
        {"negative excess", {{1, 5}}, 1, 4, -1, PC_EINVAL, "negative"},
        {"no payment", {{1, 5}}, 1, 0, 0, PC_EINVAL, "must be positive"},
        {"INT64_MAX to a small invoice", {{1, INT64_MAX}}, 1, INT64_MAX, 0, PC_EINVAL, "open for 200000"},
    };
    for (size_t i = 0; i < N(cases); i++) {
        print_message("# check: %s\n", cases[i].name);
        pc_err_clear(&e);
        int rc = allocations_check(three, N(three), cases[i].payment, cases[i].a, cases[i].n, cases[i].excess, &e);
        assert_int_equal(rc, cases[i].code == PC_OK ? 0 : -1);
        assert_int_equal(e.code, cases[i].code);
        if (!strstr(e.msg, cases[i].says))
            fail_msg("%s: '%s' does not say '%s'", cases[i].name, e.msg, cases[i].says);
    }
    /* rows that each fit their invoice but together pass INT64_MAX */
    const open_invoice big[] = {{.invoice_id = 1, .due_date = 20000, .number = 1, .open_amount = INT64_MAX},
                                {.invoice_id = 2, .due_date = 20001, .number = 2, .open_amount = INT64_MAX}};
    const allocation rows[] = {{1, INT64_MAX}, {2, 1}};
    assert_int_equal(allocations_check(big, N(big), INT64_MAX, rows, N(rows), 0, &e), -1);
    if (!strstr(e.msg, "add up to more than"))
        fail_msg("'%s'", e.msg);
}

int main(void)
{
    const char *dir = getenv("PC_CASES_DIR");
    char path[1024];
    snprintf(path, sizeof path, "%s/allocation/cases.txt", dir ? dir : "tests/cases");
    alloc_case *cases = NULL;
    size_t ncases = 0;
    if (load_cases(path, &cases, &ncases) != 0) {
        printf("Bail out! %s cannot be read as allocation cases\n", path);
        return 1;
    }

    static const struct CMUnitTest fixed[] = {
        cmocka_unit_test(test_order_sorts_like_the_rule),
        cmocka_unit_test(test_inputs_untouched),
        cmocka_unit_test(test_named_null_means_none),
        cmocka_unit_test(test_output_too_small),
        cmocka_unit_test(test_reverse_in_place_and_refusals),
        cmocka_unit_test(test_check_refusals),
    };
    size_t n = ncases + N(fixed);
    struct CMUnitTest *tests = calloc(n, sizeof *tests);
    for (size_t i = 0; i < ncases; i++)
        tests[i] = (struct CMUnitTest){.name = cases[i].name, .test_func = run_case, .initial_state = &cases[i]};
    memcpy(tests + ncases, fixed, sizeof fixed);
    int failed = _cmocka_run_group_tests("allocate", tests, n, NULL, NULL);
    free(tests);
    free(cases);
    return failed;
}
