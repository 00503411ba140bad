//! A parsed query made ready to test rows: substring finders built once per query
//! (`memchr::memmem`), or a `nucleo-matcher` pattern for the fuzzy mode.

use memchr::memmem;
use nucleo_matcher::pattern::{AtomKind, CaseMatching, Normalization, Pattern};
use nucleo_matcher::{Config, Utf32Str};

use super::haystack::{Haystack, RowSet, has_own_bit, mask_of};
use super::query::{Mode, Parsed};

struct Compiled {
    finder: memmem::Finder<'static>,
    /// The needle's bytes, as [`mask_of`] summarises them.
    mask: u64,
    /// A one-byte needle with its own bit: the mask alone answers.
    mask_is_exact: bool,
    /// The rows holding the needle, when found by one scan of the whole text ([`Matcher::prepare`]).
    rows: Option<RowSet>,
}

impl Compiled {
    fn new(text: &str) -> Compiled {
        let bytes = text.as_bytes();
        Compiled {
            finder: memmem::Finder::new(bytes).into_owned(),
            mask: mask_of(bytes),
            mask_is_exact: bytes.len() == 1 && has_own_bit(bytes[0]),
            rows: None,
        }
    }

    fn is_in(&self, hay: &Haystack, i: usize) -> bool {
        if hay.mask(i) & self.mask != self.mask {
            return false;
        }
        if self.mask_is_exact {
            return true;
        }
        match &self.rows {
            Some(rows) => rows.has(i as u32),
            None => self.finder.find(hay.row(i).as_bytes()).is_some(),
        }
    }
}

/// Below this many candidate rows, a search per row beats a scan of the whole text.
const SCAN_FROM_CANDIDATES: usize = 4096;
/// From this many candidates, fuzzy scores are greedy ([`greedy_score`]).
const GREEDY_FROM_CANDIDATES: usize = 20_000;

enum Kind {
    Plain {
        include: Vec<Compiled>,
        exclude: Vec<Compiled>,
    },
    Fuzzy {
        pattern: Pattern,
        matcher: Box<nucleo_matcher::Matcher>,
        chars: Vec<char>,
        /// Many candidates: fuzzy atoms scored greedily (linear), not optimally.
        greedy: bool,
    },
}

/// Tests rows against one query.
pub struct Matcher {
    kind: Kind,
}

impl Matcher {
    pub fn new(parsed: &Parsed) -> Matcher {
        let kind = match parsed.mode {
            Mode::Plain => {
                let compiled = |exclude: bool| {
                    parsed
                        .needles
                        .iter()
                        .filter(|n| n.exclude == exclude)
                        .map(|n| Compiled::new(&n.text))
                        .collect()
                };
                Kind::Plain {
                    include: compiled(false),
                    exclude: compiled(true),
                }
            }
            Mode::Fuzzy => Kind::Fuzzy {
                // The text is folded already, as the pattern is.
                pattern: Pattern::parse(
                    &parsed.pattern,
                    CaseMatching::Ignore,
                    Normalization::Never,
                ),
                matcher: Box::new(nucleo_matcher::Matcher::new(Config::DEFAULT)),
                chars: Vec::new(),
                greedy: false,
            },
        };
        Matcher { kind }
    }

    /// Before testing `candidates` rows: when they are many, each needle is looked for in one
    /// pass over the whole text (SIMD over contiguous memory) instead of one search per row,
    /// which costs ~100 ns of setup each.
    pub fn prepare(&mut self, hay: &Haystack, candidates: usize) {
        let (include, exclude) = match &mut self.kind {
            Kind::Plain { include, exclude } => (include, exclude),
            Kind::Fuzzy { greedy, .. } => {
                // The first letters of a fuzzy query match most rows: the optimal score of each
                // (~500 ns) would hold the keyboard for tens of milliseconds at 100 000 keys.
                *greedy = candidates >= GREEDY_FROM_CANDIDATES;
                return;
            }
        };
        if candidates < SCAN_FROM_CANDIDATES || candidates < hay.len() / 8 {
            return;
        }
        for needle in include.iter_mut().chain(exclude.iter_mut()) {
            if !needle.mask_is_exact {
                needle.rows = Some(hay.rows_containing(&needle.finder));
            }
        }
    }

    pub fn is_fuzzy(&self) -> bool {
        matches!(self.kind, Kind::Fuzzy { .. })
    }

