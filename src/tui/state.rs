//! Everything on screen, as plain data. `update` changes it; `view` draws it.

use std::collections::{BTreeSet, HashMap};
use std::time::Duration;

use chrono::{DateTime, Utc};
use tui_input::Input;

use super::action::{Failure, RequestId};
use super::view::budget::{ExternalBudget, KeysBudget, Memo};
pub use crate::config::TokenSource;
use crate::listing::{self, SortBy, StatusFilter};
use crate::vtex::model::{AppKey, ExternalKey, RoleDetails};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tab {
    Settings,
    Keys,
    External,
}

impl Tab {
    pub const ALL: [Tab; 3] = [Tab::Settings, Tab::Keys, Tab::External];

    pub fn title(self) -> &'static str {
        match self {
            Tab::Settings => "Settings",
            Tab::Keys => "Generated keys",
            Tab::External => "External keys",
        }
    }

    pub fn index(self) -> usize {
        Tab::ALL.iter().position(|t| *t == self).unwrap_or(0)
    }
}

/// Who the app is connected as, for the title bar.
#[derive(Debug, Clone, Default)]
pub struct Header {
    pub account: String,
    /// The profile name, or "demo · local" for the embedded default.
    pub profile: String,
    pub caller_key: String,
    /// The account's trading name, from VTEX's account information when the server has it.
    pub trading_name: Option<String>,
    /// Plain http to another machine (the profile's `insecure_http = true`): shown in the bar.
    pub insecure_http: bool,
    /// Where the token came from (`None` when the app was not told): named when refused.
    pub token_source: Option<TokenSource>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Connection {
    Connecting,
    Online,
    /// The last call could not reach the server.
    Offline(String),
    /// The server refused the app key or token (401): nothing works until it is fixed.
    Unauthorized,
}

pub use super::access::{Access, OWN_KEY_RENEWAL, Op};

/// Which row is selected and which row is at the top of the view.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Selection {
    pub selected: usize,
    pub offset: usize,
}

impl Selection {
    /// Moves by `delta` rows within `len` rows, keeping the selection on screen.
    pub fn move_by(&mut self, delta: isize, len: usize, page: usize) {
        if len == 0 {
            *self = Selection::default();
            return;
        }
        let target = self.selected as isize + delta;
        self.selected = target.clamp(0, len as isize - 1) as usize;
        self.scroll_into_view(len, page);
    }

    pub fn to(&mut self, index: usize, len: usize, page: usize) {
        self.selected = index.min(len.saturating_sub(1));
        self.scroll_into_view(len, page);
    }

    /// After the rows changed: the row the selected key moved to (`at`), or, when it is gone,
    /// the same position clamped to the new length.
    pub fn reselect(&mut self, at: Option<usize>, len: usize, page: usize) {
        let index = at.unwrap_or(self.selected);
        self.to(index, len, page);
    }

    /// Keeps `selected` within `0..len` and inside the `page` rows shown from `offset`.
    pub fn scroll_into_view(&mut self, len: usize, page: usize) {
        let page = page.max(1);
        self.selected = self.selected.min(len.saturating_sub(1));
        if self.selected < self.offset {
            self.offset = self.selected;
        } else if self.selected >= self.offset + page {
            self.offset = self.selected + 1 - page;
        }
        self.offset = self.offset.min(len.saturating_sub(page));
    }
}

/// Loading state of a list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Load {
    NotLoaded,
    Loading,
    Loaded,
    Failed(Failure),
}

/// Live filter text (tui-input) and whether it has the keyboard.
#[derive(Debug, Clone, Default)]
pub struct Filter {
    pub input: Input,
    pub editing: bool,
}

impl Filter {
    /// Whether the text asks for anything: a lone `!` or `""` still being typed does not.
    pub fn is_active(&self) -> bool {
        !crate::search::parse(self.input.value()).is_empty()
    }

    /// Whether the rows are ranked by a fuzzy pattern (best first) rather than by the sort.
    pub fn ranks(&self) -> bool {
        let parsed = crate::search::parse(self.input.value());
        parsed.mode == crate::search::Mode::Fuzzy && !parsed.is_empty()
    }
}

