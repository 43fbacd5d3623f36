/* The JSON of `powercis rate` (a public contract, docs/cli.md): the request object into a
 * rate_request, and a rating as the response object. */
#ifndef PC_FORMATS_RATE_JSON_H
#define PC_FORMATS_RATE_JSON_H

#include <jansson.h>

#include "base/err.h"
#include "domain/tariff.h"

/* Parses the request object o into q; an error names the field (PC_EINVAL). */
int rate_request_from_json(json_t *o, rate_request *q, pc_err *e);
/* The response object of a rating (new reference). */
json_t *rate_result_json(const rate_result *r);

#endif
