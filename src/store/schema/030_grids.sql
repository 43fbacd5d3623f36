-- Service grids and account managers (issue 11 item 4, docs/grids.md): a grid is a group of
-- customers of one unit looked after by its account managers. Who manages a grid and which grid
-- a customer belongs to are dated histories, append-only: a change is a new row from its date.

-- The role of an account manager: the staff account that works a grid's customers. SQLite
-- cannot change a CHECK in place, so app_user is rebuilt; its sessions are set aside first (a
-- DROP with foreign keys on would refuse them) and put back once the new table has the name.
-- @sqlite
CREATE TEMP TABLE user_session_keep AS SELECT * FROM user_session;
DELETE FROM user_session;
CREATE TABLE app_user_030 (
  id         INTEGER PRIMARY KEY,
  login      TEXT NOT NULL UNIQUE CHECK (login <> ''),
  name       TEXT NOT NULL CHECK (name <> ''),
  role       TEXT NOT NULL CHECK (role IN ('administrator', 'corporation', 'company', 'unit_officer', 'cashier',
                                           'partner', 'auditor', 'read_only', 'account_manager')),
  scope_id   BIGINT NOT NULL REFERENCES org_node(id),
  email      TEXT,
  phone      TEXT,
  chat_url   TEXT,
  lang       TEXT NOT NULL DEFAULT 'vi' CHECK (lang IN ('vi', 'en')),
  digest     INTEGER NOT NULL DEFAULT 0 CHECK (digest IN (0, 1)),
  disabled   INTEGER NOT NULL DEFAULT 0 CHECK (disabled IN (0, 1)),
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  password_hash TEXT
);
INSERT INTO app_user_030 (id, login, name, role, scope_id, email, phone, chat_url, lang, digest, disabled, created_at,
                          updated_at, password_hash)
SELECT id, login, name, role, scope_id, email, phone, chat_url, lang, digest, disabled, created_at, updated_at,
       password_hash FROM app_user;
DROP TABLE app_user;
ALTER TABLE app_user_030 RENAME TO app_user;
INSERT INTO user_session SELECT * FROM user_session_keep;
DROP TABLE user_session_keep;
-- @end
-- @postgres
ALTER TABLE app_user DROP CONSTRAINT app_user_role_check;
ALTER TABLE app_user ADD CONSTRAINT app_user_role_check
  CHECK (role IN ('administrator', 'corporation', 'company', 'unit_officer', 'cashier', 'partner', 'auditor',
                  'read_only', 'account_manager'));
-- @end

-- A service grid (lưới dịch vụ): a code unique in the company, a name, the unit whose customers
-- it holds. The row itself is not history (a grid is not renamed by the program).
CREATE TABLE grid (
  id         {{pk}},
  code       TEXT NOT NULL UNIQUE CHECK (code <> ''),
  name       TEXT NOT NULL CHECK (name <> ''),
  unit_id    BIGINT NOT NULL REFERENCES org_node(id),
  created_at TEXT NOT NULL,
  created_by TEXT NOT NULL
);
CREATE INDEX grid_unit ON grid(unit_id);

-- Who manages a grid from valid_from: the latest row of a (grid, user) pair on a date says
-- whether the user manages the grid then (active 1) or no longer does (active 0). A grid may have
-- several managers and a manager several grids (State Grid Sichuan: 103 grids, 440 managers).
CREATE TABLE grid_manager (
  id         {{pk}},
  grid_id    BIGINT NOT NULL REFERENCES grid(id),
  user_id    BIGINT NOT NULL REFERENCES app_user(id),
  valid_from TEXT NOT NULL,
  active     INTEGER NOT NULL CHECK (active IN (0, 1)),
  created_at TEXT NOT NULL,
  created_by TEXT NOT NULL
);
CREATE INDEX grid_manager_grid ON grid_manager(grid_id, user_id, valid_from);
CREATE INDEX grid_manager_user ON grid_manager(user_id, grid_id, valid_from);

-- Which grid a customer belongs to from valid_from: its latest row on a date (valid_from, then
-- id) names the grid; grid_id NULL takes it out of every grid. source: how the row came
-- ('route:R01' from a route list, 'list' from a list of codes, 'import' from a file).
CREATE TABLE grid_customer (
  id          {{pk}},
  customer_id BIGINT NOT NULL REFERENCES customer(id),
  grid_id     BIGINT REFERENCES grid(id),
  valid_from  TEXT NOT NULL,
  source      TEXT NOT NULL,
  created_at  TEXT NOT NULL,
  created_by  TEXT NOT NULL
);
CREATE INDEX grid_customer_customer ON grid_customer(customer_id, valid_from, id);
CREATE INDEX grid_customer_grid ON grid_customer(grid_id, customer_id);
