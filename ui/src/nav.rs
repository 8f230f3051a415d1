//! The sidebar's sections (order, labels) and the keyboard and mouse shortcuts of the window.

use crate::route::Route;

/// One entry of the sidebar.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Section {
    /// Running and past sessions (the default).
    Sessions,
    /// Agent configurations.
    Agents,
    /// Container templates.
    Environments,
    /// Credentials for MCP servers.
    Vaults,
    /// Custom skills agents can use.
    Skills,
    /// Files uploaded for sessions, and files sessions produced.
    Files,
    /// Memory stores: what agents remember (issue 14).
    Memory,
    /// Deployments: agents that run on a schedule (issue 14).
    Schedules,
    /// Spending: cost per day, per agent and per session (issue 14).
    Usage,
    /// Profiles, keys, theme, local data.
    Settings,
}

impl Section {
    /// Every section, in sidebar order.
    pub const ALL: [Section; 10] = [
        Section::Sessions,
        Section::Agents,
        Section::Environments,
        Section::Vaults,
        Section::Skills,
        Section::Files,
        Section::Memory,
        Section::Schedules,
        Section::Usage,
        Section::Settings,
    ];

    /// The label shown in the sidebar and as the list page's heading.
    pub fn label(self) -> &'static str {
        match self {
            Section::Sessions => "Sessions",
            Section::Agents => "Agents",
            Section::Environments => "Environments",
            Section::Vaults => "Vaults",
            Section::Skills => "Skills",
            Section::Files => "Files",
            Section::Memory => "Memory",
            Section::Schedules => "Schedules",
            Section::Usage => "Usage",
            Section::Settings => "Settings",
        }
    }

    /// A stable id for the DOM (`nav-…`, `page-…`: tests and accessibility use it).
    pub fn slug(self) -> &'static str {
        match self {
            Section::Sessions => "sessions",
            Section::Agents => "agents",
            Section::Environments => "environments",
            Section::Vaults => "vaults",
            Section::Skills => "skills",
            Section::Files => "files",
            Section::Memory => "memory",
            Section::Schedules => "schedules",
            Section::Usage => "usage",
            Section::Settings => "settings",
        }
    }

    /// Where its sidebar button leads: the section's list.
    pub fn route(self) -> Route {
        match self {
            Section::Sessions => Route::Sessions,
            Section::Agents => Route::Agents,
            Section::Environments => Route::Environments,
            Section::Vaults => Route::Vaults,
            Section::Skills => Route::Skills,
            Section::Files => Route::Files,
            Section::Memory => Route::Memory,
            Section::Schedules => Route::Schedules,
            Section::Usage => Route::Usage,
            Section::Settings => Route::Settings,
        }
    }

    /// Ctrl/Cmd + digit (1-based, sidebar order) selects a section; 0 is the tenth, as on
    /// the keyboard's row (Settings, the last place).
    pub fn from_shortcut_digit(digit: char) -> Option<Section> {
        let index = match digit.to_digit(10)? {
            0 => 9,
            n => n - 1,
        };
        Section::ALL.get(index as usize).copied()
    }
}

/// What a key press or mouse button asks the window to do.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shortcut {
    /// Open a sidebar section (Ctrl/Cmd + 1…9, 0).
    Open(Section),
    /// Go back (Alt+Left, or the mouse's back side button: `MouseEvent.button` 3).
    Back,
    /// Go forward (Alt+Right, or the mouse's forward side button: `MouseEvent.button` 4).
    Forward,
    /// Focus the global search box (Ctrl/Cmd+K).
    FocusSearch,
}

/// A key press as the window saw it.
#[derive(Debug, Clone, Copy, Default)]
pub struct KeyPress<'a> {
    /// `KeyboardEvent.key`.
    pub key: &'a str,
    /// Ctrl held.
    pub ctrl: bool,
    /// Cmd (macOS) / Windows key held.
    pub meta: bool,
    /// Alt / Option held.
    pub alt: bool,
    /// Shift held.
    pub shift: bool,
    /// The focus is in a text input, text area or other editable element.
    pub in_text: bool,
}

