//! The sort orders of a listing, each computed once for the rows and kept: a filter then keeps
//! rows in the order it finds them instead of sorting its answer again. Ties fall back to the
//! name order (the label folded, then the appKey), so every order is total and stable.

use std::cmp::Ordering;

use super::SortBy;
use crate::search::Haystack;
use crate::vtex::model::{AppKey, ExternalKey};

/// Generated keys by label (folded, so "São" sorts with "Sao"), then appKey, then id.
pub fn key_names(keys: &[AppKey], hay: &Haystack) -> Vec<u32> {
    // The label is the haystack's first field: folded already.
    let labels: Vec<&str> = (0..keys.len()).map(|i| hay.field(i, 0)).collect();
    by_text(&labels, |a, b| {
        let (a, b) = (&keys[a as usize], &keys[b as usize]);
        a.app_key.cmp(&b.app_key).then_with(|| a.id.cmp(&b.id))
    })
}

/// Rows in the byte order of `texts`, ties by `tie`. Sorted 16 bytes at a time, each chunk read
/// as one integer (most-significant-digit first): labels that share long beginnings
/// ("Integração ERP – filial …") then cost integer comparisons, not string ones.
fn by_text(texts: &[&str], tie: impl Fn(u32, u32) -> Ordering) -> Vec<u32> {
    let mut keyed: Vec<(u128, u32)> = (0..texts.len() as u32).map(|i| (0, i)).collect();
    sort_chunks(&mut keyed, texts, 0, &tie);
    keyed.into_iter().map(|(_, i)| i).collect()
}

const CHUNK: usize = 16;

/// Sorts `run` (rows equal in their first `offset` bytes) by the chunk at `offset`, then each
/// group that ties on it by the next chunk.
fn sort_chunks(
    run: &mut [(u128, u32)],
    texts: &[&str],
    offset: usize,
    tie: &impl Fn(u32, u32) -> Ordering,
) {
    if run.len() < 2 {
        return;
    }
    if run.iter().all(|&(_, i)| texts[i as usize].len() <= offset) {
        // Every text ended: they are equal, and only the tie-breaker orders them.
        run.sort_unstable_by(|&(_, a), &(_, b)| tie(a, b));
        return;
    }
    for entry in run.iter_mut() {
        entry.0 = chunk(texts[entry.1 as usize], offset);
    }
    run.sort_unstable_by_key(|&(head, _)| head);
    let mut start = 0;
    while start < run.len() {
        let head = run[start].0;
        let end = start + run[start..].iter().take_while(|e| e.0 == head).count();
        sort_chunks(&mut run[start..end], texts, offset + CHUNK, tie);
        start = end;
    }
}

/// The 16 bytes of `text` from `offset`, big-endian, zero-padded: comparing two of them is
/// comparing those bytes (a shorter text sorts first, as no label holds a NUL byte).
fn chunk(text: &str, offset: usize) -> u128 {
    let mut bytes = [0u8; CHUNK];
    let rest = text.as_bytes().get(offset..).unwrap_or_default();
    let n = rest.len().min(CHUNK);
    bytes[..n].copy_from_slice(&rest[..n]);
    u128::from_be_bytes(bytes)
}

/// Rows by an integer key, ties in `rank` order.
fn by_number(rank: &[u32], key: impl Fn(usize) -> i64) -> Vec<u32> {
    let mut keyed: Vec<(i64, u32, u32)> = (0..rank.len())
        .map(|i| (key(i), rank[i], i as u32))
        .collect();
    keyed.sort_unstable();
    keyed.into_iter().map(|(_, _, i)| i).collect()
}

/// A date as a sortable number; no date sorts first.
fn when(date: Option<crate::vtex::time::Timestamp>) -> i64 {
    date.map_or(i64::MIN, |t| t.0.timestamp_micros())
}

/// Generated keys sorted by `by`, ties in `names` order ([`key_names`]).
pub fn keys_by(keys: &[AppKey], names: &[u32], by: SortBy) -> Vec<u32> {
    let rank = ranks(names);
    match by {
        SortBy::Name => names.to_vec(),
        SortBy::Key => {
            let app_keys: Vec<&str> = keys.iter().map(|k| k.app_key.as_str()).collect();
            by_text(&app_keys, |a, b| rank[a as usize].cmp(&rank[b as usize]))
        }
        SortBy::Created => by_number(&rank, |i| when(keys[i].created_in)),
        // Youngest token first: a later creation date is a smaller age.
        SortBy::TokenAge => by_number(&rank, |i| {
            let created = when(keys[i].creation_date_token);
            if created == i64::MIN {
                i64::MAX
            } else {
                -created
            }
        }),
        SortBy::Status => by_number(&rank, |i| i64::from(!keys[i].is_active)),
    }
}

/// External keys by owner account, then appKey, then id.
pub fn external_base(keys: &[ExternalKey]) -> Vec<u32> {
    let accounts: Vec<&str> = keys.iter().map(|k| k.account.as_str()).collect();
    by_text(&accounts, |a, b| {
        let (a, b) = (&keys[a as usize], &keys[b as usize]);
        a.app_key.cmp(&b.app_key).then_with(|| a.id.cmp(&b.id))
    })
}

/// External keys sorted by `by` (the key, the date added, the status; `Name` is the owner
/// account), ties in `base` order ([`external_base`]).
pub fn external_by(keys: &[ExternalKey], base: &[u32], by: SortBy) -> Vec<u32> {
    let rank = ranks(base);
    match by {
        SortBy::Name | SortBy::TokenAge => base.to_vec(),
        SortBy::Key => {
            let app_keys: Vec<&str> = keys.iter().map(|k| k.app_key.as_str()).collect();
            by_text(&app_keys, |a, b| rank[a as usize].cmp(&rank[b as usize]))
        }
        SortBy::Created => by_number(&rank, |i| when(keys[i].added_on)),
        SortBy::Status => by_number(&rank, |i| i64::from(!keys[i].is_active)),
    }
}

/// Each row's position in `order`.
fn ranks(order: &[u32]) -> Vec<u32> {
    let mut rank = vec![0u32; order.len()];
    for (position, &row) in order.iter().enumerate() {
        rank[row as usize] = position as u32;
    }
    rank
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Texts with long shared prefixes, prefixes of each other, equal ones and non-ASCII bytes.
    fn texts() -> Vec<String> {
        let mut texts = Vec::new();
        let mut seed = 7u64;
        for n in 0..400 {
            seed = seed
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            let tail: String = (0..(seed >> 60) as usize)
                .map(|k| ["a", "b", "ç", "-", " "][((seed >> (k * 3)) % 5) as usize])
                .collect();
            texts.push(format!("vtexappkey-shop-integracao erp {tail}{}", n % 7));
        }
        texts.push("vtexappkey-shop-".into());
        texts.push("vtexappkey-shop-integracao erp ".into());
        texts
    }

    #[test]
    fn sorting_by_text_is_byte_order_then_the_tie_breaker() {
        let owned = texts();
        let texts: Vec<&str> = owned.iter().map(String::as_str).collect();
        let sorted = by_text(&texts, |a, b| b.cmp(&a));
        let mut expected: Vec<u32> = (0..texts.len() as u32).collect();
        expected.sort_by(|&a, &b| texts[a as usize].cmp(texts[b as usize]).then(b.cmp(&a)));
        assert_eq!(sorted, expected);
    }

    #[test]
    fn sorting_by_number_breaks_ties_by_rank() {
        let rank = [3, 0, 2, 1];
        assert_eq!(by_number(&rank, |i| [5, 1, 1, 5][i]), [1, 2, 3, 0]);
    }
}
