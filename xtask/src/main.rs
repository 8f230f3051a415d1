//! `cargo xtask run` and `cargo xtask test`: the two commands the README promises.
//!
//! Both install what is missing first (Debian packages, the wasm32 target, the wasm-bindgen CLI
//! matching Cargo.lock, tauri-driver), so a fresh machine needs nothing but Rust. Nothing here
//! downloads a prebuilt binary: tools come from crates.io and the OS package manager.

mod policy;
mod release;
mod setup;
mod util;

use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};
use std::time::Instant;

use util::{cmd, Step};

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("run") => run(&args[1..]),
        Some("test") => test(&args[1..]),
        Some("build-ui") => Workspace::locate().and_then(|ws| build_ui(&ws, true)),
        Some("setup") => setup::ensure_all(true),
        Some("bench") => bench(&args[1..]),
        Some("e2e") => e2e_only(&args[1..]),
        // Release (issue 13).
        Some("bundle") => release::bundle(&args[1..]).map(|_| ()),
        Some("release-figures") => release::release_figures(&args[1..]),
        Some("policy") => policy_step(),
        _ => {
            eprintln!(
                "usage: cargo xtask <command>\n\n  run        build and open Hangar (Demo profile when no key is set)\n  test       every check: fmt, clippy, unit + integration tests, end-to-end in a real window\n  bench      the benchmarks (cargo bench), figures printed\n  e2e        only the end-to-end suite (args: test name filters; --release drives the release app)\n  build-ui   build the wasm UI into ui/dist\n  setup      install missing tools and system packages only\n  bundle     the release app and its installers (.deb, .rpm here); --check also runs release-figures\n  release-figures  install the .deb, open it under Xvfb, measure sizes, start time, memory; uninstall\n  policy     the dependency policy (licenses, bans, sources, versions)"
            );
            return ExitCode::from(2);
        }
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("\nxtask: {message}");
            ExitCode::FAILURE
        }
    }
}

/// The workspace being worked on, found at run time from the current directory. (Not the
/// compile-time manifest dir: the target dir is shared between checkouts, so this binary may
/// have been built from another clone.)
pub fn workspace_root() -> Result<PathBuf, String> {
    let out = cmd(
        "cargo",
        &["locate-project", "--workspace", "--message-format", "plain"],
    )
    .output()
    .map_err(|e| format!("cargo locate-project: {e}"))?;
    if !out.status.success() {
        return Err(format!(
            "cargo locate-project failed: {}",
            String::from_utf8_lossy(&out.stderr)
        ));
    }
    let manifest = PathBuf::from(String::from_utf8_lossy(&out.stdout).trim());
    manifest
        .parent()
        .map(Path::to_path_buf)
        .ok_or_else(|| "the workspace manifest has no folder".to_string())
}

/// Paths of the workspace and of cargo's target directory.
pub struct Workspace {
    root: PathBuf,
    target: PathBuf,
}

impl Workspace {
    fn locate() -> Result<Self, String> {
        let root = workspace_root()?;
        let out = cmd("cargo", &["metadata", "--format-version", "1", "--no-deps"])
            .current_dir(&root)
            .output()
            .map_err(|e| format!("cargo metadata: {e}"))?;
        if !out.status.success() {
            return Err(format!(
                "cargo metadata failed: {}",
                String::from_utf8_lossy(&out.stderr)
            ));
        }
        let meta: serde_json::Value = serde_json::from_slice(&out.stdout)
            .map_err(|e| format!("cargo metadata output: {e}"))?;
        let target = meta["target_directory"]
            .as_str()
            .ok_or("no target_directory in cargo metadata")?;
        Ok(Self {
            root,
            target: PathBuf::from(target),
        })
    }

    fn cargo(&self, args: &[&str]) -> Command {
        let mut c = cmd("cargo", args);
        c.current_dir(&self.root);
        c
    }
}

