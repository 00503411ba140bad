//! Drives the real event loop on a TestBackend with scripted keys, against a real server.
#![allow(dead_code)]

use std::sync::{Arc, Mutex};
use std::time::Duration;

use apikeys::tui::event_loop::{self, Clipboard, Observer};
use apikeys::tui::state::{Dialog, Header, State, Tab};
use apikeys::vtex::{ClientOptions, Credentials, VtexClient};
use crossterm::event::{Event, KeyCode, KeyEvent, KeyModifiers};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::buffer::Buffer;
use secrecy::{ExposeSecret, SecretString};
use tokio::sync::{mpsc, watch};

use super::Creds;

/// What the test can see after each frame.
#[derive(Debug, Clone, Default)]
pub struct Frame {
    pub screen: String,
    pub tab: Option<Tab>,
    pub selected_label: Option<String>,
    pub dialog: Option<String>,
    pub status: Option<String>,
    pub busy: bool,
    pub visible_rows: usize,
    /// The labels of the first rows the Generated keys pane lists, in its order (50 at most).
    pub visible_labels: Vec<String>,
    /// The appKeys of the first rows the External keys pane lists, in its order (50 at most).
    pub visible_external: Vec<String>,
    pub quit: bool,
    /// Labels of the marked Generated keys, and appKeys of the marked external keys.
    pub marked_labels: Vec<String>,
    pub marked_external: Vec<String>,
    /// A bulk run going on: (answered, total, requests sent).
    pub bulk: Option<(usize, usize, usize)>,
    /// The screen with its styles, for tests that check how something is drawn.
    pub buffer: Buffer,
}

impl Frame {
    /// Whether the status line contains `text`.
    pub fn says(&self, text: &str) -> bool {
        self.status.as_deref().is_some_and(|s| s.contains(text))
    }

    /// Whether the status line starts with `text`.
    pub fn says_first(&self, text: &str) -> bool {
        self.status.as_deref().is_some_and(|s| s.starts_with(text))
    }
}

pub fn buffer_text(buffer: &Buffer) -> String {
    let area = buffer.area;
    let mut out = String::new();
    for y in 0..area.height {
        for x in 0..area.width {
            out.push_str(buffer[(x, y)].symbol());
        }
        out.push('\n');
    }
    out
}

/// The frames' watch channel, and, when kept, every screen's text in order.
struct Watcher(watch::Sender<Frame>, Option<Arc<Mutex<Vec<String>>>>);

impl Observer for Watcher {
    fn frame(&mut self, state: &State, buffer: &Buffer) {
        if let Some(screens) = &self.1 {
            screens.lock().unwrap().push(buffer_text(buffer));
        }
        let dialog = state.dialog.as_ref().map(|d| match d {
            Dialog::Confirm(c) => format!("Confirm: {}", c.title),
            Dialog::DeleteKey(_) => "DeleteKey".into(),
            Dialog::NewKey(_) => "NewKey".into(),
            Dialog::EditRoles(_) => "EditRoles".into(),
            Dialog::Renew(_) => "Renew".into(),
            Dialog::RenewByKey(_) => "RenewByKey".into(),
            Dialog::AddExternal(_) => "AddExternal".into(),
            Dialog::Token(_) => "Token".into(),
            Dialog::Details(_) => "Details".into(),
            Dialog::Help(_) => "Help".into(),
            Dialog::Bulk(b) => format!("Bulk: {} keys", b.plan.items.len()),
            Dialog::BulkSummary(s) => format!("BulkSummary: {}", s.title),
            Dialog::BulkRoles(b) => format!("BulkRoles: {} keys", b.count),
            Dialog::Profiles(_) => "Profiles".into(),
            Dialog::Rotate(r) => format!("Rotate: {} keys", r.plan.targets.len()),
            Dialog::Insights(_) => "Insights".into(),
        });
        let _ = self.0.send(Frame {
            screen: buffer_text(buffer),
            tab: Some(state.tab),
            selected_label: state.keys.selected_key().map(|k| k.label.clone()),
            dialog,
            status: state.status.as_ref().map(|s| s.text.clone()),
            busy: state.busy(),
            visible_rows: state.keys.visible.len(),
            visible_labels: (state.keys.visible.iter().take(50))
                .map(|&i| state.keys.rows[i].label.clone())
                .collect(),
            visible_external: (state.external.visible.iter().take(50))
                .map(|&i| state.external.rows[i].app_key.clone())
                .collect(),
            quit: state.quit,
            marked_labels: (state.keys.marks.rows())
                .map(|i| state.keys.rows[i].label.clone())
                .collect(),
            marked_external: (state.external.marks.rows())
                .map(|i| state.external.rows[i].app_key.clone())
                .collect(),
            bulk: state.bulk.as_ref().map(|r| (r.done(), r.total, r.requests)),
            buffer: buffer.clone(),
        });
    }
}

