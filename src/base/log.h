/* Logging: one line per event on stderr, key=value pairs, no secrets or personal data. */
#ifndef PC_BASE_LOG_H
#define PC_BASE_LOG_H

typedef enum { LOG_DEBUG, LOG_INFO, LOG_WARN, LOG_ERROR } log_level;

void log_set_level(log_level min);
/* log_event(LOG_INFO, "import", "rows=%d file=%s", n, name) → "ts=… level=info event=import rows=…" */
void log_event(log_level lvl, const char *event, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

#endif
