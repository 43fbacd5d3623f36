/* Data the benchmarks share: the demo tree and N customers, each with an initial index in June
 * 2025 and a read a month later (its estimated monthly consumption), in one transaction. */
#ifndef PC_BENCH_DATA_H
#define PC_BENCH_DATA_H

#include <stdint.h>

#include "app/demo.h"
#include "store/db.h"

void bench_build(db *d, int64_t n, demo_tree *t);
void bench_die(const char *who, const pc_err *e);

#endif
