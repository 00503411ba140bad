//! Folding: the one way text and queries are made comparable, so `integracao`, `INTEGRAÇÃO` and a
//! decomposed `Integração` are the same word. Compatibility decomposition (NFKD: `ﬁ` → `fi`, a
//! full-width `Ａ` → `A`, a no-break space → a space), combining marks dropped (the accents of
//! Portuguese and Spanish, `ñ` → `n`), then lower case. Latin letters with no decomposition that a
//! user would still type without their stroke (`ø`, `ł`, `đ`, `ß`, `æ`, `œ`) and the dashes of
//! typeset labels (`–`, `—`) get the spelling a plain keyboard produces.

use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

/// `text`, folded.
pub fn fold(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    fold_into(text, &mut out);
    out
}

/// Appends `text`, folded, to `out`: the form the haystack is built from without a String per
/// field.
pub fn fold_into(text: &str, out: &mut String) {
    let mut rest = text;
    while !rest.is_empty() {
        // Runs of ASCII (most labels, every appKey and role name) are copied and lowercased
        // in one go; no decomposition can apply to them.
        let ascii = rest
            .bytes()
            .position(|b| !b.is_ascii())
            .unwrap_or(rest.len());
        let start = out.len();
        out.push_str(&rest[..ascii]);
        out[start..].make_ascii_lowercase();
        rest = &rest[ascii..];
        let mut chars = rest.chars();
        if let Some(c) = chars.next() {
            fold_char(c, out);
            rest = chars.as_str();
        }
    }
}

fn fold_char(c: char, out: &mut String) {
    if let Some(folded) = latin_folded(c) {
        out.push_str(folded);
        return;
    }
    fold_decomposed(c, out);
}

/// The first 384 code points past ASCII (Latin-1 and Latin Extended-A: every letter of
/// Portuguese and Spanish) folded once, so a label's accents cost a table lookup.
fn latin_folded(c: char) -> Option<&'static str> {
    static TABLE: std::sync::OnceLock<Vec<String>> = std::sync::OnceLock::new();
    let at = (c as usize).checked_sub(0x80)?;
    let table = TABLE.get_or_init(|| {
        (0x80u32..0x200)
            .map(|code| {
                let mut folded = String::new();
                if let Some(c) = char::from_u32(code) {
                    fold_decomposed(c, &mut folded);
                }
                folded
            })
            .collect()
    });
    table.get(at).map(String::as_str)
}

fn fold_decomposed(c: char, out: &mut String) {
    for d in std::iter::once(c).nfkd() {
        if is_combining_mark(d) {
            continue;
        }
        if let Some(plain) = plain_spelling(d) {
            out.push_str(plain);
            continue;
        }
        out.extend(d.to_lowercase());
    }
}

/// What a plain keyboard types for letters and dashes Unicode does not decompose.
fn plain_spelling(c: char) -> Option<&'static str> {
    Some(match c {
        'ß' | 'ẞ' => "ss",
        'æ' | 'Æ' => "ae",
        'œ' | 'Œ' => "oe",
        'ø' | 'Ø' => "o",
        'ł' | 'Ł' => "l",
        'đ' | 'Đ' => "d",
        'ı' => "i",
        '\u{2010}'..='\u{2015}' | '\u{2212}' => "-",
        '\u{2018}' | '\u{2019}' => "'",
        '\u{201C}' | '\u{201D}' => "\"",
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::fold;

    #[test]
    fn portuguese_and_spanish_fold_to_what_a_plain_keyboard_types() {
        assert_eq!(fold("Integração"), "integracao");
        assert_eq!(fold("INTEGRAÇÃO"), "integracao");
        assert_eq!(fold("São Paulo"), "sao paulo");
        assert_eq!(fold("Peñalolén"), "penalolen");
        assert_eq!(fold("Logística — Curitiba"), "logistica - curitiba");
        assert_eq!(fold("Straße Øresund Łódź"), "strasse oresund lodz");
    }

    #[test]
    fn decomposed_and_composed_text_fold_the_same() {
        let decomposed = "Integrac\u{0327}a\u{0303}o";
        assert_ne!(decomposed, "Integração");
        assert_eq!(fold(decomposed), fold("Integração"));
    }

    #[test]
    fn compatibility_forms_fold_to_their_plain_letters() {
        assert_eq!(fold("ﬁlial"), "filial");
        assert_eq!(fold("ＥＲＰ"), "erp");
        assert_eq!(fold("a\u{00A0}b"), "a b");
    }

    #[test]
    fn the_latin_table_folds_as_decomposition_does() {
        for code in 0x80u32..0x200 {
            let Some(c) = char::from_u32(code) else {
                continue;
            };
            let mut direct = String::new();
            super::fold_decomposed(c, &mut direct);
            assert_eq!(fold(&c.to_string()), direct, "U+{code:04X}");
        }
        assert_eq!(fold("AÇÃO ação"), "acao acao");
    }

    #[test]
    fn other_scripts_and_emoji_survive_lowercased() {
        assert_eq!(fold("Ελληνικά"), "ελληνικα");
        assert_eq!(fold("日本 🚀"), "日本 🚀");
    }
}
