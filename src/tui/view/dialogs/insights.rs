//! The Insights overlay: a picture before the words — a bar chart of token ages (one bar per
//! month since each token was created, coloured by the alert it falls in, the duration marked
//! under it) — then the findings, severity first (words, so NO_COLOR keeps them apart), and
//! why the one under the cursor matters and what to do.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Bar, BarChart, BarGroup, Block, Clear, Padding, Paragraph};

use super::footer;
use crate::listing::TokenAge;
use crate::posture::gather::Assessment;
use crate::posture::{Finding, Severity};
use crate::tui::state::InsightsDialog;
use crate::tui::strings::insights as text;
use crate::tui::view::theme;
use crate::tui::view::widgets::{self, Hint, fit, pad};

const WIDTH: u16 = 100;
/// Rows of the chart with its labels; drawn only when the overlay has room for it and for a
/// few findings.
const CHART_ROWS: u16 = 8;
/// Columns of one bar and the gap after it.
const BAR_WIDTH: u16 = 3;
const BAR_GAP: u16 = 1;

pub(super) fn render(dialog: &InsightsDialog, hints: &[Hint], frame: &mut Frame, region: Rect) {
    let region = region.intersection(frame.area());
    if region.width < 10 || region.height < 5 {
        return;
    }
    let area = widgets::centered(region, WIDTH, region.height);
    let block = Block::bordered()
        .border_style(theme::border(false))
        .title(Line::styled(format!(" {} ", text::TITLE), theme::heading()))
        .padding(Padding::horizontal(1));
    let inner = block.inner(area);
    frame.render_widget(Clear, area);
    frame.render_widget(block, area);
    let max = usize::from(inner.width);
    let mut footer = footer(hints, max);
    // Short of room, the footer's spacing line goes first.
    if inner.height < 16 && footer.len() > 1 {
        footer.remove(0);
    }
    let footer_rows = (footer.len() as u16).min(inner.height);
    let body = Rect {
        height: inner.height - footer_rows,
        ..inner
    };
    let footer_area = Rect {
        y: inner.y + body.height,
        height: footer_rows,
        ..inner
    };
    frame.render_widget(Paragraph::new(footer), footer_area);
    let lines = match (&dialog.assessment, &dialog.failure) {
        (_, Some(failure)) => widgets::wrapped(failure, theme::error(), max),
        (None, None) => vec![Line::styled(text::ASSESSING, theme::dim())],
        (Some(assessment), None) => {
            let below = findings_rows(assessment, dialog.cursor, max);
            let chart_rows = draw_chart(assessment, frame, body, below);
            let rest = Rect {
                y: body.y + chart_rows,
                height: body.height - chart_rows,
                ..body
            };
            let lines = findings(assessment, dialog.cursor, max, usize::from(rest.height));
            frame.render_widget(Paragraph::new(lines), rest);
            return;
        }
    };
    frame.render_widget(Paragraph::new(lines), body);
}

/// The chart, its duration mark and its legend, when there is room; the rows it took.
fn draw_chart(assessment: &Assessment, frame: &mut Frame, body: Rect, below: u16) -> u16 {
    let ages = &assessment.ages;
    // The chart shrinks (down to 5 rows) so the findings, with the chosen one's why and what,
    // still fit below it; shorter than that, the words win.
    let chart_rows = CHART_ROWS.min(body.height.saturating_sub(3 + below));
    if chart_rows < 5 {
        return 0;
    }
    let title = Line::styled(
        fit(text::CHART_TITLE, usize::from(body.width)),
        theme::heading(),
    );
    widgets::put_line(frame, body, 0, &title);
    if ages.total() == 0 {
        let none = Line::styled(
            fit(text::NO_TOKEN_DATES, usize::from(body.width)),
            theme::dim(),
        );
        widgets::put_line(frame, body, 1, &none);
        return 3;
    }
    let fit_bars = usize::from(body.width / (BAR_WIDTH + BAR_GAP)).max(1);
    let bars = ages.bars(fit_bars);
    let chart_area = Rect {
        y: body.y + 1,
        height: chart_rows - 1,
        ..body
    };
    // The rows the bars grow in (the month labels take the last one).
    let bar_rows = u64::from(chart_area.height.saturating_sub(1).max(1));
    let tallest = bars.iter().map(|bar| bar.count).max().unwrap_or(0).max(1);
    // A bar that holds tokens is at least one full row, tall enough for its count: 150
    // overdue tokens beside 20 000 fresh ones are the point of the chart, not a rounding.
    // Heights are counts × rows, so one row (tallest / rows) is exact, not rounded up.
    let one_row = tallest;
    let shown: Vec<Bar> = bars
        .iter()
        .map(|bar| {
            let label = match bar.and_older {
                true => format!("{}+", bar.month),
                false => bar.month.to_string(),
            };
            let height = match bar.count {
                0 => 0,
                count => (count * bar_rows).max(one_row),
            };
            Bar::default()
                .value(height)
                .text_value(compact_count(bar.count))
                .label(Line::from(label))
                .style(age_style(bar.age))
                .value_style(age_style(bar.age).reversed())
        })
        .collect();
    let chart = BarChart::default()
        .data(BarGroup::default().bars(&shown))
        .bar_width(BAR_WIDTH)
        .bar_gap(BAR_GAP)
        .max(tallest * bar_rows);
    frame.render_widget(chart, chart_area);
    // Marks under the first outdated bar and the first red one: where the alerts start, in
    // words as well as colours (NO_COLOR).
    let red = bars.iter().position(|b| b.age == TokenAge::LongOutdated);
    let marks = [
        (Some(ages.duration_months as usize), text::DURATION_MARK),
        (red, text::RED_MARK),
    ];
    for (at, mark) in marks {
        let Some(at) = at.filter(|&at| at < bars.len()) else {
            continue;
        };
        let x = at as u16 * (BAR_WIDTH + BAR_GAP);
        let mark_area = Rect {
            x: body.x + x,
            width: body.width.saturating_sub(x),
            ..body
        };
        let mark = Line::styled(mark, theme::bold());
        widgets::put_line(frame, mark_area, chart_rows, &mark);
    }
    let legend = legend(assessment);
    widgets::put_line(frame, body, chart_rows + 1, &legend);
    chart_rows + 3
}

