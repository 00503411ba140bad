//! How the scripting CLI prints: an aligned table for people, JSON (the API's own field names)
//! and CSV for scripts.

use serde::Serialize;
use unicode_segmentation::UnicodeSegmentation;
use unicode_width::UnicodeWidthStr;

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    Table,
    Json,
    Csv,
}

/// Rows of text under headers, printable as a table or as CSV.
pub struct Table {
    headers: Vec<&'static str>,
    rows: Vec<Vec<String>>,
}

/// Space between two columns of a table.
const GAP: usize = 2;

/// The narrowest a column is cut to when a table does not fit the terminal.
const MIN_COLUMN: usize = 4;

impl Table {
    pub fn new(headers: Vec<&'static str>) -> Table {
        Table {
            headers,
            rows: Vec::new(),
        }
    }

    pub fn push(&mut self, row: Vec<String>) {
        self.rows.push(row);
    }

    /// The table for stdout: cut to the terminal's width when stdout is a terminal, every
    /// cell whole when it is piped (a file, `grep`, `less -S`).
    pub fn render(&self, format: Format) -> String {
        self.render_to(format, stdout_width())
    }

    /// The table as CSV, or aligned and, with `width`, cut to fit that many columns.
    pub fn render_to(&self, format: Format, width: Option<usize>) -> String {
        match format {
            Format::Csv => self.csv(),
            _ => self.aligned(width),
        }
    }

    fn aligned(&self, width: Option<usize>) -> String {
        let headers: Vec<String> = self.headers.iter().map(|h| h.to_string()).collect();
        let rows: Vec<Vec<String>> = std::iter::once(headers)
            .chain(
                self.rows
                    .iter()
                    .map(|row| row.iter().map(|cell| defused(cell)).collect()),
            )
            .collect();
        let mut widths = vec![0; self.headers.len()];
        for row in &rows {
            for (width, cell) in widths.iter_mut().zip(row) {
                *width = (*width).max(columns(cell));
            }
        }
        if let Some(width) = width {
            fit(&mut widths, width);
        }
        let mut out = String::new();
        for row in &rows {
            let mut line = String::new();
            for (index, (cell, &width)) in row.iter().zip(&widths).enumerate() {
                let cell = cut_to_width(cell, width);
                line.push_str(&cell);
                if index + 1 < row.len() {
                    line.extend(std::iter::repeat_n(' ', width - columns(&cell) + GAP));
                }
            }
            out += line.trim_end();
            out.push('\n');
        }
        out
    }

    /// RFC 4180 by the `csv` crate: a field is quoted only when it holds a comma, a quote or a
    /// line break, quotes doubled; records end in `\n`.
    fn csv(&self) -> String {
        let mut writer = csv::WriterBuilder::new()
            .terminator(csv::Terminator::Any(b'\n'))
            .from_writer(Vec::new());
        let records = std::iter::once(self.headers.iter().map(|h| h.as_bytes()).collect()).chain(
            self.rows
                .iter()
                .map(|row| row.iter().map(String::as_bytes).collect()),
        );
        for record in records {
            let record: Vec<&[u8]> = record;
            writer
                .write_record(record)
                .expect("writing to memory cannot fail");
        }
        let bytes = writer.into_inner().expect("writing to memory cannot fail");
        String::from_utf8(bytes).expect("CSV of UTF-8 fields is UTF-8")
    }
}

/// The width tables are cut to: the terminal's when stdout is one, else none (piped output
/// keeps every cell whole, so a script or a pager sees all of it).
pub fn stdout_width() -> Option<usize> {
    use std::io::IsTerminal;
    if !std::io::stdout().is_terminal() {
        return None;
    }
    let columns = crossterm::terminal::size()
        .ok()
        .map(|(columns, _)| usize::from(columns))
        .filter(|&columns| columns > 0)
        .or_else(|| std::env::var("COLUMNS").ok()?.trim().parse().ok())
        .unwrap_or(80);
    Some(columns)
}

/// Narrows the widest columns first, all to one common width, until the table with its gaps
/// fits `total` columns. The first column names the row (a key, an id, a time) and stays
/// whole; no other goes below [`MIN_COLUMN`] (or its own width), so a very narrow terminal
/// wraps rather than losing whole columns.
fn fit(widths: &mut [usize], total: usize) {
    let Some((first, rest)) = widths.split_first_mut() else {
        return;
    };
    let room = total.saturating_sub(*first + GAP * rest.len());
    let needed = |rest: &[usize], cap: usize| rest.iter().map(|&w| w.min(cap)).sum::<usize>();
    let mut cap = rest.iter().copied().max().unwrap_or(0);
    while cap > MIN_COLUMN && needed(rest, cap) > room {
        cap -= 1;
    }
    for width in rest.iter_mut() {
        *width = (*width).min(cap);
    }
}

/// `text` cut to `width` display columns, with '…' where it was cut; whole graphemes only.
fn cut_to_width(text: &str, width: usize) -> String {
    if columns(text) <= width {
        return text.to_string();
    }
    let mut out = String::new();
    let mut used = 0;
    for grapheme in text.graphemes(true) {
        let w = grapheme.width();
        if used + w + 1 > width {
            break;
        }
        out.push_str(grapheme);
        used += w;
    }
    out.push('…');
    out
}

