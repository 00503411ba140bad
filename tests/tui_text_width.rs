//! Labels that are not plain ASCII — flags (two code points, one picture), emoji joined by ZWJ,
//! letters with combining marks, CJK wide characters — drawn in tables and dialogs too narrow
//! for them: every row keeps its exact width and no cluster is ever split, so no half of a
//! flag leaks into the next cell or row.

mod screen_fixture;

use apikeys::tui::state::{DetailsDialog, Dialog};
use ratatui::buffer::Buffer;
use screen_fixture::{all_permissions, at, draw, find_column, find_row, key, row_text, state_with};
use unicode_segmentation::UnicodeSegmentation;
use unicode_width::UnicodeWidthStr;

const LABELS: [&str; 5] = [
    "Loja 🇧🇷🇧🇷🇧🇷🇧🇷🇧🇷🇧🇷🇧🇷🇧🇷🇧🇷 São Paulo",
    "Dev 👩‍💻👩‍💻👩‍💻👩‍💻👩‍💻👩‍💻👩‍💻 team",
    "Cafe\u{301} cre\u{300}me bru\u{302}le\u{301}e na\u{ef}ve a\u{30a}ngstro\u{308}m",
    "東京の倉庫と大阪の倉庫の在庫同期サービス",
    "❤️❤️❤️❤️❤️❤️❤️❤️❤️ favourites",
];

fn keys() -> Vec<apikeys::vtex::model::AppKey> {
    LABELS
        .iter()
        .enumerate()
        .map(|(i, label)| key(&format!("k0{i}"), label, at(2026, 11, 1)))
        .collect()
}

fn is_regional_indicator(c: char) -> bool {
    ('\u{1F1E6}'..='\u{1F1FF}').contains(&c)
}

/// Each cell holds one whole cluster: not a lone half of a flag, not an emoji cut at its
/// joiner, not a combining mark without its letter. And the row is exactly `width` wide.
fn assert_whole_clusters(buffer: &Buffer, what: &str) {
    let width = buffer.area.width;
    for y in 0..buffer.area.height {
        let row = row_text(buffer, y);
        let mut x = 0u16;
        while x < width {
            let symbol = buffer[(x, y)].symbol();
            let flags = symbol.chars().filter(|&c| is_regional_indicator(c)).count();
            assert!(
                flags % 2 == 0,
                "{what}: half a flag {symbol:?} at ({x}, {y}):\n{row}"
            );
            assert!(
                !symbol.ends_with('\u{200D}') && !symbol.starts_with('\u{200D}'),
                "{what}: an emoji cut at its joiner at ({x}, {y}):\n{row}"
            );
            assert!(
                symbol.is_empty() || symbol.graphemes(true).count() == 1,
                "{what}: cell ({x}, {y}) holds {symbol:?}, not one cluster:\n{row}"
            );
            let first = symbol.chars().next();
            assert!(
                !first.is_some_and(|c| ('\u{300}'..='\u{36F}').contains(&c)),
                "{what}: a combining mark without its letter at ({x}, {y}):\n{row}"
            );
            x += UnicodeWidthStr::width(symbol).max(1) as u16;
        }
        assert_eq!(x, width, "{what}: row {y} is {x} columns wide:\n{row}");
    }
}

/// The label as drawn in the Name column: the label whole, or a prefix of whole clusters
/// followed by '…'.
fn assert_label_cut_on_clusters(buffer: &Buffer, label: &str, what: &str) {
    let head: String = label.chars().take(3).collect();
    let Some(y) = find_row(buffer, &head) else {
        panic!("{what}: no row shows {label:?}");
    };
    let x = find_column(buffer, y, &head).unwrap();
    let row = row_text(buffer, y);
    let mut drawn = String::new();
    let mut at = x;
    while at < buffer.area.width {
        let symbol = buffer[(at, y)].symbol();
        drawn.push_str(symbol);
        at += UnicodeWidthStr::width(symbol).max(1) as u16;
    }
    if drawn.starts_with(label) {
        return;
    }
    let cut = drawn
        .split('…')
        .next()
        .unwrap_or_default()
        .trim_end_matches(' ');
    assert!(
        label.starts_with(cut),
        "{what}: {cut:?} is not the start of {label:?}:\n{row}"
    );
    let on_boundary = label
        .grapheme_indices(true)
        .any(|(start, _)| start == cut.len());
    assert!(
        on_boundary,
        "{what}: {label:?} was cut inside a cluster, leaving {cut:?}:\n{row}"
    );
}

#[test]
fn narrow_tables_cut_labels_between_whole_clusters_and_keep_every_row_exact() {
    let mut state = state_with(keys(), all_permissions());
    for width in [50u16, 53, 57, 61, 64, 71, 76, 83] {
        let buffer = draw(&mut state, width, 16);
        let what = format!("at width {width}");
        assert_whole_clusters(&buffer, &what);
        for label in LABELS {
            assert_label_cut_on_clusters(&buffer, label, &what);
        }
    }
}

#[test]
fn wrapped_labels_break_between_whole_clusters() {
    // One word of flags longer than the dialog is wide: it must break between flags.
    let flags = "🇧🇷".repeat(40);
    let mut state = state_with(vec![key("k01", &flags, at(2026, 11, 1))], all_permissions());
    state.dialog = Some(Dialog::Details(DetailsDialog {
        key_id: "k01".into(),
        audit: Some(Ok(Vec::new())),
        ..DetailsDialog::default()
    }));
    for width in [50u16, 55, 61, 67] {
        let buffer = draw(&mut state, width, 30);
        assert_whole_clusters(&buffer, &format!("details at width {width}"));
    }
}
