//! Issue 11, the real loop against a reference server on 127.0.0.1:0: no key acts on a screen
//! too small to show it; a confirmation's focus is drawn where Enter acts and moves with Tab
//! and the arrows; a token never seen nor copied is not closed without asking; with the mouse
//! on, clicks select tabs and rows and press buttons.

mod common;

use common::TestServer;
use common::tui::{App, AppOptions, Frame, start_on};
use ratatui::buffer::Buffer;
use ratatui::style::Modifier;
use serde_json::Value;

async fn server_keys(server: &TestServer) -> Vec<Value> {
    let admin = server.admin.clone();
    server
        .get(&admin, "/api/vlm/appkeys")
        .await
        .body
        .as_array()
        .unwrap()
        .clone()
}

/// Each key's id and whether it is active, sorted by id.
async fn key_states(server: &TestServer) -> Vec<(String, bool)> {
    let mut states: Vec<(String, bool)> = server_keys(server)
        .await
        .iter()
        .map(|k| {
            (
                k["id"].as_str().unwrap().to_string(),
                k["isActive"].as_bool().unwrap(),
            )
        })
        .collect();
    states.sort();
    states
}

async fn is_active(server: &TestServer, label: &str) -> Option<bool> {
    server_keys(server)
        .await
        .iter()
        .find(|k| k["label"] == label)
        .map(|k| k["isActive"].as_bool().unwrap())
}

/// The cell column and row where `text` starts on screen (cells, not bytes).
fn find(buffer: &Buffer, text: &str) -> Option<(u16, u16)> {
    let want: Vec<String> = text.chars().map(String::from).collect();
    let area = buffer.area;
    for y in 0..area.height {
        for x in 0..area.width.saturating_sub(want.len() as u16 - 1) {
            let matches = want
                .iter()
                .enumerate()
                .all(|(i, c)| buffer[(x + i as u16, y)].symbol() == c);
            if matches {
                return Some((x, y));
            }
        }
    }
    None
}

/// Whether `text` is on screen drawn reversed (the focused button); false when it is not on
/// screen at all.
fn reversed(frame: &Frame, text: &str) -> bool {
    find(&frame.buffer, text).is_some_and(|(x, y)| {
        frame.buffer[(x + 2, y)]
            .modifier
            .contains(Modifier::REVERSED)
    })
}

async fn loaded(app: &mut App, server: &TestServer) -> Frame {
    let count = server_keys(server).await.len();
    app.wait_for("every key listed", |f| !f.busy && f.visible_rows == count)
        .await
}

async fn select(app: &mut App, label: &str) {
    app.send(&format!("/{label}<Enter>"));
    app.wait_for(label, |f| {
        f.selected_label.as_deref() == Some(label) && f.visible_rows == 1
    })
    .await;
}

#[tokio::test]
async fn keys_do_nothing_while_the_terminal_is_too_small_but_q_quits() {
    let server = TestServer::start().await;
    server.key_with_roles("Alpha", &[]).await;
    server.key_with_roles("Bravo", &[]).await;
    let before = key_states(&server).await;
    let options = AppOptions {
        width: 30,
        height: 8,
        ..AppOptions::default()
    };
    let mut app = start_on(&server, &server.admin, options);
    // Answers still arrive while only the notice is drawn.
    let small = loaded(&mut app, &server).await;
    assert!(
        small.screen.contains("Terminal too small"),
        "{}",
        small.screen
    );

    // Deactivate, then delete, the selected key, blind; a paste and Esc too.
    app.send("t<Enter>");
    app.send("d<Space><Enter>");
    app.paste("pasted");
    app.send("<Esc>n");
    app.resize(140, 40);
    let big = app
        .wait_for("the app drawn again", |f| {
            !f.busy && f.screen.contains("Alpha") && f.screen.contains("Bravo")
        })
        .await;
    assert_eq!(big.dialog, None, "no dialog was opened blind");
    assert_eq!(
        key_states(&server).await,
        before,
        "nothing changed on the server"
    );

    app.resize(30, 8);
    app.wait_for("too small again", |f| {
        f.screen.contains("Terminal too small")
    })
    .await;
    app.quit().await; // q still quits
}

