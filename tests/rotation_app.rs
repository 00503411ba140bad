//! `:rotate` in the app (issue 14), through the real loop against a reference server on
//! 127.0.0.1:0, with real sink scripts and a journal in a temp dir: the tokens go to the sink,
//! never to the screen; a failing sink takes the renewal back and leaves the key marked; no
//! sink, no rotation; a grace shows "rotation due"; `q` does not cut a run half-way.

mod common;

use std::path::{Path, PathBuf};
use std::sync::Arc;

use apikeys::config::{ConfigFile, RotationConfig};
use apikeys::tui::connector::Connector;
use apikeys::tui::rotation::Setup;
use apikeys::vtex::ClientOptions;
use common::tui::{App, AppOptions, Frame, start_on};
use common::{TestKey, TestServer};

/// A temp dir for the sink's files and the journal.
struct Place {
    dir: tempfile::TempDir,
}

impl Place {
    fn new() -> Place {
        Place {
            dir: tempfile::tempdir().unwrap(),
        }
    }

    fn stored(&self) -> PathBuf {
        let dir = self.dir.path().join("store");
        std::fs::create_dir_all(&dir).unwrap();
        dir
    }

    fn journal(&self) -> PathBuf {
        self.dir.path().join("state/apikeys/rotation.jsonl")
    }

    /// Stores each token in a 0600 file named by its appKey.
    fn storing_sink(&self) -> String {
        format!("umask 077; cat > {}/{{appKey}}", self.stored().display())
    }

    /// The token stored for `app_key`, if any.
    fn token_of(&self, app_key: &str) -> Option<String> {
        std::fs::read_to_string(self.stored().join(app_key)).ok()
    }

    fn setup(&self, config: RotationConfig, server: &TestServer) -> Setup {
        Setup {
            config,
            profile: Some("test".into()),
            file: "config.toml".into(),
            // As the app names it: the client's base URL.
            server: journal_name(server),
            journal: Some(self.journal()),
        }
    }
}

/// How the journal names `server`: its base URL as the client holds it.
fn journal_name(server: &TestServer) -> String {
    url::Url::parse(&server.server.base_url())
        .unwrap()
        .to_string()
}

fn sink(command: String) -> RotationConfig {
    RotationConfig {
        sink: Some(command),
        ..RotationConfig::default()
    }
}

fn options(setup: Setup) -> AppOptions {
    AppOptions {
        rotation: Some(setup),
        keep_screens: true,
        ..AppOptions::default()
    }
}

async fn loaded(app: &mut App, rows: usize) {
    app.wait_for("the keys", |f| f.visible_rows == rows && !f.busy)
        .await;
}

/// Marks the rows labelled `labels` (the list is sorted by name; the admin key is "admin").
async fn mark(app: &mut App, labels: &[&str]) {
    for label in labels {
        app.send(&format!(":filter {label}<Enter>"));
        app.wait_for("the filtered row", |f| {
            f.selected_label.as_deref() == Some(*label)
        })
        .await;
        app.send("<Space>");
        app.wait_for("the mark", |f| f.marked_labels.iter().any(|l| l == label))
            .await;
    }
    app.send(":filter<Enter>");
}

/// Waits for the rotation's summary overlay.
async fn summary(app: &mut App) -> Frame {
    app.wait_for("the summary", |f| {
        f.dialog
            .as_deref()
            .is_some_and(|d| d.starts_with("BulkSummary: Rotation"))
    })
    .await
}

/// No screen the app drew holds any of `tokens`.
fn never_shown(app: &App, tokens: &[&str]) {
    let screens = app.screens.lock().unwrap();
    assert!(!screens.is_empty());
    for screen in screens.iter() {
        for token in tokens {
            // A token cut across two lines would still show its first 12 characters.
            let start = &token[..12.min(token.len())];
            assert!(!screen.contains(start), "a token is on screen:\n{screen}");
        }
    }
}

