#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "tests fail loudly on any error"
)]
//! Sessions and the live chat in the real window against the fake (issue 11): a session from
//! the New session dialog with a pinned version and a vault, a reply streamed in, a tool
//! confirmation allowed and another denied with a reason, a custom tool answered from its card,
//! an interrupt with Esc, a steering message mid-run, a multi-agent session, an error banner,
//! a terminated session read-only, an XSS corpus that never runs, and a 10,000-event
//! transcript scrolled from top to bottom and opened at a chosen event.

use std::path::PathBuf;
use std::time::{Duration, Instant};

use hangar_fake_api::{FakeConfig, FakeServer, Faults};
use serde_json::{json, Value};

const ELEMENT_KEY: &str = "element-6066-11e4-a52e-4f735466cecf";
const ESCAPE: &str = "\u{E00C}";

fn env(name: &str) -> String {
    std::env::var(name).unwrap_or_else(|_| panic!("{name} is not set: run `cargo xtask e2e`"))
}

struct Window {
    http: reqwest::blocking::Client,
    base: String,
    session: String,
    links: PathBuf,
    name: String,
    /// The app's `--data-dir`: it names the app's process among the others.
    data_dir: PathBuf,
}

#[derive(Clone, Debug)]
struct El(String);

impl Window {
    fn launch(name: &str) -> Window {
        let root =
            std::env::temp_dir().join(format!("hangar-e2e-chat-{name}-{}", std::process::id()));
        let _stale = std::fs::remove_dir_all(&root);
        std::fs::create_dir_all(&root).unwrap();
        let links = root.join("links.txt");
        let http = reqwest::blocking::Client::builder()
            .timeout(Duration::from_secs(60))
            .build()
            .unwrap();
        let base = env("HANGAR_E2E_WEBDRIVER");
        let data_dir = root.join("data");
        let args = vec![
            format!("--data-dir={}", data_dir.display()),
            format!("--e2e-links={}", links.display()),
        ];
        let caps = json!({"capabilities": {"alwaysMatch": {"tauri:options": {"application": env("HANGAR_E2E_APP"), "args": args}}}});
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
            links,
            name: name.into(),
            data_dir,
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
    fn wait_for(&self, css: &str, secs: u64) -> El {
        let deadline = Instant::now() + Duration::from_secs(secs);
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
            std::thread::sleep(Duration::from_millis(120));
        }
    }
    fn wait(&self, css: &str) -> El {
        self.wait_for(css, 20)
    }
    fn text(&self, el: &El) -> String {
        self.get(&format!("/element/{}/text", el.0))
            .as_str()
            .unwrap_or_default()
            .to_string()
    }
    /// Waits until the page's script `check` (returning true/false) holds.
    /// Scrolls the transcript to `to` (a JS expression over `t`, the transcript) every 60 ms,
    /// as a person paging through it, until it shows `text`.
    fn scroll_until(&self, what: &str, secs: u64, to: &str, text: &str) {
        let deadline = Instant::now() + Duration::from_secs(secs);
        let check = format!(
            "const t = document.getElementById('transcript'); t.scrollTop = {to}; t.dispatchEvent(new Event('scroll')); return t.innerText.includes({});",
            json!(text)
        );
        while self.eval(&check).as_bool() != Some(true) {
            assert!(Instant::now() < deadline, "{what}");
            std::thread::sleep(Duration::from_millis(60));
        }
    }
    fn until(&self, what: &str, secs: u64, check: &str) {
        let deadline = Instant::now() + Duration::from_secs(secs);
        loop {
            if self.eval(check).as_bool() == Some(true) {
                return;
            }
            if Instant::now() > deadline {
                self.shot(&format!(
                    "timeout-{}",
                    what.replace(|c: char| !c.is_ascii_alphanumeric(), "_")
                ));
                // What the page showed, so that a failure on CI can be read without its screenshot.
                let seen = self.eval(
                    "const q = s => [...document.querySelectorAll(s)].map(e => e.innerText.trim());\
                     return {status: q('#session-status'), notices: q('.notices .notice-text'),\
                       meta: q('.chat-meta'),\
                       last: [...document.querySelectorAll('#transcript .row')].slice(-6).map(r => r.dataset.type + ': ' + r.innerText.slice(0, 80))};",
                );
                panic!(
                    "timed out waiting for {what}; the page showed {seen}; the app's log said:\n{}",
                    self.log_trouble()
                );
            }
            std::thread::sleep(Duration::from_millis(150));
        }
    }
    /// The warnings and errors in the app's log (the last 40), for a failure's message.
    fn log_trouble(&self) -> String {
        let mut lines = Vec::new();
        let mut files: Vec<PathBuf> = std::fs::read_dir(self.data_dir.join("logs"))
            .map(|d| d.flatten().map(|e| e.path()).collect())
            .unwrap_or_default();
        files.sort();
        for file in files {
            let text = std::fs::read_to_string(&file).unwrap_or_default();
            lines.extend(
                text.lines()
                    .filter(|l| l.contains("WARN") || l.contains("ERROR") || l.contains("session"))
                    .map(str::to_string),
            );
        }
        let from = lines.len().saturating_sub(40);
        lines[from..].join("\n")
    }
    /// Waits until the transcript's text contains `needle`.
    fn transcript_has(&self, needle: &str, secs: u64) {
        let js = format!(
            "const t = document.getElementById('transcript'); return !!t && t.textContent.includes({});",
            serde_json::to_string(needle).unwrap()
        );
        self.until(&format!("transcript has {needle}"), secs, &js);
    }
    fn click(&self, css: &str) {
        let el = self.wait(css);
        self.post(&format!("/element/{}/click", el.0), json!({}));
    }
    fn type_in(&self, css: &str, text: &str) {
        let el = self.wait(css);
        self.post(&format!("/element/{}/value", el.0), json!({"text": text}));
    }
    fn eval(&self, script: &str) -> Value {
        self.post("/execute/sync", json!({"script": script, "args": []}))
    }
    fn choose(&self, select: &str, value: &str) {
        self.click(&format!("{select} option[value='{value}']"));
    }
    fn press(&self, key: &str) {
        let actions = vec![
            json!({"type": "keyDown", "value": key}),
            json!({"type": "keyUp", "value": key}),
        ];
        self.post(
            "/actions",
            json!({"actions": [{"type": "key", "id": "kb", "actions": actions}]}),
        );
        let _released = self.http.delete(self.url("/actions")).send();
    }
    /// Presses `keys` together (a modifier first), then releases them.
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
    /// Writes `text` in the composer and presses Enter.
    fn say(&self, text: &str) {
        self.type_in("#composer", &format!("{text}\u{E007}"));
    }
    fn shot(&self, label: &str) -> PathBuf {
        let png = hangar_e2e::x_screenshot(&self.get("/window/rect")).unwrap();
        let dir = PathBuf::from(
            std::env::var("HANGAR_E2E_SHOTS")
                .unwrap_or_else(|_| std::env::temp_dir().display().to_string()),
        );
        let _made = std::fs::create_dir_all(&dir);
        let path = dir.join(format!("chat-{}-{label}.png", self.name));
        std::fs::write(&path, png).unwrap();
        path
    }
    fn record(&self, label: &str, value: &str) {
        use std::io::Write;
        let dir = PathBuf::from(
            std::env::var("HANGAR_E2E_SHOTS")
                .unwrap_or_else(|_| std::env::temp_dir().display().to_string()),
        );
        let _made = std::fs::create_dir_all(&dir);
        if let Ok(mut f) = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(dir.join("figures.txt"))
        {
            let _w = writeln!(f, "chat-{}: {label} = {value}", self.name);
        }
        println!("chat-{}: {label} = {value}", self.name);
    }
    /// Adds a profile for `server` through Settings and switches to it.
    fn add_profile(&self, server: &FakeServer, key: &str) {
        self.click("#nav-settings");
        self.wait("#page-settings");
        self.type_in("#profile-name", "Team");
        let url = self.wait("#profile-url");
        self.post(&format!("/element/{}/clear", url.0), json!({}));
        self.type_in("#profile-url", &server.base_url());
        self.type_in("#profile-key", key);
        self.click("#profile-save");
        self.until("profile saved", 20, "const r = document.getElementById('profile-result'); return !!r && r.innerText.includes('Saved');");
        self.until("profile listed", 20, "return [...document.querySelectorAll('#profile-table tr.profile-row')].some(r => r.cells[0].textContent.trim() === 'Team');");
        self.eval("const rows = [...document.querySelectorAll('#profile-table tr.profile-row')]; const r = rows.find(r => r.cells[0].textContent.trim() === 'Team'); r.querySelector('.row-actions button').click(); return true;");
        self.until("online", 20, "const c = document.getElementById('connection-chip'); return !!c && c.innerText.trim() === 'Online';");
    }
    /// Opens the Sessions list and the session titled `title` (waiting for the sync).
    fn open_session(&self, title: &str) {
        self.click("#nav-sessions");
        self.wait("#page-sessions");
        let js = format!(
            "const b = [...document.querySelectorAll('#session-list .session-row .title')].find(b => b.innerText.trim() === {t}); if (b) {{ b.click(); return true; }} return false;",
            t = serde_json::to_string(title).unwrap()
        );
        self.until(&format!("session {title} listed"), 30, &js);
        self.wait("#transcript");
    }
    /// The proportional set size (kB) of the WebKit web processes this window's app started:
    /// the webview's memory, shared pages counted once. Read from `/proc/PID/smaps_rollup`.
    fn webview_pss_kb(&self) -> u64 {
        let (_, children) = hangar_e2e::app_processes(&self.data_dir).expect("the app's process");
        children
            .iter()
            .filter(|(_, cmdline)| cmdline.contains("WebKitWebProcess"))
            .map(|(pid, _)| hangar_e2e::pss_kb(*pid))
            .sum()
    }
    fn route(&self) -> String {
        self.eval("return document.getElementById('content').dataset.route")
            .as_str()
            .unwrap_or_default()
            .to_string()
    }
}

