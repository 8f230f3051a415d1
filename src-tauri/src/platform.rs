//! What differs between macOS, Windows and Linux, in one place (issue 13).
//!
//! Each difference is a function of [`Os`], so every branch is unit-tested on any machine; the
//! only cfg-gated code is [`Os::current`], which picks the branch the running build takes.

use std::path::{Path, PathBuf};

/// The desktop OS a build runs on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Os {
    MacOs,
    Windows,
    Linux,
}

impl Os {
    /// The OS this binary was built for (other Unixes behave as Linux: X11/Wayland, XDG dirs).
    pub const fn current() -> Os {
        #[cfg(target_os = "macos")]
        {
            Os::MacOs
        }
        #[cfg(target_os = "windows")]
        {
            Os::Windows
        }
        #[cfg(not(any(target_os = "macos", target_os = "windows")))]
        {
            Os::Linux
        }
    }
}

/// The label of the primary shortcut modifier, as menus and hints show it.
pub fn modifier_label(os: Os) -> &'static str {
    match os {
        Os::MacOs => "Cmd",
        Os::Windows | Os::Linux => "Ctrl",
    }
}

/// A shortcut as the user reads it on this OS (`Cmd+K`, `Ctrl+K`).
pub fn shortcut_label(os: Os, key: &str) -> String {
    format!("{}+{key}", modifier_label(os))
}

/// Where API keys are kept (the `keyring` crate's backend for the OS, see `keys.rs`).
pub fn keychain_name(os: Os) -> &'static str {
    match os {
        Os::MacOs => "the macOS Keychain",
        Os::Windows => "Windows Credential Manager",
        Os::Linux => "the Secret Service (GNOME Keyring or KWallet)",
    }
}

/// The folders an OS gives a user, read from the environment.
#[derive(Debug, Clone, Default)]
pub struct UserDirs {
    pub home: PathBuf,
    /// `%APPDATA%` (Windows).
    pub app_data: Option<PathBuf>,
    /// `$XDG_DATA_HOME` (Linux).
    pub xdg_data_home: Option<PathBuf>,
}

impl UserDirs {
    /// The running user's folders.
    pub fn from_env() -> Self {
        let var = |k: &str| {
            std::env::var_os(k)
                .filter(|v| !v.is_empty())
                .map(PathBuf::from)
        };
        UserDirs {
            home: var("HOME")
                .or_else(|| var("USERPROFILE"))
                .unwrap_or_default(),
            app_data: var("APPDATA"),
            xdg_data_home: var("XDG_DATA_HOME").filter(|p| p.is_absolute()),
        }
    }
}

/// Where Hangar keeps its data by default (Tauri's `app_data_dir`, the bundle identifier as
/// folder name). Uninstalling never touches it.
pub fn data_dir(os: Os, dirs: &UserDirs, identifier: &str) -> PathBuf {
    let base = match os {
        Os::MacOs => dirs.home.join("Library/Application Support"),
        Os::Windows => dirs
            .app_data
            .clone()
            .unwrap_or_else(|| dirs.home.join("AppData").join("Roaming")),
        Os::Linux => dirs
            .xdg_data_home
            .clone()
            .unwrap_or_else(|| dirs.home.join(".local/share")),
    };
    base.join(identifier)
}

/// macOS puts the app's own menu (About, Hide, Quit) first and the menu bar at the top of the
/// screen; elsewhere the menu bar is in the window and Quit sits in a File menu.
pub fn has_app_menu(os: Os) -> bool {
    os == Os::MacOs
}

/// Whether the window keeps the OS's own title bar and borders (it does everywhere: Hangar
/// draws no title bar of its own, so moving, snapping and the window buttons are the OS's).
pub fn native_decorations(_os: Os) -> bool {
    true
}

/// The file name of a data dir's parent, for messages ("in ~/.local/share").
pub fn display_home_relative(path: &Path, home: &Path) -> String {
    match path.strip_prefix(home) {
        Ok(rest) if !home.as_os_str().is_empty() => format!("~/{}", rest.display()),
        _ => path.display().to_string(),
    }
}

/// True when `dri` (Linux's `/dev/dri`) lists a DRM render node (`renderD128`, …): a GPU that
/// WebKitGTK can composite with. Without one it would fall back to software OpenGL.
pub fn has_gpu_render_node(dri: &Path) -> bool {
    std::fs::read_dir(dri).is_ok_and(|entries| {
        entries
            .filter_map(Result::ok)
            .any(|e| e.file_name().to_string_lossy().starts_with("renderD"))
    })
}

