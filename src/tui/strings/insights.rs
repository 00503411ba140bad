//! The Insights overlay (`I`, `:insights`): the token-age chart, the findings, and what the
//! app says when one is chosen; the Settings pane's one-line summary. The findings' own words
//! (title, why, what to do) are `crate::posture`'s, shared with `apikeys report`.

use super::count_of;

pub const TITLE: &str = "Insights";
pub const ASSESSING: &str = "Reading the keys, roles and audit trail…";
pub const CHART_TITLE: &str = "Token ages, in months since each token was created";
pub const NO_TOKEN_DATES: &str =
    "No token dates: this server (VTEX's public API) does not say when tokens were created.";
pub const NO_FINDINGS: &str = "No findings: nothing to review.";
pub const FINDINGS: &str = "Findings";
pub const NOT_COMPUTED: &str = "Not computed";
pub const WHY: &str = "Why: ";
pub const WHAT_TO_DO: &str = "What to do: ";
pub const FRESH: &str = "fresh";
pub const OUTDATED: &str = "outdated";
pub const LONG_OUTDATED: &str = "3m+ past";
/// Shown at the bar where the duration ends.
pub const DURATION_MARK: &str = "▲ duration";
/// Shown at the bar where tokens are 3 months or more past the duration.
pub const RED_MARK: &str = "▲ 3m+";
/// The app-wide note once the filter is cleared.
pub const SHOWING_ALL: &str = "Showing every key again.";

pub fn failed(reason: &str) -> String {
    format!("Could not assess the account: {reason} (R in the overlay retries).")
}

/// The chart's legend line starts with the duration; the counts by alert follow.
pub fn legend(duration: u32) -> String {
    format!("▲ duration: {duration} months")
}

/// After a finding was chosen: what the list shows now and how to get back.
pub fn showing_finding(title: &str, count: usize) -> String {
    format!(
        "Showing {} — {title}. Esc shows every key; Ctrl-a marks them.",
        count_of(count, "key", "keys")
    )
}

/// The line above the table while a finding filters it.
pub fn filter_line(title: &str, shown: usize) -> String {
    format!("Insight: {title} ({shown}) · Esc shows all")
}

/// The Settings pane's summary: the alerts and warnings of what the app has listed, then
/// what could not be checked, so no all-clear stands for what was never looked at.
pub fn summary(summary: crate::tui::insights::Summary) -> String {
    let unchecked: Vec<&str> = [
        (summary.no_token_dates, "token ages (no dates)"),
        (summary.no_roles, "roles (not read)"),
    ]
    .into_iter()
    .filter_map(|(missing, what)| missing.then_some(what))
    .collect();
    let found = match (summary.alerts, summary.warnings) {
        (0, 0) if unchecked.is_empty() => return "No alerts or warnings — I for insights".into(),
        (0, 0) => None,
        (alerts, warnings) => Some(format!(
            "{}, {}",
            count_of(alerts, "alert", "alerts"),
            count_of(warnings, "warning", "warnings")
        )),
    };
    let unchecked = unchecked.join(", ");
    match found {
        Some(found) if unchecked.is_empty() => format!("{found} — I for insights"),
        Some(found) => format!("{found}; not checked: {unchecked} — I for insights"),
        None => format!("Not checked: {unchecked} — I for insights"),
    }
}

pub const SUMMARY_HEADING: &str = "Key posture";
pub const SUMMARY_LOADING: &str = "  Known once the keys are listed — I for insights";

/// "12 keys", beside a finding in the list.
pub fn keys(count: usize) -> String {
    count_of(count, "key", "keys")
}
