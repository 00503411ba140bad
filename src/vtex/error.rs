//! Client errors a UI can act on. Every message is safe to show: it never holds a token.

use std::time::Duration;

use reqwest::StatusCode;

#[derive(Debug, thiserror::Error)]
pub enum ClientError {
    #[error("not authorized (401): {message} Check the app key and token.")]
    Unauthorized { message: String },
    #[error("{}", forbidden_text(.permission, .message))]
    Forbidden {
        /// The permission the operation needs, as the Admin names it.
        permission: Option<&'static str>,
        message: String,
    },
    #[error("not found (404): {message}")]
    NotFound { message: String },
    #[error("conflict (409): {message}")]
    Conflict { message: String },
    #[error("{}", rate_limited_text(.retry_after, .message))]
    RateLimited {
        retry_after: Option<Duration>,
        message: String,
    },
    #[error("the request was refused ({status}): {message}")]
    Rejected { status: StatusCode, message: String },
    #[error("the server failed ({status}): {message}")]
    Server { status: StatusCode, message: String },
    #[error("cannot reach {url}: {detail}")]
    Network { url: String, detail: String },
    #[error("no answer from {url} within {}s; the server or the network is slow — try again", .after.as_secs_f32())]
    Timeout { url: String, after: Duration },
    #[error(
        "{from} redirected the request to another server, {to}; apikeys did not follow it, so the \
         app key and token were not sent there. If {to} is the right server, use it as the base URL."
    )]
    CrossOriginRedirect { from: String, to: String },
    #[error(
        "the answer from {url} is larger than {}, far more than any account needs; apikeys stopped \
         reading it. Check that the base URL points at the VTEX API.", size_text(*.limit)
    )]
    TooLarge { url: String, limit: usize },
    #[error("the server's answer could not be read ({detail}); it began: {excerpt:?}")]
    Malformed { detail: String, excerpt: String },
    /// A rule of VTEX's that the request would break; nothing was changed.
    #[error("{rule}")]
    Rule { rule: &'static str },
    #[error(
        "{feature} needs the apikeys server extension, which this server does not offer (it speaks only VTEX's public API)"
    )]
    ExtensionUnavailable { feature: &'static str },
}

/// "64 MiB", or a byte count when the limit is not whole mebibytes.
fn size_text(bytes: usize) -> String {
    const MIB: usize = 1024 * 1024;
    if bytes >= MIB && bytes.is_multiple_of(MIB) {
        format!("{} MiB", bytes / MIB)
    } else {
        format!("{bytes} bytes")
    }
}

fn forbidden_text(permission: &Option<&'static str>, message: &str) -> String {
    match permission {
        Some(permission) => {
            format!("forbidden (403): this key lacks the \"{permission}\" permission. {message}")
        }
        None => format!("forbidden (403): {message}"),
    }
}

fn rate_limited_text(retry_after: &Option<Duration>, message: &str) -> String {
    match retry_after {
        Some(after) => format!(
            "rate limited (429): {message} Retry after {}s.",
            after.as_secs()
        ),
        None => format!("rate limited (429): {message}"),
    }
}

/// VTEX's token-rotation guide: a key is renewed with a valid key other than itself.
pub const SELF_RENEWAL_RULE: &str = "A key cannot renew its own token: renew this key while signed in with another key that holds Renew API Token.";

impl ClientError {
    /// Errors worth retrying for a read: the network, a server failure, rate limiting.
    pub fn is_transient(&self) -> bool {
        matches!(
            self,
            ClientError::Network { .. }
                | ClientError::Server { .. }
                | ClientError::RateLimited { .. }
        )
    }
}

/// Replaces every run of token-like characters (letters, digits, `-_.+/=`) that could be a
/// secret with "…", so text from a server or a parser can be shown without leaking one.
/// App keys and ids stay: they name things and are not secret.
pub fn redact(text: &str) -> String {
    let mut out = String::new();
    let mut run = String::new();
    let flush = |run: &mut String, out: &mut String| {
        if could_be_secret(run) {
            out.push('…');
        } else {
            out.push_str(run);
        }
        run.clear();
    };
    for c in text.chars() {
        if c.is_alphanumeric() || "-_.+/=".contains(c) {
            run.push(c);
        } else {
            flush(&mut run, &mut out);
            out.push(if c.is_control() { ' ' } else { c });
        }
    }
    flush(&mut run, &mut out);
    out
}

fn could_be_secret(run: &str) -> bool {
    // Trailing punctuation belongs to the sentence, not to the word.
    let word = run.trim_end_matches(['.', '=']);
    if crate::keyformat::app_key_account(word).is_some() || uuid::Uuid::parse_str(word).is_ok() {
        return false;
    }
    let len = word.chars().count();
    // VTEX tokens are 100 uppercase letters; JWTs and other tokens are long runs.
    len > 24 || (len > 12 && word.chars().all(|c| c.is_ascii_uppercase()))
}

/// A short, token-free excerpt of an answer for error messages: at most 80 characters.
pub fn safe_excerpt(body: &[u8]) -> String {
    let text = String::from_utf8_lossy(&body[..body.len().min(1024)]);
    redact(&text).trim().chars().take(80).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn excerpts_never_hold_long_secrets() {
        let token = "A".repeat(100);
        let body = format!("<html>oops {token} and more</html>");
        let excerpt = safe_excerpt(body.as_bytes());
        assert!(!excerpt.contains(&token[..13]));
        assert!(excerpt.contains("oops"));
        assert!(safe_excerpt(&vec![b'x'; 5000]).chars().count() <= 80);
        let named = redact("vtexappkey-acme-ABCDEF already has a renewed token pending.");
        assert_eq!(
            named,
            "vtexappkey-acme-ABCDEF already has a renewed token pending."
        );
        assert_eq!(
            redact("lacks \"EditApiKeysSettings\"."),
            "lacks \"EditApiKeysSettings\"."
        );
        assert_eq!(redact("eyJhbGciOiJFUzI1NiIsImtpZCI6IjA1.eyJzdWIiOiJw"), "…");
    }
}
