/* SHA-256 of files (imports are identified by content) via libsodium. */
#ifndef PC_BASE_HASH_H
#define PC_BASE_HASH_H

#include "base/err.h"

#define SHA256_HEX_LEN 65

int sha256_file(const char *path, char hex[SHA256_HEX_LEN], pc_err *e);

#endif
