//! The sidebar's pages: order, labels, and the keyboard shortcuts that reach them.

/// One entry of the sidebar.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Page {
    /// Running and past sessions (the default).
    Sessions,
    /// Agent configurations.
    Agents,
    /// Container templates.
    Environments,
    /// Credentials for MCP servers.
    Vaults,
    /// Profiles, keys, theme, local data.
    Settings,
}

impl Page {
    /// Every page, in sidebar order.
    pub const ALL: [Page; 5] = [
        Page::Sessions,
        Page::Agents,
        Page::Environments,
        Page::Vaults,
        Page::Settings,
    ];

    /// The label shown in the sidebar and as the page heading.
    pub fn label(self) -> &'static str {
        match self {
            Page::Sessions => "Sessions",
            Page::Agents => "Agents",
            Page::Environments => "Environments",
            Page::Vaults => "Vaults",
            Page::Settings => "Settings",
        }
    }

    /// A stable id for the DOM (tests and accessibility use it).
    pub fn slug(self) -> &'static str {
        match self {
            Page::Sessions => "sessions",
            Page::Agents => "agents",
            Page::Environments => "environments",
            Page::Vaults => "vaults",
            Page::Settings => "settings",
        }
    }

    /// Ctrl/Cmd + digit (1-based, sidebar order) selects a page.
    pub fn from_shortcut_digit(digit: char) -> Option<Page> {
        let index = digit.to_digit(10)?.checked_sub(1)?;
        Page::ALL.get(index as usize).copied()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shortcuts_follow_sidebar_order() {
        assert_eq!(Page::from_shortcut_digit('1'), Some(Page::Sessions));
        assert_eq!(Page::from_shortcut_digit('5'), Some(Page::Settings));
        assert_eq!(Page::from_shortcut_digit('0'), None);
        assert_eq!(Page::from_shortcut_digit('6'), None);
        assert_eq!(Page::from_shortcut_digit('x'), None);
    }

    #[test]
    fn slugs_are_unique_lowercase_labels() {
        for page in Page::ALL {
            assert_eq!(page.slug(), page.label().to_lowercase());
        }
    }
}
