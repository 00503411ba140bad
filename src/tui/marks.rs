//! Rows marked with Space (k9s), for the bulk actions. Kept per row of the pane's list, so
//! drawing a row and counting the marks the filter hides are cheap at 100 000 keys; carried
//! over to a fresh listing by key id, so a refresh, a filter or a sort keeps them.

use std::collections::HashSet;

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Marks {
    /// One flag per row of the list (shorter when the last rows were never marked).
    rows: Vec<bool>,
    count: usize,
    /// Rows marked one by one, latest last (at most `ANCHORS`): Ctrl-Space marks from the
    /// latest still marked to the selected row.
    anchors: Vec<usize>,
}

/// Rows remembered for Ctrl-Space: enough to step back over a few unmarks.
const ANCHORS: usize = 64;

impl Marks {
    pub fn len(&self) -> usize {
        self.count
    }

    pub fn is_empty(&self) -> bool {
        self.count == 0
    }

    pub fn contains(&self, row: usize) -> bool {
        self.rows.get(row).copied().unwrap_or(false)
    }

    /// The row a range starts from: the latest row marked one by one that is still marked.
    pub fn anchor(&self) -> Option<usize> {
        self.anchors
            .iter()
            .rev()
            .copied()
            .find(|&row| self.contains(row))
    }

    fn remember(&mut self, row: usize) {
        self.anchors.retain(|&kept| kept != row);
        if self.anchors.len() == ANCHORS {
            self.anchors.remove(0);
        }
        self.anchors.push(row);
    }

    /// Marks `row` (a range starts from it next), or unmarks it (a range then starts from
    /// the row marked before it, if still marked).
    pub fn toggle(&mut self, row: usize) {
        let marked = self.contains(row);
        self.set(row, !marked);
        if !marked {
            self.remember(row);
        }
    }

    pub fn mark(&mut self, row: usize) {
        self.set(row, true);
    }

    pub fn unmark(&mut self, row: usize) {
        self.set(row, false);
    }

    /// Marks every row of `rows` (e.g. all the filter shows); the anchor stays.
    pub fn mark_all(&mut self, rows: impl IntoIterator<Item = usize>) {
        for row in rows {
            self.set(row, true);
        }
    }

    /// Marks the rows of `shown` (a list's rows in display order) from the anchor to
    /// `selected`, both included; the selected row alone when the anchor is not shown.
    pub fn mark_range(&mut self, shown: &[usize], selected: usize) {
        let Some(to) = shown.iter().position(|&row| row == selected) else {
            return;
        };
        let from = self
            .anchor()
            .and_then(|anchor| shown.iter().position(|&row| row == anchor))
            .unwrap_or(to);
        let (low, high) = (from.min(to), from.max(to));
        self.mark_all(shown[low..=high].iter().copied());
        self.remember(selected);
    }

    pub fn clear(&mut self) {
        *self = Marks::default();
    }

