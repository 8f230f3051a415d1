//! Field checks shared by the UI (inline, as the person types) and the backend (before anything
//! is sent to the API), so both refuse exactly the same input with the same words.
//!
//! Every check is a pure function returning the value to use (trimmed or normalized) or the
//! sentence shown next to the field. Limits come from the API reference (§4 metadata, §5 per
//! resource). Where the reference gives no limit (agent and environment names), the check only
//! refuses what the API can never accept (an empty name) rather than inventing one.

/// What a check returns: the value to use, or the message shown next to the field.
pub type Check<T> = Result<T, String>;

/// Profile names: 1 to this many characters.
pub const PROFILE_NAME_MAX: usize = 64;
/// API keys are at least this long.
pub const API_KEY_MIN: usize = 8;
/// Vault and credential display names (§5.7), MCP server names (§5.1).
pub const DISPLAY_NAME_MAX: usize = 255;
/// Custom tool names and MCP tool names (§5.1).
pub const TOOL_NAME_MAX: usize = 128;
/// Tools across all toolsets of one agent (§5.1).
pub const TOOLS_MAX: usize = 256;
/// MCP servers of one agent (§5.1).
pub const MCP_SERVERS_MAX: usize = 20;
/// Metadata pairs per object (§4).
pub const METADATA_PAIRS_MAX: usize = 16;
/// Metadata key length (§4).
pub const METADATA_KEY_MAX: usize = 64;
/// Metadata value length (§4).
pub const METADATA_VALUE_MAX: usize = 512;
/// Allowed hosts of an environment-variable credential (§5.7).
pub const CREDENTIAL_ALLOWED_HOSTS_MAX: usize = 16;
/// Allowed or blocked domains of the web search / web fetch tools (§5.1).
pub const WEB_DOMAINS_MAX: usize = 64;
/// A session's system prompt override (§5.3).
pub const SESSION_SYSTEM_MAX: usize = 100_000;
/// Instructions for a memory store attached to a session (§5.3).
pub const MEMORY_INSTRUCTIONS_MAX: usize = 4096;
/// Initial events of a new session (§5.3).
pub const INITIAL_EVENTS_MAX: usize = 50;
/// Iterations of an outcome (§6.1 `user.define_outcome`).
pub const OUTCOME_ITERATIONS_MAX: u32 = 20;
/// An AWS role ARN for an agent's execution identity (§5.1).
pub const ROLE_ARN_MAX: usize = 2048;

const HOST_EXAMPLE: &str = "api.example.com";

fn chars(s: &str) -> usize {
    s.chars().count()
}

/// `raw` without surrounding spaces, refused when empty.
fn required<'a>(raw: &'a str, empty: &str) -> Check<&'a str> {
    let value = raw.trim();
    if value.is_empty() {
        Err(empty.to_string())
    } else {
        Ok(value)
    }
}

// --- Profiles -----------------------------------------------------------------------------------

/// A profile's server address: `https://…`, or `http://` to this computer only (the host exactly
/// `localhost`, `127.0.0.1` or `[::1]`). Returns it normalized: scheme and host in lowercase,
/// no trailing slash.
pub fn base_url(raw: &str) -> Check<String> {
    let url = raw.trim();
    if url.is_empty() {
        return Err("Enter the server address, like https://api.anthropic.com.".into());
    }
    if url.chars().any(char::is_whitespace) {
        return Err("Remove the spaces from the address.".into());
    }
    let lower = url.to_ascii_lowercase();
    let (secure, rest) = if lower.starts_with("https://") {
        (true, &url["https://".len()..])
    } else if lower.starts_with("http://") {
        (false, &url["http://".len()..])
    } else {
        return Err("Start the address with https://, as in https://api.anthropic.com.".into());
    };
    let end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let (authority, path) = rest.split_at(end);
    if path.contains(['?', '#']) {
        return Err("Leave out anything after ? or # in the address.".into());
    }
    if authority.contains('@') {
        return Err("The address must not contain a user name or password (no @).".into());
    }
    let (host, port) = split_host_port(authority)?;
    let host = host.to_ascii_lowercase();
    if host.is_empty() {
        return Err("The address needs a host name, like https://api.anthropic.com.".into());
    }
    if !secure && !matches!(host.as_str(), "localhost" | "127.0.0.1" | "[::1]") {
        return Err(
            "Plain http:// only works for this computer (localhost, 127.0.0.1 or [::1]). Use https:// for other servers."
                .into(),
        );
    }
    let host_ok = if let Some(inner) = host.strip_prefix('[') {
        let inner = inner.strip_suffix(']').unwrap_or(inner);
        inner.contains(':')
            && inner
                .chars()
                .all(|c| c.is_ascii_hexdigit() || c == ':' || c == '.')
    } else if looks_numeric(&host) {
        ipv4(&host).is_ok()
    } else {
        dns_name(&host, 1).is_ok()
    };
    if !host_ok {
        return Err(format!("“{host}” is not a valid host name."));
    }
    let scheme = if secure { "https" } else { "http" };
    let port = port.map(|p| format!(":{p}")).unwrap_or_default();
    let path = path.trim_end_matches('/');
    Ok(format!("{scheme}://{host}{port}{path}"))
}

