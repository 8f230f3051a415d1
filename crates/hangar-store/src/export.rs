//! Export of one transcript: Markdown to read, JSON to keep (lossless, re-importable).

use serde_json::value::RawValue;
use serde_json::Value;

use crate::text::event_markdown;
use crate::transcript::Anchor;
use crate::{Error, Result, Store};

const PAGE: usize = 2_000;

impl Store {
    fn for_each_event(&self, profile: &str, session: &str, mut f: impl FnMut(&str)) -> Result<()> {
        let mut anchor = Anchor::Start;
        loop {
            let page = self.transcript_page(profile, session, &anchor, PAGE)?;
            for event in &page.events {
                f(&event.raw);
            }
            match page.events.last() {
                Some(last) if page.has_after() => anchor = Anchor::After(last.cursor),
                _ => return Ok(()),
            }
        }
    }

    /// The transcript as a readable Markdown document.
    pub fn transcript_markdown(&self, profile: &str, session: &str) -> Result<String> {
        let raw = self
            .session_raw(profile, session)?
            .ok_or_else(|| Error::UnknownSession(session.to_string()))?;
        let meta: Value = serde_json::from_str(&raw).unwrap_or(Value::Null);
        let title = meta
            .get("title")
            .and_then(Value::as_str)
            .unwrap_or("Untitled session");
        let agent = meta
            .get("agent")
            .and_then(|a| a.get("name"))
            .and_then(Value::as_str)
            .unwrap_or("agent");
        let version = meta
            .get("agent")
            .and_then(|a| a.get("version"))
            .and_then(Value::as_i64)
            .unwrap_or(0);
        let created = meta.get("created_at").and_then(Value::as_str).unwrap_or("");
        let mut out = format!(
            "# {title}\n\n*{agent} v{version} · session `{session}` · started {created}*\n"
        );
        self.for_each_event(profile, session, |raw| {
            if let Ok(v) = serde_json::from_str::<Value>(raw) {
                if let Some(md) = event_markdown(&v) {
                    out.push('\n');
                    out.push_str(&md);
                    out.push('\n');
                }
            }
        })?;
        Ok(out)
    }

    /// The transcript as a JSON array of the raw events, byte for byte as received.
    pub fn transcript_json(&self, profile: &str, session: &str) -> Result<String> {
        if self.session_raw(profile, session)?.is_none() {
            return Err(Error::UnknownSession(session.to_string()));
        }
        let mut out = String::from("[");
        let mut first = true;
        self.for_each_event(profile, session, |raw| {
            out.push_str(if first { "\n" } else { ",\n" });
            first = false;
            out.push_str(raw);
        })?;
        out.push_str("\n]\n");
        Ok(out)
    }

    /// Imports a JSON export into `session` (which must be cached). Returns how many were new.
    pub fn import_transcript_json(
        &self,
        profile: &str,
        session: &str,
        json: &str,
    ) -> Result<usize> {
        let events: Vec<Box<RawValue>> =
            serde_json::from_str(json).map_err(|e| Error::Malformed {
                what: "transcript export",
                detail: e.to_string(),
            })?;
        let raws: Vec<&str> = events.iter().map(|e| e.get()).collect();
        Ok(self.ingest_events(profile, session, &raws)?.inserted)
    }
}
