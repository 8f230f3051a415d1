//! What one SSE frame means for a session stream (reference §6.3): the SDKs' rules, applied to
//! frames decoded by `eventsource-stream` (the parser behind `reqwest-eventsource`).

use crate::error::ApiError;
use crate::events::SessionEvent;

/// The meaning of one frame.
#[derive(Debug, Clone, PartialEq)]
pub enum Frame {
    /// A session event (persisted, or a stream-only preview).
    Event(SessionEvent),
    /// A keep-alive: proves the connection is alive, carries nothing.
    KeepAlive,
    /// `event: error`: the server ended the stream with an error.
    Error(ApiError),
}

/// Applies the rules to one frame: `ping` is a keep-alive, `error` an error, empty data is
/// skipped, anything else is a JSON event dispatched on its `type` (not on the SSE name).
/// Returns `None` for frames to skip (empty or undecodable data).
pub fn interpret(event_name: &str, data: &str) -> Option<Frame> {
    match event_name {
        "ping" => Some(Frame::KeepAlive),
        "error" => Some(Frame::Error(ApiError::from_parts(
            500,
            None,
            None,
            data.to_string(),
        ))),
        _ if data.trim().is_empty() => None,
        _ => SessionEvent::parse(data).ok().map(Frame::Event),
    }
}

/// Parses a whole SSE byte stream (as received, in arbitrary chunks) into frames: what the
/// tailer does per connection, exposed for the benchmark and the tests.
pub async fn parse_stream<S, B>(chunks: S) -> Vec<Frame>
where
    S: futures_util::Stream<Item = Result<B, std::convert::Infallible>> + Unpin,
    B: AsRef<[u8]>,
{
    use eventsource_stream::Eventsource;
    use futures_util::StreamExt;
    let mut frames = Vec::new();
    let mut events = chunks.eventsource();
    while let Some(Ok(ev)) = events.next().await {
        if let Some(frame) = interpret(&ev.event, &ev.data) {
            frames.push(frame);
        }
    }
    frames
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::events::EventKind;

    #[tokio::test]
    async fn frames_follow_the_sdk_rules_across_chunk_boundaries() {
        let wire = concat!(
            ": a comment\n\n",
            "event: session.status_running\ndata: {\"type\":\"session.status_running\",\"id\":\"sevt_30\",\"processed_at\":\"2026-11-20T10:00:20Z\"}\n\n",
            "event: ping\ndata: {}\n\n",
            "event: whatever\r\ndata: {\"type\":\"agent.message\",\"id\":\"sevt_10\",\r\ndata: \"content\":[{\"type\":\"text\",\"text\":\"hi\"}]}\r\n\r\n",
            "event: agent.message\ndata:\n\n",
            "event: error\ndata: {\"type\":\"error\",\"error\":{\"type\":\"overloaded_error\",\"message\":\"Overloaded\"}}\n\n",
        );
        // Cut the wire into 7-byte chunks: frames must not depend on how TCP splits them.
        let chunks: Vec<Result<Vec<u8>, std::convert::Infallible>> =
            wire.as_bytes().chunks(7).map(|c| Ok(c.to_vec())).collect();
        let frames = parse_stream(futures_util::stream::iter(chunks)).await;
        assert_eq!(frames.len(), 4, "{frames:?}");
        assert!(
            matches!(&frames[0], Frame::Event(e) if e.kind == EventKind::SessionStatusRunning {})
        );
        assert_eq!(frames[1], Frame::KeepAlive);
        match &frames[2] {
            Frame::Event(e) => {
                assert_eq!(
                    e.id.as_deref(),
                    Some("sevt_10"),
                    "multi-line data joined, dispatched on JSON type"
                );
                assert!(matches!(e.kind, EventKind::AgentMessage { .. }));
            }
            other => panic!("{other:?}"),
        }
        match &frames[3] {
            Frame::Error(e) => assert_eq!(
                (e.error_type.as_deref(), e.message.as_str()),
                (Some("overloaded_error"), "Overloaded")
            ),
            other => panic!("{other:?}"),
        }
    }
}