/// `host[:port]` or `[v6][:port]`; the port, when present, is 1–65535.
fn split_host_port(authority: &str) -> Check<(&str, Option<u16>)> {
    let (host, port) = if authority.starts_with('[') {
        let Some(close) = authority.find(']') else {
            return Err("The address has a [ without its closing ].".into());
        };
        let (host, after) = authority.split_at(close + 1);
        match after.strip_prefix(':') {
            Some(port) => (host, Some(port)),
            None if after.is_empty() => (host, None),
            None => return Err(format!("“{authority}” is not a valid host name.")),
        }
    } else {
        match authority.split_once(':') {
            Some((host, port)) => (host, Some(port)),
            None => (authority, None),
        }
    };
    let port = match port {
        None => None,
        Some(p) => match p.parse::<u16>() {
            Ok(n) if n > 0 && p.chars().all(|c| c.is_ascii_digit()) => Some(n),
            _ => return Err(format!("“{p}” is not a port number (1 to 65535).")),
        },
    };
    Ok((host, port))
}

/// A profile's name: 1 to 64 characters, trimmed.
pub fn profile_name(raw: &str) -> Check<String> {
    let name = required(raw, "Give the profile a name.")?;
    if chars(name) > PROFILE_NAME_MAX {
        return Err(format!(
            "Use a shorter name: at most {PROFILE_NAME_MAX} characters."
        ));
    }
    Ok(name.to_string())
}

/// The shape of an API key (whether it works is for the API to say): at least 8 characters,
/// no spaces inside.
pub fn api_key(raw: &str) -> Check<String> {
    let key = raw.trim();
    if key.chars().any(char::is_whitespace) {
        return Err("That does not look like an API key: it contains spaces.".into());
    }
    if chars(key) < API_KEY_MIN {
        return Err("That does not look like an API key: it is too short.".into());
    }
    Ok(key.to_string())
}

// --- Host names ---------------------------------------------------------------------------------

fn looks_numeric(host: &str) -> bool {
    host.split('.')
        .all(|label| !label.is_empty() && label.chars().all(|c| c.is_ascii_digit()))
}

/// Dotted-quad IPv4, each part 0–255 without leading zeros.
fn ipv4(host: &str) -> Check<()> {
    let parts: Vec<&str> = host.split('.').collect();
    let ok = parts.len() == 4
        && parts.iter().all(|p| {
            !p.is_empty()
                && p.len() <= 3
                && p.chars().all(|c| c.is_ascii_digit())
                && (p.len() == 1 || !p.starts_with('0'))
                && p.parse::<u16>().is_ok_and(|n| n <= 255)
        });
    if ok {
        Ok(())
    } else {
        Err(format!("“{host}” is not a valid IP address."))
    }
}

/// RFC 1123 host name: labels of 1–63 letters, digits and hyphens (not at either end), at most
/// 253 characters in all, at least `min_labels` labels, and a top-level label that is not all
/// digits.
fn dns_name(host: &str, min_labels: usize) -> Check<()> {
    if host.len() > 253 {
        return Err("That host name is too long (at most 253 characters).".into());
    }
    let labels: Vec<&str> = host.split('.').collect();
    for label in &labels {
        if label.is_empty() {
            return Err(
                "A host name cannot start or end with a dot, or have two dots in a row.".into(),
            );
        }
        if label.len() > 63 {
            return Err("Each part of a host name between dots is at most 63 characters.".into());
        }
        if let Some(bad) = label
            .chars()
            .find(|c| !(c.is_ascii_alphanumeric() || *c == '-'))
        {
            return Err(format!(
                "“{bad}” is not allowed in a host name: use letters, digits, hyphens and dots."
            ));
        }
        if label.starts_with('-') || label.ends_with('-') {
            return Err("A part of a host name cannot start or end with a hyphen.".into());
        }
    }
    if labels.len() < min_labels {
        return Err(format!(
            "Use a full host name with a dot, like {HOST_EXAMPLE}."
        ));
    }
    if labels
        .last()
        .is_some_and(|tld| tld.chars().all(|c| c.is_ascii_digit()))
    {
        return Err(format!("“{host}” is not a valid host name."));
    }
    Ok(())
}

/// One entry of an allowed-hosts list (§5.2, §5.7: host names, IPv4 addresses or `*.domain`):
/// no scheme, no path, no port. Returns it trimmed and in lowercase.
pub fn host_name(raw: &str) -> Check<String> {
    let host = required(raw, &format!("Enter a host name, like {HOST_EXAMPLE}."))?;
    if host.chars().any(char::is_whitespace) {
        return Err("A host name cannot contain spaces.".into());
    }
    if host.contains("://") {
        return Err(format!(
            "Leave out the http:// or https:// part: only the host name, like {HOST_EXAMPLE}."
        ));
    }
    if host.contains('/') {
        return Err(format!(
            "Leave out the path: only the host name, like {HOST_EXAMPLE}."
        ));
    }
    if host.contains('@') {
        return Err(format!(
            "Leave out the user name (@): only the host name, like {HOST_EXAMPLE}."
        ));
    }
    if host.contains(':') {
        return Err(format!(
            "Leave out the port: only the host name, like {HOST_EXAMPLE}."
        ));
    }
    let host = host.to_ascii_lowercase();
    let (wildcard, bare) = match host.strip_prefix("*.") {
        Some(bare) => (true, bare),
        None => (false, host.as_str()),
    };
    if bare.contains('*') {
        return Err("A * is only allowed at the start, as in *.example.com.".into());
    }
    if looks_numeric(bare) {
        if wildcard {
            return Err("A * cannot be used with an IP address.".into());
        }
        ipv4(bare)?;
    } else {
        dns_name(bare, 2)?;
    }
    Ok(host)
}

