-- Schema 4: app settings (the active profile, theme, …). Never a secret.
CREATE TABLE settings (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
) STRICT;
