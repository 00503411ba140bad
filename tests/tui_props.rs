//! Thousands of random key presses at random terminal sizes: the app never panics, and the
//! selection always stays on a visible row.

use std::time::Duration;

use apikeys::tui::action::{Action, Outcome};
use apikeys::tui::state::State;
use apikeys::tui::{update, view};
use apikeys::vtex::Capabilities;
use apikeys::vtex::model::{AppKey, ExternalKey, Role, Session, Settings};
use apikeys::vtex::time::Timestamp;
use chrono::Duration as Days;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use proptest::prelude::*;
use ratatui::Terminal;
use ratatui::backend::TestBackend;

fn fake_keys(count: usize) -> Vec<AppKey> {
    let now = fixtures::fixed_now();
    (0..count)
        .map(|n| AppKey {
            id: format!("id-{n:03}"),
            app_key: format!(
                "vtexappkey-acme-{}",
                ["AAAAAA", "BBBBBB", "CCCCCC", "DDDDDD"][n % 4]
            ),
            label: format!("Integration {n} {}", "x".repeat(n % 7 * 9)),
            created_in: Some(Timestamp(now - Days::days(n as i64 * 11))),
            is_active: n % 5 != 0,
            roles: (n % 3 != 0).then(|| {
                vec![Role {
                    id: 3,
                    name: "API Keys Viewer".into(),
                }]
            }),
            creation_date_token: Some(Timestamp(now - Days::days(n as i64 * 7))),
            creation_date_new_token: (n % 9 == 0).then(|| Timestamp(now - Days::days(1))),
        })
        .collect()
}

#[path = "fixtures/tui_state.rs"]
mod fixtures;

fn loaded_state(rows: usize) -> State {
    let (mut state, ids) = fixtures::fresh("acme", Duration::from_secs(30));
    let session = Session {
        account: "acme".into(),
        app_key: "vtexappkey-acme-ADMINK".into(),
        resources: vec![
            "ViewApiKeys".into(),
            "EditApiKeys".into(),
            "RenewApiToken".into(),
            "EditApiKeysSettings".into(),
        ],
    };
    update::update(
        &mut state,
        Action::Api {
            id: ids[0],
            outcome: Outcome::Capabilities(Ok(Capabilities {
                extensions: true,
                session: Some(session),
            })),
        },
    );
    update::update(
        &mut state,
        Action::Api {
            id: ids[1],
            outcome: Outcome::Keys(Ok(fake_keys(rows))),
        },
    );
    let external = (0..rows / 4)
        .map(|n| ExternalKey {
            id: format!("ext-{n}"),
            app_key: format!("vtexappkey-partner{n}-QWERTY"),
            account: format!("partner{n}"),
            added_on: None,
            is_active: n % 2 == 0,
            roles: Some(Vec::new()),
        })
        .collect();
    let next = state.external.request.unwrap_or(0);
    update::update(
        &mut state,
        Action::Api {
            id: next,
            outcome: Outcome::External(Ok(external)),
        },
    );
    let settings = state.settings.request.unwrap_or(0);
    update::update(
        &mut state,
        Action::Api {
            id: settings,
            outcome: Outcome::Settings(Ok(Settings {
                token_duration_months: 3,
            })),
        },
    );
    state
}

fn key_strategy() -> impl Strategy<Value = Action> {
    let codes = prop_oneof![
        proptest::sample::select(vec![
            'j', 'k', 'g', 'G', '/', 'f', 's', 'S', ' ', 'n', 'e', 'r', 'F', 'u', 'd', 'a', 'x',
            '1', '2', '3', '?', 'v', 'c', 'y', 'R', 'a', 'Z', '-',
        ])
        .prop_map(KeyCode::Char),
        proptest::sample::select(vec![
            KeyCode::Enter,
            KeyCode::Esc,
            KeyCode::Tab,
            KeyCode::BackTab,
            KeyCode::Up,
            KeyCode::Down,
            KeyCode::PageUp,
            KeyCode::PageDown,
            KeyCode::Home,
            KeyCode::End,
            KeyCode::Backspace,
        ]),
    ];
    prop_oneof![
        8 => codes.prop_map(|code| Action::Key(KeyEvent::new(code, KeyModifiers::NONE))),
        1 => (1u16..200, 1u16..60).prop_map(|(width, height)| Action::Resize { width, height }),
        1 => "[ -~]{0,12}".prop_map(Action::Paste),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    #[test]
    fn random_keys_never_panic_and_keep_the_selection_visible(
        rows in 0usize..120,
        actions in proptest::collection::vec(key_strategy(), 1..200),
        (width, height) in (1u16..200, 1u16..60),
    ) {
        let mut state = loaded_state(rows);
        update::update(&mut state, Action::Resize { width, height });
        let mut terminal = Terminal::new(TestBackend::new(width, height)).unwrap();
        for action in actions {
            if let Action::Resize { width, height } = action {
                terminal.backend_mut().resize(width, height);
            }
            update::update(&mut state, action);
            if state.quit {
                break;
            }
            terminal.draw(|frame| view::render(&state, frame)).unwrap();
            let page = state.page_rows.max(1);
            for (len, selection) in [
                (state.keys.visible.len(), state.keys.selection),
                (state.external.visible.len(), state.external.selection),
            ] {
                if len == 0 {
                    prop_assert_eq!(selection.selected, 0);
                } else {
                    prop_assert!(selection.selected < len, "selected {} of {}", selection.selected, len);
                    prop_assert!(selection.selected >= selection.offset);
                    prop_assert!(selection.selected < selection.offset + page, "selected {} offset {} page {}", selection.selected, selection.offset, page);
                }
            }
            // The rows on screen are rows that exist.
            prop_assert!(state.keys.visible.iter().all(|&i| i < state.keys.rows.len()));
            prop_assert!(state.external.visible.iter().all(|&i| i < state.external.rows.len()));
        }
    }
}
