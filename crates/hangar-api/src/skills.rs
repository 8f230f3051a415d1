//! Skills (reference §5.9). No beta header. The models are [`hangar_model::skills`],
//! re-exported here.

pub use hangar_model::skills::*;

use crate::client::{seg, Beta, Body, Client, FilePart, Retry};
use crate::page::{ListParams, Page};
use crate::{Deleted, Result};

/// `client.skills()`.
#[derive(Debug, Clone, Copy)]
pub struct Skills<'a>(&'a Client);

impl Client {
    /// Skills.
    pub fn skills(&self) -> Skills<'_> {
        Skills(self)
    }
}

fn parts(files: Vec<(String, Vec<u8>)>) -> Vec<FilePart> {
    files
        .into_iter()
        .map(|(path, bytes)| FilePart {
            field: "files[]".into(),
            filename: Some(path),
            bytes,
            mime: None,
        })
        .collect()
}

impl Skills<'_> {
    /// One page; `source` = `custom` or `anthropic`.
    pub async fn list(&self, params: &ListParams, source: Option<&str>) -> Result<Page<Skill>> {
        let extra = source
            .map(|s| ("source".to_string(), s.to_string()))
            .into_iter()
            .collect();
        self.0
            .list("/v1/skills", params, extra, Beta::None, "skill list")
            .await
    }
    /// One skill.
    pub async fn retrieve(&self, id: &str) -> Result<Skill> {
        self.0
            .get(&format!("/v1/skills/{}", seg(id)), &[], Beta::None, "skill")
            .await
    }
    /// Uploads a skill: files under one top-level folder holding `SKILL.md`.
    pub async fn create(
        &self,
        files: Vec<(String, Vec<u8>)>,
        display_name: Option<&str>,
    ) -> Result<Skill> {
        let mut p = parts(files);
        if let Some(name) = display_name {
            p.push(FilePart {
                field: "display_name".into(),
                filename: None,
                bytes: name.as_bytes().to_vec(),
                mime: None,
            });
        }
        self.0
            .json(
                reqwest::Method::POST,
                "/v1/skills",
                &[],
                Body::Multipart(p),
                Beta::None,
                Retry::Standard,
                "skill",
            )
            .await
    }
    /// Deletes it.
    pub async fn delete(&self, id: &str) -> Result<Deleted> {
        self.0
            .delete(&format!("/v1/skills/{}", seg(id)), Beta::None, "delete")
            .await
    }
    /// Its versions.
    pub async fn versions(&self, id: &str, params: &ListParams) -> Result<Page<SkillVersion>> {
        self.0
            .list(
                &format!("/v1/skills/{}/versions", seg(id)),
                params,
                Vec::new(),
                Beta::None,
                "skill versions",
            )
            .await
    }
    /// Uploads a new version.
    pub async fn create_version(
        &self,
        id: &str,
        files: Vec<(String, Vec<u8>)>,
    ) -> Result<SkillVersion> {
        self.0
            .json(
                reqwest::Method::POST,
                &format!("/v1/skills/{}/versions", seg(id)),
                &[],
                Body::Multipart(parts(files)),
                Beta::None,
                Retry::Standard,
                "skill version",
            )
            .await
    }
    /// One version (`latest` allowed).
    pub async fn retrieve_version(&self, id: &str, version: &str) -> Result<SkillVersion> {
        self.0
            .get(
                &format!("/v1/skills/{}/versions/{}", seg(id), seg(version)),
                &[],
                Beta::None,
                "skill version",
            )
            .await
    }
    /// Deletes a version.
    pub async fn delete_version(&self, id: &str, version: &str) -> Result<Deleted> {
        self.0
            .delete(
                &format!("/v1/skills/{}/versions/{}", seg(id), seg(version)),
                Beta::None,
                "delete",
            )
            .await
    }
}
