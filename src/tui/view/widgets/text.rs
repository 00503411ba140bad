//! Text measured and cut as the terminal shows it: by grapheme cluster (a flag, an emoji with
//! ZWJ, a letter with its combining marks is one unit) and display width (a CJK character or
//! an emoji takes two columns). Nothing here ever splits a cluster, so no half of a flag can
//! leak into the next cell or row.
//!
//! Widths are the sum of each cluster's width, which is exactly how ratatui's buffer places
//! them, so a cut made here fits the cells it is drawn into.

use ratatui::text::Span;
use unicode_segmentation::UnicodeSegmentation;
use unicode_width::UnicodeWidthStr;

/// Columns one grapheme cluster takes. A cluster holding a control character is dropped by
/// ratatui when drawn; text reaching here went through `clean`, which replaces them.
fn cluster_width(cluster: &str) -> usize {
    if cluster.contains(char::is_control) {
        return 0;
    }
    UnicodeWidthStr::width(cluster)
}

fn clusters(text: &str) -> impl DoubleEndedIterator<Item = (usize, &str)> {
    text.grapheme_indices(true)
}

/// Printable ASCII: each byte is a cluster one column wide, so widths and cuts are byte
/// counts. Most cells (appKeys, dates, role names, many labels) are; every frame measures them.
fn printable_ascii(text: &str) -> bool {
    text.bytes().all(|b| (0x20..0x7f).contains(&b))
}

/// Columns the text takes on screen.
pub fn width(text: &str) -> usize {
    if printable_ascii(text) {
        return text.len();
    }
    // Precomposed Latin letters ("ç", "ã", "ñ"; U+00A0–U+024F) are one cluster one column
    // wide each, except the soft hyphen, which takes none.
    let latin = |c: char| matches!(u32::from(c), 0x20..=0x7e | 0xa0..=0xac | 0xae..=0x24f);
    if text.chars().all(latin) {
        return text.chars().count();
    }
    clusters(text).map(|(_, g)| cluster_width(g)).sum()
}

