//! The token-duration dialog says exactly how many keys change state, both ways, and the count
//! matches what the Generated keys list shows as outdated once the change is applied.

mod common;

use apikeys::tui::strings::settings::{DurationEffect, duration_effect};
use common::TestServer;
use common::tui::{AppOptions, start_on};

/// Moves the current token of `key_id` back by `days` in the server's database.
fn age_token(server: &TestServer, key_id: &str, days: i64) {
    let created = chrono::Utc::now() - chrono::Duration::days(days);
    let text = format!("{}.0000000Z", created.format("%Y-%m-%dT%H:%M:%S"));
    let conn = rusqlite::Connection::open(&server.db).unwrap();
    let changed = conn
        .execute(
            "UPDATE app_tokens SET created_at = ?1 WHERE key_id = ?2 AND slot = 'current'",
            rusqlite::params![text, key_id],
        )
        .unwrap();
    assert_eq!(changed, 1, "one current token for {key_id}");
}

/// The text inside the dialog box titled `title`, its rows joined by single spaces.
fn dialog_text(screen: &str, title: &str) -> String {
    let rows: Vec<Vec<char>> = screen.lines().map(|l| l.chars().collect()).collect();
    let top = rows
        .iter()
        .position(|row| row.iter().collect::<String>().contains(title))
        .unwrap_or_else(|| panic!("no dialog {title:?} on:\n{screen}"));
    let is_corner = |c: &char| matches!(c, '┌' | '╭' | '┐' | '╮');
    let left = rows[top].iter().position(is_corner).unwrap();
    let right = rows[top].iter().rposition(is_corner).unwrap();
    let mut text = String::new();
    for row in &rows[top + 1..] {
        if matches!(row.get(left), Some('└' | '╰')) {
            break;
        }
        let inside: String = row[left + 1..right].iter().collect();
        text.push(' ');
        text.push_str(&inside);
    }
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[tokio::test]
async fn the_duration_dialog_counts_the_keys_that_change_state_both_ways() {
    let server = TestServer::start().await;
    for (label, days) in [
        ("four months a", 120),
        ("four months b", 125),
        ("four months c", 130),
        ("eight months", 250),
        ("three weeks", 20),
    ] {
        let key = server.key_with_roles(label, &[]).await;
        age_token(&server, &key.id, days);
    }
    let mut app = start_on(&server, &server.admin, AppOptions::default());
    app.wait_for("loaded", |f| f.visible_rows == 6 && !f.busy)
        .await;

    // 3 → 6 months: the three 4-month-old tokens stop being outdated, the 8-month one stays.
    app.send("1j<Enter>");
    let frame = app
        .wait_for("confirm", |f| {
            f.dialog.as_deref() == Some("Confirm: Change token duration")
        })
        .await;
    let said = dialog_text(&frame.screen, "Change token duration");
    assert!(
        said.contains("3 keys stop being outdated (tokens 3–6 months old); 1 key stays outdated."),
        "{said}"
    );
    app.send("<Enter>");
    app.wait_for("applied", |f| !f.busy && f.says("6 months"))
        .await;

    // The list agrees: only the 8-month-old token is outdated now.
    app.send("2fff");
    app.wait_for("one outdated", |f| {
        !f.busy && f.screen.contains("outdated") && f.visible_rows == 1
    })
    .await;

    // 6 → 3 months: the same three become outdated again.
    app.send("1k<Enter>");
    let frame = app
        .wait_for("confirm", |f| {
            f.dialog.as_deref() == Some("Confirm: Change token duration")
        })
        .await;
    let said = dialog_text(&frame.screen, "Change token duration");
    assert!(
        said.contains("3 keys become outdated (tokens 3–6 months old); 1 key stays outdated."),
        "{said}"
    );
    app.send("<Enter>");
    app.wait_for("applied", |f| !f.busy && f.says("3 months"))
        .await;
    app.send("2");
    app.wait_for("four outdated", |f| !f.busy && f.visible_rows == 4)
        .await;
    app.quit().await;
}

#[test]
fn the_sentence_agrees_in_number_and_says_when_nothing_changes() {
    let effect = |stop, turn, stay| {
        Some(DurationEffect {
            stop_outdated: stop,
            become_outdated: turn,
            stay_outdated: stay,
        })
    };
    assert_eq!(
        duration_effect(3, 6, effect(1, 0, 0)),
        "1 key stops being outdated (tokens 3–6 months old)."
    );
    assert_eq!(
        duration_effect(6, 3, effect(0, 2, 1)),
        "2 keys become outdated (tokens 3–6 months old); 1 key stays outdated."
    );
    assert_eq!(
        duration_effect(3, 6, effect(0, 0, 0)),
        "No key changes state."
    );
    assert_eq!(
        duration_effect(3, 6, effect(0, 0, 2)),
        "No key changes state; 2 keys stay outdated."
    );
    assert!(duration_effect(3, 6, None).contains("not loaded"));
}