#[tokio::test]
async fn a_dialog_waits_while_the_terminal_is_too_small() {
    let server = TestServer::start().await;
    server.key_with_roles("Alpha", &[]).await;
    let mut app = start_on(&server, &server.admin, AppOptions::default());
    loaded(&mut app, &server).await;
    select(&mut app, "Alpha").await;
    app.send("t");
    app.wait_for("the confirmation", |f| f.dialog.is_some())
        .await;

    app.resize(30, 8);
    app.wait_for("too small", |f| f.screen.contains("Terminal too small"))
        .await;
    app.send("<Enter>y");
    app.resize(140, 40);
    let frame = app
        .wait_for("the confirmation, still open", |f| {
            !f.busy && f.screen.contains("[ Deactivate ]")
        })
        .await;
    assert!(frame.dialog.is_some());
    assert_eq!(is_active(&server, "Alpha").await, Some(true));
    app.send("<Esc>");
    app.wait_for("closed", |f| f.dialog.is_none()).await;
    app.quit().await;
}

#[tokio::test]
async fn the_confirmation_draws_its_focus_where_enter_acts() {
    let server = TestServer::start().await;
    server.key_with_roles("Alpha", &[]).await;
    let mut app = start_on(&server, &server.admin, AppOptions::default());
    loaded(&mut app, &server).await;
    select(&mut app, "Alpha").await;

    // The action is focused first; Tab moves the focus to Cancel, and Enter then cancels.
    app.send("t");
    let open = app
        .wait_for("the confirmation", |f| f.screen.contains("[ Cancel ]"))
        .await;
    assert!(reversed(&open, "[ Deactivate ]"), "the action is focused");
    assert!(!reversed(&open, "[ Cancel ]"), "Cancel is not");
    assert!(open.screen.contains("Enter deactivate"), "{}", open.screen);
    app.send("<Tab>");
    let moved = app
        .wait_for("Cancel focused", |f| {
            f.screen.contains("[ Cancel ]") && reversed(f, "[ Cancel ]")
        })
        .await;
    assert!(!reversed(&moved, "[ Deactivate ]"));
    assert!(moved.screen.contains("Enter cancel"), "{}", moved.screen);
    app.send("<Enter>");
    let closed = app
        .wait_for("closed", |f| f.dialog.is_none() && !f.busy)
        .await;
    assert!(!closed.busy);
    assert_eq!(
        is_active(&server, "Alpha").await,
        Some(true),
        "Enter cancelled"
    );

    // → and ← (and l, h) move it too; Enter acts on the action when it is focused.
    app.send("t");
    app.wait_for("the confirmation", |f| f.dialog.is_some())
        .await;
    app.send("<Right>");
    app.wait_for("Cancel focused", |f| reversed(f, "[ Cancel ]"))
        .await;
    app.send("<Left>");
    app.wait_for("the action focused", |f| reversed(f, "[ Deactivate ]"))
        .await;
    app.send("l");
    app.wait_for("Cancel focused", |f| reversed(f, "[ Cancel ]"))
        .await;
    app.send("h");
    app.wait_for("the action focused", |f| reversed(f, "[ Deactivate ]"))
        .await;
    app.send("<Enter>");
    app.wait_for("deactivated", |f| f.dialog.is_none() && !f.busy)
        .await;
    assert_eq!(is_active(&server, "Alpha").await, Some(false));

    // y accepts whatever has the focus; n and Esc cancel.
    app.send("t"); // activates, asking nothing
    app.wait_for("active again", |f| {
        !f.busy && f.screen.contains("Active") && !f.screen.contains("Inactive")
    })
    .await;
    for cancel in ["n", "<Esc>"] {
        app.send("t");
        app.wait_for("the confirmation", |f| f.dialog.is_some())
            .await;
        app.send(cancel);
        app.wait_for("cancelled", |f| f.dialog.is_none()).await;
    }
    assert_eq!(is_active(&server, "Alpha").await, Some(true));
    app.send("t<Tab>");
    app.wait_for("Cancel focused", |f| reversed(f, "[ Cancel ]"))
        .await;
    app.send("y");
    app.wait_for("deactivated", |f| f.dialog.is_none() && !f.busy)
        .await;
    assert_eq!(is_active(&server, "Alpha").await, Some(false));
    app.quit().await;
}

