/* Pure rules of sign-in and access (domain/access.h). */
#include "domain/access.h"

#include <stdlib.h>
#include <string.h>

void access_pct_encode(const char *s, buf *out)
{
    static const char hex[] = "0123456789ABCDEF";
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        unsigned char c = *p;
        if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_' ||
            c == '.' || c == '~') {
            buf_append(out, (const char *)p, 1);
        } else {
            char t[3] = {'%', hex[c >> 4], hex[c & 15]};
            buf_append(out, t, 3);
        }
    }
}

static int param_cmp(const void *a, const void *b)
{
    const query_param *x = a, *y = b;
    int c = strcmp(x->name, y->name);
    return c ? c : strcmp(x->value ? x->value : "", y->value ? y->value : "");
}

void access_canonical(const char *method, const char *path, query_param *params, size_t nparams,
                      const char *timestamp, const char *body_sha256_hex, buf *out)
{
    buf_puts(out, "PCS-HMAC-SHA256\n");
    buf_puts(out, method);
    buf_puts(out, "\n");
    buf_puts(out, path);
    buf_puts(out, "\n");
    if (nparams)
        qsort(params, nparams, sizeof *params, param_cmp);
    for (size_t i = 0; i < nparams; i++) {
        if (i)
            buf_puts(out, "&");
        access_pct_encode(params[i].name, out);
        buf_puts(out, "=");
        access_pct_encode(params[i].value ? params[i].value : "", out);
    }
    buf_puts(out, "\n");
    buf_puts(out, timestamp);
    buf_puts(out, "\n");
    buf_puts(out, body_sha256_hex);
}

static int time_cmp(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return (x > y) - (x < y);
}

int64_t access_throttle_until(int64_t *failures, size_t n, int max_failures, int64_t window, int64_t lock)
{
    if (max_failures < 1 || n < (size_t)max_failures)
        return 0;
    qsort(failures, n, sizeof *failures, time_cmp);
    int64_t until = 0;
    /* a run: max_failures consecutive failures whose first and last lie within the window */
    for (size_t i = (size_t)max_failures - 1; i < n; i++)
        if (failures[i] - failures[i + 1 - (size_t)max_failures] <= window && failures[i] + lock > until)
            until = failures[i] + lock;
    return until;
}

bool access_in_scope(const char *scope_path, const char *path)
{
    size_t n = strlen(scope_path);
    /* an empty scope would cover everything: refuse rather than widen */
    return n > 1 && scope_path[0] == '/' && scope_path[n - 1] == '/' && strncmp(scope_path, path, n) == 0;
}
