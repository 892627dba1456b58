//! One table: which roles may see which page. The host may narrow it per
//! page in the config, never widen it.

use std::fmt;

use crate::auth::page::Page;
use crate::auth::role::Role;

/// Roles that see analytics by default (the product's documented list).
pub const ANALYTICS_ROLES: [Role; 5] = [
    Role::PrimaryOwner,
    Role::Owner,
    Role::Billing,
    Role::Admin,
    Role::Developer,
];

/// Something in `page_roles` that was ignored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PolicyWarning {
    /// The override named a role the default does not allow on that page.
    WideningIgnored {
        page: Page,
        role: Role,
    },
    UnknownPage(String),
    UnknownRole {
        page: Page,
        role: String,
    },
}

impl fmt::Display for PolicyWarning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PolicyWarning::WideningIgnored { page, role } => write!(
                f,
                "page_roles.{}: {} may not see this page by default; the config can only narrow access, so it was ignored",
                page.key(),
                role.label()
            ),
            PolicyWarning::UnknownPage(key) => {
                write!(f, "page_roles: unknown page “{key}” ignored")
            }
            PolicyWarning::UnknownRole { page, role } => {
                write!(f, "page_roles.{}: unknown role “{role}” ignored", page.key())
            }
        }
    }
}

/// Page overrides from the config: page key → role wire names.
pub type PageRoles = [(String, Vec<String>)];

/// A set of known roles: bit `i` is `Role::KNOWN[i]`. `Unknown` roles are
/// never in a set (deny by default).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
struct RoleSet(u16);

impl RoleSet {
    fn of(roles: &[Role]) -> RoleSet {
        let mut set = RoleSet::default();
        for role in roles {
            set.insert(role);
        }
        set
    }

    fn insert(&mut self, role: &Role) {
        if let Some(i) = role.known_index() {
            self.0 |= 1 << i;
        }
    }

    fn contains(self, role: &Role) -> bool {
        role.known_index().is_some_and(|i| self.0 & (1 << i) != 0)
    }
}

/// Page → roles allowed: one set per page, indexed like `Page::ALL`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Policy {
    allowed: [RoleSet; Page::ALL.len()],
}

impl Default for Policy {
    fn default() -> Self {
        Policy {
            allowed: [RoleSet::of(&ANALYTICS_ROLES); Page::ALL.len()],
        }
    }
}

impl Policy {
    /// The default narrowed by the config's `page_roles`.
    pub fn with_overrides(overrides: &PageRoles) -> (Policy, Vec<PolicyWarning>) {
        let default = Policy::default();
        let mut policy = default.clone();
        let mut warnings = Vec::new();
        for (key, names) in overrides {
            let Some(page) = Page::from_key(key) else {
                warnings.push(PolicyWarning::UnknownPage(key.chars().take(100).collect()));
                continue;
            };
            let mut narrowed = RoleSet::default();
            for name in names {
                let role = Role::from_wire(name);
                if let Role::Unknown(raw) = role {
                    warnings.push(PolicyWarning::UnknownRole { page, role: raw });
                } else if default.allows(&role, page) {
                    narrowed.insert(&role);
                } else {
                    warnings.push(PolicyWarning::WideningIgnored { page, role });
                }
            }
            policy.allowed[page.index()] = narrowed;
        }
        (policy, warnings)
    }

    pub fn allows(&self, role: &Role, page: Page) -> bool {
        self.allowed[page.index()].contains(role)
    }

    /// The pages this role may see, in navigation order.
    pub fn visible_pages(&self, role: &Role) -> Vec<Page> {
        Page::ALL
            .into_iter()
            .filter(|p| self.allows(role, *p))
            .collect()
    }

    pub fn has_any_access(&self, role: &Role) -> bool {
        !self.visible_pages(role).is_empty()
    }

    /// The roles that may see a page, in the UI's role order.
    pub fn roles_for(&self, page: Page) -> Vec<Role> {
        Role::KNOWN
            .into_iter()
            .filter(|r| self.allows(r, page))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn overrides(pairs: &[(&str, &[&str])]) -> Vec<(String, Vec<String>)> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.iter().map(|s| s.to_string()).collect()))
            .collect()
    }

    #[test]
    fn default_matrix_for_all_roles_and_pages() {
        let policy = Policy::default();
        let mut roles: Vec<Role> = Role::KNOWN.to_vec();
        roles.push(Role::Unknown("intern".into()));
        for role in &roles {
            let expected = matches!(
                role,
                Role::PrimaryOwner | Role::Owner | Role::Billing | Role::Admin | Role::Developer
            );
            for page in Page::ALL {
                assert_eq!(policy.allows(role, page), expected, "{role:?} on {page:?}");
            }
            assert_eq!(policy.has_any_access(role), expected);
        }
        assert_eq!(policy.roles_for(Page::Team), ANALYTICS_ROLES.to_vec());
    }

    #[test]
    fn narrowing_spend_and_team_to_owners_and_billing() {
        let (policy, warnings) = Policy::with_overrides(&overrides(&[
            ("spend", &["primary_owner", "owner", "billing"]),
            ("team", &["primary_owner", "owner", "billing"]),
        ]));
        assert!(warnings.is_empty());
        assert!(policy.allows(&Role::Billing, Page::Spend));
        assert!(!policy.allows(&Role::Developer, Page::Spend));
        assert!(!policy.allows(&Role::Admin, Page::Team));
        assert!(policy.allows(&Role::Admin, Page::Lines));
        assert_eq!(
            policy.visible_pages(&Role::Developer),
            vec![
                Page::Overview,
                Page::Lines,
                Page::AcceptRate,
                Page::Activity
            ]
        );
        assert_eq!(
            policy.roles_for(Page::Spend),
            vec![Role::PrimaryOwner, Role::Owner, Role::Billing]
        );
    }

    #[test]
    fn widening_is_ignored_and_reported() {
        let (policy, warnings) = Policy::with_overrides(&overrides(&[
            ("lines", &["owner", "user", "superuser"]),
            ("bogus", &["owner"]),
        ]));
        assert!(!policy.allows(&Role::User, Page::Lines));
        assert!(policy.allows(&Role::Owner, Page::Lines));
        assert!(!policy.allows(&Role::Admin, Page::Lines));
        assert_eq!(
            warnings,
            vec![
                PolicyWarning::WideningIgnored {
                    page: Page::Lines,
                    role: Role::User
                },
                PolicyWarning::UnknownRole {
                    page: Page::Lines,
                    role: "superuser".into()
                },
                PolicyWarning::UnknownPage("bogus".into()),
            ]
        );
        assert!(warnings[0].to_string().contains("can only narrow"));
    }
}
