/* Error values: every fallible function below src/cli returns a status and fills a pc_err
 * with a message a user can act on. The process never exits below src/cli. */
#ifndef PC_BASE_ERR_H
#define PC_BASE_ERR_H

#include <stdarg.h>

typedef enum {
    PC_OK = 0,
    PC_EINVAL,    /* bad input: a flag, a file row, a request field */
    PC_ENOTFOUND, /* a named thing does not exist */
    PC_ECONFLICT, /* already exists, or an idempotency key reused with other content */
    PC_EIO,       /* file or network */
    PC_EDB,       /* the database refused or failed */
    PC_EINTERNAL,
    PC_EFORBIDDEN /* the person may not do this (their node, their role), whatever the input */
} pc_errcode;

typedef struct {
    pc_errcode code;
    char msg[512];
} pc_err;

/* Sets *e (when e is non-NULL) and returns -1, so callers can write `return pc_errf(...)`. */
int pc_errf(pc_err *e, pc_errcode code, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
/* Prepends "prefix: " to an existing message (e.g. a line number in an import). */
int pc_err_prefix(pc_err *e, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void pc_err_clear(pc_err *e);
const char *pc_errcode_name(pc_errcode code);

#endif
