//! A small W3C WebDriver client and the harness every end-to-end test uses.
//!
//! `cargo xtask test` starts Xvfb and tauri-driver and sets `HANGAR_E2E_APP` (the app binary),
//! `HANGAR_E2E_WEBDRIVER` (tauri-driver's URL) and `HANGAR_E2E_SHOTS` (where screenshots go).
//! Each [`App`] is a fresh app process with its own empty data directory.
#![allow(
    clippy::expect_used,
    reason = "a test harness: a failure should stop the test loudly"
)]

use std::path::PathBuf;
use std::time::{Duration, Instant};

use serde_json::{json, Value};

const ELEMENT_KEY: &str = "element-6066-11e4-a52e-4f735466cecf";

fn env(name: &str) -> String {
    std::env::var(name).unwrap_or_else(|_| {
        panic!("{name} is not set: run the end-to-end suite with `cargo xtask test`, which starts the window and the driver")
    })
}

/// One running Hangar window under WebDriver control.
pub struct App {
    http: reqwest::blocking::Client,
    base: String,
    session: String,
    /// The app's private data directory for this test.
    pub data_dir: PathBuf,
    name: String,
}

/// A found element.
#[derive(Clone, Debug)]
pub struct Element(String);

impl App {
    /// Starts the app (a new process) for the test called `name`.
    pub fn launch(name: &str) -> App {
        Self::launch_with_args(name, &[])
    }

    /// Starts the app with extra command-line arguments.
    pub fn launch_with_args(name: &str, extra: &[&str]) -> App {
        let data_dir =
            std::env::temp_dir().join(format!("hangar-e2e-{name}-{}", std::process::id()));
        let _stale = std::fs::remove_dir_all(&data_dir);
        let mut args = vec![format!("--data-dir={}", data_dir.display())];
        args.extend(extra.iter().map(|s| s.to_string()));
        let http = reqwest::blocking::Client::builder()
            .timeout(Duration::from_secs(60))
            .build()
            .expect("http client");
        let base = env("HANGAR_E2E_WEBDRIVER");
        let caps = json!({"capabilities": {"alwaysMatch": {
            "tauri:options": {"application": env("HANGAR_E2E_APP"), "args": args}
        }}});
        let response: Value = http
            .post(format!("{base}/session"))
            .json(&caps)
            .send()
            .expect("new session")
            .json()
            .expect("json");
        let session = response["value"]["sessionId"]
            .as_str()
            .unwrap_or_else(|| panic!("no session: {response}"))
            .to_string();
        let app = App {
            http,
            base,
            session,
            data_dir,
            name: name.to_string(),
        };
        // The webview paints after a moment; the sidebar is the sign that Leptos mounted.
        app.wait_for("#nav-sessions");
        app
    }

    fn url(&self, path: &str) -> String {
        format!("{}/session/{}{}", self.base, self.session, path)
    }

    fn post(&self, path: &str, body: Value) -> Value {
        let v: Value = self
            .http
            .post(self.url(path))
            .json(&body)
            .send()
            .expect("webdriver post")
            .json()
            .expect("json");
        v["value"].clone()
    }

    fn get(&self, path: &str) -> Value {
        let v: Value = self
            .http
            .get(self.url(path))
            .send()
            .expect("webdriver get")
            .json()
            .expect("json");
        v["value"].clone()
    }

    /// The first element matching `css`, if any right now.
    pub fn try_find(&self, css: &str) -> Option<Element> {
        let v = self.post("/element", json!({"using": "css selector", "value": css}));
        v.get(ELEMENT_KEY)
            .and_then(Value::as_str)
            .map(|id| Element(id.to_string()))
    }

    /// Waits up to 15 s for `css` to match, then returns it.
    pub fn wait_for(&self, css: &str) -> Element {
        let deadline = Instant::now() + Duration::from_secs(15);
        loop {
            if let Some(el) = self.try_find(css) {
                return el;
            }
            if Instant::now() > deadline {
                self.screenshot(&format!("timeout-{}", sanitize(css)));
                panic!("{css} did not appear within 15 s");
            }
            std::thread::sleep(Duration::from_millis(150));
        }
    }

    /// Waits up to 15 s until the text of `css` satisfies `pred`; returns the text.
    pub fn wait_text(&self, css: &str, what: &str, pred: impl Fn(&str) -> bool) -> String {
        let deadline = Instant::now() + Duration::from_secs(15);
        let mut last = String::new();
        loop {
            if let Some(el) = self.try_find(css) {
                last = self.text(&el);
                if pred(&last) {
                    return last;
                }
            }
            if Instant::now() > deadline {
                self.screenshot(&format!("timeout-{}", sanitize(css)));
                panic!("{css}: expected {what}, last saw {last:?}");
            }
            std::thread::sleep(Duration::from_millis(150));
        }
    }

