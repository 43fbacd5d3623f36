/* Staff accounts (app/users.h): validation and the audit trail around store/users. */
#include "app/users.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "app/audit.h"
#include "base/date.h"
#include "store/repo.h"

const char *const user_roles[] = {"administrator", "corporation", "company", "unit_officer", "cashier",
                                  "partner",       "auditor",     "read_only", "account_manager", NULL};

static int check_login(const char *login, pc_err *e)
{
    size_t n = strlen(login);
    if (n == 0 || n > 63)
        return pc_errf(e, PC_EINVAL, "login '%s': 1 to 63 characters are expected", login);
    for (size_t i = 0; i < n; i++)
        if (!isalnum((unsigned char)login[i]) && !strchr("._-", login[i]))
            return pc_errf(e, PC_EINVAL, "login '%s': letters, digits, '.', '_' and '-' only", login);
    return 0;
}

static int set_text(const char *field, const char *v, char *dst, size_t cap, pc_err *e)
{
    if (strlen(v) >= cap)
        return pc_errf(e, PC_EINVAL, "%s: longer than %zu characters", field, cap - 1);
    snprintf(dst, cap, "%s", v);
    return 0;
}

/* Applies c to u, checking each value given. */
static int apply(db *d, user_row *u, const user_changes *c, pc_err *e)
{
    if (c->name) {
        if (!c->name[0])
            return pc_errf(e, PC_EINVAL, "name: must not be empty");
        if (set_text("name", c->name, u->name, sizeof u->name, e) != 0)
            return -1;
    }
    if (c->role) {
        int known = 0;
        for (int i = 0; user_roles[i]; i++)
            known |= strcmp(user_roles[i], c->role) == 0;
        if (!known)
            return pc_errf(e, PC_EINVAL,
                           "role '%s': one of administrator, corporation, company, unit_officer, cashier, partner, "
                           "auditor, read_only, account_manager is expected",
                           c->role);
        snprintf(u->role, sizeof u->role, "%s", c->role);
    }
    if (c->scope) {
        org_row n;
        if (org_get(d, c->scope, &n, e) != 0)
            return pc_err_prefix(e, "scope");
        u->scope_id = n.id;
        snprintf(u->scope_code, sizeof u->scope_code, "%s", n.code);
        snprintf(u->scope_name, sizeof u->scope_name, "%s", n.name);
        snprintf(u->scope_path, sizeof u->scope_path, "%s", n.path);
    }
    if (c->email) {
        const char *at = strchr(c->email, '@');
        if (c->email[0] && (!at || at == c->email || !strchr(at, '.') || strpbrk(c->email, " \t\r\n<>,;")))
            return pc_errf(e, PC_EINVAL, "email '%s': an address like name@example.vn is expected", c->email);
        if (set_text("email", c->email, u->email, sizeof u->email, e) != 0)
            return -1;
    }
    if (c->phone) {
        size_t n = strlen(c->phone);
        for (size_t i = 0; i < n; i++)
            if (!isdigit((unsigned char)c->phone[i]) && !(i == 0 && c->phone[i] == '+'))
                return pc_errf(e, PC_EINVAL, "phone '%s': digits only (a leading + allowed)", c->phone);
        if (set_text("phone", c->phone, u->phone, sizeof u->phone, e) != 0)
            return -1;
    }
    if (c->chat_url) {
        if (c->chat_url[0] && strncmp(c->chat_url, "http://", 7) != 0 && strncmp(c->chat_url, "https://", 8) != 0)
            return pc_errf(e, PC_EINVAL, "chat-url '%s': an http:// or https:// address is expected", c->chat_url);
        if (set_text("chat-url", c->chat_url, u->chat_url, sizeof u->chat_url, e) != 0)
            return -1;
    }
    if (c->lang) {
        if (strcmp(c->lang, "vi") != 0 && strcmp(c->lang, "en") != 0)
            return pc_errf(e, PC_EINVAL, "lang '%s': vi or en is expected", c->lang);
        snprintf(u->lang, sizeof u->lang, "%s", c->lang);
    }
    if (c->digest >= 0)
        u->digest = c->digest != 0;
    return 0;
}

static json_t *user_json(const user_row *u)
{
    return json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:b, s:b}", "name", u->name, "role", u->role, "scope",
                     u->scope_code, "email", u->email, "phone", u->phone, "chat_url", u->chat_url, "lang", u->lang,
                     "login", u->login, "digest", u->digest, "disabled", u->disabled);
}

int users_add(db *d, const char *actor, const char *login, const user_changes *c, user_row *out, pc_err *e)
{
    user_row u;
    memset(&u, 0, sizeof u);
    snprintf(u.lang, sizeof u.lang, "vi");
    if (check_login(login, e) != 0)
        return -1;
    if (!c->name || !c->role || !c->scope)
        return pc_errf(e, PC_EINVAL, "user add: --name, --role and --scope are required");
    snprintf(u.login, sizeof u.login, "%s", login);
    if (db_begin(d, e) != 0)
        return -1;
    char now[TIMESTAMP_FMT_MAX];
    timestamp_now(now);
    snprintf(u.created_at, sizeof u.created_at, "%s", now);
    snprintf(u.updated_at, sizeof u.updated_at, "%s", now);
    if (apply(d, &u, c, e) != 0 || user_insert(d, &u, e) != 0 ||
        audit_event(d, actor, "user.add", "app_user", u.login, user_json(&u), e) != 0 || db_commit(d, e) != 0) {
        db_rollback(d);
        return -1;
    }
    if (out)
        *out = u;
    return 0;
}

int users_update(db *d, const char *actor, const char *login, const user_changes *c, user_row *out, pc_err *e)
{
    if (db_begin(d, e) != 0)
        return -1;
    user_row before, u;
    if (user_get(d, login, &before, e) != 0)
        goto fail;
    u = before;
    if (apply(d, &u, c, e) != 0)
        goto fail;
    timestamp_now(u.updated_at);
    if (user_update(d, &u, e) != 0 ||
        audit_event(d, actor, "user.update", "app_user", u.login,
                    json_pack("{s:o, s:o}", "before", user_json(&before), "after", user_json(&u)), e) != 0 ||
        db_commit(d, e) != 0)
        goto fail;
    if (out)
        *out = u;
    return 0;
fail:
    db_rollback(d);
    return -1;
}

int users_set_disabled(db *d, const char *actor, const char *login, bool disabled, const char *reason, pc_err *e)
{
    if (!reason || !reason[0])
        return pc_errf(e, PC_EINVAL, "a reason is required");
    if (db_begin(d, e) != 0)
        return -1;
    user_row u;
    if (user_get(d, login, &u, e) != 0)
        goto fail;
    if (u.disabled == disabled) {
        pc_errf(e, PC_ECONFLICT, "user '%s' is already %s", login, disabled ? "disabled" : "enabled");
        goto fail;
    }
    u.disabled = disabled;
    timestamp_now(u.updated_at);
    if (user_update(d, &u, e) != 0 ||
        audit_event(d, actor, disabled ? "user.disable" : "user.enable", "app_user", u.login,
                    json_pack("{s:s}", "reason", reason), e) != 0 ||
        db_commit(d, e) != 0)
        goto fail;
    return 0;
fail:
    db_rollback(d);
    return -1;
}