impl Drop for Window {
    fn drop(&mut self) {
        let _closed = self.http.delete(self.url("")).send();
    }
}

struct World {
    runtime: tokio::runtime::Runtime,
    server: FakeServer,
    key: &'static str,
}

impl World {
    fn new(key: &'static str, turn_delay_ms: u64) -> World {
        let runtime = tokio::runtime::Runtime::new().unwrap();
        let server = runtime
            .block_on(FakeServer::start(FakeConfig {
                api_key: Some(key.into()),
                turn_delay: Duration::from_millis(turn_delay_ms),
                ..FakeConfig::default()
            }))
            .unwrap();
        World {
            runtime,
            server,
            key,
        }
    }
    fn outside(&self, method: &str, path: &str, body: Option<Value>) -> Value {
        self.runtime
            .block_on(self.server.outside(method, path, body))
            .unwrap()
    }
    /// An agent with an MCP server and a custom tool (the phrases of the simulated agent bring
    /// out every other card).
    fn agent(&self, name: &str) -> Value {
        self.outside(
            "POST",
            "/v1/agents",
            Some(json!({"name": name, "model": "claude-sonnet-5-5",
                "tools": [{"type": "mcp_toolset", "mcp_server_name": "github"},
                          {"type": "custom", "name": "lookup_order", "description": "Look up an order", "input_schema": {"type": "object"}}],
                "mcp_servers": [{"type": "url", "name": "github", "url": "https://api.githubcopilot.com/mcp/"}]})),
        )
    }
    fn environment(&self, name: &str) -> Value {
        self.runtime
            .block_on(self.server.outside_create_environment(name))
            .unwrap()
    }
    /// A session started from outside Hangar (it appears through the sync).
    fn session(&self, agent: &Value, env: &Value, title: &str, message: &str) -> String {
        let s = self.outside(
            "POST",
            "/v1/sessions",
            Some(json!({"agent": agent["id"], "environment_id": env["id"], "title": title,
                "initial_events": [{"type": "user.message", "content": [{"type": "text", "text": message}]}]})),
        );
        s["id"].as_str().unwrap().to_string()
    }
}

