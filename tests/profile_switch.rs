//! Issue 13, switching profiles (k9s contexts): the real loop on a TestBackend starts on one
//! reference server and switches, through the picker (`P`) or by name, to another server of a
//! real config file: its keys and header replace the first's, the filter is gone, and a
//! profile that cannot connect leaves the first on screen with the reason.

mod common;

use std::sync::Arc;

use apikeys::config::ConfigFile;
use apikeys::tui::action::{Action, Effect};
use apikeys::tui::connector::Connector;
use apikeys::tui::state::{Header, State};
use apikeys::tui::update;
use apikeys::vtex::ClientOptions;
use common::tui::{AppOptions, start_on};
use common::{Creds, TestServer};
use reqwest::Method;
use serde_json::json;

/// Two servers with different accounts and keys: A (acme, "alpha-only") and B (globex,
/// "beta-only"), and the config file that names them.
struct World {
    a: TestServer,
    b: TestServer,
    /// B's account, globex, in B's database.
    globex: Creds,
    dir: tempfile::TempDir,
}

impl World {
    async fn start() -> World {
        let a = TestServer::start().await;
        let b = TestServer::start().await;
        let created = a
            .admin_call(
                Method::POST,
                "/api/vlm/appkeys",
                Some(json!({"label": "alpha-only"})),
            )
            .await;
        assert!(created.status.is_success(), "{}", created.text);
        let globex = b.other_account("globex");
        let created = b
            .call(
                Some(&globex),
                Method::POST,
                "/api/vlm/appkeys",
                Some(json!({"label": "beta-only"})),
            )
            .await;
        assert!(created.status.is_success(), "{}", created.text);
        World {
            a,
            b,
            globex,
            dir: tempfile::tempdir().unwrap(),
        }
    }

    /// A config file (mode 0600, as app_token requires) with profiles a, b, down (a port
    /// nobody listens on) and token (B's token printed by a script).
    fn connector(&self) -> Connector {
        let script = self.dir.path().join("token.sh");
        std::fs::write(&script, format!("printf '%s\\n' '{}'\n", self.globex.token)).unwrap();
        let dead_port = {
            let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
            listener.local_addr().unwrap().port()
        };
        let config = format!(
            r#"
[profiles.a]
account = "acme"
base_url = "{a_url}"
app_key = "{a_key}"
app_token = "{a_token}"

[profiles.b]
account = "globex"
base_url = "{b_url}"
app_key = "{b_key}"
app_token = "{b_token}"

[profiles.down]
account = "acme"
base_url = "http://127.0.0.1:{dead_port}"
app_key = "{a_key}"
app_token = "{a_token}"

[profiles.token]
account = "globex"
base_url = "{b_url}"
app_key = "{b_key}"
token_command = "sh '{script}'"
"#,
            a_url = self.a.server.base_url(),
            a_key = self.a.admin.app_key,
            a_token = self.a.admin.token,
            b_url = self.b.server.base_url(),
            b_key = self.globex.app_key,
            b_token = self.globex.token,
            script = script.display(),
        );
        let path = self.dir.path().join("config.toml");
        std::fs::write(&path, config).unwrap();
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600)).unwrap();
        }
        let file = ConfigFile::load(Some(&path)).unwrap();
        Connector::new(file, ClientOptions::default())
            .with_demo_db(self.dir.path().join("demo.sqlite3"))
            .started_on(Some("a".into()))
    }

    fn app(&self, connector: Connector) -> common::tui::App {
        let options = AppOptions {
            connector: Some(Arc::new(connector)),
            profile: Some("a".into()),
            ..AppOptions::default()
        };
        start_on(&self.a, &self.a.admin, options)
    }
}

/// The header line (the screen's first).
fn header(frame: &common::tui::Frame) -> String {
    frame.screen.lines().next().unwrap_or_default().to_string()
}

