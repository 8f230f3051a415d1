//! The fake's HTTP conventions: error bodies, request ids, auth and beta checks, query arrays,
//! cursor pagination, metadata rules.

use std::sync::Arc;

use axum::extract::{Request, State};
use axum::http::{HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::{json, Map, Value};

use crate::Shared;

/// An error answer, shaped as the API's.
#[derive(Debug)]
pub struct ApiErr {
    pub status: StatusCode,
    pub kind: &'static str,
    pub message: String,
    pub code: Option<&'static str>,
    pub retry_after: Option<u64>,
    /// More fields inside `error` (memory conflicts carry `conflicting_path`, …).
    pub fields: Map<String, Value>,
}

impl ApiErr {
    pub fn new(status: u16, kind: &'static str, message: impl Into<String>) -> Self {
        Self {
            status: StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR),
            kind,
            message: message.into(),
            code: None,
            retry_after: None,
            fields: Map::new(),
        }
    }
    pub fn invalid(message: impl Into<String>) -> Self {
        Self::new(400, "invalid_request_error", message)
    }
    pub fn not_found(what: &str, id: &str) -> Self {
        Self::new(404, "not_found_error", format!("{what} {id} not found"))
    }
    pub fn code(mut self, code: &'static str) -> Self {
        self.code = Some(code);
        self
    }
    pub fn field(mut self, name: &str, value: Value) -> Self {
        self.fields.insert(name.to_string(), value);
        self
    }
}

impl IntoResponse for ApiErr {
    fn into_response(self) -> Response {
        let mut error = json!({"type": self.kind, "message": self.message});
        if let Some(code) = self.code {
            error["details"] = json!({"error_code": code});
        }
        for (k, v) in self.fields {
            error[k] = v;
        }
        let body = json!({"type": "error", "error": error, "request_id": Value::Null});
        let mut response = (self.status, Json(body)).into_response();
        if let Some(secs) = self.retry_after {
            if let Ok(v) = HeaderValue::from_str(&secs.to_string()) {
                response.headers_mut().insert("retry-after", v);
            }
            if let Ok(v) = HeaderValue::from_str(&(secs * 1000).to_string()) {
                response.headers_mut().insert("retry-after-ms", v);
            }
        }
        response
    }
}

pub type ApiResult<T = Json<Value>> = Result<T, ApiErr>;

/// Archives an object (idempotent: a second archive keeps the first time) and returns it.
pub fn archive_in_place(object: &mut Value, now: &str) -> Value {
    if object["archived_at"].is_null() {
        object["archived_at"] = Value::String(now.to_string());
        object["updated_at"] = Value::String(now.to_string());
    }
    object.clone()
}

/// A JSON object body; an empty body (as `/archive` sends) is an empty object.
pub fn body_object(body: &axum::body::Bytes) -> ApiResult<Map<String, Value>> {
    if body.is_empty() {
        return Ok(Map::new());
    }
    match serde_json::from_slice::<Value>(body) {
        Ok(Value::Object(m)) => Ok(m),
        Ok(_) => Err(ApiErr::invalid("the request body must be a JSON object")),
        Err(e) => Err(ApiErr::invalid(format!("invalid JSON body: {e}"))),
    }
}

/// Query parameters in order, both array encodings accepted (`x[]=a&x[]=b` and `x=a&x=b`).
#[derive(Debug, Default, Clone)]
pub struct Params(pub Vec<(String, String)>);

impl Params {
    pub fn parse(raw: Option<&str>) -> Self {
        Params(
            form_urlencoded::parse(raw.unwrap_or("").as_bytes())
                .map(|(k, v)| (k.into_owned(), v.into_owned()))
                .collect(),
        )
    }
    pub fn get(&self, name: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }
    pub fn all(&self, name: &str) -> Vec<String> {
        let bracket = format!("{name}[]");
        self.0
            .iter()
            .filter(|(k, _)| k == name || *k == bracket)
            .map(|(_, v)| v.clone())
            .collect()
    }
    pub fn flag(&self, name: &str) -> ApiResult<bool> {
        match self.get(name) {
            None => Ok(false),
            Some("true") => Ok(true),
            Some("false") => Ok(false),
            Some(other) => Err(ApiErr::invalid(format!(
                "{name} must be true or false, not {other:?}"
            ))),
        }
    }
}

fn parse_limit(q: &Params, default_limit: usize, max_limit: usize) -> ApiResult<usize> {
    match q.get("limit") {
        None => Ok(default_limit),
        Some(l) => l
            .parse::<usize>()
            .ok()
            .filter(|l| (1..=max_limit).contains(l))
            .ok_or_else(|| {
                ApiErr::invalid(format!(
                    "limit must be an integer between 1 and {max_limit}"
                ))
            }),
    }
}

