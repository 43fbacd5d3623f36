/* Growable buffer (see buf.h). Allocation failure aborts: there is no sane recovery. */
#include "base/buf.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void buf_reserve(buf *b, size_t extra)
{
    if (b->len + extra + 1 <= b->cap)
        return;
    size_t cap = b->cap ? b->cap : 64;
    while (cap < b->len + extra + 1)
        cap *= 2;
    char *p = realloc(b->data, cap);
    if (!p)
        abort();
    b->data = p;
    b->cap = cap;
}

void buf_append(buf *b, const char *s, size_t n)
{
    buf_reserve(b, n);
    memcpy(b->data + b->len, s, n);
    b->len += n;
    b->data[b->len] = '\0';
}

void buf_puts(buf *b, const char *s)
{
    buf_append(b, s, strlen(s));
}

void buf_printf(buf *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0)
        return;
    buf_reserve(b, (size_t)n);
    va_start(ap, fmt);
    vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
    va_end(ap);
    b->len += (size_t)n;
}

void buf_reset(buf *b)
{
    b->len = 0;
    if (b->data)
        b->data[0] = '\0';
}

void buf_free(buf *b)
{
    free(b->data);
    b->data = NULL;
    b->len = b->cap = 0;
}

int buf_read_file(buf *b, const char *path, size_t max_bytes, pc_err *e)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return pc_errf(e, errno == ENOENT ? PC_ENOTFOUND : PC_EIO, "cannot open '%s': %s", path, strerror(errno));
    char chunk[65536];
    size_t n, total = 0;
    while ((n = fread(chunk, 1, sizeof chunk, f)) > 0) {
        total += n;
        if (total > max_bytes) {
            fclose(f);
            return pc_errf(e, PC_EINVAL, "'%s' is larger than %zu bytes", path, max_bytes);
        }
        buf_append(b, chunk, n);
    }
    int bad = ferror(f);
    fclose(f);
    if (bad)
        return pc_errf(e, PC_EIO, "cannot read '%s'", path);
    if (!b->data)
        buf_append(b, "", 0);
    return 0;
}
