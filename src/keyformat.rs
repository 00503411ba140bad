//! VTEX's naming: account names, and app keys `vtexappkey-{account}-{6 uppercase letters}`.
//! Shared by the server (issuing keys), the client (keeping them readable in messages) and
//! the configuration (deriving an account from a key).

/// Length of the random part of an app key.
pub const KEY_SUFFIX_LEN: usize = 6;

/// VTEX account names are lowercase ASCII letters and digits.
pub fn is_valid_account(account: &str) -> bool {
    !account.is_empty()
        && account
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit())
}

pub fn app_key_name(account: &str, suffix: &str) -> String {
    format!("vtexappkey-{account}-{suffix}")
}

/// Whether `app_key` has VTEX's shape, and if so the account it belongs to.
pub fn app_key_account(app_key: &str) -> Option<&str> {
    let rest = app_key.strip_prefix("vtexappkey-")?;
    let (account, suffix) = rest.rsplit_once('-')?;
    let suffix_ok =
        suffix.len() == KEY_SUFFIX_LEN && suffix.chars().all(|c| c.is_ascii_uppercase());
    (is_valid_account(account) && suffix_ok).then_some(account)
}

/// A key label as the Admin accepts it: trimmed, 1–200 characters, no control characters and
/// no invisible formatting characters. The server enforces it; the app checks it before sending.
pub fn clean_label(label: &str) -> Result<String, String> {
    let label = label.trim();
    let chars = label.chars().count();
    if chars == 0 {
        return Err("The label must not be empty.".into());
    }
    if chars > 200 {
        return Err(format!(
            "The label is {chars} characters long; the limit is 200."
        ));
    }
    if label.chars().any(char::is_control) {
        return Err(
            "The label must not contain control characters (tabs, newlines, escapes).".into(),
        );
    }
    if label.chars().any(is_invisible_format) {
        return Err(
            "The label must not contain invisible formatting characters (zero-width or direction marks).".into(),
        );
    }
    Ok(label.to_string())
}

/// Unicode format characters that are invisible or reorder text: a label holding them could
/// display as something other than what it is.
fn is_invisible_format(c: char) -> bool {
    matches!(c,
        '\u{00AD}' | '\u{061C}' | '\u{180E}' | '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}'
        | '\u{2060}'..='\u{2064}' | '\u{2066}'..='\u{2069}' | '\u{FEFF}' | '\u{FFF9}'..='\u{FFFB}')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn app_key_format() {
        assert_eq!(
            app_key_account("vtexappkey-mystore-ABCDEF"),
            Some("mystore")
        );
        assert_eq!(app_key_account("vtexappkey-my-store-ABCDEF"), None);
        assert_eq!(app_key_account("vtexappkey-mystore-ABCDE"), None);
        assert_eq!(app_key_account("vtexappkey-mystore-abcdef"), None);
        assert_eq!(app_key_account("appkey-mystore-ABCDEF"), None);
        assert_eq!(app_key_name("shop", "QWERTY"), "vtexappkey-shop-QWERTY");
    }
}
