//! Issue 11: `y` copies the selected key's appKey — in the Generated and External keys lists,
//! and in the token dialog (where `c` still copies the token). Through the clipboard the loop
//! is given (a recording fake here), against a reference server on 127.0.0.1:0.

mod common;

use common::TestServer;
use common::tui::{AppOptions, start_on};
use reqwest::Method;
use serde_json::json;

#[tokio::test]
async fn y_copies_the_selected_app_key_in_both_lists_and_y_still_accepts_a_confirmation() {
    let server = TestServer::start().await;
    let key = server.key_with_roles("Copy me", &[]).await;
    let catalog = server.role_id("Catalog editor");
    let added = server
        .admin_call(
            Method::POST,
            "/api/vlm/external-appkeys",
            Some(json!({"appKey": "vtexappkey-partner-QWERTY", "roles": [catalog]})),
        )
        .await;
    assert!(added.status.is_success(), "{}", added.text);

    let mut app = start_on(&server, &server.admin, AppOptions::default());
    let copies = app.clipboard.0.clone();
    app.wait_for("the keys listed", |f| f.visible_rows >= 2 && !f.busy)
        .await;
    app.send("/Copy me<Enter>");
    app.wait_for("the key selected", |f| {
        f.selected_label.as_deref() == Some("Copy me")
    })
    .await;
    app.send("y");
    app.wait_for("the copy reported", |f| f.says("(test clipboard)"))
        .await;
    assert_eq!(*copies.lock().unwrap(), [key.creds.app_key.as_str()]);

    app.send("3");
    app.wait_for("the external key", |f| {
        f.screen.contains("vtexappkey-partner-QWERTY") && !f.busy
    })
    .await;
    app.send("y");
    app.wait_for("the second copy", |_| count(&copies) == 2)
        .await;
    assert_eq!(
        app.clipboard.0.lock().unwrap().last().map(String::as_str),
        Some("vtexappkey-partner-QWERTY")
    );

    // In a confirmation `y` is still "yes": it deactivates, and copies nothing.
    app.send("2t");
    app.wait_for("the confirmation", |f| {
        f.dialog
            .as_deref()
            .is_some_and(|d| d.starts_with("Confirm"))
    })
    .await;
    app.send("y");
    app.wait_for("deactivated", |f| {
        f.dialog.is_none() && !f.busy && f.says("is inactive")
    })
    .await;
    assert_eq!(count(&copies), 2);
    assert_eq!(
        server.listed_key(&key.creds.app_key).await["isActive"],
        false
    );
    app.quit().await;
}

type Copies = std::sync::Arc<std::sync::Mutex<Vec<String>>>;

fn count(copies: &Copies) -> usize {
    copies.lock().unwrap().len()
}

#[tokio::test]
async fn in_the_token_dialog_y_copies_the_app_key_and_c_the_token() {
    let server = TestServer::start().await;
    let key = server.key_with_roles("Renew me", &[]).await;
    let mut app = start_on(&server, &server.admin, AppOptions::default());
    let copies = app.clipboard.0.clone();
    app.wait_for("the keys listed", |f| f.visible_rows >= 2 && !f.busy)
        .await;
    app.send("/Renew me<Enter>");
    app.wait_for("the key selected", |f| {
        f.selected_label.as_deref() == Some("Renew me")
    })
    .await;
    app.send("r");
    app.wait_for("the renew dialog", |f| f.dialog.as_deref() == Some("Renew"))
        .await;
    app.send("<Enter>");
    app.wait_for("the new token", |f| f.dialog.as_deref() == Some("Token"))
        .await;
    app.send("y");
    app.wait_for("the appKey copied", |_| count(&copies) == 1)
        .await;
    app.send("c");
    app.wait_for("the token copied", |_| count(&copies) == 2)
        .await;
    let copies = copies.lock().unwrap().clone();
    assert_eq!(copies[0], key.creds.app_key, "y copies the appKey");
    assert!(
        copies[1] != key.creds.app_key && !copies[1].is_empty(),
        "c copies the token"
    );
    assert!(
        server.login_works(&key.creds.app_key, &copies[1]).await,
        "what c copied is the key's new token"
    );
    app.send("<Esc>");
    app.wait_for("the token dialog closed", |f| f.dialog.is_none())
        .await;
    app.quit().await;
}

