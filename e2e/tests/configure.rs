#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "tests fail loudly on any error"
)]
//! Configure without code, in the real window against the fake (issue 10): an agent created,
//! edited twice, v1 compared with v3, v1 restored, archived; a version conflict resolved both
//! ways; a template used; an agent exported and imported into another profile; a limited
//! network refused inline, then saved; a credential whose secret appears nowhere afterwards;
//! a skill and a file uploaded and deleted; every list offline; the agent form by keyboard.
//!
//! These tests drive their own WebDriver session (the shared harness cannot read the page
//! source or press keys one by one). The OS file dialogs answer from a folder the
//! test writes (`--e2e-dialogs=DIR`, honoured by debug builds only).

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use hangar_fake_api::{FakeConfig, FakeServer};
use serde_json::{json, Value};

const ELEMENT_KEY: &str = "element-6066-11e4-a52e-4f735466cecf";
const TAB: &str = "\u{E004}";
const ENTER: &str = "\u{E007}";
const CONTROL: &str = "\u{E009}";
const END: &str = "\u{E010}";

fn env(name: &str) -> String {
    std::env::var(name).unwrap_or_else(|_| panic!("{name} is not set: run `cargo xtask test`"))
}

/// One Hangar window under WebDriver.
struct Window {
    http: reqwest::blocking::Client,
    base: String,
    session: String,
    data_dir: PathBuf,
    dialogs: PathBuf,
    name: String,
}

#[derive(Clone, Debug)]
struct El(String);

