//! The native menu bar (issue 13): Edit, View, Window and Help with the usual shortcuts (Cmd on
//! macOS, Ctrl elsewhere), plus the app menu on macOS and File › Quit elsewhere.
//!
//! The menu is described as data first ([`layout`], one function of the OS, so each OS's menu is
//! unit-tested here), then built with Tauri's menu API. Where the OS has a native item (Copy,
//! Paste, About, …) it is used; where it has none (Undo, Minimize, Full Screen on Linux) a
//! plain item with the same shortcut does the same thing from [`handle`].

use tauri::menu::{AboutMetadata, Menu, MenuItem, PredefinedMenuItem, Submenu};
use tauri::{Manager, Runtime};

use crate::platform::Os;

/// One entry of a submenu.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Entry {
    /// An item the OS provides (its own text, shortcut and behaviour).
    Native(Native),
    /// An item of ours: id (handled in [`handle`]), text, shortcut.
    Item {
        id: &'static str,
        text: &'static str,
        accelerator: Option<&'static str>,
    },
    Separator,
}

/// The OS-provided items used.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Native {
    Undo,
    Redo,
    Cut,
    Copy,
    Paste,
    SelectAll,
    Minimize,
    Maximize,
    Fullscreen,
    CloseWindow,
    About,
    Services,
    Hide,
    HideOthers,
    ShowAll,
    Quit,
}

/// Whether `os` has a working native item of this kind (Tauri: Undo/Redo/Full Screen are
/// macOS-only; Minimize/Maximize/Close/Quit are missing on Linux; Services/Hide macOS-only).
pub fn native_supported(os: Os, item: Native) -> bool {
    use Native::*;
    match item {
        Cut | Copy | Paste | SelectAll | About => true,
        Undo | Redo | Fullscreen | Services | Hide | HideOthers | ShowAll => os == Os::MacOs,
        Minimize | Maximize | CloseWindow | Quit => os != Os::Linux,
    }
}

/// A native item where `os` has one, else our own item doing the same.
fn native_or(
    os: Os,
    item: Native,
    id: &'static str,
    text: &'static str,
    accelerator: &'static str,
) -> Entry {
    if native_supported(os, item) {
        Entry::Native(item)
    } else {
        Entry::Item {
            id,
            text,
            accelerator: Some(accelerator),
        }
    }
}

/// Ids of our own items.
pub mod id {
    pub const UNDO: &str = "edit-undo";
    pub const REDO: &str = "edit-redo";
    pub const ZOOM_IN: &str = "view-zoom-in";
    pub const ZOOM_OUT: &str = "view-zoom-out";
    pub const ZOOM_RESET: &str = "view-zoom-reset";
    pub const FULLSCREEN: &str = "view-fullscreen";
    pub const MINIMIZE: &str = "window-minimize";
    pub const MAXIMIZE: &str = "window-maximize";
    pub const CLOSE: &str = "window-close";
    pub const QUIT: &str = "app-quit";
    pub const CHECK_UPDATES: &str = "help-check-updates";
}

