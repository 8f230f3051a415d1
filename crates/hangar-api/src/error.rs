//! Errors: what the API said (status, type, message, code, request id), or what went wrong on the way.

use std::time::Duration;

/// An error answer from the API.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiError {
    /// HTTP status.
    pub status: u16,
    /// `error.type` (`invalid_request_error`, `not_found_error`, …), when the body was JSON.
    pub error_type: Option<String>,
    /// `error.message`, or the body text when it was not JSON.
    pub message: String,
    /// `error.details.error_code`, when present.
    pub error_code: Option<String>,
    /// The `request-id` response header (or the body's `request_id`).
    pub request_id: Option<String>,
    /// The body exactly as received.
    pub raw: String,
    /// How long the server asked us to wait (`retry-after-ms` / `retry-after`).
    pub retry_after: Option<Duration>,
}

impl ApiError {
    /// Parses an error answer. A body that is not the API's JSON error is kept as text.
    pub fn from_parts(
        status: u16,
        request_id: Option<String>,
        retry_after: Option<Duration>,
        body: String,
    ) -> Self {
        let json: Option<serde_json::Value> = serde_json::from_str(&body).ok();
        let error = json.as_ref().and_then(|v| v.get("error"));
        let text = |v: Option<&serde_json::Value>| v.and_then(|v| v.as_str()).map(str::to_string);
        let message = text(error.and_then(|e| e.get("message"))).unwrap_or_else(|| {
            if body.trim().is_empty() {
                format!("HTTP {status}")
            } else {
                body.chars().take(500).collect()
            }
        });
        Self {
            status,
            error_type: text(error.and_then(|e| e.get("type"))),
            error_code: text(
                error
                    .and_then(|e| e.get("details"))
                    .and_then(|d| d.get("error_code")),
            ),
            request_id: request_id
                .or_else(|| text(json.as_ref().and_then(|v| v.get("request_id")))),
            message,
            raw: body,
            retry_after,
        }
    }
}

impl std::fmt::Display for ApiError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} (HTTP {}", self.message, self.status)?;
        if let Some(t) = &self.error_type {
            write!(f, ", {t}")?;
        }
        if let Some(c) = &self.error_code {
            write!(f, ", {c}")?;
        }
        if let Some(r) = &self.request_id {
            write!(f, ", request {r}")?;
        }
        f.write_str(")")
    }
}

/// Everything a call can fail with.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The API answered with an error status.
    #[error("the API refused the request: {0}")]
    Api(Box<ApiError>),
    /// An agent update named a `version` that is no longer current: someone else saved first.
    /// Never retried: reload and re-apply, or save without a version to overwrite.
    #[error("the agent was changed by someone else since you opened it: {0}")]
    VersionConflict(Box<ApiError>),
    /// The server could not be reached or the connection broke.
    #[error("could not reach the API: {0}")]
    Transport(String),
    /// The answer was not the JSON expected.
    #[error("unexpected answer from the API ({what}): {detail}")]
    Decode {
        /// What was being read.
        what: &'static str,
        /// The parser's complaint.
        detail: String,
    },
    /// The input was rejected before sending.
    #[error("invalid input: {0}")]
    Invalid(String),
}

impl Error {
    /// The HTTP status of an API error.
    pub fn status(&self) -> Option<u16> {
        match self {
            Error::Api(e) | Error::VersionConflict(e) => Some(e.status),
            _ => None,
        }
    }

    /// The API's error body, when the API answered.
    pub fn api(&self) -> Option<&ApiError> {
        match self {
            Error::Api(e) | Error::VersionConflict(e) => Some(e),
            _ => None,
        }
    }

    /// True for failures where trying again later may work (network, 408/409/429/5xx).
    pub fn is_transient(&self) -> bool {
        match self {
            Error::Transport(_) => true,
            Error::Api(e) => matches!(e.status, 408 | 409 | 429) || e.status >= 500,
            _ => false,
        }
    }
}

/// Result alias of this crate.
pub type Result<T, E = Error> = std::result::Result<T, E>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn api_error_bodies_parse_or_stay_text() {
        let body = r#"{"type":"error","error":{"type":"invalid_request_error","message":"metadata has more than 16 keys","details":{"error_code":"invalid_metadata"}},"request_id":"req_body"}"#;
        let e = ApiError::from_parts(400, Some("req_hdr".into()), None, body.into());
        assert_eq!(e.error_type.as_deref(), Some("invalid_request_error"));
        assert_eq!(e.error_code.as_deref(), Some("invalid_metadata"));
        assert_eq!(e.request_id.as_deref(), Some("req_hdr"), "the header wins");
        assert_eq!(e.message, "metadata has more than 16 keys");
        assert_eq!(e.to_string(), "metadata has more than 16 keys (HTTP 400, invalid_request_error, invalid_metadata, request req_hdr)");

        let e = ApiError::from_parts(502, None, None, "<html>Bad gateway</html>".into());
        assert_eq!(
            (e.error_type, e.message.as_str()),
            (None, "<html>Bad gateway</html>")
        );
        let e = ApiError::from_parts(401, None, None, r#"{"type":"error","error":{"type":"authentication_error","message":"invalid x-api-key"},"request_id":"req_1"}"#.into());
        assert_eq!(
            e.request_id.as_deref(),
            Some("req_1"),
            "falls back to the body's id"
        );
    }
}