/// Columns styled pieces take on screen.
pub fn spans_width(spans: &[Span<'_>]) -> usize {
    spans.iter().map(|span| width(&span.content)).sum()
}

/// The longest prefix of `text` that fits in `max` columns, ending on a cluster boundary.
pub fn prefix(text: &str, max: usize) -> &str {
    if printable_ascii(text) {
        return &text[..text.len().min(max)];
    }
    let mut used = 0;
    for (at, cluster) in clusters(text) {
        let w = cluster_width(cluster);
        if used + w > max {
            return &text[..at];
        }
        used += w;
    }
    text
}

/// The longest suffix of `text` that fits in `max` columns, starting on a cluster boundary.
fn suffix(text: &str, max: usize) -> &str {
    if printable_ascii(text) {
        return &text[text.len().saturating_sub(max)..];
    }
    let mut used = 0;
    let mut start = text.len();
    for (at, cluster) in clusters(text).rev() {
        let w = cluster_width(cluster);
        if used + w > max {
            break;
        }
        used += w;
        start = at;
    }
    &text[start..]
}

/// `text` cut to `max` columns, ending in '…' when something was cut.
pub fn fit(text: &str, max: usize) -> String {
    if width(text) <= max {
        return text.to_string();
    }
    if max == 0 {
        return String::new();
    }
    let mut out = prefix(text, max - 1).to_string();
    out.push('…');
    out
}

/// `text` cut in the middle to `max` columns, for keys whose distinctive part is at the end
/// ("vtexapp…-ORYNWX").
pub fn fit_middle(text: &str, max: usize) -> String {
    if width(text) <= max {
        return text.to_string();
    }
    if max < 7 {
        return fit(text, max);
    }
    let head = (max - 1) / 2;
    let tail = max - 1 - head;
    format!("{}…{}", prefix(text, head), suffix(text, tail))
}

/// `text` cut and padded with spaces to exactly `max` columns (a wide cluster that does not
/// fit leaves a space in its place).
pub fn pad(text: &str, max: usize) -> String {
    let mut out = fit(text, max);
    let used = width(&out);
    out.extend(std::iter::repeat_n(' ', max.saturating_sub(used)));
    out
}

/// Appends `word` to `line` cluster by cluster, starting a new line whenever the next cluster
/// would pass `max` columns (a word longer than a line).
fn break_word(
    word: &str,
    max: usize,
    line: &mut String,
    used: &mut usize,
    lines: &mut Vec<String>,
) {
    for (_, cluster) in clusters(word) {
        let w = cluster_width(cluster);
        if *used > 0 && *used + w > max {
            lines.push(std::mem::take(line));
            *used = 0;
        }
        line.push_str(cluster);
        *used += w;
    }
}

/// One paragraph wrapped to `max` columns, without its indent.
fn wrap_paragraph(body: &str, max: usize) -> Vec<String> {
    let mut line = String::new();
    let mut used = 0;
    let mut lines = Vec::new();
    for word in body.split(' ').filter(|w| !w.is_empty()) {
        let w = width(word);
        if used > 0 && used + 1 + w > max {
            lines.push(std::mem::take(&mut line));
            used = 0;
        }
        if used > 0 {
            line.push(' ');
            used += 1;
        }
        if w <= max {
            line.push_str(word);
            used += w;
        } else {
            break_word(word, max, &mut line, &mut used, &mut lines);
        }
    }
    lines.push(line);
    lines
}

/// Greedy word wrap to `max` columns; '\n' starts a new line, over-long words are broken
/// between clusters, and a line's leading spaces indent every line it wraps into.
pub fn wrap(text: &str, max: usize) -> Vec<String> {
    let max = max.max(1);
    let mut out = Vec::new();
    for paragraph in text.split('\n') {
        let body = paragraph.trim_start_matches(' ');
        let indent = (paragraph.len() - body.len()).min(max.saturating_sub(1));
        let lead = " ".repeat(indent);
        out.extend(wrap_paragraph(body, max - indent).into_iter().map(|line| {
            if line.is_empty() {
                line
            } else {
                format!("{lead}{line}")
            }
        }));
    }
    out
}

/// Text without spaces (a token) cut into pieces of `max` columns, borrowed so no copy of a
/// secret is made here.
pub fn chunks(text: &str, max: usize) -> Vec<&str> {
    let max = max.max(1);
    let mut out = Vec::new();
    let mut start = 0;
    let mut used = 0;
    for (at, cluster) in clusters(text) {
        let w = cluster_width(cluster);
        if used > 0 && used + w > max {
            out.push(&text[start..at]);
            start = at;
            used = 0;
        }
        used += w;
    }
    if start < text.len() {
        out.push(&text[start..]);
    }
    out
}

/// Styled pieces cut to `max` columns, the last kept piece ending in '…' when cut.
pub fn fit_spans(spans: Vec<Span<'static>>, max: usize) -> Vec<Span<'static>> {
    if spans_width(&spans) <= max {
        return spans;
    }
    if max == 0 {
        return Vec::new();
    }
    let mut out = Vec::new();
    let mut room = max - 1;
    let mut ellipsis_style = ratatui::style::Style::new();
    for span in spans {
        let w = width(&span.content);
        ellipsis_style = span.style;
        if w <= room {
            room -= w;
            out.push(span);
            continue;
        }
        let cut = prefix(&span.content, room);
        if !cut.is_empty() {
            out.push(Span::styled(cut.to_string(), span.style));
        }
        break;
    }
    out.push(Span::styled("…", ellipsis_style));
    out
}

/// Styled pieces cut and padded to exactly `max` columns.
pub fn pad_spans(spans: Vec<Span<'static>>, max: usize) -> Vec<Span<'static>> {
    let mut out = fit_spans(spans, max);
    let used = spans_width(&out);
    if used < max {
        out.push(Span::raw(" ".repeat(max - used)));
    }
    out
}

/// The visible part of a text field `max` columns wide, with a '▏' at the cursor when
/// focused; it scrolls so the cursor stays in view. The cursor (a char index) sits after the
/// cluster it falls inside, so a cluster is never split around it.
pub fn field_text(value: &str, cursor: usize, max: usize, focused: bool) -> String {
    let value: String = value
        .chars()
        .map(|c| if c.is_control() { '\u{FFFD}' } else { c })
        .collect();
    let cursor_byte = value
        .char_indices()
        .nth(cursor)
        .map_or(value.len(), |(at, _)| at);
    let mut at = value.len();
    for (start, cluster) in clusters(&value) {
        if cursor_byte <= start {
            at = start;
            break;
        }
        if cursor_byte < start + cluster.len() {
            at = start + cluster.len();
            break;
        }
    }
    let (before, after) = value.split_at(at);
    let cursor_w = usize::from(focused);
    let mut shown = before;
    while !shown.is_empty() && width(shown) + cursor_w > max {
        let first = clusters(shown).next().map_or(shown.len(), |(_, g)| g.len());
        shown = &shown[first..];
    }
    let mut out = shown.to_string();
    if focused && width(shown) < max {
        out.push('▏');
    }
    let room = max.saturating_sub(width(&out));
    out.push_str(&fit(after, room));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clusters_stay_whole() {
        // A flag is one cluster two columns wide: cut before it, never through it.
        assert_eq!(width("🇧🇷"), 2);
        assert_eq!(fit("ab🇧🇷cd", 4), "ab…");
        assert_eq!(pad("ab🇧🇷cd", 4), "ab… ");
        assert_eq!(fit("ab🇧🇷cd", 5), "ab🇧🇷…");
        assert_eq!(wrap("🇧🇷🇧🇷🇧🇷", 3), vec!["🇧🇷", "🇧🇷", "🇧🇷"]);
        assert_eq!(width("👩‍💻"), 2);
        assert_eq!(fit("👩‍💻👩‍💻", 3), "👩‍💻…");
        assert_eq!(width("Cafe\u{301}"), 4);
        assert_eq!(fit("Cafe\u{301}s", 4), "Caf…");
        assert_eq!(fit("Cafe\u{301}s!", 5), "Cafe\u{301}…");
        assert_eq!(fit_middle("東京の倉庫と大阪の倉庫", 9), "東京…倉庫");
        assert_eq!(chunks("a🇧🇷b", 2), vec!["a", "🇧🇷", "b"]);
    }

    #[test]
    fn printable_ascii_measures_and_cuts_as_the_clusters_do() {
        let slow_width = |t: &str| clusters(t).map(|(_, g)| cluster_width(g)).sum::<usize>();
        for text in [
            "",
            "vtexappkey-shop-ABCDEF",
            "ERP orders (prod) ~#!",
            " a b ",
        ] {
            assert!(printable_ascii(text));
            assert_eq!(width(text), slow_width(text), "{text:?}");
            for max in 0..text.len() + 2 {
                let slow: String = {
                    let mut used = 0;
                    clusters(text)
                        .take_while(|(_, g)| {
                            used += cluster_width(g);
                            used <= max
                        })
                        .map(|(_, g)| g)
                        .collect()
                };
                assert_eq!(prefix(text, max), slow, "{text:?} {max}");
            }
        }
        // Control characters and anything past ASCII take the measured path.
        assert!(!printable_ascii("a\tb") && !printable_ascii("ação") && !printable_ascii("\r\n"));
        assert_eq!(width("a\r\nb"), 2);
        // Precomposed Latin counts by chars; the soft hyphen takes no column.
        assert_eq!(width("ação ñ"), slow_width("ação ñ"));
        assert_eq!(width("soft\u{ad}hyphen"), slow_width("soft\u{ad}hyphen"));
    }

    #[test]
    fn the_cursor_never_splits_a_cluster() {
        // "e" + combining acute is one cluster of two chars; the cursor inside it goes after.
        assert_eq!(field_text("ae\u{301}b", 2, 10, true), "ae\u{301}▏b");
        assert_eq!(field_text("ae\u{301}b", 1, 10, true), "a▏e\u{301}b");
        assert_eq!(field_text("🇧🇷🇧🇷", 4, 3, true), "🇧🇷▏");
    }
}
