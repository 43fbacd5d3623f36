-- The idempotency keys of debt adjustments (DOMAIN 7, 9): an adjustment posted with an external
-- reference (`debt adjust --ref`) keeps it here with the hash of its content. The same reference
-- with the same content returns the first adjustment; with other content it is refused.
-- adjustment_id names the adjustment's first row (the source side of a pair).
CREATE TABLE adjustment_key (
  ref           TEXT PRIMARY KEY,
  content_hash  TEXT NOT NULL,
  adjustment_id BIGINT NOT NULL
){{without_rowid}};

-- @sqlite
CREATE TRIGGER adjustment_key_no_update BEFORE UPDATE ON adjustment_key
BEGIN SELECT RAISE(ABORT, 'adjustment keys are never edited'); END;
CREATE TRIGGER adjustment_key_no_delete BEFORE DELETE ON adjustment_key
BEGIN SELECT RAISE(ABORT, 'adjustment keys are never deleted'); END;
-- @end
-- @postgres
CREATE TRIGGER adjustment_key_no_change BEFORE UPDATE OR DELETE ON adjustment_key
  FOR EACH ROW EXECUTE FUNCTION pc_append_only();
-- @end
