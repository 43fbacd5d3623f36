-- Phân kỳ control and AMR figures (DOMAIN 4, issue 7). The control sums every customer's invoice
-- kWh by period month over the last months: one covering index walks a customer's invoices of
-- a window of periods without reading the invoice rows (200,000 customers × 3 months in well
-- under the 2 s the report is allowed). kind, refers_to and symbol are in it so that replaced
-- invoices and ledger-only receivables (LEGACY, TRANSFER) are left out without a row read.
-- @sqlite
CREATE INDEX invoice_consumption ON invoice(customer_id, period, kwh, kind, refers_to, symbol);
-- @end
-- @postgres
CREATE INDEX invoice_consumption ON invoice(customer_id, period, kwh, kind, refers_to, symbol, id);
-- @end
