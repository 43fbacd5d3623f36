/* Configuration file reading with inih (see config.h). */
#include "app/config.h"

#include "domain/schedule.h"

#include <errno.h>
#include <ini.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void config_defaults(pc_config *c)
{
    memset(c, 0, sizeof *c);
    c->payment_term_days = 7;
    c->reads = read_rules_default();
    c->utc_offset_minutes = 420;
    c->dunning.notice_1_days = 1;
    c->dunning.notice_2_days = 5;
    c->dunning.notice_gap_days = 3;
    c->dunning.cut_order_days = 10;
    c->prepaid.low_balance = 50000;
    c->prepaid.grace_days = 3; /* (verify) against the prepaid contract and Circular 04/2025 */
    c->dunning.reconnection_fee = 101000; /* (verify) against Circular 23/2020/TT-BCT and the contract */
    c->documents.max_bytes = 10485760;
    snprintf(c->debt.provision_scheme, sizeof c->debt.provision_scheme, "general");
    c->notify.quiet_start_minutes = 21 * 60;
    c->notify.quiet_end_minutes = 7 * 60;
    c->notify.max_attempts = 6;
    c->notify.backoff_seconds = 60;
    c->notify.backoff_max_seconds = 3600;
    c->notify.concurrency = 16;
    c->notify.batch_size = 500;
    c->notify.lease_seconds = 300;
    c->notify.collect_overlap = 1000;
    snprintf(c->sms.method, sizeof c->sms.method, "POST");
    snprintf(c->sms.headers[0], sizeof c->sms.headers[0], "Content-Type: application/json");
    c->sms.nheaders = 1;
    snprintf(c->sms.body, sizeof c->sms.body, "{\"to\": \"{to}\", \"text\": \"{text}\", \"id\": \"{id}\"}");
    c->sms.timeout_seconds = 10;
    snprintf(c->smtp.from, sizeof c->smtp.from, "powercis@localhost");
    snprintf(c->smtp.tls, sizeof c->smtp.tls, "none");
    c->smtp.timeout_seconds = 30;
    c->chat.timeout_seconds = 10;
    snprintf(c->server.listen, sizeof c->server.listen, "127.0.0.1:8080");
    c->server.threads = 8;
    c->server.max_body_bytes = 60LL * 1024 * 1024; /* a document upload's limit and then some */
    c->server.db_cache_mb = 8;
    c->server.max_import_bytes = 50LL * 1024 * 1024; /* a unit's month of reads is a few MiB */
    c->server.scheduler = 1;
    c->server.tick_seconds = 30;
    c->server.shutdown_grace_seconds = 30;
    c->server.session_idle_seconds = 30 * 60;
    c->server.session_absolute_seconds = 12 * 3600;
    c->server.secure_cookies = 0;
    /* the scheduler's jobs and their default schedules (docs/operations.md) */
    static const char *const jobs[][2] = {{"digest", "07:00"},          {"notify_deliver", "every 1m"},
                                          {"notify_collect", "every 5m"}, {"dunning", "off"},
                                          {"aging_export", "off"},        {"partitions", "monthly 1 01:00"},
                                          {"prepaid_charge", "off"}};
    for (size_t i = 0; i < sizeof jobs / sizeof *jobs && i < JOB_NAMES_MAX; i++) {
        snprintf(c->jobs.name[i], sizeof c->jobs.name[i], "%s", jobs[i][0]);
        snprintf(c->jobs.schedule[i], sizeof c->jobs.schedule[i], "%s", jobs[i][1]);
        c->jobs.n++;
    }
    c->phanky = phanky_rules_default();
    c->risk = risk_params_default();
    c->outage_notice_days = 5; /* customers told at least 5 days before a planned outage (verify) */
}

const char *config_job_schedule(const pc_config *c, const char *job)
{
    for (int i = 0; i < c->jobs.n; i++)
        if (strcmp(c->jobs.name[i], job) == 0)
            return c->jobs.schedule[i];
    return NULL;
}


typedef struct {
    pc_config *c;
    pc_err *e;
    int failed;
    int sms_headers_seen;
} load_ctx;

static int int_value(load_ctx *x, const char *section, const char *key, const char *value, int min, int max, int *out)
{
    char *end;
    errno = 0;
    long v = strtol(value, &end, 10);
    if (!value[0] || *end || errno || v < min || v > max) {
        pc_errf(x->e, PC_EINVAL, "[%s] %s = '%s': a whole number from %d to %d is expected", section, key, value, min, max);
        return 0;
    }
    *out = (int)v;
    return 1;
}

