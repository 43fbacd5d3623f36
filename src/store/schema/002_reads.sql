-- Meter reads and the files they came from.

-- Every imported file, by content hash: the same file twice changes nothing the second time.
CREATE TABLE import_file (
  id          {{pk}},
  kind        TEXT NOT NULL,
  sha256      TEXT NOT NULL,
  name        TEXT NOT NULL,
  rows        BIGINT NOT NULL,
  imported_at TEXT NOT NULL,
  imported_by TEXT NOT NULL,
  UNIQUE (kind, sha256)
);

-- One read of one meter on one day. Indexes are as read on the register (before the multiplier);
-- kwh_* is the consumption since the meter's previous read, multiplier applied (NULL for an
-- 'initial' read of a newly installed meter, and for a backwards index waiting for correction).
-- kind: 'regular' (the route's read), 'initial' (a new meter's first index), 'final' (the
-- removed meter's last index). A correction is a new row that supersedes the old one.
CREATE TABLE meter_read (
  id            {{pk}},
  customer_id   BIGINT NOT NULL REFERENCES customer(id),
  meter_id      BIGINT NOT NULL REFERENCES meter(id),
  read_date     TEXT NOT NULL,
  kind          TEXT NOT NULL DEFAULT 'regular' CHECK (kind IN ('regular', 'initial', 'final')),
  idx_total     BIGINT CHECK (idx_total >= 0),
  idx_normal    BIGINT CHECK (idx_normal >= 0),
  idx_peak      BIGINT CHECK (idx_peak >= 0),
  idx_offpeak   BIGINT CHECK (idx_offpeak >= 0),
  prev_read_id  BIGINT REFERENCES meter_read(id),
  kwh_total     BIGINT,
  kwh_normal    BIGINT,
  kwh_peak      BIGINT,
  kwh_offpeak   BIGINT,
  status        TEXT NOT NULL CHECK (status IN ('ok', 'flagged', 'approved', 'superseded')),
  flags         TEXT NOT NULL DEFAULT '',
  note          TEXT,
  source        TEXT NOT NULL,
  supersedes_id BIGINT REFERENCES meter_read(id),
  created_at    TEXT NOT NULL,
  created_by    TEXT NOT NULL
);
CREATE UNIQUE INDEX meter_read_one ON meter_read(meter_id, read_date, kind) WHERE status <> 'superseded';
CREATE INDEX meter_read_customer ON meter_read(customer_id, read_date);
CREATE INDEX meter_read_flagged ON meter_read(status) WHERE status = 'flagged';
