//! The colours and styles, in one place, so every part of the screen agrees.
//!
//! Only the 16 basic colours and one 256-colour index (orange) are used: they render the same
//! over ssh on every common terminal, and the meaning never rests on colour alone (markers such
//! as "!", "…", "✓" carry it too).

use ratatui::style::{Color, Modifier, Style};

/// The Admin's alert for a token past its duration by less than 3 months.
pub const ORANGE: Color = Color::Indexed(208);
/// Errors, destructive actions, tokens 3 months or more past their duration.
pub const RED: Color = Color::Red;
/// Active keys, granted permissions, a live connection.
pub const GREEN: Color = Color::Green;
/// Hints, disabled entries, secondary text.
pub const DIM: Color = Color::DarkGray;
/// Key names in the key bar, the selected tab, dialog borders.
pub const ACCENT: Color = Color::Cyan;
/// Work in progress: connecting, a pending renewal, an optimistic toggle.
pub const PENDING: Color = Color::Yellow;
/// Background of the selected row and of text fields.
pub const SELECTED_BG: Color = Color::Indexed(237);

pub fn plain() -> Style {
    Style::new()
}

pub fn dim() -> Style {
    Style::new().fg(DIM)
}

pub fn bold() -> Style {
    Style::new().add_modifier(Modifier::BOLD)
}

pub fn error() -> Style {
    Style::new().fg(RED)
}

pub fn pending() -> Style {
    Style::new().fg(PENDING)
}

pub fn good() -> Style {
    Style::new().fg(GREEN)
}

/// The name of a key in the key bar or the help overlay.
pub fn key() -> Style {
    Style::new().fg(ACCENT).add_modifier(Modifier::BOLD)
}

/// Section headings inside panes and dialogs.
pub fn heading() -> Style {
    Style::new().add_modifier(Modifier::BOLD)
}

/// The table's header row.
pub fn table_header() -> Style {
    Style::new().add_modifier(Modifier::BOLD | Modifier::UNDERLINED)
}

pub fn selected_row() -> Style {
    Style::new().bg(SELECTED_BG).add_modifier(Modifier::BOLD)
}

/// A marked row: its "✓" in the gutter, and bold cyan text (bold stays under NO_COLOR).
pub fn marked_row() -> Style {
    Style::new().fg(ACCENT).add_modifier(Modifier::BOLD)
}

/// "12 marked" above a list.
pub fn marked_note() -> Style {
    Style::new().fg(ACCENT).add_modifier(Modifier::BOLD)
}

pub fn tab_selected() -> Style {
    Style::new()
        .fg(Color::Black)
        .bg(ACCENT)
        .add_modifier(Modifier::BOLD)
}

/// The title bar's "read-only": bold as well as coloured, so it stands out under NO_COLOR.
pub fn read_only_mark() -> Style {
    Style::new().fg(PENDING).add_modifier(Modifier::BOLD)
}

pub fn app_name() -> Style {
    Style::new().fg(ACCENT).add_modifier(Modifier::BOLD)
}

pub fn active() -> Style {
    Style::new().fg(GREEN)
}

pub fn inactive() -> Style {
    Style::new().fg(RED).add_modifier(Modifier::DIM)
}

pub fn outdated() -> Style {
    Style::new().fg(ORANGE)
}

pub fn long_outdated() -> Style {
    Style::new().fg(RED).add_modifier(Modifier::BOLD)
}

/// A text field's own area.
pub fn field() -> Style {
    Style::new().bg(SELECTED_BG)
}

/// The border of a dialog: red when what it does cannot be undone.
pub fn border(destructive: bool) -> Style {
    if destructive {
        Style::new().fg(RED)
    } else {
        Style::new().fg(ACCENT)
    }
}

/// Laid over a dialog's focused button: reversed and bold, visible without colour.
pub fn focused_button() -> Style {
    Style::new().add_modifier(Modifier::REVERSED | Modifier::BOLD)
}

/// Laid over the buttons without the focus: not bold, so only the focused one stands out.
pub fn unfocused_button() -> Style {
    Style::new().remove_modifier(Modifier::BOLD)
}

/// A dialog's button; the destructive one is red, a disabled one dim.
pub fn button(destructive: bool, enabled: bool) -> Style {
    match (enabled, destructive) {
        (false, _) => dim(),
        (true, true) => Style::new().fg(RED).add_modifier(Modifier::BOLD),
        (true, false) => Style::new().fg(ACCENT).add_modifier(Modifier::BOLD),
    }
}

/// Whether the user asked for no colour: `NO_COLOR` set and not empty (https://no-color.org).
/// Read once at start and kept in the state, so drawing never reads the environment.
pub fn no_color_requested(value: Option<&std::ffi::OsStr>) -> bool {
    value.is_some_and(|value| !value.is_empty())
}

/// Turns a drawn frame colourless for `NO_COLOR`, keeping what the colours meant as text
/// attributes: a background (the selected tab, the selected row, a text field) becomes reverse
/// video, and the dim grey of hints and unavailable actions becomes the dim attribute. Bold,
/// underline and the markers ("!", "✓", "✗", "…") stay as they are.
pub fn strip_colours(buffer: &mut ratatui::buffer::Buffer) {
    for cell in buffer.content.iter_mut() {
        if cell.bg != Color::Reset {
            cell.modifier.insert(Modifier::REVERSED);
        }
        if cell.fg == DIM {
            cell.modifier.insert(Modifier::DIM);
        }
        cell.fg = Color::Reset;
        cell.bg = Color::Reset;
        cell.underline_color = Color::Reset;
    }
}
