//! `cargo xtask bundle` (the installers) and `cargo xtask release-figures` (the installed .deb,
//! measured as a person would meet it).
//!
//! Bundling drives the `tauri-bundler` crate through the `hangar-bundler` binary
//! (`xtask/bundler`), which reads the one `tauri.conf.json` at the root: no Tauri CLI and no
//! config inside `src-tauri` (ARCHITECTURE.md, "Release"). The bundler writes .deb and .rpm
//! archives itself (ar/tar and the `rpm` crate): neither `dpkg-deb` nor `rpmbuild` is needed.

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use crate::util::{cmd, have, run, Step};
use crate::{build_app, build_ui, setup, Workspace};

/// The bundle types built here by default: the OS's own installers (AppImage downloads its
/// tooling at bundle time, so the release workflow builds it, not this command).
pub fn default_bundles() -> &'static str {
    if cfg!(target_os = "macos") {
        "app,dmg"
    } else if cfg!(target_os = "windows") {
        "msi,nsis"
    } else {
        "deb,rpm"
    }
}

/// Builds the UI, the release app (UI embedded) and the installers; prints their sizes.
pub fn bundle(args: &[String]) -> Result<Vec<PathBuf>, String> {
    let mut bundles = default_bundles().to_string();
    let mut target = None;
    let mut it = args.iter();
    while let Some(arg) = it.next() {
        match arg.as_str() {
            "--bundles" => bundles = it.next().ok_or("--bundles needs a value")?.clone(),
            "--target" => target = Some(it.next().ok_or("--target needs a value")?.clone()),
            "--check" => {}
            other => return Err(format!("unknown argument {other}")),
        }
    }
    setup::ensure_all(false)?;
    let ws = Workspace::locate()?;
    build_ui(&ws, true)?;
    let bin = match target.as_deref() {
        None => build_app(&ws, true)?,
        Some(t) => build_for_target(&ws, t)?,
    };
    let step = Step::start("installers (tauri-bundler)");
    let out_dir = bin
        .parent()
        .ok_or("the binary has no folder")?
        .to_path_buf();
    let root = ws.root.to_string_lossy().to_string();
    let out = out_dir.to_string_lossy().to_string();
    let mut a = vec![
        "run",
        "--quiet",
        "-p",
        "hangar-bundler",
        "--",
        "--root",
        &root,
        "--out",
        &out,
        "--bundles",
        &bundles,
    ];
    if let Some(t) = &target {
        a.extend(["--target", t.as_str()]);
    }
    // Its own target dir: the bundler's ~200 crates stay out of the app's, and it can be built
    // while the app builds.
    let output = ws
        .cargo(&a)
        .env("CARGO_TARGET_DIR", bundler_target(&ws.target))
        .stderr(Stdio::inherit())
        .output()
        .map_err(|e| format!("hangar-bundler: {e}"))?;
    if !output.status.success() {
        return Err("hangar-bundler failed (see above)".into());
    }
    let paths: Vec<PathBuf> = String::from_utf8_lossy(&output.stdout)
        .lines()
        .map(PathBuf::from)
        .collect();
    step.done();
    println!("\nbinary     {:>8.2} MiB  {}", mib(&bin), bin.display());
    for p in &paths {
        println!("installer  {:>8.2} MiB  {}", mib(p), p.display());
    }
    if args.iter().any(|a| a == "--check") {
        release_figures(&[])?;
    }
    Ok(paths)
}

/// The release app for another target (the release workflow): `universal-apple-darwin` is
/// both Mac architectures joined with `lipo`, where the bundler expects it.
fn build_for_target(ws: &Workspace, target: &str) -> Result<PathBuf, String> {
    let build = |t: &str| -> Result<PathBuf, String> {
        let step = Step::start("build the app (release, other target)");
        run(ws.cargo(&[
            "build",
            "-p",
            "hangar",
            "--features",
            "custom-protocol",
            "--release",
            "--target",
            t,
        ]))?;
        step.done();
        Ok(target_binary(&ws.target, t))
    };
    if target != "universal-apple-darwin" {
        return build(target);
    }
    let arm = build("aarch64-apple-darwin")?;
    let intel = build("x86_64-apple-darwin")?;
    let universal = target_binary(&ws.target, target);
    let dir = universal.parent().ok_or("no folder")?;
    std::fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    let mut lipo = cmd("lipo", &["-create", "-output"]);
    lipo.arg(&universal).arg(&arm).arg(&intel);
    run(lipo)?;
    Ok(universal)
}

