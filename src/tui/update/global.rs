//! Keys that mean the same on every pane: quitting, switching panes, moving, refreshing,
//! Esc, and the live filter (typed or pasted).

use super::*;

pub(super) fn on_key(state: &mut State, key: KeyEvent) -> Vec<Effect> {
    let command = keymap::command_for(state, &key);
    if too_small(state) {
        // Nothing but the notice is on screen: only quitting acts (q or Ctrl-c, in any
        // context), never a key aimed at something the user cannot see.
        let quits = command == Some(Command::Quit)
            || keymap::lookup(keymap::GLOBAL, &key) == Some(Command::Quit);
        return match (quits, is_ctrl_c(&key)) {
            (true, true) => quit(state),
            (true, false) => quit_or_stop_bulk(state),
            (false, _) => Vec::new(),
        };
    }
    if command == Some(Command::Quit) && (state.dialog.is_some() || is_ctrl_c(&key)) {
        return quit(state); // Ctrl-c, from a dialog too, and during a bulk run
    }
    if state.dialog.is_some() {
        let effects = on_dialog_key(state, key, command);
        open_next_dialog(state);
        return effects;
    }
    if state.command_line.is_some() && command != Some(Command::Quit) {
        return on_command_key(state, key, command);
    }
    if editing_filter(state) && command != Some(Command::Quit) {
        on_filter_key(state, key, command);
        return lazy_roles(state);
    }
    let Some(command) = command else {
        return Vec::new();
    };
    match (command, state.tab) {
        (
            Command::Quit
            | Command::Help
            | Command::NextPane
            | Command::PreviousPane
            | Command::Pane(_)
            | Command::Refresh
            | Command::CommandLine
            | Command::Escape
            | Command::Move(_),
            _,
        ) => run_global(state, command),
        (Command::Profiles, _) => switch_profile(state, None),
        (Command::Rotate, _) => ask_rotation(state, state.tab == Tab::Settings),
        (Command::Export, _) => export::start(state, None, None),
        (Command::Insights, _) => insights::open(state),
        (Command::CopyAppKey, Tab::Keys | Tab::External) => copy_selected_app_key(state),
        (
            Command::Mark | Command::MarkRange | Command::MarkAll | Command::ClearMarks,
            Tab::Keys | Tab::External,
        ) => {
            run_mark_command(state, command);
            Vec::new()
        }
        (_, Tab::Keys) => run_keys_command(state, command),
        (_, Tab::External) => run_external_command(state, command),
        (Command::ApplyDuration, Tab::Settings) => apply_duration(state),
        _ => Vec::new(),
    }
}

/// Once a dialog closed, the next one waiting opens.
pub(super) fn open_next_dialog(state: &mut State) {
    if state.dialog.is_none() {
        // Tokens first: they are shown once and must not wait behind a form.
        state.dialog = match state.waiting_tokens.pop_front() {
            Some(token) => Some(Dialog::Token(token)),
            None => state.waiting_forms.pop_front(),
        };
    }
}

/// Whether the terminal, at the size the last frame was drawn at, shows only "too small".
pub(super) fn too_small(state: &State) -> bool {
    let (width, height) = state.size;
    !crate::tui::view::fits(width, height)
}

fn is_ctrl_c(key: &KeyEvent) -> bool {
    key.code == crossterm::event::KeyCode::Char('c')
        && key
            .modifiers
            .contains(crossterm::event::KeyModifiers::CONTROL)
}

/// `q` (or `:q`) during a bulk run stops it first, as Esc does, so one stray key does not
/// leave the user without the summary; a second `q` quits. Ctrl-c quits at once.
fn quit_or_stop_bulk(state: &mut State) -> Vec<Effect> {
    if state.rotation.run.is_some() {
        // A rotation cut between renew and finish is settled by the next run, but not
        // silently: `q` says so, Ctrl-c quits.
        refuse_briefly(state, strings::rotation::QUIT_REFUSED);
        return Vec::new();
    }
    match &state.bulk {
        Some(run) if run.stopped.is_none() => {
            let effects = cancel(state).unwrap_or_default();
            say(state, strings::bulk::QUIT_STOPPED_RUN);
            effects
        }
        _ => quit(state),
    }
}

fn quit(state: &mut State) -> Vec<Effect> {
    state.quit = true;
    vec![Effect::Quit]
}

pub(super) fn run_global(state: &mut State, command: Command) -> Vec<Effect> {
    match command {
        Command::Quit => return quit_or_stop_bulk(state),
        Command::Help => state.dialog = Some(Dialog::Help(HelpDialog::default())),
        Command::NextPane => switch_pane(state, Tab::ALL[(state.tab.index() + 1) % 3]),
        Command::PreviousPane => switch_pane(state, Tab::ALL[(state.tab.index() + 2) % 3]),
        Command::Pane(tab) => switch_pane(state, tab),
        Command::Refresh => {
            say(state, strings::REFRESHING);
            return refresh(state);
        }
        // Esc: a bulk run stops first; then an error on the status line goes; then a switch
        // under way is given up; then the filter is cleared.
        Command::Escape => {
            if let Some(effects) = cancel(state) {
                return effects;
            }
            if let Some(effects) = super::rotation::stop_rotation(state) {
                return effects;
            }
            if !showing_error(state)
                && let Some(effects) = cancel_switch(state)
            {
                return effects;
            }
            on_escape(state);
        }
        Command::CommandLine => open(state),
        Command::Move(step) => {
            let delta = delta(step, state.page_rows);
            move_selection(state, delta);
        }
        _ => {}
    }
    lazy_roles(state)
}

