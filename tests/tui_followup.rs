//! Follow-up of issue 11's QA trial, in the real event loop against a reference server on
//! 127.0.0.1:0: switching panes clears the information the pane left gave; "n" to the Owner
//! question unticks it; a pending renewal dims `r` with its reason; g G Home End move in the
//! role picker; a key the filter hides is still announced once its token closes; the own-key
//! refusals fit the status line.

mod common;

use std::sync::Arc;

use apikeys::tui::state::Tab;
use common::TestServer;
use common::tui::{App, AppOptions, Clock, Frame, start_on};
use ratatui::buffer::Buffer;
use ratatui::style::Color;
use reqwest::{Method, StatusCode};

/// A clock that never moves: information on the status line does not expire by itself, so
/// only what the app does clears it.
fn frozen() -> Clock {
    let now = chrono::Utc::now();
    Arc::new(move || now)
}

fn frozen_options() -> AppOptions {
    AppOptions {
        clock: Some(frozen()),
        mouse: true,
        ..AppOptions::default()
    }
}

/// The role names the picker shows on screen, in order, with whether each is ticked.
fn picker_rows(screen: &str) -> Vec<(bool, String)> {
    screen
        .lines()
        .filter_map(|line| {
            let (ticked, at) = match (line.find("[x] "), line.find("[ ] ")) {
                (Some(at), _) => (true, at),
                (None, Some(at)) => (false, at),
                (None, None) => return None,
            };
            let name = line[at + 4..].split('│').next().unwrap_or("").trim();
            Some((ticked, name.to_string()))
        })
        .collect()
}

fn ticked(screen: &str) -> Vec<String> {
    picker_rows(screen)
        .into_iter()
        .filter(|(ticked, _)| *ticked)
        .map(|(_, name)| name)
        .collect()
}

fn row_text(buffer: &Buffer, y: u16) -> String {
    (0..buffer.area.width)
        .map(|x| buffer[(x, y)].symbol())
        .collect()
}

/// The column and row where `text` first is on screen.
fn find(buffer: &Buffer, text: &str) -> Option<(u16, u16)> {
    (0..buffer.area.height).find_map(|y| {
        let row = row_text(buffer, y);
        let byte = row.find(text)?;
        Some((row[..byte].chars().count() as u16, y))
    })
}

async fn select_by_filter(app: &mut App, label: &str) {
    app.send(&format!("/{label}<Enter>"));
    app.wait_for("the key selected", |f| {
        f.selected_label.as_deref() == Some(label) && f.visible_rows == 1 && !f.busy
    })
    .await;
}

/// What `f` says: "Showing active keys.", "Showing inactive keys."...
const SHOWING: &str = "Showing";

#[tokio::test]
async fn switching_panes_clears_the_information_the_pane_left_gave() {
    let server = TestServer::start_with(true).await;
    let mut app = start_on(&server, &server.admin, frozen_options());
    app.wait_for("loaded", |f| f.visible_rows == 61 && !f.busy)
        .await;
    let on = |tab: Tab| move |f: &Frame| f.tab == Some(tab) && !f.busy;

    // 3, from Generated keys.
    app.send("f");
    app.wait_for("the filter said", |f| f.says(SHOWING)).await;
    app.send("3");
    let external = app.wait_for("External keys", on(Tab::External)).await;
    assert!(!external.says(SHOWING), "{:?}", external.status);

    // Tab, from External keys (its own status filter) to Settings.
    app.send("f");
    app.wait_for("the filter said", |f| f.says(SHOWING)).await;
    app.send("<Tab>");
    let settings = app.wait_for("Settings", on(Tab::Settings)).await;
    assert!(!settings.says(SHOWING), "{:?}", settings.status);

    // S-Tab, from Generated keys to Settings.
    app.send("2f");
    app.wait_for("the filter said", |f| {
        f.tab == Some(Tab::Keys) && f.says(SHOWING)
    })
    .await;
    app.send("<S-Tab>");
    let settings = app.wait_for("Settings", on(Tab::Settings)).await;
    assert!(!settings.says(SHOWING), "{:?}", settings.status);

    // A click on a tab.
    app.send("2f");
    let keys = app
        .wait_for("the filter said", |f| {
            f.tab == Some(Tab::Keys) && f.says(SHOWING)
        })
        .await;
    let (x, y) = find(&keys.buffer, "3 External keys").expect("the tab is on screen");
    app.click(x + 2, y);
    let external = app.wait_for("External keys", on(Tab::External)).await;
    assert!(!external.says(SHOWING), "{:?}", external.status);

    app.quit().await;
}

