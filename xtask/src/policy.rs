//! The dependency policy (supply chain), checked by `cargo xtask test` and `cargo xtask policy`.
//!
//! It reads the whole resolved graph from `cargo metadata --offline` (every target platform, so
//! the macOS and Windows dependencies are checked here too) and refuses:
//! - a license outside [`LICENSES`] (SPDX expressions: `OR` needs one allowed side, `AND` both);
//! - more than one version of a crate in [`SINGLE`] (two tauris would be two runtimes);
//! - a crate in [`BANNED`] (the shell plugin would let the webview start programs);
//! - a source other than crates.io or this workspace (no git or other registries);
//! - a version below [`MINIMUM`] (versions with known security fixes).
//!
//! It is the offline subset of what `cargo deny check licenses bans sources` does, without a
//! tool to install and in well under a second.

use std::collections::BTreeMap;

/// Licenses every dependency may use (one side of an `OR` suffices).
pub const LICENSES: &[&str] = &[
    "MIT",
    "MIT-0",
    "Apache-2.0",
    "Apache-2.0 WITH LLVM-exception",
    "BSD-2-Clause",
    "BSD-3-Clause",
    "ISC",
    "Zlib",
    "0BSD",
    "BSL-1.0",
    "CC0-1.0",
    "Unlicense",
    "Unicode-3.0",
    "Unicode-DFS-2016",
    "MPL-2.0",
    "CDLA-Permissive-2.0",
    "NCSA",
    "bzip2-1.0.6",
];

/// Crates that must not be in the graph at all, with the reason shown when one is.
pub const BANNED: &[(&str, &str)] = &[
    (
        "tauri-plugin-shell",
        "lets the webview start programs; open links from the backend instead",
    ),
    (
        "tauri-plugin-http",
        "gives the webview its own network access; the backend owns every request",
    ),
    (
        "serde_yaml",
        "deprecated and unmaintained; use serde_norway",
    ),
];

/// Crates of which the graph may hold one version only.
pub const SINGLE: &[&str] = &[
    "tauri",
    "tauri-runtime",
    "tauri-runtime-wry",
    "tauri-utils",
    "wry",
];

/// Lowest acceptable versions (known fixes), checked when the crate is present.
pub const MINIMUM: &[(&str, &str)] = &[("tauri", "2.11.1"), ("rustls-webpki", "0.103.12")];

/// crates.io, as cargo names it in `source` (the git index and the sparse index).
const CRATES_IO: &[&str] = &[
    "registry+https://github.com/rust-lang/crates.io-index",
    "sparse+https://index.crates.io/",
];

/// One package of the resolved graph.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Package {
    pub name: String,
    pub version: String,
    pub license: Option<String>,
    /// `None` for a path dependency (a workspace member).
    pub source: Option<String>,
}

/// The packages of `cargo metadata --format-version 1` output.
pub fn packages(meta: &serde_json::Value) -> Result<Vec<Package>, String> {
    let list = meta["packages"]
        .as_array()
        .ok_or("cargo metadata has no packages")?;
    list.iter()
        .map(|p| {
            let text = |k: &str| p[k].as_str().map(str::to_string);
            Ok(Package {
                name: text("name").ok_or("a package without a name")?,
                version: text("version").ok_or("a package without a version")?,
                license: text("license"),
                source: text("source"),
            })
        })
        .collect()
}

/// Every rule broken by `packages`, one line each (empty: the policy holds).
pub fn violations(packages: &[Package]) -> Vec<String> {
    let mut out = Vec::new();
    let mut versions: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    for p in packages {
        versions.entry(&p.name).or_default().push(&p.version);
        if let Some((_, why)) = BANNED.iter().find(|(name, _)| *name == p.name) {
            out.push(format!("{} {} is banned: {why}", p.name, p.version));
        }
        match &p.source {
            None => {}
            Some(s) if CRATES_IO.iter().any(|c| s == c) => {}
            Some(s) => out.push(format!(
                "{} {} comes from {s}: only crates.io and the workspace are allowed",
                p.name, p.version
            )),
        }
        if p.source.is_some() {
            match &p.license {
                Some(expr) if license_allowed(expr) => {}
                Some(expr) => out.push(format!(
                    "{} {} has license {expr}, which is not on the allowlist",
                    p.name, p.version
                )),
                None => out.push(format!("{} {} declares no SPDX license", p.name, p.version)),
            }
        }
        if let Some((_, min)) = MINIMUM.iter().find(|(name, _)| *name == p.name) {
            if version_lt(&p.version, min) {
                out.push(format!(
                    "{} {} is older than {min}, the first version with the known fixes",
                    p.name, p.version
                ));
            }
        }
    }
    for name in SINGLE {
        if let Some(v) = versions.get(name) {
            if v.len() > 1 {
                out.push(format!(
                    "{name} is in the graph {} times ({}): one version only",
                    v.len(),
                    v.join(", ")
                ));
            }
        }
    }
    out
}