/// Checks every non-blank line with `check`, numbering lines from 1 as the person sees them;
/// refuses duplicates. Blank lines are dropped from the result.
fn each_line<S: AsRef<str>>(lines: &[S], check: fn(&str) -> Check<String>) -> Check<Vec<String>> {
    let mut seen: Vec<(String, usize)> = Vec::new();
    for (index, line) in lines.iter().enumerate() {
        let line = line.as_ref();
        if line.trim().is_empty() {
            continue;
        }
        let number = index + 1;
        let value = check(line).map_err(|why| format!("Line {number}: {why}"))?;
        if let Some((_, first)) = seen.iter().find(|(v, _)| *v == value) {
            return Err(format!(
                "Line {number}: {value} is already on line {first}."
            ));
        }
        seen.push((value, number));
    }
    Ok(seen.into_iter().map(|(v, _)| v).collect())
}

/// An environment's allowed hosts, one per line (blank lines ignored; §5.2 gives no maximum).
pub fn allowed_hosts<S: AsRef<str>>(lines: &[S]) -> Check<Vec<String>> {
    each_line(lines, host_name)
}

/// An environment-variable credential's allowed hosts: at most 16 (§5.7).
pub fn credential_allowed_hosts<S: AsRef<str>>(lines: &[S]) -> Check<Vec<String>> {
    let hosts = each_line(lines, host_name)?;
    at_most(hosts, CREDENTIAL_ALLOWED_HOSTS_MAX, "hosts")
}

/// The web search / web fetch tools' allowed or blocked domains: at most 64, not empty when
/// given (§5.1).
pub fn web_domains<S: AsRef<str>>(lines: &[S]) -> Check<Vec<String>> {
    let domains = each_line(lines, host_name)?;
    if domains.is_empty() {
        return Err("Add at least one domain, or turn this list off.".into());
    }
    at_most(domains, WEB_DOMAINS_MAX, "domains")
}

fn at_most<T>(items: Vec<T>, max: usize, what: &str) -> Check<Vec<T>> {
    if items.len() > max {
        Err(format!(
            "At most {max} {what} (this list has {}).",
            items.len()
        ))
    } else {
        Ok(items)
    }
}

/// Packages for one package manager, one per line (for example `pandas==2.2.0`): blank lines
/// ignored, each entry trimmed, no duplicates.
pub fn packages<S: AsRef<str>>(lines: &[S]) -> Check<Vec<String>> {
    each_line(lines, |line| Ok(line.trim().to_string()))
}

/// Under limited networking, packages need "allow package managers" (§5.2).
pub fn packages_allowed(
    limited: bool,
    allow_package_managers: bool,
    any_packages: bool,
) -> Check<()> {
    if limited && any_packages && !allow_package_managers {
        Err("With limited networking, packages need “Allow package managers” turned on.".into())
    } else {
        Ok(())
    }
}

// --- Agents, environments, vaults ---------------------------------------------------------------

/// An agent's name: required (§5.1 gives no maximum).
pub fn agent_name(raw: &str) -> Check<String> {
    required(raw, "Give the agent a name.").map(str::to_string)
}

/// An environment's name: required (§5.2 gives no maximum).
pub fn environment_name(raw: &str) -> Check<String> {
    required(raw, "Give the environment a name.").map(str::to_string)
}

/// A vault's name: 1 to 255 characters (§5.7 `display_name`).
pub fn vault_name(raw: &str) -> Check<String> {
    let name = required(raw, "Give the vault a name.")?;
    limit(name, DISPLAY_NAME_MAX, "name")
}

/// A credential's optional name: at most 255 characters (§5.7); `None` when left empty.
pub fn credential_name(raw: &str) -> Check<Option<String>> {
    let name = raw.trim();
    if name.is_empty() {
        return Ok(None);
    }
    limit(name, DISPLAY_NAME_MAX, "name").map(Some)
}

fn limit(value: &str, max: usize, what: &str) -> Check<String> {
    if chars(value) > max {
        Err(format!(
            "Use a shorter {what}: at most {max} characters (this one has {}).",
            chars(value)
        ))
    } else {
        Ok(value.to_string())
    }
}

