/* powercis user add|update|list|disable|enable|passwd|sessions: staff accounts with a role, a scope
 * and a password. Passwords come on standard input, never as arguments (ps and shell history). */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/auth.h"
#include "app/org.h"
#include "app/users.h"
#include "cli/cli.h"

static const char user_usage[] =
    "usage: powercis user add LOGIN --name NAME --role ROLE --scope CODE [--email ADDR] [--phone N]\n"
    "                              [--chat-url URL] [--lang vi|en] [--digest] [--password-stdin]\n"
    "       powercis user update LOGIN [--name NAME] [--role ROLE] [--scope CODE] [--email ADDR] [--phone N]\n"
    "                              [--chat-url URL] [--lang vi|en] [--digest on|off]\n"
    "       powercis user list [--scope CODE] [--digest] [--json]\n"
    "       powercis user disable|enable LOGIN --reason TEXT\n"
    "       powercis user passwd LOGIN            (the new password on standard input)\n"
    "       powercis user sessions LOGIN [--revoke-all]\n\n"
    "Roles: administrator, corporation, company, unit_officer, cashier, partner, auditor, read_only,\n"
    "account_manager (a service grid's manager: docs/grids.md).\n"
    "The scope is an org node: the account sees its subtree. --digest: the account receives the\n"
    "daily 07:00 digest for its scope by e-mail (with a chart) and, with --chat-url, on chat.\n"
    "A password has at least 10 characters and is read from standard input (one line), so it\n"
    "appears in no process list or shell history; setting one ends the account's sessions.\n"
    "Every change is audited (never the password).\n";

/* One line of standard input, without its line end; -1 with a message when there is none. */
static int read_password(char *out, size_t cap)
{
    if (!fgets(out, (int)cap, stdin)) {
        fprintf(stderr, "powercis: give the password on standard input (echo … | powercis user passwd LOGIN)\n");
        return -1;
    }
    size_t n = strlen(out);
    if (n == cap - 1 && out[n - 1] != '\n') {
        fprintf(stderr, "powercis: the password is longer than %zu characters\n", cap - 2);
        return -1;
    }
    while (n && (out[n - 1] == '\n' || out[n - 1] == '\r'))
        out[--n] = 0;
    return 0;
}

static void print_user(const user_row *u, json_t *arr)
{
    if (arr) {
        json_array_append_new(arr, json_pack("{s:s, s:s, s:s, s:s, s:s, s:s?, s:s?, s:s?, s:s, s:b, s:b}", "login",
                                             u->login, "name", u->name, "role", u->role, "scope", u->scope_code,
                                             "scope_name", u->scope_name, "email", u->email[0] ? u->email : NULL,
                                             "phone", u->phone[0] ? u->phone : NULL, "chat_url",
                                             u->chat_url[0] ? u->chat_url : NULL, "lang", u->lang, "digest",
                                             u->digest, "disabled", u->disabled));
        return;
    }
    printf("%-16s %-13s %-10s %-3s %-6s %-8s %s", u->login, u->role, u->scope_code, u->lang, u->digest ? "digest" : "-",
           u->disabled ? "disabled" : "active", u->name);
    if (u->email[0])
        printf(" <%s>", u->email);
    putchar('\n');
}

static int print_cb(void *ctx, const user_row *u)
{
    print_user(u, ctx);
    return 0;
}