/// A bar's count in at most its width (3 columns): "150", "20k", ".1M", "12M" (rounded
/// down, never more than there are).
fn compact_count(count: u64) -> String {
    match count {
        0..1_000 => count.to_string(),
        1_000..100_000 => format!("{}k", count / 1_000),
        100_000..1_000_000 => format!(".{}M", count / 100_000),
        _ => format!("{}M", count / 1_000_000),
    }
}

/// "duration 3 months · fresh 12 · outdated 20 · 3m+ past 29", each word in its colour.
fn legend(assessment: &Assessment) -> Line<'static> {
    let ages = &assessment.ages;
    let counts = ages.by_class();
    let words = [
        (text::FRESH, TokenAge::Fresh),
        (text::OUTDATED, TokenAge::Outdated),
        (text::LONG_OUTDATED, TokenAge::LongOutdated),
    ];
    let mut spans = vec![Span::styled(
        text::legend(ages.duration_months),
        theme::dim(),
    )];
    for (word, age) in words {
        spans.push(Span::styled(" · ", theme::dim()));
        spans.push(Span::styled(
            format!("{word} {}", counts.get(age)),
            age_style(age),
        ));
    }
    Line::from(spans)
}

fn age_style(age: TokenAge) -> Style {
    match age {
        TokenAge::Fresh => theme::good(),
        TokenAge::Outdated => theme::outdated(),
        TokenAge::LongOutdated => theme::long_outdated(),
    }
}

fn severity_style(severity: Severity) -> Style {
    match severity {
        Severity::Alert => theme::long_outdated(),
        Severity::Warning => theme::outdated(),
        Severity::Info => theme::dim(),
    }
}

/// The rows the findings want below the chart: their heading, three of them, and the why and
/// what of the one under the cursor.
fn findings_rows(assessment: &Assessment, cursor: usize, max: usize) -> u16 {
    let findings = &assessment.posture.findings;
    let about_rows = findings.get(cursor).map_or(0, |f| about(f, max).len());
    u16::try_from(1 + findings.len().min(3) + about_rows).unwrap_or(u16::MAX)
}

/// The findings, a window of them around the cursor, then the chosen one's why and what.
fn findings(assessment: &Assessment, cursor: usize, max: usize, rows: usize) -> Vec<Line<'static>> {
    let posture = &assessment.posture;
    let mut lines = vec![Line::styled(text::FINDINGS, theme::heading())];
    if posture.findings.is_empty() {
        lines.push(Line::styled(text::NO_FINDINGS, theme::good()));
    }
    let chosen = posture.findings.get(cursor);
    let mut details = chosen.map(|f| about(f, max)).unwrap_or_default();
    // The findings come first: the why and what only when three of them still fit beside.
    let listed = posture.findings.len().min(3);
    if rows < 1 + listed + details.len() {
        details.clear();
    }
    let room = rows.saturating_sub(1 + details.len()).max(1);
    let from = cursor.saturating_sub(room.saturating_sub(1));
    for (at, finding) in posture.findings.iter().enumerate().skip(from).take(room) {
        lines.push(finding_line(finding, at == cursor, max));
    }
    lines.extend(details);
    if !posture.not_computed.is_empty() && lines.len() < rows {
        let kinds: Vec<&str> = posture
            .not_computed
            .iter()
            .map(|(k, _)| k.title())
            .collect();
        let line = format!("{}: {}", text::NOT_COMPUTED, kinds.join(", "));
        lines.push(Line::styled(fit(&line, max), theme::dim()));
    }
    lines
}