// ---- the clipboard service itself (a fake desktop clipboard, a recording terminal) ----------

use std::io::Write;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use apikeys::clipboard::{Clipboard, Environment, Mode, Native, Settings, Via};
use secrecy::SecretString;

#[derive(Clone, Default)]
struct Desktop(Arc<Mutex<String>>);

impl Native for Desktop {
    fn set(&mut self, text: &str) -> Result<(), String> {
        *self.0.lock().unwrap() = text.to_string();
        Ok(())
    }
    fn get(&mut self) -> Result<String, String> {
        Ok(self.0.lock().unwrap().clone())
    }
    fn clear(&mut self) -> Result<(), String> {
        self.0.lock().unwrap().clear();
        Ok(())
    }
}

#[derive(Clone, Default)]
struct Tty(Arc<Mutex<Vec<u8>>>);

impl Write for Tty {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(bytes);
        Ok(bytes.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

fn settings(mode: Mode) -> Settings {
    Settings {
        mode,
        clear_after: Some(Duration::from_secs(45)),
        osc52_clear: false,
        wrap: None,
    }
}

#[test]
fn an_app_key_copy_is_never_cleared_and_leaves_the_token_s_clear_to_find_it_gone() {
    let desktop = Desktop::default();
    let opened = desktop.clone();
    let environment = Environment {
        display: true,
        ..Environment::default()
    };
    let mut clipboard = Clipboard::new(
        settings(Mode::Native),
        environment,
        Err("no terminal here".into()),
        Box::new(move || Ok(Box::new(opened.clone()) as Box<dyn Native>)),
    );
    let token = clipboard.copy(&SecretString::from("FAKETOKENFAKETOKEN".to_string()));
    assert_eq!(token.clear_in, Some(Duration::from_secs(45)));
    let copied = clipboard.copy_app_key("vtexappkey-acme-ABCDEF");
    assert_eq!((copied.via, copied.clear_in), (Some(Via::Native), None));
    assert!(
        copied.message.contains("vtexappkey-acme-ABCDEF"),
        "{copied:?}"
    );
    assert_eq!(*desktop.0.lock().unwrap(), "vtexappkey-acme-ABCDEF");
    // The token's timed clear comes, finds the appKey in its place, and leaves it there.
    assert_eq!(clipboard.clear(), None);
    assert_eq!(*desktop.0.lock().unwrap(), "vtexappkey-acme-ABCDEF");
}

#[test]
fn over_osc52_an_app_key_is_sent_to_the_terminal_and_said_unconfirmed() {
    let tty = Tty::default();
    let mut clipboard = Clipboard::new(
        settings(Mode::Osc52),
        Environment::default(),
        Ok(Box::new(tty.clone())),
        Box::new(|| Err("no desktop clipboard".into())),
    );
    let copied = clipboard.copy_app_key("vtexappkey-acme-ABCDEF");
    assert_eq!((copied.via, copied.clear_in), (Some(Via::Osc52), None));
    assert!(copied.message.contains("unconfirmed"), "{copied:?}");
    let written = String::from_utf8(tty.0.lock().unwrap().clone()).unwrap();
    // base64("vtexappkey-acme-ABCDEF")
    assert_eq!(written, "\x1b]52;c;dnRleGFwcGtleS1hY21lLUFCQ0RFRg==\x07");
    let off = Clipboard::new(
        settings(Mode::Off),
        Environment::default(),
        Ok(Box::new(tty.clone())),
        Box::new(|| Err("no desktop clipboard".into())),
    )
    .copy_app_key("vtexappkey-acme-ABCDEF");
    assert_eq!(off.via, None);
}
