//! Filtering, status and sorting of key listings, shared by the CLI and the terminal UI.

use chrono::{DateTime, Months, Utc};

use crate::vtex::model::AppKey;

/// How old a key's current token is, measured against the account's token duration.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum TokenAge {
    /// Within the duration.
    Fresh,
    /// Past the duration by less than 3 months: the Admin's orange alert.
    Outdated,
    /// 3 months or more past the duration: the red alert.
    LongOutdated,
}

/// Classifies a token created at `created`, for a duration of `months`, as of `now`.
pub fn token_age(created: DateTime<Utc>, months: u32, now: DateTime<Utc>) -> TokenAge {
    let due = created
        .checked_add_months(Months::new(months))
        .unwrap_or(created);
    let red = due.checked_add_months(Months::new(3)).unwrap_or(due);
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

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StatusFilter {
    All,
    Active,
    Inactive,
    Outdated,
    PendingRenewal,
}

impl StatusFilter {
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

/// Case-insensitive match on key, label and role names. An empty needle matches everything.
pub fn text_matches(key: &AppKey, needle_lowercase: &str) -> bool {
    if needle_lowercase.is_empty() {
        return true;
    }
    let hit = |text: &str| text.to_lowercase().contains(needle_lowercase);
    hit(&key.app_key)
        || hit(&key.label)
        || key
            .roles
            .as_ref()
            .is_some_and(|roles| roles.iter().any(|role| hit(&role.name)))
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SortBy {
    Name,
    Key,
    Created,
    TokenAge,
    Status,
}

/// Sorts indices into `keys`; ties fall back to the label, then the appKey, so the order is stable.
pub fn sort_indices(keys: &[AppKey], indices: &mut [usize], by: SortBy, reverse: bool) {
    // Lowercased once per key, not once per comparison: this runs on every filter keystroke.
    let mut names: Vec<String> = vec![String::new(); keys.len()];
    for &i in indices.iter() {
        names[i] = keys[i].label.to_lowercase();
    }
    indices.sort_by(|&a, &b| {
        let (key_a, key_b) = (&keys[a], &keys[b]);
        let primary = match by {
            SortBy::Name => names[a].cmp(&names[b]),
            SortBy::Key => key_a.app_key.cmp(&key_b.app_key),
            SortBy::Created => key_a.created_in.cmp(&key_b.created_in),
            // Youngest token first: a later creation date is a smaller age.
            SortBy::TokenAge => key_b.creation_date_token.cmp(&key_a.creation_date_token),
            SortBy::Status => key_b.is_active.cmp(&key_a.is_active),
        };
        let order = primary
            .then_with(|| names[a].cmp(&names[b]))
            .then_with(|| key_a.app_key.cmp(&key_b.app_key));
        if reverse { order.reverse() } else { order }
    });
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
}