/// Records what was copied (test tokens only); with `.1`, asks for a timed clear that long
/// after each copy, and says "cleared (test clipboard)" when it comes.
#[derive(Clone, Default)]
pub struct FakeClipboard(pub Arc<Mutex<Vec<String>>>, pub Option<Duration>);

impl Clipboard for FakeClipboard {
    fn copy(&mut self, token: &SecretString) -> apikeys::clipboard::Report {
        self.0
            .lock()
            .unwrap()
            .push(token.expose_secret().to_string());
        apikeys::clipboard::Report {
            message: "copied (test clipboard)".into(),
            clear_in: self.1,
            via: None,
        }
    }

    fn copy_app_key(&mut self, app_key: &str) -> apikeys::clipboard::Report {
        self.0.lock().unwrap().push(app_key.to_string());
        apikeys::clipboard::Report {
            message: "appKey copied (test clipboard)".into(),
            clear_in: None,
            via: None,
        }
    }

    fn clear(&mut self) -> Option<String> {
        self.1.map(|_| "cleared (test clipboard)".to_string())
    }
}

/// A TestBackend the test resizes while the loop runs, as a user resizes a terminal window.
#[derive(Clone)]
pub struct ResizableBackend(Arc<Mutex<TestBackend>>);

impl ratatui::backend::Backend for ResizableBackend {
    type Error = <TestBackend as ratatui::backend::Backend>::Error;

