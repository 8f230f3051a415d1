//! Fault injection: what the fake does wrong on purpose, per instance or per session.

use std::time::Duration;

/// Faults applied to live streams (per connection) and to ordinary requests.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Faults {
    /// Close each stream connection after this many frames.
    pub drop_after_frames: Option<usize>,
    /// Send every Nth event frame twice.
    pub repeat_every: Option<usize>,
    /// Wait this long before each frame.
    pub delay_frames: Option<Duration>,
    /// After this many frames, go silent (no events, no pings) but keep the connection open.
    pub stall_after_frames: Option<usize>,
    /// The next stream connections are answered with these statuses (`retry-after` seconds).
    pub fail_streams: Vec<(u16, Option<u64>)>,
}
