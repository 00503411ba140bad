//! Filtering, status and sorting of key listings: one [`Query`] for the CLI and both panes of
//! the terminal app, with one set of status words ([`StatusFilter`]).

use chrono::{DateTime, Months, Utc};

use crate::vtex::model::{AppKey, ExternalKey};

mod order;
mod view;

pub use view::ListView;

/// VTEX's default token duration (the Admin's "3 months (recommended)"): what ages are judged by
/// until the account's own setting is known, or when the server cannot say.
pub const DEFAULT_TOKEN_DURATION_MONTHS: u32 = 3;

/// How far past the duration a token turns from the orange alert to the red one.
const RED_ALERT_MONTHS: u32 = 3;

/// How old a key's current token is, measured against the account's token duration.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum TokenAge {
    /// Within the duration.
    Fresh,
    /// Past the duration by less than [`RED_ALERT_MONTHS`]: the Admin's orange alert.
    Outdated,
    /// 3 months or more past the duration: the red alert.
    LongOutdated,
}

/// Classifies a token created at `created`, for a duration of `months`, as of `now`.
pub fn token_age(created: DateTime<Utc>, months: u32, now: DateTime<Utc>) -> TokenAge {
    let due = created
        .checked_add_months(Months::new(months))
        .unwrap_or(created);
    let red = due
        .checked_add_months(Months::new(RED_ALERT_MONTHS))
        .unwrap_or(due);
    if now < due {
        TokenAge::Fresh
    } else if now < red {
        TokenAge::Outdated
    } else {
        TokenAge::LongOutdated
    }
}

impl AppKey {
    /// The token's age class, when the server reported its creation date.
    pub fn token_age(&self, months: u32, now: DateTime<Utc>) -> Option<TokenAge> {
        self.creation_date_token
            .map(|created| token_age(created.0, months, now))
    }
}

/// Which keys a listing keeps by status. The words (`all`, `active`, `inactive`, `outdated`,
/// `pending`) are the same in `--status`, its `--help` and the app; the older spellings
/// `pending-renewal` and `renewal-pending` still parse, so no script breaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum StatusFilter {
    #[default]
    All,
    Active,
    Inactive,
    Outdated,
    // A renewal with the old token deleted "later", not finished yet. (A plain comment: a doc
    // comment would turn `--help`'s one line of possible values into a list.)
    #[value(name = "pending", alias = "pending-renewal", alias = "renewal-pending")]
    PendingRenewal,
}

impl StatusFilter {
    /// Every filter, in the order the app cycles through them.
    pub const ALL: [StatusFilter; 5] = [
        StatusFilter::All,
        StatusFilter::Active,
        StatusFilter::Inactive,
        StatusFilter::Outdated,
        StatusFilter::PendingRenewal,
    ];

    /// The word for the filter, as `--status` takes it and the app shows it.
    pub fn word(self) -> &'static str {
        match self {
            StatusFilter::All => "all",
            StatusFilter::Active => "active",
            StatusFilter::Inactive => "inactive",
            StatusFilter::Outdated => "outdated",
            StatusFilter::PendingRenewal => "pending",
        }
    }

    /// The next filter in [`StatusFilter::ALL`], wrapping around.
    pub fn next(self) -> StatusFilter {
        let at = Self::ALL.iter().position(|f| *f == self).unwrap_or(0);
        Self::ALL[(at + 1) % Self::ALL.len()]
    }

    pub fn matches(self, key: &AppKey, months: u32, now: DateTime<Utc>) -> bool {
        match self {
            StatusFilter::All => true,
            StatusFilter::Active => key.is_active,
            StatusFilter::Inactive => !key.is_active,
            StatusFilter::Outdated => key
                .token_age(months, now)
                .is_some_and(|age| age != TokenAge::Fresh),
            StatusFilter::PendingRenewal => key.renewal_pending(),
        }
    }

    /// Whether the filter needs token dates, which only servers with the extension report.
    pub fn needs_token_dates(self) -> bool {
        matches!(self, StatusFilter::Outdated | StatusFilter::PendingRenewal)
    }
}

/// The column a listing is sorted by (`--sort`, and `s` in the app).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum SortBy {
    #[default]
    Name,
    Key,
    Created,
    TokenAge,
    Status,
}

/// One listing query: a text filter, a status, a sort column and its direction. The CLI builds
/// it from its flags, the app's panes from their filter bar and keys.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Query {
    /// What to look for in the key, label, owner account or role names: words that must all
    /// occur, `!word` to leave out, `"a phrase"`, or `-f pattern` for fuzzy matching
    /// ([`crate::search::query`]); case and accents do not matter.
    pub filter: String,
    pub status: StatusFilter,
    pub sort: SortBy,
    pub reverse: bool,
}

impl Query {
    /// Whether the query needs token dates, which only servers with the extension report.
    pub fn needs_token_dates(&self) -> bool {
        self.status.needs_token_dates() || self.sort == SortBy::TokenAge
    }

    /// Indices of the generated keys the query keeps, in its order.
    pub fn keys(&self, keys: &[AppKey], months: u32, now: DateTime<Utc>) -> Vec<usize> {
        ListView::of_keys(keys).keys(keys, self, months, now)
    }