/// P, then down `steps` rows from the current profile (a is first), then Enter.
fn pick(app: &common::tui::App, steps: usize) {
    app.send("P");
    app.send(&"j".repeat(steps));
    app.send("<Enter>");
}

#[tokio::test]
async fn the_picker_switches_to_another_server_and_clears_the_filter() {
    let world = World::start().await;
    let mut app = world.app(world.connector());
    app.wait_idle_with("alpha-only").await;
    app.send("/alpha<Enter>");
    app.wait_for("filtered to alpha", |f| f.visible_rows == 1)
        .await;

    app.send("P");
    let picker = app
        .wait_for("the picker", |f| f.dialog.as_deref() == Some("Profiles"))
        .await;
    for name in ["a", "b", "down", "token", "demo"] {
        assert!(picker.screen.contains(name), "{}", picker.screen);
    }
    assert!(
        picker.screen.contains("● a"),
        "current marked: {}",
        picker.screen
    );
    app.send("j<Enter>"); // b

    let on_b = app
        .wait_for("B's keys", |f| {
            !f.busy && f.visible_labels.iter().any(|l| l == "beta-only")
        })
        .await;
    assert!(
        on_b.says("Connected to profile b (account globex)"),
        "{:?}",
        on_b.status
    );
    assert!(!on_b.visible_labels.iter().any(|l| l == "alpha-only"));
    // The filter of A is gone: every key of globex is listed.
    assert!(!on_b.screen.contains("alpha"), "{}", on_b.screen);
    let top = header(&on_b);
    assert!(
        top.contains("globex") && top.contains(" b "),
        "header: {top}"
    );
    assert!(
        top.contains(&world.globex.app_key[..18]),
        "caller key: {top}"
    );
    app.quit().await;
}

#[tokio::test]
async fn a_profile_whose_server_is_down_leaves_the_app_where_it_was() {
    let world = World::start().await;
    let mut app = world.app(world.connector());
    app.wait_idle_with("alpha-only").await;
    app.send("/alpha<Enter>");
    app.wait_for("filtered", |f| f.visible_rows == 1).await;

    pick(&app, 2); // down
    let failed = app
        .wait_for("the failure", |f| f.says("Cannot switch to down"))
        .await;
    assert!(failed.says("cannot reach"), "{:?}", failed.status);
    // A is on screen, filter and all.
    assert_eq!(failed.visible_labels, vec!["alpha-only".to_string()]);
    assert!(header(&failed).contains(" a "), "{}", header(&failed));
    app.quit().await;
}

#[tokio::test]
async fn a_profile_with_a_token_command_connects() {
    let world = World::start().await;
    let mut app = world.app(world.connector());
    app.wait_idle_with("alpha-only").await;
    pick(&app, 3); // token
    let on_b = app
        .wait_for("B's keys via the token command", |f| {
            !f.busy && f.visible_labels.iter().any(|l| l == "beta-only")
        })
        .await;
    assert!(on_b.says("Connected to profile token"), "{:?}", on_b.status);
    app.quit().await;
}

#[tokio::test]
async fn the_embedded_demo_is_in_the_picker() {
    let world = World::start().await;
    let connector = world.connector();
    let mut app = world.app(connector);
    app.wait_idle_with("alpha-only").await;
    pick(&app, 4); // demo
    let demo = app
        .wait_for("the demo's seeded keys", |f| {
            !f.busy && f.visible_rows > 10 && f.says("Connected to profile demo")
        })
        .await;
    let top = header(&demo);
    assert!(
        top.contains("apikeys · demo") && top.contains("· local ·"),
        "{top}"
    );
    assert!(world.dir.path().join("demo.sqlite3").exists());
    app.quit().await;
}

fn bare_state() -> State {
    let mut state = State::new(
        Header::default(),
        chrono::Utc::now(),
        false,
        std::time::Duration::from_secs(3600),
    );
    state.profiles = vec!["a".into(), "b".into(), "demo".into()];
    state
}