/// The target dir of the bundler (inside the workspace's).
pub fn bundler_target(target_dir: &Path) -> PathBuf {
    target_dir.join("bundler")
}

/// Where cargo puts the release binary for `target`.
pub fn target_binary(target_dir: &Path, target: &str) -> PathBuf {
    let exe = if target.contains("windows") {
        "hangar.exe"
    } else {
        "hangar"
    };
    target_dir.join(target).join("release").join(exe)
}

fn mib(path: &Path) -> f64 {
    std::fs::metadata(path).map(|m| m.len()).unwrap_or(0) as f64 / (1024.0 * 1024.0)
}

/// The newest file in `dir` whose name starts with `prefix` and ends with `suffix`.
fn find_bundle(dir: &Path, prefix: &str, suffix: &str) -> Option<PathBuf> {
    let mut found: Vec<(std::time::SystemTime, PathBuf)> = std::fs::read_dir(dir)
        .ok()?
        .filter_map(Result::ok)
        .filter(|e| {
            // The bundler names files after the product name (`Hangar_…`): any case.
            let n = e.file_name().to_string_lossy().to_lowercase();
            n.starts_with(&prefix.to_lowercase()) && n.ends_with(&suffix.to_lowercase())
        })
        .filter_map(|e| Some((e.metadata().ok()?.modified().ok()?, e.path())))
        .collect();
    found.sort();
    found.pop().map(|(_, p)| p)
}

/// The sum of `Pss:` over `pids` (kB), from /proc/PID/smaps_rollup (shared pages counted once).
pub fn pss_kib(pids: &[u32]) -> u64 {
    pids.iter()
        .filter_map(|pid| std::fs::read_to_string(format!("/proc/{pid}/smaps_rollup")).ok())
        .map(|text| rollup_pss(&text))
        .sum()
}

/// The `Pss:` line of a smaps_rollup text, in kB.
pub fn rollup_pss(text: &str) -> u64 {
    text.lines()
        .find_map(|l| l.strip_prefix("Pss:"))
        .and_then(|rest| rest.split_whitespace().next()?.parse().ok())
        .unwrap_or(0)
}

/// `root` and every process descending from it (from the ppid field of /proc/PID/stat).
pub fn process_tree(root: u32) -> Vec<u32> {
    let mut parents: Vec<(u32, u32)> = Vec::new();
    if let Ok(dir) = std::fs::read_dir("/proc") {
        for e in dir.filter_map(Result::ok) {
            let Ok(pid) = e.file_name().to_string_lossy().parse::<u32>() else {
                continue;
            };
            if let Ok(stat) = std::fs::read_to_string(format!("/proc/{pid}/stat")) {
                if let Some(ppid) = stat_ppid(&stat) {
                    parents.push((pid, ppid));
                }
            }
        }
    }
    descendants(root, &parents)
}

/// The ppid of a /proc/PID/stat line (the field after the parenthesised name and the state).
pub fn stat_ppid(stat: &str) -> Option<u32> {
    let after = &stat[stat.rfind(')')? + 1..];
    after.split_whitespace().nth(1)?.parse().ok()
}

/// `root` and its descendants in a (pid, ppid) list.
pub fn descendants(root: u32, parents: &[(u32, u32)]) -> Vec<u32> {
    let mut out = vec![root];
    let mut i = 0;
    while i < out.len() {
        let p = out[i];
        out.extend(
            parents
                .iter()
                .filter(|(_, pp)| *pp == p)
                .map(|(pid, _)| *pid),
        );
        i += 1;
    }
    out
}

fn name_of(pid: u32) -> String {
    std::fs::read_to_string(format!("/proc/{pid}/comm"))
        .map(|s| s.trim().to_string())
        .unwrap_or_default()
}