/// The menu bar of `os`: (submenu title, entries), in order.
pub fn layout(os: Os) -> Vec<(&'static str, Vec<Entry>)> {
    use Entry::{Native as N, Separator};
    let mut menus = Vec::new();
    let check_updates = Entry::Item {
        id: id::CHECK_UPDATES,
        text: "Check for Updates…",
        accelerator: None,
    };
    if os == Os::MacOs {
        menus.push((
            "Hangar",
            vec![
                N(Native::About),
                check_updates.clone(),
                Separator,
                N(Native::Services),
                Separator,
                N(Native::Hide),
                N(Native::HideOthers),
                N(Native::ShowAll),
                Separator,
                N(Native::Quit),
            ],
        ));
    } else {
        menus.push((
            "File",
            vec![native_or(os, Native::Quit, id::QUIT, "Quit", "CmdOrCtrl+Q")],
        ));
    }
    menus.push((
        "Edit",
        vec![
            native_or(os, Native::Undo, id::UNDO, "Undo", "CmdOrCtrl+Z"),
            native_or(os, Native::Redo, id::REDO, "Redo", "CmdOrCtrl+Shift+Z"),
            Separator,
            N(Native::Cut),
            N(Native::Copy),
            N(Native::Paste),
            N(Native::SelectAll),
        ],
    ));
    menus.push((
        "View",
        vec![
            Entry::Item {
                id: id::ZOOM_IN,
                text: "Zoom In",
                accelerator: Some("CmdOrCtrl+="),
            },
            Entry::Item {
                id: id::ZOOM_OUT,
                text: "Zoom Out",
                accelerator: Some("CmdOrCtrl+-"),
            },
            Entry::Item {
                id: id::ZOOM_RESET,
                text: "Actual Size",
                accelerator: Some("CmdOrCtrl+0"),
            },
            Separator,
            native_or(
                os,
                Native::Fullscreen,
                id::FULLSCREEN,
                "Toggle Full Screen",
                "F11",
            ),
        ],
    ));
    menus.push((
        "Window",
        vec![
            native_or(
                os,
                Native::Minimize,
                id::MINIMIZE,
                "Minimize",
                "CmdOrCtrl+M",
            ),
            native_or(
                os,
                Native::Maximize,
                id::MAXIMIZE,
                "Zoom",
                "CmdOrCtrl+Shift+M",
            ),
            Separator,
            native_or(
                os,
                Native::CloseWindow,
                id::CLOSE,
                "Close Window",
                "CmdOrCtrl+W",
            ),
        ],
    ));
    let mut help = Vec::new();
    if os != Os::MacOs {
        help.push(check_updates);
        help.push(Separator);
        help.push(N(Native::About));
    }
    if !help.is_empty() {
        menus.push(("Help", help));
    }
    menus
}

/// What the About box shows: name, version, licenses, copyright.
pub fn about_metadata<R: Runtime>(app: &tauri::AppHandle<R>) -> AboutMetadata<'static> {
    let version = app.package_info().version.to_string();
    AboutMetadata {
        name: Some("Hangar".into()),
        version: Some(version.clone()),
        short_version: Some(version),
        comments: Some(
            "Run Claude Managed Agents from your desktop.\nBuilt with Tauri, Leptos, WebKit/WebView2 and the Rust crates listed in THIRD-PARTY licenses (MIT, Apache-2.0, BSD, ISC, MPL-2.0, Zlib, Unicode)."
                .into(),
        ),
        copyright: Some("Copyright © 2026 Hangar developers".into()),
        license: Some("MIT License. Hangar is free software: you may use, copy, modify and distribute it under the terms of the MIT License.".into()),
        website: Some("https://example.invalid/hangar".into()),
        website_label: Some("Hangar website".into()),
        authors: Some(vec!["Hangar developers".into()]),
        ..Default::default()
    }
}

/// Builds the menu bar for the running OS.
pub fn build<R: Runtime>(app: &tauri::AppHandle<R>) -> tauri::Result<Menu<R>> {
    let menu = Menu::new(app)?;
    for (title, entries) in layout(Os::current()) {
        let submenu = Submenu::new(app, title, true)?;
        for entry in entries {
            match entry {
                Entry::Separator => submenu.append(&PredefinedMenuItem::separator(app)?)?,
                Entry::Item {
                    id,
                    text,
                    accelerator,
                } => submenu.append(&MenuItem::with_id(app, id, text, true, accelerator)?)?,
                Entry::Native(n) => submenu.append(&native(app, n)?)?,
            }
        }
        menu.append(&submenu)?;
    }
    Ok(menu)
}

