//! What the bulk bench watches: frames written to the terminal (a TestBackend that counts
//! `draw` calls carrying at least one cell), the loop's turns and milestones (an observer),
//! and the requests the server answered (a tracing layer on the server's own one-line-per-
//! request log, so resends inside the client are counted too).

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Instant;

use apikeys::tui::event_loop::Observer;
use apikeys::tui::state::{Dialog, State};
use ratatui::backend::{Backend, TestBackend};
use ratatui::buffer::Buffer;
use tokio::sync::watch;
use tracing::field::{Field, Visit};
use tracing::span::{Attributes, Id};
use tracing::{Event, Subscriber};
use tracing_subscriber::layer::{Context, Layer};
use tracing_subscriber::registry::LookupSpan;

/// A TestBackend that counts the frames that changed at least one cell.
pub struct CountingBackend {
    inner: TestBackend,
    pub frames: Arc<AtomicUsize>,
}

impl CountingBackend {
    pub fn new(width: u16, height: u16) -> CountingBackend {
        CountingBackend {
            inner: TestBackend::new(width, height),
            frames: Arc::default(),
        }
    }
}

impl Backend for CountingBackend {
    type Error = <TestBackend as Backend>::Error;

    fn draw<'a, I>(&mut self, content: I) -> Result<(), Self::Error>
    where
        I: Iterator<Item = (u16, u16, &'a ratatui::buffer::Cell)>,
    {
        let mut content = content.peekable();
        if content.peek().is_some() {
            self.frames.fetch_add(1, Ordering::Relaxed);
        }
        self.inner.draw(content)
    }
    fn hide_cursor(&mut self) -> Result<(), Self::Error> {
        self.inner.hide_cursor()
    }
    fn show_cursor(&mut self) -> Result<(), Self::Error> {
        self.inner.show_cursor()
    }
    fn get_cursor_position(&mut self) -> Result<ratatui::layout::Position, Self::Error> {
        self.inner.get_cursor_position()
    }
    fn set_cursor_position<P: Into<ratatui::layout::Position>>(
        &mut self,
        position: P,
    ) -> Result<(), Self::Error> {
        self.inner.set_cursor_position(position)
    }
    fn clear(&mut self) -> Result<(), Self::Error> {
        self.inner.clear()
    }
    fn clear_region(&mut self, clear_type: ratatui::backend::ClearType) -> Result<(), Self::Error> {
        self.inner.clear_region(clear_type)
    }
    fn size(&self) -> Result<ratatui::layout::Size, Self::Error> {
        self.inner.size()
    }
    fn window_size(&mut self) -> Result<ratatui::backend::WindowSize, Self::Error> {
        self.inner.window_size()
    }
    fn flush(&mut self) -> Result<(), Self::Error> {
        self.inner.flush()
    }
}

/// Frames written and loop turns at one moment.
#[derive(Debug, Clone, Copy)]
pub struct Mark {
    pub at: Instant,
    pub frames: usize,
    pub turns: usize,
}

/// A bulk run's own bookkeeping, as last seen while it ran (the turn that applies the last
/// answer also ends the run, so `Run.done()` is never seen at its total).
#[derive(Debug, Clone, Copy, Default)]
pub struct RunFigures {
    pub total: usize,
    /// Requests the run sent, resends after a 429 included.
    pub requests: usize,
    pub rate_limited: usize,
    pub failed: usize,
}

/// What the loop showed, after each of its turns.
#[derive(Debug, Clone, Default)]
pub struct Seen {
    pub turns: usize,
    pub frames: usize,
    pub rows: usize,
    pub active_rows: usize,
    pub marked: usize,
    pub busy: bool,
    pub status: Option<String>,
    /// The first frame showing the bulk confirmation.
    pub confirmation_at: Option<Instant>,
    pub last_run: Option<RunFigures>,
    /// The first frame after the run ended (its status sentence or summary on screen).
    pub run_over: Option<Mark>,
    /// The first frame after that with no request in flight: the refreshed list drawn.
    pub listed: Option<Mark>,
}

pub struct Watcher {
    seen: Seen,
    frames: Arc<AtomicUsize>,
    tx: watch::Sender<Seen>,
}

impl Watcher {
    pub fn new(frames: Arc<AtomicUsize>) -> (Watcher, watch::Receiver<Seen>) {
        let (tx, rx) = watch::channel(Seen::default());
        let watcher = Watcher {
            seen: Seen::default(),
            frames,
            tx,
        };
        (watcher, rx)
    }
}

impl Observer for Watcher {
    fn frame(&mut self, state: &State, _: &Buffer) {
        let seen = &mut self.seen;
        seen.turns += 1;
        seen.frames = self.frames.load(Ordering::Relaxed);
        let now = Mark {
            at: Instant::now(),
            frames: seen.frames,
            turns: seen.turns,
        };
        seen.rows = state.keys.rows.len();
        seen.active_rows = state.keys.rows.iter().filter(|k| k.is_active).count();
        seen.marked = state.keys.marks.len();
        seen.busy = state.busy();
        seen.status = state.status.as_ref().map(|s| s.text.clone());
        if matches!(state.dialog, Some(Dialog::Bulk(_))) && seen.confirmation_at.is_none() {
            seen.confirmation_at = Some(now.at);
        }
        match &state.bulk {
            Some(run) => {
                seen.last_run = Some(RunFigures {
                    total: run.total,
                    requests: run.requests,
                    rate_limited: run.rate_limited,
                    failed: run.failed.len(),
                });
            }
            None if seen.last_run.is_some() && seen.run_over.is_none() => {
                seen.run_over = Some(now);
            }
            None => {}
        }
        if seen.run_over.is_some() && seen.listed.is_none() && !seen.busy {
            seen.listed = Some(now);
        }
        let _ = self.tx.send(seen.clone());
    }
}

/// Requests the server answered, by kind, counted from its "served" log events.
#[derive(Debug, Default)]
pub struct Served {
    pub total: AtomicUsize,
    pub reads: AtomicUsize,
    pub writes: AtomicUsize,
    pub too_many: AtomicUsize,
}

/// A snapshot of [`Served`], and differences between two.
#[derive(Debug, Clone, Copy, Default)]
pub struct ServedCount {
    pub total: usize,
    pub reads: usize,
    pub writes: usize,
    pub too_many: usize,
}

impl Served {
    pub fn snapshot(&self) -> ServedCount {
        ServedCount {
            total: self.total.load(Ordering::SeqCst),
            reads: self.reads.load(Ordering::SeqCst),
            writes: self.writes.load(Ordering::SeqCst),
            too_many: self.too_many.load(Ordering::SeqCst),
        }
    }
}

impl std::ops::Sub for ServedCount {
    type Output = ServedCount;
    fn sub(self, before: ServedCount) -> ServedCount {
        ServedCount {
            total: self.total - before.total,
            reads: self.reads - before.reads,
            writes: self.writes - before.writes,
            too_many: self.too_many - before.too_many,
        }
    }
}

/// Counts the server's `served` events (src/server/logging.rs: one per request, inside the
/// `request` span that carries the method).
pub struct ServedLayer(pub Arc<Served>);

/// The method of a `request` span, kept in the span's extensions.
struct Method(String);

/// Reads one named field as text (`method`) or as a number (`status`).
struct FieldValue {
    name: &'static str,
    text: Option<String>,
    number: Option<u64>,
}

impl FieldValue {
    fn named(name: &'static str) -> FieldValue {
        FieldValue {
            name,
            text: None,
            number: None,
        }
    }
}

impl Visit for FieldValue {
    fn record_u64(&mut self, field: &Field, value: u64) {
        if field.name() == self.name {
            self.number = Some(value);
        }
    }
    fn record_debug(&mut self, field: &Field, value: &dyn std::fmt::Debug) {
        if field.name() == self.name {
            self.text = Some(format!("{value:?}"));
        }
    }
}

impl<S> Layer<S> for ServedLayer
where
    S: Subscriber + for<'a> LookupSpan<'a>,
{
    fn on_new_span(&self, attrs: &Attributes<'_>, id: &Id, ctx: Context<'_, S>) {
        if attrs.metadata().name() != "request" {
            return;
        }
        let mut method = FieldValue::named("method");
        attrs.record(&mut method);
        if let (Some(span), Some(method)) = (ctx.span(id), method.text) {
            span.extensions_mut().insert(Method(method));
        }
    }

    fn on_event(&self, event: &Event<'_>, ctx: Context<'_, S>) {
        if event.metadata().target() != "apikeys::server::logging" {
            return;
        }
        let mut status = FieldValue::named("status");
        event.record(&mut status);
        let Some(status) = status.number else {
            return;
        };
        let served = &self.0;
        served.total.fetch_add(1, Ordering::SeqCst);
        if status == 429 {
            served.too_many.fetch_add(1, Ordering::SeqCst);
        }
        let method = ctx
            .event_span(event)
            .and_then(|span| span.extensions().get::<Method>().map(|m| m.0.clone()));
        match method.as_deref() {
            Some("GET") => served.reads.fetch_add(1, Ordering::SeqCst),
            _ => served.writes.fetch_add(1, Ordering::SeqCst),
        };
    }
}