static int edit_cmd(int argc, char **argv, bool add)
{
    const char *name = NULL, *role = NULL, *scope = NULL, *email = NULL, *phone = NULL, *chat = NULL, *lang = NULL,
               *digest_v = NULL;
    bool digest = false, json = false, pw_stdin = false;
    const char *pos[1];
    int npos;
    cli_opt opts[] = {{"--name", &name, NULL, NULL, NULL, 0},
                      {"--password-stdin", NULL, &pw_stdin, NULL, NULL, 0},
                      {"--role", &role, NULL, NULL, NULL, 0},
                      {"--scope", &scope, NULL, NULL, NULL, 0},
                      {"--email", &email, NULL, NULL, NULL, 0},
                      {"--phone", &phone, NULL, NULL, NULL, 0},
                      {"--chat-url", &chat, NULL, NULL, NULL, 0},
                      {"--lang", &lang, NULL, NULL, NULL, 0},
                      {"--json", NULL, &json, NULL, NULL, 0},
                      add ? (cli_opt){"--digest", NULL, &digest, NULL, NULL, 0}
                          : (cli_opt){"--digest", &digest_v, NULL, NULL, NULL, 0},
                      {NULL, NULL, NULL, NULL, NULL, 0}};
    const char *cmd = add ? "user add" : "user update";
    if (cli_parse_opts(cmd, argc, argv, 1, opts, pos, 1, &npos) != 0)
        return 2;
    if (npos != 1)
        return cli_usage_error(cmd, "a LOGIN is expected");
    user_changes c = {name, role, scope, email, phone, chat, lang, add ? (digest ? 1 : 0) : -1};
    if (digest_v) {
        if (strcmp(digest_v, "on") == 0)
            c.digest = 1;
        else if (strcmp(digest_v, "off") == 0)
            c.digest = 0;
        else
            return cli_usage_error(cmd, "--digest '%s': on or off is expected", digest_v);
    }
    if (pw_stdin && !add)
        return cli_usage_error(cmd, "--password-stdin: use `powercis user passwd LOGIN`");
    char pw[AUTH_PASSWORD_MAX + 2] = "";
    if (pw_stdin && read_password(pw, sizeof pw) != 0)
        return 2;
    db *d = cli_open_db();
    if (!d)
        return 1;
    pc_err e = {0};
    user_row u;
    int rc;
    if (add && pw_stdin) {
        /* the account and its password together, or neither */
        rc = db_begin(d, &e);
        if (rc == 0)
            rc = users_add(d, cli_actor, pos[0], &c, &u, &e);
        if (rc == 0)
            rc = auth_set_password(d, cli_actor, pos[0], pw, &e);
        if (rc == 0)
            rc = db_commit(d, &e);
        if (rc != 0)
            db_rollback(d);
    } else
        rc = add ? users_add(d, cli_actor, pos[0], &c, &u, &e) : users_update(d, cli_actor, pos[0], &c, &u, &e);
    memset(pw, 0, sizeof pw);
    db_close(d);
    if (rc != 0)
        return cli_fail(&e);
    if (json) {
        json_t *arr = json_array();
        print_user(&u, arr);
        char *t = json_dumps(json_array_get(arr, 0), JSON_COMPACT | JSON_PRESERVE_ORDER);
        printf("%s\n", t);
        free(t);
        json_decref(arr);
    } else
        printf("%s %s (%s, %s)\n", add ? "added" : "updated", u.login, u.role, u.scope_code);
    return 0;
}