    /// Clicks `el`.
    pub fn click(&self, el: &Element) {
        self.post(&format!("/element/{}/click", el.0), json!({}));
    }

    /// Types `text` into `el`.
    pub fn type_into(&self, el: &Element, text: &str) {
        self.post(&format!("/element/{}/value", el.0), json!({"text": text}));
    }

    /// The visible text of `el`.
    pub fn text(&self, el: &Element) -> String {
        self.get(&format!("/element/{}/text", el.0))
            .as_str()
            .unwrap_or_default()
            .to_string()
    }

    /// An attribute of `el`.
    pub fn attr(&self, el: &Element, name: &str) -> Option<String> {
        self.get(&format!("/element/{}/attribute/{name}", el.0))
            .as_str()
            .map(str::to_string)
    }

    /// Runs a script in the page and returns its value (for reading state, never for acting).
    pub fn eval(&self, script: &str) -> Value {
        self.post("/execute/sync", json!({"script": script, "args": []}))
    }

    /// Runs `script` as an asynchronous script: it ends by calling its last argument with the
    /// result (`arguments[arguments.length - 1](value)`).
    pub fn eval_async(&self, script: &str) -> Value {
        self.post("/execute/async", json!({"script": script, "args": []}))
    }

    /// Saves a PNG of the window as `<shots>/<test>-<label>.png` and returns its path.
    ///
    /// The picture comes from the X server, as a person sees the screen, not from WebDriver:
    /// WebKitWebDriver's screenshot waits for the page's next paint, which a still page drawn
    /// without compositing (how the app draws on a machine with no GPU) never makes.
    pub fn screenshot(&self, label: &str) -> PathBuf {
        let rect = self.get("/window/rect");
        let png = x_screenshot(&rect).expect("screenshot from the X server");
        let dir = PathBuf::from(
            std::env::var("HANGAR_E2E_SHOTS")
                .unwrap_or_else(|_| std::env::temp_dir().display().to_string()),
        );
        let _made = std::fs::create_dir_all(&dir);
        let path = dir.join(format!("{}-{}.png", self.name, label));
        std::fs::write(&path, png).expect("write screenshot");
        path
    }
}

/// A PNG of the part of the X screen that `rect` (WebDriver's window rect: x, y, width,
/// height) covers, clamped to the screen; the whole screen when the rect is unknown.
pub fn x_screenshot(rect: &Value) -> Result<Vec<u8>, Box<dyn std::error::Error>> {
    use x11rb::connection::Connection;
    use x11rb::protocol::xproto::{ConnectionExt, ImageFormat};

    let (conn, screen_num) = x11rb::connect(None)?;
    let screen = &conn.setup().roots[screen_num];
    let (sw, sh) = (
        i64::from(screen.width_in_pixels),
        i64::from(screen.height_in_pixels),
    );
    let num = |k: &str| rect[k].as_f64().map(|v| v.round() as i64);
    let (x, y, w, h) = match (num("x"), num("y"), num("width"), num("height")) {
        (Some(x), Some(y), Some(w), Some(h)) if w > 0 && h > 0 => {
            let (x, y) = (x.clamp(0, sw - 1), y.clamp(0, sh - 1));
            (x, y, w.min(sw - x), h.min(sh - y))
        }
        _ => (0, 0, sw, sh),
    };
    let image = conn
        .get_image(
            ImageFormat::Z_PIXMAP,
            screen.root,
            i16::try_from(x)?,
            i16::try_from(y)?,
            u16::try_from(w)?,
            u16::try_from(h)?,
            u32::MAX,
        )?
        .reply()?;
    let bpp = conn
        .setup()
        .pixmap_formats
        .iter()
        .find(|f| f.depth == image.depth)
        .map_or(32, |f| usize::from(f.bits_per_pixel));
    if image.depth != 24 || bpp != 32 {
        return Err(format!(
            "unexpected X pixel format: depth {}, {bpp} bpp",
            image.depth
        )
        .into());
    }
    // 24-bit colour in 32-bit pixels: blue, green, red, unused (least significant byte
    // first), or the other way round.
    let lsb_first = conn.setup().image_byte_order == x11rb::protocol::xproto::ImageOrder::LSB_FIRST;
    let rgb: Vec<u8> = image
        .data
        .chunks_exact(4)
        .flat_map(|p| {
            if lsb_first {
                [p[2], p[1], p[0]]
            } else {
                [p[1], p[2], p[3]]
            }
        })
        .collect();
    let mut out = Vec::new();
    let mut encoder = png::Encoder::new(&mut out, u32::try_from(w)?, u32::try_from(h)?);
    encoder.set_color(png::ColorType::Rgb);
    encoder.set_depth(png::BitDepth::Eight);
    encoder.write_header()?.write_image_data(&rgb)?;
    Ok(out)
}