async fn two_keys(server: &TestServer) -> (TestKey, TestKey) {
    (
        server.key_with_roles("ERP", &[]).await,
        server.key_with_roles("Loja", &[]).await,
    )
}

#[tokio::test]
async fn rotating_two_marked_keys_hands_fresh_tokens_to_the_sink_and_never_shows_them() {
    let server = TestServer::start().await;
    let (erp, loja) = two_keys(&server).await;
    let place = Place::new();
    let setup = place.setup(sink(place.storing_sink()), &server);
    let mut app = start_on(&server, &server.admin, options(setup));
    loaded(&mut app, 3).await;
    mark(&mut app, &["ERP", "Loja"]).await;

    app.send(":rotate<Enter>");
    let asked = app
        .wait_for("the confirmation", |f| f.dialog.is_some())
        .await;
    assert_eq!(asked.dialog.as_deref(), Some("Rotate: 2 keys"));
    assert!(asked.screen.contains("Rotate 2 keys?"), "{}", asked.screen);
    // The sink as it runs for the first key, and when the old tokens go.
    assert!(
        asked
            .screen
            .contains("Sink (for the first key): umask 077; cat >"),
        "{}",
        asked.screen
    );
    assert!(
        asked.screen.contains("Old tokens are deleted once the new"),
        "{}",
        asked.screen
    );
    assert!(
        place.token_of(&erp.creds.app_key).is_none(),
        "nothing sent yet"
    );

    app.send("y");
    let done = summary(&mut app).await;
    assert_eq!(
        done.dialog.as_deref(),
        Some("BulkSummary: Rotation: 2 of 2 keys rotated"),
        "{}",
        done.screen
    );
    assert!(done.marked_labels.is_empty(), "rotated keys are unmarked");

    let mut tokens = vec![erp.creds.token.clone(), loja.creds.token.clone()];
    for key in [&erp, &loja] {
        let app_key = &key.creds.app_key;
        let stored = place.token_of(app_key).expect("the sink stored a token");
        assert_ne!(stored, key.creds.token, "a fresh token");
        assert!(!server.renewal_pending(app_key).await, "finished");
        assert!(
            server.login_works(app_key, &stored).await,
            "the new one works"
        );
        assert!(
            !server.login_works(app_key, &key.creds.token).await,
            "the old one is gone"
        );
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(place.stored().join(app_key))
                .unwrap()
                .permissions()
                .mode();
            assert_eq!(mode & 0o777, 0o600);
        }
        tokens.push(stored);
    }
    let journal = std::fs::read_to_string(place.journal()).unwrap();
    let shown: Vec<&str> = tokens.iter().map(String::as_str).collect();
    for token in &shown {
        assert!(!journal.contains(token), "a token in the journal");
    }
    never_shown(&app, &shown);
    app.send("q");
    app.quit().await;
}

#[tokio::test]
async fn a_failing_sink_takes_the_renewal_back_and_the_key_stays_marked() {
    let server = TestServer::start().await;
    let (erp, _) = two_keys(&server).await;
    let place = Place::new();
    let setup = place.setup(sink("cat > /dev/null; exit 3".into()), &server);
    let mut app = start_on(&server, &server.admin, options(setup));
    loaded(&mut app, 3).await;
    mark(&mut app, &["ERP"]).await;

    app.send("o");
    app.wait_for("the confirmation", |f| f.dialog.is_some())
        .await;
    app.send("y");
    let done = summary(&mut app).await;
    assert_eq!(
        done.dialog.as_deref(),
        Some("BulkSummary: Rotation: 0 of 1 key rotated")
    );
    assert!(done.screen.contains("Not rotated (1):"), "{}", done.screen);
    assert!(done.screen.contains("undone"), "{}", done.screen);
    assert!(done.screen.contains("stay marked"), "{}", done.screen);
    assert_eq!(done.marked_labels, vec!["ERP".to_string()]);
    let app_key = &erp.creds.app_key;
    assert!(
        !server.renewal_pending(app_key).await,
        "the renewal was undone"
    );
    assert!(server.login_works(app_key, &erp.creds.token).await);
    never_shown(&app, &[&erp.creds.token]);
    app.send("q");
    app.quit().await;
}

