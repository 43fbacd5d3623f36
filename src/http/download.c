/* Reports as HTTP answers (see download.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "http/download.h"

/* Reads a whole file into the response body; the report is bounded by the scope, and an XLSX is
 * compressed, so holding it once in memory is the same order as the JSON answer. */
static int slurp(const char *path, buf *out)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return -1;
    char chunk[65536];
    size_t n;
    while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
        buf_append(out, chunk, n);
    int bad = ferror(f);
    fclose(f);
    return bad ? -1 : 0;
}

static void attachment(http_response *w, const char *type, const char *name)
{
    w->status = 200;
    w->content_type = type;
    snprintf(w->content_disposition, sizeof w->content_disposition, "attachment; filename=\"%s\"", name);
}

void report_answer(http_request *r, http_response *w, report_writer run, const void *rq, const char *format,
                   const char *fname)
{
    pc_err e = {0};
    int rc;
    if (strcmp(format, "xlsx") == 0) {
        char path[] = "/tmp/powercis-report-XXXXXX";
        int fd = mkstemp(path);
        if (fd < 0) {
            pc_errf(&e, PC_EIO, "cannot make a temporary file for the workbook");
            http_fail(w, &e);
            return;
        }
        close(fd);
        rc = run(r, rq, format, NULL, path, &e);
        if (rc == 0) {
            attachment(w, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", fname);
            if (slurp(path, &w->body) != 0)
                rc = pc_errf(&e, PC_EIO, "cannot read the workbook back");
        }
        remove(path);
    } else {
        char *text = NULL;
        size_t len = 0;
        FILE *f = open_memstream(&text, &len);
        if (!f) {
            pc_errf(&e, PC_EIO, "no memory for the report");
            http_fail(w, &e);
            return;
        }
        rc = run(r, rq, format, f, NULL, &e);
        fclose(f);
        if (rc == 0) {
            if (strcmp(format, "csv") == 0)
                attachment(w, "text/csv; charset=utf-8", fname);
            else {
                w->status = 200;
                w->content_type = "application/json";
            }
            buf_append(&w->body, text, len);
        }
        free(text);
    }
    if (rc != 0) {
        w->content_disposition[0] = 0;
        buf_reset(&w->body);
        http_fail(w, &e);
    }
}

