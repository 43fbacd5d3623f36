/* A growable byte buffer for building text (SQL-free: reports, CSV, messages). */
#ifndef PC_BASE_BUF_H
#define PC_BASE_BUF_H

#include <stddef.h>

typedef struct {
    char *data; /* always NUL-terminated once anything was appended */
    size_t len, cap;
} buf;

void buf_append(buf *b, const char *s, size_t n);
void buf_puts(buf *b, const char *s);
void buf_printf(buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void buf_reset(buf *b);
void buf_free(buf *b);

#endif