#[tokio::test]
async fn without_a_sink_the_app_refuses_and_changes_nothing() {
    let server = TestServer::start().await;
    let (erp, _) = two_keys(&server).await;
    let place = Place::new();
    let setup = place.setup(RotationConfig::default(), &server);
    let mut app = start_on(&server, &server.admin, options(setup));
    loaded(&mut app, 3).await;
    mark(&mut app, &["ERP"]).await;

    app.send("o");
    let refused = app
        .wait_for("the refusal", |f| f.says("no sink is configured"))
        .await;
    assert!(refused.dialog.is_none());
    assert!(
        refused.says("[profiles.test.rotation]") && refused.says("use r to renew one key"),
        "{:?}",
        refused.status
    );
    assert!(!server.renewal_pending(&erp.creds.app_key).await);
    assert!(!place.journal().exists(), "no run started");
    app.quit().await;
}

#[tokio::test]
async fn read_only_refuses_to_rotate() {
    let server = TestServer::start().await;
    two_keys(&server).await;
    let place = Place::new();
    let setup = place.setup(sink(place.storing_sink()), &server);
    let mut app = start_on(
        &server,
        &server.admin,
        AppOptions {
            read_only: true,
            ..options(setup)
        },
    );
    loaded(&mut app, 3).await;
    app.send(":rotate<Enter>");
    let refused = app
        .wait_for("the refusal", |f| f.says("Cannot rotate tokens"))
        .await;
    assert!(refused.says("read-only"), "{:?}", refused.status);
    assert!(refused.dialog.is_none());
    app.quit().await;
}

#[tokio::test]
async fn with_a_grace_the_list_and_the_details_say_rotation_due() {
    let server = TestServer::start().await;
    let (erp, _) = two_keys(&server).await;
    let place = Place::new();
    let config = RotationConfig {
        grace: Some("1h".into()),
        ..sink(place.storing_sink())
    };
    let setup = place.setup(config, &server);
    let mut app = start_on(&server, &server.admin, options(setup));
    loaded(&mut app, 3).await;
    mark(&mut app, &["ERP"]).await;

    app.send("o");
    let asked = app
        .wait_for("the confirmation", |f| f.dialog.is_some())
        .await;
    assert!(
        asked.screen.contains("keep working for 1h"),
        "{}",
        asked.screen
    );
    app.send("y");
    app.wait_for("the summary", |f| {
        f.dialog
            .as_deref()
            .is_some_and(|d| d.starts_with("BulkSummary: Rotation: 1 of 1"))
    })
    .await;
    app.send("<Esc>");
    let listed = app
        .wait_for("rotation due", |f| {
            f.dialog.is_none() && f.screen.contains("rotation due")
        })
        .await;
    let row = listed
        .screen
        .lines()
        .find(|line| line.contains("ERP"))
        .unwrap();
    assert!(row.contains("rotation due"), "{}", listed.screen);
    // Both tokens work until the grace ends.
    let stored = place.token_of(&erp.creds.app_key).unwrap();
    assert!(server.login_works(&erp.creds.app_key, &stored).await);
    assert!(
        server
            .login_works(&erp.creds.app_key, &erp.creds.token)
            .await
    );

    app.send(":filter ERP<Enter>");
    app.wait_for("ERP selected", |f| {
        f.selected_label.as_deref() == Some("ERP")
    })
    .await;
    app.send("<Enter>");
    let details = app
        .wait_for("the details", |f| f.dialog.as_deref() == Some("Details"))
        .await;
    assert!(
        details
            .screen
            .contains("rotation due: the old token goes at"),
        "{}",
        details.screen
    );
    never_shown(&app, &[&stored, &erp.creds.token]);
    app.send("<Esc>");
    app.quit().await;

    // A new start reads the journal first: the key is still due.
    let setup = place.setup(sink(place.storing_sink()), &server);
    let mut again = start_on(&server, &server.admin, options(setup));
    let listed = again
        .wait_for("rotation due at start", |f| {
            f.screen.contains("rotation due") && !f.busy
        })
        .await;
    let row = listed.screen.lines().find(|l| l.contains("ERP")).unwrap();
    assert!(row.contains("rotation due"), "{}", listed.screen);
    again.quit().await;
}