/// Builds the Leptos UI to wasm and assembles `ui/dist` (index.html, boot.js, css, wasm, js glue).
fn build_ui(ws: &Workspace, release: bool) -> Result<(), String> {
    let step = Step::start("build the UI (wasm32)");
    let mut args = vec![
        "build",
        "-p",
        "hangar-ui",
        "--target",
        "wasm32-unknown-unknown",
    ];
    if release {
        args.push("--release");
    }
    util::run(ws.cargo(&args))?;
    let profile = if release { "release" } else { "debug" };
    let wasm = ws
        .target
        .join("wasm32-unknown-unknown")
        .join(profile)
        .join("hangar-ui.wasm");
    let dist = ws.root.join("ui").join("dist");
    if dist.exists() {
        std::fs::remove_dir_all(&dist).map_err(|e| format!("clean {}: {e}", dist.display()))?;
    }
    std::fs::create_dir_all(&dist).map_err(|e| format!("create {}: {e}", dist.display()))?;
    let dist_str = dist.to_string_lossy().to_string();
    let wasm_str = wasm.to_string_lossy().to_string();
    let mut bindgen = vec![
        "--target",
        "web",
        "--no-typescript",
        "--out-dir",
        &dist_str,
        "--out-name",
        "hangar_ui",
    ];
    // The shipped UI leaves out the function names (4 MB the webview would parse and keep);
    // the builds the tests drive keep them for readable stack traces.
    if release {
        bindgen.push("--remove-name-section");
    }
    bindgen.push(&wasm_str);
    util::run(cmd("wasm-bindgen", &bindgen))?;
    let copy = |from: PathBuf, name: &str| {
        std::fs::copy(&from, dist.join(name))
            .map(|_| ())
            .map_err(|e| format!("copy {}: {e}", from.display()))
    };
    copy(ws.root.join("ui/index.html"), "index.html")?;
    for entry in
        std::fs::read_dir(ws.root.join("ui/static")).map_err(|e| format!("ui/static: {e}"))?
    {
        let entry = entry.map_err(|e| format!("ui/static: {e}"))?;
        let name = entry.file_name().to_string_lossy().to_string();
        copy(entry.path(), &name)?;
    }
    step.done();
    Ok(())
}

/// The app binary with the UI embedded. Debug builds are what the tests drive; `run` uses release.
fn build_app(ws: &Workspace, release: bool) -> Result<PathBuf, String> {
    let step = Step::start(if release {
        "build the app (release)"
    } else {
        "build the app (debug)"
    });
    let mut args = vec!["build", "-p", "hangar", "--features", "custom-protocol"];
    if release {
        args.push("--release");
    }
    util::run(ws.cargo(&args))?;
    step.done();
    let bin = ws
        .target
        .join(if release { "release" } else { "debug" })
        .join(util::exe("hangar"));
    if !bin.exists() {
        return Err(format!("the build did not produce {}", bin.display()));
    }
    Ok(bin)
}

fn run(args: &[String]) -> Result<(), String> {
    setup::ensure_all(false)?;
    let ws = Workspace::locate()?;
    build_ui(&ws, true)?;
    let bin = build_app(&ws, true)?;
    let _display = util::ensure_display()?;
    println!("Opening Hangar: {}", bin.display());
    let status = Command::new(&bin)
        .args(args)
        .status()
        .map_err(|e| format!("start {}: {e}", bin.display()))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("Hangar exited with {status}"))
    }
}

