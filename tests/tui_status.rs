//! Status messages know what they report: an error goes away when the server answers again or
//! the read that failed succeeds, and after a while in any case; "offline" comes from the
//! failure's kind, never from its text.

use std::time::Duration;

use apikeys::tui::action::{Action, Call, Change, Effect, Failure, FailureKind, Outcome};
use apikeys::tui::state::{Connection, State};
use apikeys::tui::update::update;
use apikeys::vtex::ClientError;

#[path = "fixtures/tui_state.rs"]
mod fixtures;

fn unreachable() -> Failure {
    Failure::from(ClientError::Network {
        url: "http://127.0.0.1:9".into(),
        detail: "connection refused".into(),
    })
}

fn status(state: &State) -> Option<String> {
    state.status.as_ref().map(|s| s.text.clone())
}

/// The id of the ListKeys request among `effects`.
fn listing(effects: &[Effect]) -> u64 {
    effects
        .iter()
        .find_map(|e| match e {
            Effect::Api {
                id,
                call: Call::ListKeys,
            } => Some(*id),
            _ => None,
        })
        .expect("a listing is sent")
}

/// The automatic refresh (R would say "Refreshing…" over the error itself).
fn refresh(state: &mut State) -> Vec<Effect> {
    let due = fixtures::fixed_now() + chrono::Duration::seconds(31);
    update(state, Action::Tick(due))
}

#[test]
fn cannot_reach_goes_away_when_the_server_answers_again() {
    let (mut state, ids) = fixtures::fresh("acme", Duration::from_secs(30));
    update(
        &mut state,
        Action::Api {
            id: ids[1],
            outcome: Outcome::Keys(Err(unreachable())),
        },
    );
    assert!(status(&state).unwrap().contains("cannot reach"));
    assert!(matches!(state.connection, Connection::Offline(_)));
    let id = listing(&refresh(&mut state));
    update(
        &mut state,
        Action::Api {
            id,
            outcome: Outcome::Keys(Ok(Vec::new())),
        },
    );
    assert_eq!(state.connection, Connection::Online);
    assert!(
        status(&state).is_none_or(|text| !text.contains("cannot reach")),
        "still says {:?}",
        status(&state)
    );
}

#[test]
fn a_failed_read_is_cleared_when_its_retry_succeeds() {
    let (mut state, ids) = fixtures::fresh("acme", Duration::from_secs(30));
    let refused = Failure::from(ClientError::Server {
        status: reqwest::StatusCode::BAD_GATEWAY,
        message: "upstream down".into(),
    });
    update(
        &mut state,
        Action::Api {
            id: ids[1],
            outcome: Outcome::Keys(Err(refused)),
        },
    );
    assert!(status(&state).unwrap().contains("upstream down"));
    let id = listing(&refresh(&mut state));
    update(
        &mut state,
        Action::Api {
            id,
            outcome: Outcome::Keys(Ok(Vec::new())),
        },
    );
    assert!(
        status(&state).is_none_or(|text| !text.contains("upstream down")),
        "still says {:?}",
        status(&state)
    );
}

#[test]
fn an_error_expires_after_a_while() {
    let (mut state, ids) = fixtures::fresh("acme", Duration::ZERO);
    update(
        &mut state,
        Action::Api {
            id: ids[1],
            outcome: Outcome::Keys(Err(unreachable())),
        },
    );
    assert!(status(&state).is_some());
    let later = fixtures::fixed_now() + chrono::Duration::minutes(10);
    update(&mut state, Action::Tick(later));
    assert_eq!(status(&state), None);
}

#[test]
fn offline_comes_from_the_kind_of_failure_not_its_text() {
    let (mut state, _) = fixtures::fresh("acme", Duration::ZERO);
    // A role change that failed half-way because the server went away: the message starts
    // with what was already applied, not with "cannot reach".
    let change = Change::SetRoles {
        id: "k1".into(),
        add: vec![1],
        remove: vec![2],
    };
    let id = state.requests.send(Call::Change(change.clone()), None);
    let half_way = Failure::new(
        FailureKind::Offline,
        "Some role changes were applied before this failed: cannot reach http://127.0.0.1:9",
    );
    update(
        &mut state,
        Action::Api {
            id,
            outcome: Outcome::Changed {
                change,
                result: Err(half_way),
            },
        },
    );
    assert!(matches!(state.connection, Connection::Offline(_)));

    // And a server's own sentence that happens to begin with those words is not "offline".
    let (mut state, ids) = fixtures::fresh("acme", Duration::ZERO);
    update(
        &mut state,
        Action::Api {
            id: ids[1],
            outcome: Outcome::Keys(Err(Failure::new(
                FailureKind::Conflict,
                "cannot reach the quota for this account",
            ))),
        },
    );
    assert!(!matches!(state.connection, Connection::Offline(_)));
}

#[test]
fn client_errors_map_to_their_kinds() {
    let cases = [
        (
            ClientError::Timeout {
                url: "http://127.0.0.1:9".into(),
                after: Duration::from_secs(3),
            },
            FailureKind::Offline,
        ),
        (
            ClientError::Unauthorized {
                message: "bad token".into(),
            },
            FailureKind::Unauthorized,
        ),
        (
            ClientError::Forbidden {
                permission: Some("Edit API Keys"),
                message: "no".into(),
            },
            FailureKind::Forbidden {
                permission: Some("Edit API Keys"),
            },
        ),
        (
            ClientError::NotFound {
                message: "gone".into(),
            },
            FailureKind::NotFound,
        ),
        (
            ClientError::Conflict {
                message: "own key".into(),
            },
            FailureKind::Conflict,
        ),
        (
            ClientError::ExtensionUnavailable { feature: "Audit" },
            FailureKind::Unavailable,
        ),
    ];
    for (err, kind) in cases {
        assert_eq!(Failure::from(err).kind, kind);
    }
}