/// A sink that waits for `go` to exist before storing the token.
fn waiting_sink(place: &Place, go: &Path) -> String {
    format!(
        "while [ ! -e {} ]; do sleep 0.05; done; {}",
        go.display(),
        place.storing_sink()
    )
}

#[tokio::test]
async fn q_during_a_rotation_says_it_runs_and_the_run_goes_on_to_its_summary() {
    let server = TestServer::start().await;
    let (erp, _) = two_keys(&server).await;
    let place = Place::new();
    let go = place.dir.path().join("go");
    let setup = place.setup(sink(waiting_sink(&place, &go)), &server);
    let mut app = start_on(&server, &server.admin, options(setup));
    loaded(&mut app, 3).await;
    mark(&mut app, &["ERP"]).await;

    app.send("o");
    app.wait_for("the confirmation", |f| f.dialog.is_some())
        .await;
    app.send("y");
    // The progress line: the key waits in its hand-off.
    let running = app
        .wait_for("the hand-off", |f| {
            f.dialog.is_none() && f.screen.contains(" hand-off")
        })
        .await;
    assert!(
        running.screen.contains("Rotating 1 key: 0/1"),
        "{}",
        running.screen
    );

    app.send("q");
    let refused = app
        .wait_for("the refusal", |f| f.says("A rotation is running"))
        .await;
    assert!(!refused.quit, "q does not cut the rotation");

    std::fs::write(&go, "").unwrap();
    let done = app
        .wait_for("the summary", |f| {
            f.dialog
                .as_deref()
                .is_some_and(|d| d.starts_with("BulkSummary: Rotation: 1 of 1"))
        })
        .await;
    assert!(
        !done.says("A rotation is running"),
        "the refusal ends with the run: {:?}",
        done.status
    );
    assert!(!server.renewal_pending(&erp.creds.app_key).await);
    app.send("<Esc>");
    app.quit().await;
}

/// A config file (0600) with profiles a and b, each with its own sink writing to `stores`.
fn two_profiles(place: &Place, a: &TestServer, b: &TestServer) -> Connector {
    let store = |name: &str| {
        let dir = place.dir.path().join(name);
        std::fs::create_dir_all(&dir).unwrap();
        dir.display().to_string()
    };
    let profile = |name: &str, server: &TestServer| {
        format!(
            "[profiles.{name}]\naccount = \"acme\"\nbase_url = \"{}\"\napp_key = \"{}\"\n\
             app_token = \"{}\"\n\n[profiles.{name}.rotation]\n\
             sink = \"umask 077; cat > {}/{{appKey}}\"\n\n",
            server.server.base_url(),
            server.admin.app_key,
            server.admin.token,
            store(&format!("store-{name}")),
        )
    };
    let path = place.dir.path().join("config.toml");
    std::fs::write(&path, profile("a", a) + &profile("b", b)).unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600)).unwrap();
    }
    let file = ConfigFile::load(Some(&path)).unwrap();
    Connector::new(file, ClientOptions::default())
        .with_demo_db(place.dir.path().join("demo.sqlite3"))
        .started_on(Some("a".into()))
}

