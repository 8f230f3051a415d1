//! Client-side rate limiting: Hangar stays under the API's per-organisation request limits by
//! waiting for its turn instead of sending and collecting 429s, even while it backfills
//! hundreds of sessions from many tasks at once.
//!
//! The Managed Agents documentation names two limits per organisation and minute: **create**
//! endpoints (agents, sessions, environments, …) and **read** endpoints (retrieve, list, stream).
//! `shared/api/reference.md` does not state them; the public Managed Agents pages give
//! 60 creates and 600 reads per minute ([`RateLimits::DOCUMENTED`]). A GET (lists, retrieves,
//! downloads, and every SSE stream open) is a read. Every other request (creates, and also
//! updates, archives, deletes and event sends, which the documentation does not place) counts
//! as a create: the reading that can only err on the slow side.
//!
//! Each class keeps a sliding window: the send times of its last `limit` requests. A request
//! may go when fewer than `limit` were sent in the last `window`; otherwise it waits (async)
//! until the oldest of them leaves the window. So no window of that length, anywhere, holds
//! more than `limit` requests. Waiters are served first come, first served. A 429 pauses its
//! whole class until the time the server gave, so parallel tasks stop too.

use std::collections::VecDeque;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use reqwest::Method;
use tokio::time::Instant;

/// Which per-organisation limit a request counts against.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum RateClass {
    /// GET: retrieves, lists, downloads and SSE stream opens.
    Read,
    /// Everything else: creates, updates, archives, deletes, event sends, uploads.
    Create,
}

impl RateClass {
    /// The class of a request sent with `method`.
    pub fn of(method: &Method) -> Self {
        if method == Method::GET || method == Method::HEAD {
            Self::Read
        } else {
            Self::Create
        }
    }

    fn index(self) -> usize {
        match self {
            Self::Read => 0,
            Self::Create => 1,
        }
    }
}

/// How many requests of each class may be sent per `window`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RateLimits {
    /// Reads per window.
    pub read: u32,
    /// Creates (every request that is not a GET) per window.
    pub create: u32,
    /// The window (a minute for the real API; tests shrink it).
    pub window: Duration,
}

impl RateLimits {
    /// The documented per-organisation limits: 600 reads and 60 creates per minute.
    pub const DOCUMENTED: Self = Self {
        read: 600,
        create: 60,
        window: Duration::from_secs(60),
    };

    /// These limits scaled by `fraction` (0.9 keeps 10 % headroom for other clients of the
    /// organisation and for clock differences), rounded down but at least 1 per window.
    pub fn with_headroom(self, fraction: f64) -> Self {
        let scale = |n: u32| ((f64::from(n) * fraction.clamp(0.0, 1.0)).floor() as u32).max(1);
        Self {
            read: scale(self.read),
            create: scale(self.create),
            ..self
        }
    }

    /// The limit of `class` (a limit of 0 is treated as 1, so nothing waits forever).
    pub fn limit(&self, class: RateClass) -> u32 {
        match class {
            RateClass::Read => self.read,
            RateClass::Create => self.create,
        }
        .max(1)
    }
}

impl Default for RateLimits {
    /// The documented limits with 10 % headroom: 540 reads and 54 creates per minute.
    fn default() -> Self {
        Self::DOCUMENTED.with_headroom(0.9)
    }
}

/// One request counted in a window: in flight until its permit is dropped, then done.
#[derive(Debug)]
struct Slot {
    id: u64,
    done: Option<Instant>,
}

/// The requests of one class inside the window, and a server-imposed pause.
#[derive(Debug, Default)]
struct Window {
    slots: VecDeque<Slot>,
    next_id: u64,
    paused_until: Option<Instant>,
}

#[derive(Debug, Default)]
struct Class {
    /// Held by the request whose turn it is (tokio's mutex is fair: first come, first served).
    turn: tokio::sync::Mutex<()>,
    window: Mutex<Window>,
    /// Signalled when a permit is dropped (an in-flight slot got its time).
    finished: tokio::sync::Notify,
}

