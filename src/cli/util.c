/* Helpers shared by the commands (see cli.h). */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "app/tariffs.h"
#include "cli/cli.h"
#include "domain/readcheck.h"

const char *cli_db_path = NULL;
const char *cli_actor = NULL;
const char *cli_config_path = NULL;

const pc_config *cli_config(void)
{
    static pc_config config;
    static int loaded = 0;
    if (loaded)
        return &config;
    config_defaults(&config);
    const char *path = cli_config_path ? cli_config_path : getenv("POWERCIS_CONFIG");
    pc_err e = {0};
    if (config_load(&config, path, &e) != 0) {
        cli_fail(&e);
        return NULL;
    }
    loaded = 1;
    return &config;
}

const char *cli_db_target(void)
{
    if (cli_db_path)
        return cli_db_path;
    const char *env = getenv("POWERCIS_DB");
    return env && *env ? env : "var/powercis.db";
}

static void resolve_actor(void)
{
    if (cli_actor)
        return;
    const char *u = getenv("POWERCIS_USER");
    if (!u || !*u)
        u = getenv("USER");
    cli_actor = u && *u ? u : "cli";
}

db *cli_open_db(void)
{
    resolve_actor();
    const char *path = cli_db_target();
    /* Create the folder of a relative or absolute file path (var/ by default). */
    const char *slash = strrchr(path, '/');
    if (slash && strncmp(path, "postgres", 8) != 0) {
        char dir[4096];
        snprintf(dir, sizeof dir, "%.*s", (int)(slash - path), path);
        if (dir[0] && mkdir(dir, 0755) != 0 && errno != EEXIST) {
            fprintf(stderr, "powercis: cannot create folder '%s': %s\n", dir, strerror(errno));
            return NULL;
        }
    }
    db *d;
    pc_err e = {0};
    if (db_open(path, &d, &e) != 0) {
        cli_fail(&e);
        return NULL;
    }
    return d;
}

int cli_fail(const pc_err *e)
{
    fprintf(stderr, "powercis: %s\n", e->msg[0] ? e->msg : "failed");
    return e->code == PC_EINVAL || e->code == PC_ENOTFOUND || e->code == PC_ECONFLICT || e->code == PC_EFORBIDDEN ? 2 : 1;
}

int cli_usage_error(const char *cmd, const char *fmt, ...)
{
    va_list ap;
    fprintf(stderr, "powercis %s: ", cmd);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fprintf(stderr, " (see `powercis %s --help`)\n", cmd);
    return 2;
}

int cli_parse_int(const char *flag, const char *value, int64_t min, int64_t max, int64_t *out)
{
    char *end;
    errno = 0;
    long long v = strtoll(value, &end, 10);
    if (!value[0] || *end || errno || v < min || v > max) {
        fprintf(stderr, "powercis: %s: '%s' is not a whole number between %lld and %lld\n", flag, value,
                (long long)min, (long long)max);
        return -1;
    }
    *out = v;
    return 0;
}

bool cli_wants_help(int argc, char **argv)
{
    for (int i = 1; i < argc; i++)
        if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0)
            return true;
    return false;
}

/* Collects --total/--normal/--peak/--offpeak (with an optional prefix such as "final-"). */
int cli_register_flag(const char *flag, const char *prefix, const char *value, register_values *v, int *matched)
{
    *matched = 0;
    size_t pl = strlen(prefix);
    if (strncmp(flag, "--", 2) != 0 || strncmp(flag + 2, prefix, pl) != 0)
        return 0;
    for (int g = 0; g < REG_COUNT; g++) {
        if (strcmp(flag + 2 + pl, register_name((meter_register)g)) == 0) {
            *matched = 1;
            int64_t n;
            if (cli_parse_int(flag, value, 0, 999999999, &n) != 0)
                return -1;
            v->has[g] = true;
            v->v[g] = n;
        }
    }
    return 0;
}

int cli_load_tariffs(db *d, tariff_set *t)
{
    pc_err e = {0};
    if (tariffs_in_force(d, t, &e) != 0)
        return cli_fail(&e);
    return 0;
}

int cli_parse_issue_date(const char *v, civil_date *out, int utc_offset)
{
    pc_err e = {0};
    if (!v) {
        *out = date_today(utc_offset);
        return 0;
    }
    if (date_parse(v, out, &e) != 0) {
        fprintf(stderr, "powercis: --issue-date: %s\n", e.msg);
        return -1;
    }
    return 0;
}

int cli_parse_opts(const char *cmd, int argc, char **argv, int first, const cli_opt *opts, const char **pos, int npos,
                   int *got)
{
    *got = 0;
    for (int i = first; i < argc; i++) {
        const cli_opt *o = NULL;
        if (strncmp(argv[i], "--", 2) == 0)
            for (const cli_opt *k = opts; k->name && !o; k++)
                if (strcmp(k->name, argv[i]) == 0)
                    o = k;
        if (!o) {
            if (strncmp(argv[i], "--", 2) == 0 || *got >= npos)
                return cli_usage_error(cmd, "unexpected argument '%s'", argv[i]);
            pos[(*got)++] = argv[i];
            continue;
        }
        if (!o->value && !o->multi) {
            *o->present = true;
            continue;
        }
        if (i + 1 >= argc)
            return cli_usage_error(cmd, "%s needs a value", o->name);
        if (o->multi) {
            if (*o->nmulti >= o->max)
                return cli_usage_error(cmd, "%s given more than %d times", o->name, o->max);
            o->multi[(*o->nmulti)++] = argv[++i];
        } else {
            *o->value = argv[++i];
        }
    }
    return 0;
}
