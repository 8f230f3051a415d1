-- Schema 7: a search reads less.
-- * Each search shard knows the span of server time (`at_us`) of the events it holds, so a
--   search filtered by date skips the shards that cannot match, and "newest first" stops once
--   no shard left can hold anything newer. NULL means unknown (never skipped). Shards indexed
--   before this version take the span of every event in their range of seq: wider than what
--   they index (events without text are not indexed), never narrower.
-- * search_text keeps the search form of every event indexed from now on (what its shard
--   indexed: folded words, one space apart) with the session and the time a search filters
--   by. Ranking, filtering and checking a prefix read these short rows instead of the events'
--   raw JSON. Shards created from now on hold only such events (`text_kept`); older shards
--   are searched as before, through the raw JSON.
ALTER TABLE search_shards ADD COLUMN min_at_us INTEGER;
ALTER TABLE search_shards ADD COLUMN max_at_us INTEGER;
ALTER TABLE search_shards ADD COLUMN text_kept INTEGER NOT NULL DEFAULT 0;
UPDATE search_shards SET
    min_at_us = (SELECT min(at_us) FROM events
                 WHERE seq >= (search_shards.k << (SELECT shard_bits FROM search_state))
                   AND seq < ((search_shards.k + 1) << (SELECT shard_bits FROM search_state))),
    max_at_us = (SELECT max(at_us) FROM events
                 WHERE seq >= (search_shards.k << (SELECT shard_bits FROM search_state))
                   AND seq < ((search_shards.k + 1) << (SELECT shard_bits FROM search_state)));

CREATE TABLE search_text (
    seq         INTEGER PRIMARY KEY,
    session_key INTEGER NOT NULL,
    at_us       INTEGER NOT NULL,
    form        TEXT NOT NULL
) STRICT;
CREATE TRIGGER search_text_forget AFTER DELETE ON events
    BEGIN DELETE FROM search_text WHERE seq = old.seq; END;
