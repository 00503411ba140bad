//! Shared drawing pieces: terminal-safe text, width-aware cutting and wrapping, the table,
//! text fields, key hints and the dialog frame.
//!
//! Everything here clips to the area it is given, so no size of terminal can make it write
//! outside the frame.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, Padding, Paragraph};
use tui_input::Input;

mod text;

pub use self::text::{
    chunks, field_text, fit, fit_middle, fit_spans, pad, pad_spans, spans_width, width, wrap,
};

use super::theme;
use crate::output::for_terminal;

/// Longest server-provided text drawn anywhere (a label, a role name, a message).
const MAX_TEXT: usize = 500;

/// Text from the server (or pasted by the user) made safe to draw: control characters become
/// '�' so an escape sequence in a label cannot rewrite the screen.
pub fn clean(text: &str) -> String {
    for_terminal(text, MAX_TEXT)
}

/// Wrapped text as styled lines.
pub fn wrapped(text: &str, style: Style, max: usize) -> Vec<Line<'static>> {
    wrap(text, max)
        .into_iter()
        .map(|line| Line::styled(line, style))
        .collect()
}

/// Wrapped text with a first-line prefix and the following lines indented to match
/// ("Roles    Owner, Call center\n         operator").
pub fn hanging(first: Span<'static>, text: &str, style: Style, max: usize) -> Vec<Line<'static>> {
    let indent = width(&first.content);
    let lines = wrap(text, max.saturating_sub(indent));
    let mut first = Some(first);
    lines
        .into_iter()
        .map(|line| {
            let lead = first
                .take()
                .unwrap_or_else(|| Span::raw(" ".repeat(indent)));
            Line::from(vec![lead, Span::styled(line, style)])
        })
        .collect()
}

/// Draws one line at row `y` of `area`, clipped to it; rows outside `area` are ignored.
pub fn put_line(frame: &mut Frame, area: Rect, y: u16, line: &Line<'_>) {
    if y >= area.height || area.width == 0 {
        return;
    }
    let area = area.intersection(frame.area());
    if y >= area.height || area.width == 0 {
        return;
    }
    frame
        .buffer_mut()
        .set_line(area.x, area.y + y, line, area.width);
}

/// The rectangle of `w`×`h` centered in `region`, never larger than it.
pub fn centered(region: Rect, w: u16, h: u16) -> Rect {
    let w = w.min(region.width);
    let h = h.min(region.height);
    Rect {
        x: region.x + (region.width - w) / 2,
        y: region.y + (region.height - h) / 2,
        width: w,
        height: h,
    }
}

// ---------------------------------------------------------------------------------------------
// Text fields

/// The visible part of a text field `max` columns wide, with a '▏' at the cursor when focused;
/// it scrolls so the cursor stays in view.
pub fn input_text(input: &Input, max: usize, focused: bool) -> String {
    field_text(input.value(), input.cursor(), max, focused)
}

/// A one-line text field: "[value▏          ]", `max` columns in all.
pub fn input_field(input: &Input, max: usize, focused: bool) -> Line<'static> {
    let inner = max.saturating_sub(2);
    let text = pad(&input_text(input, inner, focused), inner);
    Line::from(vec![
        Span::styled("[", theme::dim()),
        Span::styled(text, theme::field()),
        Span::styled("]", theme::dim()),
    ])
}

// ---------------------------------------------------------------------------------------------
// Key hints (the bottom bar and dialog footers)

/// One "key what" pair; a disabled one is drawn dim.
#[derive(Debug, Clone)]
pub struct Hint {
    pub keys: String,
    pub what: String,
    pub enabled: bool,
}

impl Hint {
    pub fn new(keys: &str, what: &str) -> Hint {
        Hint {
            keys: keys.to_string(),
            what: what.to_string(),
            enabled: true,
        }
    }

    pub fn enabled(mut self, enabled: bool) -> Hint {
        self.enabled = enabled;
        self
    }

    pub fn spans(&self) -> Vec<Span<'static>> {
        let (key, what) = if self.enabled {
            (theme::key(), theme::plain())
        } else {
            (theme::dim(), theme::dim())
        };
        vec![
            Span::styled(self.keys.clone(), key),
            Span::raw(" "),
            Span::styled(self.what.clone(), what),
        ]
    }
}