#[tokio::test]
async fn declining_the_owner_role_unticks_it_and_says_so() {
    let server = TestServer::start().await;
    let subject = server
        .key_with_roles("Grant subject", &["API Keys Viewer"])
        .await;
    let mut app = start_on(&server, &server.admin, AppOptions::default());
    app.wait_for("loaded", |f| f.visible_rows == 2 && !f.busy)
        .await;
    let question = "can do everything in the account";
    select_by_filter(&mut app, "Grant subject").await;
    app.send("e");
    app.wait_for("the role editor", |f| {
        f.dialog.as_deref() == Some("EditRoles") && !picker_rows(&f.screen).is_empty()
    })
    .await;
    app.send("/owner<Enter><Space><Enter>");
    app.wait_for("the question", |f| f.screen.contains(question))
        .await;
    app.send("n");
    let declined = app
        .wait_for("back to the list, Owner unticked", |f| {
            !f.screen.contains(question)
                && picker_rows(&f.screen).contains(&(false, "Owner (Admin Super)".to_string()))
        })
        .await;
    assert!(
        declined.screen.contains("Not granted: Owner (Admin Super)"),
        "{}",
        declined.screen
    );
    // Nothing newly ticked: Enter saves nothing and asks nothing.
    app.send("<Enter>");
    let closed = app
        .wait_for("closed", |f| f.dialog.is_none() && !f.busy)
        .await;
    assert!(closed.says("No role changed."), "{:?}", closed.status);
    let listed = server.listed_key(&subject.creds.app_key).await;
    assert_eq!(
        listed["roles"].as_array().map(Vec::len),
        Some(1),
        "{listed}"
    );

    // Esc declines as n does.
    app.send("e");
    app.wait_for("the role editor", |f| {
        f.dialog.as_deref() == Some("EditRoles")
    })
    .await;
    app.send("/owner<Enter><Space><Enter>");
    app.wait_for("the question", |f| f.screen.contains(question))
        .await;
    app.send("<Esc>");
    app.wait_for("Owner unticked", |f| {
        f.dialog.as_deref() == Some("EditRoles")
            && picker_rows(&f.screen).contains(&(false, "Owner (Admin Super)".to_string()))
    })
    .await;
    app.send("<Esc><Esc>");
    app.quit().await;
}

#[tokio::test]
async fn a_pending_renewal_dims_renew_with_its_reason_and_shows_f_and_u() {
    let server = TestServer::start().await;
    let key = server.key_with_roles("Pending one", &[]).await;
    let path = format!("/api/vtexid/apikey/{}/apitoken/renew", key.creds.app_key);
    let renewed = server.admin_call(Method::PATCH, &path, None).await;
    assert_eq!(renewed.status, StatusCode::OK, "{}", renewed.text);
    let mut app = start_on(&server, &server.admin, AppOptions::default());
    app.wait_for("loaded", |f| f.visible_rows == 2 && !f.busy)
        .await;
    select_by_filter(&mut app, "Pending one").await;
    let frame = app.wait_for("drawn", |f| !f.busy).await;

    let bottom = frame.buffer.area.height - 1;
    let (x, y) = (bottom - 1..=bottom)
        .find_map(|y| {
            let row = row_text(&frame.buffer, y);
            let byte = row.find("r renew")?;
            Some((row[..byte].chars().count() as u16, y))
        })
        .unwrap_or_else(|| panic!("no r renew in the key bar:\n{}", frame.screen));
    assert_eq!(
        frame.buffer[(x, y)].fg,
        Color::DarkGray,
        "r is dimmed:\n{}",
        row_text(&frame.buffer, y)
    );

    app.send("r");
    let refused = app
        .wait_for("the refusal", |f| f.says_first("Cannot renew"))
        .await;
    assert_eq!(refused.dialog, None);
    assert!(
        refused.says("a renewal is already pending") && refused.says("F") && refused.says("u"),
        "{:?}",
        refused.status
    );

    app.send("?");
    let help = app.wait_for("the help", |f| f.dialog.is_some()).await;
    let flat = help.screen.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(flat.contains("a renewal is already pending"), "{flat}");
    assert!(flat.contains("delete old token"), "{flat}");
    assert!(flat.contains("undo renewal"), "{flat}");
    app.send("<Esc>");
    app.quit().await;
}

