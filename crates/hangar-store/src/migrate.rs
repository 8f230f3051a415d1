//! Numbered, embedded schema migrations, tracked in `PRAGMA user_version`.

use rusqlite::Connection;

use crate::{Error, Result};

/// One schema step: after it runs, `PRAGMA user_version` is `version`.
#[derive(Debug, Clone, Copy)]
pub struct Migration {
    /// The schema version this step produces (1, 2, …, no gaps).
    pub version: u32,
    /// The SQL, run as one batch.
    pub sql: &'static str,
}

/// Every migration, oldest first. Released files are never edited.
pub const MIGRATIONS: &[Migration] = &[
    Migration {
        version: 1,
        sql: include_str!("../migrations/0001_init.sql"),
    },
    Migration {
        version: 2,
        sql: include_str!("../migrations/0002_search.sql"),
    },
    Migration {
        version: 3,
        sql: include_str!("../migrations/0003_bulk_index.sql"),
    },
    Migration {
        version: 4,
        sql: include_str!("../migrations/0004_settings.sql"),
    },
    Migration {
        version: 5,
        sql: include_str!("../migrations/0005_lean_events.sql"),
    },
    Migration {
        version: 6,
        sql: include_str!("../migrations/0006_local.sql"),
    },
    Migration {
        version: 7,
        sql: include_str!("../migrations/0007_search_text.sql"),
    },
];

/// Brings the schema up to the newest of `migrations`, each step in its own transaction.
pub fn run(conn: &mut Connection, migrations: &[Migration]) -> Result<()> {
    let current: u32 = conn.query_row("PRAGMA user_version", [], |r| r.get(0))?;
    let known = migrations.last().map(|m| m.version).unwrap_or(0);
    if current > known {
        return Err(Error::TooNew {
            found: current,
            known,
        });
    }
    if migrations.iter().all(|m| m.version <= current) {
        return Ok(());
    }
    // Rebuilding a table (create new, copy, drop old, rename) must not fire the old table's
    // ON DELETE CASCADE, so keys are off while migrating (the pragma is a no-op inside a
    // transaction) and every step is checked for dangling references before it commits.
    conn.pragma_update(None, "foreign_keys", "OFF")?;
    let result = (|| {
        for migration in migrations.iter().filter(|m| m.version > current) {
            let step = |conn: &mut Connection| -> rusqlite::Result<()> {
                let tx = conn.transaction()?;
                tx.execute_batch(migration.sql)?;
                let dangling: i64 =
                    tx.query_row("SELECT count(*) FROM pragma_foreign_key_check", [], |r| {
                        r.get(0)
                    })?;
                if dangling > 0 {
                    return Err(rusqlite::Error::SqliteFailure(
                        rusqlite::ffi::Error::new(rusqlite::ffi::SQLITE_CONSTRAINT_FOREIGNKEY),
                        Some(format!("{dangling} rows refer to missing rows")),
                    ));
                }
                tx.pragma_update(None, "user_version", migration.version)?;
                tx.commit()
            };
            step(conn).map_err(|source| Error::Migration {
                version: migration.version,
                source,
            })?;
        }
        Ok(())
    })();
    conn.pragma_update(None, "foreign_keys", "ON")?;
    result
}
