//! The queue of notices shown above the page: errors stay until dismissed, info and success go
//! away by themselves; the same notice twice becomes one with a count. Plain and tested; the
//! `NoticeCenter` in `components/notices.rs` shows it and runs the timers.

use hangar_types::{ErrorKind, IpcError};

/// How a notice looks and whether it goes away by itself.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Level {
    /// Something worth knowing; goes away by itself.
    Info,
    /// Something finished; goes away by itself.
    Success,
    /// Something failed; stays until dismissed.
    Error,
}

impl Level {
    /// How long it stays unless the person is hovering or focusing it; `None`: until
    /// dismissed.
    pub fn auto_dismiss_ms(self) -> Option<u32> {
        match self {
            Level::Info => Some(6_000),
            Level::Success => Some(4_000),
            Level::Error => None,
        }
    }

    /// The CSS class part.
    pub fn class(self) -> &'static str {
        match self {
            Level::Info => "info",
            Level::Success => "success",
            Level::Error => "error",
        }
    }
}

/// Names one notice in the queue.
pub type NoticeId = u64;

/// What to show: built with [`Draft::info`], [`Draft::success`], [`Draft::error`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Draft {
    /// Its look and lifetime.
    pub level: Level,
    /// The failure's kind, for errors that came from the backend.
    pub kind: Option<ErrorKind>,
    /// One short line ("Could not read the session list").
    pub title: String,
    /// What happened, in a sentence or two.
    pub message: String,
    /// The label of its action button, if it has one ("Open Settings", "Retry").
    pub action: Option<String>,
}

impl Draft {
    /// An info notice.
    pub fn info(title: impl Into<String>, message: impl Into<String>) -> Self {
        Draft {
            level: Level::Info,
            kind: None,
            title: title.into(),
            message: message.into(),
            action: None,
        }
    }

    /// A success notice.
    pub fn success(title: impl Into<String>, message: impl Into<String>) -> Self {
        Draft {
            level: Level::Success,
            ..Draft::info(title, message)
        }
    }

    /// An error notice for a failure the backend reported: keeps its kind, says when to try
    /// again when the backend said so, and offers the obvious next step for its kind.
    pub fn error(title: impl Into<String>, error: &IpcError) -> Self {
        let mut message = error.message.clone();
        if let Some(ms) = error.retry_after_ms {
            let seconds = ms.div_ceil(1000).max(1);
            let unit = if seconds == 1 { "second" } else { "seconds" };
            message = format!("{} Try again in {seconds} {unit}.", sentence(&message));
        }
        let action = match error.kind {
            ErrorKind::Unauthorized => Some("Open Settings".to_string()),
            _ => None,
        };
        Draft {
            level: Level::Error,
            kind: Some(error.kind),
            title: title.into(),
            message,
            action,
        }
    }

    /// An error notice for a failure the window itself caught (no backend kind).
    pub fn failure(title: impl Into<String>, message: impl Into<String>) -> Self {
        Draft {
            level: Level::Error,
            kind: Some(ErrorKind::Internal),
            ..Draft::info(title, message)
        }
    }

    /// Gives it an action button labelled `label`.
    pub fn with_action(mut self, label: impl Into<String>) -> Self {
        self.action = Some(label.into());
        self
    }
}

/// `text` ending with a full stop (for appending another sentence).
fn sentence(text: &str) -> String {
    let text = text.trim_end();
    if text.ends_with(['.', '!', '?', '…']) || text.is_empty() {
        text.to_string()
    } else {
        format!("{text}.")
    }
}

/// A notice in the queue.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Notice {
    /// Its id.
    pub id: NoticeId,
    /// What it says.
    pub draft: Draft,
    /// How many times it was raised (identical notices coalesce).
    pub count: u32,
    /// Bumped whenever its dismiss timer restarts; a timer that fires with an older stamp
    /// does nothing.
    stamp: u32,
    /// Hovered or focused: it does not go away by itself meanwhile.
    held: bool,
}

/// A dismiss timer to start: after `ms`, call [`Notices::expire`] with `id` and `stamp`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Timer {
    /// The notice.
    pub id: NoticeId,
    /// Its stamp when the timer started.
    pub stamp: u32,
    /// How long to wait.
    pub ms: u32,
}

/// At most this many notices are kept; beyond it the oldest go (info and success first).
pub const MAX_NOTICES: usize = 6;

