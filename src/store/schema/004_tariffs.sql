-- Tariff files loaded with `powercis tariff load`: a new price decision is a data change, no
-- rebuild. Append-only: the newest version of each file is in force; older ones stay as history.
CREATE TABLE tariff_file (
  id        {{pk}},
  name      TEXT NOT NULL CHECK (name IN ('residential.json', 'nonresidential.json', 'vat.json', 'solar.json')),
  sha256    TEXT NOT NULL,
  content   TEXT NOT NULL,
  loaded_at TEXT NOT NULL,
  loaded_by TEXT NOT NULL
);
CREATE INDEX tariff_file_name ON tariff_file(name, id);