/// A custom tool's name: 1 to 128 of `A–Z a–z 0–9 _ -` (§5.1).
pub fn custom_tool_name(raw: &str) -> Check<String> {
    let name = required(raw, "Give the tool a name.")?;
    if chars(name) > TOOL_NAME_MAX {
        return Err(format!(
            "Use a shorter tool name: at most {TOOL_NAME_MAX} characters."
        ));
    }
    if !name
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
    {
        return Err("Use only letters, digits, _ and - in a tool name (no spaces).".into());
    }
    Ok(name.to_string())
}

/// How many tools an agent has across its toolsets: at most 256 (§5.1).
pub fn tool_count(count: usize) -> Check<()> {
    if count > TOOLS_MAX {
        Err(format!(
            "An agent can have at most {TOOLS_MAX} tools (this one has {count})."
        ))
    } else {
        Ok(())
    }
}

/// An MCP server's name: 1 to 255 characters (§5.1).
pub fn mcp_server_name(raw: &str) -> Check<String> {
    let name = required(raw, "Give the server a name.")?;
    limit(name, DISPLAY_NAME_MAX, "name")
}

/// An MCP server's address (used by the API's servers, never this computer): `https://` or
/// `http://` with a host name.
pub fn mcp_server_url(raw: &str) -> Check<String> {
    let url = required(
        raw,
        "Enter the server's address, like https://mcp.example.com/mcp.",
    )?;
    if url.chars().any(char::is_whitespace) {
        return Err("Remove the spaces from the address.".into());
    }
    let lower = url.to_ascii_lowercase();
    let rest = lower
        .strip_prefix("https://")
        .or_else(|| lower.strip_prefix("http://"))
        .ok_or_else(|| "Start the address with https://.".to_string())?;
    let authority = rest.split(['/', '?', '#']).next().unwrap_or("");
    let (host, _) = split_host_port(authority.rsplit('@').next().unwrap_or(""))?;
    if host.is_empty() {
        return Err("The address needs a host name, like https://mcp.example.com/mcp.".into());
    }
    Ok(url.to_string())
}

/// An agent's MCP servers as (name, address) rows: at most 20, names unique (§5.1). Fully blank
/// rows are ignored.
pub fn mcp_servers<N: AsRef<str>, U: AsRef<str>>(rows: &[(N, U)]) -> Check<Vec<(String, String)>> {
    let mut out: Vec<(String, String)> = Vec::new();
    for (index, (name, url)) in rows.iter().enumerate() {
        let (name, url) = (name.as_ref(), url.as_ref());
        if name.trim().is_empty() && url.trim().is_empty() {
            continue;
        }
        let row = index + 1;
        let name = mcp_server_name(name).map_err(|why| format!("Row {row}: {why}"))?;
        let url = mcp_server_url(url).map_err(|why| format!("Row {row}: {why}"))?;
        if out.iter().any(|(n, _)| *n == name) {
            return Err(format!(
                "Row {row}: another server is already called “{name}”."
            ));
        }
        out.push((name, url));
    }
    at_most(out, MCP_SERVERS_MAX, "MCP servers")
}

/// An AWS role ARN (§5.1 execution identity): required, at most 2048 characters.
pub fn role_arn(raw: &str) -> Check<String> {
    let arn = required(
        raw,
        "Enter the role's ARN, like arn:aws:iam::123456789012:role/agent.",
    )?;
    if !arn.starts_with("arn:") || arn.chars().any(char::is_whitespace) {
        return Err("A role ARN starts with arn: and has no spaces.".into());
    }
    limit(arn, ROLE_ARN_MAX, "ARN")
}

// --- Metadata -----------------------------------------------------------------------------------

/// A metadata key: 1 to 64 characters, trimmed (§4).
pub fn metadata_key(raw: &str) -> Check<String> {
    let key = required(raw, "Give this value a key.")?;
    if chars(key) > METADATA_KEY_MAX {
        return Err(format!("Keys are at most {METADATA_KEY_MAX} characters."));
    }
    Ok(key.to_string())
}

/// A metadata value: at most 512 characters (§4), kept as typed.
pub fn metadata_value(raw: &str) -> Check<String> {
    if chars(raw) > METADATA_VALUE_MAX {
        return Err(format!(
            "Values are at most {METADATA_VALUE_MAX} characters."
        ));
    }
    Ok(raw.to_string())
}

/// Metadata rows (key, value): at most 16, keys unique (§4). Fully blank rows are ignored.
pub fn metadata<K: AsRef<str>, V: AsRef<str>>(rows: &[(K, V)]) -> Check<Vec<(String, String)>> {
    let mut out: Vec<(String, String, usize)> = Vec::new();
    for (index, (key, value)) in rows.iter().enumerate() {
        let (key, value) = (key.as_ref(), value.as_ref());
        if key.trim().is_empty() && value.trim().is_empty() {
            continue;
        }
        let row = index + 1;
        let key = metadata_key(key).map_err(|why| format!("Row {row}: {why}"))?;
        let value = metadata_value(value).map_err(|why| format!("Row {row}: {why}"))?;
        if let Some((_, _, first)) = out.iter().find(|(k, _, _)| *k == key) {
            return Err(format!(
                "Row {row}: the key “{key}” is already used in row {first}."
            ));
        }
        out.push((key, value, row));
    }
    let out = out.into_iter().map(|(k, v, _)| (k, v)).collect();
    at_most(out, METADATA_PAIRS_MAX, "entries")
}