static int text_value(load_ctx *x, const char *section, const char *key, const char *value, char *dst, size_t cap)
{
    if (strlen(value) >= cap) {
        pc_errf(x->e, PC_EINVAL, "[%s] %s: longer than %zu characters", section, key, cap - 1);
        return 0;
    }
    memcpy(dst, value, strlen(value) + 1);
    return 1;
}

/* "HH:MM" into minutes after midnight. */
static int clock_value(load_ctx *x, const char *section, const char *key, const char *value, int *out)
{
    int h, m;
    char tail;
    if (strlen(value) != 5 || sscanf(value, "%2d:%2d%c", &h, &m, &tail) != 2 || h < 0 || h > 23 || m < 0 || m > 59) {
        pc_errf(x->e, PC_EINVAL, "[%s] %s = '%s': a local time HH:MM is expected", section, key, value);
        return 0;
    }
    *out = h * 60 + m;
    return 1;
}

static int notify_entry(load_ctx *x, const char *section, const char *key, const char *value)
{
    pc_config *c = x->c;
    if (strcmp(section, "notify") == 0) {
        notify_config *n = &c->notify;
        if (strcmp(key, "quiet_start") == 0)
            return clock_value(x, section, key, value, &n->quiet_start_minutes);
        if (strcmp(key, "quiet_end") == 0)
            return clock_value(x, section, key, value, &n->quiet_end_minutes);
        if (strcmp(key, "max_attempts") == 0)
            return int_value(x, section, key, value, 1, 100, &n->max_attempts);
        if (strcmp(key, "backoff_seconds") == 0)
            return int_value(x, section, key, value, 1, 86400, &n->backoff_seconds);
        if (strcmp(key, "backoff_max_seconds") == 0)
            return int_value(x, section, key, value, 1, 7 * 86400, &n->backoff_max_seconds);
        if (strcmp(key, "concurrency") == 0)
            return int_value(x, section, key, value, 1, 256, &n->concurrency);
        if (strcmp(key, "batch_size") == 0)
            return int_value(x, section, key, value, 1, 10000, &n->batch_size);
        if (strcmp(key, "lease_seconds") == 0)
            return int_value(x, section, key, value, 10, 86400, &n->lease_seconds);
        if (strcmp(key, "collect_overlap") == 0)
            return int_value(x, section, key, value, 0, 1000000, &n->collect_overlap);
    } else if (strcmp(section, "sms") == 0) {
        sms_config *s = &c->sms;
        if (strcmp(key, "url") == 0)
            return text_value(x, section, key, value, s->url, sizeof s->url);
        if (strcmp(key, "method") == 0) {
            if (strcmp(value, "POST") != 0 && strcmp(value, "PUT") != 0 && strcmp(value, "GET") != 0) {
                pc_errf(x->e, PC_EINVAL, "[sms] method = '%s': POST, PUT or GET is expected", value);
                return 0;
            }
            return text_value(x, section, key, value, s->method, sizeof s->method);
        }
        if (strcmp(key, "header") == 0) {
            /* The first header line of the file replaces the default Content-Type. */
            if (!x->sms_headers_seen) {
                s->nheaders = 0;
                x->sms_headers_seen = 1;
            }
            if (!strchr(value, ':')) {
                pc_errf(x->e, PC_EINVAL, "[sms] header = '%s': \"Name: value\" is expected", value);
                return 0;
            }
            if (s->nheaders == NOTIFY_MAX_HEADERS) {
                pc_errf(x->e, PC_EINVAL, "[sms] header: at most %d lines", NOTIFY_MAX_HEADERS);
                return 0;
            }
            return text_value(x, section, key, value, s->headers[s->nheaders++], sizeof s->headers[0]);
        }
        if (strcmp(key, "body") == 0)
            return text_value(x, section, key, value, s->body, sizeof s->body);
        if (strcmp(key, "timeout_seconds") == 0)
            return int_value(x, section, key, value, 1, 600, &s->timeout_seconds);
    } else if (strcmp(section, "smtp") == 0) {
        smtp_config *s = &c->smtp;
        if (strcmp(key, "url") == 0) {
            if (strncmp(value, "smtp://", 7) != 0 && strncmp(value, "smtps://", 8) != 0) {
                pc_errf(x->e, PC_EINVAL, "[smtp] url = '%s': smtp://host:port or smtps://host:port is expected", value);
                return 0;
            }
            return text_value(x, section, key, value, s->url, sizeof s->url);
        }
        if (strcmp(key, "from") == 0)
            return text_value(x, section, key, value, s->from, sizeof s->from);
        if (strcmp(key, "username") == 0)
            return text_value(x, section, key, value, s->username, sizeof s->username);
        if (strcmp(key, "password") == 0)
            return text_value(x, section, key, value, s->password, sizeof s->password);
        if (strcmp(key, "tls") == 0) {
            if (strcmp(value, "none") != 0 && strcmp(value, "starttls") != 0 && strcmp(value, "ssl") != 0) {
                pc_errf(x->e, PC_EINVAL, "[smtp] tls = '%s': none, starttls or ssl is expected", value);
                return 0;
            }
            return text_value(x, section, key, value, s->tls, sizeof s->tls);
        }
        if (strcmp(key, "timeout_seconds") == 0)
            return int_value(x, section, key, value, 1, 600, &s->timeout_seconds);
    } else if (strcmp(section, "chat") == 0) {
        if (strcmp(key, "url") == 0)
            return text_value(x, section, key, value, c->chat.url, sizeof c->chat.url);
        if (strcmp(key, "timeout_seconds") == 0)
            return int_value(x, section, key, value, 1, 600, &c->chat.timeout_seconds);
    }
    return -1; /* not a notification setting */
}

