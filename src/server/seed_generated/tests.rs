use std::collections::HashSet;

use super::*;

const ROLES: usize = 13;

fn days(seconds: i64) -> i64 {
    seconds / DAY
}

#[test]
fn the_same_count_gives_the_same_plan() {
    assert_eq!(plan(2_000, ROLES), plan(2_000, ROLES));
    // A smaller account is the start of a bigger one.
    assert_eq!(plan(500, ROLES)[..], plan(2_000, ROLES)[..500]);
}

#[test]
fn statuses_renewals_and_owner_keys_come_in_realistic_shares() {
    let keys = plan(100_000, ROLES);
    let share = |hits: usize| hits as f64 / keys.len() as f64;
    let inactive = share(keys.iter().filter(|k| !k.is_active).count());
    let pending = share(keys.iter().filter(|k| k.pending_ago.is_some()).count());
    let owners = keys.iter().filter(|k| k.owner).count();
    assert!(
        (0.08..0.12).contains(&inactive),
        "inactive share {inactive}"
    );
    assert!((0.015..0.025).contains(&pending), "pending share {pending}");
    assert!((100..2_000).contains(&owners), "{owners} keys hold Owner");
}

#[test]
fn token_ages_spread_over_fresh_orange_and_red() {
    let keys = plan(10_000, ROLES);
    let fresh = keys.iter().filter(|k| days(k.token_ago) < 90).count();
    let orange = keys
        .iter()
        .filter(|k| (90..180).contains(&days(k.token_ago)))
        .count();
    let red = keys.iter().filter(|k| days(k.token_ago) >= 180).count();
    assert!(
        fresh > 4_000 && orange > 2_000 && red > 2_000,
        "{fresh} {orange} {red}"
    );
    assert!(keys.iter().all(|k| days(k.token_ago) <= 400));
    assert!(keys.iter().all(|k| k.created_ago >= k.token_ago));
    assert!(keys.iter().any(|k| k.created_ago > k.token_ago));
    // A pending renewal's new token is younger than the current one.
    assert!(
        keys.iter()
            .filter_map(|k| k.pending_ago.map(|p| (p, k.token_ago)))
            .all(|(pending, token)| pending < token)
    );
}

#[test]
fn keys_hold_zero_to_three_distinct_roles() {
    let keys = plan(10_000, ROLES);
    for count in 0..=3 {
        assert!(
            keys.iter().any(|k| k.roles.len() == count),
            "no key with {count} roles"
        );
    }
    for key in &keys {
        let distinct: HashSet<_> = key.roles.iter().collect();
        assert_eq!(distinct.len(), key.roles.len());
        assert!(key.roles.iter().all(|&r| r < ROLES));
        assert!(key.roles.len() + usize::from(key.owner) <= 3);
    }
    // A pool smaller than three roles caps the count instead of looping.
    assert!(plan(1_000, 2).iter().all(|k| k.roles.len() <= 2));
    assert!(plan(100, 0).iter().all(|k| k.roles.is_empty()));
}

#[test]
fn labels_read_like_portuguese_spanish_and_english_integrations() {
    let keys = plan(100_000, ROLES);
    let labels: Vec<&str> = keys.iter().map(|k| k.label.as_str()).collect();
    for needle in [
        "Integração",
        "São Paulo",
        "Sincronización",
        "Peñalolén",
        "Ñuñoa",
        "nightly",
    ] {
        assert!(
            labels.iter().any(|l| l.contains(needle)),
            "no label contains {needle:?}"
        );
    }
    let distinct: HashSet<&str> = labels.iter().copied().collect();
    assert!(
        distinct.len() > 50_000,
        "{} distinct labels",
        distinct.len()
    );
    assert!(distinct.len() < labels.len(), "some labels should repeat");
    for label in distinct {
        assert_eq!(crate::keyformat::clean_label(label).as_deref(), Ok(label));
    }
}
