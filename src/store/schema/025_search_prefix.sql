-- SQLite: customer_fts rebuilt with FTS5 prefix indexes for prefixes of 2 to 6 letters (issue 8:
-- name search p99 <= 30 ms on 1,000,000 customers). The search takes the last word typed as a
-- prefix ("nguyen van du" finds "duc", "dung"...); without a prefix index FTS5 answers "du"* by
-- reading and merging the whole doclist of every word starting so, in every column, before the
-- first hit (20-250 ms for a word that stands in many addresses, like "huyen"). With it, "du"* is
-- one more doclist read as far as the hits need. Folded Vietnamese syllables have at most 7 letters
-- and those of 7 are rare, so a longer prefix matches few rows and is merged quickly. The price:
-- the index is about three times larger (93 MB -> 300 MB on 1,000,000 demo customers) and this
-- migration rewrites it (about 20 s there). FTS5 cannot add a prefix index to a table, hence the
-- copy. PostgreSQL has its trigram indexes (007), which serve prefixes already.
-- @sqlite
CREATE VIRTUAL TABLE customer_fts_new USING fts5(name, address, scope, tokenize = 'unicode61',
                                                 prefix = '2 3 4 5 6');
INSERT INTO customer_fts_new (rowid, name, address, scope)
  SELECT rowid, name, address, scope FROM customer_fts;
DROP TABLE customer_fts;
ALTER TABLE customer_fts_new RENAME TO customer_fts;
-- Name matches weigh three times address matches in the ranking (as in 001).
INSERT INTO customer_fts(customer_fts, rank) VALUES ('rank', 'bm25(3.0, 1.0, 0.0)');
-- @end