fn test(args: &[String]) -> Result<(), String> {
    let total = Instant::now();
    let skip_e2e = args.iter().any(|a| a == "--no-e2e");
    setup::ensure_all(true)?;
    let ws = Workspace::locate()?;

    let step = Step::start("cargo fmt --check");
    util::run(ws.cargo(&["fmt", "--all", "--check"]))?;
    step.done();

    check_boundaries(&ws)?;
    policy_step()?;
    // The shell embeds ui/dist at compile time, so the UI is built before anything compiles it.
    build_ui(&ws, true)?;

    let step = Step::start("clippy -D warnings (native crates, then the UI for wasm32)");
    util::run(ws.cargo(&[
        "clippy",
        "--workspace",
        "--exclude",
        "hangar-ui",
        // The installer builder (tauri-bundler, ~200 crates) is built by `cargo xtask bundle` only.
        "--exclude",
        "hangar-bundler",
        "--all-targets",
        "--",
        "-D",
        "warnings",
    ]))?;
    // The shell without the Demo (feature `demo` off) must build and lint clean too.
    util::run(ws.cargo(&[
        "clippy",
        "-p",
        "hangar",
        "--no-default-features",
        "--",
        "-D",
        "warnings",
    ]))?;
    util::run(ws.cargo(&[
        "clippy",
        "-p",
        "hangar-ui",
        "--target",
        "wasm32-unknown-unknown",
        "--",
        "-D",
        "warnings",
    ]))?;
    step.done();

    let step = Step::start("unit and integration tests");
    util::run(util::with_keyring_session(ws.cargo(&[
        "test",
        "--workspace",
        "--exclude",
        "hangar-ui",
        "--exclude",
        "hangar-e2e",
        "--exclude",
        "hangar-bundler",
    ])))?;
    // The UI's plain logic (navigation, forms) is tested natively.
    util::run(ws.cargo(&["test", "-p", "hangar-ui"]))?;
    step.done();

    if skip_e2e {
        println!("(end-to-end suite skipped: --no-e2e)");
    } else {
        let bin = build_app(&ws, false)?;
        e2e(&ws, &bin)?;
    }
    println!(
        "\nxtask test: everything passed in {:.0} s",
        total.elapsed().as_secs_f64()
    );
    Ok(())
}

/// The dependency policy over the whole resolved graph (`policy.rs`).
fn policy_step() -> Result<(), String> {
    let step = Step::start("dependency policy (licenses, bans, sources, versions)");
    let ws = Workspace::locate()?;
    let count = policy::check(&ws.root)?;
    println!("{count} packages: the policy holds");
    step.done();
    Ok(())
}

/// The crate boundaries the architecture promises, checked on the real dependency graph.
fn check_boundaries(ws: &Workspace) -> Result<(), String> {
    let step = Step::start("crate boundaries");
    let tree = |package: &str, target: Option<&str>| -> Result<String, String> {
        let mut args = vec![
            "tree", "-p", package, "-e", "normal", "--prefix", "none", "--format", "{p}",
        ];
        if let Some(t) = target {
            args.extend(["--target", t]);
        }
        let out = ws
            .cargo(&args)
            .output()
            .map_err(|e| format!("cargo tree: {e}"))?;
        if !out.status.success() {
            return Err(format!(
                "cargo tree -p {package}: {}",
                String::from_utf8_lossy(&out.stderr)
            ));
        }
        Ok(String::from_utf8_lossy(&out.stdout).to_string())
    };
    let forbidden = |package: &str, target: Option<&str>, names: &[&str]| -> Result<(), String> {
        let listing = tree(package, target)?;
        for line in listing.lines() {
            let crate_name = line.split_whitespace().next().unwrap_or("");
            if names.contains(&crate_name) {
                return Err(format!(
                    "boundary broken: {package} depends on {crate_name}"
                ));
            }
        }
        Ok(())
    };
    for wasm_safe in ["hangar-model", "hangar-types"] {
        forbidden(wasm_safe, None, &["tokio", "reqwest", "tauri", "rusqlite"])?;
    }
    for core in [
        "hangar-model",
        "hangar-api",
        "hangar-store",
        "hangar-fake-api",
    ] {
        if ws.root.join("crates").join(core).exists() {
            forbidden(core, None, &["tauri", "wry", "tao"])?;
        }
    }
    util::run(ws.cargo(&[
        "check",
        "-p",
        "hangar-model",
        "-p",
        "hangar-types",
        "--target",
        "wasm32-unknown-unknown",
    ]))?;
    step.done();
    Ok(())
}

/// Starts a display (Xvfb when there is none), then tauri-driver and the E2E crate inside one
/// keyring session, so the app the driver launches has the OS keychain a desktop user has.
fn e2e(ws: &Workspace, app: &Path) -> Result<(), String> {
    e2e_filtered(ws, app, &[])
}

