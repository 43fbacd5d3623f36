/* Sign-in use cases (docs/api.md): staff passwords (argon2id), login with throttling, browser
 * sessions with their CSRF token, partners' API keys and signed requests. Secrets never reach a
 * log or the audit trail: logins, key ids and outcomes do. */
#ifndef PC_APP_AUTH_H
#define PC_APP_AUTH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "app/config.h"
#include "domain/access.h"
#include "store/db.h"
#include "store/users.h"

#define AUTH_PASSWORD_MIN 10
#define AUTH_PASSWORD_MAX 256
#define AUTH_TOKEN_HEX 65 /* 32 bytes as hex, with the NUL */
#define AUTH_THROTTLE_FAILURES 5     /* per login */
#define AUTH_THROTTLE_IP_FAILURES 20 /* per address: an office behind one NAT shares it */
#define AUTH_THROTTLE_WINDOW (15 * 60)
#define AUTH_THROTTLE_LOCK (15 * 60)
#define AUTH_SIGNATURE_WINDOW (5 * 60)

/* Sets a staff account's password (AUTH_PASSWORD_MIN characters at least), audited as
 * user.passwd; every session of the account ends. */
int auth_set_password(db *d, const char *actor, const char *login, const char *password, pc_err *e);

/* Changes one's own password: old must verify (PC_EINVAL with field "old" otherwise). The other
 * sessions end; keep_session (the caller's, may be NULL) stays. A wrong old password counts as a
 * failed sign-in, so a stolen session cannot guess the password faster than the login form:
 * while throttled, *throttled is set and nothing changes. */
int auth_change_password(db *d, int64_t user_id, const char *old_pw, const char *new_pw, const char *keep_session,
                         const char *ip, bool *throttled, pc_err *e);

typedef enum { LOGIN_OK, LOGIN_REFUSED, LOGIN_THROTTLED } login_outcome;
typedef struct {
    login_outcome outcome;
    user_row user;               /* LOGIN_OK */
    char token[AUTH_TOKEN_HEX];  /* the cookie's value */
    char csrf[AUTH_TOKEN_HEX];
    int64_t expires_at;
} login_result;

/* Checks login and password, records the attempt, and on success opens a new session (the one
 * given as previous_token, if any, ends: no fixation). A wrong password, an unknown login, an
 * account without a password and a disabled one are all LOGIN_REFUSED; while the login or the ip
 * has had AUTH_THROTTLE_FAILURES (AUTH_THROTTLE_IP_FAILURES) failures within AUTH_THROTTLE_WINDOW, every attempt is
 * LOGIN_THROTTLED whatever the password. Audited (auth.login / auth.login_failed). */
int auth_login(db *d, const pc_config *cfg, const char *login, const char *password, const char *ip,
               const char *previous_token, login_result *out, pc_err *e);

/* The account behind a session cookie: PC_ENOTFOUND when the token is unknown, revoked, idle or
 * past its absolute lifetime, or the account is disabled. */
int auth_session(db *d, const pc_config *cfg, const char *token, user_row *user, char session_id[AUTH_TOKEN_HEX],
                 pc_err *e);
/* The CSRF token of a session token (an HMAC of it: nothing to store). */
void auth_csrf_of(const char *token, char csrf[AUTH_TOKEN_HEX]);
/* The session id (the token's SHA-256, hex) of a token. */
void auth_session_id(const char *token, char id[AUTH_TOKEN_HEX]);
int auth_logout(db *d, const char *token, pc_err *e);

typedef struct {
    char id[13]; /* the first 12 hex digits of the id hash */
    char created_at[32], expires_at[32], last_seen_at[32];
    bool live;
} session_info;
typedef int (*session_info_fn)(void *ctx, const session_info *s);
/* A login's sessions (the ids are hashes, safe to show); revoke_all ends the live ones first. */
int auth_sessions(db *d, const pc_config *cfg, const char *actor, const char *login, bool revoke_all,
                  int64_t *revoked, session_info_fn fn, void *ctx, pc_err *e);

/* A new API key for a partner: key_id ("pk_" + 24 hex) and secret (64 hex), shown once. The
 * secret is stored sealed with [server] key_file when configured, else as is (docs/api.md). */
int auth_api_key_new(db *d, const pc_config *cfg, const char *actor, const char *partner, char key_id[40],
                     char secret[72], pc_err *e);
int auth_api_key_revoke(db *d, const char *actor, const char *partner, const char *key_id, pc_err *e);

/* A request signed by a partner (docs/api.md): authorization is the header's value, canonical
 * the text access_canonical built from the request. On success *partner_id and partner_code
 * name the key's partner; otherwise PC_EINVAL with a message fit for the caller (malformed,
 * unknown or revoked key, stale timestamp, wrong signature, replay). */
int auth_verify_signed(db *d, const pc_config *cfg, const char *authorization, const char *method, const char *path, query_param *params,
                       size_t nparams, const char *body, size_t body_len, int64_t *partner_id, char partner_code[24],
                       char key_id[40], pc_err *e);

#endif
