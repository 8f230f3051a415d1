-- Schema 5: leaner events, and a search index that stays fast as history grows.
-- * Sessions get an integer key; events refer to it instead of repeating two text ids, which
--   makes their two indexes small and fast to extend.
-- * Events no longer keep a second copy of their text. Search has its own contentless FTS5
--   index, split by age into shards (`search_<k>` holds seq k·2^shard_bits …), which
--   hangar-store creates as history grows and fills from `indexed_upto` on (search.rs).
-- * seq is never reused (ingest numbers events past `search_state.seq_high`, the highest ever
--   given): "every event after indexed_upto" is exactly what the index has yet to see.
-- Runs with foreign keys off (see migrate.rs) and is checked before it commits.

CREATE TABLE sessions_v5 (
    key              INTEGER PRIMARY KEY,
    profile_id       TEXT NOT NULL REFERENCES profiles(id) ON DELETE CASCADE,
    id               TEXT NOT NULL,
    title            TEXT,
    status           TEXT NOT NULL,
    agent_id         TEXT NOT NULL,
    agent_name       TEXT NOT NULL,
    agent_version    INTEGER NOT NULL,
    environment_id   TEXT NOT NULL,
    created_at       TEXT NOT NULL,
    created_us       INTEGER NOT NULL,
    updated_at       TEXT NOT NULL,
    archived_at      TEXT,
    last_activity_us INTEGER NOT NULL,
    input_tokens     INTEGER NOT NULL DEFAULT 0,
    output_tokens    INTEGER NOT NULL DEFAULT 0,
    raw              TEXT NOT NULL,
    UNIQUE (profile_id, id)
) STRICT;
INSERT INTO sessions_v5 (profile_id, id, title, status, agent_id, agent_name, agent_version,
        environment_id, created_at, created_us, updated_at, archived_at, last_activity_us,
        input_tokens, output_tokens, raw)
    SELECT profile_id, id, title, status, agent_id, agent_name, agent_version, environment_id,
        created_at, created_us, updated_at, archived_at, last_activity_us, input_tokens,
        output_tokens, raw
    FROM sessions ORDER BY rowid;

CREATE TABLE events_v5 (
    seq          INTEGER PRIMARY KEY,
    session_key  INTEGER NOT NULL REFERENCES sessions(key) ON DELETE CASCADE,
    id           TEXT NOT NULL,
    type         TEXT NOT NULL,
    processed_at TEXT,
    at_us        INTEGER NOT NULL,
    raw          TEXT NOT NULL
) STRICT;
INSERT INTO events_v5 (seq, session_key, id, type, processed_at, at_us, raw)
    SELECT e.seq, s.key, e.id, e.type, e.processed_at, e.at_us, e.raw
    FROM events e JOIN sessions_v5 s ON s.profile_id = e.profile_id AND s.id = e.session_id
    ORDER BY e.seq;

DROP TRIGGER events_fts_delete;
DROP TABLE events_fts;
DROP TABLE events;
DROP TABLE sessions;
ALTER TABLE sessions_v5 RENAME TO sessions;
ALTER TABLE events_v5 RENAME TO events;
CREATE INDEX sessions_by_created ON sessions (profile_id, created_us DESC, id DESC);
CREATE UNIQUE INDEX events_by_id ON events (session_key, id);
CREATE INDEX events_in_order ON events (session_key, at_us, seq);

-- The search index's bookkeeping: every event with seq <= indexed_upto is indexed.
CREATE TABLE search_state (
    id           INTEGER PRIMARY KEY CHECK (id = 1),
    indexed_upto INTEGER NOT NULL,
    seq_high     INTEGER NOT NULL,
    shard_bits   INTEGER NOT NULL
) STRICT;
INSERT INTO search_state (id, indexed_upto, seq_high, shard_bits)
    VALUES (1, 0, (SELECT coalesce(max(seq), 0) FROM events), 16);
CREATE TABLE search_shards (
    k INTEGER PRIMARY KEY
) STRICT;