    /// The marked rows, in row order.
    pub fn rows(&self) -> impl Iterator<Item = usize> + '_ {
        self.rows
            .iter()
            .enumerate()
            .filter(|(_, marked)| **marked)
            .map(|(row, _)| row)
    }

    /// How many marked rows are not among `shown` (the filter hides them).
    pub fn hidden(&self, shown: &[usize]) -> usize {
        if self.count == 0 {
            return 0;
        }
        let visible = shown.iter().filter(|&&row| self.contains(row)).count();
        self.count - visible
    }

    /// The same keys marked in a fresh list: `id` names a row's key in both lists. Marks of
    /// keys the new list no longer has are dropped.
    pub fn carry_over<T>(&mut self, old: &[T], new: &[T], id: impl Fn(&T) -> &str) {
        if self.count == 0 {
            self.anchors.clear();
            return;
        }
        let marked: HashSet<&str> = self
            .rows()
            .filter_map(|row| old.get(row))
            .map(&id)
            .collect();
        let anchors: Vec<&str> = (self.anchors.iter())
            .filter_map(|&row| old.get(row))
            .map(&id)
            .collect();
        let mut moved: Vec<(usize, usize)> = Vec::new();
        let mut carried = Marks::default();
        for (row, key) in new.iter().enumerate() {
            let key_id = id(key);
            if marked.contains(key_id) {
                carried.mark(row);
            }
            if let Some(order) = anchors.iter().position(|&anchor| anchor == key_id) {
                moved.push((order, row));
            }
        }
        moved.sort_unstable();
        carried.anchors = moved.into_iter().map(|(_, row)| row).collect();
        *self = carried;
    }

    fn set(&mut self, row: usize, marked: bool) {
        if self.rows.len() <= row {
            if !marked {
                return;
            }
            self.rows.resize(row + 1, false);
        }
        if self.rows[row] != marked {
            self.rows[row] = marked;
            if marked {
                self.count += 1;
            } else {
                self.count -= 1;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn toggling_marks_and_unmarks_and_counts() {
        let mut marks = Marks::default();
        marks.toggle(3);
        marks.toggle(5);
        assert_eq!(
            (marks.len(), marks.contains(3), marks.contains(4)),
            (2, true, false)
        );
        marks.toggle(3);
        assert_eq!(marks.rows().collect::<Vec<_>>(), vec![5]);
        assert_eq!(marks.anchor(), Some(5), "unmarking 3 left the anchor on 5");
        marks.toggle(3);
        marks.toggle(3);
        assert_eq!(
            marks.anchor(),
            Some(5),
            "back to the row marked before, still marked"
        );
        marks.toggle(5);
        assert_eq!(
            marks.anchor(),
            None,
            "a range never starts from an unmarked row"
        );
    }

    #[test]
    fn a_range_runs_from_the_anchor_in_display_order_either_way() {
        let shown = [7, 2, 9, 4, 1];
        let mut marks = Marks::default();
        marks.toggle(2);
        marks.mark_range(&shown, 4); // 2, 9, 4
        assert_eq!(marks.rows().collect::<Vec<_>>(), vec![2, 4, 9]);
        marks.mark_range(&shown, 7); // from 4 back up to 7
        assert_eq!(marks.rows().collect::<Vec<_>>(), vec![2, 4, 7, 9]);
        let mut fresh = Marks::default();
        fresh.mark_range(&shown, 9); // no anchor: the selected row alone
        assert_eq!(fresh.rows().collect::<Vec<_>>(), vec![9]);
    }

    #[test]
    fn a_range_starts_from_the_latest_row_still_marked() {
        let mut marks = Marks::default();
        marks.toggle(1);
        marks.toggle(4);
        marks.unmark(4); // a finished run unmarks what went through
        assert_eq!(marks.anchor(), Some(1));
        marks.mark_range(&[1, 2, 3, 4], 3);
        assert_eq!(
            marks.rows().collect::<Vec<_>>(),
            vec![1, 2, 3],
            "from row 1, not 4"
        );
        marks.clear();
        marks.mark_all([0, 1]);
        assert_eq!(marks.anchor(), None, "marking all marks no row one by one");
    }

    #[test]
    fn hidden_counts_the_marks_the_filter_leaves_out() {
        let mut marks = Marks::default();
        marks.mark_all([0, 1, 2, 3]);
        assert_eq!(marks.hidden(&[1, 3, 5]), 2);
        assert_eq!(marks.hidden(&[]), 4);
    }

    #[test]
    fn marks_follow_their_keys_into_a_fresh_list() {
        let old = ["a", "b", "c", "d"];
        let new = ["d", "x", "b"];
        let mut marks = Marks::default();
        marks.toggle(1); // b
        marks.toggle(2); // c: gone from the new list
        marks.toggle(3); // d, the anchor
        marks.carry_over(&old, &new, |k| k);
        assert_eq!(marks.rows().collect::<Vec<_>>(), vec![0, 2]);
        assert_eq!((marks.len(), marks.anchor()), (2, Some(0)));
    }
}
