//! Every row's searchable text, folded once when the list arrives, in one contiguous string:
//! a keystroke then scans memory in order instead of folding 100 000 labels again. Each row also
//! keeps a 64-bit summary of the bytes it holds, so most rows a needle cannot be in are skipped
//! without looking at their text.

use super::fold::fold_into;

/// Between a row's fields: no query can hold it, so no needle matches across two fields.
pub const FIELD_SEPARATOR: char = '\n';

#[derive(Clone, Default)]
pub struct Haystack {
    text: String,
    /// Where each row starts in `text`; one more entry than rows, for the last row's end.
    /// (u32: 4 GB of folded text is far beyond any account.)
    starts: Vec<u32>,
    masks: Vec<u64>,
}

impl std::fmt::Debug for Haystack {
    // Thousands of rows of folded text help no one reading a Debug dump.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Haystack")
            .field("rows", &self.len())
            .field("bytes", &self.text.len())
            .finish()
    }
}

impl Haystack {
    /// Folds each row's fields (in the order given, the first one first).
    pub fn build<'a, Row, Fields>(rows: Row) -> Haystack
    where
        Row: ExactSizeIterator<Item = Fields>,
        Fields: IntoIterator<Item = &'a str>,
    {
        let mut hay = Haystack {
            // A label, an appKey and a role or two: a guess that saves most regrowing.
            text: String::with_capacity(rows.len() * 96),
            starts: Vec::with_capacity(rows.len() + 1),
            masks: Vec::with_capacity(rows.len()),
        };
        hay.starts.push(0);
        for fields in rows {
            let start = hay.text.len();
            for (n, field) in fields.into_iter().enumerate() {
                if n > 0 {
                    hay.text.push(FIELD_SEPARATOR);
                }
                fold_into(field, &mut hay.text);
            }
            hay.masks.push(mask_of(&hay.text.as_bytes()[start..]));
            // Rows end with a separator too, so a scan of the whole text never finds a needle
            // across two rows.
            hay.text.push(FIELD_SEPARATOR);
            hay.starts.push(offset(hay.text.len()));
        }
        hay.text.shrink_to_fit();
        hay
    }

    pub fn len(&self) -> usize {
        self.masks.len()
    }

    pub fn is_empty(&self) -> bool {
        self.masks.is_empty()
    }

    /// Row `i`'s folded fields, separated by [`FIELD_SEPARATOR`] (one ends the row).
    pub fn row(&self, i: usize) -> &str {
        &self.text[self.starts[i] as usize..self.starts[i + 1] as usize]
    }

    /// The rows `finder` finds its needle in, from one pass over the whole text: cheaper than
    /// a search per row when most rows are candidates.
    pub fn rows_containing(&self, finder: &memchr::memmem::Finder<'_>) -> RowSet {
        let mut rows = RowSet::empty(self.len());
        let mut row = 0;
        for hit in finder.find_iter(self.text.as_bytes()) {
            // Hits come in order: the row only moves forward.
            while self.starts[row + 1] as usize <= hit {
                row += 1;
            }
            rows.insert(row as u32);
        }
        rows
    }

    /// Field `n` of row `i`, folded (empty when the row has fewer fields).
    pub fn field(&self, i: usize, n: usize) -> &str {
        self.row(i).split(FIELD_SEPARATOR).nth(n).unwrap_or("")
    }

    /// Row `i`'s byte summary ([`mask_of`]).
    pub fn mask(&self, i: usize) -> u64 {
        self.masks[i]
    }
}

/// Membership of row indices, one bit each.
pub struct RowSet(Vec<u64>);

impl RowSet {
    pub fn empty(len: usize) -> RowSet {
        RowSet(vec![0u64; len.div_ceil(64)])
    }

    pub fn of(rows: &[u32], len: usize) -> RowSet {
        let mut set = RowSet::empty(len);
        rows.iter().for_each(|&i| set.insert(i));
        set
    }

    pub fn insert(&mut self, i: u32) {
        self.0[i as usize / 64] |= 1 << (i % 64);
    }

    pub fn has(&self, i: u32) -> bool {
        self.0
            .get(i as usize / 64)
            .is_some_and(|word| word & (1 << (i % 64)) != 0)
    }
}

fn offset(len: usize) -> u32 {
    u32::try_from(len).expect("the folded text of a listing fits in 4 GB")
}

/// One bit per letter and digit, and the other bytes spread over the remaining 28 bits: if a
/// needle's mask is not within a row's, the needle is not in the row.
pub fn mask_of(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0, |mask, &b| mask | 1 << bit_of(b))
}

/// Whether byte `b` has a bit of its own in [`mask_of`] (no other byte sets it).
pub fn has_own_bit(b: u8) -> bool {
    b.is_ascii_lowercase() || b.is_ascii_digit()
}

fn bit_of(b: u8) -> u32 {
    match b {
        b'a'..=b'z' => u32::from(b - b'a'),
        b'0'..=b'9' => 26 + u32::from(b - b'0'),
        _ => 36 + u32::from(b) % 28,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_keep_their_folded_fields_apart() {
        let hay = Haystack::build(
            [
                vec!["Integração ERP", "vtexappkey-shop-ABC"],
                vec!["São Paulo"],
            ]
            .into_iter(),
        );
        assert_eq!(hay.len(), 2);
        assert_eq!(hay.row(0), "integracao erp\nvtexappkey-shop-abc\n");
        assert_eq!(hay.field(0, 1), "vtexappkey-shop-abc");
        assert_eq!(hay.field(1, 0), "sao paulo");
        assert_eq!(hay.field(1, 3), "");
    }

    #[test]
    fn one_scan_finds_the_rows_holding_a_needle_and_never_across_two() {
        let hay = Haystack::build([vec!["erp sao"], vec!["paulo erp"], vec!["x"]].into_iter());
        let rows = |needle: &str| {
            let set = hay.rows_containing(&memchr::memmem::Finder::new(needle));
            (0..3).filter(|&i| set.has(i)).collect::<Vec<_>>()
        };
        assert_eq!(rows("erp"), [0, 1]);
        assert_eq!(rows("saopaulo"), Vec::<u32>::new());
        assert_eq!(rows("x"), [2]);
    }

    #[test]
    fn a_mask_holds_every_byte_of_its_row() {
        let hay = Haystack::build([vec!["erp 42"]].into_iter());
        let row = hay.mask(0);
        for needle in ["erp", "42", "p 4", "r"] {
            let need = mask_of(needle.as_bytes());
            assert_eq!(row & need, need, "{needle}");
        }
        assert_ne!(row & mask_of(b"x"), mask_of(b"x"));
    }
}
