//! The roles file of proxy mode: which console role each signed-in email
//! has, by exact address or by whole domain.
//!
//! ```toml
//! [emails]
//! "boss@corp.example" = "owner"
//! [domains]
//! "eng.example" = "developer"
//! ```
//!
//! An email rule wins over a domain rule; anyone matched by neither has no
//! access. A role name the console does not have is a startup error naming
//! its line, not a silently denied viewer.

use std::collections::BTreeMap;
use std::path::Path;

use cca::auth::role::Role;
use serde::Deserialize;
use toml::Spanned;

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RolesFile {
    /// Lowercased email → role.
    emails: BTreeMap<String, Role>,
    /// Lowercased domain → role.
    domains: BTreeMap<String, Role>,
}

#[derive(Debug, thiserror::Error)]
pub enum RolesError {
    #[error("cannot read the roles file {path}: {source}")]
    Read {
        path: String,
        source: std::io::Error,
    },
    #[error("the roles file {path} is not valid: {message}")]
    Syntax { path: String, message: String },
    #[error("the roles file {path}, line {line}: unknown role “{role}” (roles: {known})")]
    UnknownRole {
        path: String,
        line: usize,
        role: String,
        known: String,
    },
    #[error("the roles file {path}, line {line}: “{key}” is not {expected}")]
    BadKey {
        path: String,
        line: usize,
        key: String,
        expected: &'static str,
    },
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Raw {
    #[serde(default)]
    emails: BTreeMap<Spanned<String>, Spanned<String>>,
    #[serde(default)]
    domains: BTreeMap<Spanned<String>, Spanned<String>>,
}

impl RolesFile {
    pub fn load(path: &Path) -> Result<Self, RolesError> {
        let text = std::fs::read_to_string(path).map_err(|source| RolesError::Read {
            path: path.display().to_string(),
            source,
        })?;
        RolesFile::parse(&text, &path.display().to_string())
    }

    /// Parses the file's text; `path` only names it in errors.
    pub fn parse(text: &str, path: &str) -> Result<Self, RolesError> {
        let raw: Raw = toml::from_str(text).map_err(|e| RolesError::Syntax {
            path: path.to_owned(),
            message: e.to_string().trim().replace('\n', " "),
        })?;
        let line_of = |offset: usize| text.get(..offset).map_or(0, |t| t.matches('\n').count()) + 1;
        let role_of = |value: &Spanned<String>| -> Result<Role, RolesError> {
            match Role::from_wire(value.get_ref()) {
                Role::Unknown(name) => Err(RolesError::UnknownRole {
                    path: path.to_owned(),
                    line: line_of(value.span().start),
                    role: name,
                    known: Role::KNOWN.map(|r| r.wire_name().to_owned()).join(", "),
                }),
                role => Ok(role),
            }
        };
        let key_of = |key: &Spanned<String>, is_email: bool| -> Result<String, RolesError> {
            let text = key.get_ref().trim().to_ascii_lowercase();
            let at_signs = text.matches('@').count();
            let ok = !text.is_empty()
                && !text.contains(char::is_whitespace)
                && if is_email {
                    at_signs == 1 && !text.starts_with('@') && !text.ends_with('@')
                } else {
                    at_signs == 0
                };
            if ok {
                Ok(text)
            } else {
                Err(RolesError::BadKey {
                    path: path.to_owned(),
                    line: line_of(key.span().start),
                    key: key.get_ref().chars().take(100).collect(),
                    expected: if is_email {
                        "an email address"
                    } else {
                        "a domain (no @)"
                    },
                })
            }
        };
        let mut roles = RolesFile::default();
        for (key, value) in &raw.emails {
            roles.emails.insert(key_of(key, true)?, role_of(value)?);
        }
        for (key, value) in &raw.domains {
            roles.domains.insert(key_of(key, false)?, role_of(value)?);
        }
        Ok(roles)
    }

    /// The role of a signed-in email: its own rule, else its domain's, else
    /// none (no access). Matching ignores ASCII case; a domain rule covers
    /// exactly that domain, not its subdomains.
    pub fn role_of(&self, email: &str) -> Option<Role> {
        let email = email.trim().to_ascii_lowercase();
        if let Some(role) = self.emails.get(&email) {
            return Some(role.clone());
        }
        let (_, domain) = email.rsplit_once('@')?;
        self.domains.get(domain).cloned()
    }

    pub fn len(&self) -> usize {
        self.emails.len() + self.domains.len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const FILE: &str = r#"
[emails]
"boss@corp.example" = "owner"
"Intern@Eng.Example" = "user"

[domains]
"eng.example" = "developer"
"#;

    #[test]
    fn an_email_rule_wins_over_its_domain() {
        let roles = RolesFile::parse(FILE, "roles.toml").unwrap();
        assert_eq!(roles.role_of("boss@corp.example"), Some(Role::Owner));
        assert_eq!(roles.role_of("dev@eng.example"), Some(Role::Developer));
        assert_eq!(roles.role_of("intern@eng.example"), Some(Role::User));
        assert_eq!(roles.role_of("DEV@ENG.EXAMPLE"), Some(Role::Developer));
        assert_eq!(roles.role_of("someone@corp.example"), None);
        assert_eq!(roles.role_of("dev@sub.eng.example"), None);
        assert_eq!(roles.role_of("not-an-email"), None);
    }

    #[test]
    fn an_unknown_role_names_its_line() {
        let text = "[emails]\n\"a@x.example\" = \"owner\"\n\"b@x.example\" = \"superuser\"\n";
        let error = RolesFile::parse(text, "roles.toml").unwrap_err();
        let message = error.to_string();
        assert!(message.contains("line 3"), "{message}");
        assert!(message.contains("superuser"), "{message}");
        assert!(message.contains("primary_owner"), "{message}");
    }

    #[test]
    fn bad_keys_and_sections_are_refused() {
        assert!(RolesFile::parse("[emails]\n\"nobody\" = \"owner\"\n", "r").is_err());
        assert!(RolesFile::parse("[domains]\n\"a@b\" = \"owner\"\n", "r").is_err());
        assert!(RolesFile::parse("[users]\n\"a@b.c\" = \"owner\"\n", "r").is_err());
        assert!(RolesFile::parse("[emails]\n\"a@b.c\" = 3\n", "r").is_err());
        assert!(RolesFile::parse("", "r").unwrap().is_empty());
    }
}