static int on_entry(void *user, const char *section, const char *key, const char *value)
{
    load_ctx *x = user;
    pc_config *c = x->c;
    if (strcmp(section, "billing") == 0) {
        if (strcmp(key, "payment_term_days") == 0)
            return int_value(x, section, key, value, 0, 90, &c->payment_term_days);
    } else if (strcmp(section, "read_control") == 0) {
        if (strcmp(key, "deviation_pct") == 0)
            return int_value(x, section, key, value, 1, 1000, &c->reads.deviation_pct);
        if (strcmp(key, "deviation_min_kwh") == 0) {
            int v;
            if (!int_value(x, section, key, value, 0, 100000000, &v))
                return 0;
            c->reads.deviation_min_kwh = v;
            return 1;
        }
        if (strcmp(key, "history_periods") == 0)
            return int_value(x, section, key, value, 1, 12, &c->reads.history_periods);
        if (strcmp(key, "rollover_max_pct") == 0)
            return int_value(x, section, key, value, 1, 50, &c->reads.rollover_max_pct);
    } else if (strcmp(section, "dunning") == 0) {
        if (strcmp(key, "notice_1_days") == 0)
            return int_value(x, section, key, value, 0, 60, &c->dunning.notice_1_days);
        if (strcmp(key, "notice_2_days") == 0)
            return int_value(x, section, key, value, 0, 90, &c->dunning.notice_2_days);
        if (strcmp(key, "notice_gap_days") == 0)
            return int_value(x, section, key, value, 3, 60, &c->dunning.notice_gap_days);
        if (strcmp(key, "cut_order_days") == 0)
            return int_value(x, section, key, value, 0, 120, &c->dunning.cut_order_days);
        if (strcmp(key, "reconnection_fee") == 0) {
            int v;
            if (!int_value(x, section, key, value, 0, 100000000, &v))
                return 0;
            c->dunning.reconnection_fee = v;
            return 1;
        }
    } else if (strcmp(section, "prepaid") == 0) {
        if (strcmp(key, "grace_days") == 0)
            return int_value(x, section, key, value, 0, 60, &c->prepaid.grace_days);
        if (strcmp(key, "low_balance") == 0) {
            int v;
            if (!int_value(x, section, key, value, 0, 100000000, &v))
                return 0;
            c->prepaid.low_balance = v;
            return 1;
        }
    } else if (strcmp(section, "documents") == 0) {
        if (strcmp(key, "dir") == 0) {
            if (!value[0]) {
                pc_errf(x->e, PC_EINVAL, "[documents] dir: a folder is expected");
                return 0;
            }
            return text_value(x, section, key, value, c->documents.dir, sizeof c->documents.dir);
        }
        if (strcmp(key, "max_bytes") == 0) {
            int v;
            if (!int_value(x, section, key, value, 1, 1073741824, &v))
                return 0;
            c->documents.max_bytes = v;
            return 1;
        }
    } else if (strcmp(section, "debt") == 0) {
        if (strcmp(key, "provision_scheme") == 0) {
            if (strcmp(value, "general") != 0 && strcmp(value, "special") != 0) {
                pc_errf(x->e, PC_EINVAL, "[debt] provision_scheme = '%s': general or special is expected", value);
                return 0;
            }
            return text_value(x, section, key, value, c->debt.provision_scheme, sizeof c->debt.provision_scheme);
        }
    } else if (strcmp(section, "jobs") == 0) {
        if (strcmp(key, "reports_dir") == 0)
            return text_value(x, section, key, value, c->jobs.reports_dir, sizeof c->jobs.reports_dir);
        for (int i = 0; i < c->jobs.n; i++)
            if (strcmp(c->jobs.name[i], key) == 0) {
                schedule s;
                if (schedule_parse(value, &s, x->e) != 0) {
                    pc_err_prefix(x->e, "[jobs] %s", key);
                    return 0;
                }
                return text_value(x, section, key, value, c->jobs.schedule[i], sizeof c->jobs.schedule[i]);
            }
    } else if (strcmp(section, "notify") == 0 || strcmp(section, "sms") == 0 || strcmp(section, "smtp") == 0 ||
               strcmp(section, "chat") == 0) {
        int rc = notify_entry(x, section, key, value);
        if (rc >= 0)
            return rc;
    } else if (strcmp(section, "phanky") == 0) {
        /* kWh a month; checked as a pair once the whole file is read (phanky_rules_check) */
        int64_t *dst = strcmp(key, "two_periods_kwh") == 0     ? &c->phanky.two_periods_kwh
                       : strcmp(key, "three_periods_kwh") == 0 ? &c->phanky.three_periods_kwh
                                                               : NULL;
        int v;
        if (dst) {
            if (!int_value(x, section, key, value, 1, 2000000000, &v))
                return 0;
            *dst = v;
            return 1;
        }
    } else if (strcmp(section, "outage") == 0 && strcmp(key, "notice_days") == 0) {
        return int_value(x, section, key, value, 0, 90, &c->outage_notice_days);
    } else if (strcmp(section, "server") == 0) {
        if (strcmp(key, "listen") == 0)
            return text_value(x, section, key, value, c->server.listen, sizeof c->server.listen);
        if (strcmp(key, "threads") == 0)
            return int_value(x, section, key, value, 1, 256, &c->server.threads);
        if (strcmp(key, "max_body_bytes") == 0) {
            int v;
            if (!int_value(x, section, key, value, 1024, 1073741824, &v))
                return 0;
            c->server.max_body_bytes = v;
            return 1;
        }
        if (strcmp(key, "db_cache_mb") == 0)
            return int_value(x, section, key, value, 1, 4096, &c->server.db_cache_mb);
        if (strcmp(key, "max_import_bytes") == 0) {
            int v;
            if (!int_value(x, section, key, value, 1024, 1073741824, &v))
                return 0;
            c->server.max_import_bytes = v;
            return 1;
        }
        if (strcmp(key, "scheduler") == 0) {
            if (strcmp(value, "on") != 0 && strcmp(value, "off") != 0) {
                pc_errf(x->e, PC_EINVAL, "[server] scheduler = '%s': on or off is expected", value);
                return 0;
            }
            c->server.scheduler = strcmp(value, "on") == 0;
            return 1;
        }
        if (strcmp(key, "tick_seconds") == 0)
            return int_value(x, section, key, value, 1, 3600, &c->server.tick_seconds);
        if (strcmp(key, "shutdown_grace_seconds") == 0)
            return int_value(x, section, key, value, 0, 600, &c->server.shutdown_grace_seconds);
        if (strcmp(key, "session_idle_seconds") == 0)
            return int_value(x, section, key, value, 60, 86400, &c->server.session_idle_seconds);
        if (strcmp(key, "session_absolute_seconds") == 0)
            return int_value(x, section, key, value, 60, 30 * 86400, &c->server.session_absolute_seconds);
        if (strcmp(key, "key_file") == 0)
            return text_value(x, section, key, value, c->server.key_file, sizeof c->server.key_file);
        if (strcmp(key, "secure_cookies") == 0) {
            if (strcmp(value, "on") != 0 && strcmp(value, "off") != 0) {
                pc_errf(x->e, PC_EINVAL, "[server] secure_cookies = '%s': on or off is expected", value);
                return 0;
            }
            c->server.secure_cookies = strcmp(value, "on") == 0;
            return 1;
        }
    } else if (strcmp(section, "risk") == 0) {
        int rc = risk_params_set(&c->risk, key, value, x->e);
        if (rc != 0)
            return rc > 0;
    } else if (strcmp(section, "time") == 0) {
        if (strcmp(key, "utc_offset_minutes") == 0)
            return int_value(x, section, key, value, -720, 840, &c->utc_offset_minutes);
    } else if (strncmp(section, "company ", 8) == 0) {
        const char *code = section + 8;
        company_config *cc = (company_config *)config_company(c, code);
        if (!cc) {
            if (c->ncompanies == CONFIG_MAX_COMPANIES || strlen(code) >= sizeof cc->code) {
                pc_errf(x->e, PC_EINVAL, "[%s]: too many companies or a code too long", section);
                return 0;
            }
            cc = &c->companies[c->ncompanies++];
            memcpy(cc->code, code, strlen(code) + 1);
        }
        if (strcmp(key, "tax_code") == 0)
            return text_value(x, section, key, value, cc->tax_code, sizeof cc->tax_code);
        if (strcmp(key, "address") == 0)
            return text_value(x, section, key, value, cc->address, sizeof cc->address);
        if (strcmp(key, "phone") == 0)
            return text_value(x, section, key, value, cc->phone, sizeof cc->phone);
        if (strcmp(key, "bank_bin") == 0)
            return text_value(x, section, key, value, cc->bank_bin, sizeof cc->bank_bin);
        if (strcmp(key, "bank_account") == 0)
            return text_value(x, section, key, value, cc->bank_account, sizeof cc->bank_account);
        if (strcmp(key, "einvoice_suffix") == 0) {
            if (strlen(value) != 2 || value[0] < 'A' || value[0] > 'Z' || value[1] < 'A' || value[1] > 'Z') {
                pc_errf(x->e, PC_EINVAL, "[%s] einvoice_suffix = '%s': two capital letters are expected", section, value);
                return 0;
            }
            return text_value(x, section, key, value, cc->einvoice_suffix, sizeof cc->einvoice_suffix);
        }
    }
    pc_errf(x->e, PC_EINVAL, "[%s] %s: unknown setting (see docs/configuration.md)", section, key);
    return 0;
}