    fn draw<'a, I>(&mut self, content: I) -> Result<(), Self::Error>
    where
        I: Iterator<Item = (u16, u16, &'a ratatui::buffer::Cell)>,
    {
        self.0.lock().unwrap().draw(content)
    }
    fn hide_cursor(&mut self) -> Result<(), Self::Error> {
        self.0.lock().unwrap().hide_cursor()
    }
    fn show_cursor(&mut self) -> Result<(), Self::Error> {
        self.0.lock().unwrap().show_cursor()
    }
    fn get_cursor_position(&mut self) -> Result<ratatui::layout::Position, Self::Error> {
        self.0.lock().unwrap().get_cursor_position()
    }
    fn set_cursor_position<P: Into<ratatui::layout::Position>>(
        &mut self,
        position: P,
    ) -> Result<(), Self::Error> {
        self.0.lock().unwrap().set_cursor_position(position)
    }
    fn clear(&mut self) -> Result<(), Self::Error> {
        self.0.lock().unwrap().clear()
    }
    fn clear_region(&mut self, clear_type: ratatui::backend::ClearType) -> Result<(), Self::Error> {
        self.0.lock().unwrap().clear_region(clear_type)
    }
    fn size(&self) -> Result<ratatui::layout::Size, Self::Error> {
        self.0.lock().unwrap().size()
    }
    fn window_size(&mut self) -> Result<ratatui::backend::WindowSize, Self::Error> {
        self.0.lock().unwrap().window_size()
    }
    fn flush(&mut self) -> Result<(), Self::Error> {
        self.0.lock().unwrap().flush()
    }
}

pub struct App {
    keys: mpsc::UnboundedSender<std::io::Result<Event>>,
    backend: ResizableBackend,
    pub frames: watch::Receiver<Frame>,
    /// Every screen drawn, in order (with `AppOptions::keep_screens`; else empty).
    pub screens: Arc<Mutex<Vec<String>>>,
    pub clipboard: FakeClipboard,
    pub task: tokio::task::JoinHandle<anyhow::Result<()>>,
}

/// The app's clock; tests that drive timers pass one they move themselves.
pub type Clock = Arc<dyn Fn() -> chrono::DateTime<chrono::Utc> + Send + Sync>;

pub struct AppOptions {
    pub read_only: bool,
    pub width: u16,
    pub height: u16,
    /// `None`: the real clock.
    pub clock: Option<Clock>,
    /// The fake clipboard's timed clear.
    pub clear_in: Option<Duration>,
    /// As `--mouse`.
    pub mouse: bool,
    /// Where the header says the token came from.
    pub token_source: Option<apikeys::tui::state::TokenSource>,
    /// The zone dates are shown in; `None`: the state's default (UTC).
    pub zone: Option<apikeys::tui::view::time::Zone>,
    /// The `:` command history file; `None`: in memory only.
    pub history: Option<std::path::PathBuf>,
    /// The profiles the app may switch to; `None`: none (as before profiles could switch).
    pub connector: Option<Arc<apikeys::tui::connector::Connector>>,
    /// The header's profile name at start.
    pub profile: Option<String>,
    /// `:rotate`'s settings and journal; `None`: none (rotation refuses).
    pub rotation: Option<apikeys::tui::rotation::Setup>,
    /// Keep the text of every screen drawn (`App::screens`), for tests that check them all.
    pub keep_screens: bool,
}

impl Default for AppOptions {
    fn default() -> Self {
        AppOptions {
            read_only: false,
            width: 140,
            height: 40,
            clock: None,
            clear_in: None,
            mouse: false,
            token_source: None,
            zone: None,
            history: None,
            connector: None,
            profile: None,
            rotation: None,
            keep_screens: false,
        }
    }
}

/// Starts the app's real loop against a reference server, as `creds`.
pub fn start_on(server: &super::TestServer, creds: &Creds, options: AppOptions) -> App {
    start(&server.server.base_url(), creds, options)
}

/// Starts the app's real loop against `base_url` as `creds`.
pub fn start(base_url: &str, creds: &Creds, options: AppOptions) -> App {
    let client = VtexClient::new(
        url::Url::parse(base_url).unwrap(),
        Credentials {
            app_key: creds.app_key.clone(),
            app_token: SecretString::from(creds.token.clone()),
        },
        ClientOptions::default(),
    )
    .unwrap();
    let (keys_tx, keys_rx) = mpsc::unbounded_channel();
    let (frames_tx, frames_rx) = watch::channel(Frame::default());
    let clipboard = FakeClipboard(Arc::default(), options.clear_in);
    let mut task_clipboard = clipboard.clone();
    let backend = ResizableBackend(Arc::new(Mutex::new(TestBackend::new(
        options.width,
        options.height,
    ))));
    let task_backend = backend.clone();
    let screens: Arc<Mutex<Vec<String>>> = Arc::default();
    let kept = options.keep_screens.then(|| screens.clone());
    let header = Header {
        account: "acme".into(),
        profile: options.profile.clone().unwrap_or_else(|| "test".into()),
        caller_key: creds.app_key.clone(),
        trading_name: None,
        insecure_http: false,
        token_source: options.token_source.clone(),
    };
    let task = tokio::spawn(async move {
        let mut terminal = Terminal::new(task_backend)?;
        let clock: Clock = options.clock.unwrap_or_else(|| Arc::new(chrono::Utc::now));
        let mut state = State::new(
            header,
            clock(),
            options.read_only,
            Duration::from_secs(3600),
        );
        state.mouse = options.mouse;
        state.history = apikeys::tui::command_line::history::History::load(options.history);
        if let Some(setup) = options.rotation {
            state.rotation.setup = setup;
        }
        if let Some(zone) = options.zone {
            state.zone = zone;
        }
        let mut watcher = Watcher(frames_tx, kept);
        let parts = event_loop::Parts {
            terminal: &mut terminal,
            client: &client,
            connector: options.connector.clone(),
            clipboard: &mut task_clipboard,
            observer: &mut watcher,
            clock: &*clock,
            tick: Duration::from_millis(50),
        };
        let input = tokio_stream_from(keys_rx);
        event_loop::run(parts, &mut state, input).await
    });
    App {
        keys: keys_tx,
        backend,
        frames: frames_rx,
        screens,
        clipboard,
        task,
    }
}

fn tokio_stream_from(
    mut rx: mpsc::UnboundedReceiver<std::io::Result<Event>>,
) -> impl futures_util::Stream<Item = std::io::Result<Event>> + Unpin {
    Box::pin(futures_util::stream::poll_fn(move |cx| rx.poll_recv(cx)))
}

/// Parses "abc<Enter><Esc><Space><Tab><S-Tab><Down><Up><Left><Right><PgDn><PgUp><Home><End><BS><C-r><C-c>".
pub fn parse_keys(script: &str) -> Vec<KeyEvent> {
    let mut keys = Vec::new();
    let mut rest = script;
    while let Some(c) = rest.chars().next() {
        if c == '<'
            && let Some(end) = rest.find('>')
            && end > 1
        {
            let name = &rest[1..end];
            let key = match name {
                "Enter" => KeyEvent::new(KeyCode::Enter, KeyModifiers::NONE),
                "Esc" => KeyEvent::new(KeyCode::Esc, KeyModifiers::NONE),
                "Space" => KeyEvent::new(KeyCode::Char(' '), KeyModifiers::NONE),
                "Tab" => KeyEvent::new(KeyCode::Tab, KeyModifiers::NONE),
                "S-Tab" => KeyEvent::new(KeyCode::BackTab, KeyModifiers::SHIFT),
                "Down" => KeyEvent::new(KeyCode::Down, KeyModifiers::NONE),
                "Up" => KeyEvent::new(KeyCode::Up, KeyModifiers::NONE),
                "Left" => KeyEvent::new(KeyCode::Left, KeyModifiers::NONE),
                "Right" => KeyEvent::new(KeyCode::Right, KeyModifiers::NONE),
                "PgDn" => KeyEvent::new(KeyCode::PageDown, KeyModifiers::NONE),
                "PgUp" => KeyEvent::new(KeyCode::PageUp, KeyModifiers::NONE),
                "Home" => KeyEvent::new(KeyCode::Home, KeyModifiers::NONE),
                "End" => KeyEvent::new(KeyCode::End, KeyModifiers::NONE),
                "BS" => KeyEvent::new(KeyCode::Backspace, KeyModifiers::NONE),
                other if other.starts_with("C-") && other.len() == 3 => KeyEvent::new(
                    KeyCode::Char(other.chars().nth(2).unwrap()),
                    KeyModifiers::CONTROL,
                ),
                other => panic!("unknown key <{other}>"),
            };
            keys.push(key);
            rest = &rest[end + 1..];
        } else {
            let modifiers = if c.is_ascii_uppercase() {
                KeyModifiers::SHIFT
            } else {
                KeyModifiers::NONE
            };
            keys.push(KeyEvent::new(KeyCode::Char(c), modifiers));
            rest = &rest[c.len_utf8()..];
        }
    }
    keys
}

impl App {
    pub fn send(&self, script: &str) {
        for key in parse_keys(script) {
            self.keys.send(Ok(Event::Key(key))).unwrap();
        }
    }

