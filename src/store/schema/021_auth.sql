-- Sign-in (issue 8, docs/api.md): staff passwords, browser sessions, partners' API keys, the
-- signatures already used (replay refusal) and login attempts (throttling). Times that the code
-- compares are Unix seconds (BIGINT) from clock_now(), so the arithmetic stays in C.

-- argon2id string from libsodium (crypto_pwhash_str); NULL: the account cannot sign in.
ALTER TABLE app_user ADD COLUMN password_hash TEXT;

-- A browser session. id is the hex SHA-256 of the cookie's token, never the token itself, so a
-- copy of this table does not let anyone act as the user. The CSRF token is derived from the
-- token (HMAC), so it is not stored either. revoked_at: logout, password change, --revoke-all.
CREATE TABLE user_session (
  id           TEXT PRIMARY KEY,
  user_id      BIGINT NOT NULL REFERENCES app_user(id),
  created_at   BIGINT NOT NULL,
  expires_at   BIGINT NOT NULL,
  last_seen_at BIGINT NOT NULL,
  revoked_at   BIGINT,
  ip           TEXT NOT NULL DEFAULT ''
);
CREATE INDEX user_session_user ON user_session(user_id);

-- A partner's API key. HMAC verification needs the secret on the server: it is kept as is (hex),
-- see docs/api.md "Threat model" for why and what protects it.
CREATE TABLE api_key (
  id         TEXT PRIMARY KEY,
  partner_id BIGINT NOT NULL REFERENCES partner(id),
  secret     TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  revoked_at BIGINT
);
CREATE INDEX api_key_partner ON api_key(partner_id);

-- Signatures seen within the timestamp window: a second request with the same one is a replay.
-- Rows older than the window are deleted as new ones come.
CREATE TABLE api_signature (
  signature TEXT PRIMARY KEY,
  key_id    TEXT NOT NULL,
  seen_at   BIGINT NOT NULL
);
CREATE INDEX api_signature_seen ON api_signature(seen_at);

-- Every sign-in attempt: ok 1 success, 0 failure, 2 refused while throttled (not counted).
CREATE TABLE login_attempt (
  id    {{pk}},
  login TEXT NOT NULL,
  ip    TEXT NOT NULL,
  at    BIGINT NOT NULL,
  ok    INTEGER NOT NULL CHECK (ok IN (0, 1, 2))
);
CREATE INDEX login_attempt_login ON login_attempt(login, at);
CREATE INDEX login_attempt_ip ON login_attempt(ip, at);
