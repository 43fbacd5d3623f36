-- Prepaid customers (issue 10 item 2, DOMAIN 12, docs/prepaid.md): an append-only ledger of
-- top-ups, reversals, daily charges, openings and settlements, and one account row per prepaid
-- customer caching the balance and the daily-charge state so that a run over 500,000 customers
-- reads one row each. The cache is written in the same transaction as every ledger row and
-- `powercis check` compares it with the ledger's sum.

-- One row per customer ever put on prepaid. active: 1 while the customer is prepaid.
-- since: the first day of the current prepaid spell (the contract row's valid_from).
-- charge_month / charged_mtd / kwh_mtd: the month of the latest daily charge and what the month's
-- charges add up to so far (the next day's charge is the month-to-date bill less this).
-- low_notified: 1 once a low-balance message went for the current crossing under the threshold.
-- below_zero_since: the charge day that took the balance below zero (NULL: not below zero).
-- Clustered by customer (SQLite WITHOUT ROWID) so that the daily run walks it in key order.
CREATE TABLE prepaid_account (
  customer_id      BIGINT PRIMARY KEY REFERENCES customer(id),
  active           INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
  since            TEXT NOT NULL,
  balance          BIGINT NOT NULL DEFAULT 0,
  charge_month     TEXT NOT NULL DEFAULT '',
  last_charge_day  TEXT NOT NULL DEFAULT '',
  charged_mtd      BIGINT NOT NULL DEFAULT 0,
  kwh_mtd          BIGINT NOT NULL DEFAULT 0,
  low_notified     INTEGER NOT NULL DEFAULT 0 CHECK (low_notified IN (0, 1)),
  below_zero_since TEXT,
  updated_at       TEXT NOT NULL
){{without_rowid}};

-- The ledger. amount: signed đồng as it moves the balance (+ top-up, - charge).
-- kind: topup (payment_id: the payment), reversal (payment_id: the reversing payment),
-- charge (one per customer and day: charge_day, the month-to-date kWh and bill it came from and
-- the reads it used), opening (customer credit brought in when prepaid starts), settlement (the
-- balance handed back as customer credit when prepaid ends).
CREATE TABLE prepaid_ledger (
  id          {{pk}},
  customer_id BIGINT NOT NULL REFERENCES customer(id),
  kind        TEXT NOT NULL CHECK (kind IN ('topup', 'reversal', 'charge', 'opening', 'settlement')),
  entry_date  TEXT NOT NULL,
  amount      BIGINT NOT NULL,
  balance     BIGINT NOT NULL,   -- the balance after this row
  payment_id  BIGINT,
  charge_day  TEXT,
  kwh_day     BIGINT,
  kwh_mtd     BIGINT,
  energy_mtd  BIGINT,
  vat_mtd     BIGINT,
  total_mtd   BIGINT,
  reads       INTEGER,
  read_from   TEXT,
  read_to     TEXT,
  last_read_id BIGINT,
  note        TEXT,
  created_at  TEXT NOT NULL,
  created_by  TEXT NOT NULL,
  CHECK ((kind = 'charge') = (charge_day IS NOT NULL)),
  CHECK ((kind IN ('topup', 'reversal')) = (payment_id IS NOT NULL))
);
CREATE UNIQUE INDEX prepaid_ledger_day ON prepaid_ledger(customer_id, charge_day) WHERE kind = 'charge';
CREATE UNIQUE INDEX prepaid_ledger_payment ON prepaid_ledger(payment_id) WHERE payment_id IS NOT NULL;
CREATE INDEX prepaid_ledger_customer ON prepaid_ledger(customer_id, entry_date);

-- @sqlite
CREATE TRIGGER prepaid_ledger_no_update BEFORE UPDATE ON prepaid_ledger
BEGIN SELECT RAISE(ABORT, 'the prepaid ledger is append-only'); END;
CREATE TRIGGER prepaid_ledger_no_delete BEFORE DELETE ON prepaid_ledger
BEGIN SELECT RAISE(ABORT, 'the prepaid ledger is append-only'); END;
-- @end
-- @postgres
CREATE TRIGGER prepaid_ledger_no_change BEFORE UPDATE OR DELETE ON prepaid_ledger
  FOR EACH ROW EXECUTE FUNCTION pc_append_only();
-- @end
