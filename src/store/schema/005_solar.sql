-- Rooftop solar bought from customers (DOMAIN 5.7): one credit document per customer and month,
-- numbered per year (PV25-1, PV25-2 …), never netted into an invoice, never edited.
CREATE TABLE solar_credit (
  id          {{pk}},
  customer_id BIGINT NOT NULL REFERENCES customer(id),
  period      TEXT NOT NULL,
  year        INTEGER NOT NULL,
  number      BIGINT NOT NULL CHECK (number >= 1),
  kwh         BIGINT NOT NULL CHECK (kwh > 0),
  price       BIGINT NOT NULL CHECK (price > 0),
  amount      BIGINT NOT NULL CHECK (amount > 0),
  decision    TEXT NOT NULL,
  issue_date  TEXT NOT NULL,
  created_at  TEXT NOT NULL,
  created_by  TEXT NOT NULL,
  UNIQUE (customer_id, period),
  UNIQUE (year, number)
);
-- @sqlite
CREATE TRIGGER solar_credit_no_update BEFORE UPDATE ON solar_credit
BEGIN SELECT RAISE(ABORT, 'solar credit documents are never edited'); END;
CREATE TRIGGER solar_credit_no_delete BEFORE DELETE ON solar_credit
BEGIN SELECT RAISE(ABORT, 'solar credit documents are never deleted'); END;
-- @end
-- @postgres
CREATE TRIGGER solar_credit_no_change BEFORE UPDATE OR DELETE ON solar_credit
  FOR EACH ROW EXECUTE FUNCTION pc_append_only();
-- @end
