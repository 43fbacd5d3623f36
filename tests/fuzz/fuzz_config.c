/* Fuzz target: the configuration file (inih + config_load). Oracle: a refused file is an input
 * error naming where; no crash, leak or undefined behaviour either way. */
#include "app/config.h"
#include "fuzz_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static pc_config c;
    pc_err e = {0};
    config_defaults(&c);
    if (config_load(&c, fuzz_file(data, size), &e) != 0)
        fuzz_expect_refusal(&e, "config_load");
    return 0;
}