fn e2e_filtered(ws: &Workspace, app: &Path, filters: &[String]) -> Result<(), String> {
    let step = Step::start("end-to-end tests in a real window");
    let _display = util::ensure_display()?;
    let port = util::free_port()?;
    let native_port = util::free_port()?;
    // One folder per checkout: several checkouts may share the target dir (and run at once).
    let checkout = ws
        .root
        .file_name()
        .map(|n| n.to_string_lossy().to_string())
        .unwrap_or_else(|| "hangar".into());
    let shots = ws.target.join("e2e-screenshots").join(checkout);
    if shots.exists() {
        std::fs::remove_dir_all(&shots).map_err(|e| format!("{}: {e}", shots.display()))?;
    }
    std::fs::create_dir_all(&shots).map_err(|e| format!("{}: {e}", shots.display()))?;
    let filters = filters
        .iter()
        .map(|f| f.replace(|c: char| !(c.is_ascii_alphanumeric() || c == '_'), ""))
        .collect::<Vec<_>>()
        .join(" ");
    let script = format!(
        "tauri-driver --port {port} --native-port {native_port} >/dev/null 2>&1 & DRIVER=$!; \
         i=0; while ! (exec 3<>/dev/tcp/127.0.0.1/{port}) 2>/dev/null; do i=$((i+1)); [ $i -gt 200 ] && break; sleep 0.1; done; \
         cargo test -p hangar-e2e -- --test-threads=1 {filters}; rc=$?; kill $DRIVER 2>/dev/null; wait $DRIVER 2>/dev/null; exit $rc"
    );
    let mut c = cmd("bash", &["-c", &script]);
    c.current_dir(&ws.root)
        .env("HANGAR_E2E_APP", app)
        .env("HANGAR_E2E_WEBDRIVER", format!("http://127.0.0.1:{port}"))
        .env("HANGAR_E2E_SHOTS", &shots);
    // No WEBKIT_DISABLE_COMPOSITING_MODE: the app draws the way it ships, on a machine with no
    // GPU (as here) without compositing. The harness takes its screenshots from the X server:
    // WebKitWebDriver's own would wait for a paint that a still page never makes.
    util::run(util::with_keyring_session(c))?;
    println!("screenshots: {}", shots.display());
    step.done();
    Ok(())
}

/// Only the end-to-end suite (for working on it): builds what it needs, then runs the tests
/// whose names contain one of `filters` (all without filters). `--release` drives the
/// release build of the app, as it ships: the way to read its speed figures.
fn e2e_only(args: &[String]) -> Result<(), String> {
    setup::ensure_all(true)?;
    let ws = Workspace::locate()?;
    build_ui(&ws, true)?;
    let release = args.iter().any(|a| a == "--release");
    let filters: Vec<String> = args.iter().filter(|a| *a != "--release").cloned().collect();
    let bin = build_app(&ws, release)?;
    e2e_filtered(&ws, &bin, &filters)
}

fn bench(args: &[String]) -> Result<(), String> {
    let ws = Workspace::locate()?;
    let mut a = vec![
        "bench",
        "--workspace",
        "--exclude",
        "hangar-ui",
        "--exclude",
        "hangar-e2e",
        // The shell's IPC benchmark drives the app on the mock runtime.
        "--features",
        "hangar/test-support",
    ];
    a.extend(args.iter().map(String::as_str));
    util::run(ws.cargo(&a))?;
    if args.is_empty() {
        // The live path's latency (SSE → cache → the view's channel) needs the fake and the
        // app on the mock runtime: an ignored test of the shell, run here on demand.
        util::run(util::with_keyring_session(ws.cargo(&[
            "test",
            "--release",
            "-p",
            "hangar",
            "--features",
            "test-support",
            "--lib",
            "live_latency",
            "--",
            "--ignored",
            "--nocapture",
        ])))?;
    }
    Ok(())
}