#[test]
fn chat_dialog_reply_confirmations_custom_tool_interrupt_and_steering() {
    const KEY: &str = "sk-ant-e2e-chat-main-1";
    let world = World::new(KEY, 300);
    let agent = world.agent("Helper");
    // Version 2 exists, so pinning v1 means something.
    world.outside(
        "POST",
        &format!("/v1/agents/{}", agent["id"].as_str().unwrap()),
        Some(json!({"version": 1, "system": "Second version."})),
    );
    world.environment("sandbox");
    world.outside(
        "POST",
        "/v1/vaults",
        Some(json!({"display_name": "Team secrets"})),
    );
    let w = Window::launch("main");
    w.add_profile(&world.server, world.key);

    // The dialog: agent, pinned version, environment, vault, title, message.
    w.click("#nav-sessions");
    w.click("#sessions-new");
    w.wait("#new-session-dialog");
    w.click("#ns-start");
    w.wait("#new-session-dialog .problem");
    w.shot("dialog-problems");
    w.until(
        "agents listed",
        30,
        "return document.querySelectorAll('#ns-agent option').length > 1;",
    );
    let agent_id = agent["id"].as_str().unwrap();
    w.choose("#ns-agent", agent_id);
    w.until(
        "versions listed",
        10,
        "return document.querySelectorAll('#ns-version option').length >= 3;",
    );
    w.choose("#ns-version", "1");
    w.until(
        "environments listed",
        30,
        "return document.querySelectorAll('#ns-environment option').length > 1;",
    );
    w.eval("const s = document.getElementById('ns-environment'); s.selectedIndex = 1; s.dispatchEvent(new Event('change')); return true;");
    w.until(
        "vaults listed",
        30,
        "return document.querySelectorAll('.vault-choices input[type=checkbox]').length > 0;",
    );
    w.click(".vault-choices input[type=checkbox]");
    w.type_in("#ns-title", "First chat");
    w.type_in("#ns-message", "Hello there, what can you do?");
    w.shot("dialog-filled");
    w.click("#ns-start");
    w.wait("#transcript");
    assert!(w.route().starts_with("/sessions/sesn_"), "{}", w.route());
    let agent_line = w.text(&w.wait("#session-agent"));
    assert!(agent_line.ends_with("@v1"), "pinned: {agent_line}");
    let sid = w.route().trim_start_matches("/sessions/").to_string();
    let created = world.outside("GET", &format!("/v1/sessions/{sid}"), None);
    assert_eq!(created["agent"]["version"], 1);
    assert_eq!(
        created["vault_ids"].as_array().unwrap().len(),
        1,
        "{created}"
    );
    // The reply streams in: a preview first, then the final message.
    w.wait_for(".card.agent.preview", 20);
    w.shot("reply-preview");
    w.transcript_has("simulated", 20);
    w.until(
        "preview replaced",
        20,
        "return !document.querySelector('.card.agent.preview');",
    );
    w.until(
        "idle",
        20,
        "return document.getElementById('session-status').innerText.trim() === 'idle';",
    );
    w.shot("reply-final");
    let user_cards = w
        .eval("return document.querySelectorAll('#transcript .card.user').length")
        .as_u64();
    assert_eq!(
        user_cards,
        Some(1),
        "the optimistic message was reconciled, not doubled"
    );

    // A tool confirmation allowed.
    w.say("Please run a command for me");
    let allow = w.wait("[id^='allow-']");
    w.shot("confirmation-asked");
    w.post(&format!("/element/{}/click", allow.0), json!({}));
    w.transcript_has("You allowed it.", 20);
    w.transcript_has("You allowed ls -la.", 20);
    w.shot("confirmation-allowed");

    // Another denied with a reason.
    w.until(
        "idle",
        20,
        "return document.getElementById('session-status').innerText.trim() === 'idle';",
    );
    w.say("Now run a command again");
    w.wait("[id^='deny-reason-']");
    w.type_in("[id^='deny-reason-']", "not on this machine");
    w.click("[id^='deny-']:not([id^='deny-reason-'])");
    w.transcript_has("You denied it: “not on this machine”", 20);
    w.transcript_has("Your reason: “not on this machine”", 20);
    w.shot("confirmation-denied");

    // A custom tool answered from its card.
    w.until(
        "idle",
        20,
        "return document.getElementById('session-status').innerText.trim() === 'idle';",
    );
    w.say("Please call a custom tool");
    w.wait("[id^='tool-result-']");
    w.shot("custom-tool-asked");
    w.type_in("[id^='tool-result-']", "Order 1234 shipped yesterday");
    w.click("[id^='send-result-']");
    w.transcript_has("Your lookup_order tool answered", 20);
    w.transcript_has("Order 1234 shipped yesterday", 5);
    w.shot("custom-tool-answered");

    // Esc interrupts while the agent works.
    w.until(
        "idle",
        20,
        "return document.getElementById('session-status').innerText.trim() === 'idle';",
    );
    w.say("Please work slowly");
    w.until(
        "running",
        20,
        "return document.getElementById('session-status').innerText.trim() === 'running';",
    );
    w.wait("#session-interrupt");
    w.shot("running");
    w.press(ESCAPE);
    w.transcript_has("You interrupted the agent.", 20);
    w.until(
        "idle after interrupt",
        20,
        "return document.getElementById('session-status').innerText.trim() === 'idle';",
    );
    w.shot("interrupted");

    // A message sent mid-run is delivered (steering) and answered next.
    w.say("Please work slowly again");
    w.until(
        "running",
        20,
        "return document.getElementById('session-status').innerText.trim() === 'running';",
    );
    w.say("Also check the weather");
    w.shot("steering-sent");
    w.transcript_has("Also check the weather", 20);
    // Interrupt the slow turn; the steering message is answered by the next turn.
    w.click("#session-interrupt");
    w.transcript_has("You asked: Also check the weather", 30);
    w.shot("steering-answered");
    let sent: Vec<Value> = world
        .server
        .event_log(&sid)
        .into_iter()
        .filter(|e| e["type"] == "user.message")
        .collect();
    assert_eq!(sent.len(), 7, "each message sent exactly once: {sent:?}");
}