/// One page of `items`: `limit` (default/max per endpoint), `page` = the previous `next_page`.
pub fn paginate(
    items: Vec<Value>,
    q: &Params,
    default_limit: usize,
    max_limit: usize,
    with_prev: bool,
) -> ApiResult {
    let limit = parse_limit(q, default_limit, max_limit)?;
    let offset = match q.get("page") {
        None | Some("") => 0,
        Some(cursor) => {
            decode_cursor(cursor).ok_or_else(|| ApiErr::invalid("invalid page cursor"))?
        }
    };
    let end = (offset + limit).min(items.len());
    let data: Vec<Value> = items
        .get(offset..end)
        .map(<[Value]>::to_vec)
        .unwrap_or_default();
    let next = (end < items.len()).then(|| encode_cursor(end));
    let mut body = json!({"data": data, "next_page": next});
    if with_prev {
        body["prev_page"] = if offset > 0 {
            json!(encode_cursor(offset.saturating_sub(limit)))
        } else {
            Value::Null
        };
    }
    Ok(Json(body))
}

/// One page of `items`, which are sorted by (`field`, `id`), newest first when `desc`, with
/// cursors that name the boundary item instead of an offset: a page fetched after other items
/// were created or deleted continues exactly after the last item the client saw, as a keyset
/// cursor on the real API does, never repeating or skipping one.
pub fn paginate_keyed(
    items: Vec<Value>,
    q: &Params,
    limits: (usize, usize),
    with_prev: bool,
    field: &str,
    desc: bool,
) -> ApiResult {
    let (default_limit, max_limit) = limits;
    let limit = parse_limit(q, default_limit, max_limit)?;
    let key = |item: &Value| -> (String, String) {
        (
            item.get(field)
                .and_then(Value::as_str)
                .map(normalize_time)
                .unwrap_or_default(),
            item.get("id")
                .and_then(Value::as_str)
                .unwrap_or_default()
                .to_string(),
        )
    };
    // Whether `item` comes after the boundary `k` in the list's order.
    let after = |item: &(String, String), k: &(String, String)| {
        if desc {
            item < k
        } else {
            item > k
        }
    };
    let (start, end) = match q.get("page") {
        None | Some("") => (0, limit.min(items.len())),
        Some(cursor) => match decode_key_cursor(cursor) {
            Some(KeyCursor::After(k)) => {
                let start = items.partition_point(|i| !after(&key(i), &k));
                (start, (start + limit).min(items.len()))
            }
            Some(KeyCursor::Before(k)) => {
                let end = items.partition_point(|i| {
                    let ik = key(i);
                    !after(&ik, &k) && ik != k
                });
                (end.saturating_sub(limit), end)
            }
            None => return Err(ApiErr::invalid("invalid page cursor")),
        },
    };
    let data: Vec<Value> = items
        .get(start..end)
        .map(<[Value]>::to_vec)
        .unwrap_or_default();
    let next = match data.last() {
        Some(last) if end < items.len() => Some(encode_key_cursor('n', &key(last))),
        _ => None,
    };
    let mut body = json!({"data": data, "next_page": next});
    if with_prev {
        body["prev_page"] = match data.first() {
            Some(first) if start > 0 => json!(encode_key_cursor('p', &key(first))),
            _ => Value::Null,
        };
    }
    Ok(Json(body))
}

enum KeyCursor {
    After((String, String)),
    Before((String, String)),
}

fn checksum(bytes: &[u8]) -> char {
    let sum = bytes
        .iter()
        .fold(0u32, |a, b| a.wrapping_mul(31).wrapping_add(u32::from(*b)));
    (b'a' + (sum % 26) as u8) as char
}

fn encode_key_cursor(direction: char, (time, id): &(String, String)) -> String {
    let raw = format!("{direction}{time}\u{1f}{id}");
    let hex: String = raw.bytes().map(|b| format!("{b:02x}")).collect();
    format!("page_{hex}{}", checksum(raw.as_bytes()))
}

