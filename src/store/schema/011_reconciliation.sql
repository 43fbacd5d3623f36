-- Reconciliation of third-party collections (DOMAIN 11): what partners say they collected (their
-- daily statements) and what the bank credited to the collection account (remittances), as
-- imported from files. Both are append-only records of documents we received: a corrected
-- statement is a new file, never an edit (docs/reconciliation.md).

-- One line of a partner's daily statement. day is the partner's business day (the date of
-- paid_at). When several files hold lines for one partner and day, the latest file (highest
-- file_id) is the statement in force; the earlier ones stay as they were received.
CREATE TABLE statement_line (
  id            {{pk}},
  file_id       BIGINT NOT NULL REFERENCES import_file(id),
  line          INTEGER NOT NULL,           -- physical line in the file, for the reader
  partner       TEXT NOT NULL REFERENCES partner(code),
  day           TEXT NOT NULL,
  txn_ref       TEXT NOT NULL,              -- the partner's transaction reference: the matching key
  customer_code TEXT NOT NULL,
  amount        BIGINT NOT NULL CHECK (amount > 0),
  paid_at       TEXT NOT NULL               -- YYYY-MM-DD HH:MM:SS, local
);
CREATE INDEX statement_line_partner_day ON statement_line(partner, day, file_id);

-- One credit on the bank statement of the collection account: a partner's remittance for one
-- of its business days (for_day, read from the bank's narrative). reference is the bank's own
-- transaction reference, unique in the account: overlapping bank statements import cleanly.
CREATE TABLE bank_line (
  id         {{pk}},
  file_id    BIGINT NOT NULL REFERENCES import_file(id),
  line       INTEGER NOT NULL,
  reference  TEXT NOT NULL UNIQUE,
  value_date TEXT NOT NULL,
  amount     BIGINT NOT NULL CHECK (amount > 0),
  partner    TEXT NOT NULL REFERENCES partner(code),
  for_day    TEXT NOT NULL,
  narrative  TEXT
);
CREATE INDEX bank_line_partner_day ON bank_line(partner, for_day);

-- @sqlite
CREATE TRIGGER statement_line_no_update BEFORE UPDATE ON statement_line
BEGIN SELECT RAISE(ABORT, 'statement lines are never edited: import the corrected statement'); END;
CREATE TRIGGER statement_line_no_delete BEFORE DELETE ON statement_line
BEGIN SELECT RAISE(ABORT, 'statement lines are never deleted'); END;
CREATE TRIGGER bank_line_no_update BEFORE UPDATE ON bank_line
BEGIN SELECT RAISE(ABORT, 'bank statement lines are never edited'); END;
CREATE TRIGGER bank_line_no_delete BEFORE DELETE ON bank_line
BEGIN SELECT RAISE(ABORT, 'bank statement lines are never deleted'); END;
-- @end
-- @postgres
CREATE TRIGGER statement_line_no_change BEFORE UPDATE OR DELETE ON statement_line
  FOR EACH ROW EXECUTE FUNCTION pc_append_only();
CREATE TRIGGER bank_line_no_change BEFORE UPDATE OR DELETE ON bank_line
  FOR EACH ROW EXECUTE FUNCTION pc_append_only();
-- @end