/// Hints separated by two spaces, as one list of pieces.
pub fn hint_spans(hints: &[Hint]) -> Vec<Span<'static>> {
    let mut out = Vec::new();
    for (index, hint) in hints.iter().enumerate() {
        if index > 0 {
            out.push(Span::raw("  "));
        }
        out.extend(hint.spans());
    }
    out
}

/// Hints wrapped onto as many lines of `max` columns as they need (dialog footers).
pub fn hint_lines(hints: &[Hint], max: usize) -> Vec<Line<'static>> {
    let mut lines = Vec::new();
    let mut current: Vec<Span<'static>> = Vec::new();
    let mut used = 0;
    for hint in hints {
        let spans = hint.spans();
        let w = spans_width(&spans);
        if used > 0 && used + 2 + w > max {
            lines.push(Line::from(std::mem::take(&mut current)));
            used = 0;
        }
        if used > 0 {
            current.push(Span::raw("  "));
            used += 2;
        }
        current.extend(fit_spans(spans, max));
        used += w.min(max);
    }
    if !current.is_empty() {
        lines.push(Line::from(current));
    }
    lines
}

// ---------------------------------------------------------------------------------------------
// The table

/// A column of a table: how narrow it may get, how wide it would like to be, and below which
/// terminal width it is left out.
#[derive(Debug, Clone)]
pub struct Column {
    pub title: String,
    pub min: u16,
    pub want: u16,
    /// Takes a share of the room left once every column has what it wants, up to `max`.
    pub fill: bool,
    pub max: u16,
    /// Filling columns of a lower rank grow to their `max` before those of a higher one.
    pub fill_rank: u8,
    /// Lower grows first towards `want`.
    pub grow: u8,
    /// Left out when the table is narrower than this.
    pub hide_below: u16,
}

impl Column {
    pub fn new(title: impl Into<String>, min: u16, want: u16) -> Column {
        Column {
            title: title.into(),
            min: min.min(want),
            want,
            fill: false,
            max: want,
            fill_rank: 1,
            grow: 0,
            hide_below: 0,
        }
    }

    /// Grows past `want` up to `max` with what is left, shared with the other such columns.
    pub fn fill_to(mut self, max: u16) -> Column {
        self.fill = true;
        self.max = max.max(self.want);
        self
    }

    /// Fills before the other filling columns.
    pub fn fill_first(mut self) -> Column {
        self.fill_rank = 0;
        self
    }

    pub fn grow(mut self, order: u8) -> Column {
        self.grow = order;
        self
    }

    pub fn hide_below(mut self, width: u16) -> Column {
        self.hide_below = width;
        self
    }
}

/// The selection marker column and its gap.
/// "›" on the selected row, "✓" on a marked one, then a space.
const GUTTER: u16 = 3;
const SPACING: u16 = 1;

/// Widths of the columns for a table `width` columns wide; `None` for a column left out.
pub fn allocate(columns: &[Column], width: u16) -> Vec<Option<u16>> {
    let shown: Vec<bool> = columns.iter().map(|c| width >= c.hide_below).collect();
    let count = shown.iter().filter(|s| **s).count() as u16;
    let room = width
        .saturating_sub(GUTTER)
        .saturating_sub(count.saturating_sub(1) * SPACING);
    let mut widths: Vec<u16> = columns
        .iter()
        .zip(&shown)
        .map(|(c, s)| if *s { c.min } else { 0 })
        .collect();
    let mut left = room.saturating_sub(widths.iter().sum());
    let mut order: Vec<usize> = (0..columns.len()).filter(|&i| shown[i]).collect();
    order.sort_by_key(|&i| columns[i].grow);
    for &i in &order {
        let add = columns[i].want.saturating_sub(widths[i]).min(left);
        widths[i] += add;
        left -= add;
    }
    // Share what is left among the filling columns, rank by rank, each up to its `max`.
    for rank in 0..=1 {
        loop {
            let open: Vec<usize> = order
                .iter()
                .copied()
                .filter(|&i| {
                    columns[i].fill && columns[i].fill_rank == rank && widths[i] < columns[i].max
                })
                .collect();
            if open.is_empty() || left == 0 {
                break;
            }
            let share = (left / open.len() as u16).max(1);
            for i in open {
                let add = share.min(columns[i].max - widths[i]).min(left);
                widths[i] += add;
                left -= add;
            }
        }
    }
    widths
        .into_iter()
        .zip(shown)
        .map(|(w, s)| s.then_some(w))
        .collect()
}

