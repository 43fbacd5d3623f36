-- Customer credit (DOMAIN 7): money owed to the customer — a rooftop-solar purchase now, the
-- excess of a payment later — applied to the next invoices at issue. A ledger: +amount when a
-- credit arises, -amount when an invoice uses it; the balance is the sum. Never edited.
CREATE TABLE customer_credit (
  id          {{pk}},
  customer_id BIGINT NOT NULL REFERENCES customer(id),
  source      TEXT NOT NULL CHECK (source IN ('solar', 'payment', 'adjustment', 'invoice')),
  source_id   BIGINT,
  invoice_id  BIGINT REFERENCES invoice(id),
  amount      BIGINT NOT NULL CHECK (amount <> 0),
  created_at  TEXT NOT NULL,
  created_by  TEXT NOT NULL
);
CREATE INDEX customer_credit_customer ON customer_credit(customer_id);

-- The credit an invoice used at issue; the customer owes total - credit_applied.
ALTER TABLE invoice ADD COLUMN credit_applied BIGINT NOT NULL DEFAULT 0;

-- @sqlite
CREATE TRIGGER customer_credit_no_update BEFORE UPDATE ON customer_credit
BEGIN SELECT RAISE(ABORT, 'customer credit is a ledger: never edited'); END;
CREATE TRIGGER customer_credit_no_delete BEFORE DELETE ON customer_credit
BEGIN SELECT RAISE(ABORT, 'customer credit is a ledger: never deleted'); END;
-- @end
-- @postgres
CREATE TRIGGER customer_credit_no_change BEFORE UPDATE OR DELETE ON customer_credit
  FOR EACH ROW EXECUTE FUNCTION pc_append_only();
-- @end
