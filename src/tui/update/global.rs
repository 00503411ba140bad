//! Keys that mean the same on every pane: quitting, switching panes, moving, refreshing,
//! Esc, and the live filter (typed or pasted).

use super::*;

pub(super) fn is_ctrl(key: &KeyEvent, c: char) -> bool {
    key.modifiers.contains(KeyModifiers::CONTROL) && key.code == KeyCode::Char(c)
}

pub(super) fn on_key(state: &mut State, key: KeyEvent) -> Vec<Effect> {
    if is_ctrl(&key, 'c') {
        state.quit = true;
        return vec![Effect::Quit];
    }
    if state.dialog.is_some() {
        let effects = on_dialog_key(state, key);
        if state.dialog.is_none()
            && let Some(next) = state.waiting_tokens.pop_front()
        {
            state.dialog = Some(Dialog::Token(next));
        }
        return effects;
    }
    if editing_filter(state) {
        on_filter_key(state, key);
        return lazy_roles(state);
    }
    if is_ctrl(&key, 'r') {
        say(state, "Refreshing…");
        return refresh(state);
    }
    let page = state.page_rows.max(1) as isize;
    match key.code {
        KeyCode::Char('q') => {
            state.quit = true;
            return vec![Effect::Quit];
        }
        KeyCode::Char('?') => state.dialog = Some(Dialog::Help),
        KeyCode::Tab => state.tab = Tab::ALL[(state.tab.index() + 1) % 3],
        KeyCode::BackTab => state.tab = Tab::ALL[(state.tab.index() + 2) % 3],
        KeyCode::Char('1') => state.tab = Tab::Settings,
        KeyCode::Char('2') => state.tab = Tab::Keys,
        KeyCode::Char('3') => state.tab = Tab::External,
        KeyCode::Char('R') => {
            say(state, "Refreshing…");
            return refresh(state);
        }
        KeyCode::Esc => on_escape(state),
        KeyCode::Char('j') | KeyCode::Down => move_selection(state, 1),
        KeyCode::Char('k') | KeyCode::Up => move_selection(state, -1),
        KeyCode::PageDown => move_selection(state, page),
        KeyCode::PageUp => move_selection(state, -page),
        KeyCode::Char('g') | KeyCode::Home => move_selection(state, isize::MIN / 2),
        KeyCode::Char('G') | KeyCode::End => move_selection(state, isize::MAX / 2),
        _ => {
            return match state.tab {
                Tab::Keys => on_keys_pane_key(state, key),
                Tab::External => on_external_pane_key(state, key),
                Tab::Settings => on_settings_pane_key(state, key),
            };
        }
    }
    lazy_roles(state)
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
        Tab::External if !state.external.filter.input.value().is_empty() => {
            state.external.filter.input.reset();
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

pub(super) fn on_filter_key(state: &mut State, key: KeyEvent) {
    let months = state.token_months();
    let (now, page) = (state.now, state.page_rows);
    let filter = match state.tab {
        Tab::Keys => &mut state.keys.filter,
        Tab::External => &mut state.external.filter,
        Tab::Settings => return,
    };
    match key.code {
        // Esc clears, Enter keeps.
        KeyCode::Esc => {
            filter.input.reset();
            filter.editing = false;
        }
        KeyCode::Enter => filter.editing = false,
        KeyCode::Down | KeyCode::Up => {
            filter.editing = false;
            let delta = if key.code == KeyCode::Down { 1 } else { -1 };
            move_selection(state, delta);
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

pub(super) fn on_paste(state: &mut State, text: &str) {
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
        Some(Dialog::NewKey {
            step: NewKeyStep::Label,
            label,
            ..
        }) => insert(label, false),
        Some(Dialog::AddExternal {
            step: NewKeyStep::Label,
            app_key,
            ..
        })
        | Some(Dialog::RenewByKey { app_key, .. }) => insert(app_key, true),
        Some(_) => {}
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
