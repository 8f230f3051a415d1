//! The HTTP core: headers, retries, JSON in and out.

use std::sync::Arc;
use std::time::Duration;

use reqwest::header::{HeaderMap, HeaderValue, ACCEPT, AUTHORIZATION, CONTENT_TYPE};
use reqwest::{Method, Response};
use serde::de::DeserializeOwned;
use serde::Serialize;

use crate::error::{ApiError, Error, Result};
use crate::limit::{RateClass, RateLimiter, RateLimits, RatePermit};
use crate::retry::{
    retry_after, retry_delay, should_retry_header, status_is_retryable, RetryPolicy,
};
use crate::{API_VERSION, MANAGED_AGENTS_BETA};

/// The real API.
pub const DEFAULT_BASE_URL: &str = "https://api.anthropic.com";

/// An API key. It never prints: `Debug` shows only its last four characters.
#[derive(Clone, PartialEq, Eq)]
pub struct ApiKey(Arc<str>);

impl ApiKey {
    /// Wraps a key (surrounding whitespace, as pasted, is removed).
    pub fn new(key: impl AsRef<str>) -> Self {
        Self(Arc::from(key.as_ref().trim()))
    }

    /// The last four characters, for "…abcd" labels.
    pub fn last_four(&self) -> String {
        let chars: Vec<char> = self.0.chars().collect();
        chars[chars.len().saturating_sub(4)..].iter().collect()
    }

    /// True when empty.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The secret itself: only for the `Authorization` header and the keychain.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Debug for ApiKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "ApiKey(…{})", self.last_four())
    }
}

/// How to reach the API.
#[derive(Debug, Clone)]
pub struct ClientConfig {
    /// Base URL without a trailing slash (`https://api.anthropic.com`).
    pub base_url: String,
    /// The key.
    pub api_key: ApiKey,
    /// Retries for ordinary requests.
    pub retry: RetryPolicy,
    /// Per-request timeout (not applied to SSE streams, which have a watchdog instead).
    pub timeout: Duration,
    /// Client-side rate limits, shared by every clone of the client; `None` sends without
    /// waiting. Default: the documented per-organisation limits with 10 % headroom.
    pub rate_limits: Option<RateLimits>,
}

impl ClientConfig {
    /// The real API, or `ANTHROPIC_BASE_URL` when set.
    pub fn new(api_key: ApiKey) -> Self {
        let base_url = std::env::var("ANTHROPIC_BASE_URL")
            .ok()
            .filter(|s| !s.is_empty())
            .unwrap_or_else(|| DEFAULT_BASE_URL.into());
        Self::with_base_url(base_url, api_key)
    }

    /// A specific server (a profile's URL, or the fake API).
    pub fn with_base_url(base_url: impl Into<String>, api_key: ApiKey) -> Self {
        Self {
            base_url: base_url.into().trim_end_matches('/').to_string(),
            api_key,
            retry: RetryPolicy::default(),
            timeout: Duration::from_secs(600),
            rate_limits: Some(RateLimits::default()),
        }
    }
}

/// The beta header a family needs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Beta {
    ManagedAgents,
    /// `agent-api-2026-03-01` alone: only the older guide's agent DELETE uses it.
    LegacyAgents,
    /// `agent-memory-2026-07-22`: memory stores, memories, memory versions.
    Memory,
    None,
}

/// How a request may be retried.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Retry {
    /// The SDK policy.
    Standard,
    /// Never: the request is not safe to repeat (event sends: no idempotency key exists).
    Never,
    /// The SDK policy except 409, which is a version conflict to surface.
    ConflictIsFinal,
    /// The SDK policy except 409, answered at once as [`Error::Api`]: a memory precondition or
    /// path conflict gives the same answer every time.
    ConflictIsApi,
}

/// A request body.
pub(crate) enum Body {
    Empty,
    Json(serde_json::Value),
    Multipart(Vec<FilePart>),
}

/// One multipart field (rebuilt for every attempt, since a form cannot be cloned).
#[derive(Debug, Clone)]
pub(crate) struct FilePart {
    pub field: String,
    pub filename: Option<String>,
    pub bytes: Vec<u8>,
    pub mime: Option<String>,
}

/// A Managed Agents API client. Cheap to clone.
#[derive(Clone)]
pub struct Client {
    http: reqwest::Client,
    config: Arc<ClientConfig>,
    limiter: Option<RateLimiter>,
}

impl std::fmt::Debug for Client {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Client")
            .field("base_url", &self.config.base_url)
            .field("api_key", &self.config.api_key)
            .finish()
    }
}

impl Client {
    /// A client for `config`.
    pub fn new(config: ClientConfig) -> Result<Self> {
        if config.api_key.is_empty() {
            return Err(Error::Invalid("the API key is empty".into()));
        }
        let http = reqwest::Client::builder()
            .connect_timeout(Duration::from_secs(10))
            .user_agent(concat!("Hangar/", env!("CARGO_PKG_VERSION")))
            .build()
            .map_err(|e| Error::Transport(e.to_string()))?;
        Ok(Self {
            http,
            limiter: config.rate_limits.map(RateLimiter::new),
            config: Arc::new(config),
        })
    }

