use chrono::{Duration, TimeZone, Utc};
use serde_json::json;

use super::*;
use crate::vtex::model::{AppKey, AuditEntry, ExternalKey, RoleDetails};

fn now() -> chrono::DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 6, 1, 12, 0, 0).unwrap()
}

fn ago(days: i64) -> String {
    (now() - Duration::days(days)).to_rfc3339()
}

fn key(label: &str, active: bool, token_days: i64, roles: serde_json::Value) -> AppKey {
    serde_json::from_value(json!({
        "id": format!("id-{label}"), "appKey": format!("vtexappkey-a-{label}"), "label": label,
        "isActive": active, "createdIn": ago(800), "creationDateToken": ago(token_days),
        "roles": roles,
    }))
    .unwrap()
}

fn roles() -> Vec<RoleDetails> {
    serde_json::from_value(json!([
        {"id": 1, "name": "Owner (Admin Super)", "isAdmin": true, "apiKeyResources": []},
        {"id": 2, "name": "Viewer", "apiKeyResources": ["ViewApiKeys"]},
        {"id": 3, "name": "Keys admin", "apiKeyResources": ["EditApiKeys", "RenewApiToken", "EditApiKeysSettings"]},
        {"id": 4, "name": "Catalog", "apiKeyResources": []},
    ]))
    .unwrap()
}

fn labels(posture: &Posture, kind: Kind) -> Vec<String> {
    posture
        .finding(kind)
        .map(|f| f.keys.iter().map(|k| k.label.clone()).collect())
        .unwrap_or_default()
}

fn inputs<'a>(
    keys: &'a [AppKey],
    external: Option<&'a [ExternalKey]>,
    roles: &'a [RoleDetails],
    audit: Option<&'a [AuditEntry]>,
) -> Inputs<'a> {
    Inputs {
        keys,
        external,
        roles,
        audit,
        token_dates: true,
        token_duration_months: 3,
        thresholds: Thresholds::default(),
        now: now(),
    }
}

#[test]
fn token_ages_follow_the_admin_alerts() {
    let cat = json!([{"id": 4, "name": "Catalog"}]);
    let keys = [
        key("fresh", true, 10, cat.clone()),
        key("orange", true, 100, cat.clone()),
        key("red", false, 200, cat.clone()),
    ];
    let roles = roles();
    let posture = assess(&inputs(&keys, None, &roles, None));
    assert_eq!(labels(&posture, Kind::TokenOutdated), ["orange"]);
    assert_eq!(labels(&posture, Kind::TokenLongOutdated), ["red"]);
    assert_eq!(posture.worst(), Some(Severity::Alert));
    assert_eq!(posture.findings[0].kind, Kind::TokenLongOutdated);
}

#[test]
fn pending_renewals_count_after_the_threshold() {
    let cat = json!([{"id": 4, "name": "Catalog"}]);
    let mut old = key("old", true, 10, cat.clone());
    old.creation_date_new_token = crate::vtex::time::Timestamp::parse(&ago(8));
    let mut recent = key("recent", true, 10, cat.clone());
    recent.creation_date_new_token = crate::vtex::time::Timestamp::parse(&ago(6));
    let keys = [old, recent];
    let roles = roles();
    let mut given = inputs(&keys, None, &roles, None);
    assert_eq!(labels(&assess(&given), Kind::RenewalPending), ["old"]);
    given.thresholds.pending_days = 5;
    assert_eq!(
        labels(&assess(&given), Kind::RenewalPending),
        ["old", "recent"]
    );
}

#[test]
fn admin_roles_and_all_four_permissions_are_powerful_unknown_roles_are_not() {
    let keys = [
        key(
            "owner",
            true,
            1,
            json!([{"id": 1, "name": "Owner (Admin Super)"}]),
        ),
        key(
            "split",
            true,
            1,
            json!([{"id": 2, "name": "Viewer"}, {"id": 3, "name": "Keys admin"}]),
        ),
        key("three", true, 1, json!([{"id": 3, "name": "Keys admin"}])),
        key("none", true, 1, json!([])),
        key("unknown", true, 1, serde_json::Value::Null),
    ];
    let roles = roles();
    let posture = assess(&inputs(&keys, None, &roles, None));
    assert_eq!(labels(&posture, Kind::Powerful), ["owner", "split"]);
    assert_eq!(labels(&posture, Kind::NoRole), ["none"]);
    assert!(
        posture
            .not_computed
            .contains(&(Kind::NoRole, Missing::Roles))
    );
}

