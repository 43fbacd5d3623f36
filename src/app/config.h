/* Configuration: one INI file ($POWERCIS_CONFIG or --config) plus environment variables. Every
 * key and its default is documented in docs/configuration.md. */
#ifndef PC_APP_CONFIG_H
#define PC_APP_CONFIG_H

#include <stddef.h>

#include "base/err.h"
#include "domain/phanky.h"
#include "domain/readcheck.h"
#include "domain/risk.h"

#define CONFIG_MAX_COMPANIES 64

typedef struct {
    char code[16];
    char tax_code[20];      /* mã số thuế of the seller on e-invoices */
    char address[256];
    char phone[24];
    char bank_bin[8];       /* collection bank for VietQR */
    char bank_account[24];
    char einvoice_suffix[4]; /* the last two letters of the symbol 1K25T?? */
} company_config;

/* Dunning (DOMAIN 8, docs/dunning.md): days after the due date for each step, and the fee of a
 * reconnection order. */
typedef struct {
    int notice_1_days;       /* first payment notice: due date + 1 */
    int notice_2_days;       /* second notice: due date + 5 … */
    int notice_gap_days;     /* … and at least this long after the first (the law: 3) */
    int cut_order_days;      /* cut order: due date + 10 */
    long long reconnection_fee; /* đồng (verify) */
} dunning_config;

/* Prepaid customers (docs/prepaid.md): the low-balance threshold of the notification and the
 * days a balance may stay below zero before a cut order. */
typedef struct {
    long long low_balance; /* đồng; a balance under it sends one message per crossing */
    int grace_days;        /* (verify) against the prepaid contract */
} prepaid_config;

/* Debt case documents (docs/cases.md): where their bytes are kept, by content hash, and how big
 * one may be. */
typedef struct {
    char dir[1024]; /* "": next to the database (see config_documents_dir) */
    long long max_bytes;
} documents_config;

/* Overdue and bad debt (DOMAIN 9). */
typedef struct {
    char provision_scheme[16]; /* general (Circular 48/2019 art. 6) or special (individuals' retail) */
} debt_config;

/* The scheduler (docs/operations.md): when each job runs, as domain/schedule.h reads it ("07:00",
 * "every 5m", "monthly 1 01:00", "off"), and where scheduled report exports go. */
#define JOB_NAMES_MAX 16
typedef struct {
    int n;
    char name[JOB_NAMES_MAX][24];
    char schedule[JOB_NAMES_MAX][32];
    char reports_dir[1024]; /* "": var/reports beside the database (see scheduler.c) */
} jobs_config;

/* Notifications (docs/notifications.md): the outbox sender's pace, retries and quiet hours. */
typedef struct {
    int quiet_start_minutes; /* local minutes after midnight: 21:00 → 1260 */
    int quiet_end_minutes;   /* 07:00 → 420; equal to the start: no quiet hours */
    int max_attempts;        /* then the message is dead */
    int backoff_seconds;     /* the first retry's delay; each next one doubles … */
    int backoff_max_seconds; /* … up to this */
    int concurrency;         /* transfers in flight at once */
    int batch_size;          /* messages claimed per database round */
    int lease_seconds;       /* a claimed message not settled by then is sent again (a crashed sender) */
    int collect_overlap;     /* source ids re-read below the watermark, for rows committed late */
} notify_config;

#define NOTIFY_MAX_HEADERS 8

/* The SMS gateway: an HTTP request whose shape is configuration. */
typedef struct {
    char url[512];
    char method[8]; /* POST, PUT, GET */
    char headers[NOTIFY_MAX_HEADERS][256]; /* "Name: value" */
    int nheaders;
    char body[1024]; /* with {to}, {text}, {id} */
    int timeout_seconds;
} sms_config;

typedef struct {
    char url[256]; /* smtp://host:port or smtps://host:port */
    char from[256];
    char username[128];
    char password[128];
    char tls[12]; /* none, starttls, ssl */
    int timeout_seconds;
} smtp_config;

typedef struct {
    char url[512]; /* the webhook used when a message names none */
    int timeout_seconds;
} chat_config;

/* The HTTP server (`powercis serve`, docs/operations.md). */
typedef struct {
    char listen[64];           /* 127.0.0.1:8080; $POWERCIS_LISTEN and --listen win */
    int threads;
    long long max_body_bytes;
    long long max_import_bytes; /* a file uploaded for batch import (POST /api/v1/files/{kind}) */
    int db_cache_mb;           /* SQLite page cache of each worker thread's connection */
    int scheduler;             /* 1: the server ticks the scheduler */
    int tick_seconds;
    int shutdown_grace_seconds;
    int session_idle_seconds;     /* a session unused this long ends (docs/api.md) */
    int session_absolute_seconds; /* a session ends this long after sign-in, used or not */
    int secure_cookies;           /* 1: the session cookie carries Secure (behind HTTPS) */
    char key_file[1024];          /* 32 bytes (raw or hex) that encrypt partners' API secrets; "" none */
} server_config;

typedef struct {
    int payment_term_days; /* default due date offset when a contract names none */
    read_rules reads;
    int utc_offset_minutes; /* Asia/Ho_Chi_Minh: +420 */
    dunning_config dunning;
    documents_config documents;
    debt_config debt;
    jobs_config jobs;
    notify_config notify;
    sms_config sms;
    smtp_config smtp;
    chat_config chat;
    prepaid_config prepaid;
    phanky_rules phanky; /* [phanky]: periods a month required by average consumption (DOMAIN 4) */
    int outage_notice_days; /* [outage] notice_days: a planned outage's notice ahead (docs/outages.md) */
    server_config server;
    risk_params risk; /* [risk]: weights, caps, thresholds, flagged sectors (docs/risk.md) */
    int ncompanies;
    company_config companies[CONFIG_MAX_COMPANIES];
} pc_config;

void config_defaults(pc_config *c);
/* Reads the file (a missing path is an error; NULL path: defaults only). Unknown sections and
 * keys are errors naming the line, so a typo does not go unnoticed. */
int config_load(pc_config *c, const char *path, pc_err *e);
/* The configuration this process loaded last (by config_load, even with no file), for the use
 * cases reached from paths that carry no configuration (a payment's reconnection order); NULL
 * before any. */
const pc_config *config_active(void);
/* The folder of the document store: $POWERCIS_DATA_DIR/documents when that is set, else
 * [documents] dir, else "<database file>.files" for a SQLite file and "var/documents" for a
 * postgres:// target. */
int config_documents_dir(const pc_config *c, const char *db_target, char *out, size_t cap, pc_err *e);
/* The configured schedule text of a job (its default when the file names none); NULL for a job
 * the scheduler does not know. */
const char *config_job_schedule(const pc_config *c, const char *job);
/* The company's settings, or NULL when the file has no section for it. */
const company_config *config_company(const pc_config *c, const char *company_code);

#endif
