//! The role picker and the two-step forms (new key, add external key) in the real event loop,
//! against a reference server on 127.0.0.1:0: the picker's height, order, filter and the
//! administrator question; Tab and Esc in the forms; a duplicate external key refused before
//! any request; the created or added row selected afterwards.

mod common;

use apikeys::tui::view::{MIN_HEIGHT, MIN_WIDTH};
use common::TestServer;
use common::tui::{App, AppOptions, Frame, start_on};
use reqwest::Method;
use serde_json::Value;

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

fn names(rows: &[(bool, String)]) -> Vec<String> {
    rows.iter().map(|(_, name)| name.clone()).collect()
}

/// The names of the roles a listed key holds.
async fn held_roles(server: &TestServer, app_key: &str) -> Vec<String> {
    let key = server.listed_key(app_key).await;
    key["roles"]
        .as_array()
        .map(|roles| {
            roles
                .iter()
                .map(|role| match role {
                    Value::String(name) => name.clone(),
                    other => other["name"].as_str().unwrap_or_default().to_string(),
                })
                .collect()
        })
        .unwrap_or_default()
}

async fn account_role_names(server: &TestServer) -> Vec<String> {
    let reply = server
        .admin_call(
            Method::GET,
            "/api/license-manager/site/pvt/roles/list/paged?numItems=100&pageNumber=1",
            None,
        )
        .await;
    reply.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|role| role["name"].as_str().unwrap().to_string())
        .collect()
}

async fn key_by_label(server: &TestServer, label: &str) -> Option<Value> {
    let listed = server
        .admin_call(Method::GET, "/api/vlm/appkeys?expand=roles", None)
        .await;
    listed
        .body
        .as_array()
        .unwrap()
        .iter()
        .find(|key| key["label"] == label)
        .cloned()
}

/// Selects the key labelled `label` (through the filter, kept) and opens its role editor.
async fn edit_roles_of(app: &mut App, label: &str) -> Frame {
    app.send(&format!("/{label}<Enter>"));
    app.wait_for("the key selected", |f| {
        f.selected_label.as_deref() == Some(label) && f.visible_rows == 1 && !f.busy
    })
    .await;
    app.send("e");
    app.wait_for("the role editor", |f| {
        f.dialog.as_deref() == Some("EditRoles") && !picker_rows(&f.screen).is_empty()
    })
    .await
}

/// Closes what is open (a form goes back a step per Esc; an unseen token asks, y closes it),
/// then quits.
async fn close_and_quit(mut app: App) {
    let frame = app.wait_for("a frame", |_| true).await;
    match frame.dialog.as_deref() {
        Some("Token") => app.send("<Esc>y"),
        _ => app.send("<Esc><Esc>"),
    }
    app.wait_for("no dialog", |f| f.dialog.is_none()).await;
    app.quit().await;
}

fn is_selected_line(screen: &str, text: &str) -> bool {
    screen
        .lines()
        .any(|line| line.trim_start().starts_with('›') && line.contains(text))
}

#[tokio::test]
async fn the_role_picker_at_the_minimum_size_shows_roles() {
    let server = TestServer::start().await;
    let options = AppOptions {
        width: MIN_WIDTH,
        height: MIN_HEIGHT,
        ..AppOptions::default()
    };
    let mut app = start_on(&server, &server.admin, options);
    app.wait_for("loaded", |f| f.visible_rows == 1 && !f.busy)
        .await;
    app.send("nERP orders<Enter>");
    let frame = app
        .wait_for("at least three roles in the picker", |f| {
            f.screen.contains("2/2") && picker_rows(&f.screen).len() >= 3
        })
        .await;
    assert!(frame.screen.contains("more"), "it says more roles follow");
    close_and_quit(app).await;
}

