//! Installs what building, running and testing Hangar need, only when it is missing.

use std::process::Command;

use crate::util::{cmd, have, run, Step};

/// Exact version of tauri-driver that is known to work with WebKitWebDriver here.
const TAURI_DRIVER_VERSION: &str = "2.1.0";

/// Debian/Ubuntu packages: Tauri's build dependencies, then what running under Xvfb, the
/// WebDriver tests and the keychain tests use.
const APT_BUILD: &[&str] = &[
    "libwebkit2gtk-4.1-dev",
    "libgtk-3-dev",
    "libsoup-3.0-dev",
    "libjavascriptcoregtk-4.1-dev",
    "librsvg2-dev",
    "libxdo-dev",
    "libssl-dev",
    "libdbus-1-dev",
    "build-essential",
    "pkg-config",
    "file",
];
const APT_RUN: &[&str] = &["xvfb", "xauth", "openbox", "fonts-dejavu-core"];
const APT_TEST: &[&str] = &[
    "webkit2gtk-driver",
    "gnome-keyring",
    "dbus",
    "dbus-x11",
    "libsecret-tools",
    "keyutils",
];

/// Everything `run` (and with `for_tests`, `test`) needs.
pub fn ensure_all(for_tests: bool) -> Result<(), String> {
    let step = Step::start("tools and system packages");
    if cfg!(target_os = "linux") {
        ensure_linux_packages(for_tests)?;
    }
    ensure_wasm_target()?;
    ensure_wasm_bindgen()?;
    if for_tests && cfg!(target_os = "linux") {
        ensure_cargo_tool("tauri-driver", TAURI_DRIVER_VERSION, true)?;
    }
    step.done();
    Ok(())
}

/// What `cargo xtask release-figures` uses beyond running the app: screenshots (ImageMagick's
/// `import`), window control (`xdotool`). Bundling itself needs no system tool: tauri-bundler
/// writes the .deb and .rpm archives itself (no `dpkg-deb`, no `rpmbuild`).
const APT_FIGURES: &[&str] = &["imagemagick", "xdotool", "x11-utils"];

/// The tools of [`APT_FIGURES`] and of running the app, installed when missing.
pub fn ensure_figure_tools() -> Result<(), String> {
    if !cfg!(target_os = "linux") {
        return Ok(());
    }
    let mut missing = linux_missing(false);
    if !(have("import") && have("identify") && have("xdotool") && have("xwininfo")) {
        missing.extend_from_slice(APT_FIGURES);
    }
    install_apt(&missing)
}

fn linux_missing(for_tests: bool) -> Vec<&'static str> {
    let mut missing = Vec::new();
    let pkg_ok = Command::new("pkg-config")
        .args([
            "--exists",
            "webkit2gtk-4.1",
            "javascriptcoregtk-4.1",
            "libsoup-3.0",
            "gtk+-3.0",
            "dbus-1",
            "openssl",
        ])
        .status()
        .map(|s| s.success())
        .unwrap_or(false);
    if !pkg_ok || !have("cc") {
        missing.extend_from_slice(APT_BUILD);
    }
    if !have("Xvfb") || !have("openbox") {
        missing.extend_from_slice(APT_RUN);
    }
    if for_tests
        && !(have("WebKitWebDriver")
            && have("gnome-keyring-daemon")
            && have("dbus-run-session")
            && have("keyctl"))
    {
        missing.extend_from_slice(APT_TEST);
    }
    missing
}

fn ensure_linux_packages(for_tests: bool) -> Result<(), String> {
    install_apt(&linux_missing(for_tests))
}

fn install_apt(missing: &[&str]) -> Result<(), String> {
    if missing.is_empty() {
        return Ok(());
    }
    if !have("apt-get") {
        return Err(format!(
            "missing system packages and no apt-get to install them; install the equivalents of: {}",
            missing.join(" ")
        ));
    }
    let is_root = Command::new("id")
        .arg("-u")
        .output()
        .map(|o| o.stdout.starts_with(b"0"))
        .unwrap_or(false);
    let sudo = |args: &[&str]| -> Command {
        if is_root {
            cmd(args[0], &args[1..])
        } else {
            cmd("sudo", args)
        }
    };
    println!("installing system packages: {}", missing.join(" "));
    run(sudo(&["apt-get", "update", "-q"]))?;
    let mut install = vec!["apt-get", "install", "-y", "-q", "--no-install-recommends"];
    install.extend(missing.iter().copied());
    let mut c = sudo(&install);
    c.env("DEBIAN_FRONTEND", "noninteractive");
    run(c)
}