#[tokio::test]
async fn an_unknown_name_lists_the_known_ones() {
    let mut state = bare_state();
    let effects = update::switch_profile(&mut state, Some("staging".into()));
    assert!(effects.is_empty(), "nothing is tried: {effects:?}");
    let said = state.status.as_ref().unwrap().text.clone();
    assert!(said.contains("Cannot switch to staging"), "{said}");
    assert!(said.contains("the profiles are a, b, demo"), "{said}");

    // The connector says the same when asked directly.
    let world = World::start().await;
    let err = world.connector().connect("staging").await.unwrap_err();
    assert!(err.contains("a, b, down, token, demo"), "{err}");
}

/// By name (as `:profile b` will): the pure update asks for a connection, the real connector
/// makes it, and the answer resets the state onto B — read-only kept.
#[tokio::test]
async fn switching_by_name_resets_the_state_and_keeps_read_only() {
    let world = World::start().await;
    let connector = world.connector();
    let mut state = State::new(
        Header::default(),
        chrono::Utc::now(),
        true,
        std::time::Duration::from_secs(3600),
    );
    state.profiles = connector.profiles().into_iter().map(|e| e.name).collect();
    let effects = update::switch_profile(&mut state, Some("b".into()));
    let Some(Effect::Connect { attempt, profile }) = effects.into_iter().next() else {
        panic!("a connection is asked for");
    };
    assert!(
        state
            .status
            .as_ref()
            .unwrap()
            .text
            .contains("Connecting to b")
    );
    let result = connector.connect(&profile).await.map(Box::new);
    let effects = update::update(
        &mut state,
        Action::Connected {
            attempt,
            profile,
            result,
        },
    );
    assert!(matches!(effects.first(), Some(Effect::UseClient(_))));
    assert!(effects.iter().any(|e| matches!(e, Effect::Api { .. })));
    assert_eq!(state.header.account, "globex");
    assert_eq!(state.header.caller_key, world.globex.app_key);
    assert!(state.access.read_only, "--read-only stays in force");
    assert_eq!(state.profile_switch.current.as_deref(), Some("b"));
}

/// Requests to A still in flight when the switch lands: their answers are dropped, not shown
/// as B's (here A's roles, which would fill B's role pickers).
#[tokio::test]
async fn answers_for_the_old_account_do_not_land_after_a_switch() {
    use apikeys::tui::action::{Call, Outcome};
    let world = World::start().await;
    let connector = world.connector();
    let mut state = bare_state();
    state.profiles = connector.profiles().into_iter().map(|e| e.name).collect();
    let first = update::init(&mut state);
    let old_id = |wanted: Call| {
        first
            .iter()
            .find_map(|effect| match effect {
                Effect::Api { id, call } if *call == wanted => Some(*id),
                _ => None,
            })
            .expect("init sends it")
    };
    let (old_keys, old_roles) = (old_id(Call::ListKeys), old_id(Call::ListRoles));
    let a = connector.connect("a").await.unwrap().client;
    let (a_rows, a_roles) = (a.list_keys().await.unwrap(), a.list_roles().await.unwrap());

    switch_through(&mut state, &connector, "b").await;
    for (id, outcome) in [
        (old_keys, Outcome::Keys(Ok(a_rows))),
        (old_roles, Outcome::Roles(Ok(a_roles))),
    ] {
        update::update(&mut state, Action::Api { id, outcome });
    }
    assert!(state.keys.rows.is_empty(), "A's listing landed in B");
    assert!(state.roles.is_none(), "A's roles landed in B");
    assert!(state.busy(), "B's own first calls are still awaited");
}

