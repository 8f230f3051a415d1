//! Hangar's local cache: profiles, resources, sessions and every session event in SQLite.
//!
//! The cache is a copy: everything in it can be fetched again from the API, which is why a
//! cleared session simply refills from history. What it adds is speed and offline reading:
//! transcripts open from disk, page by page, and are searchable with FTS5.
//!
//! Invariants:
//! - nothing secret is ever stored: no API key, no credential secret (the API never returns one);
//! - an event is stored once (by id), exactly as received (`raw`), in server order;
//! - migrations run inside one transaction: a failed upgrade leaves the old file untouched.
#![warn(missing_docs)]

mod archive;
mod export;
mod local;
mod migrate;
mod resources;
mod search;
mod sessions;
mod text;
mod time;
mod transcript;
mod usage;
mod words;
mod zip;

use std::path::Path;
use std::time::Duration;

use rusqlite::Connection;

pub use archive::{ImportOutcome, SessionExport, EXPORT_FORMAT};
pub use local::CacheSize;
pub use migrate::{Migration, MIGRATIONS};
pub use resources::{CachedResource, ResourceKind};
pub use search::{Fragment, SearchHit, SearchOptions, SearchOrder, INDEX_BATCH, RANK_WINDOW};
pub use sessions::{SessionFilter, SessionPage, SessionRow};
pub use text::{event_markdown, event_text};
pub use time::{format_rfc3339_us, parse_rfc3339_us};
pub use transcript::{Anchor, Cursor, IngestOutcome, ResumePoint, StoredEvent, TranscriptPage};
pub use usage::{UsageGroup, UsageSummary};
pub use zip::{read_zip, ZipWriter};

/// Everything that can go wrong in the store.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// SQLite reported a failure (including a full disk: `SQLITE_FULL`).
    #[error("local cache: {0}")]
    Sqlite(#[from] rusqlite::Error),
    /// The database was written by a newer Hangar; it is left untouched.
    #[error("the local cache was created by a newer version of Hangar (schema {found}, this version knows up to {known}); it was left untouched")]
    TooNew {
        /// Schema version in the file.
        found: u32,
        /// Newest schema this build knows.
        known: u32,
    },
    /// A migration failed; the file is as it was before the attempt.
    #[error("upgrading the local cache to schema {version} failed, the old cache is untouched: {source}")]
    Migration {
        /// The migration that failed.
        version: u32,
        /// Why.
        source: rusqlite::Error,
    },
    /// An event or object was not the JSON the API sends.
    #[error("malformed {what}: {detail}")]
    Malformed {
        /// What was being read.
        what: &'static str,
        /// What was wrong.
        detail: String,
    },
    /// Something referred to a session the cache does not hold.
    #[error("session {0} is not in the local cache")]
    UnknownSession(String),
}

impl Error {
    /// True when the disk (or the database's size limit) is full.
    pub fn is_disk_full(&self) -> bool {
        matches!(self, Error::Sqlite(rusqlite::Error::SqliteFailure(e, _)) if e.code == rusqlite::ErrorCode::DiskFull)
    }
}

/// Result alias of this crate.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Prepared statements kept at first (the search grows it with the history).
const STATEMENT_CACHE: usize = 256;

/// An open cache. Not `Sync`: the app keeps one behind a mutex (or one per thread).
pub struct Store {
    conn: Connection,
    /// Search forms of events this connection stored that the index has yet to see, oldest
    /// first: saves reading and parsing them again when they are indexed (see search.rs).
    unindexed: std::cell::RefCell<std::collections::VecDeque<(i64, String)>>,
    /// The prepared-statement cache's capacity, grown with the search shards (search.rs).
    statement_capacity: std::cell::Cell<usize>,
}

impl std::fmt::Debug for Store {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Store")
            .field("path", &self.conn.path())
            .finish()
    }
}

impl Store {
    /// Opens (creating if needed) the cache at `path` and brings its schema up to date.
    pub fn open(path: impl AsRef<Path>) -> Result<Self> {
        Self::open_with(Connection::open(path)?, MIGRATIONS)
    }

    /// A private in-memory cache (tests, and a fallback when the disk cannot be used).
    pub fn open_in_memory() -> Result<Self> {
        Self::open_with(Connection::open_in_memory()?, MIGRATIONS)
    }

    /// Opens with an explicit migration list: how the tests prove upgrades from every version.
    pub fn open_with_migrations(path: impl AsRef<Path>, migrations: &[Migration]) -> Result<Self> {
        Self::open_with(Connection::open(path)?, migrations)
    }

