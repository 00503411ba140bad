//! What a filter's text means: words that must all occur, `!word` to exclude, `"a phrase"` that
//! occurs as written, or, after `-f ` (k9s's fuzzy flag), one fuzzy pattern ranked best first.
//! Every needle is folded ([`super::fold`]) the way the text it is looked for in is.

use super::fold::fold;

/// How the text is matched.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// Substrings, all of them, anywhere; the list keeps its sort order.
    Plain,
    /// fzf-style fuzzy matching, best first.
    Fuzzy,
}

/// What starts a fuzzy query, as in k9s's `/-f pattern`.
pub const FUZZY_FLAG: &str = "-f";

/// The words (and phrases) of a plain query that count, and the characters of a fuzzy
/// pattern: a pasted page of text must not make every keystroke test thousands of needles.
/// The text itself stays in the filter line as typed.
pub const MAX_NEEDLES: usize = 32;
pub const MAX_PATTERN_CHARS: usize = 128;

/// One thing to look for: a word or a phrase, folded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Needle {
    pub text: String,
    /// Typed in quotes: spaces are part of it.
    pub phrase: bool,
    /// Typed after `!`: keys containing it are left out.
    pub exclude: bool,
}

/// A filter's text, understood.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Parsed {
    pub mode: Mode,
    /// The plain mode's needles (empty in fuzzy mode).
    pub needles: Vec<Needle>,
    /// The fuzzy mode's pattern, folded (empty in plain mode).
    pub pattern: String,
}

impl Parsed {
    /// Whether the query keeps every key.
    pub fn is_empty(&self) -> bool {
        self.needles.is_empty() && self.pattern.trim().is_empty()
    }
}

/// Splits the text `-f ` starts into fuzzy mode: the pattern after the flag.
pub fn fuzzy_pattern(raw: &str) -> Option<&str> {
    let rest = raw.trim_start().strip_prefix(FUZZY_FLAG)?;
    match rest.chars().next() {
        None => Some(""),
        Some(c) if c.is_whitespace() => Some(rest.trim_start()),
        Some(_) => None, // "-foo" is a word
    }
}

pub fn parse(raw: &str) -> Parsed {
    if let Some(pattern) = fuzzy_pattern(raw) {
        return Parsed {
            mode: Mode::Fuzzy,
            needles: Vec::new(),
            pattern: fold(&pattern.chars().take(MAX_PATTERN_CHARS).collect::<String>()),
        };
    }
    Parsed {
        mode: Mode::Plain,
        needles: plain_needles(raw),
        pattern: String::new(),
    }
}

fn plain_needles(raw: &str) -> Vec<Needle> {
    let mut needles = Vec::new();
    let mut rest = raw;
    loop {
        rest = rest.trim_start();
        if rest.is_empty() || needles.len() == MAX_NEEDLES {
            return needles;
        }
        let exclude = rest.starts_with('!');
        if exclude {
            rest = &rest[1..];
        }
        let (text, phrase, after) = match rest.strip_prefix('"') {
            // An unclosed quote runs to the end: the phrase is still being typed.
            Some(quoted) => match quoted.find('"') {
                Some(end) => (&quoted[..end], true, &quoted[end + 1..]),
                None => (quoted, true, ""),
            },
            None => {
                let end = rest.find(char::is_whitespace).unwrap_or(rest.len());
                (&rest[..end], false, &rest[end..])
            }
        };
        rest = after;
        let text = fold(text);
        // A lone `!` or `""` is a term still being typed: it asks for nothing yet.
        if !text.trim().is_empty() {
            needles.push(Needle {
                text,
                phrase,
                exclude,
            });
        }
    }
}

