-- PostgreSQL: the partitioned tables' primary keys (id, period) and (id, read_date) already serve
-- look-ups by id alone (id leads them), and the unique key (symbol, number, period) serves
-- look-ups by e-invoice number: three indexes every insert paid for, dropped.
-- @postgres
DROP INDEX IF EXISTS invoice_id;
DROP INDEX IF EXISTS invoice_number;
DROP INDEX IF EXISTS meter_read_id;
-- @end
