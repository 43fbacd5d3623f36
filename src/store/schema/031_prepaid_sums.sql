-- The prepaid daily charge from cached month-to-date read sums (issue 10 speed target,
-- docs/prepaid.md): each account keeps the sums of its reads that count from the month's first
-- day (or since, if later) through last_charge_day, so the next day's run sums only the reads
-- dated after last_charge_day. Triggers on meter_read set resum = 1 when a read dated on or
-- before last_charge_day of its customer's charge month is added, changed or removed: the next
-- run then sums that account's month from its first day, as before the cache.

-- sum_kwh: Σ COALESCE(kwh_total, normal + peak + off-peak); sum_normal/peak/offpeak: the register
-- sums; sum_reads: the reads counted; sum_reg_reads: those by register (no kwh_total);
-- sum_first / sum_last: their first and last read_date ('' when none); sum_last_id: max(id).
-- resum: 1 when the sums are not valid for (charge_month, up to last_charge_day): a new account,
-- a new spell, or a read changed under them. The default 1 makes accounts of before this
-- migration sum their month afresh on the next run.
ALTER TABLE prepaid_account ADD COLUMN sum_kwh BIGINT NOT NULL DEFAULT 0;
ALTER TABLE prepaid_account ADD COLUMN sum_normal BIGINT NOT NULL DEFAULT 0;
ALTER TABLE prepaid_account ADD COLUMN sum_peak BIGINT NOT NULL DEFAULT 0;
ALTER TABLE prepaid_account ADD COLUMN sum_offpeak BIGINT NOT NULL DEFAULT 0;
ALTER TABLE prepaid_account ADD COLUMN sum_reads BIGINT NOT NULL DEFAULT 0;
ALTER TABLE prepaid_account ADD COLUMN sum_reg_reads BIGINT NOT NULL DEFAULT 0;
ALTER TABLE prepaid_account ADD COLUMN sum_first TEXT NOT NULL DEFAULT '';
ALTER TABLE prepaid_account ADD COLUMN sum_last TEXT NOT NULL DEFAULT '';
ALTER TABLE prepaid_account ADD COLUMN sum_last_id BIGINT NOT NULL DEFAULT 0;
ALTER TABLE prepaid_account ADD COLUMN resum INTEGER NOT NULL DEFAULT 1 CHECK (resum IN (0, 1));

-- The triggers look at every change of a read, whatever its status: a read that did not count
-- may count after it (approval), and the reverse (rejection, supersession). A read dated before
-- the account's charge month (read_date >= 'YYYY-MM' is false for it) leaves the month's sums as
-- they are. One indexed UPDATE per read written; nothing when the customer is not prepaid.
-- @sqlite
CREATE TRIGGER meter_read_prepaid_ins AFTER INSERT ON meter_read
BEGIN
  UPDATE prepaid_account SET resum = 1 WHERE customer_id = NEW.customer_id AND resum = 0
    AND last_charge_day >= NEW.read_date AND NEW.read_date >= charge_month;
END;
CREATE TRIGGER meter_read_prepaid_upd
AFTER UPDATE OF status, kind, read_date, customer_id, kwh_total, kwh_normal, kwh_peak, kwh_offpeak ON meter_read
BEGIN
  UPDATE prepaid_account SET resum = 1 WHERE customer_id = OLD.customer_id AND resum = 0
    AND last_charge_day >= OLD.read_date AND OLD.read_date >= charge_month;
  UPDATE prepaid_account SET resum = 1 WHERE customer_id = NEW.customer_id AND resum = 0
    AND last_charge_day >= NEW.read_date AND NEW.read_date >= charge_month;
END;
CREATE TRIGGER meter_read_prepaid_del AFTER DELETE ON meter_read
BEGIN
  UPDATE prepaid_account SET resum = 1 WHERE customer_id = OLD.customer_id AND resum = 0
    AND last_charge_day >= OLD.read_date AND OLD.read_date >= charge_month;
END;
-- @end
-- @postgres
-- Row triggers on the partitioned parent (PostgreSQL >= 13) are cloned onto every partition,
-- present and future (pc_ensure_partitions).
CREATE FUNCTION pc_prepaid_resum() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP IN ('UPDATE', 'DELETE') THEN
    UPDATE prepaid_account SET resum = 1 WHERE customer_id = OLD.customer_id AND resum = 0
      AND last_charge_day >= OLD.read_date AND OLD.read_date >= charge_month;
  END IF;
  IF TG_OP IN ('INSERT', 'UPDATE') THEN
    UPDATE prepaid_account SET resum = 1 WHERE customer_id = NEW.customer_id AND resum = 0
      AND last_charge_day >= NEW.read_date AND NEW.read_date >= charge_month;
  END IF;
  RETURN NULL;
END $$;
CREATE TRIGGER meter_read_prepaid_ins AFTER INSERT ON meter_read
  FOR EACH ROW EXECUTE FUNCTION pc_prepaid_resum();
CREATE TRIGGER meter_read_prepaid_upd
  AFTER UPDATE OF status, kind, read_date, customer_id, kwh_total, kwh_normal, kwh_peak, kwh_offpeak ON meter_read
  FOR EACH ROW EXECUTE FUNCTION pc_prepaid_resum();
CREATE TRIGGER meter_read_prepaid_del AFTER DELETE ON meter_read
  FOR EACH ROW EXECUTE FUNCTION pc_prepaid_resum();
-- @end
