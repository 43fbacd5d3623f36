/* Repository of sign-in (schema/021_auth.sql): sessions, partners' API keys, used signatures and
 * login attempts. Every function runs inside the caller's transaction; none decides anything. */
#ifndef PC_STORE_AUTH_H
#define PC_STORE_AUTH_H

#include <stddef.h>
#include <stdint.h>

#include "base/err.h"
#include "store/db.h"

typedef struct {
    char id[65];
    int64_t user_id;
    int64_t created_at, expires_at, last_seen_at, revoked_at; /* revoked_at 0: live */
    char ip[48];
} session_row;

int session_insert(db *d, const session_row *s, pc_err *e);
int session_get(db *d, const char *id, session_row *out, pc_err *e); /* PC_ENOTFOUND */
int session_touch(db *d, const char *id, int64_t now, pc_err *e);
int session_revoke(db *d, const char *id, int64_t now, pc_err *e);
/* Revokes every live session of the user but keep_id (NULL: all); *n: how many. */
int session_revoke_user(db *d, int64_t user_id, const char *keep_id, int64_t now, int64_t *n, pc_err *e);
typedef int (*session_fn)(void *ctx, const session_row *s);
int session_list(db *d, int64_t user_id, session_fn fn, void *ctx, pc_err *e);

typedef struct {
    char id[40];
    int64_t partner_id;
    char partner_code[24];
    char secret[256]; /* hex, or "enc1:" + hex(nonce, sealed secret) under [server] key_file */
    int64_t created_at, revoked_at;
} api_key_row;

int api_key_insert(db *d, const api_key_row *k, pc_err *e);
int api_key_get(db *d, const char *id, api_key_row *out, pc_err *e); /* PC_ENOTFOUND */
int api_key_revoke(db *d, const char *id, int64_t now, pc_err *e);

/* PC_ECONFLICT when the signature was seen already (a replay). */
int api_signature_insert(db *d, const char *signature, const char *key_id, int64_t now, pc_err *e);
int api_signature_prune(db *d, int64_t before, pc_err *e);

int login_attempt_insert(db *d, const char *login, const char *ip, int64_t at, int ok, pc_err *e);
/* Failure times since `since` for the login (only after its last success) or for the ip: at most
 * cap of the latest, *n of them. */
int login_failures(db *d, const char *login, const char *ip, int64_t since, int64_t *out, size_t cap, size_t *n,
                   pc_err *e);

#endif
