/* Collection files from partners and collection points (see payments.h). */
#include <jansson.h>
#include <stdio.h>
#include <string.h>

#include "app/audit.h"
#include "app/payments.h"
#include "app/posting.h"
#include "base/hash.h"
#include "formats/csv_reader.h"
#include "store/reads.h"

static const char *const columns[] = {"partner", "txn_ref", "customer_code", "amount", "paid_at", "invoice_no"};
#define NCOLS 6
#define NREQUIRED 5

typedef struct {
    db *d;
    const char *actor;
    int utc_offset;
    int64_t file_id;
    int col[NCOLS];
    int ncols;
    collection_report *rep;
    posting_batch *batch;
    bool stop; /* a database failure: the file cannot be checked further */
} import_ctx;

static void line_error(import_ctx *x, long line, const char *msg)
{
    x->rep->error_rows++;
    /* A file with a bad line in every row still reports in bounded space. */
    if (x->rep->error_rows <= 1000)
        buf_printf(&x->rep->errors, "line %ld: %s\n", line, msg);
    else if (x->rep->error_rows == 1001)
        buf_printf(&x->rep->errors, "… more lines with errors not listed\n");
}

static int import_row(void *ctx, const csv_record *r, pc_err *e)
{
    import_ctx *x = ctx;
    if (r->record == 0) {
        x->ncols = (int)r->nfields;
        for (int i = 0; i < NCOLS; i++)
            x->col[i] = csv_column(r, columns[i]);
        for (size_t i = 0; i < r->nfields; i++) {
            bool known = false;
            for (int k = 0; k < NCOLS; k++)
                known |= strcmp(r->fields[i], columns[k]) == 0;
            if (!known)
                return pc_errf(e, PC_EINVAL, "line %ld: unknown column '%s' (partner, txn_ref, customer_code, amount, "
                                             "paid_at, invoice_no)", r->line, r->fields[i]);
        }
        for (int i = 0; i < NREQUIRED; i++)
            if (x->col[i] < 0)
                return pc_errf(e, PC_EINVAL, "line %ld: required column '%s' is missing", r->line, columns[i]);
        return 0;
    }
    x->rep->rows++;
    if ((int)r->nfields != x->ncols) {
        char msg[96];
        snprintf(msg, sizeof msg, "%zu fields where the header has %d", r->nfields, x->ncols);
        line_error(x, r->line, msg);
        return 0;
    }
    const char *f[NCOLS];
    for (int i = 0; i < NCOLS; i++)
        f[i] = x->col[i] >= 0 ? r->fields[x->col[i]] : "";
    pc_err le = {0};
    money amount;
    if (money_parse(f[3], &amount, &le) != 0) {
        char msg[600];
        snprintf(msg, sizeof msg, "amount: %s", le.msg);
        line_error(x, r->line, msg);
        return 0;
    }
    payment_request q = {.customer_code = f[2], .channel = "file", .method = "partner", .source = f[0],
                         .ext_ref = f[1], .amount = amount, .paid_at = f[4], .file_id = x->file_id};
    if (f[5][0]) {
        q.invoices[0] = f[5];
        q.ninvoices = 1;
    }
    if (!f[4][0]) {
        line_error(x, r->line, "paid_at is required");
        return 0;
    }
    int64_t id;
    bool repeated;
    if (posting_batch_add(x->batch, &q, &id, &repeated, &le) != 0) {
        if (le.code == PC_EDB || le.code == PC_EINTERNAL) {
            *e = le;
            return -1;
        }
        line_error(x, r->line, le.msg);
        return 0;
    }
    if (repeated) {
        x->rep->repeated++;
    } else {
        x->rep->posted++;
        x->rep->amount += amount;
    }
    return 0;
}

int collection_import(db *d, const char *actor, int utc_offset, const char *path, collection_report *rep, pc_err *e)
{
    memset(rep, 0, sizeof *rep);
    char hash[SHA256_HEX_LEN];
    if (sha256_file(path, hash, e) != 0)
        return -1;
    int found;
    if (import_file_find(d, "collection", hash, rep->already_at, &found, e) != 0)
        return -1;
    if (found) {
        rep->already = true;
        return 0;
    }
    const char *base = strrchr(path, '/');
    base = base ? base + 1 : path;
    import_ctx x = {.d = d, .actor = actor, .utc_offset = utc_offset, .rep = rep};
    if (db_begin(d, e) != 0)
        return -1;
    /* The file's row first: its payments point at it. Its row count is the lines read. */
    if (import_file_record(d, "collection", hash, base, 0, actor, e) != 0)
        goto fail;
    x.file_id = db_last_insert_id(d);
    x.batch = posting_batch_open(d, actor, utc_offset, e);
    if (!x.batch)
        goto fail;
    /* Lines are checked against the database and each other in memory; nothing is written
     * until every line has passed. */
    if (csv_read_file(path, import_row, &x, e) != 0)
        goto fail;
    if (x.ncols == 0) {
        pc_errf(e, PC_EINVAL, "'%s' is empty: expected a header row", path);
        goto fail;
    }
    if (rep->error_rows) {
        pc_errf(e, PC_EINVAL, "%ld of %ld rows have errors; nothing was posted", rep->error_rows, rep->rows);
        goto fail;
    }
    if (posting_batch_flush(x.batch, e) != 0)
        goto fail;
    char m[MONEY_FMT_MAX];
    json_t *detail = json_pack("{s:s, s:I, s:I, s:I, s:s}", "file", base, "rows", (json_int_t)rep->rows, "posted",
                               (json_int_t)rep->posted, "repeated", (json_int_t)rep->repeated, "amount",
                               money_format(rep->amount, false, m));
    if (audit_event(d, actor, "pay.import", "file", hash, detail, e) != 0 || db_commit(d, e) != 0)
        goto fail;
    posting_batch_close(x.batch);
    return 0;
fail:
    posting_batch_close(x.batch);
    db_rollback(d);
    rep->posted = rep->repeated = 0;
    rep->amount = 0;
    return -1;
}

void collection_report_free(collection_report *rep)
{
    buf_free(&rep->errors);
}
