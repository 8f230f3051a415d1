-- Schema 2: full-text search over every cached transcript (FTS5, external content = events).
CREATE VIRTUAL TABLE events_fts USING fts5(
    text,
    content = 'events',
    content_rowid = 'seq',
    tokenize = 'unicode61 remove_diacritics 2'
);
INSERT INTO events_fts(rowid, text) SELECT seq, text FROM events WHERE text <> '';

CREATE TRIGGER events_fts_insert AFTER INSERT ON events WHEN new.text <> '' BEGIN
    INSERT INTO events_fts(rowid, text) VALUES (new.seq, new.text);
END;
CREATE TRIGGER events_fts_delete AFTER DELETE ON events WHEN old.text <> '' BEGIN
    INSERT INTO events_fts(events_fts, rowid, text) VALUES ('delete', old.seq, old.text);
END;