/// The query as understood, for the status line, when it is more than one plain word:
/// "2 words, excluding legacy", "the phrase "sao paulo"", "fuzzy "erp", best matches first".
pub fn describe(parsed: &Parsed) -> Option<String> {
    if parsed.mode == Mode::Fuzzy {
        return Some(if parsed.pattern.is_empty() {
            "fuzzy: type a pattern, best matches first".to_string()
        } else {
            format!("fuzzy \"{}\", best matches first", parsed.pattern)
        });
    }
    let words = parsed
        .needles
        .iter()
        .filter(|n| !n.exclude && !n.phrase)
        .count();
    let phrases: Vec<_> = parsed
        .needles
        .iter()
        .filter(|n| !n.exclude && n.phrase)
        .map(|n| format!("\"{}\"", n.text))
        .collect();
    let excluded: Vec<_> = parsed
        .needles
        .iter()
        .filter(|n| n.exclude)
        .map(|n| {
            if n.phrase {
                format!("\"{}\"", n.text)
            } else {
                n.text.clone()
            }
        })
        .collect();
    if words <= 1 && phrases.is_empty() && excluded.is_empty() {
        return None;
    }
    let mut parts = Vec::new();
    match words {
        0 => {}
        1 => parts.push("1 word".to_string()),
        n => parts.push(format!("{n} words")),
    }
    match phrases.len() {
        0 => {}
        1 => parts.push(format!("the phrase {}", phrases[0])),
        _ => parts.push(format!("the phrases {}", phrases.join(", "))),
    }
    if !excluded.is_empty() {
        parts.push(format!("excluding {}", excluded.join(", ")));
    }
    if parsed.needles.len() == MAX_NEEDLES {
        parts.push(format!("only the first {MAX_NEEDLES} terms count"));
    }
    Some(parts.join(", "))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn needle(text: &str, phrase: bool, exclude: bool) -> Needle {
        Needle {
            text: text.into(),
            phrase,
            exclude,
        }
    }

    #[test]
    fn words_exclusions_and_phrases_are_folded_needles() {
        let parsed = parse("  ERP  !Legacy \"São Paulo\" !\"filial Rio\"");
        assert_eq!(parsed.mode, Mode::Plain);
        assert_eq!(
            parsed.needles,
            [
                needle("erp", false, false),
                needle("legacy", false, true),
                needle("sao paulo", true, false),
                needle("filial rio", true, true),
            ]
        );
    }

    #[test]
    fn terms_still_being_typed_ask_for_nothing() {
        assert!(parse("erp !").needles.len() == 1);
        assert!(parse("\"\"").is_empty());
        assert!(parse("   ").is_empty());
        let open = parse("\"sao pau");
        assert_eq!(open.needles, [needle("sao pau", true, false)]);
    }

    #[test]
    fn a_leading_dash_f_switches_to_fuzzy() {
        let parsed = parse("-f IntgrÇ");
        assert_eq!(parsed.mode, Mode::Fuzzy);
        assert_eq!(parsed.pattern, "intgrc");
        assert_eq!(parse("-f").mode, Mode::Fuzzy);
        assert!(parse("-f  ").is_empty());
        // A word that merely starts with -f stays a word.
        assert_eq!(parse("-foo").needles, [needle("-foo", false, false)]);
    }

    #[test]
    fn a_pasted_page_counts_its_first_words_only() {
        let page = "palavra ".repeat(5_000);
        assert_eq!(parse(&page).needles.len(), MAX_NEEDLES);
        let fuzzy = parse(&format!("-f {}", "x".repeat(10_000)));
        assert_eq!(fuzzy.pattern.chars().count(), MAX_PATTERN_CHARS);
    }

    #[test]
    fn the_description_says_how_the_query_was_understood() {
        assert_eq!(describe(&parse("erp")), None);
        assert_eq!(describe(&parse("")), None);
        assert_eq!(
            describe(&parse("erp paulo !legacy")).as_deref(),
            Some("2 words, excluding legacy")
        );
        assert_eq!(
            describe(&parse("\"São Paulo\"")).as_deref(),
            Some("the phrase \"sao paulo\"")
        );
        assert_eq!(
            describe(&parse("-f erp")).as_deref(),
            Some("fuzzy \"erp\", best matches first")
        );
    }
}
