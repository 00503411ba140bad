//! Running a query over a haystack as the user types it: a query that only grew is looked for
//! among the rows the previous one kept (typing narrows), and the answers to recent queries are
//! kept (backspace returns to them at once). Plain matches keep the list's order; fuzzy ones are
//! ranked best first, ties in the list's order.

use super::haystack::{Haystack, RowSet};
use super::matcher::Matcher;
use super::query::{self, Mode, Parsed};

/// Recent answers kept, and the most row indices they may hold together (4 bytes each: 2.4 MB,
/// enough for backspace over the short, broad prefixes of a 100 000-key list).
const KEPT_ANSWERS: usize = 32;
const KEPT_ROWS: usize = 600_000;

#[derive(Debug, Clone)]
struct Answer {
    raw: String,
    parsed: Parsed,
    rows: Vec<u32>,
}

/// A haystack and the answers to the queries run on it, for one context (the status filter,
/// sort and anything else that decides which rows come in which order).
#[derive(Clone, Default)]
pub struct Narrowing {
    hay: Haystack,
    context: Option<u64>,
    answers: Vec<Answer>,
}

impl std::fmt::Debug for Narrowing {
    // The answers hold up to millions of row numbers: a Debug dump names what is kept.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let kept: Vec<&str> = self.answers.iter().map(|a| a.raw.as_str()).collect();
        f.debug_struct("Narrowing")
            .field("hay", &self.hay)
            .field("answers", &kept)
            .finish()
    }
}

impl Narrowing {
    pub fn new(hay: Haystack) -> Narrowing {
        Narrowing {
            hay,
            context: None,
            answers: Vec::new(),
        }
    }

    pub fn haystack(&self) -> &Haystack {
        &self.hay
    }

    /// Forgets every answer: the rows or their order changed.
    pub fn forget(&mut self) {
        self.answers.clear();
        self.context = None;
    }

    /// The rows matching `raw`, among `order` (every row, in the list's order) those `keep`
    /// accepts. `context` identifies `order` and `keep`: answers from another context are
    /// forgotten.
    pub fn run(
        &mut self,
        raw: &str,
        context: u64,
        order: &[u32],
        keep: &dyn Fn(usize) -> bool,
    ) -> Vec<u32> {
        if self.context != Some(context) {
            self.forget();
            self.context = Some(context);
        }
        if let Some(at) = self.answers.iter().position(|a| a.raw == raw) {
            let answer = self.answers.remove(at);
            let rows = answer.rows.clone();
            self.answers.push(answer);
            return rows;
        }
        let parsed = query::parse(raw);
        let rows = self.compute(&parsed, order, keep);
        self.remember(Answer {
            raw: raw.to_string(),
            parsed,
            rows: rows.clone(),
        });
        rows
    }

    fn compute(&self, parsed: &Parsed, order: &[u32], keep: &dyn Fn(usize) -> bool) -> Vec<u32> {
        let narrowest = self
            .answers
            .iter()
            .filter(|a| narrows(&a.parsed, parsed))
            .min_by_key(|a| a.rows.len());
        if parsed.is_empty() {
            return order
                .iter()
                .copied()
                .filter(|&i| keep(i as usize))
                .collect();
        }
        let mut matcher = Matcher::new(parsed);
        let candidates = narrowest.map_or(order.len(), |a| a.rows.len());
        matcher.prepare(&self.hay, candidates);
        match (parsed.mode, narrowest) {
            // The earlier answer is in the list's order, and every row of this one is in it.
            (Mode::Plain, Some(earlier)) if earlier.parsed.mode == Mode::Plain => {
                let rows = earlier.rows.iter().copied();
                rows.filter(|&i| matcher.score(&self.hay, i as usize).is_some())
                    .collect()
            }
            (Mode::Plain, _) => order
                .iter()
                .copied()
                .filter(|&i| keep(i as usize) && matcher.score(&self.hay, i as usize).is_some())
                .collect(),
            (Mode::Fuzzy, earlier) => {
                let within = earlier.map(|a| RowSet::of(&a.rows, self.hay.len()));
                let candidates = order.iter().copied().filter(|&i| match &within {
                    Some(set) => set.has(i),
                    None => keep(i as usize),
                });
                rank(candidates, &mut matcher, &self.hay)
            }
        }
    }

    fn remember(&mut self, answer: Answer) {
        self.answers.push(answer);
        let mut held: usize = self.answers.iter().map(|a| a.rows.len()).sum();
        while self.answers.len() > KEPT_ANSWERS || (held > KEPT_ROWS && self.answers.len() > 1) {
            held -= self.answers.remove(0).rows.len();
        }
    }
}

