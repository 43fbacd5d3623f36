/* SHA-256 of files (see hash.h). */
#include "base/hash.h"

#include <errno.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>

int sha256_file(const char *path, char hex[SHA256_HEX_LEN], pc_err *e)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return pc_errf(e, PC_EIO, "cannot open '%s': %s", path, strerror(errno));
    crypto_hash_sha256_state st;
    crypto_hash_sha256_init(&st);
    unsigned char chunk[65536], digest[crypto_hash_sha256_BYTES];
    size_t n;
    while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
        crypto_hash_sha256_update(&st, chunk, n);
    int bad = ferror(f);
    fclose(f);
    if (bad)
        return pc_errf(e, PC_EIO, "cannot read '%s'", path);
    crypto_hash_sha256_final(&st, digest);
    sodium_bin2hex(hex, SHA256_HEX_LEN, digest, sizeof digest);
    return 0;
}

void sha256_hex(const void *data, size_t len, char hex[SHA256_HEX_LEN])
{
    unsigned char digest[crypto_hash_sha256_BYTES];
    crypto_hash_sha256(digest, data, len);
    sodium_bin2hex(hex, SHA256_HEX_LEN, digest, sizeof digest);
}