/// True when WebKitGTK should draw without compositing: the person has not chosen (`chosen`,
/// their `WEBKIT_DISABLE_COMPOSITING_MODE`), and `dri` shows no GPU to composite with.
pub fn draw_without_compositing(chosen: Option<&std::ffi::OsStr>, dri: &Path) -> bool {
    chosen.is_none() && !has_gpu_render_node(dri)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dirs() -> UserDirs {
        UserDirs {
            home: PathBuf::from("/home/ada"),
            app_data: Some(PathBuf::from(r"C:\Users\ada\AppData\Roaming")),
            xdg_data_home: None,
        }
    }

    #[test]
    fn this_build_is_linux() {
        // The branch this machine runs; the other two are covered through `Os` below.
        #[cfg(target_os = "linux")]
        assert_eq!(Os::current(), Os::Linux);
        #[cfg(target_os = "macos")]
        assert_eq!(Os::current(), Os::MacOs);
        #[cfg(target_os = "windows")]
        assert_eq!(Os::current(), Os::Windows);
    }

    #[test]
    fn shortcuts_use_cmd_on_macos_and_ctrl_elsewhere() {
        assert_eq!(shortcut_label(Os::MacOs, "K"), "Cmd+K");
        assert_eq!(shortcut_label(Os::Windows, "K"), "Ctrl+K");
        assert_eq!(shortcut_label(Os::Linux, "K"), "Ctrl+K");
    }

    #[test]
    fn data_dirs_per_os() {
        let id = "dev.hangar.desktop";
        assert_eq!(
            data_dir(Os::MacOs, &dirs(), id),
            PathBuf::from("/home/ada/Library/Application Support/dev.hangar.desktop")
        );
        assert_eq!(
            data_dir(Os::Windows, &dirs(), id),
            PathBuf::from(r"C:\Users\ada\AppData\Roaming").join(id)
        );
        assert_eq!(
            data_dir(Os::Linux, &dirs(), id),
            PathBuf::from("/home/ada/.local/share/dev.hangar.desktop")
        );
        let xdg = UserDirs {
            xdg_data_home: Some(PathBuf::from("/data")),
            ..dirs()
        };
        assert_eq!(
            data_dir(Os::Linux, &xdg, id),
            PathBuf::from("/data/dev.hangar.desktop")
        );
    }

    /// On this machine the rule above agrees with Tauri's own `app_data_dir`.
    #[test]
    fn the_linux_rule_matches_tauri() {
        let app = tauri::test::mock_builder()
            .build(tauri::test::mock_context(tauri::test::noop_assets()))
            .unwrap();
        use tauri::Manager;
        let tauri_dir = app.path().app_data_dir().unwrap();
        let identifier = app.config().identifier.clone();
        assert_eq!(
            data_dir(Os::current(), &UserDirs::from_env(), &identifier),
            tauri_dir
        );
    }

    #[test]
    fn keychains_and_menus_per_os() {
        assert!(keychain_name(Os::MacOs).contains("Keychain"));
        assert!(keychain_name(Os::Windows).contains("Credential Manager"));
        assert!(keychain_name(Os::Linux).contains("Secret Service"));
        assert!(has_app_menu(Os::MacOs));
        assert!(!has_app_menu(Os::Windows) && !has_app_menu(Os::Linux));
        for os in [Os::MacOs, Os::Windows, Os::Linux] {
            assert!(native_decorations(os));
        }
        assert_eq!(
            display_home_relative(
                Path::new("/home/ada/.local/share/x"),
                Path::new("/home/ada")
            ),
            "~/.local/share/x"
        );
    }

    #[test]
    fn a_render_node_means_a_gpu() {
        let dri = tempfile::tempdir().expect("temp dir");
        assert!(!has_gpu_render_node(&dri.path().join("absent")));
        assert!(!has_gpu_render_node(dri.path()));
        std::fs::write(dri.path().join("card0"), b"").expect("card0");
        assert!(!has_gpu_render_node(dri.path()), "a display node alone");
        assert!(draw_without_compositing(None, dri.path()));
        let chosen = std::ffi::OsStr::new("0");
        assert!(
            !draw_without_compositing(Some(chosen), dri.path()),
            "the person's choice"
        );
        std::fs::write(dri.path().join("renderD128"), b"").expect("renderD128");
        assert!(has_gpu_render_node(dri.path()));
        assert!(!draw_without_compositing(None, dri.path()));
    }
}