#[test]
fn inactive_keys_count_from_their_last_sign_of_life() {
    let cat = json!([{"id": 4, "name": "Catalog"}]);
    let keys = [
        key("quiet", false, 200, cat.clone()),
        key("touched", false, 200, cat.clone()),
        key("renewed", false, 30, cat.clone()),
        key("active", true, 200, cat.clone()),
    ];
    let audit: Vec<AuditEntry> = serde_json::from_value(json!([
        {"id": 2, "at": ago(10), "action": "key.status", "target": "vtexappkey-a-touched"},
        {"id": 1, "at": ago(300), "action": "key.create", "target": "vtexappkey-a-quiet"},
    ]))
    .unwrap();
    let roles = roles();
    let posture = assess(&inputs(&keys, None, &roles, Some(&audit)));
    assert_eq!(labels(&posture, Kind::Inactive), ["quiet"]);
    let without = assess(&inputs(&keys, None, &roles, None));
    assert!(without.finding(Kind::Inactive).is_none());
    assert!(
        without
            .not_computed
            .contains(&(Kind::Inactive, Missing::Audit))
    );
}

#[test]
fn shared_labels_ignore_case_and_blanks() {
    let cat = json!([{"id": 4, "name": "Catalog"}]);
    let mut keys = vec![
        key("ERP", true, 1, cat.clone()),
        key("erp ", true, 1, cat.clone()),
        key("Other", true, 1, cat.clone()),
        key("", true, 1, cat.clone()),
        key(" ", true, 1, cat.clone()),
    ];
    keys[1].id = "id-erp2".into();
    let roles = roles();
    let posture = assess(&inputs(&keys, None, &roles, None));
    assert_eq!(labels(&posture, Kind::SharedLabel), ["ERP", "erp "]);
}

#[test]
fn external_keys_with_admin_roles_or_inactive() {
    let external: Vec<ExternalKey> = serde_json::from_value(json!([
        {"id": "e1", "appKey": "vtexappkey-p-1", "account": "partner", "isActive": true,
         "roles": [{"id": 1, "name": "Owner (Admin Super)"}]},
        {"id": "e2", "appKey": "vtexappkey-q-1", "account": "quiet", "isActive": false,
         "roles": [{"id": 4, "name": "Catalog"}]},
    ]))
    .unwrap();
    let roles = roles();
    let posture = assess(&inputs(&[], Some(&external), &roles, None));
    assert_eq!(labels(&posture, Kind::ExternalPowerful), ["partner"]);
    assert_eq!(labels(&posture, Kind::ExternalInactive), ["quiet"]);
    assert_eq!(Kind::ExternalInactive.pane(), Pane::External);
    let none = assess(&inputs(&[], None, &roles, None));
    assert!(
        none.not_computed
            .contains(&(Kind::ExternalPowerful, Missing::ExternalKeys))
    );
}

#[test]
fn without_token_dates_the_token_findings_are_not_computed() {
    let roles = roles();
    let keys = [key("red", true, 400, json!([]))];
    let mut given = inputs(&keys, None, &roles, None);
    given.token_dates = false;
    let posture = assess(&given);
    assert!(posture.finding(Kind::TokenLongOutdated).is_none());
    assert!(
        posture
            .not_computed
            .contains(&(Kind::TokenOutdated, Missing::TokenDates))
    );
}

#[test]
fn whole_months_counts_calendar_months() {
    let at = |y, m, d| Utc.with_ymd_and_hms(y, m, d, 12, 0, 0).unwrap();
    // As `token_age` adds months: Jan 31 + 1 month is Feb 28.
    assert_eq!(whole_months(at(2026, 1, 31), at(2026, 2, 27)), 0);
    assert_eq!(whole_months(at(2026, 1, 31), at(2026, 2, 28)), 1);
    assert_eq!(whole_months(at(2026, 1, 15), at(2026, 2, 15)), 1);
    assert_eq!(whole_months(at(2026, 1, 15), at(2026, 2, 14)), 0);
    assert_eq!(whole_months(at(2025, 11, 15), at(2026, 6, 1)), 6);
    assert_eq!(whole_months(at(2026, 6, 2), at(2026, 6, 1)), 0);
}

#[test]
fn the_histogram_has_a_bar_per_month_classed_like_the_admin() {
    let cat = json!([]);
    let keys = [
        key("a", true, 5, cat.clone()),
        key("b", true, 100, cat.clone()),
        key("c", true, 400, cat.clone()),
    ];
    let ages = TokenAges::of(&keys, 3, now());
    assert_eq!(ages.total(), 3);
    assert_eq!(ages.counts.len(), 14);
    let bars = ages.bars(8);
    assert_eq!(bars.len(), 8);
    assert_eq!(bars[0].count, 1);
    assert_eq!(bars[3].count, 1);
    assert_eq!(bars[7].count, 1, "the last bar gathers the older tokens");
    assert!(bars[7].and_older);
    use crate::listing::TokenAge;
    let ages_of: Vec<_> = bars.iter().map(|b| b.age).collect();
    assert_eq!(ages_of[..3], [TokenAge::Fresh; 3]);
    assert_eq!(ages_of[3..6], [TokenAge::Outdated; 3]);
    assert_eq!(ages_of[6], TokenAge::LongOutdated);
    // A fresh account still shows where "outdated" starts.
    let fresh = TokenAges::of(&keys[..1], 3, now());
    assert_eq!(fresh.bars(20).len(), 4);
}
