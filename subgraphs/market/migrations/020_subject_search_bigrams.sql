-- Typo-tolerant search of short name parts (issue 16's review, finding 6). Trigrams cannot carry
-- a short Chinese query: in a six-character query one wrong character removes three of its seven
-- trigrams, and what remains (the city's) matches every subject of that city equally. Pairs of
-- characters (bigrams) lose at most two of five, so the name that shares the other three stands
-- out. The pairs of each registered name are stored and indexed (GIN, array overlap), and
-- subgraphs/market/search.ts counts the shared pairs of the candidates the index finds.
-- A code's start is looked up with a pattern index (the cluster's C.UTF-8 collation does not
-- serve LIKE 'prefix%' from the primary key).

-- The distinct pairs of adjacent characters of a text, sorted; none that holds whitespace.
CREATE FUNCTION text_bigrams(input text) RETURNS text[]
  LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
BEGIN ATOMIC
  SELECT coalesce(array_agg(DISTINCT substr(input, i, 2) ORDER BY substr(input, i, 2)), '{}')
    FROM generate_series(1, char_length(input) - 1) AS i
   WHERE substr(input, i, 2) !~ '\s';
END;

-- How many of the pairs `wanted` a text's pairs hold.
CREATE FUNCTION bigram_overlap(pairs text[], wanted text[]) RETURNS integer
  LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
BEGIN ATOMIC
  SELECT count(*)::integer FROM unnest(pairs) AS pair WHERE pair = ANY (wanted);
END;

ALTER TABLE registration ADD COLUMN name_bigrams text[] GENERATED ALWAYS AS (text_bigrams(name)) STORED;
CREATE INDEX registration_name_bigrams_idx ON registration USING gin (name_bigrams);
CREATE INDEX registration_code_prefix_idx ON registration (subject_code text_pattern_ops);
