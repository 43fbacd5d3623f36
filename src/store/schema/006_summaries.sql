-- Summaries by unit that a group database reads from each corporation's database through
-- postgres_fdw (DOMAIN 14: one database per corporation, one view of the group). Plain views,
-- so they are always current and cost nothing until read.
CREATE VIEW unit_customers AS
SELECT u.code AS unit, u.name AS unit_name, p.code AS company,
       count(cu.id) AS customers,
       sum(CASE WHEN k.purpose = 'residential' THEN 1 ELSE 0 END) AS residential,
       sum(CASE WHEN k.purpose <> 'residential' THEN 1 ELSE 0 END) AS nonresidential
FROM org_node u
JOIN org_node p ON p.id = u.parent_id
JOIN customer cu ON cu.unit_id = u.id
JOIN contract k ON k.id = (SELECT id FROM contract WHERE customer_id = cu.id ORDER BY valid_from DESC LIMIT 1)
WHERE u.level = 'unit'
GROUP BY u.code, u.name, p.code;

CREATE VIEW unit_billing AS
SELECT u.code AS unit, i.period AS period, count(*) AS invoices, sum(i.kwh) AS kwh,
       sum(i.energy) AS energy, sum(i.vat) AS vat, sum(i.total) AS total
FROM invoice i
JOIN org_node u ON u.id = i.unit_id
GROUP BY u.code, i.period;

-- In a group database: the corporations attached with `powercis group attach`.
CREATE TABLE group_member (
  code        TEXT PRIMARY KEY,
  url         TEXT NOT NULL,
  attached_at TEXT NOT NULL,
  attached_by TEXT NOT NULL
);
