//! Cached copies of agents (and each version), environments, vaults, credentials, skills, files.

use rusqlite::params;
use serde_json::Value;

use crate::{Error, Result, Store};

/// Which kind of API object.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ResourceKind {
    /// `agent_…`
    Agent,
    /// `env_…`
    Environment,
    /// `vlt_…`
    Vault,
    /// `vcrd_…` (metadata only)
    Credential,
    /// `skill_…`
    Skill,
    /// `file_…`
    File,
}

/// A cached object.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CachedResource {
    /// Its id.
    pub id: String,
    /// Its display name.
    pub name: String,
    /// Archived?
    pub archived: bool,
    /// The JSON as received.
    pub raw: String,
}

fn s<'a>(v: &'a Value, k: &str) -> Option<&'a str> {
    v.get(k).and_then(Value::as_str)
}

/// Secret fields a credential's `auth` must never carry into the cache. The API never returns
/// them; this is the second lock on the door.
const SECRET_FIELDS: &[&str] = &[
    "token",
    "access_token",
    "refresh_token",
    "client_secret",
    "secret_value",
];

fn strip_secrets(v: &mut Value) {
    match v {
        Value::Object(map) => {
            map.retain(|k, _| !SECRET_FIELDS.contains(&k.as_str()));
            map.values_mut().for_each(strip_secrets);
        }
        Value::Array(items) => items.iter_mut().for_each(strip_secrets),
        _ => {}
    }
}

impl Store {
    /// Inserts or refreshes an object from its API JSON.
    pub fn upsert_resource(&self, profile: &str, kind: ResourceKind, json: &str) -> Result<()> {
        let mut v: Value = serde_json::from_str(json).map_err(|e| Error::Malformed {
            what: "object",
            detail: e.to_string(),
        })?;
        let id = s(&v, "id")
            .ok_or(Error::Malformed {
                what: "object",
                detail: "no id".into(),
            })?
            .to_string();
        let (archived, updated) = (
            s(&v, "archived_at").map(str::to_string),
            s(&v, "updated_at").map(str::to_string),
        );
        match kind {
            ResourceKind::Agent => {
                let model = v
                    .get("model")
                    .and_then(|m| m.get("id").or(Some(m)))
                    .and_then(Value::as_str)
                    .unwrap_or("");
                let version = v.get("version").and_then(Value::as_i64).unwrap_or(1);
                self.conn.execute(
                    "INSERT INTO agents (profile_id, id, name, model, version, updated_at, archived_at, raw) VALUES (?1,?2,?3,?4,?5,?6,?7,?8)
                     ON CONFLICT(profile_id, id) DO UPDATE SET name=excluded.name, model=excluded.model, version=excluded.version,
                         updated_at=excluded.updated_at, archived_at=excluded.archived_at, raw=excluded.raw
                     WHERE excluded.version >= agents.version",
                    params![profile, id, s(&v, "name").unwrap_or(""), model, version, updated, archived, json],
                )?;
                self.conn.execute(
                    "INSERT INTO agent_versions (profile_id, agent_id, version, raw) VALUES (?1,?2,?3,?4)
                     ON CONFLICT DO UPDATE SET raw = excluded.raw",
                    params![profile, id, version, json],
                )?;
            }
            ResourceKind::Environment => {
                self.conn.execute(
                    "INSERT OR REPLACE INTO environments (profile_id, id, name, updated_at, archived_at, raw) VALUES (?1,?2,?3,?4,?5,?6)",
                    params![profile, id, s(&v, "name").unwrap_or(""), updated, archived, json],
                )?;
            }
            ResourceKind::Vault => {
                self.conn.execute(
                    "INSERT INTO vaults (profile_id, id, display_name, updated_at, archived_at, raw) VALUES (?1,?2,?3,?4,?5,?6)
                     ON CONFLICT(profile_id, id) DO UPDATE SET display_name=excluded.display_name, updated_at=excluded.updated_at,
                         archived_at=excluded.archived_at, raw=excluded.raw",
                    params![profile, id, s(&v, "display_name").unwrap_or(""), updated, archived, json],
                )?;
            }
            ResourceKind::Credential => {
                strip_secrets(&mut v);
                let clean = v.to_string();
                let auth_type = v
                    .get("auth")
                    .and_then(|a| s(a, "type"))
                    .unwrap_or("")
                    .to_string();
                self.conn.execute(
                    "INSERT OR REPLACE INTO credentials (profile_id, id, vault_id, display_name, auth_type, updated_at, archived_at, raw)
                     VALUES (?1,?2,?3,?4,?5,?6,?7,?8)",
                    params![profile, id, s(&v, "vault_id").unwrap_or(""), s(&v, "display_name"), auth_type, updated, archived, clean],
                )?;
            }
            ResourceKind::Skill => {
                self.conn.execute(
                    "INSERT OR REPLACE INTO skills (profile_id, id, display_name, raw) VALUES (?1,?2,?3,?4)",
                    params![profile, id, s(&v, "display_name").unwrap_or(""), json],
                )?;
            }
            ResourceKind::File => {
                self.conn.execute(
                    "INSERT OR REPLACE INTO files (profile_id, id, filename, size_bytes, created_at, raw) VALUES (?1,?2,?3,?4,?5,?6)",
                    params![
                        profile,
                        id,
                        s(&v, "filename").unwrap_or(""),
                        v.get("size_bytes").and_then(Value::as_i64).unwrap_or(0),
                        s(&v, "created_at").unwrap_or(""),
                        json
                    ],
                )?;
            }
        }
        Ok(())
    }