/// A second switch supersedes the first: the first's answer, even a success, changes nothing.
#[tokio::test]
async fn a_second_switch_supersedes_the_first() {
    let world = World::start().await;
    let connector = world.connector();
    let mut state = bare_state();
    state.profiles = connector.profiles().into_iter().map(|e| e.name).collect();
    let connect = |effects: Vec<Effect>| match effects.into_iter().next() {
        Some(Effect::Connect { attempt, profile }) => (attempt, profile),
        other => panic!("a connection is asked for, not {other:?}"),
    };
    let (first, first_name) = connect(update::switch_profile(&mut state, Some("b".into())));
    let (second, _) = connect(update::switch_profile(&mut state, Some("down".into())));
    assert!(
        state
            .status
            .as_ref()
            .unwrap()
            .text
            .contains("Connecting to down")
    );
    let result = connector.connect(&first_name).await.map(Box::new);
    let effects = update::update(
        &mut state,
        Action::Connected {
            attempt: first,
            profile: first_name,
            result,
        },
    );
    assert!(effects.is_empty(), "{effects:?}");
    assert_ne!(state.header.account, "globex");
    assert_eq!(
        state.profile_switch.pending.as_ref().map(|p| p.0),
        Some(second)
    );
}

#[tokio::test]
async fn the_command_line_switches_by_name_and_the_marks_are_gone() {
    let world = World::start().await;
    let mut app = world.app(world.connector());
    app.wait_idle_with("alpha-only").await;
    app.send("<C-a>");
    app.wait_for("marked", |f| !f.marked_labels.is_empty())
        .await;

    // Tab completes the profile name.
    app.send(":profile to<Tab>");
    let completed = app
        .wait_for("completed", |f| f.screen.contains(":profile token"))
        .await;
    assert!(completed.screen.contains(":profile token"));
    app.send("<Enter>");
    let on_b = app
        .wait_for("B's keys", |f| {
            !f.busy && f.visible_labels.iter().any(|l| l == "beta-only")
        })
        .await;
    assert!(on_b.marked_labels.is_empty(), "marks of A are gone");
    assert!(!on_b.screen.contains("marked"), "{}", on_b.screen);
    assert!(header(&on_b).contains("globex"), "{}", header(&on_b));

    // And back by name.
    app.send(":profile a<Enter>");
    app.wait_for("A's keys again", |f| {
        !f.busy && f.visible_labels.iter().any(|l| l == "alpha-only")
    })
    .await;
    app.quit().await;
}

fn keys(state: &mut State, script: &str) -> Vec<Effect> {
    common::tui::parse_keys(script)
        .into_iter()
        .flat_map(|key| update::update(state, Action::Key(key)))
        .collect()
}

/// Asks to switch to `name`, connects for real as the loop would, and hands the answer to
/// `update`: the effects it returns.
async fn switch_through(state: &mut State, connector: &Connector, name: &str) -> Vec<Effect> {
    let Some(Effect::Connect { attempt, profile }) =
        update::switch_profile(state, Some(name.into()))
            .into_iter()
            .next()
    else {
        panic!("a connection is asked for");
    };
    let result = connector.connect(&profile).await.map(Box::new);
    update::update(
        state,
        Action::Connected {
            attempt,
            profile,
            result,
        },
    )
}

fn uses_new_client(effects: &[Effect]) -> bool {
    effects.iter().any(|e| matches!(e, Effect::UseClient(_)))
}