impl Drop for App {
    fn drop(&mut self) {
        // Closing the session ends the app process; a failure here must not hide the test's own.
        let _closed = self.http.delete(self.url("")).send();
        let _removed = std::fs::remove_dir_all(&self.data_dir);
    }
}

fn sanitize(s: &str) -> String {
    s.chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
        .collect()
}

impl App {
    /// Presses the keys together (e.g. Control + "3") and releases them, as a person would.
    pub fn key_chord(&self, keys: &[&str]) {
        let mut actions = Vec::new();
        for k in keys {
            actions.push(json!({"type": "keyDown", "value": k}));
        }
        for k in keys.iter().rev() {
            actions.push(json!({"type": "keyUp", "value": k}));
        }
        self.post(
            "/actions",
            json!({"actions": [{"type": "key", "id": "keyboard", "actions": actions}]}),
        );
        let _released = self.http.delete(self.url("/actions")).send();
    }
}

impl App {
    /// Empties an input.
    pub fn clear(&self, el: &Element) {
        self.post(&format!("/element/{}/clear", el.0), json!({}));
    }
}

impl App {
    /// Appends a measured figure (`<test>: <label> = <value>`) to `figures.txt` beside the
    /// screenshots, so a run's numbers can be read after it.
    pub fn record(&self, label: &str, value: &str) {
        use std::io::Write;
        let dir = PathBuf::from(
            std::env::var("HANGAR_E2E_SHOTS")
                .unwrap_or_else(|_| std::env::temp_dir().display().to_string()),
        );
        let _made = std::fs::create_dir_all(&dir);
        if let Ok(mut file) = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(dir.join("figures.txt"))
        {
            let _written = writeln!(file, "{}: {label} = {value}", self.name);
        }
        println!("{}: {label} = {value}", self.name);
    }
}

/// Every process on this machine: (pid, parent pid, command line with spaces for NULs).
fn processes() -> Vec<(u32, u32, String)> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir("/proc").into_iter().flatten().flatten() {
        let Ok(pid) = entry.file_name().to_string_lossy().parse::<u32>() else {
            continue;
        };
        let cmdline = std::fs::read(entry.path().join("cmdline")).unwrap_or_default();
        let cmdline = String::from_utf8_lossy(&cmdline).replace('\0', " ");
        let stat = std::fs::read_to_string(entry.path().join("stat")).unwrap_or_default();
        // The fields after the command's closing parenthesis: state, then the parent.
        let ppid = stat
            .rsplit_once(')')
            .and_then(|(_, rest)| rest.split_whitespace().nth(1))
            .and_then(|p| p.parse::<u32>().ok());
        if let Some(ppid) = ppid {
            out.push((pid, ppid, cmdline));
        }
    }
    out
}

/// The app process started with `--data-dir=<data_dir>` and every process under it (WebKit's
/// network and web processes), with their command lines.
pub fn app_processes(data_dir: &std::path::Path) -> Option<(u32, Vec<(u32, String)>)> {
    let marker = format!("--data-dir={}", data_dir.display());
    let all = processes();
    let app = all
        .iter()
        .find(|(_, _, cmdline)| cmdline.contains(&marker) && !cmdline.contains("WebKit"))?
        .0;
    let under = |mut pid: u32| {
        for _ in 0..16 {
            let Some((_, ppid, _)) = all.iter().find(|(p, _, _)| *p == pid) else {
                return false;
            };
            if *ppid == app {
                return true;
            }
            pid = *ppid;
        }
        false
    };
    let children = all
        .iter()
        .filter(|(pid, _, _)| under(*pid))
        .map(|(pid, _, cmdline)| (*pid, cmdline.clone()))
        .collect();
    Some((app, children))
}

/// A process's proportional set size (kB: shared pages counted once), from smaps_rollup.
pub fn pss_kb(pid: u32) -> u64 {
    std::fs::read_to_string(format!("/proc/{pid}/smaps_rollup"))
        .unwrap_or_default()
        .lines()
        .find_map(|l| l.strip_prefix("Pss:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<u64>().ok())
        .unwrap_or(0)
}

/// When a process started, in ms since the epoch (to the kernel's 10 ms clock tick).
pub fn started_epoch_ms(pid: u32) -> Option<f64> {
    // Field 22 of stat: start time in clock ticks after boot (USER_HZ, 100 on Linux).
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    let ticks: f64 = stat
        .rsplit_once(')')?
        .1
        .split_whitespace()
        .nth(19)?
        .parse()
        .ok()?;
    let boot: f64 = std::fs::read_to_string("/proc/stat")
        .ok()?
        .lines()
        .find_map(|l| l.strip_prefix("btime "))?
        .trim()
        .parse()
        .ok()?;
    Some((boot + ticks / 100.0) * 1000.0)
}
