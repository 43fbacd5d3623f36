/* Error values with messages (see err.h). */
#include "base/err.h"

#include <stdio.h>
#include <string.h>

int pc_errf(pc_err *e, pc_errcode code, const char *fmt, ...)
{
    if (e) {
        va_list ap;
        va_start(ap, fmt);
        e->code = code;
        vsnprintf(e->msg, sizeof e->msg, fmt, ap);
        va_end(ap);
    }
    return -1;
}

int pc_err_prefix(pc_err *e, const char *fmt, ...)
{
    if (!e)
        return -1;
    /* Sized so prefix + ": " + old always fits: the oldest text is what gets cut. */
    char prefix[128], old[sizeof e->msg - sizeof prefix - 2];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(prefix, sizeof prefix, fmt, ap);
    va_end(ap);
    size_t n = strnlen(e->msg, sizeof old - 1);
    memcpy(old, e->msg, n);
    old[n] = '\0';
    snprintf(e->msg, sizeof e->msg, "%s: %s", prefix, old);
    return -1;
}

void pc_err_clear(pc_err *e)
{
    if (e) {
        e->code = PC_OK;
        e->msg[0] = '\0';
    }
}

const char *pc_errcode_name(pc_errcode code)
{
    switch (code) {
    case PC_OK: return "ok";
    case PC_EINVAL: return "invalid";
    case PC_ENOTFOUND: return "not_found";
    case PC_ECONFLICT: return "conflict";
    case PC_EIO: return "io";
    case PC_EDB: return "database";
    case PC_EINTERNAL: return "internal";
    case PC_EFORBIDDEN: return "forbidden";
    }
    return "unknown";
}