/// The queue, oldest first.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Notices {
    items: Vec<Notice>,
    next_id: NoticeId,
}

impl Notices {
    /// An empty queue.
    pub fn new() -> Self {
        Self::default()
    }

    /// Every notice, oldest first.
    pub fn items(&self) -> &[Notice] {
        &self.items
    }

    /// Is anything shown?
    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    /// The newest error (the one `#error-banner` marks).
    pub fn newest_error(&self) -> Option<&Notice> {
        self.items
            .iter()
            .rev()
            .find(|n| n.draft.level == Level::Error)
    }

    /// Shows `draft`, or counts it again when the same notice is already shown (it then
    /// moves to the newest place and its timer restarts). Returns its id and the timer to
    /// start, if it goes away by itself.
    pub fn push(&mut self, draft: Draft) -> (NoticeId, Option<Timer>) {
        let notice = match self.items.iter().position(|n| n.draft == draft) {
            Some(index) => {
                let mut notice = self.items.remove(index);
                notice.count += 1;
                notice.stamp += 1;
                notice
            }
            None => {
                self.next_id += 1;
                Notice {
                    id: self.next_id,
                    draft,
                    count: 1,
                    stamp: 0,
                    held: false,
                }
            }
        };
        let id = notice.id;
        let timer = Self::timer_for(&notice);
        self.items.push(notice);
        self.trim();
        (id, timer)
    }

    fn timer_for(notice: &Notice) -> Option<Timer> {
        if notice.held {
            return None;
        }
        notice.draft.level.auto_dismiss_ms().map(|ms| Timer {
            id: notice.id,
            stamp: notice.stamp,
            ms,
        })
    }

    fn trim(&mut self) {
        while self.items.len() > MAX_NOTICES {
            let index = self
                .items
                .iter()
                .position(|n| n.draft.level != Level::Error)
                .unwrap_or(0);
            self.items.remove(index);
        }
    }

    /// Removes a notice (its close button, Esc, its action); false when it was gone already.
    pub fn dismiss(&mut self, id: NoticeId) -> bool {
        let before = self.items.len();
        self.items.retain(|n| n.id != id);
        self.items.len() != before
    }

    /// Removes the newest notice; returns its id.
    pub fn dismiss_newest(&mut self) -> Option<NoticeId> {
        self.items.pop().map(|n| n.id)
    }

    /// A dismiss timer fired: removes the notice unless it was raised again since (newer
    /// stamp) or is held. Returns whether it was removed.
    pub fn expire(&mut self, id: NoticeId, stamp: u32) -> bool {
        let due = self
            .items
            .iter()
            .any(|n| n.id == id && n.stamp == stamp && !n.held);
        if due {
            self.dismiss(id);
        }
        due
    }

    /// The pointer or focus is on the notice: it stays meanwhile.
    pub fn hold(&mut self, id: NoticeId) {
        if let Some(n) = self.items.iter_mut().find(|n| n.id == id) {
            n.held = true;
            n.stamp += 1;
        }
    }