#[tokio::test]
async fn top_bottom_home_and_end_move_in_the_role_pickers() {
    let server = TestServer::start().await;
    server.key_with_roles("Picker subject", &[]).await;
    let mut app = start_on(&server, &server.admin, AppOptions::default());
    app.wait_for("loaded", |f| f.visible_rows == 2 && !f.busy)
        .await;
    select_by_filter(&mut app, "Picker subject").await;
    app.send("e");
    let editor = app
        .wait_for("the role editor", |f| {
            f.dialog.as_deref() == Some("EditRoles") && !picker_rows(&f.screen).is_empty()
        })
        .await;
    let first = picker_rows(&editor.screen)[0].1.clone();
    app.send("G<Space>");
    let at_bottom = app
        .wait_for("one role ticked", |f| ticked(&f.screen).len() == 1)
        .await;
    let rows = picker_rows(&at_bottom.screen);
    assert_eq!(
        ticked(&at_bottom.screen),
        [rows.last().unwrap().1.clone()],
        "G went to the last role:\n{}",
        at_bottom.screen
    );
    assert_ne!(rows.last().unwrap().1, first);
    app.send("g<Space>");
    let at_top = app
        .wait_for("two roles ticked", |f| ticked(&f.screen).len() == 2)
        .await;
    assert_eq!(picker_rows(&at_top.screen)[0], (true, first.clone()));
    app.send("<Esc>");
    app.wait_for("closed", |f| f.dialog.is_none()).await;

    // The new key's roles step: End and Home.
    app.send("nHome and End<Enter>");
    app.wait_for("the roles step", |f| {
        f.dialog.as_deref() == Some("NewKey") && !picker_rows(&f.screen).is_empty()
    })
    .await;
    app.send("<End><Space>");
    let at_end = app
        .wait_for("one role ticked", |f| ticked(&f.screen).len() == 1)
        .await;
    let rows = picker_rows(&at_end.screen);
    assert_eq!(
        ticked(&at_end.screen),
        [rows.last().unwrap().1.clone()],
        "End went to the last role:\n{}",
        at_end.screen
    );
    app.send("<Home><Space>");
    let at_home = app
        .wait_for("two roles ticked", |f| ticked(&f.screen).len() == 2)
        .await;
    assert_eq!(picker_rows(&at_home.screen)[0], (true, first));
    app.send("<Esc><Esc>");
    app.quit().await;
}

#[tokio::test]
async fn a_created_key_the_filter_hides_is_announced_after_its_token_closes() {
    let server = TestServer::start_with(true).await;
    let mut app = start_on(&server, &server.admin, frozen_options());
    app.wait_for("loaded", |f| f.visible_rows == 61 && !f.busy)
        .await;
    app.send("/sap<Enter>");
    app.wait_for("filtered", |f| f.visible_rows < 61).await;
    app.send("nHidden new key<Enter><Enter>");
    // The refreshed list arrives while the token is shown.
    app.wait_for("the token, the list refreshed", |f| {
        f.dialog.as_deref() == Some("Token") && !f.busy && f.says("hidden by the filter")
    })
    .await;
    app.send("<Esc>y");
    let closed = app
        .wait_for("the token closed", |f| f.dialog.is_none() && !f.busy)
        .await;
    assert!(
        closed.says("hidden by the filter; Esc clears it"),
        "{:?}",
        closed.status
    );
    assert!(closed.says("wiped"), "{:?}", closed.status);
    app.quit().await;
}

#[tokio::test]
async fn the_own_key_refusals_fit_the_status_line() {
    let server = TestServer::start().await;
    server.key_with_roles("Another key", &[]).await;
    let mut app = start_on(&server, &server.admin, frozen_options());
    app.wait_idle_with("Another key").await;
    app.send("/apikeys admin<Enter>");
    app.wait_for("the own row selected", |f| {
        f.visible_rows == 1
            && f.selected_label
                .as_deref()
                .is_some_and(|l| l.contains("admin"))
    })
    .await;
    for (key, doing) in [("t", "deactivating"), ("d", "deleting")] {
        app.send(key);
        let frame = app
            .wait_for(doing, |f| f.says(doing) || f.dialog.is_some())
            .await;
        assert_eq!(frame.dialog, None, "{key} opened a dialog on the own key");
        let status = frame.status.unwrap();
        assert!(status.starts_with("Cannot"), "{status}");
        assert!(
            status.contains("your own key") && status.contains("you out"),
            "{status}"
        );
        assert!(status.contains("another key"), "{status}");
        assert!(
            status.chars().count() <= 90,
            "{} columns: {status}",
            status.chars().count()
        );
    }
    app.quit().await;
}