impl Window {
    fn launch(name: &str) -> Window {
        let root =
            std::env::temp_dir().join(format!("hangar-e2e-cfg-{name}-{}", std::process::id()));
        let _stale = std::fs::remove_dir_all(&root);
        let data_dir = root.join("data");
        let dialogs = root.join("dialogs");
        std::fs::create_dir_all(&dialogs).unwrap();
        let http = reqwest::blocking::Client::builder()
            .timeout(Duration::from_secs(60))
            .build()
            .unwrap();
        let base = env("HANGAR_E2E_WEBDRIVER");
        let args = vec![
            format!("--data-dir={}", data_dir.display()),
            format!("--e2e-dialogs={}", dialogs.display()),
        ];
        let caps = json!({"capabilities": {"alwaysMatch": {"tauri:options": {"application": env("HANGAR_E2E_APP"), "args": args},
        }}});
        let v: Value = http
            .post(format!("{base}/session"))
            .json(&caps)
            .send()
            .unwrap()
            .json()
            .unwrap();
        let session = v["value"]["sessionId"]
            .as_str()
            .unwrap_or_else(|| panic!("no session: {v}"))
            .to_string();
        let w = Window {
            http,
            base,
            session,
            data_dir,
            dialogs,
            name: name.into(),
        };
        w.wait("#nav-sessions");
        w
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
            .unwrap()
            .json()
            .unwrap();
        v["value"].clone()
    }
    fn get(&self, path: &str) -> Value {
        let v: Value = self
            .http
            .get(self.url(path))
            .send()
            .unwrap()
            .json()
            .unwrap();
        v["value"].clone()
    }
    fn find(&self, css: &str) -> Option<El> {
        let v = self.post("/element", json!({"using": "css selector", "value": css}));
        v.get(ELEMENT_KEY)
            .and_then(Value::as_str)
            .map(|s| El(s.into()))
    }
    fn wait(&self, css: &str) -> El {
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            if let Some(el) = self.find(css) {
                return el;
            }
            if Instant::now() > deadline {
                self.shot(&format!(
                    "timeout-{}",
                    css.replace(|c: char| !c.is_ascii_alphanumeric(), "_")
                ));
                panic!("{css} did not appear");
            }
            std::thread::sleep(Duration::from_millis(150));
        }
    }
    fn gone(&self, css: &str) {
        let deadline = Instant::now() + Duration::from_secs(20);
        while self.find(css).is_some() {
            assert!(Instant::now() < deadline, "{css} did not go away");
            std::thread::sleep(Duration::from_millis(150));
        }
    }
    fn text(&self, el: &El) -> String {
        self.get(&format!("/element/{}/text", el.0))
            .as_str()
            .unwrap_or_default()
            .to_string()
    }
    fn wait_text(&self, css: &str, what: &str, pred: impl Fn(&str) -> bool) -> String {
        let deadline = Instant::now() + Duration::from_secs(20);
        let mut last = String::new();
        loop {
            if let Some(el) = self.find(css) {
                last = self.text(&el);
                if pred(&last) {
                    return last;
                }
            }
            if Instant::now() > deadline {
                self.shot(&format!(
                    "timeout-{}",
                    css.replace(|c: char| !c.is_ascii_alphanumeric(), "_")
                ));
                panic!("{css}: expected {what}, last saw {last:?}");
            }
            std::thread::sleep(Duration::from_millis(150));
        }
    }
    fn click(&self, css: &str) {
        let el = self.wait(css);
        self.post(&format!("/element/{}/click", el.0), json!({}));
    }
    fn clear(&self, css: &str) {
        let el = self.wait(css);
        self.post(&format!("/element/{}/clear", el.0), json!({}));
    }
    fn type_in(&self, css: &str, text: &str) {
        let el = self.wait(css);
        self.post(&format!("/element/{}/value", el.0), json!({"text": text}));
    }
    fn replace(&self, css: &str, text: &str) {
        self.clear(css);
        self.type_in(css, text);
    }
    fn value(&self, css: &str) -> String {
        self.eval(&format!(
            "const e = document.querySelector('{css}'); return e ? e.value : null;"
        ))
        .as_str()
        .unwrap_or_default()
        .to_string()
    }
    fn eval(&self, script: &str) -> Value {
        self.post("/execute/sync", json!({"script": script, "args": []}))
    }
    fn source(&self) -> String {
        self.get("/source").as_str().unwrap_or_default().to_string()
    }
    /// Presses `keys` one after the other (each down and up), as a person types.
    fn keys(&self, keys: &[&str]) {
        let mut actions = Vec::new();
        for k in keys {
            for c in k.chars() {
                actions.push(json!({"type": "keyDown", "value": c.to_string()}));
                actions.push(json!({"type": "keyUp", "value": c.to_string()}));
            }
        }
        self.post(
            "/actions",
            json!({"actions": [{"type": "key", "id": "kb", "actions": actions}]}),
        );
    }
    fn chord(&self, keys: &[&str]) {
        let mut actions: Vec<Value> = keys
            .iter()
            .map(|k| json!({"type": "keyDown", "value": k}))
            .collect();
        actions.extend(
            keys.iter()
                .rev()
                .map(|k| json!({"type": "keyUp", "value": k})),
        );
        self.post(
            "/actions",
            json!({"actions": [{"type": "key", "id": "kb", "actions": actions}]}),
        );
        let _released = self.http.delete(self.url("/actions")).send();
    }
    /// Tabs until the element with `id` has the focus.
    fn tab_to(&self, id: &str) {
        for _ in 0..80 {
            if self
                .eval("return document.activeElement ? document.activeElement.id : ''")
                .as_str()
                == Some(id)
            {
                return;
            }
            self.keys(&[TAB]);
        }
        self.shot(&format!("tab-to-{id}"));
        panic!("Tab never reached #{id}");
    }
    /// The next OS dialog answers `paths` (none: cancelled).
    fn answer_dialog(&self, paths: &[&Path]) {
        let text: Vec<String> = paths.iter().map(|p| p.display().to_string()).collect();
        std::fs::write(self.dialogs.join("next"), text.join("\n")).unwrap();
    }
    fn shot(&self, label: &str) -> PathBuf {
        let png = hangar_e2e::x_screenshot(&self.get("/window/rect")).unwrap();
        let dir = PathBuf::from(
            std::env::var("HANGAR_E2E_SHOTS")
                .unwrap_or_else(|_| std::env::temp_dir().display().to_string()),
        );
        let _made = std::fs::create_dir_all(&dir);
        let path = dir.join(format!("configure-{}-{label}.png", self.name));
        std::fs::write(&path, png).unwrap();
        path
    }
    fn nav(&self, section: &str, page: &str) {
        self.click(&format!("#nav-{section}"));
        self.wait(&format!("#page-{page}"));
    }
    /// Adds a profile for `server` through Settings and switches to it.
    fn add_profile(&self, name: &str, server: &FakeServer, key: &str) {
        self.nav("settings", "settings");
        self.type_in("#profile-name", name);
        self.replace("#profile-url", &server.base_url());
        self.type_in("#profile-key", key);
        self.click("#profile-save");
        self.wait_text("#profile-result", "saved", |t| t.contains("Saved"));
        // The table's order is the backend's (by name): find the row by its name.
        let deadline = Instant::now() + Duration::from_secs(20);
        let index = loop {
            let found = self.eval(&format!(
                "const rows = [...document.querySelectorAll('#profile-table tr.profile-row')]; \
                 return rows.findIndex(r => r.cells[0].textContent.trim() === '{name}') + 1;"
            ));
            match found.as_u64() {
                Some(n) if n > 0 => break n,
                _ => assert!(
                    Instant::now() < deadline,
                    "the profile {name} is not listed"
                ),
            }
            std::thread::sleep(Duration::from_millis(150));
        };
        self.click(&format!(
            "#profile-table tr.profile-row:nth-child({index}) .row-actions button"
        ));
        self.wait_text("#profile-switcher", "the profile in use", |_| {
            self.eval("const s = document.getElementById('profile-switcher'); return s.options[s.selectedIndex].text;")
                .as_str()
                == Some(name)
        });
        self.wait_text("#connection-chip", "Online", |t| t == "Online");
    }
}

