-- Idempotency keys of HTTP requests that create something without a key of their own (a debt
-- case, a document, a message: docs/api.md "Idempotency"). The key is the client's, per account:
-- one account's keys neither collide with nor reach another's. The answer is kept with the hash
-- of the request, so a retry with the same key and the same request gets the first answer and
-- changes nothing, and the same key with another request is refused. A row is written in the
-- transaction of the change it answers: there is no key without its change, nor the reverse.
CREATE TABLE request_key (
  actor        TEXT NOT NULL,
  idem_key     TEXT NOT NULL,
  request_hash TEXT NOT NULL CHECK (length(request_hash) = 64),
  status       INTEGER NOT NULL,
  answer       TEXT NOT NULL,
  created_at   TEXT NOT NULL,
  PRIMARY KEY (actor, idem_key)
){{without_rowid}};