#[tokio::test]
async fn the_picker_lists_held_roles_first_sorted_and_as_many_as_fit() {
    let server = TestServer::start().await;
    // Lower- and upper-case names: a case-sensitive sort would put "Zebra…" before "aardvark…".
    for name in ["aardvark reports", "Zebra feed", "beta custom"] {
        server.create_role(name, &[]);
    }
    let held = ["zeta held", "Marketing manager"];
    server.create_role(held[0], &[]);
    server.key_with_roles("Picker subject", &held).await;
    let mut app = start_on(&server, &server.admin, AppOptions::default());
    app.wait_for("loaded", |f| f.visible_rows == 2 && !f.busy)
        .await;
    let frame = edit_roles_of(&mut app, "Picker subject").await;

    let by_name = |list: &mut Vec<String>| list.sort_by_key(|name| name.to_lowercase());
    let mut first: Vec<String> = held.iter().map(|name| name.to_string()).collect();
    by_name(&mut first);
    let mut rest: Vec<String> = account_role_names(&server)
        .await
        .into_iter()
        .filter(|name| !first.contains(name))
        .collect();
    by_name(&mut rest);
    assert!(
        first.len() + rest.len() > 10,
        "more roles than the old 10 rows"
    );
    let rows = picker_rows(&frame.screen);
    let expected: Vec<String> = first.iter().chain(&rest).cloned().collect();
    assert_eq!(names(&rows), expected, "screen:\n{}", frame.screen);
    assert!(rows[..2].iter().all(|(ticked, _)| *ticked));
    assert!(!frame.screen.contains("more"), "all roles fit on 40 rows");
    close_and_quit(app).await;
}

#[tokio::test]
async fn the_picker_filter_narrows_the_roles_and_space_ticks_the_match() {
    let server = TestServer::start().await;
    let mut app = start_on(&server, &server.admin, AppOptions::default());
    app.wait_for("loaded", |f| f.visible_rows == 1 && !f.busy)
        .await;
    app.send("nFiltered roles<Enter>");
    app.wait_for("roles step", |f| picker_rows(&f.screen).len() > 3)
        .await;
    // Letters that are also picker keys (j, k) go into the filter once "/" starts it.
    app.send("/TOKEN renew");
    let frame = app
        .wait_for("one role left", |f| picker_rows(&f.screen).len() == 1)
        .await;
    assert_eq!(names(&picker_rows(&frame.screen)), ["API Token Renewer"]);
    assert!(frame.screen.contains("Filter: TOKEN renew"));
    app.send("<Enter><Space>");
    app.wait_for("ticked", |f| {
        picker_rows(&f.screen) == [(true, "API Token Renewer".to_string())]
    })
    .await;
    app.send("<Enter>");
    app.wait_for("created", |f| f.dialog.as_deref() == Some("Token"))
        .await;
    let key = key_by_label(&server, "Filtered roles").await.unwrap();
    let app_key = key["appKey"].as_str().unwrap();
    assert_eq!(held_roles(&server, app_key).await, ["API Token Renewer"]);
    close_and_quit(app).await;
}

#[tokio::test]
async fn granting_the_owner_role_asks_once_and_only_when_new() {
    let server = TestServer::start().await;
    let viewer = server
        .key_with_roles("Grant subject", &["API Keys Viewer"])
        .await;
    let owner = server
        .key_with_roles("Owner holder", &["Owner (Admin Super)"])
        .await;
    let mut app = start_on(&server, &server.admin, AppOptions::default());
    app.wait_for("loaded", |f| f.visible_rows == 3 && !f.busy)
        .await;
    let question = "can do everything in the account";

    edit_roles_of(&mut app, "Grant subject").await;
    app.send("/owner<Enter><Space><Enter>");
    let asked = app
        .wait_for("the question", |f| f.screen.contains(question))
        .await;
    assert!(asked.screen.contains("Owner (Admin Super)") && asked.screen.contains("(y/n)"));
    assert_eq!(
        held_roles(&server, &viewer.creds.app_key).await,
        ["API Keys Viewer"]
    );
    app.send("n");
    app.wait_for("back to the list, unticked", |f| {
        !f.screen.contains(question)
            && picker_rows(&f.screen).contains(&(false, "Owner (Admin Super)".to_string()))
    })
    .await;
    app.send("<Space><Enter>");
    app.wait_for("asked again", |f| f.screen.contains(question))
        .await;
    app.send("y");
    app.wait_for("saved", |f| f.dialog.is_none() && !f.busy)
        .await;
    let mut roles = held_roles(&server, &viewer.creds.app_key).await;
    roles.sort();
    assert_eq!(roles, ["API Keys Viewer", "Owner (Admin Super)"]);

    // Already held: nothing to ask.
    app.send("<Esc>");
    app.wait_for("all keys", |f| f.visible_rows == 3 && !f.busy)
        .await;
    edit_roles_of(&mut app, "Owner holder").await;
    app.send("/viewer<Enter><Space><Enter>");
    let saved = app
        .wait_for("saved without asking", |f| f.dialog.is_none() && !f.busy)
        .await;
    assert!(!saved.screen.contains(question));
    let mut roles = held_roles(&server, &owner.creds.app_key).await;
    roles.sort();
    assert_eq!(roles, ["API Keys Viewer", "Owner (Admin Super)"]);
    app.quit().await;
}

