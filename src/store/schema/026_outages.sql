-- Outages and the customers they interrupted (DOMAIN 12, docs/outages.md): what the
-- reliability indices (SAIFI, SAIDI, CAIDI, MAIFI) are computed from.

-- The transformer station a customer is fed from (optional), so that an outage can name its
-- customers by transformer as well as by route.
ALTER TABLE customer ADD COLUMN transformer TEXT;
CREATE INDEX customer_transformer ON customer(transformer);

-- One interruption of supply under an org node (any level). start_at / end_at are local time
-- 'YYYY-MM-DD HH:MM' as the dispatcher gives them; month is start_at's month, the month the
-- outage counts in (the whole duration, even when it runs into the next month). end_at and
-- minutes are NULL while an unplanned outage is ongoing and are set once, by closing it.
-- affected_by says how the interrupted customers were given: a count (customers only), or a
-- route, a transformer or a list (customers = the rows in outage_customer). dedupe_key is the
-- content that makes an outage the same one (node, times, kind, customers), so that adding it
-- twice returns the first.
CREATE TABLE outage (
  id          {{pk}},
  org_id      BIGINT NOT NULL REFERENCES org_node(id),
  planned     INTEGER NOT NULL CHECK (planned IN (0, 1)),
  start_at    TEXT NOT NULL CHECK (length(start_at) = 16),
  end_at      TEXT CHECK (end_at IS NULL OR (length(end_at) = 16 AND end_at > start_at)),
  month       INTEGER NOT NULL,
  minutes     BIGINT CHECK (minutes IS NULL OR minutes > 0),
  affected_by TEXT NOT NULL CHECK (affected_by IN ('count', 'route', 'transformer', 'list')),
  selector    TEXT,                      -- the route or transformer code
  customers   BIGINT NOT NULL CHECK (customers > 0),
  cause       TEXT,
  note        TEXT,
  notice_late INTEGER NOT NULL DEFAULT 0 CHECK (notice_late IN (0, 1)),
  dedupe_key  TEXT NOT NULL UNIQUE,
  created_at  TEXT NOT NULL,
  created_by  TEXT NOT NULL,
  closed_at   TEXT,
  closed_by   TEXT,
  CHECK ((end_at IS NULL) = (minutes IS NULL))
);
CREATE INDEX outage_month ON outage(month, org_id);
CREATE INDEX outage_start ON outage(start_at);

CREATE TABLE outage_customer (
  outage_id   BIGINT NOT NULL REFERENCES outage(id),
  customer_id BIGINT NOT NULL REFERENCES customer(id),
  PRIMARY KEY (outage_id, customer_id)
){{without_rowid}};
CREATE INDEX outage_customer_customer ON outage_customer(customer_id);

-- Append-only: an outage is never deleted and never edited, except that an ongoing one is
-- closed once (end_at, minutes, closed_at, closed_by set from NULL).
-- @sqlite
CREATE TRIGGER outage_no_delete BEFORE DELETE ON outage
BEGIN SELECT RAISE(ABORT, 'outages are never deleted'); END;
CREATE TRIGGER outage_close_once BEFORE UPDATE ON outage
WHEN OLD.end_at IS NOT NULL OR NEW.id IS NOT OLD.id OR NEW.org_id IS NOT OLD.org_id
  OR NEW.planned IS NOT OLD.planned OR NEW.start_at IS NOT OLD.start_at OR NEW.month IS NOT OLD.month
  OR NEW.affected_by IS NOT OLD.affected_by OR NEW.selector IS NOT OLD.selector
  OR NEW.customers IS NOT OLD.customers OR NEW.dedupe_key IS NOT OLD.dedupe_key
  OR NEW.created_at IS NOT OLD.created_at OR NEW.created_by IS NOT OLD.created_by
BEGIN SELECT RAISE(ABORT, 'an outage is only closed, once'); END;
CREATE TRIGGER outage_customer_no_update BEFORE UPDATE ON outage_customer
BEGIN SELECT RAISE(ABORT, 'outage customers are append-only'); END;
CREATE TRIGGER outage_customer_no_delete BEFORE DELETE ON outage_customer
BEGIN SELECT RAISE(ABORT, 'outage customers are append-only'); END;
-- @end
-- @postgres
CREATE FUNCTION pc_outage_close_once() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF OLD.end_at IS NOT NULL OR NEW.id IS DISTINCT FROM OLD.id OR NEW.org_id IS DISTINCT FROM OLD.org_id
     OR NEW.planned IS DISTINCT FROM OLD.planned OR NEW.start_at IS DISTINCT FROM OLD.start_at
     OR NEW.month IS DISTINCT FROM OLD.month OR NEW.affected_by IS DISTINCT FROM OLD.affected_by
     OR NEW.selector IS DISTINCT FROM OLD.selector OR NEW.customers IS DISTINCT FROM OLD.customers
     OR NEW.dedupe_key IS DISTINCT FROM OLD.dedupe_key OR NEW.created_at IS DISTINCT FROM OLD.created_at
     OR NEW.created_by IS DISTINCT FROM OLD.created_by THEN
    RAISE EXCEPTION 'an outage is only closed, once' USING ERRCODE = 'integrity_constraint_violation';
  END IF;
  RETURN NEW;
END $$;
CREATE TRIGGER outage_close_once BEFORE UPDATE ON outage
  FOR EACH ROW EXECUTE FUNCTION pc_outage_close_once();
CREATE TRIGGER outage_no_delete BEFORE DELETE ON outage
  FOR EACH ROW EXECUTE FUNCTION pc_append_only();
CREATE TRIGGER outage_customer_no_change BEFORE UPDATE OR DELETE ON outage_customer
  FOR EACH ROW EXECUTE FUNCTION pc_append_only();
-- @end