fn ensure_wasm_target() -> Result<(), String> {
    let out = cmd("rustup", &["target", "list", "--installed"]).output();
    let installed = out
        .map(|o| String::from_utf8_lossy(&o.stdout).contains("wasm32-unknown-unknown"))
        .unwrap_or(false);
    if installed {
        return Ok(());
    }
    run(cmd("rustup", &["target", "add", "wasm32-unknown-unknown"]))
}

/// The wasm-bindgen CLI must equal the wasm-bindgen library in Cargo.lock exactly.
fn ensure_wasm_bindgen() -> Result<(), String> {
    let lock_path = crate::workspace_root()?.join("Cargo.lock");
    let lock =
        std::fs::read_to_string(&lock_path).map_err(|e| format!("{}: {e}", lock_path.display()))?;
    let version =
        locked_version(&lock, "wasm-bindgen").ok_or("wasm-bindgen is not in Cargo.lock")?;
    // The CLI's own lockfile pins a webpki-roots newer than this registry has: install unlocked.
    ensure_cargo_tool_named("wasm-bindgen", "wasm-bindgen-cli", &version, false)
}

/// The version of `name` recorded in a Cargo.lock text.
pub fn locked_version(lock: &str, name: &str) -> Option<String> {
    let needle = format!("name = \"{name}\"\n");
    let at = lock.find(&needle)?;
    let rest = &lock[at + needle.len()..];
    let line = rest.lines().next()?;
    Some(
        line.strip_prefix("version = \"")?
            .trim_end_matches('"')
            .to_string(),
    )
}

fn ensure_cargo_tool(binary: &str, version: &str, locked: bool) -> Result<(), String> {
    ensure_cargo_tool_named(binary, binary, version, locked)
}

fn ensure_cargo_tool_named(
    binary: &str,
    package: &str,
    version: &str,
    locked: bool,
) -> Result<(), String> {
    if have(binary) {
        let out = cmd(binary, &["--version"]).output();
        let text = out
            .map(|o| String::from_utf8_lossy(&o.stdout).to_string())
            .unwrap_or_default();
        if text.split_whitespace().any(|word| word == version) {
            return Ok(());
        }
        // Some tools (tauri-driver) have no --version: ask cargo what it installed.
        let listed = cmd("cargo", &["install", "--list"]).output();
        let listed = listed
            .map(|o| String::from_utf8_lossy(&o.stdout).to_string())
            .unwrap_or_default();
        if installed_version(&listed, package).as_deref() == Some(version) {
            return Ok(());
        }
    }
    println!("installing {package} {version} from crates.io");
    let mut args = vec!["install", package, "--version", version];
    if locked {
        args.push("--locked");
    }
    run(cmd("cargo", &args))
}

/// The version of `package` in `cargo install --list` output (`name vX.Y.Z:` lines).
pub fn installed_version(listing: &str, package: &str) -> Option<String> {
    listing.lines().find_map(|line| {
        let rest = line.strip_prefix(package)?.strip_prefix(" v")?;
        Some(
            rest.trim_end_matches(':')
                .split_whitespace()
                .next()?
                .trim_end_matches(':')
                .to_string(),
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_cargo_install_list() {
        let listing = "tauri-driver v2.1.0:\n    tauri-driver\nwasm-bindgen-cli v0.2.130:\n    wasm-bindgen\n";
        assert_eq!(
            installed_version(listing, "tauri-driver").as_deref(),
            Some("2.1.0")
        );
        assert_eq!(
            installed_version(listing, "wasm-bindgen-cli").as_deref(),
            Some("0.2.130")
        );
        assert_eq!(installed_version(listing, "trunk"), None);
    }

    #[test]
    fn finds_versions_in_a_lockfile() {
        let lock = "[[package]]\nname = \"wasm-bindgen-macro\"\nversion = \"9\"\n\n[[package]]\nname = \"wasm-bindgen\"\nversion = \"0.2.130\"\nsource = \"x\"\n";
        assert_eq!(
            locked_version(lock, "wasm-bindgen").as_deref(),
            Some("0.2.130")
        );
        assert_eq!(
            locked_version(lock, "wasm-bindgen-macro").as_deref(),
            Some("9")
        );
        assert_eq!(locked_version(lock, "leptos"), None);
    }
}