#[tokio::test]
async fn tab_moves_the_form_forward_and_never_submits() {
    let server = TestServer::start().await;
    let mut app = start_on(&server, &server.admin, AppOptions::default());
    app.wait_for("loaded", |f| f.visible_rows == 1 && !f.busy)
        .await;
    app.send("nTabbed<Tab>");
    app.wait_for("roles step", |f| {
        f.screen.contains("New key · 2/2 roles") && picker_rows(&f.screen).len() > 3
    })
    .await;
    app.send("<Tab>");
    app.send("<Space>"); // a key after the Tab: its frame shows what Tab did
    let frame = app
        .wait_for("ticked", |f| f.screen.contains("1 role chosen."))
        .await;
    assert_eq!(frame.dialog.as_deref(), Some("NewKey"));
    assert!(!frame.busy && key_by_label(&server, "Tabbed").await.is_none());
    close_and_quit(app).await;
}

#[tokio::test]
async fn esc_on_the_roles_step_goes_back_to_the_label_keeping_both() {
    let server = TestServer::start().await;
    let mut app = start_on(&server, &server.admin, AppOptions::default());
    app.wait_for("loaded", |f| f.visible_rows == 1 && !f.busy)
        .await;
    app.send("nKept label<Enter><Down><Space>");
    let ticked = app
        .wait_for("one role ticked", |f| f.screen.contains("1 role chosen."))
        .await;
    let before = picker_rows(&ticked.screen);
    app.send("<Esc>");
    let label = app
        .wait_for("the label step", |f| {
            f.screen.contains("New key · 1/2 label")
        })
        .await;
    assert!(label.screen.contains("Kept label"), "{}", label.screen);
    app.send("<Enter>");
    let back = app
        .wait_for("the roles again", |f| {
            f.screen.contains("New key · 2/2 roles")
        })
        .await;
    assert_eq!(picker_rows(&back.screen), before);
    app.send("<Esc><Esc>");
    app.wait_for("closed", |f| f.dialog.is_none()).await;
    app.quit().await;
}

#[tokio::test]
async fn a_duplicate_external_key_is_refused_at_the_first_step() {
    let server = TestServer::start_with(true).await;
    let listed = server
        .admin_call(Method::GET, "/api/vlm/external-appkeys", None)
        .await
        .body;
    let count = listed.as_array().unwrap().len();
    let existing = listed[0]["appKey"].as_str().unwrap().to_string();
    let mut app = start_on(&server, &server.admin, AppOptions::default());
    app.wait_for("loaded", |f| f.visible_rows == 61 && !f.busy)
        .await;
    app.send("3");
    app.wait_for("external keys listed", |f| {
        f.screen.contains(&existing) && !f.busy
    })
    .await;
    app.send("a");
    app.wait_for("add dialog", |f| f.dialog.as_deref() == Some("AddExternal"))
        .await;
    app.paste(&existing);
    app.send("<Enter>");
    let frame = app
        .wait_for("refused", |f| {
            f.screen.contains("is already in the external")
        })
        .await;
    assert!(frame.screen.contains("Add external key · 1/2 key"));
    assert!(!frame.busy, "no request was sent");
    let after = server
        .admin_call(Method::GET, "/api/vlm/external-appkeys", None)
        .await
        .body;
    assert_eq!(after.as_array().unwrap().len(), count);
    close_and_quit(app).await;
}

