-- Overdue and bad debt (DOMAIN 9, 10): what aging needs on the open items, receivables brought
-- from legacy systems, adjustments, debt cases with their documents, and report locks.

-- Aging sums open items by unit and class without touching the customers: the unit that issued
-- the invoice, the class of the contract it was billed under (1 residential, 0 not) and the issue
-- date (a report as of an earlier date leaves later invoices out).
ALTER TABLE open_item ADD COLUMN unit_id BIGINT NOT NULL DEFAULT 0;
ALTER TABLE open_item ADD COLUMN residential INTEGER NOT NULL DEFAULT 1;
ALTER TABLE open_item ADD COLUMN issue_date TEXT NOT NULL DEFAULT '';
UPDATE open_item SET
  unit_id = (SELECT i.unit_id FROM invoice i WHERE i.id = open_item.invoice_id AND i.period = open_item.period),
  issue_date = (SELECT i.issue_date FROM invoice i WHERE i.id = open_item.invoice_id AND i.period = open_item.period),
  residential = COALESCE((SELECT CASE WHEN k.purpose = 'residential' THEN 1 ELSE 0 END FROM contract k
                          WHERE k.customer_id = open_item.customer_id ORDER BY k.valid_from DESC LIMIT 1), 1);
-- One ordered pass of this index gives every unit's customers with their items.
CREATE INDEX open_item_aging ON open_item(unit_id, customer_id, residential, due_date, open, issue_date, invoice_id);
-- A report as of a past date adds back what was cleared after it.
CREATE INDEX payment_alloc_date ON payment_alloc(alloc_date);

-- Receivables brought from CMIS extracts and Excel sheets (`debt import`): each is an invoice row
-- of symbol 'LEGACY' (never an e-invoice of ours); this table keeps the legacy number, unique,
-- which makes the import idempotent.
CREATE TABLE legacy_invoice (
  invoice_no   TEXT PRIMARY KEY,
  invoice_id   BIGINT NOT NULL,
  customer_id  BIGINT NOT NULL REFERENCES customer(id),
  content_hash TEXT NOT NULL,
  file_id      BIGINT REFERENCES import_file(id),
  line         INTEGER NOT NULL
){{without_rowid}};

-- Documents (scanned invoices, minutes, records): the bytes live under the data directory,
-- named by their SHA-256; a row per attachment to a customer's debt (and its case).
CREATE TABLE document (
  id          {{pk}},
  customer_id BIGINT NOT NULL REFERENCES customer(id),
  kind        TEXT NOT NULL CHECK (kind IN ('invoice', 'minutes', 'record', 'court', 'other')),
  title       TEXT NOT NULL,
  file_name   TEXT NOT NULL,
  media_type  TEXT NOT NULL CHECK (media_type IN ('application/pdf', 'image/jpeg', 'image/png')),
  size        BIGINT NOT NULL CHECK (size > 0),
  sha256      TEXT NOT NULL CHECK (length(sha256) = 64),
  doc_date    TEXT NOT NULL,
  added_at    TEXT NOT NULL,
  added_by    TEXT NOT NULL
);
CREATE INDEX document_customer ON document(customer_id);
-- Removing a document from a debt is a row of its own (the bytes stay: history is kept).
CREATE TABLE document_removal (
  document_id BIGINT PRIMARY KEY REFERENCES document(id),
  removed_at  TEXT NOT NULL,
  removed_by  TEXT NOT NULL,
  reason      TEXT NOT NULL CHECK (reason <> '')
);

-- An adjustment of a customer's debt (DOMAIN 9): a posting on one receivable, never an edit.
-- amount is the change of what is owed on the invoice (+ raises it, - lowers it), dated
-- adj_date; a transfer or reclassification is two rows (one each side) sharing pair_id.
CREATE TABLE debt_adjustment (
  id          {{pk}},
  customer_id BIGINT NOT NULL REFERENCES customer(id),
  invoice_id  BIGINT NOT NULL,
  kind        TEXT NOT NULL CHECK (kind IN ('correction', 'write_off', 'transfer', 'reclassification')),
  amount      BIGINT NOT NULL CHECK (amount <> 0),
  adj_date    TEXT NOT NULL,
  pair_id     BIGINT,
  reason      TEXT NOT NULL CHECK (reason <> ''),
  approval    TEXT,
  document_id BIGINT REFERENCES document(id),
  created_at  TEXT NOT NULL,
  created_by  TEXT NOT NULL
);
CREATE INDEX debt_adjustment_invoice ON debt_adjustment(invoice_id);
CREATE INDEX debt_adjustment_customer ON debt_adjustment(customer_id);
CREATE INDEX debt_adjustment_date ON debt_adjustment(adj_date);

-- A debt case per customer: its state now (kept with every event) and the events, append-only.
CREATE TABLE debt_case (
  id          {{pk}},
  customer_id BIGINT NOT NULL UNIQUE REFERENCES customer(id),
  status      TEXT NOT NULL CHECK (status IN ('monitoring', 'notified', 'disconnected', 'negotiating',
                                              'in_court', 'collected', 'written_off')),
  owner       TEXT,
  next_action TEXT,
  opened_at   TEXT NOT NULL,
  updated_at  TEXT NOT NULL
);
CREATE INDEX debt_case_status ON debt_case(status, next_action);
CREATE TABLE debt_case_event (
  id          {{pk}},
  case_id     BIGINT NOT NULL REFERENCES debt_case(id),
  status      TEXT NOT NULL,
  owner       TEXT,
  next_action TEXT,
  note        TEXT,
  at          TEXT NOT NULL,
  by_user     TEXT NOT NULL
);
CREATE INDEX debt_case_event_case ON debt_case_event(case_id);