impl Drop for Window {
    fn drop(&mut self) {
        let _closed = self.http.delete(self.url("")).send();
    }
}

fn fake(runtime: &tokio::runtime::Runtime, key: &str) -> FakeServer {
    runtime
        .block_on(FakeServer::start(FakeConfig {
            api_key: Some(key.into()),
            ..FakeConfig::default()
        }))
        .unwrap()
}

fn contains(hay: &[u8], needle: &str) -> bool {
    hay.windows(needle.len()).any(|w| w == needle.as_bytes())
}

/// Every file under `dir` that holds `needle`.
fn files_holding(dir: &Path, needle: &str) -> (usize, Vec<PathBuf>) {
    let mut seen = 0;
    let mut found = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&d) else {
            continue;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
            } else if let Ok(bytes) = std::fs::read(&path) {
                seen += 1;
                if contains(&bytes, needle) {
                    found.push(path);
                }
            }
        }
    }
    (seen, found)
}

fn agent_id(w: &Window) -> String {
    let route = w.eval("return document.getElementById('content').dataset.route");
    route
        .as_str()
        .unwrap()
        .trim_start_matches("/agents/")
        .split(['/', '?'])
        .next()
        .unwrap()
        .to_string()
}

#[test]
fn configure_agent_lifecycle_conflicts_templates_and_files_between_profiles() {
    const KEY: &str = "sk-ant-e2e-configure-agents-1";
    const KEY2: &str = "sk-ant-e2e-configure-agents-2";
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let server = fake(&runtime, KEY);
    let other = fake(&runtime, KEY2);
    let w = Window::launch("agents");
    w.add_profile("Team", &server, KEY);

    // Create.
    w.nav("agents", "agents");
    w.click("#agents-new");
    w.wait("#page-new-agent");
    w.type_in("#agent-name", "Ops helper");
    w.type_in("#agent-system", "First prompt.");
    w.shot("new-agent-form");
    w.click("#agent-save");
    w.wait_text("#agent-version", "v1", |t| t == "v1");
    let id = agent_id(&w);
    // Edit twice.
    for (n, prompt) in [(2, "Second prompt."), (3, "Third prompt.")] {
        w.replace("#agent-system", prompt);
        w.click("#agent-save");
        w.wait_text("#agent-version", "the new version", |t| {
            t == format!("v{n}")
        });
    }
    w.shot("agent-settings");
    // v1 against v3, side by side.
    w.click("#agent-tab-versions");
    w.wait("#version-3");
    let pick = |select: &str, value: &str| {
        w.click(&format!("#{select} option[value='{value}']"));
    };
    pick("diff-left", "1");
    pick("diff-right", "3");
    let diff = w.wait_text("#version-diff", "v1 vs v3", |t| {
        t.contains("First prompt.") && t.contains("Third prompt.")
    });
    assert!(diff.contains("System prompt"), "{diff}");
    assert!(w.find("#version-diff tr.diff-row.changed").is_some());
    w.shot("versions-diff");
    // Restore v1: saved as v4.
    w.click("#version-1-restore");
    w.click("#version-1-restore-confirm");
    w.wait_text("#agent-version", "v4", |t| t == "v4");
    w.click("#agent-tab-settings");
    w.wait_text("#agent-panel-settings", "v1's prompt back", |_| {
        w.value("#agent-system") == "First prompt."
    });

    // A conflict, resolved by Reload.
    let outside = |system: &str| {
        let latest = runtime
            .block_on(server.outside("GET", &format!("/v1/agents/{id}"), None))
            .unwrap();
        runtime
            .block_on(server.outside(
                "POST",
                &format!("/v1/agents/{id}"),
                Some(json!({"version": latest["version"], "system": system})),
            ))
            .unwrap();
    };
    outside("Their prompt.");
    w.replace("#agent-system", "My prompt.");
    w.click("#agent-save");
    let said = w.wait_text("#agent-conflict", "the conflict", |t| {
        t.contains("version 5")
    });
    assert!(
        said.contains("Reload") && said.contains("Overwrite"),
        "{said}"
    );
    w.shot("conflict");
    w.click("#agent-conflict-reload");
    w.gone("#agent-conflict");
    assert_eq!(w.value("#agent-system"), "Their prompt.");
    // And by Overwrite.
    outside("Their second prompt.");
    w.replace("#agent-system", "Mine wins.");
    w.click("#agent-save");
    w.wait("#agent-conflict");
    w.click("#agent-conflict-overwrite");
    w.wait_text("#agent-version", "v7", |t| t == "v7");
    let latest = runtime
        .block_on(server.outside("GET", &format!("/v1/agents/{id}"), None))
        .unwrap();
    assert_eq!(latest["system"], "Mine wins.");

    // Export, archive, and delete refused in words.
    let exported = w.dialogs.join("ops.agent.yaml");
    w.answer_dialog(&[&exported]);
    w.click("#agent-export-yaml");
    w.wait_text(".notices", "exported", |t| t.contains("Exported"));
    assert!(std::fs::read_to_string(&exported)
        .unwrap()
        .contains("Mine wins."));
    w.click("#agent-archive");
    w.click("#agent-archive-confirm");
    w.wait_text("#agent-title", "archived", |t| t.contains("archived"));
    w.click("#agent-delete");
    w.click("#agent-delete-confirm");
    w.wait_text(".notices", "only archived", |t| {
        t.contains("can only be archived")
    });
    w.nav("agents", "agents");
    w.gone(&format!("#agent-{id}"));
    w.click("#agents-archived");
    w.wait(&format!("#agent-{id}.archived"));

    // A template.
    w.click("#agents-templates");
    w.wait("#template-picker");
    w.shot("templates");
    w.click("#template-support-use");
    w.wait("#page-new-agent");
    assert_eq!(w.value("#agent-name"), "Support agent");
    assert_eq!(w.value("#agent-custom-name-0"), "lookup_order");
    w.click("#agent-save");
    w.wait_text("#agent-version", "v1", |t| t == "v1");

    // Import the exported file into another profile: shown first, then created.
    w.add_profile("Elsewhere", &other, KEY2);
    w.nav("agents", "agents");
    w.answer_dialog(&[&exported]);
    w.click("#agents-import");
    let preview = w.wait_text("#import-preview", "the preview", |t| {
        t.contains("Ops helper")
    });
    assert!(
        preview.contains("claude-opus-5-5") && preview.contains("ops.agent.yaml"),
        "{preview}"
    );
    assert!(
        runtime
            .block_on(other.outside("GET", "/v1/agents", None))
            .unwrap()["data"]
            .as_array()
            .unwrap()
            .is_empty(),
        "nothing created yet"
    );
    w.shot("import-preview");
    w.click("#import-create");
    w.wait_text("#agent-title", "the imported agent", |t| {
        t.contains("Ops helper")
    });
    let theirs = runtime
        .block_on(other.outside("GET", "/v1/agents", None))
        .unwrap();
    assert_eq!(theirs["data"][0]["system"], "Mine wins.", "{theirs}");
}