static int list_cmd(int argc, char **argv)
{
    const char *scope = NULL;
    bool digest = false, json = false;
    const char *pos[1];
    int npos;
    cli_opt opts[] = {{"--scope", &scope, NULL, NULL, NULL, 0},
                      {"--digest", NULL, &digest, NULL, NULL, 0},
                      {"--json", NULL, &json, NULL, NULL, 0},
                      {NULL, NULL, NULL, NULL, NULL, 0}};
    if (cli_parse_opts("user list", argc, argv, 1, opts, pos, 0, &npos) != 0)
        return 2;
    db *d = cli_open_db();
    if (!d)
        return 1;
    pc_err e = {0};
    char path[160];
    const char *scope_path = NULL;
    json_t *arr = json ? json_array() : NULL;
    int rc = org_scope_path(d, scope, path, &scope_path, &e);
    if (rc == 0)
        rc = user_list(d, scope_path, digest, print_cb, arr, &e);
    db_close(d);
    if (rc != 0) {
        json_decref(arr);
        return cli_fail(&e);
    }
    if (arr) {
        char *t = json_dumps(arr, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
        printf("%s\n", t);
        free(t);
        json_decref(arr);
    }
    return 0;
}

static int disable_cmd(int argc, char **argv, bool disable)
{
    const char *reason = NULL;
    const char *pos[1];
    int npos;
    cli_opt opts[] = {{"--reason", &reason, NULL, NULL, NULL, 0}, {NULL, NULL, NULL, NULL, NULL, 0}};
    const char *cmd = disable ? "user disable" : "user enable";
    if (cli_parse_opts(cmd, argc, argv, 1, opts, pos, 1, &npos) != 0)
        return 2;
    if (npos != 1 || !reason)
        return cli_usage_error(cmd, "LOGIN and --reason are expected");
    db *d = cli_open_db();
    if (!d)
        return 1;
    pc_err e = {0};
    int rc = users_set_disabled(d, cli_actor, pos[0], disable, reason, &e);
    db_close(d);
    if (rc != 0)
        return cli_fail(&e);
    printf("%s %s\n", disable ? "disabled" : "enabled", pos[0]);
    return 0;
}

static int passwd_cmd(int argc, char **argv)
{
    const char *pos[1];
    int npos;
    cli_opt opts[] = {{NULL, NULL, NULL, NULL, NULL, 0}};
    if (cli_parse_opts("user passwd", argc, argv, 1, opts, pos, 1, &npos) != 0)
        return 2;
    if (npos != 1)
        return cli_usage_error("user passwd", "a LOGIN is expected");
    char pw[AUTH_PASSWORD_MAX + 2];
    if (read_password(pw, sizeof pw) != 0)
        return 2;
    db *d = cli_open_db();
    if (!d)
        return 1;
    pc_err e = {0};
    int rc = auth_set_password(d, cli_actor, pos[0], pw, &e);
    memset(pw, 0, sizeof pw);
    db_close(d);
    if (rc != 0)
        return cli_fail(&e);
    printf("password set for %s; its sessions ended\n", pos[0]);
    return 0;
}

static int print_session(void *ctx, const session_info *s)
{
    (void)ctx;
    printf("%s  signed in %s  last seen %s  until %s  %s\n", s->id, s->created_at, s->last_seen_at, s->expires_at,
           s->live ? "live" : "ended");
    return 0;
}

static int sessions_cmd(int argc, char **argv)
{
    bool revoke_all = false;
    const char *pos[1];
    int npos;
    cli_opt opts[] = {{"--revoke-all", NULL, &revoke_all, NULL, NULL, 0}, {NULL, NULL, NULL, NULL, NULL, 0}};
    if (cli_parse_opts("user sessions", argc, argv, 1, opts, pos, 1, &npos) != 0)
        return 2;
    if (npos != 1)
        return cli_usage_error("user sessions", "a LOGIN is expected");
    const pc_config *cfg = cli_config();
    if (!cfg)
        return 1;
    db *d = cli_open_db();
    if (!d)
        return 1;
    pc_err e = {0};
    int64_t revoked = 0;
    int rc = auth_sessions(d, cfg, cli_actor, pos[0], revoke_all, &revoked, print_session, NULL, &e);
    db_close(d);
    if (rc != 0)
        return cli_fail(&e);
    if (revoke_all)
        printf("%lld session(s) of %s ended\n", (long long)revoked, pos[0]);
    return 0;
}

int cmd_user(int argc, char **argv)
{
    if (argc < 2 || cli_wants_help(argc, argv)) {
        fputs(user_usage, argc < 2 ? stderr : stdout);
        return argc < 2 ? 2 : 0;
    }
    const char *sub = argv[1];
    if (strcmp(sub, "add") == 0)
        return edit_cmd(argc - 1, argv + 1, true);
    if (strcmp(sub, "update") == 0)
        return edit_cmd(argc - 1, argv + 1, false);
    if (strcmp(sub, "list") == 0)
        return list_cmd(argc - 1, argv + 1);
    if (strcmp(sub, "disable") == 0)
        return disable_cmd(argc - 1, argv + 1, true);
    if (strcmp(sub, "enable") == 0)
        return disable_cmd(argc - 1, argv + 1, false);
    if (strcmp(sub, "passwd") == 0)
        return passwd_cmd(argc - 1, argv + 1);
    if (strcmp(sub, "sessions") == 0)
        return sessions_cmd(argc - 1, argv + 1);
    return cli_usage_error("user", "unknown subcommand '%s' (add, update, list, disable, enable, passwd, sessions)",
                           sub);
}
