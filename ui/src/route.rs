//! Where the window is: a [`Route`] with its parameters, its stable path form, and the
//! back/forward [`History`]. Plain data, tested natively; `router.rs` puts it in context.

use hangar_types::{
    AgentId, DeploymentId, EnvironmentId, EventId, MemoryStoreId, SessionId, VaultId,
};

use crate::nav::Section;

/// The tabs of an agent's detail page.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum AgentTab {
    /// The agent's form (the default tab).
    #[default]
    Settings,
    /// Its version history.
    Versions,
    /// Sessions that used it.
    Sessions,
}

impl AgentTab {
    /// Every tab, in display order.
    pub const ALL: [AgentTab; 3] = [AgentTab::Settings, AgentTab::Versions, AgentTab::Sessions];

    /// The tab's visible name (ux.md).
    pub fn label(self) -> &'static str {
        match self {
            AgentTab::Settings => "Settings",
            AgentTab::Versions => "Versions",
            AgentTab::Sessions => "Sessions",
        }
    }

    /// Its path segment and DOM id part.
    pub fn slug(self) -> &'static str {
        match self {
            AgentTab::Settings => "settings",
            AgentTab::Versions => "versions",
            AgentTab::Sessions => "sessions",
        }
    }

    fn from_slug(slug: &str) -> Option<AgentTab> {
        AgentTab::ALL.into_iter().find(|t| t.slug() == slug)
    }
}

/// One place in the window.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
pub enum Route {
    /// The sessions list (the default).
    #[default]
    Sessions,
    /// One session's transcript, scrolled to `at` when given (a search hit).
    Session {
        /// The session.
        id: SessionId,
        /// The event to scroll to.
        at: Option<EventId>,
    },
    /// The agents list.
    Agents,
    /// One agent: a tab, and a version other than the latest when given.
    Agent {
        /// The agent.
        id: AgentId,
        /// The tab shown.
        tab: AgentTab,
        /// The version shown (`None`: the latest).
        version: Option<u64>,
    },
    /// The empty agent form.
    NewAgent,
    /// The environments list.
    Environments,
    /// One environment.
    Environment {
        /// The environment.
        id: EnvironmentId,
    },
    /// The empty environment form.
    NewEnvironment,
    /// The vaults list.
    Vaults,
    /// One vault and its credentials.
    Vault {
        /// The vault.
        id: VaultId,
    },
    /// Custom skills.
    Skills,
    /// Uploaded and produced files.
    Files,
    /// Profiles, theme, local data.
    Settings,
    /// Full-text search over cached transcripts.
    Search {
        /// What was typed.
        query: String,
    },
    // Beyond the console (issue 14).
    /// The memory stores.
    Memory,
    /// One memory store: its memories as a tree, one open.
    MemoryStore {
        /// The store.
        id: MemoryStoreId,
    },
    /// The deployments (scheduled agents).
    Schedules,
    /// One deployment and its runs.
    Schedule {
        /// The deployment.
        id: DeploymentId,
    },
    /// The new-schedule form.
    NewSchedule,
    /// Cost per day, per agent and per session over the cached history.
    Usage,
}

/// A path segment that would read as a fixed word (`new`) if an id were spelled that way.
const RESERVED: &[&str] = &["new", "settings", "versions", "sessions"];

impl Route {
    /// The sidebar section it belongs to (highlighted while it is shown); `None` for search,
    /// which spans every section.
    pub fn section(&self) -> Option<Section> {
        Some(match self {
            Route::Sessions | Route::Session { .. } => Section::Sessions,
            Route::Agents | Route::Agent { .. } | Route::NewAgent => Section::Agents,
            Route::Environments | Route::Environment { .. } | Route::NewEnvironment => {
                Section::Environments
            }
            Route::Vaults | Route::Vault { .. } => Section::Vaults,
            Route::Skills => Section::Skills,
            Route::Files => Section::Files,
            Route::Settings => Section::Settings,
            Route::Search { .. } => return None,
            Route::Memory | Route::MemoryStore { .. } => Section::Memory,
            Route::Schedules | Route::Schedule { .. } | Route::NewSchedule => Section::Schedules,
            Route::Usage => Section::Usage,
        })
    }