#[test]
fn configure_agent_form_keyboard_only() {
    let w = Window::launch("keyboard");
    w.chord(&[CONTROL, "2"]);
    w.wait("#page-agents");
    w.tab_to("agents-new");
    w.keys(&[ENTER]);
    w.wait("#page-new-agent");
    w.tab_to("agent-name");
    w.keys(&["Keyboard agent"]);
    w.keys(&[TAB]);
    w.keys(&["Made without a mouse"]);
    w.tab_to("agent-system");
    w.keys(&["Answer briefly."]);
    w.chord(&[CONTROL, "s"]);
    w.wait_text("#agent-version", "saved", |t| t == "v1");
    assert_eq!(w.value("#agent-description"), "Made without a mouse");
    // Enter in a text field saves too.
    w.tab_to("agent-name");
    w.keys(&[END, " 2", ENTER]);
    w.wait_text("#agent-version", "v2", |t| t == "v2");
    assert_eq!(w.value("#agent-name"), "Keyboard agent 2");
    w.shot("saved-by-keyboard");
}

#[test]
fn configure_environment_limited_network_refuses_a_bad_host_inline() {
    let w = Window::launch("environment");
    w.nav("environments", "environments");
    // The Demo's seeded environments are listed.
    w.wait_text("#environment-list", "the demo environments", |t| {
        t.contains("python-data") && t.contains("Limited")
    });
    w.shot("list");
    w.click("#environments-new");
    w.wait("#page-new-environment");
    w.type_in("#env-name", "Locked down");
    w.click("#env-net-limited");
    w.type_in(
        "#env-hosts",
        &format!("api.example.com{ENTER}https://files.example.com"),
    );
    let error = w.wait_text("#env-hosts-error", "the inline error", |t| {
        t.contains("Line 2")
    });
    assert!(error.contains("http"), "{error}");
    w.type_in("#env-packages-pip", "pandas==2.2.3");
    w.click("#env-save");
    w.wait("#page-new-environment");
    w.shot("refused");
    assert!(w.find("#page-environment").is_none(), "nothing was sent");
    w.replace(
        "#env-hosts",
        &format!("api.example.com{ENTER}files.example.com"),
    );
    w.gone("#env-hosts-error");
    w.click("#env-allow-packages");
    w.click("#env-save");
    w.wait("#page-environment");
    w.wait_text("#page-environment h1", "its name", |t| {
        t.contains("Locked down")
    });
    assert_eq!(w.value("#env-hosts"), "api.example.com\nfiles.example.com");
    w.shot("saved");
}

