/* The hash-chained audit log. Each row's hash covers the previous row's hash and every field
 * of its own (each field length-prefixed, so no two rows can hash alike by shifting text
 * between fields). Editing, deleting or reordering any row breaks every hash after it. */
#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "base/date.h"
#include "store/repo.h"

#define GENESIS_HASH "0000000000000000000000000000000000000000000000000000000000000000"

static void hash_field(crypto_hash_sha256_state *st, const char *s)
{
    uint64_t n = strlen(s);
    unsigned char len[8];
    for (int i = 0; i < 8; i++)
        len[i] = (unsigned char)(n >> (8 * i));
    crypto_hash_sha256_update(st, len, sizeof len);
    crypto_hash_sha256_update(st, (const unsigned char *)s, n);
}

static void audit_hash(int64_t id, const char *prev, const char *at, const char *actor, const char *action,
                       const char *entity, const char *key, const char *detail, char out[65])
{
    crypto_hash_sha256_state st;
    unsigned char digest[crypto_hash_sha256_BYTES];
    char idtext[24];
    snprintf(idtext, sizeof idtext, "%lld", (long long)id);
    crypto_hash_sha256_init(&st);
    const char *fields[] = {prev, idtext, at, actor, action, entity, key, detail};
    for (size_t i = 0; i < sizeof fields / sizeof *fields; i++)
        hash_field(&st, fields[i]);
    crypto_hash_sha256_final(&st, digest);
    sodium_bin2hex(out, 65, digest, sizeof digest);
}

int audit_append(db *d, const char *actor, const char *action, const char *entity, const char *entity_key,
                 const char *detail_json, pc_err *e)
{
    if (db_begin(d, e) != 0)
        return -1;
    /* One writer extends the chain at a time (held to the end of the caller's transaction: use
     * cases append their audit entry last, just before they commit). */
    if (db_xact_lock(d, DB_LOCK_AUDIT_CHAIN, e) != 0)
        goto fail;
    db_stmt *last = db_prepare(d, "SELECT id, hash FROM audit_log ORDER BY id DESC LIMIT 1", e);
    if (!last)
        goto fail;
    int64_t id = 1;
    char prev[65] = GENESIS_HASH;
    int rc = db_step(last, e);
    if (rc == 1) {
        id = db_col_int(last, 0) + 1;
        snprintf(prev, sizeof prev, "%s", db_col_text(last, 1));
    }
    db_reset(last);
    if (rc < 0)
        goto fail;

    char at[TIMESTAMP_FMT_MAX], hash[65];
    timestamp_now(at);
    const char *detail = detail_json ? detail_json : "{}";
    audit_hash(id, prev, at, actor, action, entity, entity_key, detail, hash);
    db_stmt *ins = db_prepare(d, "INSERT INTO audit_log (id, at, actor, action, entity, entity_key, detail, "
                                 "prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", e);
    if (!ins)
        goto fail;
    db_bind_int(ins, 1, id);
    db_bind_text(ins, 2, at);
    db_bind_text(ins, 3, actor);
    db_bind_text(ins, 4, action);
    db_bind_text(ins, 5, entity);
    db_bind_text(ins, 6, entity_key);
    db_bind_text(ins, 7, detail);
    db_bind_text(ins, 8, prev);
    db_bind_text(ins, 9, hash);
    if (db_run(ins, e) != 0)
        goto fail;
    return db_commit(d, e);
fail:
    db_rollback(d);
    return pc_err_prefix(e, "audit log");
}

int audit_verify(db *d, audit_verdict *v, pc_err *e)
{
    memset(v, 0, sizeof *v);
    db_stmt *s = db_prepare(d, "SELECT id, at, actor, action, entity, entity_key, detail, prev_hash, hash "
                               "FROM audit_log ORDER BY id", e);
    if (!s)
        return -1;
    char prev[65] = GENESIS_HASH;
    int64_t expect_id = 1;
    int rc;
    while ((rc = db_step(s, e)) == 1) {
        int64_t id = db_col_int(s, 0);
        char hash[65];
        v->entries++;
        if (id != expect_id) {
            v->first_bad_id = id;
            snprintf(v->why, sizeof v->why, "entry %lld follows %lld: entries are missing",
                     (long long)id, (long long)expect_id - 1);
            break;
        }
        if (strcmp(db_col_text(s, 7), prev) != 0) {
            v->first_bad_id = id;
            snprintf(v->why, sizeof v->why, "entry %lld does not point at the hash of entry %lld", (long long)id,
                     (long long)id - 1);
            break;
        }
        audit_hash(id, prev, db_col_text(s, 1), db_col_text(s, 2), db_col_text(s, 3), db_col_text(s, 4),
                   db_col_text(s, 5), db_col_text(s, 6), hash);
        if (strcmp(hash, db_col_text(s, 8)) != 0) {
            v->first_bad_id = id;
            snprintf(v->why, sizeof v->why, "entry %lld was changed after it was written (hash mismatch)",
                     (long long)id);
            break;
        }
        memcpy(prev, hash, sizeof prev);
        expect_id++;
    }
    db_reset(s);
    return rc < 0 ? -1 : 0;
}
