-- The monthly risk run (issue 10, docs/risk.md#speed) walks a month of allocations by date (late
-- payments: which invoice, how much) and a month of payments by date (whose, how much). With
-- the date alone in these indexes every row cost a second look-up in the table; with the
-- columns the walks read they are answered from the index (the same number of indexes to keep
-- up on each posting, a few bytes wider).
DROP INDEX payment_alloc_date;
CREATE INDEX payment_alloc_date ON payment_alloc(alloc_date, invoice_id, amount);
-- PostgreSQL has no payment_paid_date (020 made it for SQLite only: payments are partitioned by
-- the date there, 010).
-- @sqlite
DROP INDEX payment_paid_date;
CREATE INDEX payment_paid_date ON payment(paid_date, customer_id, amount);
-- @end