#[test]
fn configure_vault_credential_secret_appears_nowhere() {
    const SECRET: &str = "ghp_E2E_CANARY_7d1f2c9b4a";
    const ROTATED: &str = "ghp_E2E_ROTATED_5b8e0a3f11";
    let w = Window::launch("vault");
    w.nav("vaults", "vaults");
    w.wait_text("#vault-list", "the demo vault", |t| {
        t.contains("Team credentials")
    });
    w.click("#vaults-new");
    w.type_in("#vault-name", "Partner APIs");
    w.shot("new-vault");
    w.click("#vault-save");
    w.wait_text("#page-vault h1", "the vault", |t| {
        t.contains("Partner APIs")
    });
    w.click("#credential-add");
    w.type_in("#cred-name", "Partner MCP");
    w.type_in("#cred-url", "https://mcp.partner.example.com/mcp");
    w.type_in("#cred-token", SECRET);
    w.shot("add-credential");
    w.click("#cred-save");
    let list = w.wait_text("#credential-list", "the credential", |t| {
        t.contains("Partner MCP")
    });
    assert!(list.contains("https://mcp.partner.example.com/mcp"));
    w.gone("#credential-form");
    // Rotate it.
    w.click("#credential-list tr.credential-row button[id$='-rotate']");
    w.type_in("#credential-list input[type='password']", ROTATED);
    w.keys(&[ENTER]);
    w.wait_text(".notices", "rotated", |t| t.contains("Rotated"));
    w.shot("vault");
    for secret in [SECRET, ROTATED] {
        assert!(!w.source().contains(secret), "the page holds the secret");
    }
    // Let the log and the cache settle, then search them.
    std::thread::sleep(Duration::from_millis(800));
    for secret in [SECRET, ROTATED] {
        let (seen, found) = files_holding(&w.data_dir, secret);
        assert!(
            seen >= 2,
            "the cache and the log were searched ({seen} files)"
        );
        assert!(found.is_empty(), "{secret} is in {found:?}");
    }
    let logs: String = std::fs::read_dir(w.data_dir.join("logs"))
        .unwrap()
        .flatten()
        .map(|e| std::fs::read_to_string(e.path()).unwrap_or_default())
        .collect();
    assert!(
        logs.contains("credential") && logs.contains("updated"),
        "the log saw the work"
    );
}