#[derive(Debug, Clone)]
pub struct KeysPane {
    pub rows: Vec<AppKey>,
    pub load: Load,
    /// The latest list request: answers to older ones are dropped.
    pub request: Option<RequestId>,
    pub filter: Filter,
    pub status_filter: StatusFilter,
    pub sort: SortBy,
    pub reverse: bool,
    /// Indices into `rows` after filtering and sorting, in display order.
    pub visible: Vec<usize>,
    pub selection: Selection,
    /// Keys toggled optimistically, with their previous state, until the server answers.
    pub pending_toggles: HashMap<String, bool>,
    /// Keys whose roles were asked per key (servers without the listing extension).
    pub roles_requested: BTreeSet<String>,
    /// The rows' folded text, sort orders and recent filter answers, kept between keystrokes.
    pub view: listing::ListView,
    /// The columns' widths over every row; forgotten when the rows change.
    pub budget: Memo<KeysBudget>,
    /// Rows marked for a bulk action.
    pub marks: super::marks::Marks,
    /// A finding chosen in the Insights overlay: only its keys are shown.
    pub insight: Option<super::insights::InsightFilter>,
}

impl Default for KeysPane {
    fn default() -> Self {
        KeysPane {
            rows: Vec::new(),
            load: Load::NotLoaded,
            request: None,
            filter: Filter::default(),
            status_filter: StatusFilter::All,
            sort: SortBy::Name,
            reverse: false,
            visible: Vec::new(),
            selection: Selection::default(),
            pending_toggles: HashMap::new(),
            roles_requested: BTreeSet::new(),
            view: listing::ListView::default(),
            budget: Memo::default(),
            marks: super::marks::Marks::default(),
            insight: None,
        }
    }
}

impl KeysPane {
    /// The server refused the listing (no View API Keys): the pane offers renewal by appKey.
    pub fn may_not_view(&self) -> bool {
        self.rows.is_empty() && matches!(&self.load, Load::Failed(failure) if failure.forbidden())
    }

    pub fn selected_key(&self) -> Option<&AppKey> {
        self.visible
            .get(self.selection.selected)
            .and_then(|&i| self.rows.get(i))
    }

    /// Takes a fresh listing, keeping the same key selected when it is still there.
    pub fn replace_rows(
        &mut self,
        rows: Vec<AppKey>,
        months: u32,
        now: DateTime<Utc>,
        page: usize,
    ) {
        let selected_id = self.selected_key().map(|k| k.id.clone());
        let old = std::mem::replace(&mut self.rows, rows);
        self.marks.carry_over(&old, &self.rows, |k| &k.id);
        self.view = listing::ListView::of_keys(&self.rows);
        self.budget.forget();
        self.visible = self.view.keys(&self.rows, &self.query(), months, now);
        super::insights::keep_chosen(&self.insight, &mut self.visible, &self.rows, |k| &k.id);
        let at =
            selected_id.and_then(|id| self.visible.iter().position(|&i| self.rows[i].id == id));
        self.selection.reselect(at, self.visible.len(), page);
    }

    /// A status toggled in place: orders by status and kept answers are out of date.
    pub fn statuses_edited(&mut self) {
        self.view.statuses_changed();
    }

    /// Roles arrived in place: the searchable text and the Roles column's width changed.
    pub fn roles_edited(&mut self) {
        self.view = listing::ListView::of_keys(&self.rows);
        self.budget.forget();
    }

    /// The pane's filter bar, status filter and sort as the listing query the CLI runs too.
    pub fn query(&self) -> listing::Query {
        listing::Query {
            filter: self.filter.input.value().to_string(),
            status: self.status_filter,
            sort: self.sort,
            reverse: self.reverse,
        }
    }

    /// Recomputes `visible` after rows, filter or sort changed, keeping the selected key
    /// selected when it is still shown.
    pub fn refresh_view(&mut self, months: u32, now: DateTime<Utc>, page: usize) {
        // The rows are the same ones: the selected row is found by index, not by id.
        let selected = self.visible.get(self.selection.selected).copied();
        self.visible = self.view.keys(&self.rows, &self.query(), months, now);
        super::insights::keep_chosen(&self.insight, &mut self.visible, &self.rows, |k| &k.id);
        // A row the new answer left out gives way to the first one (the best, in fuzzy mode).
        let at = selected.and_then(|row| self.visible.iter().position(|&i| i == row));
        self.selection
            .reselect(at.or(Some(0)), self.visible.len(), page);
    }
}