/// True when `a` < `b` (numeric `x.y.z`; a pre-release sorts before its release).
pub fn version_lt(a: &str, b: &str) -> bool {
    let parse = |v: &str| -> (Vec<u64>, bool) {
        let (core, pre) = match v.split_once('-') {
            Some((c, _)) => (c, true),
            None => (v.split('+').next().unwrap_or(v), false),
        };
        (
            core.split('.').map(|n| n.parse().unwrap_or(0)).collect(),
            pre,
        )
    };
    let (a, a_pre) = parse(a);
    let (b, b_pre) = parse(b);
    match a.cmp(&b) {
        std::cmp::Ordering::Less => true,
        std::cmp::Ordering::Greater => false,
        std::cmp::Ordering::Equal => a_pre && !b_pre,
    }
}

/// Evaluates an SPDX expression against [`LICENSES`] (`OR`: either side, `AND`: both,
/// parentheses; the legacy `/` separator means `OR`).
pub fn license_allowed(expr: &str) -> bool {
    let spaced = expr
        .replace('(', " ( ")
        .replace(')', " ) ")
        .replace('/', " OR ");
    let tokens: Vec<&str> = spaced.split_whitespace().collect();
    let mut pos = 0;
    let ok = parse_or(&tokens, &mut pos);
    ok && pos == tokens.len()
}

fn parse_or(t: &[&str], pos: &mut usize) -> bool {
    let mut ok = parse_and(t, pos);
    while t.get(*pos) == Some(&"OR") {
        *pos += 1;
        let right = parse_and(t, pos);
        ok = ok || right;
    }
    ok
}

fn parse_and(t: &[&str], pos: &mut usize) -> bool {
    let mut ok = parse_atom(t, pos);
    while t.get(*pos) == Some(&"AND") {
        *pos += 1;
        let right = parse_atom(t, pos);
        ok = ok && right;
    }
    ok
}

fn parse_atom(t: &[&str], pos: &mut usize) -> bool {
    match t.get(*pos) {
        Some(&"(") => {
            *pos += 1;
            let ok = parse_or(t, pos);
            if t.get(*pos) == Some(&")") {
                *pos += 1;
                ok
            } else {
                false
            }
        }
        Some(id) => {
            *pos += 1;
            let mut name = id.trim_end_matches('+').to_string();
            if t.get(*pos) == Some(&"WITH") {
                if let Some(exception) = t.get(*pos + 1) {
                    name = format!("{name} WITH {exception}");
                    *pos += 2;
                }
            }
            LICENSES.contains(&name.as_str())
                || name
                    .split_once(" WITH ")
                    .is_some_and(|(base, _)| LICENSES.contains(&base))
        }
        None => false,
    }
}

