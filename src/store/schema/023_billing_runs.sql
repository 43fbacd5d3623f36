-- The record of billing runs (issue 8, docs/api.md "Reads and billing").

-- One row per billing run (`bill run` or POST /api/v1/billing-runs): what was asked, by whom,
-- and what it billed. 'running' while it runs; a run that died stays 'running' (a later run of
-- the same period finishes its work: billing is safe to repeat). idem_key: the Idempotency-Key
-- of the request that started it (NULL from the CLI), unique per account with request_hash, the
-- SHA-256 of the request, so the same key with another request is refused.
CREATE TABLE billing_run (
  id           {{pk}},
  period       TEXT NOT NULL,
  scope_code   TEXT NOT NULL,          -- the org node billed ('' : everything)
  scope_path   TEXT NOT NULL,          -- its path ('/' : everything): who may see the run
  route        TEXT,
  issue_date   TEXT NOT NULL,
  status       TEXT NOT NULL CHECK (status IN ('running', 'done', 'failed')),
  started_at   TEXT NOT NULL,
  finished_at  TEXT,
  started_by   TEXT NOT NULL,
  idem_key     TEXT,
  request_hash TEXT,
  customers    BIGINT NOT NULL DEFAULT 0,
  invoices     BIGINT NOT NULL DEFAULT 0,
  reads        BIGINT NOT NULL DEFAULT 0,
  kwh          BIGINT NOT NULL DEFAULT 0,
  energy       BIGINT NOT NULL DEFAULT 0,
  vat          BIGINT NOT NULL DEFAULT 0,
  total        BIGINT NOT NULL DEFAULT 0,
  credit       BIGINT NOT NULL DEFAULT 0,
  zero         BIGINT NOT NULL DEFAULT 0,
  error        TEXT,
  UNIQUE (started_by, idem_key)
);
CREATE INDEX billing_run_path ON billing_run(scope_path, id);