/// Fuzzy matches, best first; ties keep the order they came in (the list's).
fn rank(candidates: impl Iterator<Item = u32>, matcher: &mut Matcher, hay: &Haystack) -> Vec<u32> {
    let mut scored: Vec<(u32, u32)> = candidates
        .filter_map(|i| matcher.score(hay, i as usize).map(|score| (score, i)))
        .collect();
    scored.sort_by_key(|&(score, _)| std::cmp::Reverse(score));
    scored.into_iter().map(|(_, i)| i).collect()
}

/// Whether every row `next` keeps is among the rows `earlier` kept, so `next` may look only there.
pub fn narrows(earlier: &Parsed, next: &Parsed) -> bool {
    if earlier.is_empty() {
        return true;
    }
    match (earlier.mode, next.mode) {
        (Mode::Plain, Mode::Plain) => {
            let (was_in, was_out) = split(earlier);
            let (now_in, now_out) = split(next);
            // Each old needle is inside a new one (so found wherever it is), and each old
            // exclusion still excludes (a shorter or equal new exclusion excludes more).
            was_in
                .iter()
                .all(|old| now_in.iter().any(|new| new.contains(old)))
                && was_out
                    .iter()
                    .all(|old| now_out.iter().any(|new| old.contains(new)))
        }
        // Appending to a fuzzy pattern only adds constraints, unless it negates or escapes.
        (Mode::Fuzzy, Mode::Fuzzy) => {
            next.pattern.starts_with(&earlier.pattern)
                && !next.pattern.contains(['!', '\\'])
                && !earlier.pattern.ends_with(['^', '\''])
        }
        _ => false,
    }
}

fn split(parsed: &Parsed) -> (Vec<&str>, Vec<&str>) {
    let texts = |exclude: bool| {
        parsed
            .needles
            .iter()
            .filter(|n| n.exclude == exclude)
            .map(|n| n.text.as_str())
            .collect()
    };
    (texts(false), texts(true))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::search::query::parse;

    fn narrowing(rows: &[&str]) -> (Narrowing, Vec<u32>) {
        let hay = Haystack::build(rows.iter().map(|r| [*r]));
        let order = (0..rows.len() as u32).collect();
        (Narrowing::new(hay), order)
    }

    #[test]
    fn growing_queries_narrow_and_others_do_not() {
        let n = |a: &str, b: &str| narrows(&parse(a), &parse(b));
        assert!(n("", "anything"));
        assert!(n("er", "erp"));
        assert!(n("erp", "erp sao"));
        assert!(n("erp !legacy", "erp !leg"));
        assert!(!n("erp !leg", "erp !legacy"));
        assert!(!n("erp", "er"));
        assert!(!n("erp", "-f erp"));
        assert!(n("-f er", "-f erp"));
        assert!(!n("-f erp", "-f erp !x"));
    }

    #[test]
    fn typing_then_deleting_gives_the_same_answers_as_a_fresh_run() {
        let rows = [
            "integração erp são paulo",
            "erp legacy",
            "marketplace",
            "erp curitiba",
        ];
        let (mut typed, order) = narrowing(&rows);
        let keep = |_: usize| true;
        let sequence = [
            "e", "er", "erp", "erp ", "erp !", "erp !l", "erp !le", "erp !l", "erp", "e", "",
        ];
        for (step, raw) in sequence.iter().enumerate() {
            let (mut fresh, _) = narrowing(&rows);
            let expected = fresh.run(raw, 0, &order, &keep);
            assert_eq!(
                typed.run(raw, 0, &order, &keep),
                expected,
                "step {step}: {raw:?}"
            );
        }
    }

    #[test]
    fn a_new_context_forgets_earlier_answers() {
        let (mut narrowing, order) = narrowing(&["erp a", "erp b"]);
        assert_eq!(narrowing.run("erp", 1, &order, &|_| true), [0, 1]);
        assert_eq!(narrowing.run("erp", 2, &order, &|i| i == 1), [1]);
        let reversed = [1, 0];
        assert_eq!(narrowing.run("erp", 3, &reversed, &|_| true), [1, 0]);
    }

    #[test]
    fn fuzzy_answers_rank_best_first_and_ties_keep_the_list_order() {
        let (mut narrowing, order) = narrowing(&["e r p x", "erp one", "erp two", "nothing"]);
        let ranked = narrowing.run("-f erp", 0, &order, &|_| true);
        assert_eq!(ranked, [1, 2, 0]);
        let narrowed = narrowing.run("-f erpt", 0, &order, &|_| true);
        assert_eq!(narrowed, [2]);
    }
}