    /// Indices of the external keys the query keeps, in its order. External keys have no token
    /// of this account, so `outdated` and `pending` keep none; they sort by owner account, then
    /// key, unless the query sorts by key, date added (`created`) or status.
    pub fn external(&self, keys: &[ExternalKey]) -> Vec<usize> {
        ListView::of_external(keys).external(keys, self)
    }
}

pub(crate) fn external_status_matches(status: StatusFilter, key: &ExternalKey) -> bool {
    match status {
        StatusFilter::All => true,
        StatusFilter::Active => key.is_active,
        StatusFilter::Inactive => !key.is_active,
        StatusFilter::Outdated | StatusFilter::PendingRenewal => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn token_age_follows_the_admin_alerts() {
        let created = Utc.with_ymd_and_hms(2026, 1, 15, 12, 0, 0).unwrap();
        let at = |y, m, d| Utc.with_ymd_and_hms(y, m, d, 12, 0, 0).unwrap();
        assert_eq!(token_age(created, 3, at(2026, 4, 14)), TokenAge::Fresh);
        assert_eq!(token_age(created, 3, at(2026, 4, 15)), TokenAge::Outdated);
        assert_eq!(token_age(created, 3, at(2026, 7, 14)), TokenAge::Outdated);
        assert_eq!(
            token_age(created, 3, at(2026, 7, 15)),
            TokenAge::LongOutdated
        );
        assert_eq!(token_age(created, 6, at(2026, 7, 14)), TokenAge::Fresh);
    }

    #[test]
    fn status_words_are_clap_s_words_and_old_spellings_still_parse() {
        use clap::ValueEnum;
        for filter in StatusFilter::ALL {
            let value = filter.to_possible_value().expect("no filter is hidden");
            assert_eq!(value.get_name(), filter.word());
            assert_eq!(StatusFilter::from_str(filter.word(), false), Ok(filter));
        }
        let words: Vec<_> = StatusFilter::ALL.map(StatusFilter::word).into();
        assert_eq!(words, ["all", "active", "inactive", "outdated", "pending"]);
        for old in ["pending-renewal", "renewal-pending"] {
            assert_eq!(
                StatusFilter::from_str(old, false),
                Ok(StatusFilter::PendingRenewal)
            );
        }
        assert_eq!(StatusFilter::PendingRenewal.next(), StatusFilter::All);
        assert_eq!(StatusFilter::All.next(), StatusFilter::Active);
    }

    fn key(app_key: &str, label: &str, active: bool, token: &str) -> AppKey {
        serde_json::from_value(serde_json::json!({
            "id": app_key, "appKey": app_key, "label": label, "isActive": active,
            "createdIn": "2025-01-01T00:00:00Z", "creationDateToken": token,
        }))
        .unwrap()
    }

    #[test]
    fn one_query_filters_by_text_and_status_then_sorts() {
        let now = Utc.with_ymd_and_hms(2026, 6, 1, 0, 0, 0).unwrap();
        let keys = [
            key("vtexappkey-a-1", "ERP orders", true, "2026-05-01T00:00:00Z"),
            key("vtexappkey-a-2", "erp stock", false, "2025-01-01T00:00:00Z"),
            key("vtexappkey-a-3", "Catalog", true, "2025-01-01T00:00:00Z"),
        ];
        let query = |filter: &str, status, sort, reverse| Query {
            filter: filter.into(),
            status,
            sort,
            reverse,
        };
        let months = DEFAULT_TOKEN_DURATION_MONTHS;
        let q = query(" ERP ", StatusFilter::All, SortBy::Name, false);
        assert_eq!(q.keys(&keys, months, now), [0, 1]);
        let q = query("", StatusFilter::Outdated, SortBy::Key, true);
        assert_eq!(q.keys(&keys, months, now), [2, 1]);
        let q = query("", StatusFilter::Active, SortBy::TokenAge, false);
        assert!(q.needs_token_dates());
        assert_eq!(q.keys(&keys, months, now), [0, 2]);
    }

    #[test]
    fn the_same_query_lists_external_keys() {
        let external = |app_key: &str, account: &str, active: bool| -> ExternalKey {
            serde_json::from_value(serde_json::json!({
                "id": app_key, "appKey": app_key, "account": account, "isActive": active,
            }))
            .unwrap()
        };
        let keys = [
            external("vtexappkey-zeta-1", "zeta", true),
            external("vtexappkey-alpha-2", "alpha", false),
            external("vtexappkey-alpha-1", "alpha", true),
        ];
        assert_eq!(Query::default().external(&keys), [2, 1, 0]);
        let active = Query {
            status: StatusFilter::Active,
            reverse: true,
            ..Query::default()
        };
        assert_eq!(active.external(&keys), [0, 2]);
        let text = Query {
            filter: "ALPHA-2".into(),
            ..Query::default()
        };
        assert_eq!(text.external(&keys), [1]);
        let pending = Query {
            status: StatusFilter::PendingRenewal,
            ..Query::default()
        };
        assert!(pending.external(&keys).is_empty());
    }
}