#[test]
fn chat_threads_errors_termination_and_unknown_events() {
    const KEY: &str = "sk-ant-e2e-chat-threads-1";
    let world = World::new(KEY, 150);
    let agent = world.agent("Team lead");
    let env = world.environment("sandbox");
    world.session(
        &agent,
        &env,
        "Team work",
        "Please ask the team about order 1234",
    );
    let w = Window::launch("threads");
    w.add_profile(&world.server, world.key);
    w.open_session("Team work");
    w.transcript_has("The carrier is UPS", 30);
    w.transcript_has("researcher joined", 5);
    w.wait("#thread-filter");
    w.shot("all-threads");
    let thread = w.eval("return [...document.querySelectorAll('#thread-filter option')].map(o => o.value).find(v => v.startsWith('sthr_'))").as_str().unwrap().to_string();
    w.choose("#thread-filter", &thread);
    w.until("only the thread", 10, "return [...document.querySelectorAll('#transcript .row')].every(r => r.querySelector('.thread-badge'));");
    w.transcript_has("Carrier: UPS", 5);
    w.shot("researcher-thread");
    w.choose("#thread-filter", "all");

    w.say("Please use mcp to find bugs");
    w.transcript_has("Called github › search_issues", 20);
    w.transcript_has("Allowed automatically (auto policy)", 5);
    w.until(
        "idle",
        20,
        "return document.getElementById('session-status').innerText.trim() === 'idle';",
    );
    w.say("Please simulate an error");
    w.wait(".error-banner");
    w.transcript_has("The service is retrying by itself", 20);
    w.transcript_has("the service retried", 20);
    w.shot("error-banner");
    w.until(
        "idle",
        20,
        "return document.getElementById('session-status').innerText.trim() === 'idle';",
    );
    w.say("Please send something new");
    w.transcript_has("An event Hangar does not know yet: agent.hologram", 20);
    w.until(
        "idle",
        20,
        "return document.getElementById('session-status').innerText.trim() === 'idle';",
    );
    w.click("#session-details");
    w.transcript_has("\"projection\"", 5);
    w.shot("details-and-unknown");
    w.click("#session-details");
    w.say("Please end the session");
    w.transcript_has("The session will end", 20);
    w.until(
        "terminated",
        20,
        "return document.getElementById('session-status').innerText.trim() === 'terminated';",
    );
    let note = w.text(&w.wait("#composer-note"));
    assert!(note.contains("read-only"), "{note}");
    assert_eq!(
        w.eval("return document.getElementById('composer').disabled")
            .as_bool(),
        Some(true)
    );
    w.shot("terminated-read-only");
}

