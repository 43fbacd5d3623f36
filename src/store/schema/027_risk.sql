-- Risk classification (issue 10, DOMAIN 12, docs/risk.md): monthly runs, each customer's result
-- in a run with the figures it was scored on (and the snapshot trends are measured from), and
-- customers flagged by hand. All append-only: a run is never redone in place; a month's report
-- reads its latest run.

-- One row per `risk run`: the month (YYYY-MM), its last day (the as-of date), the parameters
-- used (risk_params_text) and their SHA-256, and the counts per class.
CREATE TABLE risk_run (
  id          {{pk}},
  month       TEXT NOT NULL,
  as_of       TEXT NOT NULL,
  params      TEXT NOT NULL,
  params_hash TEXT NOT NULL,
  started_at  TEXT NOT NULL,
  started_by  TEXT NOT NULL,
  customers   BIGINT NOT NULL DEFAULT 0,
  low         BIGINT NOT NULL DEFAULT 0,
  medium      BIGINT NOT NULL DEFAULT 0,
  high        BIGINT NOT NULL DEFAULT 0
);
CREATE INDEX risk_run_month ON risk_run(month, id);

-- A customer's result in a run (no foreign keys: a million rows a run, checked one by one, would
-- double the write; the run writes its row and its results in one transaction). reasons: "code=value:points;…" (domain/risk.h). The figures:
-- overdue_days/overdue_amount, late_payments (and late_month, the month's own, from which the next
-- runs roll the 12 months forward) and disconnections in 12 months, debt at the
-- month's end and 3 months before, kWh billed for the month and payments received in it.
CREATE TABLE risk_result (
  run_id         BIGINT NOT NULL,           -- risk_run(id), written in the run's transaction
  customer_id    BIGINT NOT NULL,
  unit_id        BIGINT NOT NULL,
  score          INTEGER NOT NULL CHECK (score BETWEEN 0 AND 100),
  class          TEXT NOT NULL CHECK (class IN ('low', 'medium', 'high')),
  action         TEXT NOT NULL CHECK (action IN ('none', 'reminder', 'visit', 'guarantee', 'prepaid')),
  reasons        TEXT NOT NULL,
  overdue_days   BIGINT NOT NULL,
  overdue_amount BIGINT NOT NULL,
  late_payments  BIGINT NOT NULL,
  late_month     BIGINT NOT NULL,           -- of late_payments, those dated in the month itself
  disconnections BIGINT NOT NULL,
  debt           BIGINT NOT NULL,
  debt_before    BIGINT NOT NULL,
  kwh            BIGINT NOT NULL,
  payments       BIGINT NOT NULL,
  PRIMARY KEY (run_id, customer_id)
){{without_rowid}};

-- A customer flagged (flagged = 1) or cleared (0) by hand, with who, why and when; the latest
-- row of a customer is its state.
CREATE TABLE risk_flag (
  id          {{pk}},
  customer_id BIGINT NOT NULL REFERENCES customer(id),
  flagged     INTEGER NOT NULL CHECK (flagged IN (0, 1)),
  reason      TEXT NOT NULL CHECK (reason <> ''),
  flagged_at  TEXT NOT NULL,
  flagged_by  TEXT NOT NULL
);
CREATE INDEX risk_flag_customer ON risk_flag(customer_id, id);

-- @sqlite
CREATE TRIGGER risk_result_no_update BEFORE UPDATE ON risk_result
BEGIN SELECT RAISE(ABORT, 'risk results are never edited: run the month again'); END;
CREATE TRIGGER risk_result_no_delete BEFORE DELETE ON risk_result
BEGIN SELECT RAISE(ABORT, 'risk results are never deleted'); END;
CREATE TRIGGER risk_flag_no_update BEFORE UPDATE ON risk_flag
BEGIN SELECT RAISE(ABORT, 'risk flags are never edited: add a new one'); END;
CREATE TRIGGER risk_flag_no_delete BEFORE DELETE ON risk_flag
BEGIN SELECT RAISE(ABORT, 'risk flags are never deleted: add a new one'); END;
-- @end
-- @postgres
CREATE TRIGGER risk_result_no_change BEFORE UPDATE OR DELETE ON risk_result
  FOR EACH ROW EXECUTE FUNCTION pc_append_only();
CREATE TRIGGER risk_flag_no_change BEFORE UPDATE OR DELETE ON risk_flag
  FOR EACH ROW EXECUTE FUNCTION pc_append_only();
-- @end