    /// Whether row `i` matches; in fuzzy mode, with its score (higher is better). Plain
    /// matches score 0.
    pub fn score(&mut self, hay: &Haystack, i: usize) -> Option<u32> {
        match &mut self.kind {
            Kind::Plain { include, exclude } => {
                let hit = include.iter().all(|n| n.is_in(hay, i))
                    && !exclude.iter().any(|n| n.is_in(hay, i));
                hit.then_some(0)
            }
            Kind::Fuzzy {
                pattern,
                matcher,
                chars,
                greedy,
            } => {
                let row = Utf32Str::new(hay.row(i), chars);
                if *greedy {
                    greedy_score(pattern, row, matcher)
                } else {
                    pattern.score(row, matcher)
                }
            }
        }
    }
}

/// As `Pattern::score`, with fuzzy atoms matched greedily (the other kinds as they are).
fn greedy_score(
    pattern: &Pattern,
    row: Utf32Str<'_>,
    matcher: &mut nucleo_matcher::Matcher,
) -> Option<u32> {
    let mut total = 0;
    for atom in &pattern.atoms {
        let score = if atom.kind == AtomKind::Fuzzy && !atom.negative {
            matcher.fuzzy_match_greedy(row, atom.needle_text())?
        } else {
            atom.score(row, matcher)?
        };
        total += u32::from(score);
    }
    Some(total)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::search::query::parse;

    fn hay(rows: &[&str]) -> Haystack {
        Haystack::build(rows.iter().map(|r| [*r]))
    }

    fn matching(query: &str, rows: &[&str]) -> Vec<usize> {
        let hay = hay(rows);
        let mut matcher = Matcher::new(&parse(query));
        (0..hay.len())
            .filter(|&i| matcher.score(&hay, i).is_some())
            .collect()
    }

    #[test]
    fn every_word_must_occur_and_excluded_ones_must_not() {
        let rows = [
            "Integração ERP – filial São Paulo",
            "ERP legacy São Paulo",
            "Marketplace Curitiba",
        ];
        assert_eq!(matching("integracao", &rows), [0]);
        assert_eq!(matching("erp paulo", &rows), [0, 1]);
        assert_eq!(matching("erp paulo !legacy", &rows), [0]);
        assert_eq!(matching("\"sao paulo\"", &rows), [0, 1]);
        assert_eq!(matching("\"paulo sao\"", &rows), Vec::<usize>::new());
        assert_eq!(matching("", &rows), [0, 1, 2]);
        assert_eq!(matching("t", &rows), [0, 2]);
    }

    #[test]
    fn one_scan_of_the_text_answers_as_a_search_per_row_does() {
        let words = [
            "erp",
            "são paulo",
            "legacy",
            "bridge",
            "curitiba",
            "in",
            "ç",
        ];
        let rows: Vec<String> = (0..6000)
            .map(|n| format!("{} {}", words[n % 7], words[n / 7 % 7]))
            .collect();
        let hay = Haystack::build(rows.iter().map(|r| [r.as_str()]));
        for query in ["erp paulo", "in !legacy", "\"o p\"", "ridge", "c"] {
            let parsed = parse(query);
            let (mut per_row, mut scanned) = (Matcher::new(&parsed), Matcher::new(&parsed));
            scanned.prepare(&hay, hay.len());
            for i in 0..hay.len() {
                assert_eq!(
                    per_row.score(&hay, i),
                    scanned.score(&hay, i),
                    "{query} row {i}"
                );
            }
        }
    }

    #[test]
    fn greedy_fuzzy_scoring_keeps_the_same_rows() {
        let rows = [
            "ERP orders",
            "e-commerce report",
            "Marketplace",
            "erp legacy",
        ];
        let hay = hay(&rows);
        for query in ["-f erp", "-f erp !legacy", "-f 'report", "-f mkt"] {
            let parsed = parse(query);
            let (mut optimal, mut greedy) = (Matcher::new(&parsed), Matcher::new(&parsed));
            greedy.prepare(&hay, GREEDY_FROM_CANDIDATES);
            for i in 0..rows.len() {
                let (a, b) = (optimal.score(&hay, i), greedy.score(&hay, i));
                assert_eq!(a.is_some(), b.is_some(), "{query} row {i}");
            }
        }
    }

    #[test]
    fn fuzzy_scores_rank_tighter_matches_higher() {
        let hay = hay(&["ERP orders", "e-commerce report", "Marketplace"]);
        let mut matcher = Matcher::new(&parse("-f erp"));
        assert!(matcher.is_fuzzy());
        let tight = matcher.score(&hay, 0).expect("ERP matches erp");
        let loose = matcher.score(&hay, 1).expect("e…r…p matches erp");
        assert!(tight > loose, "{tight} <= {loose}");
        assert_eq!(matcher.score(&hay, 2), None);
    }
}
