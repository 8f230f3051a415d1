//! When to retry, and how long to wait: the official SDKs' policy (reference §3).

use std::time::Duration;

use reqwest::header::HeaderMap;

/// How many retries and the backoff bounds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RetryPolicy {
    /// Retries after the first attempt (SDK default 2).
    pub max_retries: u32,
    /// First backoff (SDK 0.5 s).
    pub initial: Duration,
    /// Backoff cap (SDK 8 s).
    pub max: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        Self {
            max_retries: 2,
            initial: Duration::from_millis(500),
            max: Duration::from_secs(8),
        }
    }
}

/// The server's explicit wish: `x-should-retry: true|false`.
pub fn should_retry_header(headers: &HeaderMap) -> Option<bool> {
    match headers.get("x-should-retry")?.to_str().ok()? {
        "true" => Some(true),
        "false" => Some(false),
        _ => None,
    }
}

/// Whether a status is retried when the server did not say (`408, 409, 429, ≥500`).
pub fn status_is_retryable(status: u16) -> bool {
    matches!(status, 408 | 409 | 429) || status >= 500
}

/// `retry-after-ms` (float ms), else `retry-after` (float seconds). HTTP-date forms are ignored
/// (backoff applies), as are zero, negative and absurd values (over a minute is capped to it).
pub fn retry_after(headers: &HeaderMap) -> Option<Duration> {
    let get = |name: &str| {
        headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.trim().parse::<f64>().ok())
    };
    let ms = get("retry-after-ms").or_else(|| get("retry-after").map(|s| s * 1000.0))?;
    if !(ms.is_finite() && ms > 0.0) {
        return None;
    }
    Some(Duration::from_secs_f64((ms / 1000.0).min(60.0)))
}

/// The wait before retry number `retries_done + 1`: the server's `retry-after` when given,
/// else `min(initial × 2^n, max)` minus up to 25 % jitter.
pub fn retry_delay(
    policy: &RetryPolicy,
    retries_done: u32,
    server: Option<Duration>,
    jitter: f64,
) -> Duration {
    if let Some(wait) = server {
        return wait;
    }
    let base = policy.initial.as_secs_f64() * 2f64.powi(retries_done.min(30) as i32);
    let capped = base.min(policy.max.as_secs_f64());
    Duration::from_secs_f64(capped * (1.0 - 0.25 * jitter.clamp(0.0, 1.0)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use reqwest::header::{HeaderName, HeaderValue};

    fn headers(pairs: &[(&'static str, &'static str)]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for (k, v) in pairs {
            h.insert(HeaderName::from_static(k), HeaderValue::from_static(v));
        }
        h
    }

    #[test]
    fn server_wait_headers() {
        assert_eq!(
            retry_after(&headers(&[("retry-after-ms", "2500")])),
            Some(Duration::from_millis(2500))
        );
        assert_eq!(
            retry_after(&headers(&[("retry-after", "3")])),
            Some(Duration::from_secs(3))
        );
        assert_eq!(
            retry_after(&headers(&[("retry-after-ms", "250"), ("retry-after", "9")])),
            Some(Duration::from_millis(250)),
            "ms wins"
        );
        assert_eq!(retry_after(&headers(&[("retry-after", "0")])), None);
        assert_eq!(
            retry_after(&headers(&[(
                "retry-after",
                "Wed, 21 Oct 2026 07:28:00 GMT"
            )])),
            None
        );
        assert_eq!(retry_after(&headers(&[])), None);
        assert_eq!(
            should_retry_header(&headers(&[("x-should-retry", "false")])),
            Some(false)
        );
        assert_eq!(
            should_retry_header(&headers(&[("x-should-retry", "true")])),
            Some(true)
        );
    }

    #[test]
    fn exponential_backoff_with_jitter_and_cap() {
        let p = RetryPolicy::default();
        for (n, jitter, expect_ms) in [
            (0, 0.0, 500),
            (1, 0.0, 1000),
            (2, 0.0, 2000),
            (4, 0.0, 8000),
            (9, 0.0, 8000),
            (0, 1.0, 375),
            (3, 0.5, 3500),
        ] {
            assert_eq!(
                retry_delay(&p, n, None, jitter).as_millis(),
                expect_ms,
                "n={n} jitter={jitter}"
            );
        }
        assert_eq!(
            retry_delay(&p, 0, Some(Duration::from_secs(3)), 1.0),
            Duration::from_secs(3)
        );
        for s in [408, 409, 429, 500, 503, 529] {
            assert!(status_is_retryable(s), "{s}");
        }
        for s in [400, 401, 403, 404, 422] {
            assert!(!status_is_retryable(s), "{s}");
        }
    }
}
