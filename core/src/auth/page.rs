//! The analytics pages: the unit the access policy is about.

/// One analytics page.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Page {
    Overview,
    Lines,
    AcceptRate,
    Activity,
    Spend,
    Team,
}

impl Page {
    pub const ALL: [Page; 6] = [
        Page::Overview,
        Page::Lines,
        Page::AcceptRate,
        Page::Activity,
        Page::Spend,
        Page::Team,
    ];

    /// The key used in the config's `page_roles`.
    pub fn key(self) -> &'static str {
        match self {
            Page::Overview => "overview",
            Page::Lines => "lines",
            Page::AcceptRate => "accept-rate",
            Page::Activity => "activity",
            Page::Spend => "spend",
            Page::Team => "team",
        }
    }

    /// Path relative to the router base.
    pub fn path(self) -> &'static str {
        match self {
            Page::Overview => "/",
            Page::Lines => "/lines",
            Page::AcceptRate => "/accept-rate",
            Page::Activity => "/activity",
            Page::Spend => "/spend",
            Page::Team => "/team",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Page::Overview => "Overview",
            Page::Lines => "Lines of code",
            Page::AcceptRate => "Accept rate",
            Page::Activity => "Activity",
            Page::Spend => "Spend",
            Page::Team => "Team",
        }
    }

    /// Position in [`Page::ALL`] (the declaration order).
    pub fn index(self) -> usize {
        self as usize
    }

    pub fn from_key(key: &str) -> Option<Page> {
        Page::ALL.into_iter().find(|p| p.key() == key)
    }

    pub fn from_path(path: &str) -> Option<Page> {
        let path = if path.is_empty() { "/" } else { path };
        Page::ALL.into_iter().find(|p| p.path() == path)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_and_paths_round_trip() {
        for page in Page::ALL {
            assert_eq!(Page::from_key(page.key()), Some(page));
            assert_eq!(Page::from_path(page.path()), Some(page));
        }
        assert_eq!(Page::from_path(""), Some(Page::Overview));
        assert_eq!(Page::from_key("billing"), None);
    }

    #[test]
    fn index_is_the_position_in_all() {
        for (i, page) in Page::ALL.into_iter().enumerate() {
            assert_eq!(page.index(), i);
        }
    }
}
