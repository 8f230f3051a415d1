//! Files: uploads for sessions and files agents produce (reference §5.8). No beta header.
//! The models are [`hangar_model::files`], re-exported here.

pub use hangar_model::files::*;

use crate::client::{describe, seg, Beta, Body, Client, FilePart, Retry};
use crate::page::{ListParams, Page};
use crate::{Deleted, Error, Result};

/// `client.files()`.
#[derive(Debug, Clone, Copy)]
pub struct Files<'a>(&'a Client);

impl Client {
    /// Files.
    pub fn files(&self) -> Files<'_> {
        Files(self)
    }
}

impl Files<'_> {
    /// Uploads `bytes` as `filename` (multipart field `file`).
    pub async fn upload(&self, filename: &str, bytes: Vec<u8>, mime: &str) -> Result<FileMetadata> {
        let part = FilePart {
            field: "file".into(),
            filename: Some(filename.into()),
            bytes,
            mime: Some(mime.into()),
        };
        self.0
            .json(
                reqwest::Method::POST,
                "/v1/files",
                &[],
                Body::Multipart(vec![part]),
                Beta::None,
                Retry::Standard,
                "file",
            )
            .await
    }
    /// One page; `scope_id` = a session id lists the files it produced.
    pub async fn list(
        &self,
        params: &ListParams,
        scope_id: Option<&str>,
    ) -> Result<Page<FileMetadata>> {
        let extra = scope_id
            .map(|s| ("scope_id".to_string(), s.to_string()))
            .into_iter()
            .collect();
        self.0
            .list("/v1/files", params, extra, Beta::None, "file list")
            .await
    }
    /// Metadata of one file.
    pub async fn retrieve(&self, id: &str) -> Result<FileMetadata> {
        self.0
            .get(&format!("/v1/files/{}", seg(id)), &[], Beta::None, "file")
            .await
    }
    /// The file's bytes.
    pub async fn download(&self, id: &str) -> Result<Vec<u8>> {
        let response = self
            .0
            .send(
                reqwest::Method::GET,
                &format!("/v1/files/{}/content", seg(id)),
                &[],
                Body::Empty,
                Beta::None,
                Retry::Standard,
            )
            .await?;
        Ok(response
            .bytes()
            .await
            .map_err(|e| Error::Transport(describe(&e)))?
            .to_vec())
    }
    /// Deletes it.
    pub async fn delete(&self, id: &str) -> Result<Deleted> {
        self.0
            .delete(&format!("/v1/files/{}", seg(id)), Beta::None, "delete")
            .await
    }
}