    pub fn paste(&self, text: &str) {
        self.keys.send(Ok(Event::Paste(text.to_string()))).unwrap();
    }

    /// A left click (press and release) on the cell at `column`, `row` (0-based).
    pub fn click(&self, column: u16, row: u16) {
        use crossterm::event::{MouseButton, MouseEvent, MouseEventKind};
        for kind in [
            MouseEventKind::Down(MouseButton::Left),
            MouseEventKind::Up(MouseButton::Left),
        ] {
            let event = MouseEvent {
                kind,
                column,
                row,
                modifiers: KeyModifiers::NONE,
            };
            self.keys.send(Ok(Event::Mouse(event))).unwrap();
        }
    }

    /// Resizes the terminal, and tells the app as the terminal would.
    pub fn resize(&self, width: u16, height: u16) {
        self.backend.0.lock().unwrap().resize(width, height);
        self.keys.send(Ok(Event::Resize(width, height))).unwrap();
    }

    /// Waits until a frame satisfies `check` (10 s at most), and returns it.
    pub async fn wait_for(&mut self, what: &str, check: impl Fn(&Frame) -> bool) -> Frame {
        let deadline = tokio::time::Instant::now() + Duration::from_secs(10);
        loop {
            {
                let frame = self.frames.borrow_and_update();
                if check(&frame) {
                    return frame.clone();
                }
            }
            match tokio::time::timeout_at(deadline, self.frames.changed()).await {
                Ok(Ok(())) => {}
                _ => {
                    let frame = self.frames.borrow().clone();
                    panic!(
                        "timed out waiting for {what}; last screen:\n{}\nstatus: {:?}",
                        frame.screen, frame.status
                    );
                }
            }
        }
    }

    /// Waits until the screen shows `text` and no request is in flight.
    pub async fn wait_idle_with(&mut self, text: &str) -> Frame {
        self.wait_for(text, |f| !f.busy && f.screen.contains(text))
            .await
    }

    pub async fn quit(self) {
        self.send("q");
        let outcome = tokio::time::timeout(Duration::from_secs(10), self.task).await;
        outcome.expect("the loop stops on q").unwrap().unwrap();
    }
}