#[tokio::test]
async fn a_created_key_is_selected_in_the_refreshed_list() {
    let server = TestServer::start_with(true).await;
    let mut app = start_on(&server, &server.admin, AppOptions::default());
    app.wait_for("loaded", |f| f.visible_rows == 61 && !f.busy)
        .await;
    // Sorted by name, it is the last row, below the first screen.
    app.send("nZz created last<Enter><Enter>");
    app.wait_for("token", |f| f.dialog.as_deref() == Some("Token"))
        .await;
    // Never revealed nor copied: closing asks once.
    app.send("<Esc>y");
    let frame = app
        .wait_for("the new key selected", |f| {
            f.dialog.is_none() && f.selected_label.as_deref() == Some("Zz created last")
        })
        .await;
    assert!(is_selected_line(&frame.screen, "Zz created last"));
    app.quit().await;
}

#[tokio::test]
async fn a_created_key_the_filter_hides_is_announced() {
    let server = TestServer::start_with(true).await;
    let mut app = start_on(&server, &server.admin, AppOptions::default());
    app.wait_for("loaded", |f| f.visible_rows == 61 && !f.busy)
        .await;
    app.send("/sap<Enter>");
    app.wait_for("filtered", |f| f.visible_rows < 61).await;
    app.send("nHidden new key<Enter><Enter>");
    app.wait_for("said hidden", |f| {
        f.says("hidden by the filter; Esc clears it") && !f.busy
    })
    .await;
    app.send("<Esc>y<Esc>");
    app.wait_for("filter cleared", |f| f.visible_rows == 62)
        .await;
    app.quit().await;
}

#[tokio::test]
async fn an_added_external_key_is_selected() {
    let server = TestServer::start_with(true).await;
    let mut app = start_on(&server, &server.admin, AppOptions::default());
    app.wait_for("loaded", |f| f.visible_rows == 61 && !f.busy)
        .await;
    app.send("3");
    app.wait_for("external keys", |f| {
        f.screen.contains("External keys") && !f.busy
    })
    .await;
    app.send("a");
    app.wait_for("add dialog", |f| f.dialog.as_deref() == Some("AddExternal"))
        .await;
    app.paste("vtexappkey-zzpartner-QWERTY");
    app.send("<Enter><Enter>");
    let frame = app
        .wait_for("the added key selected", |f| {
            f.dialog.is_none()
                && !f.busy
                && is_selected_line(&f.screen, "vtexappkey-zzpartner-QWERTY")
        })
        .await;
    assert!(frame.says_first("Added"));
    app.quit().await;
}

#[tokio::test]
async fn esc_with_a_kept_role_filter_clears_it_and_keeps_the_ticks() {
    let server = TestServer::start().await;
    let subject = server.key_with_roles("Filter subject", &[]).await;
    let mut app = start_on(&server, &server.admin, AppOptions::default());
    app.wait_for("loaded", |f| f.visible_rows == 2 && !f.busy)
        .await;
    let all = edit_roles_of(&mut app, "Filter subject").await;
    let count = picker_rows(&all.screen).len();
    app.send("/viewer<Enter><Space>");
    app.wait_for("ticked through the filter", |f| {
        picker_rows(&f.screen) == [(true, "API Keys Viewer".to_string())]
    })
    .await;
    app.send("<Esc>");
    let cleared = app
        .wait_for("every role again", |f| {
            picker_rows(&f.screen).len() == count
        })
        .await;
    assert_eq!(cleared.dialog.as_deref(), Some("EditRoles"));
    assert!(picker_rows(&cleared.screen).contains(&(true, "API Keys Viewer".to_string())));
    app.send("<Enter>");
    app.wait_for("saved", |f| f.dialog.is_none() && !f.busy)
        .await;
    assert_eq!(
        held_roles(&server, &subject.creds.app_key).await,
        ["API Keys Viewer"]
    );
    app.quit().await;
}