fn native<R: Runtime>(
    app: &tauri::AppHandle<R>,
    item: Native,
) -> tauri::Result<PredefinedMenuItem<R>> {
    use Native::*;
    match item {
        Undo => PredefinedMenuItem::undo(app, None),
        Redo => PredefinedMenuItem::redo(app, None),
        Cut => PredefinedMenuItem::cut(app, None),
        Copy => PredefinedMenuItem::copy(app, None),
        Paste => PredefinedMenuItem::paste(app, None),
        SelectAll => PredefinedMenuItem::select_all(app, None),
        Minimize => PredefinedMenuItem::minimize(app, None),
        Maximize => PredefinedMenuItem::maximize(app, None),
        Fullscreen => PredefinedMenuItem::fullscreen(app, None),
        CloseWindow => PredefinedMenuItem::close_window(app, None),
        About => PredefinedMenuItem::about(app, Some("About Hangar"), Some(about_metadata(app))),
        Services => PredefinedMenuItem::services(app, None),
        Hide => PredefinedMenuItem::hide(app, None),
        HideOthers => PredefinedMenuItem::hide_others(app, None),
        ShowAll => PredefinedMenuItem::show_all(app, None),
        Quit => PredefinedMenuItem::quit(app, None),
    }
}

/// The zoom steps of View › Zoom In / Zoom Out.
pub const ZOOM_STEPS: &[f64] = &[0.67, 0.8, 0.9, 1.0, 1.1, 1.25, 1.5, 1.75, 2.0];

/// The next zoom level from `current` (`+1` in, `-1` out, `0` back to 100%).
pub fn next_zoom(current: f64, direction: i32) -> f64 {
    match direction {
        0 => 1.0,
        d if d > 0 => ZOOM_STEPS
            .iter()
            .copied()
            .find(|z| *z > current + 1e-6)
            .unwrap_or(current),
        _ => ZOOM_STEPS
            .iter()
            .rev()
            .copied()
            .find(|z| *z < current - 1e-6)
            .unwrap_or(current),
    }
}

/// The current zoom factor of the main window.
#[derive(Debug)]
pub struct Zoom(pub std::sync::Mutex<f64>);

impl Default for Zoom {
    fn default() -> Self {
        Zoom(std::sync::Mutex::new(1.0))
    }
}