impl Class {
    fn window(&self) -> MutexGuard<'_, Window> {
        self.window
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

#[derive(Debug)]
struct Shared {
    limits: RateLimits,
    classes: [Class; 2],
}

/// What `acquire` must wait for.
enum Wait {
    Until(Instant),
    /// Every slot is in flight: the next permit dropped (or the pause's end, if any).
    Finish(Option<Instant>),
}

/// A rate limiter shared by every clone (and by every clone of the [`crate::Client`] holding it).
///
/// A request is counted from [`RateLimiter::acquire`] until a window after its permit is
/// dropped. Drop the permit once the answer (for a stream: its opening) has arrived, which is
/// after the server counted the request: however long the request spent on the way (a new
/// connection, a TLS handshake), the server never sees more than the limit in a window.
#[derive(Debug, Clone)]
pub struct RateLimiter {
    shared: Arc<Shared>,
}

/// The right to send one request; dropping it (once the answer arrived) starts its window.
#[derive(Debug)]
#[must_use = "the request is counted as in flight until the permit is dropped"]
pub struct RatePermit {
    shared: Arc<Shared>,
    class: usize,
    id: u64,
}

impl Drop for RatePermit {
    fn drop(&mut self) {
        let class = &self.shared.classes[self.class];
        {
            let mut w = class.window();
            let now = Instant::now();
            if let Some(slot) = w.slots.iter_mut().find(|s| s.id == self.id) {
                slot.done = Some(now);
            }
        }
        class.finished.notify_waiters();
    }
}

impl RateLimiter {
    /// A limiter enforcing `limits`.
    pub fn new(limits: RateLimits) -> Self {
        Self {
            shared: Arc::new(Shared {
                limits,
                classes: Default::default(),
            }),
        }
    }

    /// The limits enforced.
    pub fn limits(&self) -> RateLimits {
        self.shared.limits
    }

    /// Waits until a request of `class` may be sent, and counts it: in flight until the permit
    /// is dropped, then for one window.
    pub async fn acquire(&self, class: RateClass) -> RatePermit {
        let state = &self.shared.classes[class.index()];
        let limit = self.shared.limits.limit(class) as usize;
        let window = self.shared.limits.window;
        let _turn = state.turn.lock().await;
        loop {
            // Listen before looking, so a permit dropped in between is not missed.
            let finished = state.finished.notified();
            tokio::pin!(finished);
            finished.as_mut().enable();
            let wait = {
                let mut w = state.window();
                let now = Instant::now();
                w.slots
                    .retain(|s| s.done.is_none_or(|d| now.duration_since(d) < window));
                let paused = w.paused_until.filter(|t| *t > now);
                if w.slots.len() < limit {
                    match paused {
                        None => {
                            let id = w.next_id;
                            w.next_id += 1;
                            w.slots.push_back(Slot { id, done: None });
                            return RatePermit {
                                shared: self.shared.clone(),
                                class: class.index(),
                                id,
                            };
                        }
                        Some(at) => Wait::Until(at),
                    }
                } else {
                    // The slot that frees first: the oldest finished one, a window after it.
                    let excess = w.slots.len() + 1 - limit;
                    let mut done: Vec<Instant> = w.slots.iter().filter_map(|s| s.done).collect();
                    done.sort();
                    match done.get(excess - 1) {
                        Some(d) => Wait::Until((*d + window).max(paused.unwrap_or(*d))),
                        None => Wait::Finish(paused),
                    }
                }
            };
            // Woken, look again: a 429 may have paused the class meanwhile.
            match wait {
                Wait::Until(at) => tokio::time::sleep_until(at).await,
                Wait::Finish(None) => finished.await,
                Wait::Finish(Some(at)) => {
                    tokio::select! {
                        _ = tokio::time::sleep_until(at) => {}
                        _ = finished => {}
                    }
                }
            }
        }
    }

    /// Holds back every request of `class` for `wait` from now (a 429's `retry-after`). A
    /// shorter pause never cuts a longer one short.
    pub fn pause(&self, class: RateClass, wait: Duration) {
        let until = Instant::now() + wait;
        let mut w = self.shared.classes[class.index()].window();
        w.paused_until = w.paused_until.max(Some(until));
    }