    /// The cached lists this screen shows: the backend refreshes them every few seconds while
    /// it is on screen (`sync_watch`).
    pub fn watched_areas(&self) -> Vec<hangar_types::CacheArea> {
        use hangar_types::CacheArea;
        match self {
            // Usage reads the cached sessions' costs: they refresh while it is shown.
            Route::Sessions | Route::Session { .. } | Route::Search { .. } | Route::Usage => {
                vec![CacheArea::Sessions]
            }
            Route::Agents | Route::Agent { .. } | Route::NewAgent => vec![CacheArea::Agents],
            Route::Environments | Route::Environment { .. } | Route::NewEnvironment => {
                vec![CacheArea::Environments]
            }
            Route::Vaults | Route::Vault { .. } => vec![CacheArea::Vaults],
            // Skills and files are refreshed by their own screens when they open.
            Route::Skills | Route::Files | Route::Settings => Vec::new(),
            // Memory and schedules are read from the API by their screens.
            Route::Memory
            | Route::MemoryStore { .. }
            | Route::Schedules
            | Route::Schedule { .. }
            | Route::NewSchedule => Vec::new(),
        }
    }

    /// The id of the page element (`page-sessions`, `page-agent`, …; end-to-end tests use it).
    pub fn page_id(&self) -> &'static str {
        match self {
            Route::Sessions => "page-sessions",
            Route::Session { .. } => "page-session",
            Route::Agents => "page-agents",
            Route::Agent { .. } => "page-agent",
            Route::NewAgent => "page-new-agent",
            Route::Environments => "page-environments",
            Route::Environment { .. } => "page-environment",
            Route::NewEnvironment => "page-new-environment",
            Route::Vaults => "page-vaults",
            Route::Vault { .. } => "page-vault",
            Route::Skills => "page-skills",
            Route::Files => "page-files",
            Route::Settings => "page-settings",
            Route::Search { .. } => "page-search",
            Route::Memory => "page-memory",
            Route::MemoryStore { .. } => "page-memory-store",
            Route::Schedules => "page-schedules",
            Route::Schedule { .. } => "page-schedule",
            Route::NewSchedule => "page-new-schedule",
            Route::Usage => "page-usage",
        }
    }

    /// Which screen is mounted: routes with the same key share one mounted screen, which
    /// follows the rest of the route itself (an agent's tab, the event to scroll to, the search
    /// text) instead of being rebuilt and losing its state.
    pub fn screen_key(&self) -> String {
        match self {
            Route::Session { id, .. } => format!("session/{id}"),
            Route::Agent { id, .. } => format!("agent/{id}"),
            Route::Search { .. } => "search".into(),
            other => other.to_path(),
        }
    }

    /// The stable path form, for tests and state restore: `/sessions`,
    /// `/sessions/sesn_1?at=sevt_2`, `/agents/agent_1/versions?version=3`, `/search?q=…`.
    pub fn to_path(&self) -> String {
        let seg = encode_segment;
        match self {
            Route::Sessions => "/sessions".into(),
            Route::Session { id, at } => {
                let mut path = format!("/sessions/{}", seg(id));
                if let Some(at) = at {
                    path.push_str(&format!("?at={}", encode(at)));
                }
                path
            }
            Route::Agents => "/agents".into(),
            Route::Agent { id, tab, version } => {
                let mut path = format!("/agents/{}", seg(id));
                if *tab != AgentTab::Settings {
                    path.push('/');
                    path.push_str(tab.slug());
                }
                if let Some(v) = version {
                    path.push_str(&format!("?version={v}"));
                }
                path
            }
            Route::NewAgent => "/agents/new".into(),
            Route::Environments => "/environments".into(),
            Route::Environment { id } => format!("/environments/{}", seg(id)),
            Route::NewEnvironment => "/environments/new".into(),
            Route::Vaults => "/vaults".into(),
            Route::Vault { id } => format!("/vaults/{}", seg(id)),
            Route::Skills => "/skills".into(),
            Route::Files => "/files".into(),
            Route::Settings => "/settings".into(),
            Route::Search { query } if query.is_empty() => "/search".into(),
            Route::Search { query } => format!("/search?q={}", encode(query)),
            Route::Memory => "/memory".into(),
            Route::MemoryStore { id } => format!("/memory/{}", seg(id)),
            Route::Schedules => "/schedules".into(),
            Route::Schedule { id } => format!("/schedules/{}", seg(id)),
            Route::NewSchedule => "/schedules/new".into(),
            Route::Usage => "/usage".into(),
        }
    }

    /// Reads a path written by [`Route::to_path`] (a leading `#` and a trailing `/` are
    /// tolerated, unknown query parameters ignored); `None` when it names no place.
    pub fn from_path(path: &str) -> Option<Route> {
        let path = path.strip_prefix('#').unwrap_or(path);
        let (path, query) = path.split_once('?').unwrap_or((path, ""));
        let path = path.strip_prefix('/')?;
        let path = path.strip_suffix('/').unwrap_or(path);
        let raw: Vec<&str> = path.split('/').collect();
        let param = |name: &str| -> Option<Option<String>> {
            match query
                .split('&')
                .filter_map(|pair| pair.split_once('=').or(Some((pair, ""))))
                .find(|(key, _)| *key == name)
            {
                Some((_, value)) => decode(value).map(Some),
                None => Some(None),
            }
        };
        // An id segment: decoded, and never an empty string.
        let id = |raw: &str| decode(raw).filter(|s| !s.is_empty());
        Some(match raw.as_slice() {
            ["sessions"] => Route::Sessions,
            ["sessions", s] => Route::Session {
                id: SessionId::new(id(s)?),
                at: param("at")?.filter(|a| !a.is_empty()).map(EventId::new),
            },
            ["agents"] => Route::Agents,
            ["agents", "new"] => Route::NewAgent,
            ["agents", a, rest @ ..] => {
                let tab = match rest {
                    [] => AgentTab::Settings,
                    [t] => AgentTab::from_slug(t)?,
                    _ => return None,
                };
                let version = match param("version")? {
                    None => None,
                    Some(v) => Some(v.parse::<u64>().ok()?),
                };
                Route::Agent {
                    id: AgentId::new(id(a)?),
                    tab,
                    version,
                }
            }
            ["environments"] => Route::Environments,
            ["environments", "new"] => Route::NewEnvironment,
            ["environments", e] => Route::Environment {
                id: EnvironmentId::new(id(e)?),
            },
            ["vaults"] => Route::Vaults,
            ["vaults", v] => Route::Vault {
                id: VaultId::new(id(v)?),
            },
            ["skills"] => Route::Skills,
            ["files"] => Route::Files,
            ["settings"] => Route::Settings,
            ["search"] => Route::Search {
                query: param("q")?.unwrap_or_default(),
            },
            ["memory"] => Route::Memory,
            ["memory", m] => Route::MemoryStore {
                id: MemoryStoreId::new(id(m)?),
            },
            ["schedules"] => Route::Schedules,
            ["schedules", "new"] => Route::NewSchedule,
            ["schedules", d] => Route::Schedule {
                id: DeploymentId::new(id(d)?),
            },
            ["usage"] => Route::Usage,
            _ => return None,
        })
    }
}

