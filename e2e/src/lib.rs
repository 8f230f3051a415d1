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

use base64::Engine;
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

    /// Saves a PNG of the window as `<shots>/<test>-<label>.png` and returns its path.
    pub fn screenshot(&self, label: &str) -> PathBuf {
        let data = self.get("/screenshot");
        let png = base64::engine::general_purpose::STANDARD
            .decode(data.as_str().unwrap_or_default())
            .expect("base64 png");
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