#[test]
fn configure_skill_and_file_uploaded_and_deleted() {
    let w = Window::launch("uploads");
    let folder = w.dialogs.join("weekly-report");
    std::fs::create_dir_all(folder.join("templates")).unwrap();
    std::fs::write(
        folder.join("SKILL.md"),
        "---\nname: weekly-report\ndescription: Writes the weekly report\n---\nUse the template.\n",
    )
    .unwrap();
    std::fs::write(folder.join("templates/report.md"), "# Week\n").unwrap();
    w.nav("skills", "skills");
    w.answer_dialog(&[&folder]);
    w.click("#skills-upload");
    w.wait_text("#skill-progress", "done", |t| t.contains("Uploaded"));
    let row = w.wait_text("#skill-list", "the skill", |t| t.contains("weekly-report"));
    assert!(row.contains("Yours"), "{row}");
    w.shot("skills");
    w.click("#skill-list tr.skill-row button[id$='-versions']");
    w.wait_text("#skill-list", "its version", |t| {
        t.contains("Writes the weekly report")
    });
    w.click("#skill-list tr.skill-row button[id$='-delete']");
    w.click("#skill-list tr.skill-row button[id$='-delete-confirm']");
    w.wait_text("#page-skills", "no skills", |t| t.contains("No skills yet"));

    let csv = w.dialogs.join("sales.csv");
    std::fs::write(&csv, "region,total\nnorth,10\nsouth,12\n").unwrap();
    w.nav("files", "files");
    w.answer_dialog(&[&csv]);
    w.click("#files-upload");
    w.wait_text("#file-progress", "done", |t| {
        t.contains("Uploaded sales.csv")
    });
    w.wait_text("#file-list", "the file", |t| {
        t.contains("sales.csv") && t.contains("31 bytes")
    });
    w.shot("files");
    let target = w.dialogs.join("downloaded.csv");
    w.answer_dialog(&[&target]);
    w.click("#file-list tr.file-row button[id$='-download']");
    w.wait_text(".notices", "downloaded", |t| t.contains("Downloaded"));
    assert_eq!(
        std::fs::read_to_string(&target).unwrap(),
        "region,total\nnorth,10\nsouth,12\n"
    );
    w.click("#file-list tr.file-row button[id$='-delete']");
    w.click("#file-list tr.file-row button[id$='-delete-confirm']");
    w.wait_text("#page-files", "no files", |t| t.contains("No files yet"));
}

#[test]
fn configure_offline_lists_read_the_cache_and_edits_are_kept() {
    const KEY: &str = "sk-ant-e2e-configure-offline-3";
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let server = fake(&runtime, KEY);
    runtime.block_on(async {
        server
            .outside(
                "POST",
                "/v1/agents",
                Some(json!({"name": "Cached agent", "model": "claude-haiku-5-5"})),
            )
            .await
            .unwrap();
        server
            .outside_create_environment("cached-env")
            .await
            .unwrap();
        server.outside_create_vault("Cached vault").await.unwrap();
    });
    let w = Window::launch("offline");
    w.add_profile("Flaky", &server, KEY);
    for (section, list, name) in [
        ("agents", "agent-list", "Cached agent"),
        ("environments", "environment-list", "cached-env"),
        ("vaults", "vault-list", "Cached vault"),
    ] {
        w.nav(section, section);
        w.wait_text(&format!("#{list}"), name, |t| t.contains(name));
    }
    w.nav("agents", "agents");
    w.click("#agent-list button.name");
    w.wait_text("#agent-version", "v1", |t| t == "v1");

    // The fake stops: the chip says so and every list still shows its items, marked offline.
    drop(server);
    w.wait_text("#connection-chip", "Offline", |t| t == "Offline");
    for (section, list, name) in [
        ("agents", "agent-list", "Cached agent"),
        ("environments", "environment-list", "cached-env"),
        ("vaults", "vault-list", "Cached vault"),
    ] {
        w.nav(section, section);
        w.wait_text(&format!("#{list}"), name, |t| t.contains(name));
        w.wait_text("#offline-note", "offline", |t| t.contains("Offline"));
        w.shot(&format!("offline-{section}"));
    }
    // Saving cannot be sent now and keeps the edit.
    w.nav("agents", "agents");
    w.click("#agent-list button.name");
    w.wait("#agent-form");
    w.type_in("#agent-system", "Edited offline.");
    w.click("#agent-save");
    let said = w.wait_text("#agent-problem", "cannot be sent", |t| {
        t.contains("cannot be sent now")
    });
    assert!(said.contains("kept"), "{said}");
    assert_eq!(w.value("#agent-system"), "Edited offline.");
    w.shot("offline-save");
    // Moving around the agent keeps the edit (the leave question itself is a native dialog this
    // driver cannot answer; the draft store is covered by the template and import flows).
    w.click("#agent-tab-versions");
    w.wait("#version-list");
    w.click("#agent-tab-settings");
    assert_eq!(w.value("#agent-system"), "Edited offline.");
}