fn is_unreserved(byte: u8) -> bool {
    byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'.' | b'_' | b'~')
}

/// Percent-encodes everything but RFC 3986's unreserved characters.
fn encode(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for byte in text.bytes() {
        if is_unreserved(byte) {
            out.push(char::from(byte));
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

/// Like [`encode`], and an id spelled like a fixed word (`new`) gets its first letter encoded
/// so that `/agents/%6Eew` stays the agent called `new`, not the new-agent form.
fn encode_segment(id: &str) -> String {
    let encoded = encode(id);
    match encoded.as_bytes().first() {
        Some(first) if RESERVED.contains(&encoded.as_str()) => {
            format!("%{first:02X}{}", &encoded[1..])
        }
        _ => encoded,
    }
}

/// Undoes [`encode`]; `None` for a broken escape or text that is not UTF-8.
fn decode(text: &str) -> Option<String> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = text.get(i + 1..i + 3)?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

/// How far back the history reaches.
pub const HISTORY_MAX: usize = 100;

/// The places visited, with a position: back and forward move it, navigating drops what lay
/// ahead of it (as in a browser).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct History {
    entries: Vec<Route>,
    index: usize,
}

impl Default for History {
    fn default() -> Self {
        History::new(Route::default())
    }
}

impl History {
    /// A history holding only `start`.
    pub fn new(start: Route) -> Self {
        History {
            entries: vec![start],
            index: 0,
        }
    }

    /// Where the window is.
    pub fn current(&self) -> &Route {
        // `index` always points into `entries`, which is never empty; the fallback is for
        // the type system only.
        static FALLBACK: Route = Route::Sessions;
        self.entries.get(self.index).unwrap_or(&FALLBACK)
    }

    /// Goes to `route`, dropping the forward entries. Returns false (and changes nothing) when
    /// `route` is where the window already is.
    pub fn navigate(&mut self, route: Route) -> bool {
        if *self.current() == route {
            return false;
        }
        self.entries.truncate(self.index + 1);
        self.entries.push(route);
        if self.entries.len() > HISTORY_MAX {
            self.entries.remove(0);
        }
        self.index = self.entries.len() - 1;
        true
    }

    /// Replaces where the window is without adding an entry (the search text as it is typed,
    /// a form's id once it is saved).
    pub fn replace(&mut self, route: Route) {
        if let Some(entry) = self.entries.get_mut(self.index) {
            *entry = route;
        }
    }

    /// Is there an entry behind?
    pub fn can_back(&self) -> bool {
        self.index > 0
    }

    /// Is there an entry ahead?
    pub fn can_forward(&self) -> bool {
        self.index + 1 < self.entries.len()
    }

    /// Where [`History::back`] would lead.
    pub fn peek_back(&self) -> Option<&Route> {
        self.index.checked_sub(1).and_then(|i| self.entries.get(i))
    }

    /// Where [`History::forward`] would lead.
    pub fn peek_forward(&self) -> Option<&Route> {
        self.entries.get(self.index + 1)
    }

    /// Steps back; false when there is nothing behind.
    pub fn back(&mut self) -> bool {
        let can = self.can_back();
        if can {
            self.index -= 1;
        }
        can
    }

    /// Steps forward; false when there is nothing ahead.
    pub fn forward(&mut self) -> bool {
        let can = self.can_forward();
        if can {
            self.index += 1;
        }
        can
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_screen_watches_the_lists_it_shows() {
        use hangar_types::CacheArea;
        assert_eq!(Route::Sessions.watched_areas(), vec![CacheArea::Sessions]);
        assert_eq!(
            Route::Agent {
                id: "agent_1".into(),
                tab: AgentTab::Versions,
                version: None
            }
            .watched_areas(),
            vec![CacheArea::Agents]
        );
        assert_eq!(
            Route::NewEnvironment.watched_areas(),
            vec![CacheArea::Environments]
        );
        assert!(Route::Settings.watched_areas().is_empty());
        assert_eq!(Route::Usage.watched_areas(), vec![CacheArea::Sessions]);
    }

    fn agent(id: &str, tab: AgentTab, version: Option<u64>) -> Route {
        Route::Agent {
            id: AgentId::new(id),
            tab,
            version,
        }
    }

    fn every_kind() -> Vec<Route> {
        vec![
            Route::Sessions,
            Route::Session {
                id: SessionId::new("sesn_011CZkZAtmR3yMPDzynEDxu7"),
                at: None,
            },
            Route::Session {
                id: SessionId::new("sesn_1"),
                at: Some(EventId::new("sevt_9")),
            },
            Route::Agents,
            agent("agent_1", AgentTab::Settings, None),
            agent("agent_1", AgentTab::Versions, Some(3)),
            agent("agent_1", AgentTab::Sessions, None),
            agent("agent_1", AgentTab::Settings, Some(12)),
            Route::NewAgent,
            Route::Environments,
            Route::Environment {
                id: EnvironmentId::new("env_1"),
            },
            Route::NewEnvironment,
            Route::Vaults,
            Route::Vault {
                id: VaultId::new("vlt_1"),
            },
            Route::Skills,
            Route::Files,
            Route::Settings,
            Route::Search {
                query: String::new(),
            },
            Route::Search {
                query: "revenue & costs? 100% «über»/#1".into(),
            },
            Route::Memory,
            Route::MemoryStore {
                id: MemoryStoreId::new("memstore_1"),
            },
            Route::Schedules,
            Route::Schedule {
                id: DeploymentId::new("depl_1"),
            },
            Route::NewSchedule,
            Route::Usage,
        ]
    }

    #[test]
    fn paths_are_stable() {
        let cases = [
            (Route::Sessions, "/sessions"),
            (
                Route::Session {
                    id: SessionId::new("sesn_1"),
                    at: Some(EventId::new("sevt_2")),
                },
                "/sessions/sesn_1?at=sevt_2",
            ),
            (
                agent("agent_1", AgentTab::Settings, None),
                "/agents/agent_1",
            ),
            (
                agent("agent_1", AgentTab::Versions, Some(3)),
                "/agents/agent_1/versions?version=3",
            ),
            (Route::NewAgent, "/agents/new"),
            (Route::NewEnvironment, "/environments/new"),
            (
                Route::Vault {
                    id: VaultId::new("vlt_1"),
                },
                "/vaults/vlt_1",
            ),
            (
                Route::Search {
                    query: "a b&c".into(),
                },
                "/search?q=a%20b%26c",
            ),
        ];
        for (route, path) in cases {
            assert_eq!(route.to_path(), path);
        }
    }

    #[test]
    fn every_route_round_trips_through_its_path() {
        for route in every_kind() {
            let path = route.to_path();
            assert_eq!(Route::from_path(&path), Some(route.clone()), "{path}");
        }
    }

    #[test]
    fn ids_that_look_like_words_or_carry_odd_characters_round_trip() {
        for id in [
            "new", "settings", "versions", "a/b", "a?b", "%41", "ü", "a b",
        ] {
            for route in [
                agent(id, AgentTab::Settings, None),
                agent(id, AgentTab::Versions, None),
                Route::Environment {
                    id: EnvironmentId::new(id),
                },
                Route::Session {
                    id: SessionId::new(id),
                    at: Some(EventId::new(id)),
                },
            ] {
                let path = route.to_path();
                assert_eq!(Route::from_path(&path), Some(route), "{path}");
            }
        }
        assert_eq!(Route::from_path("/agents/new"), Some(Route::NewAgent));
    }

    #[test]
    fn lenient_and_refused_paths() {
        let cases: &[(&str, Option<Route>)] = &[
            ("#/settings", Some(Route::Settings)),
            ("/usage/", Some(Route::Usage)),
            ("/agents/", Some(Route::Agents)),
            (
                "/agents/agent_1/settings",
                Some(agent("agent_1", AgentTab::Settings, None)),
            ),
            (
                "/agents/agent_1?version=2&x=y",
                Some(agent("agent_1", AgentTab::Settings, Some(2))),
            ),
            (
                "/sessions/sesn_1?at=",
                Some(Route::Session {
                    id: "sesn_1".into(),
                    at: None,
                }),
            ),
            (
                "/search",
                Some(Route::Search {
                    query: String::new(),
                }),
            ),
            (
                "/search?q",
                Some(Route::Search {
                    query: String::new(),
                }),
            ),
            ("", None),
            ("/", None),
            ("sessions", None),
            ("/nowhere", None),
            ("/agents/agent_1/diff", None),
            ("/agents/agent_1/versions/3", None),
            ("/agents/agent_1?version=latest", None),
            ("/agents/agent_1?version=-1", None),
            ("/sessions/", Some(Route::Sessions)),
            ("/sessions//", None),
            ("/sessions/%zz", None),
            ("/sessions/%FF", None),
            ("/search?q=%", None),
        ];
        for (path, expect) in cases {
            assert_eq!(&Route::from_path(path), expect, "{path}");
        }
    }

    #[test]
    fn detail_pages_highlight_their_section() {
        assert_eq!(
            agent("agent_1", AgentTab::Versions, Some(1)).section(),
            Some(Section::Agents)
        );
        assert_eq!(Route::NewAgent.section(), Some(Section::Agents));
        assert_eq!(Route::NewEnvironment.section(), Some(Section::Environments));
        assert_eq!(
            Route::Session {
                id: "sesn_1".into(),
                at: None
            }
            .section(),
            Some(Section::Sessions)
        );
        assert_eq!(
            Route::Vault { id: "vlt_1".into() }.section(),
            Some(Section::Vaults)
        );
        assert_eq!(Route::Search { query: "x".into() }.section(), None);
        // The list pages keep the ids the end-to-end tests look for.
        for section in Section::ALL {
            assert_eq!(
                section.route().page_id(),
                format!("page-{}", section.slug())
            );
        }
    }

    #[test]
    fn a_screen_follows_tabs_events_and_search_text_without_remounting() {
        let key = |r: Route| r.screen_key();
        assert_eq!(
            key(agent("agent_1", AgentTab::Settings, None)),
            key(agent("agent_1", AgentTab::Versions, Some(2)))
        );
        assert_ne!(
            key(agent("agent_1", AgentTab::Settings, None)),
            key(agent("agent_2", AgentTab::Settings, None))
        );
        assert_eq!(
            key(Route::Session {
                id: "sesn_1".into(),
                at: None
            }),
            key(Route::Session {
                id: "sesn_1".into(),
                at: Some("sevt_1".into())
            })
        );
        assert_eq!(
            key(Route::Search { query: "a".into() }),
            key(Route::Search { query: "ab".into() })
        );
        let keys: std::collections::HashSet<String> =
            every_kind().into_iter().map(|r| r.screen_key()).collect();
        // Sessions, session×2, agents, agent×4 (one key), new agent, environments, environment,
        // new environment, vaults, vault, skills, files, settings, search×2 (one key), memory,
        // memory store, schedules, schedule, new schedule, usage.
        assert_eq!(keys.len(), 21, "{keys:?}");
    }

    #[test]
    fn history_goes_back_and_forward_like_a_browser() {
        let mut h = History::default();
        assert_eq!(h.current(), &Route::Sessions);
        assert!(!h.can_back() && !h.can_forward());
        assert!(!h.back());
        assert!(!h.forward());

        assert!(h.navigate(Route::Agents));
        assert!(h.navigate(agent("agent_1", AgentTab::Settings, None)));
        assert!(
            !h.navigate(agent("agent_1", AgentTab::Settings, None)),
            "same place: no entry"
        );
        assert_eq!(h.peek_back(), Some(&Route::Agents));

        assert!(h.back());
        assert_eq!(h.current(), &Route::Agents);
        assert!(h.can_forward());
        assert_eq!(
            h.peek_forward(),
            Some(&agent("agent_1", AgentTab::Settings, None))
        );
        assert!(h.back());
        assert_eq!(h.current(), &Route::Sessions);
        assert!(!h.can_back());
        assert!(h.forward());
        assert_eq!(h.current(), &Route::Agents);

        // Navigating from the middle drops what lay ahead.
        assert!(h.navigate(Route::Settings));
        assert!(!h.can_forward());
        assert!(h.back());
        assert_eq!(h.current(), &Route::Agents);
        assert!(h.back());
        assert_eq!(h.current(), &Route::Sessions);
    }

    #[test]
    fn replace_changes_the_current_entry_only() {
        let mut h = History::new(Route::Sessions);
        h.navigate(Route::Search { query: "a".into() });
        h.replace(Route::Search { query: "ab".into() });
        h.replace(Route::Search {
            query: "abc".into(),
        });
        assert_eq!(
            h.current(),
            &Route::Search {
                query: "abc".into()
            }
        );
        assert!(h.back());
        assert_eq!(h.current(), &Route::Sessions);
        assert!(h.forward());
        assert_eq!(
            h.current(),
            &Route::Search {
                query: "abc".into()
            }
        );
    }

    #[test]
    fn history_is_bounded() {
        let mut h = History::new(Route::Sessions);
        for i in 0..(HISTORY_MAX + 50) {
            h.navigate(Route::Vault {
                id: VaultId::new(format!("vlt_{i}")),
            });
        }
        let mut steps = 0;
        while h.back() {
            steps += 1;
        }
        assert_eq!(steps, HISTORY_MAX - 1);
        assert_eq!(
            h.current(),
            &Route::Vault {
                id: VaultId::new("vlt_50")
            }
        );
    }
}