// --- Sessions -----------------------------------------------------------------------------------

/// A pinned agent version: a whole number from 1.
pub fn agent_version(raw: &str) -> Check<u64> {
    match raw.trim().parse::<u64>() {
        Ok(v) if v >= 1 => Ok(v),
        _ => Err("Choose a version number (1 or higher).".into()),
    }
}

/// A session's system prompt override: at most 100 000 characters (§5.3).
pub fn session_system_override(raw: &str) -> Check<String> {
    limit(raw, SESSION_SYSTEM_MAX, "system prompt")
}

/// Instructions for a memory store attached to a session: at most 4096 characters (§5.3).
pub fn memory_instructions(raw: &str) -> Check<String> {
    limit(raw, MEMORY_INSTRUCTIONS_MAX, "text")
}

/// How many initial events a new session gets: at most 50 (§5.3).
pub fn initial_events(count: usize) -> Check<()> {
    if count > INITIAL_EVENTS_MAX {
        Err(format!(
            "A new session takes at most {INITIAL_EVENTS_MAX} first messages (this has {count})."
        ))
    } else {
        Ok(())
    }
}

/// An outcome's iteration limit: 1 to 20 (§6.1).
pub fn outcome_iterations(raw: &str) -> Check<u32> {
    match raw.trim().parse::<u32>() {
        Ok(n) if (1..=OUTCOME_ITERATIONS_MAX).contains(&n) => Ok(n),
        _ => Err(format!(
            "Choose a number from 1 to {OUTCOME_ITERATIONS_MAX}."
        )),
    }
}

/// A budget amount in minor units (cents), as the API takes it (§5.3: `"2500"` = $25.00): a
/// whole number above zero, without leading zeros.
pub fn budget_amount(raw: &str) -> Check<String> {
    let amount = required(raw, "Enter an amount in cents, like 2500 for $25.00.")?;
    if !amount.chars().all(|c| c.is_ascii_digit()) || amount.starts_with('0') {
        return Err("Enter a whole number of cents above zero, like 2500 for $25.00.".into());
    }
    Ok(amount.to_string())
}

/// A GitHub repository to mount in a session: `https://host/owner/repository`.
pub fn repository_url(raw: &str) -> Check<String> {
    let url = required(
        raw,
        "Enter the repository's address, like https://github.com/owner/repository.",
    )?;
    if url.chars().any(char::is_whitespace) {
        return Err("Remove the spaces from the address.".into());
    }
    let lower = url.to_ascii_lowercase();
    let Some(rest) = lower.strip_prefix("https://") else {
        return Err(
            "Use the repository's https:// address, like https://github.com/owner/repository."
                .into(),
        );
    };
    let mut parts = rest.split('/').filter(|p| !p.is_empty());
    let host = parts.next().unwrap_or("");
    let has_path = parts.next().is_some() && parts.next().is_some();
    if host.contains('@') || dns_name(host, 2).is_err() || !has_path {
        return Err(
            "Use the repository's address, like https://github.com/owner/repository.".into(),
        );
    }
    Ok(url.trim_end_matches('/').to_string())
}

/// A branch to check out: a git branch name (no spaces, no `..`, not starting with `-` or `/`).
pub fn branch_name(raw: &str) -> Check<String> {
    let name = required(raw, "Enter a branch name, like main.")?;
    let bad = name.chars().any(|c| {
        c.is_whitespace() || c.is_control() || matches!(c, '~' | '^' | ':' | '?' | '*' | '[' | '\\')
    }) || name.contains("..")
        || name.contains("@{")
        || name.starts_with(['-', '/', '.'])
        || name.ends_with(['/', '.'])
        || name.ends_with(".lock");
    if bad {
        return Err(format!("“{name}” is not a valid branch name."));
    }
    Ok(name.to_string())
}

