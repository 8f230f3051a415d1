//! One session as a file: lossless JSON (the session object and every event, byte for byte as
//! received, re-importable), a self-contained HTML page (sanitized by `hangar-render`, exactly
//! like the chat view), and importing such files back for offline reading.

use serde::Deserialize;
use serde_json::value::RawValue;
use serde_json::Value;

use crate::text::event_markdown;
use crate::transcript::check_event;
use crate::{Error, Result, Store};

/// The `format` field of a JSON export.
pub const EXPORT_FORMAT: &str = "hangar.session";
/// The newest export version this build reads and the one it writes.
const EXPORT_VERSION: u64 = 1;

/// A session read from an export file, checked, not yet stored.
#[derive(Debug)]
pub struct SessionExport {
    /// The session's id.
    pub id: String,
    /// Its title, if any.
    pub title: Option<String>,
    session: String,
    events: Vec<String>,
}

/// What importing one file did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportOutcome {
    /// The session's id.
    pub session_id: String,
    /// Its title.
    pub title: Option<String>,
    /// Events that were new here (0 when the same file is imported twice).
    pub new_events: usize,
    /// True when the session was not cached before (it is marked imported).
    pub new_session: bool,
}

#[derive(Deserialize)]
struct Envelope<'a> {
    #[serde(default)]
    version: Option<u64>,
    #[serde(borrow)]
    session: &'a RawValue,
    #[serde(borrow)]
    events: Vec<&'a RawValue>,
}

fn refused(detail: impl Into<String>) -> Error {
    Error::Malformed {
        what: "session export",
        detail: detail.into(),
    }
}

impl SessionExport {
    /// Reads and checks an export file's text: the format, the session object, and every event
    /// (an id and valid JSON each). Nothing is stored.
    pub fn parse(text: &str) -> Result<Self> {
        let trimmed = text.trim_start();
        if trimmed.starts_with('[') {
            return Err(refused(
                "this is a list of events without its session (an older transcript export); export the session again as JSON",
            ));
        }
        let value: Value = serde_json::from_str(text)
            .map_err(|e| refused(format!("it is not valid JSON ({e})")))?;
        match value.get("format").and_then(Value::as_str) {
            Some(EXPORT_FORMAT) => {}
            Some(other) => {
                return Err(refused(format!(
                    "it is a “{other}” file, not a Hangar session"
                )))
            }
            None => return Err(refused("it is not a Hangar session export (no “format”)")),
        }
        let envelope: Envelope<'_> =
            serde_json::from_str(text).map_err(|e| refused(format!("it is incomplete ({e})")))?;
        if envelope.version.unwrap_or(0) > EXPORT_VERSION {
            return Err(refused(format!(
                "it was written by a newer Hangar (version {}); this one reads up to {EXPORT_VERSION}",
                envelope.version.unwrap_or(0)
            )));
        }
        let session: Value = serde_json::from_str(envelope.session.get())
            .map_err(|e| refused(format!("its session is not valid ({e})")))?;
        let id = session
            .get("id")
            .and_then(Value::as_str)
            .filter(|id| !id.is_empty())
            .ok_or_else(|| refused("its session has no id"))?
            .to_string();
        if session.get("created_at").and_then(Value::as_str).is_none() {
            return Err(refused("its session has no creation time"));
        }
        let events = envelope
            .events
            .iter()
            .enumerate()
            .map(|(i, raw)| {
                check_event(raw.get())
                    .map(|()| raw.get().to_string())
                    .map_err(|e| refused(format!("event {} is not valid: {e}", i + 1)))
            })
            .collect::<Result<Vec<_>>>()?;
        Ok(SessionExport {
            title: session
                .get("title")
                .and_then(Value::as_str)
                .map(String::from),
            id,
            session: envelope.session.get().to_string(),
            events,
        })
    }

    /// How many events the file holds.
    pub fn event_count(&self) -> usize {
        self.events.len()
    }
}

fn html_escape(text: &str) -> String {
    hangar_render::text_to_html(text)
}

const EXPORT_CSS: &str = "body{font:15px/1.5 system-ui,sans-serif;max-width:52rem;margin:2rem auto;padding:0 1rem;color:#1d1d1f;background:#fff}\
header{border-bottom:1px solid #ddd;margin-bottom:1rem}.meta{color:#666;font-size:.9em}\
article{border-bottom:1px solid #eee;padding:.5rem 0}pre{background:#f5f5f7;padding:.6rem;overflow:auto;white-space:pre-wrap}\
code{font-family:ui-monospace,monospace}a{color:#0a58ca}\
@media (prefers-color-scheme:dark){body{background:#1d1d1f;color:#eee}pre{background:#2a2a2e}header,article{border-color:#333}.meta{color:#aaa}a{color:#7ab7ff}}";

