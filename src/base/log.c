/* key=value logging on stderr (see log.h). */
#include "base/log.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static log_level min_level = LOG_WARN;
static int level_from_env = 0;

void log_set_level(log_level min)
{
    min_level = min;
}

void log_event(log_level lvl, const char *event, const char *fmt, ...)
{
    static const char *names[] = {"debug", "info", "warn", "error"};
    if (!level_from_env) {
        /* POWERCIS_LOG=debug|info|warn|error overrides the default (warn). */
        level_from_env = 1;
        const char *env = getenv("POWERCIS_LOG");
        for (int i = 0; env && i < 4; i++)
            if (strcmp(env, names[i]) == 0)
                min_level = (log_level)i;
    }
    if (lvl < min_level)
        return;
    char ts[32];
    time_t now = time(NULL);
    struct tm tm;
    gmtime_r(&now, &tm);
    strftime(ts, sizeof ts, "%Y-%m-%dT%H:%M:%SZ", &tm);
    /* one write per line, so that the server's threads never interleave their lines */
    char line[2048];
    int n = snprintf(line, sizeof line, "ts=%s level=%s event=%s ", ts, names[lvl], event);
    va_list ap;
    va_start(ap, fmt);
    if (n >= 0 && (size_t)n < sizeof line - 1)
        n += vsnprintf(line + n, sizeof line - 1 - (size_t)n, fmt, ap);
    va_end(ap);
    if (n < 0)
        return;
    if ((size_t)n > sizeof line - 2)
        n = (int)sizeof line - 2; /* a line too long is cut, never split */
    line[n++] = '\n';
    fwrite(line, 1, (size_t)n, stderr);
}
