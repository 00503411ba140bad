//! A value the view derives from the whole account, kept between frames: the app draws every
//! turn of its loop, and walking 100 000 keys on each would cost more than the frame. Computed
//! again when the key (a hash of what the value depends on) changes.

/// The last value and the key it was computed for. A `Mutex` because views draw from `&State`.
#[derive(Debug)]
pub struct Memo<T>(std::sync::Mutex<Option<(u64, T)>>);

impl<T> Default for Memo<T> {
    fn default() -> Self {
        Memo(std::sync::Mutex::new(None))
    }
}

impl<T: Copy> Memo<T> {
    pub fn get_or_compute(&self, key: u64, compute: impl FnOnce() -> T) -> T {
        let mut kept = self.0.lock().unwrap_or_else(|p| p.into_inner());
        match *kept {
            Some((at, value)) if at == key => value,
            _ => {
                let value = compute();
                *kept = Some((key, value));
                value
            }
        }
    }
}

/// A key for [`Memo`] from anything hashable.
pub fn key_of(parts: impl std::hash::Hash) -> u64 {
    use std::hash::Hasher;
    let mut hash = std::collections::hash_map::DefaultHasher::new();
    parts.hash(&mut hash);
    hash.finish()
}
