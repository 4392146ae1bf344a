-- Search by name or code (一站式查询, 甘州 二(一)): trigram similarity ranks full, partial and
-- mistyped names; it works on Chinese text because a UTF-8 locale counts CJK characters as
-- word characters, so each run of three characters is a trigram. The GIN index serves the
-- substring (LIKE) and word-similarity (<%) filters of subgraphs/market/search.ts.
CREATE EXTENSION IF NOT EXISTS pg_trgm;
CREATE INDEX registration_name_trgm_idx ON registration USING gin (name gin_trgm_ops);