    /// The same client (connection pool and rate limiter shared) with another retry policy:
    /// a connection check, say, wants an answer now rather than after retries.
    pub fn with_retry(&self, retry: crate::RetryPolicy) -> Client {
        let mut config = (*self.config).clone();
        config.retry = retry;
        Client {
            http: self.http.clone(),
            config: Arc::new(config),
            limiter: self.limiter.clone(),
        }
    }

    /// The configuration in use.
    pub fn config(&self) -> &ClientConfig {
        &self.config
    }

    /// The rate limiter every clone of this client shares (`None` when limits are off).
    pub fn rate_limiter(&self) -> Option<&RateLimiter> {
        self.limiter.as_ref()
    }

    /// Waits for a turn to send a request of `class`; drop the permit once answered.
    pub(crate) async fn throttle(&self, class: RateClass) -> Option<RatePermit> {
        match &self.limiter {
            Some(limiter) => Some(limiter.acquire(class).await),
            None => None,
        }
    }

    /// The server answered 429: hold back every request of `class` for `wait`.
    pub(crate) fn rate_limited(&self, class: RateClass, wait: Duration) {
        if let Some(limiter) = &self.limiter {
            limiter.pause(class, wait);
        }
    }

    pub(crate) fn url(&self, path: &str) -> String {
        format!("{}{}", self.config.base_url, path)
    }

    pub(crate) fn headers(&self, beta: Beta) -> Result<HeaderMap> {
        let mut h = HeaderMap::new();
        let auth = HeaderValue::from_str(&format!("Bearer {}", self.config.api_key.expose()))
            .map_err(|_| {
                Error::Invalid("the API key contains characters that cannot be sent".into())
            })?;
        h.insert(AUTHORIZATION, auth);
        h.insert("anthropic-version", HeaderValue::from_static(API_VERSION));
        match beta {
            Beta::ManagedAgents => {
                h.insert(
                    "anthropic-beta",
                    HeaderValue::from_static(MANAGED_AGENTS_BETA),
                );
            }
            Beta::LegacyAgents => {
                h.insert(
                    "anthropic-beta",
                    HeaderValue::from_static("agent-api-2026-03-01"),
                );
            }
            Beta::Memory => {
                h.insert(
                    "anthropic-beta",
                    HeaderValue::from_static(hangar_model::memory::MEMORY_BETA),
                );
            }
            Beta::None => {}
        }
        h.insert(ACCEPT, HeaderValue::from_static("application/json"));
        Ok(h)
    }

    /// Sends a request with the retry policy; returns the successful response.
    pub(crate) async fn send(
        &self,
        method: Method,
        path: &str,
        query: &[(String, String)],
        body: Body,
        beta: Beta,
        retry: Retry,
    ) -> Result<Response> {
        let policy = self.config.retry;
        let class = RateClass::of(&method);
        let mut retries_done = 0u32;
        loop {
            let permit = self.throttle(class).await;
            let mut request = self
                .http
                .request(method.clone(), self.url(path))
                .headers(self.headers(beta)?)
                .query(query)
                .timeout(self.config.timeout);
            request = match &body {
                Body::Empty if method != Method::GET => {
                    request.header(CONTENT_TYPE, "application/json").body("")
                }
                Body::Empty => request,
                Body::Json(v) => request.json(v),
                Body::Multipart(parts) => {
                    let mut form = reqwest::multipart::Form::new();
                    for p in parts {
                        let mut part = reqwest::multipart::Part::bytes(p.bytes.clone());
                        if let Some(name) = &p.filename {
                            part = part.file_name(name.clone());
                        }
                        if let Some(mime) = &p.mime {
                            part = part
                                .mime_str(mime)
                                .map_err(|e| Error::Invalid(e.to_string()))?;
                        }
                        form = form.part(p.field.clone(), part);
                    }
                    request.multipart(form)
                }
            };
            let outcome = request.send().await;
            // Answered (or failed): the server has counted it, its window starts now.
            drop(permit);
            let (retryable, server_wait, error, status) = match outcome {
                Ok(response) if response.status().is_success() => return Ok(response),
                Ok(response) => {
                    let status = response.status().as_u16();
                    let headers = response.headers().clone();
                    let request_id = headers
                        .get("request-id")
                        .and_then(|v| v.to_str().ok())
                        .map(str::to_string);
                    let wait = retry_after(&headers);
                    let text = response.text().await.unwrap_or_default();
                    let api = ApiError::from_parts(status, request_id, wait, text);
                    if status == 409 && retry == Retry::ConflictIsFinal {
                        return Err(Error::VersionConflict(Box::new(api)));
                    }
                    if status == 409 && retry == Retry::ConflictIsApi {
                        return Err(Error::Api(Box::new(api)));
                    }
                    let retryable = should_retry_header(&headers)
                        .unwrap_or_else(|| status_is_retryable(status));
                    (retryable, wait, Error::Api(Box::new(api)), Some(status))
                }
                Err(e) => (true, None, Error::Transport(describe(&e)), None),
            };
            if let (Some(429), Some(wait)) = (status, server_wait) {
                // Over the limit: every task sending this class waits as told, not only this one.
                self.rate_limited(class, wait);
            }
            if retry == Retry::Never || !retryable || retries_done >= policy.max_retries {
                return Err(error);
            }
            tokio::time::sleep(retry_delay(
                &policy,
                retries_done,
                server_wait,
                fastrand::f64(),
            ))
            .await;
            retries_done += 1;
        }
    }

