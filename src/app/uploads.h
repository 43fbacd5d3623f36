/* Batch imports of uploaded files (issue 8, docs/api.md "Files"): one entry point over the
 * imports the CLI runs (customer, read, pay, statement, bank and debt import), a uniform summary
 * (lines, imported, skipped) or every bad line as line, column and reason, an optional check
 * that each line lies in the uploader's org scope, and the history of uploads. */
#ifndef PC_APP_UPLOADS_H
#define PC_APP_UPLOADS_H

#include <stdbool.h>
#include <stddef.h>

#include "app/config.h"
#include "base/err.h"
#include "base/money.h"
#include "store/db.h"
#include "store/uploads.h"

typedef enum {
    UPLOAD_CUSTOMERS,
    UPLOAD_READS,
    UPLOAD_COLLECTIONS,
    UPLOAD_STATEMENTS,
    UPLOAD_BANK_STATEMENTS,
    UPLOAD_LEGACY_DEBT,
    UPLOAD_KIND_COUNT
} upload_kind;

/* "customers", "reads", "collections", "statements", "bank-statements", "legacy-debt" */
const char *upload_kind_name(upload_kind k);
int upload_kind_parse(const char *s, upload_kind *out);
/* Whether lines of the kind belong to a customer, so an uploader's scope applies to them (the
 * partners' statements and the bank's are the partner's whole day, not a unit's). */
bool upload_kind_scoped(upload_kind k);

typedef struct {
    const char *source;     /* reads: "file" (default) or "amr", as `read import --source` */
    const char *partner;    /* statements: every line must be this partner's (`--partner`) */
    bool dry_run;           /* legacy-debt: check only (`--dry-run`) */
    const char *scope_path; /* "/PA/PA01/": a line of a customer outside it is an error; NULL: none */
} upload_options;

typedef struct {
    long line;         /* the physical line of the file; 0: the file as a whole */
    char column[32];   /* the column the reason is about, "" when the line as a whole */
    char reason[480];
} upload_line_error;

typedef struct {
    long lines;        /* data lines of the file */
    long imported;     /* written now (dry run: that would be written) */
    long skipped;      /* known before with the same content: not written again */
    money amount;      /* of the money lines written now (collections, statements, legacy debt) */
    bool already;      /* the same file (by SHA-256) was imported before: nothing changed */
    char already_at[32];
    char sha256[65];
    char detail[384];  /* JSON object of the kind's own counts */
    upload_line_error *errors;
    size_t nerrors;    /* listed (at most 1000) */
    long error_lines;  /* lines with errors */
} upload_result;
void upload_result_free(upload_result *r);

/* The column an import's message is about: the kind's column named first in it as a whole word
 * ("amount: '12a' is not…" → amount, "no partner 'X'" → partner), "" when none. */
void upload_column_of(upload_kind k, const char *msg, char out[32]);

/* Imports the file at path as the CLI's import of the kind does: all lines or none. On a bad
 * file, -1 with PC_EINVAL and res->errors naming every bad line; the database is unchanged. */
int upload_import(db *d, const char *actor, const pc_config *cfg, upload_kind k, const char *path,
                  const upload_options *o, upload_result *res, pc_err *e);

/* Who sent an upload and how, for its history row. */
typedef struct {
    const char *key;        /* the request's Idempotency-Key */
    const char *actor;
    const char *scope_path; /* the uploader's scope: who sees the row */
    const char *name;       /* the file's name */
    long long bytes;
    const char *options;    /* "source=amr", "partner=P", "" */
} upload_origin;

/* upload_import and, when the import changed the database, its history row (*kept true, *row
 * filled), in one transaction: an import is never in without its row, nor the row without it.
 * A dry run, a file imported before and legacy debt all imported before keep nothing. */
int upload_import_kept(db *d, const pc_config *cfg, upload_kind k, const char *path, const upload_options *o,
                       const upload_origin *from, upload_result *res, upload_row *row, bool *kept, pc_err *e);

#endif