    /// Cached objects of `kind`, by name.
    pub fn list_resources(
        &self,
        profile: &str,
        kind: ResourceKind,
        include_archived: bool,
    ) -> Result<Vec<CachedResource>> {
        let sql = match kind {
            ResourceKind::Agent => "SELECT id, name, archived_at IS NOT NULL, raw FROM agents WHERE profile_id = ?1",
            ResourceKind::Environment => "SELECT id, name, archived_at IS NOT NULL, raw FROM environments WHERE profile_id = ?1",
            ResourceKind::Vault => "SELECT id, display_name, archived_at IS NOT NULL, raw FROM vaults WHERE profile_id = ?1",
            ResourceKind::Credential => {
                "SELECT id, coalesce(display_name, ''), archived_at IS NOT NULL, raw FROM credentials WHERE profile_id = ?1"
            }
            ResourceKind::Skill => "SELECT id, display_name, 0, raw FROM skills WHERE profile_id = ?1",
            ResourceKind::File => "SELECT id, filename, 0, raw FROM files WHERE profile_id = ?1",
        };
        let mut stmt = self
            .conn
            .prepare_cached(&format!("{sql} ORDER BY 2 COLLATE NOCASE, 1"))?;
        let rows = stmt
            .query_map([profile], |r| {
                Ok(CachedResource {
                    id: r.get(0)?,
                    name: r.get(1)?,
                    archived: r.get(2)?,
                    raw: r.get(3)?,
                })
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(rows
            .into_iter()
            .filter(|r| include_archived || !r.archived)
            .collect())
    }

    /// Removes a cached object (the API no longer has it).
    pub fn delete_resource(&self, profile: &str, kind: ResourceKind, id: &str) -> Result<()> {
        let sql = match kind {
            ResourceKind::Agent => "DELETE FROM agents WHERE profile_id = ?1 AND id = ?2",
            ResourceKind::Environment => {
                "DELETE FROM environments WHERE profile_id = ?1 AND id = ?2"
            }
            ResourceKind::Vault => "DELETE FROM vaults WHERE profile_id = ?1 AND id = ?2",
            ResourceKind::Credential => "DELETE FROM credentials WHERE profile_id = ?1 AND id = ?2",
            ResourceKind::Skill => "DELETE FROM skills WHERE profile_id = ?1 AND id = ?2",
            ResourceKind::File => "DELETE FROM files WHERE profile_id = ?1 AND id = ?2",
        };
        self.conn.prepare_cached(sql)?.execute([profile, id])?;
        Ok(())
    }

    /// Makes the cached objects of `kind` exactly `listed` (the API's full list, archived
    /// included): upserts each and removes the cached ones it no longer has. Returns whether
    /// anything changed.
    pub fn replace_resources(
        &self,
        profile: &str,
        kind: ResourceKind,
        listed: &[String],
    ) -> Result<bool> {
        let before = self.list_resources(profile, kind, true)?;
        let tx = self.conn.unchecked_transaction()?;
        let mut ids = std::collections::HashSet::new();
        let mut changed = false;
        for json in listed {
            let v: Value = serde_json::from_str(json).map_err(|e| Error::Malformed {
                what: "object",
                detail: e.to_string(),
            })?;
            let id = s(&v, "id").unwrap_or_default().to_string();
            let same = before.iter().any(|b| b.id == id && b.raw == *json);
            if !same {
                self.upsert_resource(profile, kind, json)?;
                changed = true;
            }
            ids.insert(id);
        }
        for gone in before.iter().filter(|b| !ids.contains(&b.id)) {
            self.delete_resource(profile, kind, &gone.id)?;
            changed = true;
        }
        tx.commit()?;
        Ok(changed)
    }

    /// Every cached version of an agent, newest first.
    pub fn agent_versions(&self, profile: &str, agent_id: &str) -> Result<Vec<(i64, String)>> {
        let mut stmt = self
            .conn
            .prepare_cached("SELECT version, raw FROM agent_versions WHERE profile_id = ?1 AND agent_id = ?2 ORDER BY version DESC")?;
        let rows = stmt
            .query_map([profile, agent_id], |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(rows)
    }
}