/// A switch that connects while a change to A is still on its way waits for its answer (a
/// token to show, a failure to report) before anything of A is dropped; meanwhile bulk actions
/// wait for the switch, and Esc gives a switch up.
#[tokio::test]
async fn a_switch_waits_for_changes_on_their_way_and_esc_gives_it_up() {
    use apikeys::tui::action::{Call, Change, Outcome};
    let world = World::start().await;
    let connector = world.connector();
    let mut state = bare_state();
    state.size = (120, 40);
    let change = Change::SetKeyActive {
        id: "k1".into(),
        active: false,
    };
    let write = state.requests.send(Call::Change(change.clone()), None);

    let effects = switch_through(&mut state, &connector, "b").await;
    assert!(
        !uses_new_client(&effects),
        "not while A's change is on its way"
    );
    assert_ne!(state.header.account, "globex");

    // A bulk action now would answer into B's lists: it waits for the switch.
    keys(&mut state, ":deactivate<Enter>");
    let said = state
        .status
        .as_ref()
        .map(|s| s.text.clone())
        .unwrap_or_default();
    assert!(said.contains("Switching to profile b"), "{said}");
    assert!(state.dialog.is_none());

    // The change answers: it is reported on A, then the switch happens.
    let effects = update::update(
        &mut state,
        Action::Api {
            id: write,
            outcome: Outcome::Changed {
                change,
                result: Ok(()),
            },
        },
    );
    assert!(
        uses_new_client(&effects),
        "the switch happens once it answered"
    );
    assert_eq!(state.header.account, "globex");

    // Esc gives a switch under way up: its answer is then ignored.
    let Some(Effect::Connect { attempt, profile }) =
        update::switch_profile(&mut state, Some("a".into()))
            .into_iter()
            .next()
    else {
        panic!("a connection is asked for");
    };
    keys(&mut state, "<Esc>");
    let said = state
        .status
        .as_ref()
        .map(|s| s.text.clone())
        .unwrap_or_default();
    assert!(said.contains("given up"), "{said}");
    let result = connector.connect(&profile).await.map(Box::new);
    let effects = update::update(
        &mut state,
        Action::Connected {
            attempt,
            profile,
            result,
        },
    );
    assert!(!uses_new_client(&effects));
    assert_eq!(state.header.account, "globex");
}

/// Review of the deferred switch: when the change it waited for fails, the switch is given up,
/// so the failure (and a form reopened with it) stays on the account it is about.
#[tokio::test]
async fn a_change_that_fails_while_a_switch_waits_gives_the_switch_up() {
    use apikeys::tui::action::{Call, Change, Failure, FailureKind, Outcome};
    let world = World::start().await;
    let connector = world.connector();
    let mut state = bare_state();
    state.size = (120, 40);
    state.profile_switch.current = Some("a".into());
    let change = Change::SetKeyActive {
        id: "k1".into(),
        active: false,
    };
    let write = state.requests.send(Call::Change(change.clone()), None);
    switch_through(&mut state, &connector, "b").await;
    let refused = Failure::new(FailureKind::Other, "refused (400): PROBE-REFUSAL.");
    let effects = update::update(
        &mut state,
        Action::Api {
            id: write,
            outcome: Outcome::Changed {
                change,
                result: Err(refused),
            },
        },
    );
    assert!(!uses_new_client(&effects), "the switch is given up");
    let said = state
        .status
        .as_ref()
        .map(|s| s.text.clone())
        .unwrap_or_default();
    assert!(said.contains("PROBE-REFUSAL"), "{said}");
    assert!(said.contains("given up"), "{said}");
    assert!(state.profile_switch.switching_to().is_none());
}

/// Back to the profile on screen while switching gives the switch up (it said "Already on"
/// and switched anyway); Esc dismisses an error before it gives a switch up.
#[tokio::test]
async fn going_back_or_esc_while_switching() {
    let mut state = bare_state();
    state.size = (120, 40);
    state.profile_switch.current = Some("a".into());
    update::switch_profile(&mut state, Some("b".into()));
    let effects = update::switch_profile(&mut state, Some("a".into()));
    assert!(effects.iter().any(|e| matches!(e, Effect::CancelConnect)));
    assert!(state.profile_switch.switching_to().is_none());

    update::switch_profile(&mut state, Some("b".into()));
    keys(&mut state, ":bogus<Enter>");
    keys(&mut state, "<Esc>");
    assert_eq!(
        state.profile_switch.switching_to(),
        Some("b"),
        "the first Esc only dismissed the error"
    );
    let effects = keys(&mut state, "<Esc>");
    assert!(effects.iter().any(|e| matches!(e, Effect::CancelConnect)));
    assert!(state.profile_switch.switching_to().is_none());
}