/// Control characters (escape sequences could rewrite the screen) replaced by '�'.
fn defused(text: &str) -> String {
    text.graphemes(true)
        .map(|g| {
            if g.chars().any(char::is_control) {
                "\u{FFFD}"
            } else {
                g
            }
        })
        .collect()
}

/// Text from a server made safe for a terminal: control characters (escape sequences could
/// rewrite the screen) become '�', and long text is cut with '…'.
pub fn for_terminal(text: &str, max_graphemes: usize) -> String {
    let mut graphemes = text.graphemes(true);
    let mut out = String::new();
    for grapheme in graphemes.by_ref().take(max_graphemes) {
        if grapheme.chars().any(char::is_control) {
            out.push('\u{FFFD}');
        } else {
            out.push_str(grapheme);
        }
    }
    // Cut between whole characters as a person sees them, so a flag is never left half.
    if graphemes.next().is_some() {
        let keep: String = out
            .graphemes(true)
            .take(max_graphemes.saturating_sub(1))
            .collect();
        out = keep + "…";
    }
    out
}

/// Columns text takes in a terminal: each grapheme cluster's display width (a flag or an emoji
/// joined with U+200D is one cluster of two columns).
fn columns(text: &str) -> usize {
    use unicode_segmentation::UnicodeSegmentation;
    use unicode_width::UnicodeWidthStr;
    text.graphemes(true).map(UnicodeWidthStr::width).sum()
}

pub fn json<T: Serialize>(value: &T) -> String {
    serde_json::to_string_pretty(value).expect("API models always serialize") + "\n"
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn terminal_text_is_cut_between_whole_graphemes() {
        let flags = "🇧🇷".repeat(10);
        let cut = for_terminal(&flags, 4);
        assert_eq!(cut, format!("{}…", "🇧🇷".repeat(3)));
        assert_eq!(for_terminal("a\u{1b}[31mb", 10), "a\u{FFFD}[31mb");
        assert_eq!(for_terminal("short", 10), "short");
    }

    #[test]
    fn tables_align_and_csv_quotes() {
        let mut table = Table::new(vec!["KEY", "LABEL"]);
        table.push(vec!["a".into(), "x, \"y\"".into()]);
        table.push(vec!["long-key".into(), "z".into()]);
        assert_eq!(
            table.render_to(Format::Table, None),
            "KEY       LABEL\na         x, \"y\"\nlong-key  z\n"
        );
        assert_eq!(
            table.render_to(Format::Csv, None),
            "KEY,LABEL\na,\"x, \"\"y\"\"\"\nlong-key,z\n"
        );
    }

    #[test]
    fn csv_quotes_exactly_where_it_used_to() {
        // The rule the hand-written writer followed, kept here as the reference.
        let quoted = |field: &str| {
            if field.contains([',', '"', '\n', '\r']) {
                format!("\"{}\"", field.replace('"', "\"\""))
            } else {
                field.to_string()
            }
        };
        let fields = [
            "",
            "plain",
            "a,b",
            "say \"hi\"",
            "two\nlines",
            "cr\ronly",
            " spaced ",
            "#hash",
            "'single'",
            "tab\there",
            "ünïcode; x",
            "\"",
        ];
        for field in fields {
            let mut table = Table::new(vec!["A", "B"]);
            table.push(vec![field.to_string(), "z".into()]);
            assert_eq!(
                table.render_to(Format::Csv, None),
                format!("A,B\n{},z\n", quoted(field)),
                "{field:?}"
            );
        }
    }

    #[test]
    fn tables_are_cut_to_a_width_widest_column_first_and_kept_whole_without_one() {
        let mut table = Table::new(vec!["KEY", "LABEL", "STATUS"]);
        let label = format!("{}END", "y".repeat(100));
        table.push(vec![
            "vtexappkey-a-ABCDEF".into(),
            label.clone(),
            "Active".into(),
        ]);
        table.push(vec![
            "k".into(),
            "日本語のラベル".into(),
            "x\u{1b}[2J".into(),
        ]);
        let whole = table.render_to(Format::Table, None);
        assert!(whole.contains(&label), "{whole}");
        assert!(
            whole.contains("x\u{FFFD}[2J"),
            "control characters are defused: {whole}"
        );
        let cut = table.render_to(Format::Table, Some(50));
        for line in cut.lines() {
            assert!(line.width() <= 50, "{} columns: {line}", line.width());
        }
        assert!(
            cut.contains("vtexappkey-a-ABCDEF"),
            "narrow columns stay whole: {cut}"
        );
        assert!(cut.contains('…') && !cut.contains("END"), "{cut}");
        assert!(
            cut.contains("日本語"),
            "wide characters are cut whole: {cut}"
        );
    }

    #[test]
    fn terminal_text_is_defused_and_cut() {
        assert_eq!(for_terminal("a\u{1b}[31mb", 10), "a\u{FFFD}[31mb");
        assert_eq!(for_terminal(&"x".repeat(10_000), 5), "xxxx…");
    }
}