pub struct TableRow {
    /// One list of styled pieces per column (all columns, shown or not).
    pub cells: Vec<Vec<Span<'static>>>,
    pub selected: bool,
    /// Marked for a bulk action: "✓" in the gutter, drawn in the marked style.
    pub marked: bool,
}

/// Draws the header and the rows (as many as fit) of a table into `area`.
pub fn draw_table(frame: &mut Frame, area: Rect, columns: &[Column], rows: &[TableRow]) {
    let widths = allocate(columns, area.width);
    let mut header = vec![Span::raw(" ".repeat(usize::from(GUTTER)))];
    let mut first = true;
    for (column, width) in columns.iter().zip(&widths) {
        let Some(width) = width else { continue };
        if !first {
            header.push(Span::raw(" "));
        }
        first = false;
        header.push(Span::raw(pad(&column.title, usize::from(*width))));
    }
    put_line(
        frame,
        area,
        0,
        &Line::from(header).style(theme::table_header()),
    );
    for (index, row) in rows.iter().enumerate() {
        let y = index as u16 + 1;
        if y >= area.height {
            break;
        }
        let gutter = match (row.selected, row.marked) {
            (true, true) => "›✓ ",
            (true, false) => "›  ",
            (false, true) => " ✓ ",
            (false, false) => "   ",
        };
        let mut spans = vec![Span::raw(gutter)];
        let mut first = true;
        for (cell, width) in row.cells.iter().zip(&widths) {
            let Some(width) = width else { continue };
            if !first {
                spans.push(Span::raw(" "));
            }
            first = false;
            spans.extend(pad_spans(cell.clone(), usize::from(*width)));
        }
        let mut line = Line::from(spans);
        if row.selected {
            let row_area = Rect {
                y: area.y + y,
                height: 1,
                ..area
            }
            .intersection(frame.area());
            frame
                .buffer_mut()
                .set_style(row_area, theme::selected_row());
            line = line.style(theme::selected_row());
        }
        if row.marked {
            line = line.patch_style(theme::marked_row());
        }
        put_line(frame, area, y, &line);
    }
}

/// The first row to draw so that `selected` is within `rows` rows from it, starting from the
/// stored `offset` (the loop may not have caught up with a resize yet).
pub fn visible_offset(offset: usize, selected: usize, len: usize, rows: usize) -> usize {
    let rows = rows.max(1);
    let mut offset = offset;
    if selected < offset {
        offset = selected;
    } else if selected >= offset + rows {
        offset = selected + 1 - rows;
    }
    offset.min(len.saturating_sub(rows))
}

/// The rows a table shows in `rows` lines: (position in `visible`, row), from the offset that
/// keeps the selection on screen. A stale index (rows replaced before the view was refreshed)
/// is skipped, not a panic.
pub fn rows_on_screen<'a, T>(
    rows: &'a [T],
    visible: &[usize],
    selection: crate::tui::state::Selection,
    lines: usize,
) -> Vec<(usize, &'a T)> {
    let offset = visible_offset(selection.offset, selection.selected, visible.len(), lines);
    let end = (offset + lines).min(visible.len());
    (offset..end)
        .filter_map(|at| rows.get(visible[at]).map(|row| (at, row)))
        .collect()
}

// ---------------------------------------------------------------------------------------------
// Dialogs

/// A dialog: a bordered box centered in the region, with a body that may be cut (with a "…"
/// line) and a footer that always stays.
pub struct DialogFrame {
    pub title: String,
    pub destructive: bool,
    /// Preferred outer width; clamped to the region.
    pub width: u16,
}

/// Columns of text inside a dialog of outer width `width` in `region`.
pub fn dialog_inner_width(region: Rect, width: u16) -> usize {
    usize::from(width.min(region.width).saturating_sub(4))
}

/// Rows of body and footer text a dialog can show in `region`.
pub fn dialog_inner_height(region: Rect) -> usize {
    usize::from(region.height.saturating_sub(2))
}

/// Where a dialog was drawn: its inner area, and how many of its body lines are shown there
/// whole (the rest were cut for room).
#[derive(Debug, Clone, Copy, Default)]
pub struct DrawnDialog {
    pub inner: Rect,
    pub body_shown: usize,
}

impl DrawnDialog {
    /// The row body line `index` was drawn on, if it was.
    pub fn body_line(&self, index: usize) -> Option<Rect> {
        let y = u16::try_from(index).ok()?;
        (index < self.body_shown && y < self.inner.height).then(|| Rect {
            y: self.inner.y + y,
            height: 1,
            ..self.inner
        })
    }
}

