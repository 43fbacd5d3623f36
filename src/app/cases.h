/* Debt cases and their documents (DOMAIN 9 and 10, docs/cases.md). A case follows one customer's
 * debt: its status, owner, next action date and notes, each change an event kept for ever. A
 * document (a scanned invoice, minutes, a court record) is a PDF, JPEG or PNG file, its type told
 * by its content; its bytes are stored once under the document store, named by their SHA-256, and
 * attached to the customer's debt by a row; removing it is a row too (the bytes stay). Adding or
 * removing a document is refused in a locked period. Every change is audited in its own
 * transaction (nested inside the caller's, if any). */
#ifndef PC_APP_CASES_H
#define PC_APP_CASES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "base/err.h"
#include "store/cases.h"
#include "store/db.h"

#define DOC_FILE_NAME_MAX 200

/* A status as stored (monitoring, notified, disconnected, negotiating, in_court, collected,
 * written_off); "in-court" and "written-off" are accepted too. flag names the input in errors. */
int case_status_parse(const char *flag, const char *in, char out[16], pc_err *e);

/* What a case open or update sets. NULL leaves a field as it is (open: status monitoring, no
 * owner, no next action); owner or next_action "" clears it. */
typedef struct {
    const char *status;
    const char *owner;
    const char *next_action; /* YYYY-MM-DD */
    const char *note;        /* NULL or "": none; written_off needs one (the approval) */
} case_change;

/* One case per customer: a second is PC_ECONFLICT. */
int case_open(db *d, const char *actor, const char *customer_code, const case_change *c, case_row *out, pc_err *e);
/* At least one field must change, or a note be given. */
int case_update(db *d, const char *actor, const char *customer_code, const case_change *c, case_row *out,
                pc_err *e);

typedef struct {
    case_row c;
    case_event_row *events; /* oldest first */
    int nevents;
    document_row *docs; /* the customer's documents, removed ones too */
    int ndocs;
} case_detail;
int case_show(db *d, const char *customer_code, case_detail *out, pc_err *e);
void case_detail_free(case_detail *c);

/* Filters may be NULL (limit 0: all). scope_code: an org code, its subtree. */
typedef struct {
    const char *scope_code, *status, *due_by, *owner;
    int64_t limit, offset;
} case_query;
int cases_list(db *d, const case_query *q, case_row_fn fn, void *ctx, pc_err *e);

/* As `case list|show --json`, `doc list --json` and the API show them: a case (documents: the
 * count), an event, a case with its events and documents (the list), a document. */
json_t *case_json(const case_row *c);
json_t *case_event_json(const case_event_row *v);
json_t *case_detail_json(const case_detail *k);
json_t *document_json(const document_row *r);

/* ---- documents ---- */

/* Where the bytes live: DIR/ab/abcdef… (the full SHA-256 in hex). */
typedef struct {
    const char *dir;
    int64_t max_bytes;
} doc_store;

/* The media type of a document from its bytes (libmagic): application/pdf, image/jpeg or
 * image/png; any other content is PC_EINVAL naming what it is. name is for the message. */
int doc_media_type(const char *name, const void *data, size_t len, char out[32], pc_err *e);
/* A file name kept as metadata: not empty, no '/', no control characters, at most
 * DOC_FILE_NAME_MAX bytes. */
int doc_file_name_check(const char *name, pc_err *e);

typedef struct {
    const char *kind;  /* invoice, minutes, record, court, other */
    const char *title; /* NULL or "": the file name */
    const char *date;  /* the document's date, YYYY-MM-DD; NULL: today */
} doc_meta;

/* Attaches the bytes to the customer's debt: checks size, type and locks (the document's date),
 * stores the bytes (once per content: *stored_new tells whether this add wrote them) and the row. */
int doc_add_bytes(db *d, const char *actor, const doc_store *st, const char *customer_code, const char *file_name,
                  const void *data, size_t len, const doc_meta *m, int utc_offset, document_row *out,
                  bool *stored_new, pc_err *e);
/* The same from a file: its base name is the file name. Larger than the limit: refused unread. */
int doc_add_file(db *d, const char *actor, const doc_store *st, const char *customer_code, const char *path,
                 const doc_meta *m, int utc_offset, document_row *out, bool *stored_new, pc_err *e);
/* Stores bytes in the document store under their SHA-256 (hex, 64 characters) unless there;
 * *created tells whether this call wrote them. Service requests' documents use it too. */
int doc_store_put(const doc_store *st, const char *hex_name, const void *data, size_t len, bool *created,
                  pc_err *e);
/* The bytes of a stored document, verified against the hash (malloc'd: the caller frees). */
int doc_store_get(const doc_store *st, const char *hex_name, int64_t size, unsigned char **bytes, size_t *len,
                  pc_err *e);
int doc_list(db *d, const char *customer_code, bool with_removed, document_fn fn, void *ctx, pc_err *e);
/* The document's row and bytes (malloc'd: the caller frees), verified against the stored hash. */
int doc_read(db *d, const doc_store *st, int64_t id, document_row *out, unsigned char **bytes, size_t *len,
             pc_err *e);
/* Removal is dated today (checked against locks); the bytes stay. */
int doc_remove(db *d, const char *actor, int64_t id, const char *reason, int utc_offset, document_row *out,
               pc_err *e);

#endif
