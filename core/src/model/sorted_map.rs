//! [`SortedMap`]: a map with a handful of string keys, kept as a sorted vector.

/// String key → value, keys unique and sorted, so it iterates like a
/// `BTreeMap`. The maps it serves are small (a day names four or five tools
/// and one or two currencies), where a binary search over a vector is as quick
/// as a B-tree, and one small generic type costs the wasm far less code than
/// the B-tree's node handling for each value type.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SortedMap<V>(Vec<(String, V)>);

impl<V> Default for SortedMap<V> {
    fn default() -> Self {
        SortedMap(Vec::new())
    }
}

impl<V> SortedMap<V> {
    pub fn new() -> Self {
        Self::default()
    }

    /// Where `key` is (`Ok`), or where it would go (`Err`).
    fn search(&self, key: &str) -> Result<usize, usize> {
        self.0.binary_search_by(|(k, _)| k.as_str().cmp(key))
    }

    pub fn get(&self, key: &str) -> Option<&V> {
        self.search(key).ok().map(|i| &self.0[i].1)
    }

    /// `key`'s value, inserting `make()` first if `key` is new (the key is
    /// copied only then).
    pub fn get_or_insert_with(&mut self, key: &str, make: impl FnOnce() -> V) -> &mut V {
        let i = match self.search(key) {
            Ok(i) => i,
            Err(i) => {
                self.0.insert(i, (key.to_owned(), make()));
                i
            }
        };
        &mut self.0[i].1
    }

    /// `(key, value)` in key order.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &V)> {
        self.0.iter().map(|(k, v)| (k.as_str(), v))
    }

    pub fn keys(&self) -> impl Iterator<Item = &str> {
        self.0.iter().map(|(k, _)| k.as_str())
    }

    pub fn len(&self) -> usize {
        self.0.len()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_keys_unique_and_in_order() {
        let mut map = SortedMap::new();
        for (key, n) in [("write", 1), ("edit", 2), ("zz", 3), ("edit", 4), ("", 5)] {
            *map.get_or_insert_with(key, || 0) += n;
        }
        let entries: Vec<_> = map.iter().map(|(k, v)| (k, *v)).collect();
        assert_eq!(entries, [("", 5), ("edit", 6), ("write", 1), ("zz", 3)]);
        assert_eq!(map.keys().collect::<Vec<_>>(), ["", "edit", "write", "zz"]);
        assert_eq!(map.len(), 4);
        assert_eq!(map.get("edit"), Some(&6));
        assert_eq!(map.get("Edit"), None);
    }

    #[test]
    fn iterates_like_a_btree_map() {
        let keys = ["b", "a", "ab", "B", "é", "a", "", "ba", "Z", "b"];
        let mut map = SortedMap::new();
        let mut reference = std::collections::BTreeMap::new();
        for (n, key) in keys.iter().enumerate() {
            *map.get_or_insert_with(key, || 0) += n;
            *reference.entry(key.to_string()).or_insert(0) += n;
        }
        let ours: Vec<_> = map.iter().map(|(k, v)| (k.to_owned(), *v)).collect();
        let theirs: Vec<_> = reference.into_iter().collect();
        assert_eq!(ours, theirs);
    }

    #[test]
    fn empty() {
        let map: SortedMap<u64> = SortedMap::new();
        assert!(map.is_empty() && map.get("x").is_none() && map.iter().next().is_none());
    }
}