#[test]
fn chat_xss_corpus_never_runs_and_links_ask_first() {
    const KEY: &str = "sk-ant-e2e-chat-xss-1";
    let world = World::new(KEY, 100);
    let agent = world.agent("Writer");
    let env = world.environment("sandbox");
    world.session(&agent, &env, "Tricky output", "Please show html");
    let w = Window::launch("xss");
    w.add_profile(&world.server, world.key);
    w.eval("window.__pwned = undefined; return true;");
    w.open_session("Tricky output");
    w.transcript_has("Here are some tricky strings.", 30);
    w.until(
        "idle",
        20,
        "return document.getElementById('session-status').innerText.trim() === 'idle';",
    );
    // Expand every tool card and thread message so their HTML is in the page too.
    w.eval("document.querySelectorAll('#transcript details').forEach(d => d.open = true); return true;");
    std::thread::sleep(Duration::from_millis(500));
    w.shot("corpus");
    let probe = w.eval(
        "const t = document.getElementById('transcript');\
         return {pwned: window.__pwned === undefined ? null : window.__pwned,\
           scripts: t.querySelectorAll('script').length, imgs: t.querySelectorAll('img').length,\
           iframes: t.querySelectorAll('iframe').length, svgs: t.querySelectorAll('svg').length,\
           maths: t.querySelectorAll('math').length, forms: t.querySelectorAll('form, input:not([type=text]):not([type=checkbox]), button[formaction]').length,\
           styled: t.querySelectorAll('[style]').length,\
           handlers: [...t.querySelectorAll('*')].filter(e => [...e.attributes].some(a => a.name.startsWith('on'))).length,\
           badLinks: [...t.querySelectorAll('a[href]')].filter(a => !/^(https?:|mailto:)/i.test(a.getAttribute('href'))).length,\
           text: t.innerText.includes('<script>window.__pwned = 1</script>')};",
    );
    assert_eq!(probe["pwned"], Value::Null, "{probe}");
    for k in [
        "scripts", "imgs", "iframes", "svgs", "maths", "forms", "styled", "handlers", "badLinks",
    ] {
        assert_eq!(probe[k], 0, "{k}: {probe}");
    }
    assert_eq!(probe["text"], true, "the payload is shown as text: {probe}");
    // A real link asks first and shows its URL; nothing opens without the person.
    let clicked = w.eval("const a = [...document.querySelectorAll('#transcript a')].find(a => a.innerText.includes('a real link')); if (!a) return false; a.click(); return true;");
    assert_eq!(clicked.as_bool(), Some(true));
    let url = w.text(&w.wait("#link-url"));
    assert_eq!(url, "https://example.com/docs");
    w.shot("link-prompt");
    assert!(
        !w.links.exists(),
        "nothing opened before the person confirmed"
    );
    w.click("#link-open");
    let deadline = Instant::now() + Duration::from_secs(10);
    while !w.links.exists() && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(100));
    }
    assert_eq!(
        std::fs::read_to_string(&w.links).unwrap().trim(),
        "https://example.com/docs"
    );
    // The image became a link; it asks too, and Cancel opens nothing.
    let clicked = w.eval("const a = [...document.querySelectorAll('#transcript a')].find(a => a.innerText.includes('a remote image')); if (!a) return false; a.click(); return true;");
    assert_eq!(clicked.as_bool(), Some(true));
    w.wait("#link-prompt");
    w.click("#link-cancel");
    assert_eq!(
        std::fs::read_to_string(&w.links).unwrap().lines().count(),
        1
    );
    assert_eq!(
        w.eval("return window.__pwned === undefined").as_bool(),
        Some(true)
    );
}