/// Cuts `lines` to `rows`, the last row then saying how many were cut ("… 7 more lines");
/// returns how many of the lines are still shown.
pub fn cut_to(lines: &mut Vec<Line<'_>>, rows: usize) -> usize {
    if lines.len() <= rows {
        return lines.len();
    }
    let kept = rows.saturating_sub(1);
    let hidden = lines.len() - kept;
    lines.truncate(kept);
    if rows > 0 {
        lines.push(Line::styled(
            crate::tui::strings::dialogs::more_lines(hidden),
            theme::dim(),
        ));
    }
    kept
}

pub fn draw_dialog<'a>(
    frame: &mut Frame,
    region: Rect,
    spec: &DialogFrame,
    body: Vec<Line<'a>>,
    footer: Vec<Line<'a>>,
) -> DrawnDialog {
    let region = region.intersection(frame.area());
    if region.is_empty() {
        return DrawnDialog::default();
    }
    let max_rows = dialog_inner_height(region);
    let mut lines = body;
    let mut footer = footer;
    // Short of room, the footer's spacing line goes before any content does.
    if lines.len() + footer.len() > max_rows
        && footer
            .first()
            .is_some_and(|line| spans_width(&line.spans) == 0)
    {
        footer.remove(0);
    }
    let footer_rows = footer.len().min(max_rows);
    let body_rows = max_rows - footer_rows;
    let body_shown = cut_to(&mut lines, body_rows);
    lines.extend(footer.into_iter().take(footer_rows));
    let height = (lines.len() as u16).saturating_add(2);
    let area = centered(region, spec.width, height);
    let block = Block::bordered()
        .border_style(theme::border(spec.destructive))
        .title(Line::styled(
            fit(
                &format!(" {} ", spec.title),
                usize::from(area.width.saturating_sub(2)),
            ),
            theme::heading(),
        ))
        .padding(Padding::horizontal(1));
    let inner = block.inner(area);
    frame.render_widget(Clear, area);
    frame.render_widget(block, area);
    frame.render_widget(Paragraph::new(lines), inner);
    DrawnDialog { inner, body_shown }
}

/// "[ Label ]" as a button.
pub fn button(label: &str, destructive: bool, enabled: bool) -> Span<'static> {
    Span::styled(format!("[ {label} ]"), theme::button(destructive, enabled))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cutting_and_wrapping() {
        assert_eq!(fit("abcdef", 4), "abc…");
        assert_eq!(fit("abc", 4), "abc");
        assert_eq!(fit("abc", 0), "");
        assert_eq!(fit_middle("vtexappkey-acme-ORYNWX", 15), "vtexapp…-ORYNWX");
        assert_eq!(pad("ab", 4), "ab  ");
        assert_eq!(wrap("one two three", 7), vec!["one two", "three"]);
        assert_eq!(wrap("abcdefghij", 4), vec!["abcd", "efgh", "ij"]);
        assert_eq!(wrap("a\n\nb", 4), vec!["a", "", "b"]);
        assert_eq!(wrap("  one two three", 9), vec!["  one two", "  three"]);
        assert_eq!(chunks("abcdefghij", 4), vec!["abcd", "efgh", "ij"]);
    }

    #[test]
    fn columns_fill_and_drop() {
        let columns = [
            Column::new("Key", 10, 20).grow(1),
            Column::new("Name", 8, 12).fill_to(30).grow(2),
            Column::new("Roles", 8, 12).fill_to(60).grow(3),
            Column::new("Created", 10, 10).hide_below(60),
        ];
        assert_eq!(
            allocate(&columns, 50),
            vec![Some(20), Some(13), Some(12), None]
        );
        assert_eq!(
            allocate(&columns, 80),
            vec![Some(20), Some(22), Some(22), Some(10)]
        );
        // Name stops at its maximum; Roles takes the rest up to its own.
        assert_eq!(
            allocate(&columns, 200),
            vec![Some(20), Some(30), Some(60), Some(10)]
        );
    }

    #[test]
    fn the_cursor_stays_in_view() {
        let input = Input::new("abcdefghij".into());
        assert_eq!(input_text(&input, 5, true), "ghij▏");
        let input = input.with_cursor(0);
        assert_eq!(input_text(&input, 5, true), "▏abc…");
        assert_eq!(input_text(&input, 5, false), "abcd…");
    }
}