/// Rows a step moves, for a list showing `page` rows.
pub(super) fn delta(step: Step, page: usize) -> isize {
    let page = page.max(1) as isize;
    match step {
        Step::Down => 1,
        Step::Up => -1,
        Step::PageDown => page,
        Step::PageUp => -page,
        Step::Top => isize::MIN / 2,
        Step::Bottom => isize::MAX / 2,
    }
}

fn showing_error(state: &State) -> bool {
    matches!(
        &state.status,
        Some(StatusMessage {
            kind: MessageKind::Error,
            ..
        })
    )
}

pub(super) fn on_escape(state: &mut State) {
    if matches!(
        &state.status,
        Some(StatusMessage {
            kind: MessageKind::Error,
            ..
        })
    ) {
        state.status = None;
        return;
    }
    if insights::clear_finding(state) {
        return;
    }
    let months = state.token_months();
    let (now, page) = (state.now, state.page_rows);
    match state.tab {
        Tab::Keys
            if !state.keys.filter.input.value().is_empty()
                || state.keys.status_filter != StatusFilter::All =>
        {
            state.keys.filter.input.reset();
            state.keys.status_filter = StatusFilter::All;
            state.keys.refresh_view(months, now, page);
        }
        Tab::External
            if !state.external.filter.input.value().is_empty()
                || state.external.status_filter != StatusFilter::All =>
        {
            state.external.filter.input.reset();
            state.external.status_filter = StatusFilter::All;
            state.external.refresh_view(page);
        }
        _ => state.status = None,
    }
}

pub(super) fn move_selection(state: &mut State, delta: isize) {
    let page = state.page_rows;
    match state.tab {
        Tab::Keys => state
            .keys
            .selection
            .move_by(delta, state.keys.visible.len(), page),
        Tab::External => {
            state
                .external
                .selection
                .move_by(delta, state.external.visible.len(), page)
        }
        Tab::Settings => {
            state.settings.cursor_months = if delta > 0 { 6 } else { 3 };
        }
    }
}

pub(super) fn editing_filter(state: &State) -> bool {
    match state.tab {
        Tab::Keys => state.keys.filter.editing,
        Tab::External => state.external.filter.editing,
        Tab::Settings => false,
    }
}

pub(super) fn on_filter_key(state: &mut State, key: KeyEvent, command: Option<Command>) {
    let months = state.token_months();
    let (now, page) = (state.now, state.page_rows);
    let filter = match state.tab {
        Tab::Keys => &mut state.keys.filter,
        Tab::External => &mut state.external.filter,
        Tab::Settings => return,
    };
    match command {
        Some(Command::ClearFilter) => {
            filter.input.reset();
            filter.editing = false;
        }
        Some(Command::KeepFilter) => filter.editing = false,
        Some(Command::ToggleFuzzy) => {
            let toggled = toggle_fuzzy(filter.input.value());
            filter.input = Input::new(toggled);
        }
        Some(Command::LeaveFilter(step)) => {
            filter.editing = false;
            move_selection(state, delta(step, page));
            return;
        }
        _ => {
            filter.input.handle_event(&Event::Key(key));
        }
    }
    match state.tab {
        Tab::Keys => state.keys.refresh_view(months, now, page),
        _ => state.external.refresh_view(page),
    }
}

/// The filter text with the fuzzy flag (`-f `) added in front, or taken away.
fn toggle_fuzzy(text: &str) -> String {
    match crate::search::query::fuzzy_pattern(text) {
        Some(pattern) => pattern.to_string(),
        None => format!("{} {}", crate::search::query::FUZZY_FLAG, text.trim_start()),
    }
}

pub(super) fn on_paste(state: &mut State, text: &str) {
    if too_small(state) {
        return; // no field is on screen to take it
    }
    // Pasted text goes to whichever field has the keyboard; line breaks and other control
    // characters are dropped (a token or key pasted from a terminal often carries them).
    let insert = |input: &mut Input, squeeze_spaces: bool| {
        for c in text.chars().filter(|c| !c.is_control()) {
            if squeeze_spaces && c.is_whitespace() {
                continue;
            }
            input.handle(InputRequest::InsertChar(c));
        }
    };
    match &mut state.dialog {
        Some(dialog) => {
            if let Some(field) = dialog.text_field() {
                insert(field.input, field.app_key);
            }
        }
        None if state.command_line.is_some() => {
            if let Some(open) = state.command_line.as_mut() {
                paste(open, text);
            }
        }
        None => {
            if editing_filter(state) {
                let months = state.token_months();
                let (now, page) = (state.now, state.page_rows);
                match state.tab {
                    Tab::Keys => {
                        insert(&mut state.keys.filter.input, false);
                        state.keys.refresh_view(months, now, page);
                    }
                    _ => {
                        insert(&mut state.external.filter.input, false);
                        state.external.refresh_view(page);
                    }
                }
            }
        }
    }
}
