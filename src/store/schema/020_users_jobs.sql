-- Staff accounts (the managers who receive the daily digest; issue 8 adds their passwords and
-- sessions) and the scheduler's record of job runs.

-- A person who works in the system, with a role and a scope node: the subtree it sees. An
-- account is state, not history: it is updated in place and every change is audited.
CREATE TABLE app_user (
  id         {{pk}},
  login      TEXT NOT NULL UNIQUE CHECK (login <> ''),
  name       TEXT NOT NULL CHECK (name <> ''),
  role       TEXT NOT NULL CHECK (role IN ('administrator', 'corporation', 'company', 'unit_officer', 'cashier',
                                           'partner', 'auditor', 'read_only')),
  scope_id   BIGINT NOT NULL REFERENCES org_node(id),
  email      TEXT,
  phone      TEXT,
  chat_url   TEXT,
  lang       TEXT NOT NULL DEFAULT 'vi' CHECK (lang IN ('vi', 'en')),
  digest     INTEGER NOT NULL DEFAULT 0 CHECK (digest IN (0, 1)),
  disabled   INTEGER NOT NULL DEFAULT 0 CHECK (disabled IN (0, 1)),
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
);

-- One row per run of a scheduled job for one slot ("2026-11-24" for a daily job, the minute for
-- a frequent one). The UNIQUE key is what makes a slot run once across processes and restarts:
-- whoever inserts the row runs the job; a row left 'running' by a process that died is taken
-- over after a while (app/scheduler.c).
CREATE TABLE job_run (
  id          {{pk}},
  job         TEXT NOT NULL,
  slot        TEXT NOT NULL,
  status      TEXT NOT NULL CHECK (status IN ('running', 'done', 'failed')),
  started_at  TEXT NOT NULL,
  finished_at TEXT,
  runner      TEXT NOT NULL,
  detail      TEXT NOT NULL DEFAULT '',
  UNIQUE (job, slot)
);
CREATE INDEX job_run_job ON job_run(job, started_at);

-- The digest's "yesterday's collection" reads payments by day.
-- @sqlite
CREATE INDEX payment_paid_date ON payment(paid_date);
-- @end