#[tokio::test]
async fn the_delete_dialog_draws_its_focus_where_enter_acts() {
    let server = TestServer::start().await;
    server.key_with_roles("Alpha", &[]).await;
    let mut app = start_on(&server, &server.admin, AppOptions::default());
    loaded(&mut app, &server).await;
    select(&mut app, "Alpha").await;
    app.send("d<Space>");
    let open = app
        .wait_for("ticked", |f| {
            f.screen.contains("[x]") && f.screen.contains("[ Delete ]")
        })
        .await;
    assert!(reversed(&open, "[ Delete ]"));
    app.send("<Tab>");
    app.wait_for("Cancel focused", |f| reversed(f, "[ Cancel ]"))
        .await;
    app.send("<Enter>");
    app.wait_for("closed", |f| f.dialog.is_none() && !f.busy)
        .await;
    assert_eq!(is_active(&server, "Alpha").await, Some(true), "not deleted");
    app.quit().await;
}

/// Creates a key through the new-key dialog; waits for its token dialog.
async fn create_key(app: &mut App, label: &str) {
    app.send(&format!("n{label}<Enter>"));
    app.wait_for("the roles step", |f| {
        f.dialog.as_deref() == Some("NewKey") && !f.busy
    })
    .await;
    app.send("<Enter>");
    app.wait_for("the token", |f| f.dialog.as_deref() == Some("Token"))
        .await;
}

const ASKS: &str = "It cannot be shown again. Close anyway?";

#[tokio::test]
async fn a_token_neither_revealed_nor_copied_is_not_closed_without_asking() {
    let server = TestServer::start().await;
    let mut app = start_on(&server, &server.admin, AppOptions::default());
    loaded(&mut app, &server).await;
    create_key(&mut app, "Unseen").await;

    // Esc asks; n goes back to the token, Esc too.
    for back in ["n", "<Esc>"] {
        app.send("<Esc>");
        let asked = app
            .wait_for("the question", |f| f.screen.contains(ASKS))
            .await;
        assert_eq!(asked.dialog.as_deref(), Some("Token"));
        app.send(back);
        let token = app
            .wait_for("back to the token", |f| !f.screen.contains(ASKS))
            .await;
        assert_eq!(token.dialog.as_deref(), Some("Token"));
    }
    // q, then a second q, closes; Enter then y does too.
    app.send("q");
    app.wait_for("the question", |f| f.screen.contains(ASKS))
        .await;
    app.send("q");
    let closed = app.wait_for("closed", |f| f.dialog.is_none()).await;
    assert!(closed.says("wiped"), "{:?}", closed.status);

    create_key(&mut app, "Unseen too").await;
    app.send("<Enter>");
    app.wait_for("the question", |f| f.screen.contains(ASKS))
        .await;
    app.send("y");
    app.wait_for("closed", |f| f.dialog.is_none()).await;
    app.quit().await;
}

