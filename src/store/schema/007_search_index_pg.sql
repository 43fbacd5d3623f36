-- PostgreSQL: trigram indexes so that the LIKE search on folded words (customer_repo.c) does not
-- scan the whole table. SQLite has its FTS5 index already (001).
-- @postgres
CREATE EXTENSION IF NOT EXISTS pg_trgm;
CREATE INDEX customer_fts_name_trgm ON customer_fts USING gin ((' ' || name || ' ') gin_trgm_ops);
CREATE INDEX customer_fts_all_trgm ON customer_fts USING gin ((' ' || name || ' ' || address || ' ') gin_trgm_ops);
-- @end