impl Store {
    fn session_meta(&self, profile: &str, session: &str) -> Result<(String, Value)> {
        let raw = self
            .session_raw(profile, session)?
            .ok_or_else(|| Error::UnknownSession(session.to_string()))?;
        let meta = serde_json::from_str(&raw).unwrap_or(Value::Null);
        Ok((raw, meta))
    }

    /// The lossless JSON export: `{"format": "hangar.session", "version": 1, "session": …,
    /// "events": [...]}`, the session and every event exactly as received.
    pub fn session_export_json(&self, profile: &str, session: &str) -> Result<String> {
        let (raw, _) = self.session_meta(profile, session)?;
        let mut out = format!(
            "{{\"format\":\"{EXPORT_FORMAT}\",\"version\":{EXPORT_VERSION},\"session\":{raw},\"events\":["
        );
        let mut first = true;
        self.each_event(profile, session, |event| {
            out.push_str(if first { "\n" } else { ",\n" });
            first = false;
            out.push_str(event);
        })?;
        out.push_str("\n]}\n");
        Ok(out)
    }

    /// A single self-contained HTML page: inline styles, no scripts, no remote anything (its
    /// own Content-Security-Policy forbids them too); every event's Markdown goes through
    /// [`hangar_render::markdown_to_html`], the chat view's path.
    pub fn session_export_html(&self, profile: &str, session: &str) -> Result<String> {
        let (_, meta) = self.session_meta(profile, session)?;
        let title = meta
            .get("title")
            .and_then(Value::as_str)
            .unwrap_or("Untitled session");
        let agent = meta
            .pointer("/agent/name")
            .and_then(Value::as_str)
            .unwrap_or("agent");
        let version = meta
            .pointer("/agent/version")
            .and_then(Value::as_i64)
            .unwrap_or(0);
        let created = meta.get("created_at").and_then(Value::as_str).unwrap_or("");
        let mut out = format!(
            "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\
             <meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">\
             <meta name=\"referrer\" content=\"no-referrer\">\
             <title>{}</title><style>{EXPORT_CSS}</style></head><body>\n<header><h1>{}</h1>\
             <p class=\"meta\">{} v{version} · session <code>{}</code> · started {}</p></header>\n",
            html_escape(title),
            html_escape(title),
            html_escape(agent),
            html_escape(session),
            html_escape(created),
        );
        self.each_event(profile, session, |raw| {
            if let Ok(v) = serde_json::from_str::<Value>(raw) {
                if let Some(md) = event_markdown(&v) {
                    let kind = v.get("type").and_then(Value::as_str).unwrap_or("event");
                    let class: String = kind
                        .chars()
                        .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
                        .collect();
                    out.push_str(&format!(
                        "<article class=\"{class}\">{}</article>\n",
                        hangar_render::markdown_to_html(&md)
                    ));
                }
            }
        })?;
        out.push_str("</body></html>\n");
        Ok(out)
    }

    fn each_event(&self, profile: &str, session: &str, mut f: impl FnMut(&str)) -> Result<()> {
        let mut anchor = crate::Anchor::Start;
        loop {
            let page = self.transcript_page(profile, session, &anchor, 2_000)?;
            for event in &page.events {
                f(&event.raw);
            }
            match page.events.last() {
                Some(last) if page.has_after() => anchor = crate::Anchor::After(last.cursor),
                _ => return Ok(()),
            }
        }
    }

    /// Stores a checked export in `profile`: the session (when it is not cached yet, it is
    /// marked imported and its history complete) and every event it does not hold yet.
    /// Importing the same file twice adds nothing. A failure part-way removes a session it
    /// had just added.
    pub fn import_session(
        &self,
        profile: &str,
        export: &SessionExport,
        now: &str,
    ) -> Result<ImportOutcome> {
        let new_session = self.session_raw(profile, &export.id)?.is_none();
        if new_session {
            self.upsert_session(profile, &export.session)?;
        }
        let result = (|| -> Result<usize> {
            let mut new_events = 0;
            for chunk in export.events.chunks(1_000) {
                let raws: Vec<&str> = chunk.iter().map(String::as_str).collect();
                new_events += self.ingest_events(profile, &export.id, &raws)?.inserted;
            }
            if new_session {
                self.mark_imported(profile, &export.id, now)?;
                self.set_history_complete(profile, &export.id, true)?;
            }
            Ok(new_events)
        })();
        match result {
            Ok(new_events) => Ok(ImportOutcome {
                session_id: export.id.clone(),
                title: export.title.clone(),
                new_events,
                new_session,
            }),
            Err(e) => {
                if new_session {
                    if let Err(cleanup) = self.delete_session(profile, &export.id) {
                        return Err(Error::Malformed {
                            what: "import",
                            detail: format!(
                                "{e}; removing the half-imported session failed too: {cleanup}"
                            ),
                        });
                    }
                }
                Err(e)
            }
        }
    }
}
