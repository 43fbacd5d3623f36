-- Files uploaded over HTTP for batch import (issue 8, docs/api.md "Files"): one row per upload
-- that changed the database, keyed by the request's Idempotency-Key so a retry answers with the
-- first result. The file's bytes are not kept: what they said is in the rows the import wrote
-- (and in import_file by SHA-256); this is who sent what, when, under which scope, and the
-- import's summary. A refused file or a file imported before changes nothing, so it leaves no
-- row either. scope_path is the uploader's scope: the history is shown to the uploader's
-- ancestors in the org tree, as everything else.
CREATE TABLE upload (
  id              {{pk}},
  idempotency_key TEXT NOT NULL UNIQUE,
  kind            TEXT NOT NULL CHECK (kind IN ('customers', 'reads', 'collections', 'statements',
                                                'bank-statements', 'legacy-debt')),
  sha256          TEXT NOT NULL,
  name            TEXT NOT NULL,
  bytes           BIGINT NOT NULL,
  options         TEXT NOT NULL,
  uploaded_by     TEXT NOT NULL,
  scope_path      TEXT NOT NULL,
  uploaded_at     TEXT NOT NULL,
  lines           BIGINT NOT NULL,
  imported        BIGINT NOT NULL,
  skipped         BIGINT NOT NULL,
  amount          BIGINT NOT NULL,
  detail          TEXT NOT NULL
);
CREATE INDEX upload_scope ON upload(scope_path, id);

-- @sqlite
CREATE TRIGGER upload_no_update BEFORE UPDATE ON upload
BEGIN SELECT RAISE(ABORT, 'uploads are never edited'); END;
CREATE TRIGGER upload_no_delete BEFORE DELETE ON upload
BEGIN SELECT RAISE(ABORT, 'uploads are never deleted'); END;
-- @end
-- @postgres
CREATE TRIGGER upload_no_change BEFORE UPDATE OR DELETE ON upload
  FOR EACH ROW EXECUTE FUNCTION pc_append_only();
-- @end
