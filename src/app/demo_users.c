/* The demo's staff accounts (app/demo_users.h). */
#include "app/demo_users.h"

#include <stdio.h>
#include <string.h>

#include "app/auth.h"
#include "app/users.h"
#include "store/repo.h"

typedef struct {
    const char *login, *name, *role, *scope, *lang;
    int digest;
} demo_account;

static const demo_account fixed[] = {
    {"admin", "Quản trị hệ thống", "administrator", "PA", "vi", 0},
    {"tgd", "Nguyễn Minh Quang", "corporation", "PA", "vi", 1},
    {"ketoan.pa", "Kế toán Tổng công ty (English)", "corporation", "PA", "en", 1},
    {"dienluc.pa0101", "Trần Văn Hùng", "unit_officer", "PA0101", "vi", 1},
    {"thungan.pa0101", "Lê Thị Hoa", "cashier", "PA0101", "vi", 0},
    {"kiemtoan", "Phạm Đức Thắng", "auditor", "PA", "vi", 0},
    {"xem.pa01", "Đỗ Thu Trang", "read_only", "PA01", "vi", 0},
    /* manages the first service grid of PA0101 (app/demo_grids.c) */
    {"ql.pa0101", "Nguyễn Thị Thu", "account_manager", "PA0101", "vi", 0},
};

static int add(db *d, const char *actor, const demo_account *a, demo_user_fn fn, void *ctx, pc_err *e)
{
    char email[96];
    snprintf(email, sizeof email, "%s@demo.powercis.vn", a->login);
    user_changes c = {a->name, a->role, a->scope, email, NULL, NULL, a->lang, a->digest};
    if (users_add(d, actor, a->login, &c, NULL, e) != 0 ||
        auth_set_password(d, actor, a->login, DEMO_PASSWORD, e) != 0)
        return -1;
    return fn ? fn(ctx, a->login, a->role, a->scope, a->name) : 0;
}

typedef struct {
    char code[8][16];
    char name[8][256];
    int n;
} companies;

static int company_of(void *ctx, const org_row *r, const org_counts *counts)
{
    (void)counts;
    companies *c = ctx;
    if (strcmp(r->level, "company") == 0 && c->n < 8) {
        snprintf(c->code[c->n], sizeof c->code[c->n], "%s", r->code);
        snprintf(c->name[c->n], sizeof c->name[c->n], "%s", r->name);
        c->n++;
    }
    return 0;
}

int demo_users(db *d, const char *actor, demo_user_fn fn, void *ctx, pc_err *e)
{
    for (size_t i = 0; i < sizeof fixed / sizeof *fixed; i++)
        if (add(d, actor, &fixed[i], fn, ctx, e) != 0)
            return -1;
    companies cs = {0};
    if (org_list(d, "/PA/", 0, company_of, &cs, e) != 0)
        return -1;
    /* each company's director (giám đốc) receives the digest of the company */
    static const char *const directors[] = {"Vũ Văn Long", "Hoàng Thị Mai", "Đặng Quốc Bảo", "Bùi Thị Lan",
                                            "Ngô Văn Tuấn", "Trịnh Thị Hằng", "Lý Văn Phúc", "Tạ Thị Ngọc"};
    for (int i = 0; i < cs.n; i++) {
        char login[32];
        snprintf(login, sizeof login, "gd.%s", cs.code[i]);
        for (char *p = login; *p; p++)
            if (*p >= 'A' && *p <= 'Z')
                *p = (char)(*p - 'A' + 'a');
        demo_account a = {login, directors[i], "company", cs.code[i], "vi", 1};
        if (add(d, actor, &a, fn, ctx, e) != 0)
            return -1;
    }
    return 0;
}