/// Number of distinct colours in a screenshot of the root window (the app window at 0,0 or
/// centred); a blank or unpainted window has a handful.
fn screen_colours(display: &str, save: Option<&Path>) -> u64 {
    let file = save.map(Path::to_path_buf).unwrap_or_else(|| {
        std::env::temp_dir().join(format!("hangar-probe-{}.png", std::process::id()))
    });
    let ok = cmd("import", &["-display", display, "-window", "root"])
        .arg(&file)
        .stderr(Stdio::null())
        .status()
        .map(|s| s.success())
        .unwrap_or(false);
    if !ok {
        return 0;
    }
    // `identify`, not `convert`: some images ship a stand-in `convert` earlier on PATH.
    cmd("identify", &["-format", "%k"])
        .arg(&file)
        .output()
        .ok()
        .and_then(|o| String::from_utf8_lossy(&o.stdout).trim().parse().ok())
        .unwrap_or(0)
}

fn xdotool(display: &str, args: &[&str]) -> Option<String> {
    let out = cmd("xdotool", args).env("DISPLAY", display).output().ok()?;
    out.status
        .success()
        .then(|| String::from_utf8_lossy(&out.stdout).trim().to_string())
}

fn wait_for<T>(timeout: Duration, mut probe: impl FnMut() -> Option<T>) -> Option<T> {
    let deadline = Instant::now() + timeout;
    loop {
        if let Some(v) = probe() {
            return Some(v);
        }
        if Instant::now() > deadline {
            return None;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
}

struct Running {
    child: Child,
}

impl Drop for Running {
    fn drop(&mut self) {
        if self.child.kill().is_ok() {
            let _reaped = self.child.wait();
        }
    }
}

fn apt(args: &[&str]) -> Result<(), String> {
    let is_root = cmd("id", &["-u"])
        .output()
        .map(|o| o.stdout.starts_with(b"0"))
        .unwrap_or(false);
    let mut c = if is_root {
        cmd("apt-get", args)
    } else {
        let mut c = cmd("sudo", &["apt-get"]);
        c.args(args);
        c
    };
    c.env("DEBIAN_FRONTEND", "noninteractive");
    run(c)
}

/// Installs the .deb, opens the installed app under Xvfb (screenshot), measures it, checks the
/// second launch and the window state, uninstalls, and checks the user data is kept.
pub fn release_figures(args: &[String]) -> Result<(), String> {
    if !cfg!(target_os = "linux") {
        return Err("release-figures measures the Linux .deb; run it on Linux".into());
    }
    setup::ensure_figure_tools()?;
    let ws = Workspace::locate()?;
    let release = ws.target.join("release");
    let deb = find_bundle(&release.join("bundle/deb"), "hangar_", ".deb")
        .ok_or("no .deb yet: run `cargo xtask bundle` first")?;
    let rpm = find_bundle(&release.join("bundle/rpm"), "hangar-", ".rpm");
    let out = ws.target.join("release-figures");
    std::fs::create_dir_all(&out).map_err(|e| format!("{}: {e}", out.display()))?;
    let mut figures = serde_json::Map::new();
    let mut record = |k: &str, v: serde_json::Value| {
        println!("  {k:<28} {v}");
        figures.insert(k.to_string(), v);
    };

    let step = Step::start("install the .deb with apt");
    record("deb_mib", round2(mib(&deb)).into());
    if let Some(rpm) = &rpm {
        record("rpm_mib", round2(mib(rpm)).into());
    }
    apt(&["install", "-y", "-q", "--reinstall", &deb.to_string_lossy()])?;
    let installed = PathBuf::from("/usr/bin/hangar");
    if !installed.is_file() {
        return Err("the .deb did not install /usr/bin/hangar".into());
    }
    record("binary_mib", round2(mib(&installed)).into());
    let desktop = std::fs::read_to_string("/usr/share/applications/Hangar.desktop")
        .map_err(|e| format!("the desktop entry: {e}"))?;
    if !desktop.contains("Categories=Development;") {
        return Err(format!(
            "the desktop entry has no Development category:\n{desktop}"
        ));
    }
    step.done();

    // A scratch home: the app's data dir, config and window state, nothing of the user's.
    let home = std::env::temp_dir().join(format!("hangar-installed-{}", std::process::id()));
    let _stale = std::fs::remove_dir_all(&home);
    std::fs::create_dir_all(&home).map_err(|e| format!("{}: {e}", home.display()))?;
    let _display_guard = crate::util::ensure_display()?;
    let display = std::env::var("DISPLAY").unwrap_or_default();
    // A session bus of our own, as a desktop session has (single instance is a D-Bus name).
    let bus_path = std::env::temp_dir().join(format!("hangar-figures-bus-{}", std::process::id()));
    let bus = format!("unix:path={}", bus_path.display());
    let _bus_guard = crate::util::Background::spawn(
        cmd(
            "dbus-daemon",
            &["--session", "--nofork", &format!("--address={bus}")],
        ),
        "dbus-daemon",
    )?;
    wait_for(Duration::from_secs(5), || bus_path.exists().then_some(()))
        .ok_or("dbus-daemon did not start")?;
    let launch = || -> Result<Running, String> {
        let child = Command::new(&installed)
            .current_dir(&home) // not the source tree: the installed app needs nothing of it
            .env("HOME", &home)
            .env("XDG_DATA_HOME", home.join("data"))
            .env("XDG_CONFIG_HOME", home.join("config"))
            .env("XDG_CACHE_HOME", home.join("cache"))
            .env_remove("HANGAR_DATA_DIR")
            .env("DBUS_SESSION_BUS_ADDRESS", &bus)
            .env("DISPLAY", &display)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .map_err(|e| format!("start {}: {e}", installed.display()))?;
        Ok(Running { child })
    };

    let step = Step::start("cold start to first paint, idle memory (Demo)");
    // Cold as far as this machine allows: drop the page cache (root only; else it is warm).
    let dropped = std::fs::write("/proc/sys/vm/drop_caches", "3").is_ok();
    record("page_cache_dropped", dropped.into());
    let baseline = screen_colours(&display, None);
    let started = Instant::now();
    let app = launch()?;
    let pid = app.child.id();
    let mapped = wait_for(Duration::from_secs(20), || {
        xdotool(
            &display,
            &["search", "--onlyvisible", "--pid", &pid.to_string()],
        )
        .filter(|s| !s.is_empty())
    })
    .ok_or("the installed app opened no window within 20 s")?;
    let window = mapped.lines().last().unwrap_or_default().to_string();
    record(
        "window_mapped_s",
        round2(started.elapsed().as_secs_f64()).into(),
    );
    // First paint: the screen gains the UI's colours (the sidebar, text), well above a blank
    // window's handful.
    let painted = wait_for(Duration::from_secs(20), || {
        (screen_colours(&display, None) > baseline + 40).then_some(())
    });
    if painted.is_none() {
        return Err("the window stayed blank for 20 s".into());
    }
    record(
        "first_paint_s",
        round2(started.elapsed().as_secs_f64()).into(),
    );
    std::thread::sleep(Duration::from_secs(8));
    let shot = out.join("installed-demo.png");
    screen_colours(&display, Some(&shot));
    println!("  screenshot: {}", shot.display());
    let tree = process_tree(pid);
    let names: Vec<String> = tree
        .iter()
        .map(|p| format!("{}:{}", p, name_of(*p)))
        .collect();
    record("process_tree", names.join(" ").into());
    record(
        "pss_idle_demo_mib",
        round2(pss_kib(&tree) as f64 / 1024.0).into(),
    );
    step.done();

    let step = Step::start("a second launch focuses the first window");
    xdotool(&display, &["windowminimize", "--sync", &window]);
    let mut second = launch()?;
    let exited = wait_for(Duration::from_secs(10), || {
        second.child.try_wait().ok().flatten()
    });
    let active = wait_for(Duration::from_secs(5), || {
        xdotool(&display, &["getactivewindow"]).filter(|w| *w == window)
    });
    record(
        "second_launch_exited",
        exited.is_some_and(|s| s.success()).into(),
    );
    record("first_window_focused", active.is_some().into());
    // The window is focused as it is restored; a moment later it has painted again.
    std::thread::sleep(Duration::from_secs(1));
    screen_colours(&display, Some(&out.join("installed-second-launch.png")));
    if exited.is_none() {
        let _killed = second.child.kill();
        return Err("the second launch kept running: single instance is not working".into());
    }
    step.done();

    let step = Step::start("window size and position are remembered");
    xdotool(&display, &["windowsize", "--sync", &window, "1000", "640"]);
    xdotool(&display, &["windowmove", "--sync", &window, "60", "40"]);
    std::thread::sleep(Duration::from_millis(500));
    xdotool(&display, &["windowclose", &window])
        .or_else(|| xdotool(&display, &["key", "--window", &window, "ctrl+q"]));
    let mut app = app;
    let closed = wait_for(Duration::from_secs(10), || {
        app.child.try_wait().ok().flatten()
    });
    record("closed_by_window_close", closed.is_some().into());
    drop(app);
    let again = launch()?;
    let pid = again.child.id().to_string();
    let window = wait_for(Duration::from_secs(20), || {
        xdotool(&display, &["search", "--onlyvisible", "--pid", &pid]).filter(|s| !s.is_empty())
    })
    .and_then(|w| w.lines().last().map(str::to_string))
    .ok_or("the app did not reopen")?;
    std::thread::sleep(Duration::from_secs(2));
    let geometry = xdotool(&display, &["getwindowgeometry", &window]).unwrap_or_default();
    record("reopened_geometry", geometry.replace('\n', "; ").into());
    record("size_remembered", geometry.contains("1000x640").into());
    drop(again);
    step.done();

    let step = Step::start("uninstall keeps the user data");
    let data = home.join("data/dev.hangar.desktop");
    let before = count_files(&data);
    apt(&["remove", "-y", "-q", "hangar"])?;
    let after = count_files(&data);
    record("data_files_before_remove", before.into());
    record("data_files_after_remove", after.into());
    record("binary_removed", (!installed.exists()).into());
    if before == 0 || after != before {
        return Err(format!(
            "user data not kept: {before} files before, {after} after"
        ));
    }
    step.done();

    if args.iter().any(|a| a == "--bare") {
        let step = Step::start("the reference: a bare Tauri 2 window");
        let bare = build_bare_window(&ws)?;
        let (mapped, painted, pss) = measure_bare(&bare, &display, &bus, &home, &out)?;
        record("bare_window_mapped_s", round2(mapped).into());
        record("bare_first_paint_s", round2(painted).into());
        record("bare_pss_idle_mib", round2(pss).into());
        step.done();
    }

    let path = out.join("figures.json");
    let text = serde_json::to_string_pretty(&serde_json::Value::Object(figures))
        .map_err(|e| e.to_string())?;
    std::fs::write(&path, text).map_err(|e| format!("{}: {e}", path.display()))?;
    println!(
        "\nfigures: {}\nscreenshots: {}",
        path.display(),
        out.display()
    );
    let _removed = std::fs::remove_dir_all(&home);
    if !have("Xvfb") {
        println!("(no Xvfb)");
    }
    Ok(())
}

/// Builds `xtask/bare` (a bare Tauri 2 window with one static page) against the workspace's
/// lockfile and target dir, so it shares the compiled tauri with Hangar.
fn build_bare_window(ws: &Workspace) -> Result<PathBuf, String> {
    let src = ws.root.join("xtask/bare");
    let work = ws.target.join("bare-window-src");
    let _stale = std::fs::remove_dir_all(&work);
    copy_dir(&src, &work)?;
    let config =
        std::fs::read_to_string(work.join("tauri.conf.json")).map_err(|e| e.to_string())?;
    let icons = ws.root.join("icons").to_string_lossy().to_string();
    std::fs::write(
        work.join("tauri.conf.json"),
        config.replace("../../icons", &icons),
    )
    .map_err(|e| e.to_string())?;
    std::fs::copy(ws.root.join("Cargo.lock"), work.join("Cargo.lock"))
        .map_err(|e| e.to_string())?;
    let mut c = cmd("cargo", &["build", "--release"]);
    c.current_dir(&work).env("CARGO_TARGET_DIR", &ws.target);
    run(c)?;
    Ok(ws.target.join("release").join("hangar-bare-window"))
}

fn copy_dir(from: &Path, to: &Path) -> Result<(), String> {
    std::fs::create_dir_all(to).map_err(|e| format!("{}: {e}", to.display()))?;
    for e in std::fs::read_dir(from).map_err(|e| format!("{}: {e}", from.display()))? {
        let e = e.map_err(|e| e.to_string())?;
        let target = to.join(e.file_name());
        if e.path().is_dir() {
            copy_dir(&e.path(), &target)?;
        } else {
            std::fs::copy(e.path(), &target)
                .map_err(|err| format!("{}: {err}", e.path().display()))?;
        }
    }
    Ok(())
}

/// Start-up (mapped, painted) in seconds and idle PSS in MiB of the bare window.
fn measure_bare(
    bin: &Path,
    display: &str,
    bus: &str,
    home: &Path,
    out: &Path,
) -> Result<(f64, f64, f64), String> {
    let _dropped = std::fs::write("/proc/sys/vm/drop_caches", "3");
    let baseline = screen_colours(display, None);
    let started = Instant::now();
    let child = Command::new(bin)
        .current_dir(home)
        .env("HOME", home)
        .env("DBUS_SESSION_BUS_ADDRESS", bus)
        .env("DISPLAY", display)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .map_err(|e| format!("start {}: {e}", bin.display()))?;
    let app = Running { child };
    let pid = app.child.id().to_string();
    wait_for(Duration::from_secs(20), || {
        xdotool(display, &["search", "--onlyvisible", "--pid", &pid]).filter(|s| !s.is_empty())
    })
    .ok_or("the bare window did not open")?;
    let mapped = started.elapsed().as_secs_f64();
    wait_for(Duration::from_secs(20), || {
        (screen_colours(display, None) > baseline + 10).then_some(())
    })
    .ok_or("the bare window stayed blank")?;
    let painted = started.elapsed().as_secs_f64();
    std::thread::sleep(Duration::from_secs(8));
    screen_colours(display, Some(&out.join("bare-window.png")));
    let pss = pss_kib(&process_tree(app.child.id())) as f64 / 1024.0;
    Ok((mapped, painted, pss))
}

fn round2(v: f64) -> f64 {
    (v * 100.0).round() / 100.0
}

fn count_files(dir: &Path) -> usize {
    let mut n = 0;
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&d) else {
            continue;
        };
        for e in entries.filter_map(Result::ok) {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
            } else {
                n += 1;
            }
        }
    }
    n
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_pss_from_smaps_rollup() {
        let text = "55d0-7ffd ---p 00000000 00:00 0 [rollup]\nRss:              204800 kB\nPss:              150123 kB\nPss_Anon:          90000 kB\n";
        assert_eq!(rollup_pss(text), 150_123);
        assert_eq!(rollup_pss("nothing"), 0);
    }

    #[test]
    fn walks_the_process_tree() {
        // 10 -> 11 -> 13 (bwrap -> WebKitWebProcess), 10 -> 12; 20 is unrelated.
        let parents = [(11, 10), (12, 10), (13, 11), (20, 1)];
        let mut tree = descendants(10, &parents);
        tree.sort();
        assert_eq!(tree, [10, 11, 12, 13]);
        assert_eq!(
            stat_ppid("4242 (WebKit Web (x)) S 4240 4242 0 0"),
            Some(4240)
        );
    }

    #[test]
    fn other_targets_build_where_the_bundler_looks() {
        let t = Path::new("/t");
        assert_eq!(
            target_binary(t, "universal-apple-darwin"),
            PathBuf::from("/t/universal-apple-darwin/release/hangar")
        );
        assert_eq!(
            target_binary(t, "x86_64-pc-windows-msvc"),
            PathBuf::from("/t/x86_64-pc-windows-msvc/release/hangar.exe")
        );
    }

    #[test]
    fn the_platform_picks_its_own_installers() {
        let bundles = default_bundles();
        #[cfg(target_os = "linux")]
        assert_eq!(bundles, "deb,rpm");
        #[cfg(target_os = "macos")]
        assert_eq!(bundles, "app,dmg");
        #[cfg(target_os = "windows")]
        assert_eq!(bundles, "msi,nsis");
    }
}
