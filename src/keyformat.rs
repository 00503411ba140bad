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
/// no invisible formatting characters (emoji sequences keep their joiners). The server
/// enforces it; the app checks it before sending.
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
    let chars: Vec<char> = label.chars().collect();
    let hidden =
        (0..chars.len()).any(|at| is_invisible_format(chars[at]) && !is_part_of_emoji(&chars, at));
    if hidden {
        return Err(
            "The label must not contain invisible formatting characters (zero-width or direction marks).".into(),
        );
    }
    Ok(label.to_string())
}

/// Invisible characters that could make a label display as something other than what it is:
/// every Unicode format character (zero-width spaces, direction marks and overrides, the BOM…)
/// and the blank Hangul fillers. Two exceptions keep emoji whole: a zero-width joiner between
/// two emoji (👩‍💻, 🏳️‍🌈) and the tags of a subdivision flag (🏴󠁧󠁢󠁳󠁣󠁴󠁿).
fn is_invisible_format(c: char) -> bool {
    use icu_properties::CodePointMapData;
    use icu_properties::props::GeneralCategory;
    CodePointMapData::<GeneralCategory>::new().get(c) == GeneralCategory::Format
        || matches!(c, '\u{115F}' | '\u{1160}' | '\u{3164}' | '\u{FFA0}')
}

const ZERO_WIDTH_JOINER: char = '\u{200D}';
const BLACK_FLAG: char = '\u{1F3F4}';
const CANCEL_TAG: char = '\u{E007F}';

/// Whether the format character at `at` is one of the two kinds that belong to an emoji.
fn is_part_of_emoji(chars: &[char], at: usize) -> bool {
    match chars[at] {
        ZERO_WIDTH_JOINER => joins_two_emoji(chars, at),
        '\u{E0020}'..='\u{E007F}' => in_flag_tag_sequence(chars, at),
        _ => false,
    }
}

/// An emoji (with its modifiers) before, an emoji right after.
fn joins_two_emoji(chars: &[char], at: usize) -> bool {
    let before = chars[..at]
        .iter()
        .rev()
        .find(|c| !is_emoji_modifier(**c))
        .is_some_and(|c| is_pictographic(*c));
    before && chars.get(at + 1).is_some_and(|c| is_pictographic(*c))
}

/// U+1F3F4, tag letters, the cancel tag: the flags of England, Scotland, Wales.
fn in_flag_tag_sequence(chars: &[char], at: usize) -> bool {
    let is_letter = |c: &char| ('\u{E0020}'..='\u{E007E}').contains(c);
    // The run of tag letters holding `at` (or ending just before the cancel tag at `at`).
    let end = if chars[at] == CANCEL_TAG {
        at
    } else {
        at + chars[at..].iter().take_while(|c| is_letter(c)).count()
    };
    let letters = chars[..end]
        .iter()
        .rev()
        .take_while(|c| is_letter(c))
        .count();
    let start = end - letters;
    letters > 0
        && start > 0
        && chars[start - 1] == BLACK_FLAG
        && chars.get(end) == Some(&CANCEL_TAG)
}

/// What may sit between an emoji and its joiner: the emoji presentation selector and the skin tones.
fn is_emoji_modifier(c: char) -> bool {
    matches!(c, '\u{FE0F}' | '\u{1F3FB}'..='\u{1F3FF}')
}

fn is_pictographic(c: char) -> bool {
    use icu_properties::CodePointSetData;
    use icu_properties::props::ExtendedPictographic;
    CodePointSetData::new::<ExtendedPictographic>().contains(c)
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

    #[test]
    fn emoji_sequences_keep_their_joiners_and_tags() {
        for label in [
            "👩\u{200D}💻 dev",
            "🏳\u{FE0F}\u{200D}🌈",
            "👨🏽\u{200D}🚀 ops",
            "🏴\u{200D}☠\u{FE0F}",
            "👨\u{200D}👩\u{200D}👧\u{200D}👦",
            "🏴\u{E0067}\u{E0062}\u{E0073}\u{E0063}\u{E0074}\u{E007F} Scotland",
            "🇧🇷 Brasil",
        ] {
            assert_eq!(clean_label(label).as_deref(), Ok(label), "{label:?}");
        }
    }

    #[test]
    fn invisible_characters_are_refused_even_next_to_emoji() {
        for label in [
            "\u{200D}👩",
            "👩\u{200D}",
            "👩\u{200D} x",
            "a\u{200D}b",
            "👩\u{200D}\u{200D}💻",
            "pay\u{200B}ment",
            "\u{FEFF}bom",
            "abc\u{202E}fdp.exe",
            "👩\u{202A}💻",
            "x\u{2066}y\u{2069}",
            "soft\u{00AD}hyphen",
            "word\u{2060}joiner",
            "a\u{E0067}b",
            "🏴\u{E0067}\u{E0062}",
            "\u{E007F}",
            "\u{3164}",
        ] {
            assert!(clean_label(label).is_err(), "{label:?} was accepted");
        }
    }
}
