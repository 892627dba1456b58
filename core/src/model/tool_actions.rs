//! [`ToolActions`]: a record's accept/reject decisions per tool.

use std::fmt;
use std::ops::Index;

use serde::de::{Deserializer, MapAccess, Visitor};
use serde::ser::{SerializeMap, Serializer};
use serde::{Deserialize, Serialize};

use crate::model::name::Name;
use crate::model::record::ToolAction;

/// Tool key → decisions, keys unique and sorted (it iterates like the
/// `BTreeMap` it replaces). A sorted vector because a record names four or
/// five tools: a `BTreeMap` node has room for eleven, about 300 bytes per
/// record on wasm32 instead of about 100, and one more allocation.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ToolActions(Vec<(Name, ToolAction)>);

impl ToolActions {
    pub fn new() -> Self {
        ToolActions(Vec::new())
    }

    /// Where `key` is (`Ok`), or where it would go (`Err`).
    fn search(&self, key: &str) -> Result<usize, usize> {
        self.0.binary_search_by(|(k, _)| k.as_str().cmp(key))
    }

    /// Sets `key`'s decisions; returns the ones it replaces.
    pub fn insert(&mut self, key: Name, action: ToolAction) -> Option<ToolAction> {
        match self.search(&key) {
            Ok(i) => Some(std::mem::replace(&mut self.0[i].1, action)),
            Err(i) => {
                self.0.insert(i, (key, action));
                None
            }
        }
    }

    pub fn get(&self, key: &str) -> Option<&ToolAction> {
        self.search(key).ok().map(|i| &self.0[i].1)
    }

    pub fn contains_key(&self, key: &str) -> bool {
        self.get(key).is_some()
    }

    pub fn len(&self) -> usize {
        self.0.len()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Entries in key order.
    pub fn iter(&self) -> impl Iterator<Item = (&Name, &ToolAction)> {
        self.into_iter()
    }

    pub fn values(&self) -> impl Iterator<Item = &ToolAction> {
        self.0.iter().map(|(_, v)| v)
    }
}

impl Index<&str> for ToolActions {
    type Output = ToolAction;

    /// Like a map's index: panics when `key` is absent (for tests; code
    /// reading data uses [`ToolActions::get`]).
    fn index(&self, key: &str) -> &ToolAction {
        match self.get(key) {
            Some(action) => action,
            None => panic!("no tool action for {key:?}"),
        }
    }
}

impl<'a> IntoIterator for &'a ToolActions {
    type Item = (&'a Name, &'a ToolAction);
    type IntoIter = std::iter::Map<
        std::slice::Iter<'a, (Name, ToolAction)>,
        fn(&'a (Name, ToolAction)) -> (&'a Name, &'a ToolAction),
    >;

    fn into_iter(self) -> Self::IntoIter {
        self.0.iter().map(|(k, v)| (k, v))
    }
}

impl<K: Into<Name>> FromIterator<(K, ToolAction)> for ToolActions {
    fn from_iter<I: IntoIterator<Item = (K, ToolAction)>>(entries: I) -> Self {
        let mut actions = ToolActions::new();
        for (key, action) in entries {
            actions.insert(key.into(), action);
        }
        actions
    }
}

impl Serialize for ToolActions {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(self.0.len()))?;
        for (key, action) in &self.0 {
            map.serialize_entry(key, action)?;
        }
        map.end()
    }
}

impl<'de> Deserialize<'de> for ToolActions {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_map(ToolActionsVisitor)
    }
}

struct ToolActionsVisitor;

impl<'de> Visitor<'de> for ToolActionsVisitor {
    type Value = ToolActions;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a map of tool names to accepted/rejected counts")
    }

    /// A key given twice keeps its last value, as a map would.
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<ToolActions, A::Error> {
        let mut actions = ToolActions(Vec::with_capacity(map.size_hint().unwrap_or(4).min(16)));
        while let Some((key, action)) = map.next_entry::<Name, ToolAction>()? {
            actions.insert(key, action);
        }
        Ok(actions)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn action(accepted: u64, rejected: u64) -> ToolAction {
        ToolAction { accepted, rejected }
    }

    #[test]
    fn keys_stay_sorted_and_unique() {
        let mut actions = ToolActions::new();
        assert_eq!(actions.insert("write_tool".into(), action(1, 0)), None);
        assert_eq!(actions.insert("edit_tool".into(), action(2, 1)), None);
        assert_eq!(
            actions.insert("write_tool".into(), action(5, 5)),
            Some(action(1, 0))
        );
        let keys: Vec<&str> = actions.iter().map(|(k, _)| k.as_str()).collect();
        assert_eq!(keys, ["edit_tool", "write_tool"]);
        assert_eq!(actions.len(), 2);
        assert_eq!(actions["write_tool"], action(5, 5));
        assert_eq!(actions.get("notebook_edit_tool"), None);
        assert!(actions.contains_key("edit_tool") && !actions.is_empty());
        assert_eq!(actions.values().map(|a| a.accepted).sum::<u64>(), 7);
    }

    #[test]
    fn decodes_and_encodes_as_a_json_object() {
        let json = r#"{"write_tool":{"accepted":1,"rejected":0},"edit_tool":{"accepted":2,"rejected":1},"write_tool":{"accepted":3,"rejected":4}}"#;
        let actions: ToolActions = serde_json::from_str(json).unwrap();
        assert_eq!(
            actions,
            [("edit_tool", action(2, 1)), ("write_tool", action(3, 4))]
                .into_iter()
                .collect()
        );
        assert_eq!(
            serde_json::to_string(&actions).unwrap(),
            r#"{"edit_tool":{"accepted":2,"rejected":1},"write_tool":{"accepted":3,"rejected":4}}"#
        );
        assert!(serde_json::from_str::<ToolActions>("[]").is_err());
        assert!(
            serde_json::from_str::<ToolActions>(r#"{"e":{"accepted":-1,"rejected":0}}"#).is_err()
        );
    }
}