#[tokio::test]
async fn after_a_profile_switch_the_new_profiles_sink_and_server_are_used() {
    let a = TestServer::start().await;
    let b = TestServer::start().await;
    a.key_with_roles("Alpha", &[]).await;
    let beta = b.key_with_roles("Beta", &[]).await;
    let place = Place::new();
    let connector = two_profiles(&place, &a, &b);
    let setup = place.setup(sink(place.storing_sink()), &a);
    let mut app = start_on(
        &a,
        &a.admin,
        AppOptions {
            connector: Some(Arc::new(connector)),
            profile: Some("a".into()),
            ..options(setup)
        },
    );
    loaded(&mut app, 2).await;
    app.send(":profile b<Enter>");
    app.wait_for("B's keys", |f| f.screen.contains("Beta") && !f.busy)
        .await;
    mark(&mut app, &["Beta"]).await;
    app.send("o");
    let asked = app
        .wait_for("the confirmation", |f| f.dialog.is_some())
        .await;
    assert!(asked.screen.contains("store-b/"), "{}", asked.screen);
    app.send("y");
    app.wait_for("the summary", |f| {
        f.dialog.as_deref() == Some("BulkSummary: Rotation: 1 of 1 key rotated")
    })
    .await;
    let stored_at = place.dir.path().join("store-b").join(&beta.creds.app_key);
    let stored = std::fs::read_to_string(stored_at).unwrap();
    assert!(b.login_works(&beta.creds.app_key, &stored).await);
    // The journal names B's server, so A's "rotation due" never lists B's keys.
    let journal = std::fs::read_to_string(place.journal()).unwrap();
    let server_b = format!("\"server\":\"{}\"", journal_name(&b));
    assert!(journal.contains(&server_b), "{journal}");
    never_shown(&app, &[&stored, &beta.creds.token]);
    app.send("<Esc>");
    app.quit().await;
}

#[tokio::test]
async fn esc_stops_a_rotation_between_keys_and_the_keys_not_started_stay_marked() {
    let server = TestServer::start().await;
    let labels = ["Rot1", "Rot2", "Rot3", "Rot4", "Rot5", "Rot6"];
    let mut keys = Vec::new();
    for label in labels {
        keys.push(server.key_with_roles(label, &[]).await);
    }
    let place = Place::new();
    let go = place.dir.path().join("go");
    let setup = place.setup(sink(waiting_sink(&place, &go)), &server);
    let mut app = start_on(&server, &server.admin, options(setup));
    loaded(&mut app, 7).await;
    mark(&mut app, &labels).await;
    app.send("o");
    app.wait_for("the confirmation", |f| f.dialog.is_some())
        .await;
    app.send("y");
    // Four keys (the run's width) wait in their hand-off; Esc stops the rest from starting.
    app.wait_for("the hand-offs", |f| {
        f.dialog.is_none() && f.screen.contains(" hand-off")
    })
    .await;
    app.send("<Esc>");
    app.wait_for("stopping", |f| f.screen.contains("stopping"))
        .await;
    std::fs::write(&go, "").unwrap();
    let done = app
        .wait_for("the summary", |f| {
            f.dialog
                .as_deref()
                .is_some_and(|d| d.starts_with("BulkSummary"))
        })
        .await;
    assert!(done.screen.contains("not started"), "{}", done.screen);
    let mut rotated = 0;
    for key in &keys {
        let stored = place.token_of(&key.creds.app_key);
        if let Some(token) = stored {
            assert!(server.login_works(&key.creds.app_key, &token).await);
            rotated += 1;
        } else {
            assert!(
                server
                    .login_works(&key.creds.app_key, &key.creds.token)
                    .await
            );
        }
        assert!(!server.renewal_pending(&key.creds.app_key).await);
    }
    assert_eq!(
        rotated, 4,
        "the keys under way finished, the others never started"
    );
    app.send("<Esc>");
    let after = app.wait_for("the list", |f| f.dialog.is_none()).await;
    assert_eq!(
        after.marked_labels.len(),
        2,
        "the keys not started stay marked"
    );
    app.quit().await;
}
