//! [`Name`]: a string that repeats across records, held once.
//!
//! Every record repeats a handful of strings: its actor's email or key name,
//! the organization, customer, subscription and terminal types, each tool's
//! key, each model and currency. As `String`s that was 17 allocations per
//! record (what it cost: docs/benchmarks.md). Decoding interns them instead,
//! so 2,700 records of 45 people share 45 emails.

use std::borrow::Borrow;
use std::cell::RefCell;
use std::fmt;
use std::ops::Deref;
use std::sync::Arc;

use rustc_hash::FxHashSet;
use serde::de::{self, Deserializer, Visitor};
use serde::{Deserialize, Serialize, Serializer};

/// A shared, immutable string; compares, hashes and orders as its text.
/// `Arc` rather than `Rc` so that values holding one may live in signals
/// (which want `Send + Sync`); on wasm there are no threads to pay for it.
#[derive(Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Name(Arc<str>);

/// Interned names are forgotten past this many, so a hostile answer full of
/// distinct strings cannot grow the table without bound (values already
/// handed out stay valid; only sharing is lost).
const INTERNED_MAX: usize = 4_096;

thread_local! {
    static INTERNED: RefCell<FxHashSet<Arc<str>>> = RefCell::new(FxHashSet::default());
}

impl Name {
    /// The shared copy of `text`, made on first sight.
    pub fn interned(text: &str) -> Name {
        INTERNED.with(|table| {
            let mut table = table.borrow_mut();
            if let Some(shared) = table.get(text) {
                return Name(Arc::clone(shared));
            }
            if table.len() >= INTERNED_MAX {
                table.clear();
            }
            let shared: Arc<str> = Arc::from(text);
            table.insert(Arc::clone(&shared));
            Name(shared)
        })
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl Deref for Name {
    type Target = str;

    fn deref(&self) -> &str {
        &self.0
    }
}

impl AsRef<str> for Name {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

impl Borrow<str> for Name {
    fn borrow(&self) -> &str {
        &self.0
    }
}

impl From<&str> for Name {
    fn from(text: &str) -> Self {
        Name::interned(text)
    }
}

impl From<String> for Name {
    fn from(text: String) -> Self {
        Name::interned(&text)
    }
}

impl PartialEq<str> for Name {
    fn eq(&self, other: &str) -> bool {
        &*self.0 == other
    }
}

impl PartialEq<&str> for Name {
    fn eq(&self, other: &&str) -> bool {
        &*self.0 == *other
    }
}

impl fmt::Display for Name {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl fmt::Debug for Name {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&*self.0, f)
    }
}

impl Serialize for Name {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.0)
    }
}

impl<'de> Deserialize<'de> for Name {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_str(NameVisitor)
    }
}

struct NameVisitor;

impl Visitor<'_> for NameVisitor {
    type Value = Name;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a string")
    }

    fn visit_str<E: de::Error>(self, text: &str) -> Result<Name, E> {
        Ok(Name::interned(text))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn equal_texts_share_one_allocation() {
        let a = Name::interned("dev@example.com");
        let b: Name = serde_json::from_str(r#""dev@example.com""#).unwrap();
        let c = Name::from(String::from("dev@example.com"));
        assert!(Arc::ptr_eq(&a.0, &b.0) && Arc::ptr_eq(&a.0, &c.0));
        assert_eq!(a, "dev@example.com");
        assert_ne!(a, Name::interned("ops@example.com"));
    }

    #[test]
    fn escaped_strings_decode_to_their_text() {
        let name: Name = serde_json::from_str(r#""a\"b\u00e9""#).unwrap();
        assert_eq!(name.as_str(), "a\"bé");
        assert_eq!(serde_json::to_string(&name).unwrap(), r#""a\"bé""#);
        assert!(serde_json::from_str::<Name>("3").is_err());
    }

    #[test]
    fn behaves_as_its_text_in_maps_and_order() {
        let mut map = std::collections::BTreeMap::new();
        map.insert(Name::interned("write_tool"), 1);
        map.insert(Name::interned("edit_tool"), 2);
        assert_eq!(map.get("edit_tool"), Some(&2));
        let keys: Vec<&str> = map.keys().map(Name::as_str).collect();
        assert_eq!(keys, ["edit_tool", "write_tool"]);
        assert_eq!(
            format!("{} {:?}", map.keys().next().unwrap(), "x"),
            "edit_tool \"x\""
        );
    }

    #[test]
    fn the_table_is_bounded_and_names_outlive_it() {
        let first = Name::interned("name-0");
        for i in 0..INTERNED_MAX + 10 {
            let _ = Name::interned(&format!("name-{i}"));
        }
        INTERNED.with(|t| assert!(t.borrow().len() <= INTERNED_MAX));
        assert_eq!(first.as_str(), "name-0");
    }
}