#[test]
fn chat_fault_schedule_shows_each_event_exactly_once() {
    const KEY: &str = "sk-ant-e2e-chat-faults-1";
    let world = World::new(KEY, 50);
    let agent = world.agent("Writer");
    let env = world.environment("sandbox");
    let sid = world.session(&agent, &env, "Bumpy line", "Hello there");
    // Every stream from now on: the first connection refused with a 503 (retry after 1 s),
    // then each connection dropped after 20 frames, every third event sent twice.
    world.server.set_faults(Faults {
        drop_after_frames: Some(20),
        repeat_every: Some(3),
        fail_streams: vec![(503, Some(1))],
        ..Faults::default()
    });
    let w = Window::launch("faults");
    w.add_profile(&world.server, world.key);
    w.open_session("Bumpy line");
    w.until(
        "idle",
        30,
        "return document.getElementById('session-status').innerText.trim() === 'idle';",
    );
    world.server.stats().reset();
    // And one more 503 when the stream drops during the turn.
    world.server.set_faults(Faults {
        drop_after_frames: Some(20),
        repeat_every: Some(3),
        fail_streams: vec![(503, Some(1))],
        ..Faults::default()
    });
    w.say("Please write 120 events now");
    w.transcript_has("That was 120 messages.", 90);
    w.until(
        "idle after the turn",
        30,
        "return document.getElementById('session-status').innerText.trim() === 'idle';",
    );
    // Let any late reconnection settle, then read what the person sees.
    std::thread::sleep(Duration::from_secs(2));
    // While following, the page keeps the newest cards only: scroll up for the whole turn.
    w.scroll_until(
        "the turn's start never loaded",
        60,
        "0",
        "Please write 120 events now",
    );
    w.shot("after-faults");
    let seen = w.eval(
        "const rows = [...document.querySelectorAll('#transcript .row')];\
         const counts = {};\
         for (const r of rows) { const m = r.innerText.match(/Line (\\d+) of 120:/); if (m) counts[m[1]] = (counts[m[1]] || 0) + 1; }\
         const ids = rows.map(r => r.id);\
         return {rows: rows.length, unique: new Set(ids).size, counts,\
           asked: rows.filter(r => r.dataset.type === 'user.message' && r.innerText.includes('Please write 120 events now')).length,\
           done: rows.filter(r => r.dataset.type === 'agent.message' && r.innerText.includes('That was 120 messages.')).length};",
    );
    assert_eq!(seen["rows"], seen["unique"], "no row twice: {seen}");
    assert_eq!(seen["asked"], 1, "the message once: {seen}");
    assert_eq!(seen["done"], 1, "the final reply once: {seen}");
    for k in 1..=120 {
        assert_eq!(
            seen["counts"][k.to_string()],
            1,
            "Line {k} of 120 shown exactly once: {seen}"
        );
    }
    // The faults really happened: several stream connections, some events sent twice.
    let stats = world.server.stats();
    let connections = stats.requests("GET", "/v1/sessions/{id}/events/stream");
    let refused = stats
        .request_log()
        .iter()
        .filter(|r| r.route == "/v1/sessions/{id}/events/stream" && r.status == 503)
        .count();
    assert_eq!(refused, 1, "the 503 was answered once during the turn");
    let log = world.server.event_log(&sid);
    let repeated = log
        .iter()
        .filter_map(|e| e["id"].as_str())
        .filter(|id| stats.served_by_stream(id) > 1)
        .count();
    // The connection open when the turn began dropped after 20 frames; the next was refused
    // (503), the one after caught up from the history.
    assert!(connections >= 2, "{connections} stream connections");
    // Every third frame of a faulty connection is sent twice; how many of this turn's events
    // that hit depends on how far the dropping connection got (a figure, not a rule).
    w.record(
        "fault schedule: stream connections during the turn / refused with 503 / events streamed twice",
        &format!("{connections} / {refused} / {repeated}"),
    );
}

