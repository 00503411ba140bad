//! Meaning carried by style, checked on the cells: an action the caller's key may not use is
//! dimmed in the key bar (and one it may use is not), and a token's age alert is orange past
//! the duration and bold red 3 months past it.

mod screen_fixture;

use apikeys::permissions::Resource;
use ratatui::buffer::Buffer;
use ratatui::style::{Color, Modifier};
use screen_fixture::{
    all_but, all_permissions, at, draw, find_column, find_row, key, row_text, state_with,
};

const DIM: Color = Color::DarkGray;
const ACCENT: Color = Color::Cyan;
const ORANGE: Color = Color::Indexed(208);

/// The cells of `text` where it first appears on the bottom row(s) (the key bar).
fn key_bar_cells(buffer: &Buffer, text: &str) -> (u16, u16) {
    let bottom = buffer.area.height - 1;
    let y = (bottom - 1..=bottom)
        .rev()
        .find(|&y| row_text(buffer, y).contains(text))
        .unwrap_or_else(|| {
            panic!(
                "{text:?} not in the key bar:\n{}\n{}",
                row_text(buffer, bottom - 1),
                row_text(buffer, bottom)
            )
        });
    (find_column(buffer, y, text).unwrap(), y)
}

/// Asserts each of the `len` cells from (x, y) has `fg` and whether it is bold.
fn assert_cells(buffer: &Buffer, (x, y): (u16, u16), len: u16, fg: Color, bold: bool, what: &str) {
    for at in x..x + len {
        let cell = &buffer[(at, y)];
        assert_eq!(
            cell.fg,
            fg,
            "{what}: cell {:?} at ({at}, {y}) has fg {:?}:\n{}",
            cell.symbol(),
            cell.fg,
            row_text(buffer, y)
        );
        assert_eq!(
            cell.modifier.contains(Modifier::BOLD),
            bold,
            "{what}: cell {:?} at ({at}, {y}) bold?:\n{}",
            cell.symbol(),
            row_text(buffer, y)
        );
    }
}

#[test]
fn actions_the_key_may_not_use_are_dim_and_the_others_are_not() {
    // View and renew only: new, roles, delete and toggle are refused; renew is allowed.
    let permissions = all_but(&[Resource::EditApiKeys, Resource::EditApiKeysSettings]);
    let mut state = state_with(vec![key("k01", "ERP", at(2026, 11, 1))], permissions);
    let buffer = draw(&mut state, 160, 30);
    for (keys, what) in [
        ("n", "new"),
        ("e", "roles"),
        ("d", "delete"),
        ("t", "toggle"),
    ] {
        let hint = format!("{keys} {what}");
        let (x, y) = key_bar_cells(&buffer, &hint);
        let key_len = keys.len() as u16;
        assert_cells(&buffer, (x, y), key_len, DIM, false, &hint);
        assert_cells(
            &buffer,
            (x + key_len + 1, y),
            what.len() as u16,
            DIM,
            false,
            &hint,
        );
    }
    // Allowed: the key in the accent colour and bold, what it does in the plain style.
    let (x, y) = key_bar_cells(&buffer, "r renew");
    assert_cells(&buffer, (x, y), 1, ACCENT, true, "r of r renew");
    assert_cells(
        &buffer,
        (x + 2, y),
        5,
        Color::Reset,
        false,
        "renew of r renew",
    );

    // With every permission nothing in the bar is dim.
    let mut state = state_with(vec![key("k01", "ERP", at(2026, 11, 1))], all_permissions());
    let buffer = draw(&mut state, 160, 30);
    let (x, y) = key_bar_cells(&buffer, "n new");
    assert_cells(&buffer, (x, y), 1, ACCENT, true, "n of n new");
    assert_cells(&buffer, (x + 2, y), 3, Color::Reset, false, "new of n new");
}

#[test]
fn token_age_alerts_are_orange_past_the_duration_and_bold_red_three_months_past() {
    // Today is 2026-11-27 and the duration 3 months.
    let keys = vec![
        key("k01", "A fresh key", at(2026, 11, 7)), // 20 days: no alert
        key("k02", "B outdated key", at(2026, 7, 20)), // 130 days: past by less than 3 months
        key("k03", "C long outdated", at(2026, 4, 11)), // 230 days: 3 months past
    ];
    let mut state = state_with(keys, all_permissions());
    let buffer = draw(&mut state, 120, 20);
    let cell_of = |label: &str, text: &str| {
        let y = find_row(&buffer, label).unwrap_or_else(|| panic!("no row {label}"));
        let x = find_column(&buffer, y, text)
            .unwrap_or_else(|| panic!("no {text:?} in {}", row_text(&buffer, y)));
        (x, y)
    };
    let fresh = cell_of("A fresh key", "20d");
    assert!(
        !row_text(&buffer, fresh.1).contains("20d !"),
        "a fresh token has no alert"
    );
    let fresh_cell = &buffer[fresh];
    assert!(
        fresh_cell.fg != ORANGE && fresh_cell.fg != Color::Red,
        "a fresh token's age is not coloured: {:?}",
        fresh_cell.fg
    );
    assert_cells(
        &buffer,
        cell_of("B outdated key", "130d !"),
        6,
        ORANGE,
        false,
        "130d !",
    );
    assert_cells(
        &buffer,
        cell_of("C long outdated", "230d !!"),
        7,
        Color::Red,
        true,
        "230d !!",
    );
}