/// Runs our own menu items (the native ones act by themselves).
pub fn handle<R: Runtime>(app: &tauri::AppHandle<R>, event: tauri::menu::MenuEvent) {
    let Some(window) = app.get_webview_window("main") else {
        return;
    };
    let result = match event.id().as_ref() {
        id::UNDO => window.eval("document.execCommand('undo')"),
        id::REDO => window.eval("document.execCommand('redo')"),
        id::ZOOM_IN | id::ZOOM_OUT | id::ZOOM_RESET => {
            let direction = match event.id().as_ref() {
                id::ZOOM_IN => 1,
                id::ZOOM_OUT => -1,
                _ => 0,
            };
            let zoom = app.state::<Zoom>();
            let mut level = zoom.0.lock().unwrap_or_else(|p| p.into_inner());
            *level = next_zoom(*level, direction);
            window.set_zoom(*level)
        }
        id::FULLSCREEN => window
            .is_fullscreen()
            .and_then(|full| window.set_fullscreen(!full)),
        id::MINIMIZE => window.minimize(),
        id::MAXIMIZE => window.is_maximized().and_then(|max| {
            if max {
                window.unmaximize()
            } else {
                window.maximize()
            }
        }),
        id::CLOSE => window.close(),
        id::QUIT => {
            app.exit(0);
            Ok(())
        }
        id::CHECK_UPDATES => {
            crate::updater::check_from_menu(app.clone());
            Ok(())
        }
        _ => Ok(()),
    };
    if let Err(error) = result {
        tracing::warn!("menu {}: {error}", event.id().as_ref());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn titles(os: Os) -> Vec<&'static str> {
        layout(os).into_iter().map(|(t, _)| t).collect()
    }

    fn items(os: Os) -> Vec<Entry> {
        layout(os).into_iter().flat_map(|(_, e)| e).collect()
    }

    fn accelerator_of(os: Os, wanted: &str) -> Option<&'static str> {
        items(os).into_iter().find_map(|e| match e {
            Entry::Item {
                id, accelerator, ..
            } if id == wanted => accelerator,
            _ => None,
        })
    }

    #[test]
    fn every_os_has_edit_view_window_help() {
        assert_eq!(
            titles(Os::MacOs),
            ["Hangar", "Edit", "View", "Window"],
            "macOS: About and updates live in the app menu"
        );
        assert_eq!(
            titles(Os::Windows),
            ["File", "Edit", "View", "Window", "Help"]
        );
        assert_eq!(
            titles(Os::Linux),
            ["File", "Edit", "View", "Window", "Help"]
        );
        for os in [Os::MacOs, Os::Windows, Os::Linux] {
            let all = items(os);
            for native in [
                Native::Cut,
                Native::Copy,
                Native::Paste,
                Native::SelectAll,
                Native::About,
            ] {
                assert!(all.contains(&Entry::Native(native)), "{os:?} {native:?}");
            }
        }
    }

    #[test]
    fn linux_gets_its_own_items_where_gtk_has_none() {
        assert_eq!(accelerator_of(Os::Linux, id::UNDO), Some("CmdOrCtrl+Z"));
        assert_eq!(
            accelerator_of(Os::Linux, id::REDO),
            Some("CmdOrCtrl+Shift+Z")
        );
        assert_eq!(accelerator_of(Os::Linux, id::QUIT), Some("CmdOrCtrl+Q"));
        assert_eq!(accelerator_of(Os::Linux, id::CLOSE), Some("CmdOrCtrl+W"));
        assert_eq!(accelerator_of(Os::Linux, id::FULLSCREEN), Some("F11"));
        // macOS uses the native items for all of them.
        assert_eq!(accelerator_of(Os::MacOs, id::UNDO), None);
        assert!(items(Os::MacOs).contains(&Entry::Native(Native::Undo)));
        assert!(items(Os::MacOs).contains(&Entry::Native(Native::Quit)));
        // Windows: native Quit/Minimize, our Undo.
        assert!(items(Os::Windows).contains(&Entry::Native(Native::Quit)));
        assert_eq!(accelerator_of(Os::Windows, id::UNDO), Some("CmdOrCtrl+Z"));
        for os in [Os::MacOs, Os::Windows, Os::Linux] {
            assert_eq!(accelerator_of(os, id::ZOOM_IN), Some("CmdOrCtrl+="));
        }
    }

    /// No menu shortcut takes a key the UI uses itself (Ctrl/Cmd+1…7 sections, Ctrl/Cmd+K search).
    #[test]
    fn menu_shortcuts_leave_the_ui_its_own() {
        for os in [Os::MacOs, Os::Windows, Os::Linux] {
            for e in items(os) {
                if let Entry::Item {
                    accelerator: Some(a),
                    ..
                } = e
                {
                    let key = a.rsplit('+').next().unwrap_or("");
                    assert!(
                        !["1", "2", "3", "4", "5", "6", "7", "K", "k"].contains(&key),
                        "{a}"
                    );
                }
            }
        }
    }

    #[test]
    fn zoom_steps() {
        assert_eq!(next_zoom(1.0, 1), 1.1);
        assert_eq!(next_zoom(1.1, -1), 1.0);
        assert_eq!(next_zoom(2.0, 1), 2.0);
        assert_eq!(next_zoom(0.67, -1), 0.67);
        assert_eq!(next_zoom(1.5, 0), 1.0);
    }

    /// The whole menu builds on Tauri's mock runtime.
    #[test]
    fn the_menu_builds() {
        let app = tauri::test::mock_builder()
            .build(tauri::test::mock_context(tauri::test::noop_assets()))
            .unwrap();
        let menu = build(app.handle()).unwrap();
        assert_eq!(menu.items().unwrap().len(), layout(Os::current()).len());
    }
}