#[tokio::test]
async fn a_token_revealed_or_copied_closes_at_once() {
    let server = TestServer::start().await;
    let mut app = start_on(&server, &server.admin, AppOptions::default());
    loaded(&mut app, &server).await;

    // Revealed, even if hidden again.
    create_key(&mut app, "Seen").await;
    app.send("vv<Esc>");
    let closed = app.wait_for("closed", |f| f.dialog.is_none()).await;
    assert!(!closed.screen.contains(ASKS));

    create_key(&mut app, "Copied").await;
    app.send("c");
    app.wait_for("copied", |f| f.screen.contains("copied (test clipboard)"))
        .await;
    app.send("<Enter>");
    app.wait_for("closed", |f| f.dialog.is_none()).await;
    assert_eq!(app.clipboard.0.lock().unwrap().len(), 1);
    app.quit().await;
}

/// The column and row where `text` is on screen.
fn at(frame: &Frame, text: &str) -> (u16, u16) {
    find(&frame.buffer, text)
        .unwrap_or_else(|| panic!("{text:?} is not on screen:\n{}", frame.screen))
}

#[tokio::test]
async fn with_the_mouse_clicks_select_tabs_and_rows_and_press_buttons() {
    let server = TestServer::start().await;
    server.key_with_roles("Alpha", &[]).await;
    server.key_with_roles("Bravo", &[]).await;
    let options = AppOptions {
        mouse: true,
        ..AppOptions::default()
    };
    let mut app = start_on(&server, &server.admin, options);
    let frame = loaded(&mut app, &server).await;
    use apikeys::tui::state::Tab;

    // Tabs.
    let (x, y) = at(&frame, "3 External keys");
    app.click(x + 2, y);
    let external = app
        .wait_for("the External pane", |f| f.tab == Some(Tab::External))
        .await;
    let (x, y) = at(&external, "2 Generated keys");
    app.click(x, y);
    let keys = app
        .wait_for("the Generated keys pane", |f| f.tab == Some(Tab::Keys))
        .await;

    // Rows: a click selects; a second click on the selected row opens its details.
    let (x, y) = at(&keys, "Bravo");
    app.click(x, y);
    app.wait_for("Bravo selected", |f| {
        f.selected_label.as_deref() == Some("Bravo")
    })
    .await;
    let (x, y) = at(&keys, "Alpha");
    app.click(x, y);
    app.wait_for("Alpha selected", |f| {
        f.selected_label.as_deref() == Some("Alpha")
    })
    .await;
    app.click(x, y);
    app.wait_for("the details", |f| f.dialog.as_deref() == Some("Details"))
        .await;
    app.send("<Esc>");

    // Buttons: a click presses the button it lands on.
    app.send("t");
    let confirm = app
        .wait_for("the confirmation", |f| f.screen.contains("[ Cancel ]"))
        .await;
    let (x, y) = at(&confirm, "[ Cancel ]");
    app.click(x + 3, y);
    app.wait_for("cancelled", |f| f.dialog.is_none()).await;
    assert_eq!(is_active(&server, "Alpha").await, Some(true));
    app.send("t");
    let confirm = app
        .wait_for("the confirmation", |f| f.screen.contains("[ Deactivate ]"))
        .await;
    // A click on nothing (the title bar) does nothing.
    app.click(1, 0);
    let (x, y) = at(&confirm, "[ Deactivate ]");
    app.click(x + 3, y);
    app.wait_for("deactivated", |f| f.dialog.is_none() && !f.busy)
        .await;
    assert_eq!(is_active(&server, "Alpha").await, Some(false));
    app.quit().await;
}

#[tokio::test]
async fn without_the_mouse_a_click_does_nothing() {
    let server = TestServer::start().await;
    let mut app = start_on(&server, &server.admin, AppOptions::default());
    let frame = loaded(&mut app, &server).await;
    let (x, y) = at(&frame, "3 External keys");
    app.click(x + 2, y);
    app.send("?"); // something that does show, to know the click was handled before it
    let help = app
        .wait_for("the help", |f| f.dialog.as_deref() == Some("Help"))
        .await;
    assert_eq!(help.tab, Some(apikeys::tui::state::Tab::Keys));
    app.send("<Esc>");
    app.quit().await;
}