fn decode_key_cursor(cursor: &str) -> Option<KeyCursor> {
    let body = cursor.strip_prefix("page_")?;
    let (hex, check) = body.split_at(body.len().checked_sub(1)?);
    if hex.len() % 2 != 0 {
        return None;
    }
    let bytes: Vec<u8> = (0..hex.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(hex.get(i..i + 2)?, 16).ok())
        .collect::<Option<_>>()?;
    if !check.starts_with(checksum(&bytes)) {
        return None;
    }
    let raw = String::from_utf8(bytes).ok()?;
    let mut chars = raw.chars();
    let direction = chars.next()?;
    let (time, id) = chars.as_str().split_once('\u{1f}')?;
    let k = (time.to_string(), id.to_string());
    match direction {
        'n' => Some(KeyCursor::After(k)),
        'p' => Some(KeyCursor::Before(k)),
        _ => None,
    }
}

fn encode_cursor(offset: usize) -> String {
    // Opaque to clients; a checksum letter makes typos fail loudly.
    format!("page_{offset:x}{}", (b'a' + (offset % 26) as u8) as char)
}

fn decode_cursor(cursor: &str) -> Option<usize> {
    let body = cursor.strip_prefix("page_")?;
    let (hex, check) = body.split_at(body.len().checked_sub(1)?);
    let offset = usize::from_str_radix(hex, 16).ok()?;
    (check.as_bytes().first() == Some(&(b'a' + (offset % 26) as u8))).then_some(offset)
}

/// Timestamp filters `created_at[gt|gte|lt|lte]` against `field`. A bound that is not an
/// RFC 3339 time is refused, as the API refuses it.
pub fn time_filter(q: &Params, field: &str, items: Vec<Value>) -> ApiResult<Vec<Value>> {
    let bound = |op: &str| -> ApiResult<Option<i64>> {
        let name = format!("created_at[{op}]");
        match q.get(&name) {
            None => Ok(None),
            Some(t) => parse_time(t).map(Some).ok_or_else(|| {
                ApiErr::invalid(format!("{name}: {t:?} is not an RFC 3339 date-time"))
            }),
        }
    };
    let (gt, gte, lt, lte) = (bound("gt")?, bound("gte")?, bound("lt")?, bound("lte")?);
    Ok(items
        .into_iter()
        .filter(|item| {
            let Some(t) = item.get(field).and_then(Value::as_str).and_then(parse_time) else {
                // No time yet (a queued user event): only unbounded listings include it.
                return gt.is_none() && gte.is_none() && lt.is_none() && lte.is_none();
            };
            gt.is_none_or(|b| t > b)
                && gte.is_none_or(|b| t >= b)
                && lt.is_none_or(|b| t < b)
                && lte.is_none_or(|b| t <= b)
        })
        .collect())
}

/// `2026-11-20T10:00:00Z`, `…00.5Z`, `…00.000000+02:00` as µs since the epoch (fractions beyond
/// µs are cut).
pub fn parse_time(t: &str) -> Option<i64> {
    let t = t.trim();
    let (date, rest) = t.split_once(['T', 't', ' '])?;
    let mut d = date.splitn(3, '-');
    let (y, m, day): (i64, i64, i64) = (
        d.next()?.parse().ok()?,
        d.next()?.parse().ok()?,
        d.next()?.parse().ok()?,
    );
    if date.len() != 10 || !(1..=12).contains(&m) || !(1..=31).contains(&day) {
        return None;
    }
    let (clock, offset_us) = if let Some(c) = rest.strip_suffix(['Z', 'z']) {
        (c, 0)
    } else {
        let at = rest.rfind(['+', '-'])?;
        let (c, off) = rest.split_at(at);
        let sign = if off.starts_with('-') { -1 } else { 1 };
        let (oh, om) = off.get(1..)?.split_once(':')?;
        let (oh, om): (i64, i64) = (oh.parse().ok()?, om.parse().ok()?);
        (c, sign * (oh * 3600 + om * 60) * 1_000_000)
    };
    let (hms, frac) = match clock.split_once('.') {
        Some((hms, frac)) if !frac.is_empty() && frac.bytes().all(|b| b.is_ascii_digit()) => {
            (hms, frac)
        }
        Some(_) => return None,
        None => (clock, ""),
    };
    let mut parts = hms.splitn(3, ':');
    let (hh, mm, ss): (i64, i64, i64) = (
        parts.next()?.parse().ok()?,
        parts.next()?.parse().ok()?,
        parts.next()?.parse().ok()?,
    );
    if hms.len() != 8 || hh > 23 || mm > 59 || ss > 60 {
        return None;
    }
    let micros: i64 = format!("{:0<6}", &frac[..frac.len().min(6)]).parse().ok()?;
    let days = days_from_civil(y, m, day);
    Some(((days * 86_400 + hh * 3600 + mm * 60 + ss) * 1_000_000 + micros) - offset_us)
}

fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// `2026-11-20T10:00:00Z` and `…00.000000Z` compare equal after this (keys of cursors).
fn normalize_time(t: &str) -> String {
    let t = t.trim_end_matches('Z');
    match t.split_once('.') {
        Some((secs, frac)) => format!("{secs}.{:0<6}", &frac[..frac.len().min(6)]),
        None => format!("{t}.000000"),
    }
}

/// Applies a metadata patch (string upserts, null deletes; `empty_deletes` for environments).
pub fn patch_metadata(
    current: &mut Map<String, Value>,
    patch: &Value,
    empty_deletes: bool,
) -> ApiResult<()> {
    let Some(patch) = patch.as_object() else {
        return Err(ApiErr::invalid("metadata must be an object").code("invalid_metadata"));
    };
    for (k, v) in patch {
        match v {
            Value::Null => {
                current.remove(k);
            }
            Value::String(s) if s.is_empty() && empty_deletes => {
                current.remove(k);
            }
            Value::String(_) => {
                current.insert(k.clone(), v.clone());
            }
            _ => {
                return Err(
                    ApiErr::invalid(format!("metadata value of {k} must be a string"))
                        .code("invalid_metadata"),
                )
            }
        }
    }
    check_metadata(current)
}

/// At most 16 pairs, keys ≤ 64 characters, values ≤ 512.
pub fn check_metadata(m: &Map<String, Value>) -> ApiResult<()> {
    if m.len() > 16 {
        return Err(ApiErr::invalid("metadata has more than 16 keys").code("invalid_metadata"));
    }
    for (k, v) in m {
        if k.is_empty() || k.chars().count() > 64 {
            return Err(ApiErr::invalid("metadata keys must be 1 to 64 characters")
                .code("invalid_metadata"));
        }
        match v.as_str() {
            Some(s) if s.chars().count() <= 512 => {}
            Some(_) => {
                return Err(
                    ApiErr::invalid("metadata values must be at most 512 characters")
                        .code("invalid_metadata"),
                )
            }
            None => {
                return Err(
                    ApiErr::invalid("metadata values must be strings").code("invalid_metadata")
                )
            }
        }
    }
    Ok(())
}

/// Auth, beta header, request ids and injected request failures, for every request.
pub async fn gate(State(shared): State<Arc<Shared>>, request: Request, next: Next) -> Response {
    let arrived = std::time::Instant::now();
    let counted = request.extensions().get::<Outside>().is_none();
    let method = request.method().as_str().to_string();
    let route = request
        .extensions()
        .get::<axum::extract::MatchedPath>()
        .map(|p| p.as_str().to_string())
        .unwrap_or_else(|| request.uri().path().to_string());
    let request_id = {
        let mut world = shared.lock();
        world.id("req")
    };
    let mut response = match check(&shared, &request, counted) {
        Err(e) => e.into_response(),
        Ok(()) => next.run(request).await,
    };
    if response.status().is_client_error() || response.status().is_server_error() {
        // Error bodies carry the same request id as the header.
        let (parts, body) = response.into_parts();
        let bytes = axum::body::to_bytes(body, 1 << 20)
            .await
            .unwrap_or_default();
        let mut value: Value = serde_json::from_slice(&bytes).unwrap_or(Value::Null);
        if value.get("type").and_then(Value::as_str) == Some("error") {
            value["request_id"] = Value::String(request_id.clone());
        }
        let body = if value.is_null() {
            bytes.to_vec()
        } else {
            value.to_string().into_bytes()
        };
        response = Response::from_parts(parts, axum::body::Body::from(body));
        response
            .headers_mut()
            .remove(axum::http::header::CONTENT_LENGTH);
    }
    if let Ok(v) = HeaderValue::from_str(&request_id) {
        response.headers_mut().insert("request-id", v);
    }
    if counted {
        shared.stats.record_request(crate::stats::RequestRecord {
            at: arrived,
            method,
            route,
            status: response.status().as_u16(),
        });
    }
    response
}

/// Marks a request made with `FakeServer::outside`: not counted, never given injected faults.
#[derive(Debug, Clone, Copy)]
pub struct Outside;