    /// When the server's pause of `class` ends, if one is in force.
    pub fn paused_until(&self, class: RateClass) -> Option<Instant> {
        let w = self.shared.classes[class.index()].window();
        w.paused_until.filter(|t| *t > Instant::now())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The most requests any window of `window` holds, given sorted send times.
    fn busiest_window(times: &[Instant], window: Duration) -> usize {
        let mut start = 0;
        let mut most = 0;
        for (end, t) in times.iter().enumerate() {
            while t.duration_since(times[start]) >= window {
                start += 1;
            }
            most = most.max(end + 1 - start);
        }
        most
    }

    async fn burst(limiter: &RateLimiter, class: RateClass, n: usize) -> Vec<Instant> {
        let tasks: Vec<_> = (0..n)
            .map(|_| {
                let limiter = limiter.clone();
                tokio::spawn(async move {
                    let _answered = limiter.acquire(class).await;
                    Instant::now()
                })
            })
            .collect();
        let mut times = Vec::new();
        for task in tasks {
            times.push(task.await.unwrap());
        }
        times.sort();
        times
    }

    #[tokio::test(start_paused = true)]
    async fn a_burst_is_spread_so_no_window_holds_more_than_the_limit() {
        let limits = RateLimits {
            read: 10,
            create: 3,
            window: Duration::from_secs(60),
        };
        let limiter = RateLimiter::new(limits);
        let start = Instant::now();
        let times = burst(&limiter, RateClass::Read, 35).await;
        assert_eq!(busiest_window(&times, limits.window), 10);
        // No needless waiting: ten at once, then ten per minute.
        let offsets: Vec<u64> = times
            .iter()
            .map(|t| t.duration_since(start).as_secs())
            .collect();
        for (i, offset) in offsets.iter().enumerate() {
            assert_eq!(*offset, 60 * (i as u64 / 10), "request {i}");
        }
        // Reads do not use up creates.
        let before = Instant::now();
        burst(&limiter, RateClass::Create, 3).await;
        assert_eq!(Instant::now(), before);
    }

    #[tokio::test(start_paused = true)]
    async fn a_backfill_under_the_default_limits_stays_under_the_documented_ones() {
        let limiter = RateLimiter::new(RateLimits::default());
        assert_eq!((limiter.limits().read, limiter.limits().create), (540, 54));
        let times = burst(&limiter, RateClass::Read, 1_500).await;
        let most = busiest_window(&times, Duration::from_secs(60));
        assert_eq!(most, 540);
        assert!(most <= RateLimits::DOCUMENTED.read as usize);
        let creates = burst(&limiter, RateClass::Create, 200).await;
        assert_eq!(busiest_window(&creates, Duration::from_secs(60)), 54);
    }

    #[tokio::test(start_paused = true)]
    async fn a_429_pause_holds_back_every_task_of_its_class() {
        let limiter = RateLimiter::new(RateLimits {
            read: 100,
            create: 100,
            window: Duration::from_secs(60),
        });
        let start = Instant::now();
        drop(limiter.acquire(RateClass::Read).await);
        limiter.pause(RateClass::Read, Duration::from_secs(5));
        limiter.pause(RateClass::Read, Duration::from_secs(2));
        assert_eq!(
            limiter.paused_until(RateClass::Read),
            Some(start + Duration::from_secs(5)),
            "a shorter pause does not cut the longer one"
        );
        let waiting = {
            let limiter = limiter.clone();
            tokio::spawn(async move { burst(&limiter, RateClass::Read, 20).await })
        };
        // Creates are another limit: not paused.
        drop(limiter.acquire(RateClass::Create).await);
        assert_eq!(Instant::now(), start);
        // A second 429 while they wait pushes them further.
        tokio::time::sleep(Duration::from_secs(4)).await;
        limiter.pause(RateClass::Read, Duration::from_secs(3));
        let times = waiting.await.unwrap();
        for t in &times {
            assert_eq!(t.duration_since(start), Duration::from_secs(7));
        }
        assert_eq!(limiter.paused_until(RateClass::Read), None);
    }

    #[tokio::test(start_paused = true)]
    async fn a_slow_request_counts_until_its_answer_and_a_window_after() {
        let limiter = RateLimiter::new(RateLimits {
            read: 2,
            create: 2,
            window: Duration::from_secs(10),
        });
        let start = Instant::now();
        let slow = limiter.acquire(RateClass::Read).await;
        let quick = limiter.acquire(RateClass::Read).await;
        drop(quick);
        // The quick one frees its slot a window after its answer (at 10 s), but the slow one,
        // still on the way, might reach the server late: it holds its slot until answered.
        let third = {
            let limiter = limiter.clone();
            tokio::spawn(async move {
                let _p = limiter.acquire(RateClass::Read).await;
                let at = Instant::now();
                let _q = limiter.acquire(RateClass::Read).await;
                (at, Instant::now())
            })
        };
        tokio::time::sleep(Duration::from_secs(15)).await;
        drop(slow); // answered at 15 s
        let (third_at, fourth_at) = third.await.unwrap();
        assert_eq!(third_at.duration_since(start), Duration::from_secs(10));
        assert_eq!(fourth_at.duration_since(start), Duration::from_secs(25));
    }

    #[test]
    fn classes_and_headroom() {
        assert_eq!(RateClass::of(&Method::GET), RateClass::Read);
        for m in [Method::POST, Method::DELETE, Method::PUT, Method::PATCH] {
            assert_eq!(RateClass::of(&m), RateClass::Create, "{m}");
        }
        let tiny = RateLimits {
            read: 1,
            create: 0,
            window: Duration::from_secs(1),
        };
        assert_eq!(tiny.with_headroom(0.9).read, 1, "never rounds to zero");
        assert_eq!(tiny.limit(RateClass::Create), 1);
        assert_eq!(
            RateLimits::DOCUMENTED.with_headroom(0.5),
            RateLimits {
                read: 300,
                create: 30,
                window: Duration::from_secs(60)
            }
        );
    }
}
