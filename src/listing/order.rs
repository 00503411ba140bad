//! The sort orders of a listing, each computed once for the rows and kept: a filter then keeps
//! rows in the order it finds them instead of sorting its answer again. Ties fall back to the
//! name order (the label folded, then the appKey), so every order is total and stable.

use std::cmp::Reverse;

use super::SortBy;
use crate::search::Haystack;
use crate::vtex::model::{AppKey, ExternalKey};

/// Generated keys by label (folded, so "São" sorts with "Sao"), then appKey, then id.
pub fn key_names(keys: &[AppKey], hay: &Haystack) -> Vec<u32> {
    // The label is the haystack's first field: folded already.
    let labels: Vec<&str> = (0..keys.len()).map(|i| hay.field(i, 0)).collect();
    let mut order: Vec<u32> = (0..keys.len() as u32).collect();
    order.sort_unstable_by(|&a, &b| {
        let (a, b) = (a as usize, b as usize);
        labels[a]
            .cmp(labels[b])
            .then_with(|| keys[a].app_key.cmp(&keys[b].app_key))
            .then_with(|| keys[a].id.cmp(&keys[b].id))
    });
    order
}

/// Generated keys sorted by `by`, ties in `names` order ([`key_names`]).
pub fn keys_by(keys: &[AppKey], names: &[u32], by: SortBy) -> Vec<u32> {
    let rank = ranks(names);
    let mut order = names.to_vec();
    match by {
        SortBy::Name => {}
        SortBy::Key => order.sort_unstable_by(|&a, &b| {
            let (a, b) = (a as usize, b as usize);
            keys[a]
                .app_key
                .cmp(&keys[b].app_key)
                .then(rank[a].cmp(&rank[b]))
        }),
        SortBy::Created => {
            order.sort_unstable_by_key(|&i| (keys[i as usize].created_in, rank[i as usize]))
        }
        // Youngest token first: a later creation date is a smaller age.
        SortBy::TokenAge => order.sort_unstable_by_key(|&i| {
            let key = &keys[i as usize];
            (Reverse(key.creation_date_token), rank[i as usize])
        }),
        SortBy::Status => {
            order.sort_unstable_by_key(|&i| (Reverse(keys[i as usize].is_active), rank[i as usize]))
        }
    }
    order
}

/// External keys by owner account, then appKey, then id.
pub fn external_base(keys: &[ExternalKey]) -> Vec<u32> {
    let mut order: Vec<u32> = (0..keys.len() as u32).collect();
    order.sort_unstable_by(|&a, &b| {
        let (a, b) = (&keys[a as usize], &keys[b as usize]);
        a.account
            .cmp(&b.account)
            .then_with(|| a.app_key.cmp(&b.app_key))
            .then_with(|| a.id.cmp(&b.id))
    });
    order
}

/// External keys sorted by `by` (the key, the date added, the status; `Name` is the owner
/// account), ties in `base` order ([`external_base`]).
pub fn external_by(keys: &[ExternalKey], base: &[u32], by: SortBy) -> Vec<u32> {
    let rank = ranks(base);
    let mut order = base.to_vec();
    match by {
        SortBy::Name | SortBy::TokenAge => {}
        SortBy::Key => order.sort_unstable_by(|&a, &b| {
            let (a, b) = (a as usize, b as usize);
            keys[a]
                .app_key
                .cmp(&keys[b].app_key)
                .then(rank[a].cmp(&rank[b]))
        }),
        SortBy::Created => {
            order.sort_unstable_by_key(|&i| (keys[i as usize].added_on, rank[i as usize]))
        }
        SortBy::Status => {
            order.sort_unstable_by_key(|&i| (Reverse(keys[i as usize].is_active), rank[i as usize]))
        }
    }
    order
}

/// Each row's position in `order`.
fn ranks(order: &[u32]) -> Vec<u32> {
    let mut rank = vec![0u32; order.len()];
    for (position, &row) in order.iter().enumerate() {
        rank[row as usize] = position as u32;
    }
    rank
}
