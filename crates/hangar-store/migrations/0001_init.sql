-- Hangar cache, schema 1. Released migrations are never edited: add a new numbered file instead.
-- Every table is partitioned by profile_id, so switching profile switches the whole cache.

CREATE TABLE profiles (
    id          TEXT PRIMARY KEY,
    name        TEXT NOT NULL,
    base_url    TEXT NOT NULL,
    is_demo     INTEGER NOT NULL DEFAULT 0,
    created_at  TEXT NOT NULL
) STRICT;

CREATE TABLE agents (
    profile_id  TEXT NOT NULL REFERENCES profiles(id) ON DELETE CASCADE,
    id          TEXT NOT NULL,
    name        TEXT NOT NULL,
    model       TEXT NOT NULL,
    version     INTEGER NOT NULL,
    updated_at  TEXT,
    archived_at TEXT,
    raw         TEXT NOT NULL,
    PRIMARY KEY (profile_id, id)
) STRICT;

CREATE TABLE agent_versions (
    profile_id  TEXT NOT NULL,
    agent_id    TEXT NOT NULL,
    version     INTEGER NOT NULL,
    raw         TEXT NOT NULL,
    PRIMARY KEY (profile_id, agent_id, version),
    FOREIGN KEY (profile_id, agent_id) REFERENCES agents(profile_id, id) ON DELETE CASCADE
) STRICT;

CREATE TABLE environments (
    profile_id  TEXT NOT NULL REFERENCES profiles(id) ON DELETE CASCADE,
    id          TEXT NOT NULL,
    name        TEXT NOT NULL,
    updated_at  TEXT,
    archived_at TEXT,
    raw         TEXT NOT NULL,
    PRIMARY KEY (profile_id, id)
) STRICT;

CREATE TABLE vaults (
    profile_id   TEXT NOT NULL REFERENCES profiles(id) ON DELETE CASCADE,
    id           TEXT NOT NULL,
    display_name TEXT NOT NULL,
    updated_at   TEXT,
    archived_at  TEXT,
    raw          TEXT NOT NULL,
    PRIMARY KEY (profile_id, id)
) STRICT;

-- Credential metadata only: the API never returns a secret and Hangar never stores one.
CREATE TABLE credentials (
    profile_id   TEXT NOT NULL,
    id           TEXT NOT NULL,
    vault_id     TEXT NOT NULL,
    display_name TEXT,
    auth_type    TEXT NOT NULL,
    updated_at   TEXT,
    archived_at  TEXT,
    raw          TEXT NOT NULL,
    PRIMARY KEY (profile_id, id),
    FOREIGN KEY (profile_id, vault_id) REFERENCES vaults(profile_id, id) ON DELETE CASCADE
) STRICT;

CREATE TABLE skills (
    profile_id   TEXT NOT NULL REFERENCES profiles(id) ON DELETE CASCADE,
    id           TEXT NOT NULL,
    display_name TEXT NOT NULL,
    raw          TEXT NOT NULL,
    PRIMARY KEY (profile_id, id)
) STRICT;

CREATE TABLE files (
    profile_id  TEXT NOT NULL REFERENCES profiles(id) ON DELETE CASCADE,
    id          TEXT NOT NULL,
    filename    TEXT NOT NULL,
    size_bytes  INTEGER NOT NULL,
    created_at  TEXT NOT NULL,
    raw         TEXT NOT NULL,
    PRIMARY KEY (profile_id, id)
) STRICT;

CREATE TABLE sessions (
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
    PRIMARY KEY (profile_id, id)
) STRICT;
CREATE INDEX sessions_by_created ON sessions (profile_id, created_us DESC, id DESC);

-- One row per persisted event. `seq` is arrival order; the transcript is ordered by the server's
-- processed_at (`at_us`), arrival breaking ties, so an event that arrives late lands in place.
CREATE TABLE events (
    seq          INTEGER PRIMARY KEY,
    profile_id   TEXT NOT NULL,
    session_id   TEXT NOT NULL,
    id           TEXT NOT NULL,
    type         TEXT NOT NULL,
    processed_at TEXT,
    at_us        INTEGER NOT NULL,
    raw          TEXT NOT NULL,
    text         TEXT NOT NULL,
    UNIQUE (profile_id, id),
    FOREIGN KEY (profile_id, session_id) REFERENCES sessions(profile_id, id) ON DELETE CASCADE
) STRICT;
CREATE INDEX events_in_order ON events (profile_id, session_id, at_us, seq);

CREATE TABLE list_sync (
    profile_id   TEXT NOT NULL REFERENCES profiles(id) ON DELETE CASCADE,
    list         TEXT NOT NULL,
    refreshed_at TEXT NOT NULL,
    PRIMARY KEY (profile_id, list)
) STRICT;

CREATE TABLE session_sync (
    profile_id       TEXT NOT NULL,
    session_id       TEXT NOT NULL,
    last_event_id    TEXT,
    history_complete INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (profile_id, session_id),
    FOREIGN KEY (profile_id, session_id) REFERENCES sessions(profile_id, id) ON DELETE CASCADE
) STRICT;
