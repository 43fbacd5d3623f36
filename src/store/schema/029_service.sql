-- Customer service requests (issue 11, docs/service.md): applications for new supply and for
-- changes of a contract, each going through its type's steps (data/service_types.json) with a
-- deadline in working days per step. service_request holds the state now (rewritten with every
-- event, like debt_case); service_request_event is the history and is never changed.

CREATE TABLE service_request (
  id                {{pk}},
  code              TEXT NOT NULL UNIQUE,
  type              TEXT NOT NULL,
  unit_id           BIGINT NOT NULL REFERENCES org_node(id),
  -- NULL for a new supply until it is finished and its customer created
  customer_id       BIGINT REFERENCES customer(id),
  applicant_name    TEXT NOT NULL CHECK (applicant_name <> ''),
  applicant_phone   TEXT NOT NULL,
  applicant_address TEXT NOT NULL,
  -- what the request asks for, as JSON ({"purpose": "business", "capacity_kva": "15", …})
  details           TEXT NOT NULL,
  source            TEXT NOT NULL CHECK (source IN ('staff', 'self')),
  status            TEXT NOT NULL CHECK (status IN ('open', 'waiting', 'finished', 'cancelled')),
  step_no           INTEGER NOT NULL,
  step              TEXT NOT NULL,
  step_owner        TEXT,
  step_started_on   TEXT NOT NULL,
  step_due_on       TEXT NOT NULL,
  -- "nguyên nhân vướng mắc": why it waits, while status = 'waiting'
  waiting_reason    TEXT,
  received_on       TEXT NOT NULL,
  due_on            TEXT NOT NULL,
  finished_on       TEXT,
  -- working days from received_on to finished_on, and whether that was by due_on
  working_days      INTEGER,
  within_deadline   INTEGER CHECK (within_deadline IS NULL OR within_deadline IN (0, 1)),
  created_at        TEXT NOT NULL,
  created_by        TEXT NOT NULL,
  updated_at        TEXT NOT NULL
);
-- The indicator report reads one month of received and of finished requests per unit, and the
-- requests open at the month's end (not finished, or finished later); both indexes cover their
-- queries completely, so a month of a million requests never touches the table.
CREATE INDEX service_request_received ON service_request(received_on, unit_id, type);
CREATE INDEX service_request_finished ON service_request(finished_on, received_on, status, unit_id, type,
                                                         working_days, within_deadline, waiting_reason);
CREATE INDEX service_request_open ON service_request(status, step_due_on);
CREATE INDEX service_request_customer ON service_request(customer_id);
CREATE INDEX service_request_phone ON service_request(applicant_phone);

CREATE TABLE service_request_event (
  id          {{pk}},
  request_id  BIGINT NOT NULL REFERENCES service_request(id),
  action      TEXT NOT NULL CHECK (action IN ('received', 'advanced', 'waiting', 'resumed', 'owner',
                                              'document', 'finished', 'cancelled', 'alerted')),
  step_no     INTEGER NOT NULL,
  step        TEXT NOT NULL,
  owner       TEXT,
  reason      TEXT,
  note        TEXT,
  on_date     TEXT NOT NULL,
  at          TEXT NOT NULL,
  by_user     TEXT NOT NULL
);
CREATE INDEX service_request_event_request ON service_request_event(request_id, id);

-- Documents of a request (ID scans, land-use papers, a signed contract). The bytes go to the
-- same content-addressed store as debt documents (schema/016_debt.sql); a new-supply applicant
-- is no customer yet, so the rows live here rather than in `document`, whose customer is
-- required. Attaching is append-only.
CREATE TABLE service_document (
  id          {{pk}},
  request_id  BIGINT NOT NULL REFERENCES service_request(id),
  kind        TEXT NOT NULL CHECK (kind IN ('id', 'land', 'contract', 'record', 'other')),
  title       TEXT NOT NULL,
  file_name   TEXT NOT NULL,
  media_type  TEXT NOT NULL CHECK (media_type IN ('application/pdf', 'image/jpeg', 'image/png')),
  size        BIGINT NOT NULL CHECK (size > 0),
  sha256      TEXT NOT NULL CHECK (length(sha256) = 64),
  added_at    TEXT NOT NULL,
  added_by    TEXT NOT NULL
);
CREATE INDEX service_document_request ON service_document(request_id);

-- @sqlite
CREATE TRIGGER service_request_event_no_update BEFORE UPDATE ON service_request_event
BEGIN SELECT RAISE(ABORT, 'request history is never edited'); END;
CREATE TRIGGER service_request_event_no_delete BEFORE DELETE ON service_request_event
BEGIN SELECT RAISE(ABORT, 'request history is never deleted'); END;
CREATE TRIGGER service_document_no_update BEFORE UPDATE ON service_document
BEGIN SELECT RAISE(ABORT, 'request documents are never edited'); END;
CREATE TRIGGER service_document_no_delete BEFORE DELETE ON service_document
BEGIN SELECT RAISE(ABORT, 'request documents are never deleted'); END;
CREATE TRIGGER service_request_no_delete BEFORE DELETE ON service_request
BEGIN SELECT RAISE(ABORT, 'requests are never deleted: cancel them'); END;
-- @end
-- @postgres
CREATE TRIGGER service_request_event_no_change BEFORE UPDATE OR DELETE ON service_request_event
  FOR EACH ROW EXECUTE FUNCTION pc_append_only();
CREATE TRIGGER service_document_no_change BEFORE UPDATE OR DELETE ON service_document
  FOR EACH ROW EXECUTE FUNCTION pc_append_only();
CREATE TRIGGER service_request_no_delete BEFORE DELETE ON service_request
  FOR EACH ROW EXECUTE FUNCTION pc_append_only();
-- @end