/// A commit to check out: 7 to 64 hexadecimal characters. Returned in lowercase.
pub fn commit_sha(raw: &str) -> Check<String> {
    let sha = required(raw, "Enter a commit id, like 3f2a9c1.")?;
    if !(7..=64).contains(&sha.len()) || !sha.chars().all(|c| c.is_ascii_hexdigit()) {
        return Err("A commit id is 7 to 64 characters of 0–9 and a–f.".into());
    }
    Ok(sha.to_ascii_lowercase())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `Ok(v)` expects exactly `v`; `Err(fragment)` expects a message containing `fragment`.
    fn check<T: std::fmt::Debug + PartialEq>(
        f: impl Fn(&str) -> Check<T>,
        cases: &[(&str, Result<T, &str>)],
    ) {
        for (input, expect) in cases {
            let got = f(input);
            match (&got, expect) {
                (Ok(g), Ok(e)) => assert_eq!(g, e, "input {input:?}"),
                (Err(g), Err(fragment)) => {
                    assert!(
                        g.contains(fragment),
                        "input {input:?}: {g:?} lacks {fragment:?}"
                    )
                }
                _ => panic!("input {input:?}: got {got:?}, expected {expect:?}"),
            }
        }
    }

    fn ok(s: &str) -> Result<String, &str> {
        Ok(s.to_string())
    }

    #[test]
    fn base_urls() {
        check(
            base_url,
            &[
                ("https://api.anthropic.com", ok("https://api.anthropic.com")),
                (
                    "  https://api.anthropic.com/  ",
                    ok("https://api.anthropic.com"),
                ),
                (
                    "HTTPS://API.Anthropic.com/V1/",
                    ok("https://api.anthropic.com/V1"),
                ),
                (
                    "https://proxy.corp:8443/anthropic",
                    ok("https://proxy.corp:8443/anthropic"),
                ),
                ("https://proxy", ok("https://proxy")),
                ("https://10.0.0.7", ok("https://10.0.0.7")),
                ("https://[2001:db8::1]:443", ok("https://[2001:db8::1]:443")),
                ("http://127.0.0.1:8080", ok("http://127.0.0.1:8080")),
                ("http://localhost:3000/", ok("http://localhost:3000")),
                ("http://LOCALHOST", ok("http://localhost")),
                ("http://[::1]:9000", ok("http://[::1]:9000")),
                ("http://[::1]", ok("http://[::1]")),
                ("", Err("Enter the server address")),
                ("   ", Err("Enter the server address")),
                ("api.anthropic.com", Err("Start the address with https://")),
                (
                    "ftp://api.anthropic.com",
                    Err("Start the address with https://"),
                ),
                ("http://example.com", Err("only works for this computer")),
                // The host must be exactly one of the local names: no look-alikes.
                ("http://127.0.0.1.evil", Err("only works for this computer")),
                (
                    "http://localhost.evil.com",
                    Err("only works for this computer"),
                ),
                ("http://127.0.0.2", Err("only works for this computer")),
                ("http://localhost@evil.com", Err("user name or password")),
                ("http://evil.com#@localhost", Err("after ? or #")),
                ("https://api.anthropic.com?x=1", Err("after ? or #")),
                ("https://api.anthropic.com/v1#top", Err("after ? or #")),
                ("https://api anthropic.com", Err("spaces")),
                ("https://", Err("needs a host name")),
                ("https:///v1", Err("needs a host name")),
                ("https://:443", Err("needs a host name")),
                ("https://api.anthropic.com:0", Err("not a port number")),
                ("https://api.anthropic.com:99999", Err("not a port number")),
                ("https://api.anthropic.com:+80", Err("not a port number")),
                ("https://api.anthropic.com:", Err("not a port number")),
                ("http://[::1", Err("closing ]")),
                ("http://[::1]x", Err("not a valid host name")),
                ("https://bad_host.com", Err("not a valid host name")),
                ("https://-x.com", Err("not a valid host name")),
                ("https://a..b", Err("not a valid host name")),
                ("https://300.1.1.1", Err("not a valid host name")),
            ],
        );
    }

    #[test]
    fn profile_names() {
        let long = "x".repeat(65);
        let max = "é".repeat(64);
        check(
            profile_name,
            &[
                ("Work", ok("Work")),
                ("  Work  ", ok("Work")),
                (max.as_str(), ok(&max)),
                ("", Err("name")),
                ("   ", Err("name")),
                (long.as_str(), Err("at most 64")),
            ],
        );
    }

    #[test]
    fn api_keys() {
        check(
            api_key,
            &[
                ("sk-ant-api03-abcdef", ok("sk-ant-api03-abcdef")),
                (" sk-ant-api03-abcdef\n", ok("sk-ant-api03-abcdef")),
                ("12345678", ok("12345678")),
                ("1234567", Err("too short")),
                ("", Err("too short")),
                ("sk-ant api03", Err("spaces")),
                ("sk-ant\tapi03", Err("spaces")),
            ],
        );
    }

    #[test]
    fn host_names() {
        let label63 = format!("{}.com", "a".repeat(63));
        let label64 = format!("{}.com", "a".repeat(64));
        let long = format!("{}.com", ["abcdefghi"; 26].join("."));
        check(
            host_name,
            &[
                ("api.example.com", ok("api.example.com")),
                ("  API.Example.COM ", ok("api.example.com")),
                ("*.example.com", ok("*.example.com")),
                ("pypi.org", ok("pypi.org")),
                ("xn--bcher-kva.example", ok("xn--bcher-kva.example")),
                ("a-b.c-d.io", ok("a-b.c-d.io")),
                ("192.168.1.10", ok("192.168.1.10")),
                ("8.8.8.8", ok("8.8.8.8")),
                (label63.as_str(), ok(&label63)),
                ("", Err("Enter a host name")),
                (
                    "https://api.example.com",
                    Err("Leave out the http:// or https://"),
                ),
                ("api.example.com/v1", Err("Leave out the path")),
                ("api.example.com:443", Err("Leave out the port")),
                ("user@api.example.com", Err("user name")),
                ("api example.com", Err("spaces")),
                ("localhost", Err("full host name with a dot")),
                ("*.com", Err("full host name with a dot")),
                ("api.*.com", Err("only allowed at the start")),
                ("*example.com", Err("only allowed at the start")),
                ("**.example.com", Err("only allowed at the start")),
                ("*.10.0.0.1", Err("cannot be used with an IP address")),
                ("256.1.1.1", Err("not a valid IP address")),
                ("1.2.3", Err("not a valid IP address")),
                ("01.2.3.4", Err("not a valid IP address")),
                ("api.example.123", Err("not a valid host name")),
                ("-api.example.com", Err("hyphen")),
                ("api-.example.com", Err("hyphen")),
                ("api..example.com", Err("two dots")),
                (".example.com", Err("two dots")),
                ("example.com.", Err("two dots")),
                ("api_1.example.com", Err("“_” is not allowed")),
                (label64.as_str(), Err("at most 63")),
                (long.as_str(), Err("too long")),
            ],
        );
    }

    #[test]
    fn allowed_host_lists_number_lines_and_skip_blanks() {
        assert_eq!(
            allowed_hosts(&["api.example.com", "", "  *.pypi.org  ", "   "]),
            Ok(vec![
                "api.example.com".to_string(),
                "*.pypi.org".to_string()
            ])
        );
        assert_eq!(allowed_hosts::<&str>(&[]), Ok(vec![]));
        assert_eq!(
            allowed_hosts(&["api.example.com", "", "bad host"]),
            Err("Line 3: A host name cannot contain spaces.".to_string())
        );
        assert_eq!(
            allowed_hosts(&["a.example.com", "b.example.com", "A.example.com"]),
            Err("Line 3: a.example.com is already on line 1.".to_string())
        );
        let seventeen: Vec<String> = (0..17).map(|i| format!("h{i}.example.com")).collect();
        assert!(allowed_hosts(&seventeen).is_ok());
        assert_eq!(
            credential_allowed_hosts(&seventeen),
            Err("At most 16 hosts (this list has 17).".to_string())
        );
        assert!(credential_allowed_hosts(&seventeen[..16]).is_ok());
        assert!(web_domains::<&str>(&[""]).is_err_and(|e| e.contains("at least one")));
    }

    #[test]
    fn package_lists() {
        assert_eq!(
            packages(&["pandas==2.2.0", "", " numpy "]),
            Ok(vec!["pandas==2.2.0".to_string(), "numpy".to_string()])
        );
        assert!(packages(&["numpy", "numpy"]).is_err_and(|e| e.contains("Line 2")));
        assert!(packages_allowed(true, false, true).is_err());
        assert!(packages_allowed(true, true, true).is_ok());
        assert!(packages_allowed(false, false, true).is_ok());
        assert!(packages_allowed(true, false, false).is_ok());
    }

    #[test]
    fn resource_names() {
        let n255 = "n".repeat(255);
        let n256 = "n".repeat(256);
        check(
            agent_name,
            &[
                (" Analyst ", ok("Analyst")),
                ("", Err("Give the agent a name")),
            ],
        );
        check(
            environment_name,
            &[
                ("python-data", ok("python-data")),
                (" ", Err("Give the environment a name")),
            ],
        );
        check(
            vault_name,
            &[
                ("GitHub", ok("GitHub")),
                (n255.as_str(), ok(&n255)),
                (
                    n256.as_str(),
                    Err("at most 255 characters (this one has 256)"),
                ),
                ("", Err("Give the vault a name")),
            ],
        );
        check(
            credential_name,
            &[
                ("", Ok(None)),
                (" MCP ", Ok(Some("MCP".to_string()))),
                (n256.as_str(), Err("at most 255")),
            ],
        );
        check(
            mcp_server_name,
            &[
                ("github", ok("github")),
                ("", Err("Give the server a name")),
                (n256.as_str(), Err("at most 255")),
            ],
        );
    }

    #[test]
    fn custom_tool_names() {
        let n128 = "t".repeat(128);
        let n129 = "t".repeat(129);
        check(
            custom_tool_name,
            &[
                ("get_weather", ok("get_weather")),
                ("Get-Weather-2", ok("Get-Weather-2")),
                (n128.as_str(), ok(&n128)),
                (n129.as_str(), Err("at most 128")),
                ("", Err("Give the tool a name")),
                ("get weather", Err("only letters, digits")),
                ("get.weather", Err("only letters, digits")),
                ("wetter_für", Err("only letters, digits")),
            ],
        );
        assert!(tool_count(256).is_ok());
        assert!(tool_count(257).is_err_and(|e| e.contains("257")));
    }

    #[test]
    fn mcp_server_rows() {
        check(
            mcp_server_url,
            &[
                (
                    "https://api.githubcopilot.com/mcp/",
                    ok("https://api.githubcopilot.com/mcp/"),
                ),
                (
                    "http://mcp.internal:8080/sse",
                    ok("http://mcp.internal:8080/sse"),
                ),
                ("", Err("Enter the server's address")),
                (
                    "api.githubcopilot.com/mcp",
                    Err("Start the address with https://"),
                ),
                ("https:///mcp", Err("needs a host name")),
                ("https://a b", Err("spaces")),
            ],
        );
        assert_eq!(
            mcp_servers(&[("github", "https://a.example.com/mcp"), ("", "")]),
            Ok(vec![(
                "github".to_string(),
                "https://a.example.com/mcp".to_string()
            )])
        );
        assert_eq!(
            mcp_servers(&[
                ("github", "https://a.example.com"),
                ("github", "https://b.example.com")
            ]),
            Err("Row 2: another server is already called “github”.".to_string())
        );
        assert!(mcp_servers(&[("x", "nope")]).is_err_and(|e| e.starts_with("Row 1:")));
        let many: Vec<(String, String)> = (0..21)
            .map(|i| (format!("s{i}"), "https://x.example.com".to_string()))
            .collect();
        assert!(mcp_servers(&many).is_err_and(|e| e.contains("At most 20")));
    }

    #[test]
    fn metadata_rows() {
        let key64 = "k".repeat(64);
        let key65 = "k".repeat(65);
        let value512 = "v".repeat(512);
        let value513 = "v".repeat(513);
        check(
            metadata_key,
            &[
                (" team ", ok("team")),
                (key64.as_str(), ok(&key64)),
                (key65.as_str(), Err("at most 64")),
                ("", Err("key")),
            ],
        );
        check(
            metadata_value,
            &[
                ("", ok("")),
                (" x ", ok(" x ")),
                (value512.as_str(), ok(&value512)),
                (value513.as_str(), Err("at most 512")),
            ],
        );
        assert_eq!(
            metadata(&[("team", "data"), ("", ""), ("owner", "")]),
            Ok(vec![
                ("team".to_string(), "data".to_string()),
                ("owner".to_string(), String::new())
            ])
        );
        assert_eq!(
            metadata(&[("team", "a"), ("team ", "b")]),
            Err("Row 2: the key “team” is already used in row 1.".to_string())
        );
        assert_eq!(
            metadata(&[("", "orphan")]),
            Err("Row 1: Give this value a key.".to_string())
        );
        let sixteen: Vec<(String, String)> =
            (0..16).map(|i| (format!("k{i}"), "v".into())).collect();
        assert!(metadata(&sixteen).is_ok());
        let seventeen: Vec<(String, String)> =
            (0..17).map(|i| (format!("k{i}"), "v".into())).collect();
        assert_eq!(
            metadata(&seventeen),
            Err("At most 16 entries (this list has 17).".to_string())
        );
    }

    #[test]
    fn session_fields() {
        check(
            agent_version,
            &[
                ("3", Ok(3)),
                (" 1 ", Ok(1)),
                ("0", Err("1 or higher")),
                ("latest", Err("1 or higher")),
            ],
        );
        check(
            outcome_iterations,
            &[
                ("1", Ok(1)),
                ("20", Ok(20)),
                ("21", Err("1 to 20")),
                ("0", Err("1 to 20")),
                ("", Err("1 to 20")),
            ],
        );
        check(
            budget_amount,
            &[
                ("2500", ok("2500")),
                (" 1 ", ok("1")),
                ("0", Err("above zero")),
                ("025", Err("above zero")),
                ("25.00", Err("whole number")),
                ("-5", Err("whole number")),
                ("", Err("Enter an amount")),
            ],
        );
        assert!(session_system_override(&"s".repeat(100_000)).is_ok());
        assert!(session_system_override(&"s".repeat(100_001)).is_err());
        assert!(memory_instructions(&"m".repeat(4096)).is_ok());
        assert!(memory_instructions(&"m".repeat(4097)).is_err());
        assert!(initial_events(50).is_ok());
        assert!(initial_events(51).is_err());
    }

    #[test]
    fn repository_checkouts() {
        check(
            repository_url,
            &[
                (
                    "https://github.com/acme/app",
                    ok("https://github.com/acme/app"),
                ),
                (
                    "https://github.com/acme/app/",
                    ok("https://github.com/acme/app"),
                ),
                (
                    "https://github.com/acme",
                    Err("like https://github.com/owner/repository"),
                ),
                ("http://github.com/acme/app", Err("https://")),
                ("git@github.com:acme/app.git", Err("https://")),
                (
                    "https://tok@github.com/acme/app",
                    Err("like https://github.com"),
                ),
                ("", Err("Enter the repository's address")),
            ],
        );
        check(
            branch_name,
            &[
                ("main", ok("main")),
                ("feature/new-form", ok("feature/new-form")),
                ("", Err("Enter a branch name")),
                ("my branch", Err("not a valid branch name")),
                ("a..b", Err("not a valid branch name")),
                ("-x", Err("not a valid branch name")),
                ("x.lock", Err("not a valid branch name")),
                ("x:y", Err("not a valid branch name")),
            ],
        );
        check(
            commit_sha,
            &[
                ("3F2A9C1", ok("3f2a9c1")),
                (
                    "0123456789abcdef0123456789abcdef01234567",
                    ok("0123456789abcdef0123456789abcdef01234567"),
                ),
                ("3f2a9c", Err("7 to 64")),
                ("xyz1234", Err("7 to 64")),
            ],
        );
        check(
            role_arn,
            &[
                ("arn:aws:iam::1:role/a", ok("arn:aws:iam::1:role/a")),
                ("role/a", Err("starts with arn:")),
                ("", Err("Enter the role")),
            ],
        );
    }
}
