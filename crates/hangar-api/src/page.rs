//! Cursor pagination: `limit` + `page` in, `data` + `next_page` out (reference §2).

pub use hangar_model::common::Page;

/// `limit`, `page` and the common `include_archived` flag.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ListParams {
    /// Page size.
    pub limit: Option<u32>,
    /// A cursor from a previous page.
    pub page: Option<String>,
    /// Show archived objects too.
    pub include_archived: Option<bool>,
}

impl ListParams {
    /// The first page with `limit` items.
    pub fn limit(limit: u32) -> Self {
        Self {
            limit: Some(limit),
            ..Self::default()
        }
    }

    pub(crate) fn push(&self, q: &mut Vec<(String, String)>) {
        if let Some(l) = self.limit {
            q.push(("limit".into(), l.to_string()));
        }
        if let Some(p) = &self.page {
            q.push(("page".into(), p.clone()));
        }
        if let Some(a) = self.include_archived {
            q.push(("include_archived".into(), a.to_string()));
        }
    }
}
