//! How the scripting CLI prints: an aligned table for people, JSON (the API's own field names)
//! and CSV for scripts.

use serde::Serialize;

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

/// Longest cell a table shows; CSV and JSON carry everything.
const MAX_CELL_CHARS: usize = 60;

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

    pub fn render(&self, format: Format) -> String {
        match format {
            Format::Csv => self.csv(),
            _ => self.aligned(),
        }
    }

    fn aligned(&self) -> String {
        let cells: Vec<Vec<String>> = self
            .rows
            .iter()
            .map(|row| {
                row.iter()
                    .map(|cell| for_terminal(cell, MAX_CELL_CHARS))
                    .collect()
            })
            .collect();
        let mut widths: Vec<usize> = self.headers.iter().map(|h| columns(h)).collect();
        for row in &cells {
            for (width, cell) in widths.iter_mut().zip(row) {
                *width = (*width).max(columns(cell));
            }
        }
        let line = |row: Vec<&str>| {
            let mut out = String::new();
            for (index, (cell, width)) in row.iter().zip(&widths).enumerate() {
                if index + 1 == row.len() {
                    out.push_str(cell);
                } else {
                    out.push_str(cell);
                    out.extend(std::iter::repeat_n(' ', width - columns(cell) + 2));
                }
            }
            out.trim_end().to_string() + "\n"
        };
        let mut out = line(self.headers.clone());
        for row in &cells {
            out += &line(row.iter().map(String::as_str).collect());
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

/// Text from a server made safe for a terminal: control characters (escape sequences could
/// rewrite the screen) become '�', and long text is cut with '…'.
pub fn for_terminal(text: &str, max_graphemes: usize) -> String {
    use unicode_segmentation::UnicodeSegmentation;
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
            table.render(Format::Table),
            "KEY       LABEL\na         x, \"y\"\nlong-key  z\n"
        );
        assert_eq!(
            table.render(Format::Csv),
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
                table.render(Format::Csv),
                format!("A,B\n{},z\n", quoted(field)),
                "{field:?}"
            );
        }
    }

    #[test]
    fn terminal_text_is_defused_and_cut() {
        assert_eq!(for_terminal("a\u{1b}[31mb", 10), "a\u{FFFD}[31mb");
        assert_eq!(for_terminal(&"x".repeat(10_000), 5), "xxxx…");
    }
}
