//! NO_COLOR (https://no-color.org): no cell carries a colour, and what colour meant stays
//! visible as an attribute: the active tab is reversed and bold, an action the key may not use
//! is dim and not bold while one it may use has a bold key. Checked on the real binary in a
//! pty (the variable read at start) and on a drawn state (`state.no_color`, no env mutation).

mod pty_app;
mod screen_fixture;

use apikeys::permissions::Resource;
use apikeys::tui::view::theme;
use pty_app::Pty;
use ratatui::buffer::Buffer;
use ratatui::style::{Color, Modifier};
use screen_fixture::{all_but, at, draw, find_column, key, row_text, state_with};

/// The (x, y) of `text` on the first row, from the bottom, that holds it.
fn bottom_up(rows: &[String], text: &str) -> (u16, u16) {
    let y = (0..rows.len())
        .rev()
        .find(|&y| rows[y].contains(text))
        .unwrap_or_else(|| panic!("{text:?} not on screen:\n{}", rows.join("\n")));
    let x = rows[y][..rows[y].find(text).unwrap()].chars().count();
    (x as u16, y as u16)
}

#[test]
fn the_binary_under_no_color_draws_no_colour_and_keeps_tab_and_dimmed_actions_distinct() {
    let dir = tempfile::tempdir().unwrap();
    let (data, config) = (dir.path().join("data"), dir.path().join("config"));
    let mut pty = Pty::spawn_with_env(&["--read-only"], &data, &config, &[("NO_COLOR", "1")]);
    pty.wait_for("the populated app", |s| s.contains("Generated keys (61)"));
    pty.settle(std::time::Duration::from_millis(300));
    {
        let parser = pty.parser.lock().unwrap();
        let screen = parser.screen();
        let (rows, cols) = screen.size();
        let (rows, cols) = (rows.get(), cols.get());
        let lines: Vec<String> = (0..rows)
            .map(|y| {
                (0..cols)
                    .map(|x| {
                        screen
                            .cell(y, x)
                            .map_or(" ".into(), |c| c.contents().to_string())
                    })
                    .map(|c| if c.is_empty() { " ".to_string() } else { c })
                    .collect()
            })
            .collect();
        for y in 0..rows {
            for x in 0..cols {
                let cell = screen.cell(y, x).unwrap();
                assert!(
                    cell.fgcolor() == vt100::Color::Default
                        && cell.bgcolor() == vt100::Color::Default,
                    "cell ({x}, {y}) {:?} is coloured ({:?} on {:?}) under NO_COLOR:\n{}",
                    cell.contents(),
                    cell.fgcolor(),
                    cell.bgcolor(),
                    lines[usize::from(y)]
                );
            }
        }
        let cell = |(x, y): (u16, u16)| screen.cell(y, x).unwrap();
        // The active tab is reversed and bold; the others are neither.
        let active = cell(bottom_up(&lines[..3], "Generated keys (61)"));
        assert!(
            active.inverse() && active.bold(),
            "active tab: {:?}",
            lines[1]
        );
        let other = cell(bottom_up(&lines[..3], "Settings"));
        assert!(
            !other.inverse() && !other.bold(),
            "inactive tab: {:?}",
            lines[1]
        );
        // Read-only dims every change ("n new") but not help ("? help").
        let dimmed = cell(bottom_up(&lines, "n new"));
        assert!(
            dimmed.dim() && !dimmed.bold(),
            "dimmed n: {:?}",
            lines.last()
        );
        let enabled = cell(bottom_up(&lines, "? help"));
        assert!(
            enabled.bold() && !enabled.dim(),
            "enabled ?: {:?}",
            lines.last()
        );
    }
    pty.send("q");
    pty.expect_clean_exit();
}

fn assert_no_colour(buffer: &Buffer) {
    for y in 0..buffer.area.height {
        for x in 0..buffer.area.width {
            let cell = &buffer[(x, y)];
            assert!(
                cell.fg == Color::Reset && cell.bg == Color::Reset,
                "cell ({x}, {y}) {:?} coloured: {:?} on {:?}\n{}",
                cell.symbol(),
                cell.fg,
                cell.bg,
                row_text(buffer, y)
            );
        }
    }
}

#[test]
fn a_drawn_state_under_no_color_marks_the_tab_the_row_and_refused_actions_by_attribute() {
    // Renewal allowed, everything that edits keys refused.
    let permissions = all_but(&[Resource::EditApiKeys, Resource::EditApiKeysSettings]);
    let mut state = state_with(vec![key("k01", "ERP", at(2026, 11, 1))], permissions);
    state.no_color = true;
    let buffer = draw(&mut state, 160, 30);
    assert_no_colour(&buffer);
    let modifier_at = |y: u16, text: &str| {
        let x = find_column(&buffer, y, text)
            .unwrap_or_else(|| panic!("{text:?} not in {}", row_text(&buffer, y)));
        buffer[(x, y)].modifier
    };
    let tab = modifier_at(1, "Generated keys");
    assert!(tab.contains(Modifier::REVERSED | Modifier::BOLD), "{tab:?}");
    assert!(!modifier_at(1, "Settings").contains(Modifier::REVERSED));
    let bar = buffer.area.height - 1;
    let bar = (bar - 1..=bar)
        .find(|&y| row_text(&buffer, y).contains("n new"))
        .expect("n new in the key bar");
    let refused = modifier_at(bar, "n new");
    let allowed = modifier_at(bar, "r renew");
    assert!(
        refused.contains(Modifier::DIM) && !refused.contains(Modifier::BOLD),
        "{refused:?}"
    );
    assert!(
        allowed.contains(Modifier::BOLD) && !allowed.contains(Modifier::DIM),
        "{allowed:?}"
    );
    assert_ne!(refused, allowed);
    // The selected row is reversed, as its background was.
    let row = screen_fixture::find_row(&buffer, "ERP").unwrap();
    assert!(modifier_at(row, "ERP").contains(Modifier::REVERSED));
}

#[test]
fn no_color_counts_only_when_set_and_not_empty() {
    assert!(theme::no_color_requested(Some("1".as_ref())));
    assert!(theme::no_color_requested(Some("false".as_ref())));
    assert!(!theme::no_color_requested(Some("".as_ref())));
    assert!(!theme::no_color_requested(None));
}
