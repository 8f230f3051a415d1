//! Small process helpers: run a command loudly, background processes that die with us, a display.

use std::net::TcpListener;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// A command with arguments.
pub fn cmd(program: &str, args: &[&str]) -> Command {
    let mut c = Command::new(program);
    c.args(args);
    c
}

/// Runs `c`, streaming its output; a non-zero exit is an error naming the command.
pub fn run(mut c: Command) -> Result<(), String> {
    let shown = format!("{c:?}");
    let status = c
        .status()
        .map_err(|e| format!("could not start {shown}: {e}"))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("{shown} failed with {status}"))
    }
}

/// True when `program` is on PATH.
pub fn have(program: &str) -> bool {
    std::env::var_os("PATH")
        .map(|paths| std::env::split_paths(&paths).any(|dir| dir.join(exe(program)).is_file()))
        .unwrap_or(false)
}

/// `name` with the platform's executable suffix.
pub fn exe(name: &str) -> String {
    format!("{name}{}", std::env::consts::EXE_SUFFIX)
}

/// A step's name and timing, printed when it starts and ends.
pub struct Step {
    name: &'static str,
    started: Instant,
}

impl Step {
    /// Prints the step's name and starts its clock.
    pub fn start(name: &'static str) -> Self {
        println!("\n==> {name}");
        Self {
            name,
            started: Instant::now(),
        }
    }

    /// Prints how long the step took.
    pub fn done(self) {
        println!(
            "<== {} ({:.1} s)",
            self.name,
            self.started.elapsed().as_secs_f64()
        );
    }
}

/// A child process killed when this value is dropped.
pub struct Background {
    child: Child,
}

impl Background {
    /// Starts `c` with its output discarded.
    pub fn spawn(mut c: Command, name: &str) -> Result<Self, String> {
        let child = c
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .map_err(|e| format!("could not start {name}: {e}"))?;
        Ok(Self { child })
    }
}

impl Drop for Background {
    fn drop(&mut self) {
        // Best effort: the process may have exited by itself already.
        if self.child.kill().is_ok() {
            let _reaped = self.child.wait();
        }
    }
}

/// A TCP port free on loopback right now.
pub fn free_port() -> Result<u16, String> {
    let listener = TcpListener::bind("127.0.0.1:0").map_err(|e| format!("no free port: {e}"))?;
    listener
        .local_addr()
        .map(|a| a.port())
        .map_err(|e| e.to_string())
}

/// On Linux without a display, starts Xvfb (and openbox when present) and points DISPLAY at it.
/// Returns the processes to keep alive; empty when a display already exists.
pub fn ensure_display() -> Result<Vec<Background>, String> {
    if !cfg!(target_os = "linux") || std::env::var_os("DISPLAY").is_some_and(|d| !d.is_empty()) {
        return Ok(Vec::new());
    }
    let number = (90..200)
        .find(|n| {
            !PathBuf::from(format!("/tmp/.X11-unix/X{n}")).exists()
                && !PathBuf::from(format!("/tmp/.X{n}-lock")).exists()
        })
        .ok_or("no free X display number")?;
    let display = format!(":{number}");
    let xvfb = Background::spawn(
        cmd(
            "Xvfb",
            &[&display, "-screen", "0", "1280x800x24", "-nolisten", "tcp"],
        ),
        "Xvfb",
    )?;
    let socket = PathBuf::from(format!("/tmp/.X11-unix/X{number}"));
    let deadline = Instant::now() + Duration::from_secs(15);
    while !socket.exists() {
        if Instant::now() > deadline {
            return Err("Xvfb did not start within 15 s".into());
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    // Every process started from here on (the app, tauri-driver, tests) uses this display.
    std::env::set_var("DISPLAY", &display);
    println!("(no display: started Xvfb on {display})");
    let mut keep = vec![xvfb];
    if have("openbox") {
        keep.push(Background::spawn(cmd("openbox", &[]), "openbox")?);
    }
    Ok(keep)
}

/// On Linux with dbus-run-session, gnome-keyring and keyctl available, wraps `c` so that it
/// runs inside a private D-Bus session with an unlocked Secret Service and a kernel session
/// keyring: the OS keychain exactly as a desktop user has it, without touching the user's own.
pub fn with_keyring_session(c: Command) -> Command {
    let available = ["dbus-run-session", "gnome-keyring-daemon", "keyctl"]
        .into_iter()
        .all(have);
    if !cfg!(target_os = "linux") || !available {
        return c;
    }
    let scratch = std::env::temp_dir().join(format!("hangar-keyring-{}", std::process::id()));
    // Failure to create it surfaces as a keyring error inside the tests, which say what broke.
    let _created = std::fs::create_dir_all(&scratch);
    let mut wrapped = Command::new("dbus-run-session");
    wrapped.args(["--", "keyctl", "session", "-", "sh", "-c"]);
    wrapped.arg(
        "echo -n hangar-ci | gnome-keyring-daemon --unlock --components=secrets >/dev/null 2>&1; exec \"$@\"",
    );
    wrapped.arg("sh");
    wrapped.arg(c.get_program());
    wrapped.args(c.get_args());
    if let Some(dir) = c.get_current_dir() {
        wrapped.current_dir(dir);
    }
    for (key, value) in c.get_envs() {
        match value {
            Some(v) => wrapped.env(key, v),
            None => wrapped.env_remove(key),
        };
    }
    wrapped.env("XDG_DATA_HOME", &scratch);
    wrapped
}
