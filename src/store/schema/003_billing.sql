-- Invoices (e-invoices), their lines, the reads they bill, and e-invoice number series.
-- Invoices and lines are never edited: a correction is an adjusting or replacing invoice that
-- refers to the original.

-- One series per company and year: symbol such as 1K25TAA, numbers 1, 2, 3 … with no gap and no
-- reuse, taken in the transaction that issues the invoice.
CREATE TABLE einvoice_series (
  id          {{pk}},
  company_id  BIGINT NOT NULL REFERENCES org_node(id),
  year        INTEGER NOT NULL,
  symbol      TEXT NOT NULL UNIQUE,
  last_number BIGINT NOT NULL DEFAULT 0 CHECK (last_number >= 0),
  UNIQUE (company_id, year)
);

CREATE TABLE invoice (
  id             {{pk}},
  customer_id    BIGINT NOT NULL REFERENCES customer(id),
  unit_id        BIGINT NOT NULL REFERENCES org_node(id),
  kind           TEXT NOT NULL DEFAULT 'regular' CHECK (kind IN ('regular', 'adjusting', 'replacing')),
  refers_to      BIGINT REFERENCES invoice(id),
  period         TEXT NOT NULL,          -- YYYY-MM of the reading date
  from_date      TEXT NOT NULL,          -- first day of the reading period
  to_date        TEXT NOT NULL,          -- the reading date
  issue_date     TEXT NOT NULL,
  due_date       TEXT NOT NULL,
  symbol         TEXT NOT NULL,
  number         BIGINT NOT NULL CHECK (number >= 1),
  kwh            BIGINT NOT NULL,
  energy         BIGINT NOT NULL,        -- đồng before VAT
  vat_rate       INTEGER NOT NULL,       -- percent
  vat            BIGINT NOT NULL,
  total          BIGINT NOT NULL,
  reason         TEXT,                   -- why an adjusting or replacing invoice was issued
  created_at     TEXT NOT NULL,
  created_by     TEXT NOT NULL,
  UNIQUE (symbol, number)
);
CREATE INDEX invoice_customer ON invoice(customer_id, to_date);
CREATE INDEX invoice_period ON invoice(period, unit_id);

-- Keyed by (invoice, line number) without a separate row id: one B-tree per line written.
CREATE TABLE invoice_line (
  invoice_id BIGINT NOT NULL REFERENCES invoice(id),
  line_no    INTEGER NOT NULL,
  part_from  TEXT NOT NULL,
  part_to    TEXT NOT NULL,
  item       TEXT NOT NULL,    -- "tier 1" … or "normal", "peak", "offpeak", "flat"
  kwh        BIGINT NOT NULL,
  price      BIGINT NOT NULL,  -- đồng/kWh before VAT
  amount     BIGINT NOT NULL,
  PRIMARY KEY (invoice_id, line_no)
){{without_rowid}};

-- A read is billed at most once: the primary key is the guarantee that re-running a billing
-- run bills nothing twice.
CREATE TABLE invoice_read (
  read_id    BIGINT PRIMARY KEY REFERENCES meter_read(id),
  invoice_id BIGINT NOT NULL REFERENCES invoice(id)
){{without_rowid}};
CREATE INDEX invoice_read_invoice ON invoice_read(invoice_id);

-- @sqlite
CREATE TRIGGER invoice_no_update BEFORE UPDATE ON invoice
BEGIN SELECT RAISE(ABORT, 'invoices are never edited: issue an adjusting invoice'); END;
CREATE TRIGGER invoice_no_delete BEFORE DELETE ON invoice
BEGIN SELECT RAISE(ABORT, 'invoices are never deleted'); END;
CREATE TRIGGER invoice_line_no_update BEFORE UPDATE ON invoice_line
BEGIN SELECT RAISE(ABORT, 'invoice lines are never edited'); END;
CREATE TRIGGER invoice_line_no_delete BEFORE DELETE ON invoice_line
BEGIN SELECT RAISE(ABORT, 'invoice lines are never deleted'); END;
-- @end
-- @postgres
CREATE TRIGGER invoice_no_change BEFORE UPDATE OR DELETE ON invoice
  FOR EACH ROW EXECUTE FUNCTION pc_append_only();
CREATE TRIGGER invoice_line_no_change BEFORE UPDATE OR DELETE ON invoice_line
  FOR EACH ROW EXECUTE FUNCTION pc_append_only();
-- @end

-- The billing run finds a period's reads by date.
CREATE INDEX meter_read_date ON meter_read(read_date, kind);