    fn open_with(mut conn: Connection, migrations: &[Migration]) -> Result<Self> {
        conn.busy_timeout(Duration::from_secs(5))?;
        // Room for every statement, including two per search shard (the default holds 16).
        conn.set_prepared_statement_cache_capacity(STATEMENT_CACHE);
        // 8 KiB pages for a new file (an existing one keeps its own): events are a few hundred
        // bytes of JSON each; bigger pages mean fewer splits and less b-tree work per event.
        conn.pragma_update(None, "page_size", 8192)?;
        // WAL: readers never block the writer. NORMAL sync is durable against a killed process
        // (the crash test proves it); only an OS crash can lose the last commits.
        let _mode: String = conn.query_row("PRAGMA journal_mode = WAL", [], |r| r.get(0))?;
        conn.pragma_update(None, "synchronous", "NORMAL")?;
        conn.pragma_update(None, "foreign_keys", "ON")?;
        migrate::run(&mut conn, migrations)?;
        Ok(Self {
            conn,
            unindexed: Default::default(),
            statement_capacity: std::cell::Cell::new(STATEMENT_CACHE),
        })
    }

    /// The schema version of the open file.
    pub fn schema_version(&self) -> Result<u32> {
        Ok(self
            .conn
            .query_row("PRAGMA user_version", [], |r| r.get(0))?)
    }

    /// `PRAGMA integrity_check`, then FTS5's own check of every search shard: "ok" when the
    /// file is sound, else the first problem found.
    pub fn integrity_check(&self) -> Result<String> {
        let result: String = self
            .conn
            .query_row("PRAGMA integrity_check", [], |r| r.get(0))?;
        if result != "ok" {
            return Ok(result);
        }
        for k in self.search_shards()? {
            let check =
                format!("INSERT INTO search_{k} (search_{k}, rank) VALUES ('integrity-check', 0)");
            if let Err(e) = self.conn.execute(&check, []) {
                return Ok(format!("search shard {k}: {e}"));
            }
        }
        Ok(result)
    }

    /// Adds or renames a profile (never its key: keys live in the OS keychain).
    pub fn upsert_profile(
        &self,
        id: &str,
        name: &str,
        base_url: &str,
        is_demo: bool,
    ) -> Result<()> {
        self.conn.execute(
            "INSERT INTO profiles (id, name, base_url, is_demo, created_at) VALUES (?1, ?2, ?3, ?4, datetime('now'))
             ON CONFLICT(id) DO UPDATE SET name = excluded.name, base_url = excluded.base_url, is_demo = excluded.is_demo",
            rusqlite::params![id, name, base_url, is_demo],
        )?;
        Ok(())
    }

    /// Every profile: `(id, name, base_url, is_demo)`, Demo first then by name.
    pub fn list_profiles(&self) -> Result<Vec<(String, String, String, bool)>> {
        let mut stmt = self.conn.prepare_cached("SELECT id, name, base_url, is_demo FROM profiles ORDER BY is_demo DESC, name COLLATE NOCASE, id")?;
        let rows = stmt
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(rows)
    }

    /// A setting's value.
    pub fn setting(&self, key: &str) -> Result<Option<String>> {
        use rusqlite::OptionalExtension;
        Ok(self
            .conn
            .query_row("SELECT value FROM settings WHERE key = ?1", [key], |r| {
                r.get(0)
            })
            .optional()?)
    }

    /// Sets a setting (never a secret).
    pub fn set_setting(&self, key: &str, value: &str) -> Result<()> {
        self.conn.execute(
            "INSERT INTO settings (key, value) VALUES (?1, ?2) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
            [key, value],
        )?;
        Ok(())
    }

    /// Removes a profile and everything cached for it.
    pub fn delete_profile(&self, id: &str) -> Result<()> {
        self.conn
            .execute("DELETE FROM profiles WHERE id = ?1", [id])?;
        Ok(())
    }

    /// Drops every cached session and event of `profile` (they refill from the API), except
    /// sessions imported from a file, which exist nowhere else.
    pub fn clear_sessions(&self, profile: &str) -> Result<()> {
        self.clear_cache(profile, true).map(drop)
    }

    /// Records that `list` (e.g. "agents") was refreshed from the API at `when` (RFC 3339).
    pub fn mark_list_refreshed(&self, profile: &str, list: &str, when: &str) -> Result<()> {
        self.conn.execute(
            "INSERT INTO list_sync (profile_id, list, refreshed_at) VALUES (?1, ?2, ?3)
             ON CONFLICT(profile_id, list) DO UPDATE SET refreshed_at = excluded.refreshed_at",
            rusqlite::params![profile, list, when],
        )?;
        Ok(())
    }

    /// When `list` was last refreshed, if ever.
    pub fn list_refreshed_at(&self, profile: &str, list: &str) -> Result<Option<String>> {
        use rusqlite::OptionalExtension;
        Ok(self
            .conn
            .query_row(
                "SELECT refreshed_at FROM list_sync WHERE profile_id = ?1 AND list = ?2",
                [profile, list],
                |r| r.get(0),
            )
            .optional()?)
    }
}
