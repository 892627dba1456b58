//! The organization's Admin API key. It controls the whole organization, so
//! it lives in a type that cannot be printed: `Debug` and `Display` say
//! `[redacted]`, and the only way to the text is [`AdminKey::header_value`],
//! which marks the header sensitive (hyper then keeps it out of HPACK tables
//! and debug output).

use std::fmt;
use std::path::Path;

use reqwest::header::HeaderValue;

#[derive(Clone, PartialEq, Eq)]
pub struct AdminKey(String);

/// Why a key could not be read.
#[derive(Debug, thiserror::Error)]
pub enum KeyError {
    #[error("cannot read the admin key file {path}: {source}")]
    Read {
        path: String,
        source: std::io::Error,
    },
    // Never echo the text: it may be most of a key.
    #[error("the admin key {from} is empty or has characters a header cannot carry")]
    Invalid { from: String },
}

impl AdminKey {
    /// A key from text (an environment variable or a file's content), trimmed.
    pub fn new(text: &str, from: &str) -> Result<Self, KeyError> {
        let key = text.trim();
        let valid = !key.is_empty() && key.bytes().all(|b| b.is_ascii_graphic());
        if valid {
            Ok(AdminKey(key.to_owned()))
        } else {
            Err(KeyError::Invalid {
                from: from.to_owned(),
            })
        }
    }

    pub fn from_file(path: &Path) -> Result<Self, KeyError> {
        let text = std::fs::read_to_string(path).map_err(|source| KeyError::Read {
            path: path.display().to_string(),
            source,
        })?;
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(path).map(|m| m.permissions().mode());
            if mode.is_ok_and(|mode| mode & 0o077 != 0) {
                // Worth saying, not worth refusing: the operator may have reasons.
                tracing::warn!(file = %path.display(), "the admin key file is readable by other users; chmod 600 it");
            }
        }
        AdminKey::new(&text, &format!("in {}", path.display()))
    }

    /// The `x-api-key` header value, marked sensitive.
    pub fn header_value(&self) -> Option<HeaderValue> {
        let mut value = HeaderValue::from_str(&self.0).ok()?;
        value.set_sensitive(true);
        Some(value)
    }

    /// A short fingerprint that names the organization's cache entries
    /// without storing the key: the first 16 hex digits of its SHA-256.
    pub fn fingerprint(&self) -> String {
        use sha2::{Digest, Sha256};
        let digest = Sha256::digest(self.0.as_bytes());
        digest.iter().take(8).map(|b| format!("{b:02x}")).collect()
    }

    /// For tests that scan output for the key.
    #[doc(hidden)]
    pub fn expose_for_tests(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for AdminKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("AdminKey([redacted])")
    }
}

impl fmt::Display for AdminKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("[redacted]")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn never_printed() {
        let key = AdminKey::new(" sk-ant-admin01-secret\n", "test").unwrap();
        assert_eq!(format!("{key}"), "[redacted]");
        assert!(!format!("{key:?}").contains("secret"));
        assert!(key.header_value().unwrap().is_sensitive());
        assert_eq!(key.fingerprint().len(), 16);
        assert!(!key.fingerprint().contains("secret"));
    }

    #[test]
    fn empty_or_unprintable_keys_are_refused_without_echo() {
        assert!(AdminKey::new("  \n", "test").is_err());
        let error = AdminKey::new("sk-ant\u{7}secret", "test").unwrap_err();
        assert!(!error.to_string().contains("secret"));
    }
}