#[derive(Debug, Clone)]
pub struct ExternalPane {
    pub rows: Vec<ExternalKey>,
    pub load: Load,
    pub request: Option<RequestId>,
    pub filter: Filter,
    /// All, active or inactive (an external key has no token here to be outdated or pending).
    pub status_filter: StatusFilter,
    /// `Name` is the owner account; also `Key`, `Created` (the date added) and `Status`.
    pub sort: SortBy,
    pub reverse: bool,
    pub visible: Vec<usize>,
    pub selection: Selection,
    pub pending_toggles: HashMap<String, bool>,
    /// As [`KeysPane::view`].
    pub view: listing::ListView,
    /// The columns' widths over every row; forgotten when the rows change.
    pub budget: Memo<ExternalBudget>,
    /// Rows marked for a bulk action.
    pub marks: super::marks::Marks,
    /// As [`KeysPane::insight`].
    pub insight: Option<super::insights::InsightFilter>,
}

impl Default for ExternalPane {
    fn default() -> Self {
        ExternalPane {
            rows: Vec::new(),
            load: Load::NotLoaded,
            request: None,
            filter: Filter::default(),
            status_filter: StatusFilter::All,
            sort: SortBy::Name,
            reverse: false,
            visible: Vec::new(),
            selection: Selection::default(),
            pending_toggles: HashMap::new(),
            view: listing::ListView::of_external(&[]),
            budget: Memo::default(),
            marks: super::marks::Marks::default(),
            insight: None,
        }
    }
}

impl ExternalPane {
    pub fn selected_key(&self) -> Option<&ExternalKey> {
        self.visible
            .get(self.selection.selected)
            .and_then(|&i| self.rows.get(i))
    }

    /// Takes a fresh listing, keeping the same key selected when it is still there.
    pub fn replace_rows(&mut self, rows: Vec<ExternalKey>, page: usize) {
        let selected_id = self.selected_key().map(|k| k.id.clone());
        let old = std::mem::replace(&mut self.rows, rows);
        self.marks.carry_over(&old, &self.rows, |k| &k.id);
        self.view = listing::ListView::of_external(&self.rows);
        self.budget.forget();
        self.visible = self.view.external(&self.rows, &self.query());
        super::insights::keep_chosen(&self.insight, &mut self.visible, &self.rows, |k| &k.id);
        let at =
            selected_id.and_then(|id| self.visible.iter().position(|&i| self.rows[i].id == id));
        self.selection.reselect(at, self.visible.len(), page);
    }

    /// A status toggled in place.
    pub fn statuses_edited(&mut self) {
        self.view.statuses_changed();
    }

    /// The pane's filter bar, status filter and sort as the listing query `external list` runs.
    pub fn query(&self) -> listing::Query {
        listing::Query {
            filter: self.filter.input.value().to_string(),
            status: self.status_filter,
            sort: self.sort,
            reverse: self.reverse,
        }
    }

    /// Recomputes `visible` after rows, filter or sort changed, keeping the selected key
    /// selected when it is still shown.
    pub fn refresh_view(&mut self, page: usize) {
        let selected = self.visible.get(self.selection.selected).copied();
        self.visible = self.view.external(&self.rows, &self.query());
        super::insights::keep_chosen(&self.insight, &mut self.visible, &self.rows, |k| &k.id);
        let at = selected.and_then(|row| self.visible.iter().position(|&i| i == row));
        self.selection
            .reselect(at.or(Some(0)), self.visible.len(), page);
    }
}

#[derive(Debug, Clone)]
pub struct SettingsPane {
    /// The account's token duration in months, once loaded.
    pub token_duration: Option<u32>,
    pub load: Load,
    pub request: Option<RequestId>,
    /// The option under the cursor: 3 or 6.
    pub cursor_months: u32,
}

impl Default for SettingsPane {
    fn default() -> Self {
        SettingsPane {
            token_duration: None,
            load: Load::NotLoaded,
            request: None,
            cursor_months: 3,
        }
    }
}

pub use super::dialog::Focus;
pub use super::dialog::InsightsDialog;
pub use super::dialog::ProfilePicker;
pub use super::dialog::{
    AddExternalDialog, BulkConfirm, BulkRolesDialog, BulkSummary, Confirm, DeleteKeyDialog,
    DetailsDialog, Dialog, EditRolesDialog, HelpDialog, KeyList, NewKeyDialog, NewKeyStep,
    RenewByKeyDialog, RenewDialog, RolePicker, RotateConfirm, TokenDialog,
};
pub use super::profile_switch::ProfileSwitch;
pub use super::status::{Cause, ERROR_SECONDS, INFO_SECONDS, MessageKind, Reading, StatusMessage};

