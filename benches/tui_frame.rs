//! The terminal app with 10 000 keys: how long one filter keystroke takes (update: filter,
//! sort, selection), the first 200×60 frame after the list arrives, and one 120×35 frame
//! (render). Run: `cargo bench --bench tui_frame`.

#[path = "../tests/fixtures/tui_state.rs"]
mod fixtures;

use std::time::{Duration, Instant};

use apikeys::tui::action::{Action, Outcome};
use apikeys::tui::{update, view};
use apikeys::vtex::Capabilities;
use apikeys::vtex::model::{AppKey, Role};
use apikeys::vtex::time::Timestamp;
use chrono::Duration as Days;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::Terminal;
use ratatui::backend::TestBackend;

fn keys(count: usize) -> Vec<AppKey> {
    let now = fixtures::fixed_now();
    (0..count)
        .map(|n| AppKey {
            id: format!("{n:08}-0000-4000-8000-000000000000"),
            app_key: format!("vtexappkey-bench-{}", ["ABCDEF", "GHIJKL", "MNOPQR"][n % 3]),
            label: format!(
                "Integration {} {}",
                ["ERP", "Marketplace", "BI", "Payments", "Legacy"][n % 5],
                n
            ),
            created_in: Some(Timestamp(now - Days::days((n % 700) as i64))),
            is_active: n % 7 != 0,
            roles: Some(vec![Role {
                id: 3,
                name: "API Keys Viewer".into(),
            }]),
            creation_date_token: Some(Timestamp(now - Days::days((n % 400) as i64))),
            creation_date_new_token: None,
        })
        .collect()
}

fn median(mut samples: Vec<Duration>) -> Duration {
    samples.sort();
    samples[samples.len() / 2]
}

fn main() {
    let count: usize = std::env::var("APIKEYS_BENCH_KEYS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(10_000);
    let (mut state, ids) = fixtures::fresh("bench", Duration::from_secs(30));
    update::update(
        &mut state,
        Action::Api {
            id: ids[0],
            outcome: Outcome::Capabilities(Ok(Capabilities {
                extensions: true,
                session: None,
            })),
        },
    );
    update::update(
        &mut state,
        Action::Resize {
            width: 120,
            height: 35,
        },
    );
    let loaded = Instant::now();
    update::update(
        &mut state,
        Action::Api {
            id: ids[1],
            outcome: Outcome::Keys(Ok(keys(count))),
        },
    );
    println!("load {count} keys into the view: {:.2?}", loaded.elapsed());

    // The first frame after a list arrives also measures the columns over every row.
    let mut wide = Terminal::new(TestBackend::new(200, 60)).unwrap();
    let started = Instant::now();
    wide.draw(|frame| view::render(&state, frame)).unwrap();
    println!(
        "first 200x60 frame after the list ({count} keys): {:.2?}",
        started.elapsed()
    );

    let key = |c: char| Action::Key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE));
    let backspace = || Action::Key(KeyEvent::new(KeyCode::Backspace, KeyModifiers::NONE));
    update::update(&mut state, key('/'));
    let mut keystrokes = Vec::new();
    for round in 0..100 {
        let started = Instant::now();
        update::update(
            &mut state,
            if round % 2 == 0 {
                key('e')
            } else {
                backspace()
            },
        );
        keystrokes.push(started.elapsed());
    }
    println!(
        "filter keystroke ({count} keys): median {:.2?}",
        median(keystrokes)
    );

    let mut terminal = Terminal::new(TestBackend::new(120, 35)).unwrap();
    let mut frames = Vec::new();
    for _ in 0..200 {
        let started = Instant::now();
        terminal.draw(|frame| view::render(&state, frame)).unwrap();
        frames.push(started.elapsed());
    }
    println!(
        "render a 120x35 frame ({count} keys): median {:.2?}",
        median(frames)
    );
}
