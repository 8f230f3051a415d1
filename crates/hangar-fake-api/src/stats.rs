//! Request accounting: what the fake served, for tests that must prove a client's manners
//! (how many requests, how fast, which events were fetched more than once).

use std::collections::{BTreeMap, HashMap};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Instant;

/// One request as the fake saw it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RequestRecord {
    /// When it arrived (before any handler ran).
    pub at: Instant,
    /// `GET`, `POST`, `DELETE`, …
    pub method: String,
    /// The route pattern it matched, such as `/v1/sessions/{id}/events`; the literal path when
    /// no route matched.
    pub route: String,
    /// The status answered (for a stream, the status of its opening).
    pub status: u16,
}

#[derive(Default)]
struct Counters {
    log: Vec<RequestRecord>,
    by_route: BTreeMap<(String, String), usize>,
    history: HashMap<String, usize>,
    streamed: HashMap<String, usize>,
}

/// Thread-safe counters of everything the fake served since it started (or since
/// [`FakeStats::reset`]). Cheap to clone: every clone reads and resets the same counters.
/// Calls made with [`crate::FakeServer::outside`] are not counted: they stand for someone else.
#[derive(Clone, Default)]
pub struct FakeStats {
    inner: Arc<Mutex<Counters>>,
}

impl std::fmt::Debug for FakeStats {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let c = self.lock();
        f.debug_struct("FakeStats")
            .field("requests", &c.log.len())
            .field("by_route", &c.by_route)
            .field("history_events", &c.history.len())
            .field("streamed_events", &c.streamed.len())
            .finish()
    }
}

impl FakeStats {
    fn lock(&self) -> MutexGuard<'_, Counters> {
        self.inner
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    pub(crate) fn record_request(&self, record: RequestRecord) {
        let mut c = self.lock();
        *c.by_route
            .entry((record.method.clone(), record.route.clone()))
            .or_default() += 1;
        c.log.push(record);
    }

    pub(crate) fn record_history<'a>(&self, ids: impl IntoIterator<Item = &'a str>) {
        let mut c = self.lock();
        for id in ids {
            *c.history.entry(id.to_string()).or_default() += 1;
        }
    }

    pub(crate) fn record_streamed(&self, id: &str) {
        *self.lock().streamed.entry(id.to_string()).or_default() += 1;
    }

    /// Requests of `method` (case-insensitive) on the route pattern `route`, such as
    /// `requests("GET", "/v1/sessions/{id}/events")`. Failed and refused requests count too.
    pub fn requests(&self, method: &str, route: &str) -> usize {
        self.lock()
            .by_route
            .get(&(method.to_ascii_uppercase(), route.to_string()))
            .copied()
            .unwrap_or(0)
    }

    /// Every request counted.
    pub fn total_requests(&self) -> usize {
        self.lock().log.len()
    }

    /// Counts per `(method, route pattern)`.
    pub fn by_route(&self) -> BTreeMap<(String, String), usize> {
        self.lock().by_route.clone()
    }

    /// Every request in arrival order, with its time: for rate checks.
    pub fn request_log(&self) -> Vec<RequestRecord> {
        self.lock().log.clone()
    }

    /// How many times the history endpoints (`GET …/events`, `GET …/threads/{tid}/events`)
    /// returned the event `id`.
    pub fn served_by_history(&self, id: &str) -> usize {
        self.lock().history.get(id).copied().unwrap_or(0)
    }

    /// How many times a live stream sent the event `id` (every connection, every repeat).
    pub fn served_by_stream(&self, id: &str) -> usize {
        self.lock().streamed.get(id).copied().unwrap_or(0)
    }

    /// Events returned by the history endpoints, counting each time it was returned.
    pub fn history_events_served(&self) -> usize {
        self.lock().history.values().sum()
    }

    /// Events sent on live streams, counting each time it was sent.
    pub fn stream_events_served(&self) -> usize {
        self.lock().streamed.values().sum()
    }

    /// Ids the history endpoints returned more than once: what a client fetched twice. Sorted.
    pub fn events_served_twice(&self) -> Vec<String> {
        let mut ids: Vec<String> = self
            .lock()
            .history
            .iter()
            .filter(|(_, n)| **n > 1)
            .map(|(id, _)| id.clone())
            .collect();
        ids.sort();
        ids
    }

    /// Forgets everything counted so far.
    pub fn reset(&self) {
        *self.lock() = Counters::default();
    }
}
