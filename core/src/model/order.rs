//! The app's one stable sort.
//!
//! `slice::sort_by` is compiled once per element and comparator type, and each
//! copy of the standard library's sort is kilobytes of wasm. Sorting indices
//! through a `dyn` comparator compiles the sort once, whatever is sorted.

use std::cmp::Ordering;

/// The indices `0..len` in stable ascending order of `cmp`.
pub fn stable_order(len: usize, cmp: &dyn Fn(usize, usize) -> Ordering) -> Vec<usize> {
    let mut order: Vec<usize> = (0..len).collect();
    order.sort_by(|&a, &b| cmp(a, b));
    order
}

/// Sorts `indices` (e.g. the rows passing a filter) stably by `cmp`.
pub fn sort_indices(indices: &mut [usize], cmp: &dyn Fn(usize, usize) -> Ordering) {
    let order = stable_order(indices.len(), &|a, b| cmp(indices[a], indices[b]));
    let sorted: Vec<usize> = order.into_iter().map(|i| indices[i]).collect();
    indices.copy_from_slice(&sorted);
}

/// Sorts `items` stably by `cmp`, like `slice::sort_by`.
pub fn sort_by<T>(items: &mut Vec<T>, cmp: impl Fn(&T, &T) -> Ordering) {
    let order = stable_order(items.len(), &|a, b| cmp(&items[a], &items[b]));
    let mut slots: Vec<Option<T>> = items.drain(..).map(Some).collect();
    items.extend(
        order
            .into_iter()
            .filter_map(|i| slots.get_mut(i).and_then(Option::take)),
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sorts_like_the_standard_stable_sort() {
        let mut items = vec![(3, 'a'), (1, 'b'), (3, 'c'), (2, 'd'), (1, 'e')];
        let mut expected = items.clone();
        expected.sort_by_key(|item| item.0);
        sort_by(&mut items, |a, b| a.0.cmp(&b.0));
        assert_eq!(items, expected);
        assert_eq!(items, [(1, 'b'), (1, 'e'), (2, 'd'), (3, 'a'), (3, 'c')]);
    }

    #[test]
    fn sorts_a_subset_of_indices() {
        let keys = [5, 1, 4, 1, 3];
        let mut indices = vec![0, 2, 3, 4];
        sort_indices(&mut indices, &|a, b| keys[a].cmp(&keys[b]));
        assert_eq!(indices, [3, 4, 2, 0]);
    }

    #[test]
    fn empty_and_single() {
        let mut empty: Vec<u8> = Vec::new();
        sort_by(&mut empty, |a, b| a.cmp(b));
        assert!(empty.is_empty());
        assert_eq!(stable_order(1, &|_, _| Ordering::Equal), [0]);
    }
}