fn check(shared: &Shared, request: &Request, faults_apply: bool) -> ApiResult<()> {
    let headers = request.headers();
    let header = |n: &str| {
        headers
            .get(n)
            .and_then(|v| v.to_str().ok())
            .map(str::to_string)
    };
    let key = header("x-api-key").or_else(|| {
        header("authorization").and_then(|a| a.strip_prefix("Bearer ").map(str::to_string))
    });
    match (key, &shared.config.api_key) {
        (None, _) => {
            return Err(ApiErr::new(
                401,
                "authentication_error",
                "x-api-key header is required",
            ))
        }
        (Some(k), _) if k.trim().is_empty() => {
            return Err(ApiErr::new(
                401,
                "authentication_error",
                "invalid x-api-key",
            ))
        }
        (Some(k), Some(expected)) if &k != expected => {
            return Err(ApiErr::new(
                401,
                "authentication_error",
                "invalid x-api-key",
            ))
        }
        _ => {}
    }
    let path = request.uri().path();
    let needs_beta = path.starts_with("/v1/")
        && !path.starts_with("/v1/files")
        && !path.starts_with("/v1/skills");
    if needs_beta {
        let betas = header("anthropic-beta").unwrap_or_default();
        // Memory stores take their own beta, which the SDK sends instead of managed-agents
        // (reference §1, §8.1); strict here, so a client sending the wrong one fails its tests.
        let accepted: &[&str] = if path.starts_with("/v1/memory_stores") {
            &[crate::MEMORY_BETA]
        } else {
            &[crate::BETA]
        };
        if !betas.split(',').any(|b| accepted.contains(&b.trim())) {
            return Err(ApiErr::invalid(format!(
                "this endpoint requires the anthropic-beta header {}",
                accepted[0]
            )));
        }
    }
    let is_stream = path.ends_with("/stream");
    if !is_stream && faults_apply {
        if let Some((status, retry_after)) = shared.lock().fault_queue.pop_front() {
            let kind = match status {
                429 => "rate_limit_error",
                529 => "overloaded_error",
                _ => "api_error",
            };
            let mut e = ApiErr::new(status, kind, "injected failure");
            e.retry_after = retry_after;
            return Err(e);
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cursors_round_trip_and_reject_garbage() {
        for n in [0, 1, 25, 26, 1000, 123_456] {
            assert_eq!(decode_cursor(&encode_cursor(n)), Some(n));
        }
        assert_eq!(decode_cursor("page_zz"), None);
        assert_eq!(decode_cursor("nope"), None);
        assert_eq!(decode_cursor("page_"), None);
    }

    #[test]
    fn both_array_encodings() {
        let q = Params::parse(Some(
            "statuses%5B%5D=idle&statuses[]=running&statuses=terminated&limit=5",
        ));
        assert_eq!(q.all("statuses"), vec!["idle", "running", "terminated"]);
        assert_eq!(q.get("limit"), Some("5"));
    }

    #[test]
    fn times_parse_with_fractions_and_offsets() {
        use crate::world::format_us;
        for us in [
            0,
            1_795_168_801_000_000,
            1_795_168_801_123_456,
            951_782_400_000_001,
        ] {
            assert_eq!(parse_time(&format_us(us)), Some(us), "{}", format_us(us));
        }
        assert_eq!(
            parse_time("2026-11-20T12:00:01+02:00"),
            parse_time("2026-11-20T10:00:01Z")
        );
        assert_eq!(
            parse_time("2026-11-20T10:00:01.5Z"),
            Some(1_795_168_801_500_000)
        );
        for bad in [
            "yesterday",
            "2026-11-20",
            "2026-13-01T00:00:00Z",
            "2026-11-20T10:00Z",
            "",
        ] {
            assert_eq!(parse_time(bad), None, "{bad}");
        }
    }

    #[test]
    fn key_cursors_round_trip_and_reject_garbage() {
        let k = (
            "2026-11-20T10:00:01.000000".to_string(),
            "sesn_011C1".to_string(),
        );
        match decode_key_cursor(&encode_key_cursor('n', &k)) {
            Some(KeyCursor::After(got)) => assert_eq!(got, k),
            _ => panic!("not an after-cursor"),
        }
        assert!(matches!(
            decode_key_cursor(&encode_key_cursor('p', &k)),
            Some(KeyCursor::Before(_))
        ));
        let mut typo = encode_key_cursor('n', &k);
        typo.insert(8, '0');
        assert!(decode_key_cursor(&typo).is_none());
        assert!(decode_key_cursor("page_zz").is_none());
    }

    #[test]
    fn times_compare_with_or_without_fraction() {
        assert_eq!(
            normalize_time("2026-11-20T10:00:00Z"),
            normalize_time("2026-11-20T10:00:00.000000Z")
        );
        assert!(
            normalize_time("2026-11-20T10:00:00.5Z")
                > normalize_time("2026-11-20T10:00:00.000001Z")
        );
    }
}
