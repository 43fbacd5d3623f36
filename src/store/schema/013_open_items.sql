-- The open items: every invoice with something left to pay and how much, kept as invoices are
-- issued and payments and reversals allocated. A cache for speed (the counter, partners' look-ups,
-- allocation): the history stays in payment_alloc, from which `powercis check` recomputes it and
-- from which reports as of a past date are made (DOMAIN 9). A settled invoice leaves the table; a
-- reversal brings it back. Not append-only, unlike everything it is derived from.
CREATE TABLE open_item (
  invoice_id  BIGINT PRIMARY KEY,
  customer_id BIGINT NOT NULL REFERENCES customer(id),
  period      TEXT NOT NULL,
  due_date    TEXT NOT NULL,
  number      BIGINT NOT NULL,
  open        BIGINT NOT NULL CHECK (open > 0)
);
CREATE INDEX open_item_customer ON open_item(customer_id, due_date, number);

INSERT INTO open_item (invoice_id, customer_id, period, due_date, number, open)
SELECT * FROM (SELECT i.id, i.customer_id, i.period, i.due_date, i.number,
                      i.total - i.credit_applied - COALESCE((SELECT sum(a.amount) FROM payment_alloc a WHERE a.invoice_id = i.id), 0) AS open
               FROM invoice i) x
WHERE open > 0;