    /// The pointer or focus left: returns the timer to restart, if it goes away by itself.
    pub fn release(&mut self, id: NoticeId) -> Option<Timer> {
        let n = self.items.iter_mut().find(|n| n.id == id && n.held)?;
        n.held = false;
        n.stamp += 1;
        Self::timer_for(n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn failed() -> Draft {
        Draft::error(
            "Could not read profiles",
            &IpcError::new(ErrorKind::Storage, "The disk is full."),
        )
    }

    #[test]
    fn errors_stay_and_info_goes_away_by_itself() {
        let mut q = Notices::new();
        let (error, timer) = q.push(failed());
        assert_eq!(timer, None, "errors stay until dismissed");
        let (info, timer) = q.push(Draft::info("Synced", "12 sessions"));
        let timer = timer.expect("info goes away by itself");
        assert_eq!((timer.id, timer.ms), (info, 6_000));
        assert!(q.expire(timer.id, timer.stamp));
        assert_eq!(q.items().len(), 1);
        assert_eq!(q.items()[0].id, error);
        let (_, timer) = q.push(Draft::success("Saved", "Profile “Work”"));
        assert_eq!(timer.map(|t| t.ms), Some(4_000));
    }

    #[test]
    fn identical_notices_coalesce_with_a_count() {
        let mut q = Notices::new();
        let (a, _) = q.push(failed());
        let (other, _) = q.push(Draft::info("Synced", "x"));
        let (again, _) = q.push(failed());
        assert_eq!(a, again);
        assert_eq!(q.items().len(), 2);
        let newest = q.items().last().expect("a notice");
        assert_eq!(
            (newest.id, newest.count),
            (a, 2),
            "moved to the newest place"
        );
        assert_eq!(q.items()[0].id, other);
        // A different message is a different notice.
        let mut different = failed();
        different.message = "Another reason.".into();
        let (b, _) = q.push(different);
        assert_ne!(a, b);
    }

    #[test]
    fn a_coalesced_notice_restarts_its_timer() {
        let mut q = Notices::new();
        let (_, first) = q.push(Draft::info("Offline", "Working from the cache"));
        let (_, second) = q.push(Draft::info("Offline", "Working from the cache"));
        let (first, second) = (first.expect("timer"), second.expect("timer"));
        assert!(!q.expire(first.id, first.stamp), "the old timer is void");
        assert_eq!(q.items().len(), 1);
        assert!(q.expire(second.id, second.stamp));
        assert!(q.is_empty());
    }

    #[test]
    fn a_held_notice_waits_and_restarts_when_released() {
        let mut q = Notices::new();
        let (id, timer) = q.push(Draft::success("Saved", "ok"));
        let timer = timer.expect("timer");
        q.hold(id);
        assert!(!q.expire(id, timer.stamp));
        let restarted = q.release(id).expect("restarts");
        assert!(restarted.stamp > timer.stamp);
        assert!(q.expire(id, restarted.stamp));
        // Holding an error changes nothing about its lifetime.
        let (error, _) = q.push(failed());
        q.hold(error);
        assert_eq!(q.release(error), None);
        assert_eq!(q.release(999), None);
    }

    #[test]
    fn dismissing() {
        let mut q = Notices::new();
        let (a, _) = q.push(failed());
        let (b, _) = q.push(Draft::info("i", "m"));
        assert!(q.dismiss(a));
        assert!(!q.dismiss(a), "already gone");
        assert_eq!(q.dismiss_newest(), Some(b));
        assert_eq!(q.dismiss_newest(), None);
    }

    #[test]
    fn the_newest_error_is_the_banner() {
        let mut q = Notices::new();
        assert!(q.newest_error().is_none());
        let (first, _) = q.push(failed());
        q.push(Draft::info("i", "m"));
        assert_eq!(q.newest_error().map(|n| n.id), Some(first));
        let (second, _) = q.push(Draft::failure("Hangar hit a problem", "boom"));
        assert_eq!(q.newest_error().map(|n| n.id), Some(second));
    }

    #[test]
    fn the_queue_is_bounded_and_drops_passing_notices_first() {
        let mut q = Notices::new();
        let (error, _) = q.push(failed());
        for i in 0..10 {
            q.push(Draft::info("i", format!("{i}")));
        }
        assert_eq!(q.items().len(), MAX_NOTICES);
        assert_eq!(q.items()[0].id, error, "the error outlives newer info");
        for i in 0..10 {
            q.push(Draft::failure("e", format!("{i}")));
        }
        assert_eq!(q.items().len(), MAX_NOTICES);
        assert!(q.items().iter().all(|n| n.draft.level == Level::Error));
    }

    #[test]
    fn error_drafts_keep_the_kind_and_explain_what_to_do() {
        let cases = [
            (
                IpcError::new(ErrorKind::RateLimited, "Too many requests")
                    .with_retry_after_ms(2500),
                "Too many requests. Try again in 3 seconds.",
                None,
            ),
            (
                IpcError::new(ErrorKind::Unavailable, "The API is overloaded.")
                    .with_retry_after_ms(400),
                "The API is overloaded. Try again in 1 second.",
                None,
            ),
            (
                IpcError::new(ErrorKind::Unauthorized, "The API rejected the key."),
                "The API rejected the key.",
                Some("Open Settings"),
            ),
        ];
        for (error, message, action) in cases {
            let draft = Draft::error("Could not load", &error);
            assert_eq!(draft.level, Level::Error);
            assert_eq!(draft.kind, Some(error.kind));
            assert_eq!(draft.message, message);
            assert_eq!(draft.action.as_deref(), action);
        }
        assert_eq!(
            Draft::info("t", "m").with_action("Retry").action.as_deref(),
            Some("Retry")
        );
    }
}