/// The shortcut a key press means, if any.
///
/// Alt+Left/Right are left to text fields (Option+Left moves by word on macOS), so they go
/// back and forward only when the focus is elsewhere.
pub fn key_shortcut(press: KeyPress<'_>) -> Option<Shortcut> {
    let command = press.ctrl || press.meta;
    if command && !press.alt && !press.shift {
        if press.key.eq_ignore_ascii_case("k") {
            return Some(Shortcut::FocusSearch);
        }
        let mut chars = press.key.chars();
        if let (Some(digit), None) = (chars.next(), chars.next()) {
            return Section::from_shortcut_digit(digit).map(Shortcut::Open);
        }
        return None;
    }
    if press.alt && !command && !press.shift && !press.in_text {
        return match press.key {
            "ArrowLeft" => Some(Shortcut::Back),
            "ArrowRight" => Some(Shortcut::Forward),
            _ => None,
        };
    }
    None
}

/// The shortcut a mouse button means: `MouseEvent.button` 3 is the back side button, 4 the
/// forward one.
pub fn mouse_shortcut(button: i16) -> Option<Shortcut> {
    match button {
        3 => Some(Shortcut::Back),
        4 => Some(Shortcut::Forward),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shortcuts_follow_sidebar_order() {
        assert_eq!(Section::from_shortcut_digit('1'), Some(Section::Sessions));
        assert_eq!(Section::from_shortcut_digit('5'), Some(Section::Skills));
        assert_eq!(Section::from_shortcut_digit('6'), Some(Section::Files));
        assert_eq!(Section::from_shortcut_digit('7'), Some(Section::Memory));
        assert_eq!(Section::from_shortcut_digit('8'), Some(Section::Schedules));
        assert_eq!(Section::from_shortcut_digit('9'), Some(Section::Usage));
        assert_eq!(Section::from_shortcut_digit('0'), Some(Section::Settings));
        assert_eq!(Section::ALL.len(), 10, "every section has a digit");
        assert_eq!(Section::from_shortcut_digit('x'), None);
    }

    #[test]
    fn slugs_are_unique_lowercase_labels() {
        for section in Section::ALL {
            assert_eq!(section.slug(), section.label().to_lowercase());
            assert_eq!(section.route().section(), Some(section));
        }
    }

    fn press(key: &str) -> KeyPress<'_> {
        KeyPress {
            key,
            ..KeyPress::default()
        }
    }

    #[test]
    fn key_shortcuts() {
        let ctrl = |key| KeyPress {
            ctrl: true,
            ..press(key)
        };
        let meta = |key| KeyPress {
            meta: true,
            ..press(key)
        };
        let alt = |key| KeyPress {
            alt: true,
            ..press(key)
        };
        let cases: &[(KeyPress<'_>, Option<Shortcut>)] = &[
            (ctrl("1"), Some(Shortcut::Open(Section::Sessions))),
            (meta("3"), Some(Shortcut::Open(Section::Environments))),
            (ctrl("5"), Some(Shortcut::Open(Section::Skills))),
            (ctrl("7"), Some(Shortcut::Open(Section::Memory))),
            (ctrl("8"), Some(Shortcut::Open(Section::Schedules))),
            (ctrl("9"), Some(Shortcut::Open(Section::Usage))),
            (ctrl("0"), Some(Shortcut::Open(Section::Settings))),
            (ctrl("12"), None),
            (ctrl("k"), Some(Shortcut::FocusSearch)),
            (meta("K"), Some(Shortcut::FocusSearch)),
            (
                KeyPress {
                    in_text: true,
                    ..ctrl("k")
                },
                Some(Shortcut::FocusSearch),
            ),
            (
                KeyPress {
                    shift: true,
                    ..ctrl("1")
                },
                None,
            ),
            (
                KeyPress {
                    alt: true,
                    ..ctrl("1")
                },
                None,
            ),
            (press("1"), None),
            (alt("ArrowLeft"), Some(Shortcut::Back)),
            (alt("ArrowRight"), Some(Shortcut::Forward)),
            (alt("ArrowUp"), None),
            (press("ArrowLeft"), None),
            (ctrl("ArrowLeft"), None),
            // In a text field Alt+Left moves by word; it must not leave the page.
            (
                KeyPress {
                    in_text: true,
                    ..alt("ArrowLeft")
                },
                None,
            ),
        ];
        for (press, expect) in cases {
            assert_eq!(key_shortcut(*press), *expect, "{press:?}");
        }
    }

    #[test]
    fn mouse_side_buttons() {
        assert_eq!(mouse_shortcut(3), Some(Shortcut::Back));
        assert_eq!(mouse_shortcut(4), Some(Shortcut::Forward));
        for button in [0, 1, 2, 5] {
            assert_eq!(mouse_shortcut(button), None);
        }
    }
}