-- Report locks (DOMAIN 10): a period (YYYY-MM) closed for a node's subtree, with the report as
-- it stood; an unlock is a row of its own. A lock is active while it has no unlock.
CREATE TABLE report_lock (
  id        {{pk}},
  org_id    BIGINT NOT NULL REFERENCES org_node(id),
  period    TEXT NOT NULL,
  locked_at TEXT NOT NULL,
  locked_by TEXT NOT NULL,
  locked_as BIGINT NOT NULL REFERENCES org_node(id)
);
CREATE INDEX report_lock_period ON report_lock(period, org_id);
CREATE TABLE report_unlock (
  lock_id     BIGINT PRIMARY KEY REFERENCES report_lock(id),
  unlocked_at TEXT NOT NULL,
  unlocked_by TEXT NOT NULL,
  unlocked_as BIGINT NOT NULL REFERENCES org_node(id),
  reason      TEXT NOT NULL CHECK (reason <> '')
);
-- The report of the locked scope and period, exactly as printed at lock time, one per view.
CREATE TABLE report_snapshot (
  lock_id BIGINT NOT NULL REFERENCES report_lock(id),
  view    TEXT NOT NULL,
  body    TEXT NOT NULL,
  PRIMARY KEY (lock_id, view)
);

-- The debt summary a group database reads through postgres_fdw (schema/006_summaries.sql), as
-- of today: what is open per unit and class, overdue, overdue 3 months or more (bad debt), and 3
-- years or more. PostgreSQL's date + interval clamps to the month's end as DOMAIN 9 does.
-- @postgres
CREATE VIEW unit_debt AS
SELECT u.code AS unit, CASE WHEN o.residential = 1 THEN 'residential' ELSE 'nonresidential' END AS class,
       count(DISTINCT o.customer_id) AS customers, sum(o.open) AS total,
       sum(CASE WHEN current_date > o.due_date::date THEN o.open ELSE 0 END) AS overdue,
       sum(CASE WHEN current_date >= o.due_date::date + interval '3 months' THEN o.open ELSE 0 END) AS bad,
       sum(CASE WHEN current_date >= o.due_date::date + interval '36 months' THEN o.open ELSE 0 END) AS ge_3y
FROM open_item o JOIN org_node u ON u.id = o.unit_id
GROUP BY u.code, o.residential;
-- @end

-- @sqlite
CREATE TRIGGER debt_adjustment_no_update BEFORE UPDATE ON debt_adjustment
BEGIN SELECT RAISE(ABORT, 'adjustments are never edited: post another'); END;
CREATE TRIGGER debt_adjustment_no_delete BEFORE DELETE ON debt_adjustment
BEGIN SELECT RAISE(ABORT, 'adjustments are never deleted: post another'); END;
CREATE TRIGGER debt_case_event_no_update BEFORE UPDATE ON debt_case_event
BEGIN SELECT RAISE(ABORT, 'case history is never edited'); END;
CREATE TRIGGER debt_case_event_no_delete BEFORE DELETE ON debt_case_event
BEGIN SELECT RAISE(ABORT, 'case history is never deleted'); END;
CREATE TRIGGER document_no_update BEFORE UPDATE ON document
BEGIN SELECT RAISE(ABORT, 'documents are never edited: remove and add'); END;
CREATE TRIGGER document_no_delete BEFORE DELETE ON document
BEGIN SELECT RAISE(ABORT, 'documents are never deleted: remove them'); END;
CREATE TRIGGER report_lock_no_update BEFORE UPDATE ON report_lock
BEGIN SELECT RAISE(ABORT, 'locks are never edited: unlock'); END;
CREATE TRIGGER report_lock_no_delete BEFORE DELETE ON report_lock
BEGIN SELECT RAISE(ABORT, 'locks are never deleted: unlock'); END;
CREATE TRIGGER report_snapshot_no_update BEFORE UPDATE ON report_snapshot
BEGIN SELECT RAISE(ABORT, 'report snapshots are never edited'); END;
CREATE TRIGGER legacy_invoice_no_update BEFORE UPDATE ON legacy_invoice
BEGIN SELECT RAISE(ABORT, 'imported receivables are never edited: adjust them'); END;
-- @end
-- @postgres
CREATE TRIGGER debt_adjustment_no_change BEFORE UPDATE OR DELETE ON debt_adjustment
  FOR EACH ROW EXECUTE FUNCTION pc_append_only();
CREATE TRIGGER debt_case_event_no_change BEFORE UPDATE OR DELETE ON debt_case_event
  FOR EACH ROW EXECUTE FUNCTION pc_append_only();
CREATE TRIGGER document_no_change BEFORE UPDATE OR DELETE ON document
  FOR EACH ROW EXECUTE FUNCTION pc_append_only();
CREATE TRIGGER report_lock_no_change BEFORE UPDATE OR DELETE ON report_lock
  FOR EACH ROW EXECUTE FUNCTION pc_append_only();
CREATE TRIGGER report_snapshot_no_change BEFORE UPDATE OR DELETE ON report_snapshot
  FOR EACH ROW EXECUTE FUNCTION pc_append_only();
CREATE TRIGGER legacy_invoice_no_change BEFORE UPDATE OR DELETE ON legacy_invoice
  FOR EACH ROW EXECUTE FUNCTION pc_append_only();
-- @end
