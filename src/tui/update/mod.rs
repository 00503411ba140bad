//! The pure heart of the app: `update(state, action) -> effects`. No I/O and no clock reads:
//! time arrives as `Action::Tick`, results as `Action::Api`.

use std::collections::BTreeSet;

use chrono::Duration as ChronoDuration;
use crossterm::event::{Event, KeyEvent, KeyEventKind};
use tui_input::backend::crossterm::EventHandler;
use tui_input::{Input, InputRequest};

mod bulk;
mod changes;
mod command_line;
mod copy_app_key;
mod details;
mod dialogs;
mod export;
mod external_pane;
mod global;
mod insights;
mod keys_pane;
mod marks;
mod mouse;
mod new_row;
mod outcomes;
mod profiles;
mod requests;
mod rotation;
mod settings_pane;
mod status;
mod timers;

use bulk::*;
use changes::*;
use command_line::*;
use copy_app_key::*;
use details::*;
use dialogs::*;
use external_pane::*;
use global::*;
use keys_pane::*;
use marks::*;
use new_row::*;
use outcomes::*;
pub use profiles::switch_profile;
use profiles::*;
use requests::*;
use rotation::*;
use settings_pane::*;
pub(super) use status::say;
use status::*;
use timers::*;

use super::action::{Action, Call, Change, Effect, Failure, FailureKind, Outcome, RequestId};
use super::keymap::{self, Command, Step};
use super::state::*;
use super::strings;
use crate::listing::{SortBy, StatusFilter};
use crate::vtex::model::{AppKey, Role};

/// The first calls: what the server offers, the keys, the account's roles.
pub fn init(state: &mut State) -> Vec<Effect> {
    let mut effects = vec![
        request(state, Call::Capabilities),
        request_keys(state),
        request(state, Call::ListRoles),
        request(state, Call::Account),
    ];
    // "rotation due" in the list: the journal is read off the UI thread.
    effects.extend(read_rotation_due(state));
    effects
}

pub fn update(state: &mut State, action: Action) -> Vec<Effect> {
    match action {
        Action::Key(key) if key.kind == KeyEventKind::Release => Vec::new(),
        Action::Key(key) => on_key(state, key),
        Action::Paste(text) => {
            on_paste(state, &text);
            Vec::new()
        }
        Action::Mouse(mouse) => mouse::on_mouse(state, mouse),
        Action::Click(target) => mouse::on_click(state, target),
        Action::Resize { width, height } => {
            state.size = (width, height);
            state.page_rows = crate::tui::view::page_rows(width, height);
            let page = state.page_rows;
            state
                .keys
                .selection
                .scroll_into_view(state.keys.visible.len(), page);
            state
                .external
                .selection
                .scroll_into_view(state.external.visible.len(), page);
            clamp_overlay(state);
            lazy_roles(state)
        }
        Action::Tick(now) => on_tick(state, now),
        Action::Copied(report) => {
            on_copied(state, report);
            Vec::new()
        }
        Action::CopiedAppKey(report) => {
            on_copied_app_key(state, report);
            Vec::new()
        }
        Action::Notice(text) => {
            say(state, text);
            Vec::new()
        }
        Action::Api { id, outcome } => on_answer(state, id, outcome),
        Action::Connected {
            attempt,
            profile,
            result,
        } => on_connected(state, attempt, &profile, result),
        Action::Rotation(progress) => on_rotation(state, progress),
        Action::RotationDue { server, due } => on_rotation_due(state, server, due),
    }
}

/// The key a details dialog shows.
pub fn details_key<'a>(state: &'a State, key_id: &str) -> Option<&'a AppKey> {
    state.keys.rows.iter().find(|k| k.id == key_id)
}
