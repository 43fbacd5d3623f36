/* Sign-in use cases (app/auth.h). Tokens and secrets come from libsodium's randombytes; what is
 * stored is their hash (sessions) or, for API keys, the secret itself (docs/api.md, threat model). */
#include "app/auth.h"

#include <ctype.h>
#include <inttypes.h>
#include <pthread.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "app/audit.h"
#include "base/date.h"
#include "base/hash.h"
#include "base/log.h"
#include "store/auth.h"
#include "store/payments.h"

/* ---- passwords ---- */

static int check_password(const char *pw, const char *field, pc_err *e)
{
    size_t n = strlen(pw);
    if (n < AUTH_PASSWORD_MIN)
        return pc_errf(e, PC_EINVAL, "%s: at least %d characters are required", field, AUTH_PASSWORD_MIN);
    if (n > AUTH_PASSWORD_MAX)
        return pc_errf(e, PC_EINVAL, "%s: at most %d characters", field, AUTH_PASSWORD_MAX);
    return 0;
}

/* argon2id with libsodium's INTERACTIVE limits (2 passes, 64 MiB): about 0.1 s on a server core,
 * and throttling caps how many a login or an address can ask for. */
static int hash_password(const char *pw, char out[crypto_pwhash_STRBYTES], pc_err *e)
{
    if (sodium_init() < 0)
        return pc_errf(e, PC_EINTERNAL, "libsodium could not start");
    if (crypto_pwhash_str(out, pw, strlen(pw), crypto_pwhash_OPSLIMIT_INTERACTIVE,
                          crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0)
        return pc_errf(e, PC_EINTERNAL, "hashing the password ran out of memory (argon2id needs 64 MiB)");
    return 0;
}

/* A hash to verify against when the account is unknown or has no password, so that the answer
 * takes as long either way and timing does not tell which logins exist. */
static char dummy_hash[crypto_pwhash_STRBYTES];
static void make_dummy(void)
{
    unsigned char r[16];
    char pw[33];
    randombytes_buf(r, sizeof r);
    sodium_bin2hex(pw, sizeof pw, r, sizeof r);
    if (crypto_pwhash_str(dummy_hash, pw, strlen(pw), crypto_pwhash_OPSLIMIT_INTERACTIVE,
                          crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0)
        dummy_hash[0] = 0;
}

static bool verify_password(const char *hash, const char *pw)
{
    static pthread_once_t once = PTHREAD_ONCE_INIT;
    if (!hash || !hash[0]) {
        pthread_once(&once, make_dummy);
        if (dummy_hash[0])
            if (crypto_pwhash_str_verify(dummy_hash, pw, strlen(pw)) == 0) {
                /* cannot happen: the dummy's password is random and never shown */
            }
        return false;
    }
    return crypto_pwhash_str_verify(hash, pw, strlen(pw)) == 0;
}

int auth_set_password(db *d, const char *actor, const char *login, const char *password, pc_err *e)
{
    char hash[crypto_pwhash_STRBYTES];
    if (check_password(password, "password", e) != 0 || hash_password(password, hash, e) != 0)
        return -1;
    if (db_begin(d, e) != 0)
        return -1;
    user_row u;
    char now[TIMESTAMP_FMT_MAX];
    int64_t ended = 0;
    if (user_get(d, login, &u, e) != 0 || user_password_set(d, u.id, hash, timestamp_now(now), e) != 0 ||
        session_revoke_user(d, u.id, NULL, clock_now(), &ended, e) != 0 ||
        audit_event(d, actor, "user.passwd", "app_user", login, json_pack("{s:I}", "sessions_ended", (json_int_t)ended),
                    e) != 0 ||
        db_commit(d, e) != 0) {
        db_rollback(d);
        sodium_memzero(hash, sizeof hash);
        return -1;
    }
    sodium_memzero(hash, sizeof hash);
    return 0;
}

static int throttled(db *d, const char *login, const char *ip, int64_t now, bool *out, pc_err *e);

int auth_change_password(db *d, int64_t user_id, const char *old_pw, const char *new_pw, const char *keep_session,
                         const char *ip, bool *locked, pc_err *e)
{
    char hash[crypto_pwhash_STRBYTES], stored[256];
    user_row u;
    *locked = false;
    if (user_get_by_id(d, user_id, &u, e) != 0 || user_password_hash(d, user_id, stored, sizeof stored, e) != 0)
        return -1;
    int64_t now = clock_now();
    if (throttled(d, u.login, ip, now, locked, e) != 0)
        return -1;
    if (*locked)
        return pc_errf(e, PC_EINVAL, "old: too many failed attempts; try again in 15 minutes");
    if (!verify_password(stored, old_pw)) {
        if (login_attempt_insert(d, u.login, ip, now, 0, e) != 0)
            return -1;
        return pc_errf(e, PC_EINVAL, "old: the current password is not right");
    }
    if (check_password(new_pw, "new", e) != 0)
        return -1;
    if (strcmp(old_pw, new_pw) == 0)
        return pc_errf(e, PC_EINVAL, "new: the new password must differ from the current one");
    if (hash_password(new_pw, hash, e) != 0)
        return -1;
    char keep_id[AUTH_TOKEN_HEX];
    if (keep_session)
        auth_session_id(keep_session, keep_id);
    if (db_begin(d, e) != 0)
        return -1;
    char stamp[TIMESTAMP_FMT_MAX];
    int64_t ended = 0;
    if (user_password_set(d, user_id, hash, timestamp_now(stamp), e) != 0 ||
        session_revoke_user(d, user_id, keep_session ? keep_id : NULL, now, &ended, e) != 0 ||
        audit_event(d, u.login, "user.password_change", "app_user", u.login,
                    json_pack("{s:I}", "other_sessions_ended", (json_int_t)ended), e) != 0 ||
        db_commit(d, e) != 0) {
        db_rollback(d);
        return -1;
    }
    return 0;
}

/* ---- sessions ---- */

void auth_session_id(const char *token, char id[AUTH_TOKEN_HEX])
{
    sha256_hex(token, strlen(token), id);
}

void auth_csrf_of(const char *token, char csrf[AUTH_TOKEN_HEX])
{
    /* keyed by the token: only who holds the cookie's value can compute it, and the page gets it
     * from /login or /me, which a cross-site page cannot read */
    unsigned char mac[crypto_auth_hmacsha256_BYTES];
    crypto_auth_hmacsha256_state st;
    crypto_auth_hmacsha256_init(&st, (const unsigned char *)token, strlen(token));
    crypto_auth_hmacsha256_update(&st, (const unsigned char *)"pc-csrf", 7);
    crypto_auth_hmacsha256_final(&st, mac);
    sodium_bin2hex(csrf, AUTH_TOKEN_HEX, mac, sizeof mac);
}

static void random_hex(char *out, size_t bytes)
{
    unsigned char r[32];
    randombytes_buf(r, bytes);
    sodium_bin2hex(out, bytes * 2 + 1, r, bytes);
    sodium_memzero(r, sizeof r);
}

static bool well_formed_token(const char *t)
{
    if (!t || strlen(t) != AUTH_TOKEN_HEX - 1)
        return false;
    for (const char *p = t; *p; p++)
        if (!isxdigit((unsigned char)*p))
            return false;
    return true;
}

/* Whether sign-in is refused now for the login or the address. */
static int throttled(db *d, const char *login, const char *ip, int64_t now, bool *out, pc_err *e)
{
    int64_t times[64];
    size_t n = 0;
    int64_t since = now - AUTH_THROTTLE_WINDOW - AUTH_THROTTLE_LOCK;
    *out = false;
    for (int pass = 0; pass < 2 && !*out; pass++) {
        if (login_failures(d, pass == 0 ? login : NULL, ip, since, times, 64, &n, e) != 0)
            return -1;
        int64_t until = access_throttle_until(times, n, pass == 0 ? AUTH_THROTTLE_FAILURES : AUTH_THROTTLE_IP_FAILURES,
                                              AUTH_THROTTLE_WINDOW, AUTH_THROTTLE_LOCK);
        *out = now < until;
    }
    return 0;
}

int auth_login(db *d, const pc_config *cfg, const char *login, const char *password, const char *ip,
               const char *previous_token, login_result *out, pc_err *e)
{
    memset(out, 0, sizeof *out);
    out->outcome = LOGIN_REFUSED;
    if (sodium_init() < 0)
        return pc_errf(e, PC_EINTERNAL, "libsodium could not start");
    if (!login[0] || strlen(login) > 63 || strlen(password) > AUTH_PASSWORD_MAX)
        return 0;
    int64_t now = clock_now();
    bool locked;
    if (throttled(d, login, ip, now, &locked, e) != 0)
        return -1;
    if (locked) {
        out->outcome = LOGIN_THROTTLED;
        if (db_begin(d, e) != 0)
            return -1;
        if (login_attempt_insert(d, login, ip, now, 2, e) != 0 ||
            audit_event(d, login, "auth.login_throttled", "app_user", login, json_pack("{s:s}", "ip", ip), e) != 0 ||
            db_commit(d, e) != 0) {
            db_rollback(d);
            return -1;
        }
        return 0;
    }
    user_row u;
    char stored[256] = "";
    int rc = user_get(d, login, &u, e);
    if (rc != 0 && e->code != PC_ENOTFOUND)
        return -1;
    if (rc == 0 && user_password_hash(d, u.id, stored, sizeof stored, e) != 0)
        return -1;
    bool ok = verify_password(rc == 0 ? stored : NULL, password) && rc == 0 && !u.disabled;
    const char *why = rc != 0 ? "unknown login" : !stored[0] ? "no password" : u.disabled ? "disabled" : "wrong password";
    if (db_begin(d, e) != 0)
        return -1;
    if (login_attempt_insert(d, login, ip, now, ok ? 1 : 0, e) != 0)
        goto fail;
    if (!ok) {
        if (audit_event(d, login, "auth.login_failed", "app_user", login, json_pack("{s:s, s:s}", "ip", ip, "why", why),
                        e) != 0 ||
            db_commit(d, e) != 0)
            goto fail;
        return 0;
    }
    if (previous_token && well_formed_token(previous_token)) {
        char old_id[AUTH_TOKEN_HEX];
        auth_session_id(previous_token, old_id);
        if (session_revoke(d, old_id, now, e) != 0)
            goto fail;
    }
    session_row s;
    memset(&s, 0, sizeof s);
    random_hex(out->token, 32);
    auth_session_id(out->token, s.id);
    s.user_id = u.id;
    s.created_at = s.last_seen_at = now;
    s.expires_at = now + cfg->server.session_absolute_seconds;
    snprintf(s.ip, sizeof s.ip, "%s", ip);
    if (session_insert(d, &s, e) != 0 ||
        audit_event(d, login, "auth.login", "app_user", login, json_pack("{s:s}", "ip", ip), e) != 0 ||
        db_commit(d, e) != 0)
        goto fail;
    auth_csrf_of(out->token, out->csrf);
    out->user = u;
    out->expires_at = s.expires_at;
    out->outcome = LOGIN_OK;
    return 0;
fail:
    db_rollback(d);
    sodium_memzero(out->token, sizeof out->token);
    out->outcome = LOGIN_REFUSED;
    return -1;
}

int auth_session(db *d, const pc_config *cfg, const char *token, user_row *user, char session_id[AUTH_TOKEN_HEX],
                 pc_err *e)
{
    if (!well_formed_token(token))
        return pc_errf(e, PC_ENOTFOUND, "no such session");
    auth_session_id(token, session_id);
    session_row s;
    if (session_get(d, session_id, &s, e) != 0)
        return -1;
    int64_t now = clock_now();
    if (s.revoked_at || now >= s.expires_at || now >= s.last_seen_at + cfg->server.session_idle_seconds)
        return pc_errf(e, PC_ENOTFOUND, "the session has ended");
    if (user_get_by_id(d, s.user_id, user, e) != 0)
        return -1;
    if (user->disabled)
        return pc_errf(e, PC_ENOTFOUND, "the account is disabled");
    /* one write a minute at most, not one per request */
    if (now - s.last_seen_at >= 60 && session_touch(d, session_id, now, e) != 0)
        return -1;
    return 0;
}

int auth_logout(db *d, const char *token, pc_err *e)
{
    if (!well_formed_token(token))
        return 0;
    char id[AUTH_TOKEN_HEX];
    auth_session_id(token, id);
    return session_revoke(d, id, clock_now(), e);
}

typedef struct {
    session_info_fn fn;
    void *ctx;
    int64_t now, idle;
} sess_ctx;

static int each_session(void *ctx, const session_row *r)
{
    sess_ctx *x = ctx;
    session_info i;
    memset(&i, 0, sizeof i);
    instant_format(r->created_at, i.created_at);
    instant_format(r->expires_at, i.expires_at);
    instant_format(r->last_seen_at, i.last_seen_at);
    i.live = !r->revoked_at && x->now < r->expires_at && x->now < r->last_seen_at + x->idle;
    /* a short form of the id hash: enough to tell sessions apart, nothing to replay */
    snprintf(i.id, sizeof i.id, "%.12s", r->id);
    return x->fn(x->ctx, &i);
}

int auth_sessions(db *d, const pc_config *cfg, const char *actor, const char *login, bool revoke_all,
                  int64_t *revoked, session_info_fn fn, void *ctx, pc_err *e)
{
    user_row u;
    if (user_get(d, login, &u, e) != 0)
        return -1;
    int64_t now = clock_now();
    *revoked = 0;
    if (revoke_all) {
        if (db_begin(d, e) != 0)
            return -1;
        if (session_revoke_user(d, u.id, NULL, now, revoked, e) != 0 ||
            audit_event(d, actor, "user.sessions_revoked", "app_user", login,
                        json_pack("{s:I}", "sessions", (json_int_t)*revoked), e) != 0 ||
            db_commit(d, e) != 0) {
            db_rollback(d);
            return -1;
        }
    }
    sess_ctx x = {fn, ctx, now, cfg->server.session_idle_seconds};
    return session_list(d, u.id, each_session, &x, e);
}

/* ---- partners' API keys ---- */

#define SEALED_PREFIX "enc1:"

/* The server key of [server] key_file: 32 bytes, raw or as 64 hex digits (a final newline
 * allowed). A file others may read is refused: it would protect nothing. *have is false when no
 * file is configured. */
static int server_key(const pc_config *cfg, unsigned char key[32], bool *have, pc_err *e)
{
    *have = false;
    if (!cfg || !cfg->server.key_file[0])
        return 0;
    const char *path = cfg->server.key_file;
    FILE *f = fopen(path, "rb");
    if (!f)
        return pc_errf(e, PC_EIO, "[server] key_file %s: cannot be read", path);
    struct stat st;
    if (fstat(fileno(f), &st) == 0 && (st.st_mode & 077)) {
        fclose(f);
        return pc_errf(e, PC_EINVAL, "[server] key_file %s: others may read it; chmod 600 it", path);
    }
    unsigned char raw[80];
    size_t n = fread(raw, 1, sizeof raw, f);
    fclose(f);
    while (n > 32 && (raw[n - 1] == '\n' || raw[n - 1] == '\r'))
        n--;
    size_t got = 0;
    int rc = 0;
    if (n == 32)
        memcpy(key, raw, 32);
    else if (n != 64 || sodium_hex2bin(key, 32, (const char *)raw, n, NULL, &got, NULL) != 0 || got != 32)
        rc = pc_errf(e, PC_EINVAL,
                     "[server] key_file %s: 32 bytes or 64 hex digits are expected (head -c 32 /dev/urandom > FILE)",
                     path);
    sodium_memzero(raw, sizeof raw);
    if (rc == 0)
        *have = true;
    return rc;
}

/* The secret as stored: sealed with the server key (XSalsa20-Poly1305) when there is one. */
static int seal_secret(const pc_config *cfg, const char *secret_hex, char *out, size_t cap, pc_err *e)
{
    unsigned char key[32];
    bool have;
    if (server_key(cfg, key, &have, e) != 0)
        return -1;
    if (!have) {
        snprintf(out, cap, "%s", secret_hex);
        return 0;
    }
    size_t len = strlen(secret_hex);
    unsigned char box[crypto_secretbox_NONCEBYTES + crypto_secretbox_MACBYTES + 64];
    randombytes_buf(box, crypto_secretbox_NONCEBYTES);
    crypto_secretbox_easy(box + crypto_secretbox_NONCEBYTES, (const unsigned char *)secret_hex, len, box, key);
    sodium_memzero(key, sizeof key);
    size_t blen = crypto_secretbox_NONCEBYTES + crypto_secretbox_MACBYTES + len;
    if (cap < sizeof SEALED_PREFIX + 2 * blen)
        return pc_errf(e, PC_EINTERNAL, "the sealed secret does not fit");
    memcpy(out, SEALED_PREFIX, sizeof SEALED_PREFIX - 1);
    sodium_bin2hex(out + sizeof SEALED_PREFIX - 1, cap - (sizeof SEALED_PREFIX - 1), box, blen);
    return 0;
}

/* The secret's 32 bytes from what is stored. */
static int open_secret(const pc_config *cfg, const char *key_id, const char *stored, unsigned char secret[32],
                       pc_err *e)
{
    char hex[65];
    size_t got = 0;
    if (strncmp(stored, SEALED_PREFIX, sizeof SEALED_PREFIX - 1) == 0) {
        unsigned char key[32], box[crypto_secretbox_NONCEBYTES + crypto_secretbox_MACBYTES + 64];
        bool have;
        if (server_key(cfg, key, &have, e) != 0)
            return -1;
        if (!have)
            return pc_errf(e, PC_EINTERNAL, "API key %s is sealed but [server] key_file is not set", key_id);
        const char *h = stored + sizeof SEALED_PREFIX - 1;
        int bad = sodium_hex2bin(box, sizeof box, h, strlen(h), NULL, &got, NULL) != 0 || got != sizeof box ||
                  crypto_secretbox_open_easy((unsigned char *)hex, box + crypto_secretbox_NONCEBYTES,
                                             sizeof box - crypto_secretbox_NONCEBYTES, box, key) != 0;
        sodium_memzero(key, sizeof key);
        if (bad)
            return pc_errf(e, PC_EINTERNAL, "API key %s does not open with [server] key_file (another key?)", key_id);
        hex[64] = 0;
        stored = hex;
    }
    int bad = sodium_hex2bin(secret, 32, stored, strlen(stored), NULL, &got, NULL) != 0 || got != 32;
    sodium_memzero(hex, sizeof hex);
    return bad ? pc_errf(e, PC_EINTERNAL, "API key %s: the stored secret is damaged", key_id) : 0;
}

int auth_api_key_new(db *d, const pc_config *cfg, const char *actor, const char *partner, char key_id[40],
                     char secret[72], pc_err *e)
{
    if (sodium_init() < 0)
        return pc_errf(e, PC_EINTERNAL, "libsodium could not start");
    partner_row p;
    if (partner_get(d, partner, &p, e) != 0)
        return -1;
    api_key_row k;
    memset(&k, 0, sizeof k);
    memcpy(k.id, "pk_", 3);
    random_hex(k.id + 3, 12);
    char plain[65];
    random_hex(plain, 32);
    if (seal_secret(cfg, plain, k.secret, sizeof k.secret, e) != 0) {
        sodium_memzero(plain, sizeof plain);
        return -1;
    }
    k.partner_id = p.id;
    k.created_at = clock_now();
    if (db_begin(d, e) != 0)
        return -1;
    if (api_key_insert(d, &k, e) != 0 ||
        audit_event(d, actor, "partner.key", "partner", partner, json_pack("{s:s}", "key_id", k.id), e) != 0 ||
        db_commit(d, e) != 0) {
        db_rollback(d);
        sodium_memzero(plain, sizeof plain);
        return -1;
    }
    snprintf(key_id, 40, "%s", k.id);
    snprintf(secret, 72, "%s", plain);
    sodium_memzero(plain, sizeof plain);
    return 0;
}

int auth_api_key_revoke(db *d, const char *actor, const char *partner, const char *key_id, pc_err *e)
{
    api_key_row k;
    if (api_key_get(d, key_id, &k, e) != 0)
        return -1;
    sodium_memzero(k.secret, sizeof k.secret);
    if (strcmp(k.partner_code, partner) != 0)
        return pc_errf(e, PC_ENOTFOUND, "API key '%s' is not one of partner %s", key_id, partner);
    if (k.revoked_at)
        return pc_errf(e, PC_ECONFLICT, "API key '%s' is already revoked", key_id);
    if (db_begin(d, e) != 0)
        return -1;
    if (api_key_revoke(d, key_id, clock_now(), e) != 0 ||
        audit_event(d, actor, "partner.key_revoke", "partner", partner, json_pack("{s:s}", "key_id", key_id), e) != 0 ||
        db_commit(d, e) != 0) {
        db_rollback(d);
        return -1;
    }
    return 0;
}

/* Finds name=value in "PCS-HMAC-SHA256 KeyId=…, Timestamp=…, Signature=…" (values end at ',' or
 * a space). */
static bool auth_field(const char *h, const char *name, char *out, size_t cap)
{
    size_t n = strlen(name);
    for (const char *p = h; (p = strstr(p, name)) != NULL; p += n) {
        if ((p != h && p[-1] != ' ' && p[-1] != ',') || p[n] != '=')
            continue;
        const char *v = p + n + 1;
        size_t len = strcspn(v, ", ");
        if (len == 0 || len >= cap)
            return false;
        memcpy(out, v, len);
        out[len] = 0;
        return true;
    }
    return false;
}

int auth_verify_signed(db *d, const pc_config *cfg, const char *authorization, const char *method, const char *path, query_param *params,
                       size_t nparams, const char *body, size_t body_len, int64_t *partner_id, char partner_code[24],
                       char key_id[40], pc_err *e)
{
    if (sodium_init() < 0)
        return pc_errf(e, PC_EINTERNAL, "libsodium could not start");
    static const char scheme[] = "PCS-HMAC-SHA256 ";
    char kid[40], ts[24], sig[72];
    if (strncmp(authorization, scheme, sizeof scheme - 1) != 0 ||
        !auth_field(authorization + sizeof scheme - 1, "KeyId", kid, sizeof kid) ||
        !auth_field(authorization + sizeof scheme - 1, "Timestamp", ts, sizeof ts) ||
        !auth_field(authorization + sizeof scheme - 1, "Signature", sig, sizeof sig))
        return pc_errf(e, PC_EINVAL, "Authorization: 'PCS-HMAC-SHA256 KeyId=…, Timestamp=…, Signature=…' is expected");
    snprintf(key_id, 40, "%s", kid);
    char *end;
    long long t = strtoll(ts, &end, 10);
    if (*end || ts[0] == '-')
        return pc_errf(e, PC_EINVAL, "Timestamp: Unix seconds are expected");
    int64_t now = clock_now();
    if (t < now - AUTH_SIGNATURE_WINDOW || t > now + AUTH_SIGNATURE_WINDOW)
        return pc_errf(e, PC_EINVAL, "Timestamp: more than %d seconds from the server's clock", AUTH_SIGNATURE_WINDOW);
    api_key_row k;
    if (api_key_get(d, kid, &k, e) != 0) {
        if (e->code == PC_ENOTFOUND)
            return pc_errf(e, PC_EINVAL, "KeyId: no such key");
        return -1;
    }
    if (k.revoked_at)
        return pc_errf(e, PC_EINVAL, "KeyId: the key is revoked");
    unsigned char key[32];
    int opened = open_secret(cfg, kid, k.secret, key, e);
    sodium_memzero(k.secret, sizeof k.secret);
    if (opened != 0) {
        sodium_memzero(key, sizeof key);
        return -1;
    }
    char body_hex[SHA256_HEX_LEN];
    sha256_hex(body ? body : "", body_len, body_hex);
    buf canon = {0};
    access_canonical(method, path, params, nparams, ts, body_hex, &canon);
    unsigned char mac[crypto_auth_hmacsha256_BYTES];
    crypto_auth_hmacsha256_state st;
    crypto_auth_hmacsha256_init(&st, key, sizeof key);
    crypto_auth_hmacsha256_update(&st, (const unsigned char *)(canon.data ? canon.data : ""), canon.len);
    crypto_auth_hmacsha256_final(&st, mac);
    sodium_memzero(key, sizeof key);
    buf_free(&canon);
    char want[2 * crypto_auth_hmacsha256_BYTES + 1];
    sodium_bin2hex(want, sizeof want, mac, sizeof mac);
    for (char *p = sig; *p; p++)
        *p = (char)tolower((unsigned char)*p);
    if (strlen(sig) != sizeof want - 1 || sodium_memcmp(want, sig, sizeof want - 1) != 0)
        return pc_errf(e, PC_EINVAL, "Signature: does not match the request (see docs/api.md, signing)");
    /* the signature is spent: a copy of the request sent again within the window is refused */
    if (db_begin(d, e) != 0)
        return -1;
    if (api_signature_prune(d, now - 2 * AUTH_SIGNATURE_WINDOW, e) != 0 ||
        api_signature_insert(d, want, kid, now, e) != 0 || db_commit(d, e) != 0) {
        db_rollback(d);
        if (e->code == PC_ECONFLICT)
            return pc_errf(e, PC_EINVAL, "Signature: this request was received already (a replay)");
        return -1;
    }
    *partner_id = k.partner_id;
    snprintf(partner_code, 24, "%s", k.partner_code);
    return 0;
}