    /// Sends and decodes a JSON answer.
    #[allow(
        clippy::too_many_arguments,
        reason = "the one place every request's parts meet; callers use get/post/delete"
    )]
    pub(crate) async fn json<T: DeserializeOwned>(
        &self,
        method: Method,
        path: &str,
        query: &[(String, String)],
        body: Body,
        beta: Beta,
        retry: Retry,
        what: &'static str,
    ) -> Result<T> {
        let response = self.send(method, path, query, body, beta, retry).await?;
        let bytes = response
            .bytes()
            .await
            .map_err(|e| Error::Transport(describe(&e)))?;
        serde_json::from_slice(&bytes).map_err(|e| Error::Decode {
            what,
            detail: e.to_string(),
        })
    }

    pub(crate) async fn get<T: DeserializeOwned>(
        &self,
        path: &str,
        query: &[(String, String)],
        beta: Beta,
        what: &'static str,
    ) -> Result<T> {
        self.json(
            Method::GET,
            path,
            query,
            Body::Empty,
            beta,
            Retry::Standard,
            what,
        )
        .await
    }

    /// One page of a list: `params` (limit, page, include_archived) plus `extra` filters.
    pub(crate) async fn list<T: DeserializeOwned>(
        &self,
        path: &str,
        params: &crate::ListParams,
        extra: Vec<(String, String)>,
        beta: Beta,
        what: &'static str,
    ) -> Result<T> {
        let mut q = Vec::new();
        params.push(&mut q);
        q.extend(extra);
        self.get(path, &q, beta, what).await
    }

    pub(crate) async fn post<T: DeserializeOwned, B: Serialize>(
        &self,
        path: &str,
        body: &B,
        beta: Beta,
        what: &'static str,
    ) -> Result<T> {
        let value = serde_json::to_value(body).map_err(|e| Error::Invalid(e.to_string()))?;
        self.json(
            Method::POST,
            path,
            &[],
            Body::Json(value),
            beta,
            Retry::Standard,
            what,
        )
        .await
    }

    pub(crate) async fn post_empty<T: DeserializeOwned>(
        &self,
        path: &str,
        beta: Beta,
        what: &'static str,
    ) -> Result<T> {
        self.json(
            Method::POST,
            path,
            &[],
            Body::Empty,
            beta,
            Retry::Standard,
            what,
        )
        .await
    }

    pub(crate) async fn delete<T: DeserializeOwned>(
        &self,
        path: &str,
        beta: Beta,
        what: &'static str,
    ) -> Result<T> {
        self.json(
            Method::DELETE,
            path,
            &[],
            Body::Empty,
            beta,
            Retry::Standard,
            what,
        )
        .await
    }

    pub(crate) fn http(&self) -> &reqwest::Client {
        &self.http
    }
}

/// A transport error as one readable line, with the key never in it (reqwest never prints headers).
pub(crate) fn describe(e: &reqwest::Error) -> String {
    let mut text = e.to_string();
    let mut source = std::error::Error::source(e);
    while let Some(s) = source {
        text.push_str(": ");
        text.push_str(&s.to_string());
        source = s.source();
    }
    text
}

/// Percent-encodes one path segment (ids are plain, but a pasted id must not escape its segment).
pub(crate) fn seg(id: &str) -> String {
    id.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_key_never_prints() {
        let key = ApiKey::new("  sk-ant-secret-value-1234\n");
        assert_eq!(format!("{key:?}"), "ApiKey(…1234)");
        assert_eq!(key.last_four(), "1234");
        assert_eq!(key.expose(), "sk-ant-secret-value-1234");
        let client = Client::new(ClientConfig::with_base_url("http://127.0.0.1:9/", key)).unwrap();
        let shown = format!("{client:?}");
        assert!(!shown.contains("secret"), "{shown}");
        assert_eq!(client.config().base_url, "http://127.0.0.1:9");
        assert!(Client::new(ClientConfig::with_base_url("http://x", ApiKey::new(" "))).is_err());
    }

    #[test]
    fn path_segments_are_escaped() {
        assert_eq!(seg("agent_011CZk"), "agent_011CZk");
        assert_eq!(seg("../v1/x?y"), "..%2Fv1%2Fx%3Fy");
    }
}
