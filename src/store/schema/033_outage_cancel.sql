-- Cancelling an outage recorded by mistake (docs/outages.md "Cancelling an outage"): an
-- append-only row per cancelled outage. The outage itself stays as it was recorded; whatever
-- reads outages (the reliability report, the digest, notices, closing) skips one that has a row
-- here. An outage is cancelled once (the primary key), and a cancellation is never undone.
CREATE TABLE outage_cancel (
  outage_id    BIGINT NOT NULL PRIMARY KEY REFERENCES outage(id),
  reason       TEXT NOT NULL CHECK (trim(reason) <> ''),
  cancelled_at TEXT NOT NULL,
  cancelled_by TEXT NOT NULL
);

-- @sqlite
CREATE TRIGGER outage_cancel_no_update BEFORE UPDATE ON outage_cancel
BEGIN SELECT RAISE(ABORT, 'outage cancellations are append-only'); END;
CREATE TRIGGER outage_cancel_no_delete BEFORE DELETE ON outage_cancel
BEGIN SELECT RAISE(ABORT, 'outage cancellations are append-only'); END;
-- @end
-- @postgres
CREATE TRIGGER outage_cancel_no_change BEFORE UPDATE OR DELETE ON outage_cancel
  FOR EACH ROW EXECUTE FUNCTION pc_append_only();
-- @end
