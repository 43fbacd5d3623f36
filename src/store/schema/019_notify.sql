-- Notifications (DOMAIN 13, docs/notifications.md): the outbox every SMS, e-mail and chat message
-- goes through, customers' opt-outs per channel, and how far event collection has read.

-- One message. (event_key, channel, recipient) is unique: the same event never makes two
-- messages, whoever enqueues it and however often. A message is claimed by a sender
-- (status sending, next_attempt_at = the end of its lease), then sent, failed (next_attempt_at =
-- the retry time) or dead (no attempt left); skipped: the customer had opted out of the channel.
-- next_attempt_at is Unix seconds, compared as a number on both engines.
-- The attachment's bytes are base64 text: one representation for both engines and for e-mail.
CREATE TABLE notify_outbox (
  id              {{pk}},
  event           TEXT NOT NULL,
  event_key       TEXT NOT NULL CHECK (event_key <> ''),
  channel         TEXT NOT NULL CHECK (channel IN ('sms', 'email', 'chat')),
  recipient       TEXT NOT NULL,          -- phone, e-mail address, webhook URL ('' : [chat] url)
  customer_id     BIGINT REFERENCES customer(id), -- NULL: a staff message
  lang            TEXT NOT NULL CHECK (lang IN ('vi', 'en')),
  subject         TEXT NOT NULL DEFAULT '',
  body            TEXT NOT NULL,
  attachment_name TEXT,
  attachment_type TEXT,
  attachment_b64  TEXT,
  status          TEXT NOT NULL CHECK (status IN ('queued', 'sending', 'sent', 'failed', 'dead', 'skipped')),
  attempts        INTEGER NOT NULL DEFAULT 0 CHECK (attempts >= 0),
  next_attempt_at BIGINT NOT NULL,
  last_error      TEXT,
  created_at      TEXT NOT NULL,
  sent_at         TEXT,
  provider_ref    TEXT,
  UNIQUE (event_key, channel, recipient),
  CHECK ((attachment_b64 IS NULL) = (attachment_name IS NULL))
);
-- The sender's claim: due messages in order; the partial index stays as small as the backlog.
CREATE INDEX notify_outbox_due ON notify_outbox(next_attempt_at, id)
  WHERE status IN ('queued', 'failed', 'sending');
CREATE INDEX notify_outbox_customer ON notify_outbox(customer_id) WHERE customer_id IS NOT NULL;
CREATE INDEX notify_outbox_status ON notify_outbox(status, id);

-- A customer's choice per channel, append-only: the latest row (highest id) wins.
CREATE TABLE notify_optout (
  id          {{pk}},
  customer_id BIGINT NOT NULL REFERENCES customer(id),
  channel     TEXT NOT NULL CHECK (channel IN ('sms', 'email', 'chat')),
  action      TEXT NOT NULL CHECK (action IN ('out', 'in')),
  reason      TEXT,
  at          TEXT NOT NULL,
  by_user     TEXT NOT NULL
);
CREATE INDEX notify_optout_customer ON notify_optout(customer_id, channel, id);

-- Event collection (`notify collect`): the highest source row id read per source (invoice,
-- payment, dunning_step). It only saves work: the outbox's unique key is what prevents a
-- second message.
CREATE TABLE notify_watermark (
  source     TEXT PRIMARY KEY,
  last_id    BIGINT NOT NULL,
  updated_at TEXT NOT NULL
){{without_rowid}};

-- @sqlite
CREATE TRIGGER notify_optout_no_update BEFORE UPDATE ON notify_optout
BEGIN SELECT RAISE(ABORT, 'opt-outs are append-only: add an opt-in'); END;
CREATE TRIGGER notify_optout_no_delete BEFORE DELETE ON notify_optout
BEGIN SELECT RAISE(ABORT, 'opt-outs are append-only: add an opt-in'); END;
CREATE TRIGGER notify_outbox_no_delete BEFORE DELETE ON notify_outbox
BEGIN SELECT RAISE(ABORT, 'outbox messages are never deleted'); END;
-- @end
-- @postgres
CREATE TRIGGER notify_optout_no_change BEFORE UPDATE OR DELETE ON notify_optout
  FOR EACH ROW EXECUTE FUNCTION pc_append_only();
CREATE TRIGGER notify_outbox_no_delete BEFORE DELETE ON notify_outbox
  FOR EACH ROW EXECUTE FUNCTION pc_append_only();
-- @end