/// Runs the policy on the workspace at `root` (offline: the lockfile is the truth).
pub fn check(root: &std::path::Path) -> Result<usize, String> {
    let metadata = || {
        crate::util::cmd(
            "cargo",
            &["metadata", "--format-version", "1", "--offline", "--locked"],
        )
        .current_dir(root)
        .output()
        .map_err(|e| format!("cargo metadata: {e}"))
    };
    let mut out = metadata()?;
    if !out.status.success() {
        // A fresh machine has only the host's crates: fetch the other platforms' (from the
        // lockfile, nothing is resolved anew), then read offline again.
        let mut fetch = crate::util::cmd("cargo", &["fetch", "--locked"]);
        fetch.current_dir(root);
        crate::util::run(fetch)?;
        out = metadata()?;
    }
    if !out.status.success() {
        return Err(format!(
            "cargo metadata failed: {}",
            String::from_utf8_lossy(&out.stderr)
        ));
    }
    let meta: serde_json::Value =
        serde_json::from_slice(&out.stdout).map_err(|e| format!("cargo metadata: {e}"))?;
    let packages = packages(&meta)?;
    let broken = violations(&packages);
    if broken.is_empty() {
        Ok(packages.len())
    } else {
        Err(format!(
            "the dependency policy is broken ({} problems):\n  {}",
            broken.len(),
            broken.join("\n  ")
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn crate_io(name: &str, version: &str, license: &str) -> Package {
        Package {
            name: name.into(),
            version: version.into(),
            license: Some(license.into()),
            source: Some(CRATES_IO[0].into()),
        }
    }

    fn healthy() -> Vec<Package> {
        vec![
            Package {
                name: "hangar".into(),
                version: "0.1.0".into(),
                license: Some("MIT".into()),
                source: None,
            },
            crate_io("tauri", "2.12.5", "Apache-2.0 OR MIT"),
            crate_io("rustls-webpki", "0.103.17", "ISC"),
            crate_io(
                "unicode-ident",
                "1.0.0",
                "(MIT OR Apache-2.0) AND Unicode-3.0",
            ),
        ]
    }

    #[test]
    fn a_healthy_graph_passes() {
        assert_eq!(violations(&healthy()), Vec::<String>::new());
    }

    #[test]
    fn a_banned_crate_is_refused() {
        let mut graph = healthy();
        graph.push(crate_io("tauri-plugin-shell", "2.3.0", "Apache-2.0 OR MIT"));
        let broken = violations(&graph);
        assert_eq!(broken.len(), 1, "{broken:?}");
        assert!(
            broken[0].contains("tauri-plugin-shell 2.3.0 is banned"),
            "{broken:?}"
        );
    }

    #[test]
    fn two_tauris_old_versions_git_sources_and_bad_licenses_are_refused() {
        let mut graph = healthy();
        graph.push(crate_io("tauri", "2.10.0", "Apache-2.0 OR MIT"));
        graph.push(crate_io("rustls-webpki", "0.103.11", "ISC"));
        graph.push(Package {
            source: Some("git+https://example.invalid/x#abc".into()),
            ..crate_io("forked", "1.0.0", "MIT")
        });
        graph.push(crate_io("copyleft", "1.0.0", "GPL-3.0-only"));
        graph.push(Package {
            license: None,
            ..crate_io("unlabelled", "1.0.0", "")
        });
        let broken = violations(&graph).join("\n");
        assert!(broken.contains("tauri is in the graph 2 times"), "{broken}");
        assert!(
            broken.contains("tauri 2.10.0 is older than 2.11.1"),
            "{broken}"
        );
        assert!(
            broken.contains("rustls-webpki 0.103.11 is older"),
            "{broken}"
        );
        assert!(broken.contains("forked 1.0.0 comes from git+"), "{broken}");
        assert!(
            broken.contains("copyleft 1.0.0 has license GPL-3.0-only"),
            "{broken}"
        );
        assert!(
            broken.contains("unlabelled 1.0.0 declares no SPDX"),
            "{broken}"
        );
    }

    #[test]
    fn spdx_expressions() {
        assert!(license_allowed("MIT"));
        assert!(license_allowed("MIT OR Apache-2.0"));
        assert!(license_allowed("GPL-2.0 OR MIT"));
        assert!(!license_allowed("GPL-2.0 AND MIT"));
        assert!(license_allowed("(MIT OR Apache-2.0) AND Unicode-3.0"));
        assert!(license_allowed("Apache-2.0 WITH LLVM-exception OR MIT"));
        assert!(license_allowed("MIT/Apache-2.0"));
        assert!(!license_allowed("LGPL-3.0"));
        assert!(!license_allowed("(MIT"));
    }

    #[test]
    fn versions_compare_numerically() {
        assert!(version_lt("2.9.9", "2.11.1"));
        assert!(!version_lt("2.11.1", "2.11.1"));
        assert!(!version_lt("2.12.5", "2.11.1"));
        assert!(version_lt("0.102.8", "0.103.12"));
        assert!(version_lt("2.11.1-beta.1", "2.11.1"));
    }

    /// The workspace itself holds the policy (offline, from Cargo.lock).
    #[test]
    fn the_workspace_holds_the_policy() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
        let count = check(&root).unwrap();
        assert!(count > 100, "{count} packages");
    }
}
