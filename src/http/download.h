/* Reports as HTTP answers (docs/api.md): an app-layer report writer run into the response, JSON
 * as the answer, CSV and XLSX as downloads. Shared by the debt reports and reconciliation. */
#ifndef PC_HTTP_DOWNLOAD_H
#define PC_HTTP_DOWNLOAD_H

#include <stdio.h>

#include "http/server.h"

/* A report writer of the app layer that writes to a FILE (json, csv) or to a path (xlsx). */
typedef int (*report_writer)(http_request *r, const void *rq, const char *format, FILE *f, const char *path,
                             pc_err *e);

/* Runs a writer into the response: JSON as the answer, CSV and XLSX as downloads named fname. */
void report_answer(http_request *r, http_response *w, report_writer run, const void *rq, const char *format,
                   const char *fname);

#endif
