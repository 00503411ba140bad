//! Key names and tokens in VTEX's formats, drawn from the OS CSPRNG, and the hash we store.

use secrecy::{ExposeSecret, SecretString};
use sha2::{Digest, Sha256};

/// Length of an app token: 100 uppercase letters, about 470 bits.
pub const TOKEN_LEN: usize = 100;

/// `len` uppercase ASCII letters, uniformly distributed (rejection sampling, no modulo bias).
pub fn random_letters(len: usize) -> String {
    // 234 = 9 * 26: bytes at or above it are dropped so each letter is equally likely.
    const LIMIT: u8 = 234;
    let mut out = String::with_capacity(len);
    let mut buf = [0u8; 128];
    while out.len() < len {
        getrandom::fill(&mut buf).expect("the operating system's random source failed");
        for &byte in buf.iter().filter(|&&b| b < LIMIT) {
            if out.len() == len {
                break;
            }
            out.push(char::from(b'A' + byte % 26));
        }
    }
    out
}

pub fn new_token() -> SecretString {
    SecretString::from(random_letters(TOKEN_LEN))
}

/// SHA-256 of a token. Tokens are long and random, so a fast unsalted hash is the right
/// tool: it makes lookup by hash possible and leaks nothing useful.
pub fn token_hash(token: &SecretString) -> Vec<u8> {
    Sha256::digest(token.expose_secret().as_bytes()).to_vec()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_have_vtex_shape() {
        let token = new_token();
        let text = token.expose_secret();
        assert_eq!(text.len(), TOKEN_LEN);
        assert!(text.chars().all(|c| c.is_ascii_uppercase()));
        assert_ne!(text, new_token().expose_secret());
    }
}
