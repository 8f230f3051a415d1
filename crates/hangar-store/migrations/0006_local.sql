-- Schema 6: what only this computer knows about a session: pinned, imported from a file.
-- Keyed by the session's ids, not its row, so a pin survives clearing the cache and the
-- session refilling from the API.
CREATE TABLE session_local (
    profile_id   TEXT NOT NULL REFERENCES profiles(id) ON DELETE CASCADE,
    session_id   TEXT NOT NULL,
    pinned_at_us INTEGER,
    imported_at  TEXT,
    PRIMARY KEY (profile_id, session_id)
) STRICT;
