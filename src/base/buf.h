/* A growable byte buffer for building text (SQL-free: reports, CSV, messages). */
#ifndef PC_BASE_BUF_H
#define PC_BASE_BUF_H

#include <stddef.h>

#include "base/err.h"

typedef struct {
    char *data; /* always NUL-terminated once anything was appended */
    size_t len, cap;
} buf;

void buf_append(buf *b, const char *s, size_t n);
void buf_puts(buf *b, const char *s);
void buf_printf(buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void buf_reset(buf *b);
/* Appends a whole file; -1 with the reason when it cannot be read or is over max_bytes. */
int buf_read_file(buf *b, const char *path, size_t max_bytes, pc_err *e);
void buf_free(buf *b);

#endif