#[test]
fn chat_ten_thousand_events_scroll_and_open_at_an_event() {
    const KEY: &str = "sk-ant-e2e-chat-long-1";
    let world = World::new(KEY, 50);
    let agent = world.agent("Writer");
    let env = world.environment("sandbox");
    let sid = world.session(&agent, &env, "Long story", "Hello there");
    let w = Window::launch("long");
    w.add_profile(&world.server, world.key);
    w.open_session("Long story");
    w.until(
        "idle",
        30,
        "return document.getElementById('session-status').innerText.trim() === 'idle';",
    );
    // The webview's memory right after opening, then after 10,000 events streamed into the
    // open chat (a figure for the note: the goal is under 50 MB of growth).
    std::thread::sleep(Duration::from_secs(2));
    let opened_kb = w.webview_pss_kb();
    let wasm_mb = |w: &Window| {
        w.eval("return window.hangarWasmBytes ? window.hangarWasmBytes() : 0")
            .as_u64()
            .unwrap_or(0)
            / (1024 * 1024)
    };
    let opened_wasm = wasm_mb(&w);
    let started = Instant::now();
    w.say("Please write 10000 events");
    w.transcript_has("That was 10000 messages.", 240);
    w.until(
        "idle after the long turn",
        60,
        "return document.getElementById('session-status').innerText.trim() === 'idle';",
    );
    w.record(
        "10,000 events streamed into the open chat",
        &format!("{} ms", started.elapsed().as_millis()),
    );
    std::thread::sleep(Duration::from_secs(2));
    let streamed_kb = w.webview_pss_kb();
    assert!(opened_kb > 0, "the webview's processes were found");
    w.record(
        "wasm heap after opening / after streaming 10k events",
        &format!("{opened_wasm} MB / {} MB", wasm_mb(&w)),
    );
    // Once the page has been quiet a while (WebKit collects garbage on its own time).
    std::thread::sleep(Duration::from_secs(10));
    w.record(
        "webview PSS 12 s after the stream ended",
        &format!("{} MB", w.webview_pss_kb() / 1024),
    );
    w.record(
        "webview PSS after opening / after streaming 10k events / growth",
        &format!(
            "{} MB / {} MB / {:+} MB",
            opened_kb / 1024,
            streamed_kb / 1024,
            (streamed_kb as i64 - opened_kb as i64) / 1024
        ),
    );
    let log = world.server.event_log(&sid);
    assert!(log.len() > 10_000, "{}", log.len());
    w.shot("end");
    let rows = w
        .eval("return document.querySelectorAll('#transcript .row').length")
        .as_u64()
        .unwrap();
    assert!(
        rows <= 600,
        "a window, not the whole transcript: {rows} rows"
    );
    // Scroll to the top, page by page.
    let started = Instant::now();
    w.scroll_until("never reached the top", 240, "0", "Line 1 of 10000:");
    w.record(
        "scrolled from the end to the top (10k events)",
        &format!("{} ms", started.elapsed().as_millis()),
    );
    w.shot("top");
    let rows = w
        .eval("return document.querySelectorAll('#transcript .row').length")
        .as_u64()
        .unwrap();
    assert!(rows <= 600, "still a window: {rows}");
    // And back down to the bottom.
    w.scroll_until(
        "never reached the bottom again",
        240,
        "t.scrollHeight",
        "That was 10000 messages.",
    );
    w.shot("bottom-again");
    // Opened from the Sessions list to its first screen, timed in the page itself: from the
    // click to the first frame that shows the newest cards.
    w.click("#nav-sessions");
    w.wait("#page-sessions");
    let pick = "[...document.querySelectorAll('#session-list .session-row .title')].find(b => b.innerText.trim() === 'Long story')";
    w.until("the session listed", 30, &format!("return !!{pick};"));
    w.eval(&format!(
        "window.__opened = null; const b = {pick}; const t0 = performance.now(); b.click();\
         const tick = () => {{ const t = document.getElementById('transcript');\
           if (t && t.querySelector('.row') && t.innerText.includes('That was 10000 messages.')) {{ window.__opened = performance.now() - t0; }}\
           else {{ requestAnimationFrame(tick); }} }};\
         requestAnimationFrame(tick); return true;"
    ));
    w.until(
        "the transcript's first screen",
        30,
        "return window.__opened !== null;",
    );
    let opened_ms = w.eval("return window.__opened").as_f64().unwrap();
    w.record(
        "open a 10k transcript from the Sessions list to its first screen (timed in the page)",
        &format!("{opened_ms:.0} ms"),
    );
    w.shot("reopened-from-list");
    // Opened at a chosen event: the window loads around it and highlights it.
    let target = log
        .iter()
        .find(|e| {
            e["content"][0]["text"]
                .as_str()
                .is_some_and(|t| t.starts_with("Line 5000 of"))
        })
        .unwrap()["id"]
        .as_str()
        .unwrap()
        .to_string();
    let current = w.get("/url").as_str().unwrap().to_string();
    let base = current.split('#').next().unwrap().to_string();
    let started = Instant::now();
    w.post(
        "/url",
        json!({"url": format!("{base}#/sessions/{sid}?at={target}")}),
    );
    // Reopened there (as after a restart, or a search hit from another window).
    w.post("/refresh", json!({}));
    w.wait_for(&format!("#ev-{target}.highlight"), 30);
    w.record(
        "open a 10k transcript at an event to its first screen",
        &format!("{} ms", started.elapsed().as_millis()),
    );
    // Highlighted as soon as its card exists; scrolled to once laid out (two frames later).
    w.until(
        "the event is on screen",
        5,
        &format!(
            "const e = document.getElementById('ev-{target}'); const r = e.getBoundingClientRect(); return r.top >= 0 && r.bottom <= window.innerHeight;"
        ),
    );
    w.shot("opened-at-event");

    // Ctrl+F finds inside the whole transcript, not only the cards on the page.
    w.chord(&["\u{E009}", "f"]);
    w.wait("#find-bar");
    w.type_in("#find-input", "1234");
    w.until(
        "one found",
        30,
        "const c = document.getElementById('find-count'); return !!c && c.innerText.trim() === '1 found';",
    );
    w.type_in("#find-input", "\u{E007}");
    let hit = log
        .iter()
        .find(|e| {
            e["content"][0]["text"]
                .as_str()
                .is_some_and(|t| t.starts_with("Line 1234 of"))
        })
        .unwrap()["id"]
        .as_str()
        .unwrap()
        .to_string();
    w.wait_for(&format!("#ev-{hit}.highlight"), 30);
    assert_eq!(w.text(&w.wait("#find-count")).trim(), "1 of 1");
    w.shot("find-in-transcript");
    // Esc closes the bar; it does not interrupt anything.
    w.type_in("#find-input", ESCAPE);
    w.until(
        "find closed",
        10,
        "return !document.getElementById('find-bar');",
    );
    assert_eq!(
        w.text(&w.wait("#session-status")).trim(),
        "idle",
        "closing the find bar left the session alone"
    );
}
