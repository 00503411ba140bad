//! The app's update and draw at 1 000, 10 000 and 100 000 keys with Portuguese, Spanish and
//! English labels: a filter keystroke (typing and backspace, plain and fuzzy), a sort change, a
//! cursor move, and a 200×60 frame. In process, through `update` and `view` as the event loop
//! calls them. Run: `cargo bench --bench filter` (APIKEYS_BENCH_SIZES=1000,100000 to choose).

#[path = "../tests/fixtures/tui_state.rs"]
mod fixtures;

use std::time::{Duration, Instant};

use apikeys::tui::action::{Action, Outcome};
use apikeys::tui::state::State;
use apikeys::tui::{update, view};
use apikeys::vtex::Capabilities;
use apikeys::vtex::model::{AppKey, Role};
use apikeys::vtex::time::Timestamp;
use chrono::Duration as Days;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::Terminal;
use ratatui::backend::TestBackend;

const SYSTEMS: [&str; 8] = [
    "Integração ERP",
    "Conector logística",
    "Sincronización de inventario",
    "Marketplace Mercado Livre",
    "BI export",
    "Legacy OMS bridge",
    "Gateway de pagamentos",
    "Facturación electrónica",
];
const PLACES: [&str; 8] = [
    "filial São Paulo",
    "Curitiba",
    "sucursal Peñalolén",
    "Belo Horizonte",
    "nightly",
    "Bogotá",
    "Ciudad de México",
    "Porto Alegre",
];
const ROLES: [&str; 4] = [
    "API Keys Viewer",
    "Logistics",
    "Owner (Admin Super)",
    "Catalog",
];

fn keys(count: usize) -> Vec<AppKey> {
    let now = fixtures::fixed_now();
    (0..count)
        .map(|n| AppKey {
            id: format!("{n:08}-0000-4000-8000-000000000000"),
            app_key: format!("vtexappkey-bench-{:06X}", n * 7919 % 0xFFFFFF),
            label: format!(
                "{} – {} {}",
                SYSTEMS[n % SYSTEMS.len()],
                PLACES[n / SYSTEMS.len() % PLACES.len()],
                n
            ),
            created_in: Some(Timestamp(now - Days::days((n % 700) as i64))),
            is_active: n % 10 != 0,
            roles: Some(
                (0..n % 3)
                    .map(|r| Role {
                        id: ((n + r) % 4) as i64,
                        name: ROLES[(n + r) % 4].into(),
                    })
                    .collect(),
            ),
            creation_date_token: Some(Timestamp(now - Days::days((n % 400) as i64))),
            creation_date_new_token: None,
        })
        .collect()
}

struct Figures(Vec<Duration>);

impl Figures {
    fn line(mut self, what: &str) {
        self.0.sort();
        let at = |p: f64| self.0[((self.0.len() - 1) as f64 * p).round() as usize];
        println!(
            "  {what:<34} median {:>9.3?}  p99 {:>9.3?}  ({} samples)",
            at(0.5),
            at(0.99),
            self.0.len()
        );
    }
}

fn timed(state: &mut State, actions: impl IntoIterator<Item = Action>) -> Figures {
    Figures(
        actions
            .into_iter()
            .map(|action| {
                let started = Instant::now();
                update::update(state, action);
                started.elapsed()
            })
            .collect(),
    )
}

fn key(code: KeyCode) -> Action {
    Action::Key(KeyEvent::new(code, KeyModifiers::NONE))
}

/// Typing `text`, then deleting it: (typing, backspace) keystrokes.
fn type_and_delete(text: &str) -> (Vec<Action>, Vec<Action>) {
    let typing = text.chars().map(|c| key(KeyCode::Char(c))).collect();
    let deleting = text.chars().map(|_| key(KeyCode::Backspace)).collect();
    (typing, deleting)
}

fn loaded(count: usize) -> State {
    let (mut state, ids) = fixtures::fresh("bench", Duration::from_secs(3600));
    let capabilities = Capabilities {
        extensions: true,
        session: None,
    };
    update::update(
        &mut state,
        Action::Api {
            id: ids[0],
            outcome: Outcome::Capabilities(Ok(capabilities)),
        },
    );
    update::update(
        &mut state,
        Action::Resize {
            width: 200,
            height: 60,
        },
    );
    let rows = keys(count);
    view_figures(&rows);
    let started = Instant::now();
    update::update(
        &mut state,
        Action::Api {
            id: ids[1],
            outcome: Outcome::Keys(Ok(rows)),
        },
    );
    println!("  {:<34} {:>9.3?}", "keys answer → view", started.elapsed());
    state
}

/// What a listing's arrival costs before the first frame: folding every key into the haystack,
/// then the name order (the first query sorts).
fn view_figures(rows: &[AppKey]) {
    let (mut folds, mut sorts) = (Vec::new(), Vec::new());
    for _ in 0..7 {
        let started = Instant::now();
        let mut view = apikeys::listing::ListView::of_keys(rows);
        folds.push(started.elapsed());
        let started = Instant::now();
        view.keys(rows, &Default::default(), 3, fixtures::fixed_now());
        sorts.push(started.elapsed());
    }
    Figures(folds).line("fold every key into the haystack");
    Figures(sorts).line("name order (the first query)");
}

/// Each typed character and each backspace, measured separately: the first time (nothing kept
/// from an earlier query) and then nine more times, as a user retypes and corrects.
fn filter_figures(state: &mut State, query: &str, label: &str) {
    update::update(state, key(KeyCode::Char('/')));
    let (typing, deleting) = type_and_delete(query);
    timed(state, typing).line(&format!("first typing of {label}"));
    timed(state, deleting).line(&format!("first backspace of {label}"));
    let (mut typing, mut deleting) = (Vec::new(), Vec::new());
    for _ in 0..9 {
        let (t, d) = type_and_delete(query);
        typing.extend(timed(state, t).0);
        deleting.extend(timed(state, d).0);
    }
    update::update(state, key(KeyCode::Esc));
    Figures(typing).line(&format!("typing again {label}"));
    Figures(deleting).line(&format!("backspace again {label}"));
}

fn bench(count: usize) {
    println!("{count} keys:");
    let mut state = loaded(count);
    filter_figures(
        &mut state,
        "integracao sao paulo",
        "\"integracao sao paulo\"",
    );
    filter_figures(&mut state, "erp !legacy", "\"erp !legacy\"");
    filter_figures(&mut state, "-f intgsp", "fuzzy \"-f intgsp\"");
    let sorts = std::iter::repeat_with(|| key(KeyCode::Char('s'))).take(50);
    timed(&mut state, sorts).line("sort change (s)");
    let reverse = std::iter::repeat_with(|| key(KeyCode::Char('S'))).take(50);
    timed(&mut state, reverse).line("sort reversal (S)");
    let cursor = (0..200).map(|n| {
        key(if n % 2 == 0 {
            KeyCode::Down
        } else {
            KeyCode::Up
        })
    });
    timed(&mut state, cursor).line("cursor move (↓ ↑)");
    let mut terminal = Terminal::new(TestBackend::new(200, 60)).expect("test backend");
    let frames = (0..100)
        .map(|_| {
            let started = Instant::now();
            terminal
                .draw(|frame| view::render(&state, frame))
                .expect("draw");
            started.elapsed()
        })
        .collect();
    Figures(frames).line("render a 200×60 frame");
}

fn main() {
    let sizes = std::env::var("APIKEYS_BENCH_SIZES").unwrap_or_else(|_| "1000,10000,100000".into());
    for size in sizes.split(',').filter_map(|s| s.trim().parse().ok()) {
        bench(size);
    }
}
