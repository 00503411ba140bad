//! A big listing decoded on two threads. 100 000 keys are ~34 MB of JSON and ~130 ms of
//! decoding on one core, on the way to the app's first frame; split at an item boundary near
//! the middle, the two halves decode at once.
//!
//! The boundary is found by the bytes that start an item: `},{"id":"`. Inside a JSON string
//! a quote is always escaped, so those bytes cannot come from a label; a role's id is a
//! number, so a role cannot match either. If the guess is wrong anyway (a server ordering
//! its fields differently, or an answer that is not what it seems), a half fails to decode
//! and the whole body is decoded as one, which gives the same answer or the same error.

use serde::de::DeserializeOwned;

/// Below this, one thread is as quick as two.
const SPLIT_FROM_BYTES: usize = 1 << 20;

/// The bytes between two items of a listing: the end of one, the start of the next.
const ITEM_BOUNDARY: &[u8] = br#"},{"id":""#;

/// Decodes a JSON array, as `decode` does, in two halves when the body is big.
pub fn decode_array<T, E>(
    mut body: Vec<u8>,
    decode: impl Fn(&[u8]) -> Result<Vec<T>, E> + Sync,
) -> Result<Vec<T>, E>
where
    T: DeserializeOwned + Send,
    E: Send,
{
    let Some(end_of_first) = split_point(&body) else {
        return decode(&body);
    };
    // The first half ends where the boundary's comma was; the second starts a new array.
    let mut second = Vec::with_capacity(body.len() - end_of_first);
    second.push(b'[');
    second.extend_from_slice(&body[end_of_first + 2..]);
    body[end_of_first + 1] = b']';
    let first = &body[..end_of_first + 2];
    let (first, second_half) = std::thread::scope(|scope| {
        let later = scope.spawn(|| decode(&second));
        (decode(first), later.join())
    });
    match (first, second_half) {
        (Ok(mut keys), Ok(Ok(rest))) => {
            keys.extend(rest);
            Ok(keys)
        }
        // Not two arrays after all: put the body back and decode it whole.
        _ => {
            body.truncate(end_of_first + 1);
            body.push(b',');
            body.extend_from_slice(&second[1..]);
            decode(&body)
        }
    }
}

/// Where the `}` of the item boundary nearest after the middle is, in a big array.
fn split_point(body: &[u8]) -> Option<usize> {
    if body.len() < SPLIT_FROM_BYTES
        || body.iter().find(|b| !b.is_ascii_whitespace()) != Some(&b'[')
    {
        return None;
    }
    let middle = body.len() / 2;
    body[middle..]
        .windows(ITEM_BOUNDARY.len())
        .position(|window| window == ITEM_BOUNDARY)
        .map(|at| middle + at)
}

#[cfg(test)]
mod tests {
    use serde::Deserialize;

    use super::*;

    #[derive(Debug, PartialEq, Deserialize)]
    struct Item {
        id: String,
        label: String,
        roles: Vec<Role>,
    }

    #[derive(Debug, PartialEq, Deserialize)]
    struct Role {
        id: i64,
    }

    fn whole(body: &[u8]) -> Result<Vec<Item>, String> {
        serde_json::from_slice(body).map_err(|err| err.to_string())
    }

    /// A listing big enough to be split, with labels that look like item boundaries.
    fn listing(count: usize) -> Vec<u8> {
        let items: Vec<String> = (0..count)
            .map(|n| {
                format!(
                    r#"{{"id":"{n:08}","label":"tricky }},{{\"id\":\"{n}\" and }},{{","roles":[{{"id":1}},{{"id":2}}]}}"#
                )
            })
            .collect();
        format!("[{}]", items.join(",")).into_bytes()
    }

    #[test]
    fn halves_give_what_one_pass_gives() {
        let body = listing(20_000);
        assert!(body.len() > SPLIT_FROM_BYTES && split_point(&body).is_some());
        let expected = whole(&body).unwrap();
        assert_eq!(decode_array(body, whole).unwrap(), expected);
        assert_eq!(expected.len(), 20_000);
    }

    #[test]
    fn small_or_not_an_array_is_decoded_whole() {
        assert_eq!(split_point(&listing(3)), None);
        let mut object = b"{\"items\":".to_vec();
        object.extend(listing(20_000));
        object.push(b'}');
        assert_eq!(split_point(&object), None);
    }

    #[test]
    fn a_broken_body_fails_as_it_would_whole() {
        let mut body = listing(20_000);
        let broken_at = body.len() - 40;
        body[broken_at] = b'@';
        let expected = whole(&body).unwrap_err();
        assert_eq!(decode_array(body, whole).unwrap_err(), expected);
    }

    #[test]
    fn a_wrong_guess_still_decodes() {
        // Fields in another order: the boundary bytes start a role, not an item.
        let items: Vec<String> = (0..40_000)
            .map(|n| format!(r#"{{"roles":[{{"id":"r{n}"}},{{"id":"s"}}],"n":{n}}}"#))
            .collect();
        let body = format!("[{}]", items.join(",")).into_bytes();
        #[derive(Debug, PartialEq, Deserialize)]
        struct Other {
            n: u32,
        }
        let decode = |b: &[u8]| serde_json::from_slice::<Vec<Other>>(b).map_err(|e| e.to_string());
        assert!(split_point(&body).is_some());
        let expected = decode(&body).unwrap();
        assert_eq!(decode_array(body, decode).unwrap(), expected);
    }
}
