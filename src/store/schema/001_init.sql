-- Organisation tree, customers, contracts, meters, search index and the audit log.
-- Dates are ISO text (YYYY-MM-DD), instants ISO UTC text; money is integer đồng.

CREATE TABLE org_node (
  id        {{pk}},
  code      TEXT NOT NULL UNIQUE,
  name      TEXT NOT NULL,
  level     TEXT NOT NULL CHECK (level IN ('group', 'corporation', 'company', 'unit')),
  parent_id BIGINT REFERENCES org_node(id),
  -- '/PA/PA01/PA0101/': a scope sees every node whose path starts with its own
  path      TEXT NOT NULL UNIQUE,
  created_at TEXT NOT NULL
);

CREATE TABLE customer (
  id         {{pk}},
  code       TEXT NOT NULL UNIQUE CHECK (length(code) = 13),
  unit_id    BIGINT NOT NULL REFERENCES org_node(id),
  name       TEXT NOT NULL CHECK (name <> ''),
  address    TEXT NOT NULL CHECK (address <> ''),
  phone      TEXT,
  route      TEXT,
  status     TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'disconnected', 'terminated')),
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
);
CREATE INDEX customer_unit ON customer(unit_id);
CREATE INDEX customer_phone ON customer(phone);
CREATE INDEX customer_route ON customer(route);

-- The terms that rate a customer. Append-only: a change is a new row valid from its date.
CREATE TABLE contract (
  id            {{pk}},
  customer_id   BIGINT NOT NULL REFERENCES customer(id),
  valid_from    TEXT NOT NULL,
  purpose       TEXT NOT NULL CHECK (purpose IN ('residential', 'production', 'business',
                                     'administrative_public', 'administrative_other')),
  voltage       TEXT CHECK (voltage IS NULL OR voltage IN ('<6kV', '6-22kV', '22-110kV', '>=110kV')),
  households    INTEGER NOT NULL DEFAULT 1 CHECK (households >= 1),
  renter        INTEGER NOT NULL DEFAULT 0 CHECK (renter IN (0, 1)),
  persons       INTEGER CHECK (persons IS NULL OR persons >= 1),
  tou           INTEGER NOT NULL DEFAULT 0 CHECK (tou IN (0, 1)),
  payment_mode  TEXT NOT NULL DEFAULT 'postpaid' CHECK (payment_mode IN ('postpaid', 'prepaid')),
  payment_term_days INTEGER NOT NULL DEFAULT 7 CHECK (payment_term_days BETWEEN 0 AND 90),
  periods_per_month INTEGER NOT NULL DEFAULT 1 CHECK (periods_per_month BETWEEN 1 AND 3),
  est_kwh_month BIGINT NOT NULL DEFAULT 0 CHECK (est_kwh_month >= 0),
  created_at    TEXT NOT NULL,
  UNIQUE (customer_id, valid_from)
);

CREATE TABLE meter (
  id           {{pk}},
  customer_id  BIGINT NOT NULL REFERENCES customer(id),
  serial       TEXT NOT NULL UNIQUE,
  registers    TEXT NOT NULL DEFAULT 'total' CHECK (registers IN ('total', 'tou')),
  multiplier   INTEGER NOT NULL DEFAULT 1 CHECK (multiplier >= 1),
  digits       INTEGER NOT NULL DEFAULT 6 CHECK (digits BETWEEN 4 AND 9),
  amr          INTEGER NOT NULL DEFAULT 0 CHECK (amr IN (0, 1)),
  installed_on TEXT NOT NULL,
  removed_on   TEXT
);
CREATE INDEX meter_customer ON meter(customer_id);

-- Folded name and address for search ("nguyen van duc ha dong"); rowid = customer.id. The
-- scope column holds the unit's org path as words ("pa pa01 pa0101") so that a search limited
-- to a subtree is one index query instead of a filter after ranking.
-- @sqlite
CREATE VIRTUAL TABLE customer_fts USING fts5(name, address, scope, tokenize = 'unicode61');
-- @end
-- @postgres
CREATE TABLE customer_fts (rowid BIGINT PRIMARY KEY REFERENCES customer(id),
                           name TEXT NOT NULL, address TEXT NOT NULL, scope TEXT NOT NULL);
-- @end

-- Hash-chained audit log: hash = SHA-256(prev_hash, id, at, actor, action, entity, entity_key,
-- detail). Rows are never updated or deleted.
CREATE TABLE audit_log (
  id         {{pk}},
  at         TEXT NOT NULL,
  actor      TEXT NOT NULL,
  action     TEXT NOT NULL,
  entity     TEXT NOT NULL,
  entity_key TEXT NOT NULL,
  detail     TEXT NOT NULL,
  prev_hash  TEXT NOT NULL,
  hash       TEXT NOT NULL UNIQUE
);
-- @sqlite
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
CREATE TRIGGER contract_no_update BEFORE UPDATE ON contract
BEGIN SELECT RAISE(ABORT, 'contract rows are append-only'); END;
-- @end
-- @postgres
CREATE FUNCTION pc_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION '% is append-only', TG_TABLE_NAME USING ERRCODE = 'integrity_constraint_violation';
END $$;
CREATE TRIGGER audit_log_no_change BEFORE UPDATE OR DELETE ON audit_log
  FOR EACH ROW EXECUTE FUNCTION pc_append_only();
CREATE TRIGGER contract_no_update BEFORE UPDATE ON contract
  FOR EACH ROW EXECUTE FUNCTION pc_append_only();
-- @end
-- @sqlite
-- Name matches weigh three times address matches in the ranking.
INSERT INTO customer_fts(customer_fts, rank) VALUES ('rank', 'bm25(3.0, 1.0, 0.0)');
-- @end
