//! Organization roles as the console sends them.

use std::fmt;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// A member's role. Anything this app does not know is `Unknown` and is
/// denied everything (deny by default).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Role {
    PrimaryOwner,
    Owner,
    Billing,
    Admin,
    Developer,
    User,
    ClaudeCodeUser,
    MembershipAdmin,
    Unknown(String),
}

impl Role {
    /// Every known role, in the order the UI lists them.
    pub const KNOWN: [Role; 8] = [
        Role::PrimaryOwner,
        Role::Owner,
        Role::Billing,
        Role::Admin,
        Role::Developer,
        Role::User,
        Role::ClaudeCodeUser,
        Role::MembershipAdmin,
    ];

    /// Position in [`Role::KNOWN`]; `None` for an unknown role.
    pub fn known_index(&self) -> Option<usize> {
        Role::KNOWN.iter().position(|known| known == self)
    }

    /// Parses a wire name; exact lowercase names only.
    pub fn from_wire(name: &str) -> Role {
        match name {
            "primary_owner" => Role::PrimaryOwner,
            "owner" => Role::Owner,
            "billing" => Role::Billing,
            "admin" => Role::Admin,
            "developer" => Role::Developer,
            "user" => Role::User,
            "claude_code_user" => Role::ClaudeCodeUser,
            "membership_admin" => Role::MembershipAdmin,
            other => Role::Unknown(other.chars().take(100).collect()),
        }
    }

    pub fn wire_name(&self) -> &str {
        match self {
            Role::PrimaryOwner => "primary_owner",
            Role::Owner => "owner",
            Role::Billing => "billing",
            Role::Admin => "admin",
            Role::Developer => "developer",
            Role::User => "user",
            Role::ClaudeCodeUser => "claude_code_user",
            Role::MembershipAdmin => "membership_admin",
            Role::Unknown(name) => name,
        }
    }

    /// What the UI calls the role.
    pub fn label(&self) -> String {
        match self {
            Role::PrimaryOwner => "Primary Owner".to_owned(),
            Role::Owner => "Owner".to_owned(),
            Role::Billing => "Billing".to_owned(),
            Role::Admin => "Admin".to_owned(),
            Role::Developer => "Developer".to_owned(),
            Role::User => "User".to_owned(),
            Role::ClaudeCodeUser => "Claude Code User".to_owned(),
            Role::MembershipAdmin => "Membership Admin".to_owned(),
            Role::Unknown(name) if name.is_empty() => "an unknown role".to_owned(),
            Role::Unknown(name) => format!("an unknown role (“{name}”)"),
        }
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.label())
    }
}

impl Serialize for Role {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.wire_name())
    }
}

impl<'de> Deserialize<'de> for Role {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let name = <std::borrow::Cow<'de, str>>::deserialize(d)?;
        Ok(Role::from_wire(&name))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wire_names_round_trip() {
        for role in Role::KNOWN {
            assert_eq!(Role::from_wire(role.wire_name()), role);
        }
        assert_eq!(Role::from_wire("Owner"), Role::Unknown("Owner".into()));
        assert_eq!(Role::from_wire(""), Role::Unknown(String::new()));
    }

    #[test]
    fn known_index_is_the_position_in_known() {
        for (i, role) in Role::KNOWN.into_iter().enumerate() {
            assert_eq!(role.known_index(), Some(i));
        }
        assert_eq!(Role::Unknown("owner ".into()).known_index(), None);
    }

    #[test]
    fn labels() {
        assert_eq!(Role::PrimaryOwner.label(), "Primary Owner");
        assert_eq!(Role::ClaudeCodeUser.label(), "Claude Code User");
        assert_eq!(Role::MembershipAdmin.label(), "Membership Admin");
        assert_eq!(
            Role::from_wire("intern").label(),
            "an unknown role (“intern”)"
        );
    }

    #[test]
    fn serde_uses_wire_names() {
        let role: Role = serde_json::from_str("\"billing\"").unwrap();
        assert_eq!(role, Role::Billing);
        assert_eq!(
            serde_json::to_string(&Role::ClaudeCodeUser).unwrap(),
            "\"claude_code_user\""
        );
    }
}
