/* Shared by the libFuzzer targets (docs/testing.md "Fuzzing"): the input as a file, a database
 * with a small fixture, and the oracles' abort. */
#ifndef PC_FUZZ_COMMON_H
#define PC_FUZZ_COMMON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/err.h"
#include "store/db.h"

/* Writes the input to this process's scratch file and returns its path. */
const char *fuzz_file(const uint8_t *data, size_t size);
/* The input as a NUL-terminated string (valid until the next call). */
const char *fuzz_text(const uint8_t *data, size_t size);
/* An in-memory SQLite database at the current schema with the fixture: the org tree PA > PA01 >
 * PA0101, PA0102; three customers of tests/cases/customers/good.csv (PA01010000101, …102,
 * PA01020000104); partners ECPAY (wallet) and VNPOST (post). Built once per process. */
db *fuzz_db(void);
/* Rows in every table of the database: what an import refused must leave unchanged. */
int64_t fuzz_rows(db *d);
/* Stops the run with a finding: libFuzzer keeps the input that caused it. */
void fuzz_fail(const char *what, const char *detail) __attribute__((noreturn));
/* A refused input must be the input's fault (invalid, unknown, conflicting, forbidden), never the
 * program's (a database or internal error). */
void fuzz_expect_refusal(const pc_err *e, const char *what);

#endif