fn finding_line(finding: &Finding, here: bool, max: usize) -> Line<'static> {
    let severity = finding.severity();
    let word = pad(&severity.word().to_uppercase(), 8);
    let count = text::keys(finding.keys.len());
    let lead = if here { "› " } else { "  " };
    let title_room = max.saturating_sub(2 + 8 + 2 + count.chars().count());
    let title = pad(finding.kind.title(), title_room);
    let spans = vec![
        Span::raw(lead),
        Span::styled(word, severity_style(severity)),
        Span::raw(title),
        Span::raw("  "),
        Span::styled(count, theme::dim()),
    ];
    let line = Line::from(widgets::fit_spans(spans, max));
    match here {
        true => line.style(theme::selected_row()),
        false => line,
    }
}

/// Why the finding under the cursor matters and what to do, wrapped.
fn about(finding: &Finding, max: usize) -> Vec<Line<'static>> {
    let mut lines = vec![Line::raw("")];
    let why = Span::styled(text::WHY, theme::dim());
    lines.extend(widgets::hanging(
        why,
        finding.kind.why(),
        theme::plain(),
        max,
    ));
    let what = Span::styled(text::WHAT_TO_DO, theme::dim());
    lines.extend(widgets::hanging(
        what,
        finding.kind.what_to_do(),
        theme::plain(),
        max,
    ));
    lines
}

/// Above a list a finding filters: "Insight: Keys with no role (5) · Esc shows all".
pub fn insight_spans(
    chosen: Option<&crate::tui::insights::InsightFilter>,
    shown: usize,
) -> Vec<Span<'static>> {
    match chosen {
        Some(chosen) => vec![
            Span::styled(text::filter_line(chosen.title, shown), theme::marked_note()),
            Span::raw("  "),
        ],
        None => Vec::new(),
    }
}

/// The Settings pane's posture line: the alerts and warnings of what the app has listed
/// (neither needs the audit trail, so no request is made for it).
pub fn posture_summary(state: &crate::tui::state::State) -> Line<'static> {
    use crate::tui::state::Load;
    if state.keys.load != Load::Loaded && state.keys.rows.is_empty() {
        return Line::styled(text::SUMMARY_LOADING, theme::dim());
    }
    let summary = state
        .posture_summary
        .get_or_compute(summary_key(state), || summarize(state));
    let style = match (summary.alerts, summary.warnings) {
        _ if summary.all_clear() => theme::good(),
        (0, 0) => theme::dim(),
        (0, _) => theme::outdated(),
        _ => theme::long_outdated(),
    };
    Line::from(vec![
        Span::raw("  "),
        Span::styled(text::summary(summary), style),
    ])
}

/// What the summary depends on: the lists (as last loaded), the roles, the duration, the
/// thresholds and the hour (ages cross a threshold as time passes).
fn summary_key(state: &crate::tui::state::State) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut hash = std::collections::hash_map::DefaultHasher::new();
    (
        state.keys.rows.len(),
        state.external.rows.len(),
        state.last_listed,
    )
        .hash(&mut hash);
    let roles = state.roles.as_ref().map(Vec::len);
    // Roles arrive per key against VTEX's public API, after the listing.
    let with_roles = state.keys.rows.iter().filter(|k| k.roles.is_some()).count();
    with_roles.hash(&mut hash);
    (roles, state.token_months(), state.now.timestamp() / 3600).hash(&mut hash);
    (state.posture.pending_days, state.posture.inactive_days).hash(&mut hash);
    (state.external.load == crate::tui::state::Load::Loaded).hash(&mut hash);
    hash.finish()
}

fn summarize(state: &crate::tui::state::State) -> crate::tui::insights::Summary {
    use crate::posture::Missing;
    use crate::tui::state::Load;
    let external = (state.external.load == Load::Loaded).then_some(&state.external.rows[..]);
    let posture = crate::posture::assess(&crate::posture::Inputs {
        keys: &state.keys.rows,
        external,
        roles: state.roles.as_deref().unwrap_or_default(),
        audit: None,
        token_dates: state
            .keys
            .rows
            .iter()
            .all(|k| k.creation_date_token.is_some()),
        token_duration_months: state.token_months(),
        thresholds: state.posture,
        now: state.now,
    });
    let missing = |what: Missing| posture.not_computed.iter().any(|(_, m)| *m == what);
    crate::tui::insights::Summary {
        alerts: posture.count(Severity::Alert),
        warnings: posture.count(Severity::Warning),
        no_token_dates: missing(Missing::TokenDates),
        no_roles: missing(Missing::Roles),
    }
}

#[cfg(test)]
mod tests {
    use super::compact_count;

    #[test]
    fn a_bar_count_fits_its_three_columns() {
        let cases = [
            (7, "7"),
            (150, "150"),
            (999, "999"),
            (1_000, "1k"),
            (20_400, "20k"),
            (99_999, "99k"),
            (100_000, ".1M"),
            (150_000, ".1M"),
            (2_500_000, "2M"),
        ];
        for (count, shown) in cases {
            assert_eq!(compact_count(count), shown);
            assert!(shown.chars().count() <= 3);
        }
    }
}