static const pc_config *active_config;

const pc_config *config_active(void)
{
    return active_config;
}

/* The steps must come in their order: notice 1, notice 2, cut order. */
static int dunning_check(const pc_config *c, const char *path, pc_err *e)
{
    const dunning_config *k = &c->dunning;
    if (k->notice_2_days <= k->notice_1_days || k->cut_order_days <= k->notice_2_days)
        return pc_errf(e, PC_EINVAL,
                       "config %s: [dunning] notice_1_days (%d) < notice_2_days (%d) < cut_order_days (%d) is expected",
                       path, k->notice_1_days, k->notice_2_days, k->cut_order_days);
    return 0;
}

int config_load(pc_config *c, const char *path, pc_err *e)
{
    if (!path || !path[0]) {
        active_config = c;
        return 0;
    }
    FILE *f = fopen(path, "r");
    if (!f)
        return pc_errf(e, PC_EIO, "config: cannot open '%s': %s", path, strerror(errno));
    load_ctx x = {c, e, 0, 0};
    int rc = ini_parse_file(f, on_entry, &x);
    fclose(f);
    if (rc != 0 && !e->code) /* inih's own complaint: the line is no entry at all */
        return pc_errf(e, PC_EINVAL, "config %s line %d: neither a [section] nor a 'key = value' line", path, rc);
    if (rc != 0)
        return pc_err_prefix(e, "config %s line %d", path, rc);
    if (dunning_check(c, path, e) != 0)
        return -1;
    /* TLS from the first byte needs the smtps:// scheme; on smtp:// it would be STARTTLS. */
    if (strcmp(c->smtp.tls, "ssl") == 0 && strncmp(c->smtp.url, "smtps://", 8) != 0)
        return pc_errf(e, PC_EINVAL, "config %s: [smtp] tls = ssl needs an smtps:// url (starttls is for smtp://)", path);
    if (phanky_rules_check(&c->phanky, e) != 0)
        return pc_err_prefix(e, "config %s: [phanky]", path);
    if (risk_params_check(&c->risk, e) != 0)
        return pc_err_prefix(e, "config %s", path);
    active_config = c;
    return 0;
}

int config_documents_dir(const pc_config *c, const char *db_target, char *out, size_t cap, pc_err *e)
{
    const char *env = getenv("POWERCIS_DATA_DIR");
    int n;
    if (env && env[0])
        n = snprintf(out, cap, "%s/documents", env);
    else if (c && c->documents.dir[0])
        n = snprintf(out, cap, "%s", c->documents.dir);
    else if (!db_target || strncmp(db_target, "postgres", 8) == 0)
        n = snprintf(out, cap, "var/documents");
    else
        n = snprintf(out, cap, "%s.files", db_target);
    if (n < 0 || (size_t)n >= cap)
        return pc_errf(e, PC_EINVAL, "the document folder's name is longer than %zu characters", cap - 1);
    return 0;
}

const company_config *config_company(const pc_config *c, const char *company_code)
{
    for (int i = 0; i < c->ncompanies; i++)
        if (strcmp(c->companies[i].code, company_code) == 0)
            return &c->companies[i];
    return NULL;
}
