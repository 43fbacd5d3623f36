/* SHA-256 of files (imports are identified by content) via libsodium. */
#ifndef PC_BASE_HASH_H
#define PC_BASE_HASH_H

#include <stddef.h>

#include "base/err.h"

#define SHA256_HEX_LEN 65

int sha256_file(const char *path, char hex[SHA256_HEX_LEN], pc_err *e);
/* SHA-256 of a byte string. */
void sha256_hex(const void *data, size_t len, char hex[SHA256_HEX_LEN]);

#endif
