-- Dunning and disconnection (DOMAIN 8, docs/dunning.md): the dated steps taken on overdue
-- invoices and on customers, the work orders that cut and reconnect supply, and billing disputes
-- that hold dunning back. All of it is history, so all of it is append-only: a work order's
-- progress and a dispute's closing are new rows, never edits.
--
-- Invoices are referred to by id without a foreign key: in PostgreSQL the invoice table is
-- partitioned by period (009), so its key is (id, period); the code checks the invoice exists.

-- A cut or reconnection order for a field crew. Its status is its latest work_order_state row.
CREATE TABLE work_order (
  id           {{pk}},
  customer_id  BIGINT NOT NULL REFERENCES customer(id),
  kind         TEXT NOT NULL CHECK (kind IN ('cut', 'reconnection')),
  created_date TEXT NOT NULL,            -- the business date (the dunning run's, the payment's)
  reason       TEXT NOT NULL,
  fee          BIGINT NOT NULL DEFAULT 0 CHECK (fee >= 0), -- reconnection fee, đồng
  created_at   TEXT NOT NULL,
  created_by   TEXT NOT NULL
);
CREATE INDEX work_order_customer ON work_order(customer_id, kind);

-- open (written with the order), then at most one of done / cancelled.
CREATE TABLE work_order_state (
  id         {{pk}},
  order_id   BIGINT NOT NULL REFERENCES work_order(id),
  state      TEXT NOT NULL CHECK (state IN ('open', 'done', 'cancelled')),
  state_date TEXT NOT NULL,
  note       TEXT,
  created_at TEXT NOT NULL,
  created_by TEXT NOT NULL
);
CREATE UNIQUE INDEX work_order_state_once ON work_order_state(order_id, state);
-- An order ends once: two crews reporting at the same time cannot both close it.
CREATE UNIQUE INDEX work_order_state_final ON work_order_state(order_id) WHERE state <> 'open';

-- One dated step. Invoice steps (notice_1, notice_2, cut_order) name the invoice, at most once
-- each, which is what makes a dunning run idempotent; customer steps (disconnected,
-- reconnection_order, reconnected) name the work order instead. amount: what was overdue on the
-- invoice (or the customer) when the step was taken.
CREATE TABLE dunning_step (
  id          {{pk}},
  customer_id BIGINT NOT NULL REFERENCES customer(id),
  invoice_id  BIGINT,
  step        TEXT NOT NULL CHECK (step IN ('notice_1', 'notice_2', 'cut_order', 'disconnected',
                                            'reconnection_order', 'reconnected')),
  step_date   TEXT NOT NULL,
  order_id    BIGINT REFERENCES work_order(id),
  amount      BIGINT NOT NULL DEFAULT 0,
  created_at  TEXT NOT NULL,
  created_by  TEXT NOT NULL,
  CHECK ((invoice_id IS NOT NULL) = (step IN ('notice_1', 'notice_2', 'cut_order')))
);
CREATE UNIQUE INDEX dunning_step_invoice ON dunning_step(invoice_id, step) WHERE invoice_id IS NOT NULL;
CREATE UNIQUE INDEX dunning_step_order ON dunning_step(order_id, step) WHERE invoice_id IS NULL;
CREATE INDEX dunning_step_customer ON dunning_step(customer_id, step_date);

-- A billing dispute on an invoice: opened and closed as rows; the latest row is its state.
-- While one is open the invoice takes no dunning step.
CREATE TABLE billing_dispute (
  id          {{pk}},
  invoice_id  BIGINT NOT NULL,
  customer_id BIGINT NOT NULL REFERENCES customer(id),
  event       TEXT NOT NULL CHECK (event IN ('open', 'close')),
  event_date  TEXT NOT NULL,
  reason      TEXT NOT NULL CHECK (reason <> ''),
  created_at  TEXT NOT NULL,
  created_by  TEXT NOT NULL
);
CREATE INDEX billing_dispute_invoice ON billing_dispute(invoice_id, id);
CREATE INDEX billing_dispute_customer ON billing_dispute(customer_id);

-- @sqlite
CREATE TRIGGER work_order_no_update BEFORE UPDATE ON work_order
BEGIN SELECT RAISE(ABORT, 'work orders are never edited: append a state'); END;
CREATE TRIGGER work_order_no_delete BEFORE DELETE ON work_order
BEGIN SELECT RAISE(ABORT, 'work orders are never deleted: cancel them'); END;
CREATE TRIGGER work_order_state_no_update BEFORE UPDATE ON work_order_state
BEGIN SELECT RAISE(ABORT, 'work order states are append-only'); END;
CREATE TRIGGER work_order_state_no_delete BEFORE DELETE ON work_order_state
BEGIN SELECT RAISE(ABORT, 'work order states are append-only'); END;
CREATE TRIGGER dunning_step_no_update BEFORE UPDATE ON dunning_step
BEGIN SELECT RAISE(ABORT, 'dunning steps are append-only'); END;
CREATE TRIGGER dunning_step_no_delete BEFORE DELETE ON dunning_step
BEGIN SELECT RAISE(ABORT, 'dunning steps are append-only'); END;
CREATE TRIGGER billing_dispute_no_update BEFORE UPDATE ON billing_dispute
BEGIN SELECT RAISE(ABORT, 'billing disputes are append-only: close with a new row'); END;
CREATE TRIGGER billing_dispute_no_delete BEFORE DELETE ON billing_dispute
BEGIN SELECT RAISE(ABORT, 'billing disputes are append-only'); END;
-- @end
-- @postgres
CREATE TRIGGER work_order_no_change BEFORE UPDATE OR DELETE ON work_order
  FOR EACH ROW EXECUTE FUNCTION pc_append_only();
CREATE TRIGGER work_order_state_no_change BEFORE UPDATE OR DELETE ON work_order_state
  FOR EACH ROW EXECUTE FUNCTION pc_append_only();
CREATE TRIGGER dunning_step_no_change BEFORE UPDATE OR DELETE ON dunning_step
  FOR EACH ROW EXECUTE FUNCTION pc_append_only();
CREATE TRIGGER billing_dispute_no_change BEFORE UPDATE OR DELETE ON billing_dispute
  FOR EACH ROW EXECUTE FUNCTION pc_append_only();
-- @end
