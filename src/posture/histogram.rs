//! The token-age histogram: how many tokens were created 0, 1, 2… whole months ago, each token
//! classed as the Admin's alerts class it (fresh, outdated, 3 months or more past the duration)
//! by `listing::token_age`, the one definition the findings and the list use too.

use chrono::{DateTime, Months, Utc};

use crate::listing::{TokenAge, token_age};
use crate::vtex::model::AppKey;

/// Whole calendar months from `from` to `to` (0 when `to` is not later).
pub fn whole_months(from: DateTime<Utc>, to: DateTime<Utc>) -> u32 {
    if to <= from {
        return 0;
    }
    let mut months = chrono::Datelike::year(&to.date_naive()) as i64 * 12
        + i64::from(chrono::Datelike::month0(&to.date_naive()))
        - (chrono::Datelike::year(&from.date_naive()) as i64 * 12
            + i64::from(chrono::Datelike::month0(&from.date_naive())));
    // One month too many when `to` has not yet reached `from`'s day and time of the month.
    while months > 0
        && from
            .checked_add_months(Months::new(months as u32))
            .is_none_or(|at| at > to)
    {
        months -= 1;
    }
    months.max(0) as u32
}

/// How many tokens fall in each of the Admin's alert classes.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ClassCounts {
    pub fresh: u64,
    pub outdated: u64,
    pub long_outdated: u64,
}

impl ClassCounts {
    pub fn get(&self, age: TokenAge) -> u64 {
        match age {
            TokenAge::Fresh => self.fresh,
            TokenAge::Outdated => self.outdated,
            TokenAge::LongOutdated => self.long_outdated,
        }
    }

    fn add(&mut self, age: TokenAge, count: u64) {
        match age {
            TokenAge::Fresh => self.fresh += count,
            TokenAge::Outdated => self.outdated += count,
            TokenAge::LongOutdated => self.long_outdated += count,
        }
    }

    fn add_all(&mut self, other: &ClassCounts) {
        for age in AGES {
            self.add(age, other.get(age));
        }
    }

    pub fn total(&self) -> u64 {
        self.fresh + self.outdated + self.long_outdated
    }

    /// The most urgent class any of these tokens is in.
    pub fn worst(&self) -> Option<TokenAge> {
        AGES.into_iter().rev().find(|&age| self.get(age) > 0)
    }
}

const AGES: [TokenAge; 3] = [TokenAge::Fresh, TokenAge::Outdated, TokenAge::LongOutdated];

/// One bar: tokens created `month` whole months ago, and the most urgent alert among them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MonthBar {
    pub month: u32,
    pub count: u64,
    /// The worst class of the bar's tokens (each classed by `token_age`, as the findings
    /// and the list class it); an empty bar, the class its month falls in.
    pub age: TokenAge,
    /// The last bar: it counts every token this old or older.
    pub and_older: bool,
}

/// Token ages across the account, for the Insights chart.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TokenAges {
    /// Tokens per whole month of age, by class: `counts[m]` are the tokens `m` months old.
    /// A month's tokens can be of two classes (a month-end token is red three days sooner).
    pub counts: Vec<ClassCounts>,
    pub duration_months: u32,
}

impl TokenAges {
    /// Counts the tokens of `keys` that have a creation date, each classed by `token_age`.
    pub fn of(keys: &[AppKey], duration_months: u32, now: DateTime<Utc>) -> TokenAges {
        let mut counts: Vec<ClassCounts> = Vec::new();
        for created in keys.iter().filter_map(|k| k.creation_date_token) {
            let month = whole_months(created.0, now) as usize;
            if counts.len() <= month {
                counts.resize(month + 1, ClassCounts::default());
            }
            counts[month].add(token_age(created.0, duration_months, now), 1);
        }
        TokenAges {
            counts,
            duration_months,
        }
    }

    pub fn total(&self) -> u64 {
        self.counts.iter().map(ClassCounts::total).sum()
    }

    /// Every token, by class (the chart's legend).
    pub fn by_class(&self) -> ClassCounts {
        let mut all = ClassCounts::default();
        for month in &self.counts {
            all.add_all(month);
        }
        all
    }

    /// The alert a token `month` whole months old falls in (as `token_age` classes it).
    pub fn age_of_month(&self, month: u32) -> TokenAge {
        // A token created exactly `month` months before a fixed instant classes as its bar.
        let created = DateTime::<Utc>::UNIX_EPOCH;
        let at = created
            .checked_add_months(Months::new(month))
            .unwrap_or(created);
        token_age(created, self.duration_months, at)
    }

    /// At most `max_bars` bars, from month 0; the last one gathers every older token. Always
    /// reaches past the duration (and the red threshold when it fits), so the chart shows
    /// where "outdated" starts even on a fresh account.
    pub fn bars(&self, max_bars: usize) -> Vec<MonthBar> {
        let max_bars = max_bars.max(1);
        let wanted = self
            .counts
            .len()
            .max(self.duration_months as usize + 1)
            .max(1);
        let shown = wanted.min(max_bars);
        (0..shown)
            .map(|month| {
                let last = month + 1 == shown && wanted > shown;
                let mut counts = ClassCounts::default();
                let months = if last { self.counts.len() } else { month + 1 };
                for held in self.counts.iter().take(months).skip(month) {
                    counts.add_all(held);
                }
                MonthBar {
                    month: month as u32,
                    count: counts.total(),
                    age: counts
                        .worst()
                        .unwrap_or_else(|| self.age_of_month(month as u32)),
                    and_older: last,
                }
            })
            .collect()
    }
}