/// A row just created (a generated key, by id) or added (an external key, by appKey).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NewRow {
    Key { id: String, app_key: String },
    External { app_key: String },
}

#[derive(Debug)]
pub struct State {
    pub now: DateTime<Utc>,
    pub header: Header,
    pub connection: Connection,
    pub access: Access,
    pub tab: Tab,
    pub keys: KeysPane,
    pub external: ExternalPane,
    pub settings: SettingsPane,
    /// The account's roles, for the role pickers.
    pub roles: Option<Vec<RoleDetails>>,
    pub dialog: Option<Dialog>,
    /// The bulk action being sent, if any.
    pub bulk: Option<super::bulk::Run>,
    /// Tokens that arrived while another dialog was open, shown in turn: none is ever dropped.
    pub waiting_tokens: std::collections::VecDeque<TokenDialog>,
    /// Forms whose request failed while another dialog was open, reopened in turn.
    pub waiting_forms: std::collections::VecDeque<Dialog>,
    pub status: Option<StatusMessage>,
    /// Requests sent and not yet answered (drives the spinner).
    pub requests: super::requests::Requests,
    /// Rows the current table shows at once (set from the terminal size).
    pub page_rows: usize,
    pub size: (u16, u16),
    pub refresh_every: Duration,
    pub last_refresh: DateTime<Utc>,
    /// When the Generated keys list last loaded: the title bar's "refreshed 14:05:09".
    pub last_listed: Option<DateTime<Utc>>,
    /// When the latest copy of a token is to be cleared from the clipboard.
    pub clipboard_clear_at: Option<DateTime<Utc>>,
    /// A key just created or added: selected when the list that holds it arrives.
    pub new_row: Option<NewRow>,
    pub mouse: bool,
    /// `NO_COLOR`: the frame is drawn without colours, their meaning kept as attributes.
    pub no_color: bool,
    /// The zone dates are shown in: the machine's for the app, a fixed one in tests.
    pub zone: super::view::time::Zone,
    pub quit: bool,
    /// The `:` command line, while open.
    pub command_line: Option<super::command_line::CommandLine>,
    /// The lines run on the command line (loaded at start; appended through an effect).
    pub history: super::command_line::history::History,
    /// The profiles one can switch to (the config file's, then "demo"), for the picker and
    /// the command line's completion.
    pub profiles: Vec<String>,
    /// Which profile is on screen, and a switch under way.
    pub profile_switch: ProfileSwitch,
    /// `:rotate`: the settings, the run under way, and the keys whose grace is running.
    pub rotation: super::rotation::RotationState,
    /// The config file's `[posture]` thresholds, for the Insights overlay.
    pub posture: crate::posture::Thresholds,
    /// The Settings pane's posture line, kept between frames.
    pub posture_summary: super::insights::SummaryMemo,
}

impl State {
    pub fn new(
        header: Header,
        now: DateTime<Utc>,
        read_only: bool,
        refresh_every: Duration,
    ) -> State {
        State {
            now,
            header,
            connection: Connection::Connecting,
            access: Access {
                read_only,
                ..Access::default()
            },
            tab: Tab::Keys,
            keys: KeysPane::default(),
            external: ExternalPane::default(),
            settings: SettingsPane::default(),
            roles: None,
            dialog: None,
            bulk: None,
            waiting_tokens: std::collections::VecDeque::new(),
            waiting_forms: std::collections::VecDeque::new(),
            status: None,
            requests: super::requests::Requests::default(),
            page_rows: 10,
            size: (80, 24),
            refresh_every,
            last_refresh: now,
            last_listed: None,
            clipboard_clear_at: None,
            new_row: None,
            mouse: false,
            no_color: false,
            zone: super::view::time::Zone::Utc,
            quit: false,
            command_line: None,
            history: Default::default(),
            profiles: Vec::new(),
            profile_switch: ProfileSwitch::default(),
            rotation: Default::default(),
            posture: crate::posture::Thresholds::default(),
            posture_summary: Default::default(),
        }
    }

    /// The token duration to judge ages by: the account's, else VTEX's default of 3 months.
    pub fn token_months(&self) -> u32 {
        self.settings
            .token_duration
            .unwrap_or(listing::DEFAULT_TOKEN_DURATION_MONTHS)
    }

    pub fn busy(&self) -> bool {
        !self.requests.is_empty()
    }
}
