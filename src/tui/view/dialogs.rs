//! The dialogs: confirmations, key deletion, new key, role editing, renewal, adding an external
//! key, the one-time token, and (in their own modules) details and help. Each is a centered
//! box clamped to the screen; its keys are listed in its footer and in the key bar.

use std::collections::BTreeSet;

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use secrecy::ExposeSecret;
use tui_input::Input;

use super::buttons::Buttons;
use super::hit::Hits;
use super::widgets::{self, DialogFrame, Hint, clean, input_field};
use super::{details, help, theme};
use crate::tui::keymap::{self, Command};
use crate::tui::state::{
    AddExternalDialog, BulkRolesDialog, Confirm, DeleteKeyDialog, Dialog, EditRolesDialog, Focus,
    NewKeyDialog, NewKeyStep, RenewByKeyDialog, RenewDialog, RolePicker, State, TokenDialog,
};
use crate::tui::strings::dialogs as text;

mod insights;
pub use insights::{insight_spans, posture_summary};
mod picker;
mod profiles;

pub use picker::picker_page;
use picker::{chosen_count, roles_step};

/// How many "•" stand for a token: always the same, so the mask says nothing of its length.
const MASK_LEN: usize = 100;

pub fn render(state: &State, dialog: &Dialog, frame: &mut Frame, region: Rect, hits: &mut Hits) {
    let hints = &hints(dialog);
    match dialog {
        Dialog::Confirm(confirm) => self::confirm(confirm, hints, frame, region, hits),
        Dialog::DeleteKey(dialog) => delete_key(dialog, hints, frame, region, hits),
        Dialog::NewKey(NewKeyDialog {
            step,
            label,
            picker,
            error,
        }) => form(
            state,
            &NEW_KEY,
            *step,
            label,
            picker,
            error.as_deref(),
            hints,
            frame,
            region,
        ),
        Dialog::EditRoles(EditRolesDialog {
            app_key,
            picker,
            original,
            ..
        }) => edit_roles(state, app_key, picker, original, hints, frame, region),
        Dialog::Renew(RenewDialog {
            app_key,
            label,
            delete_now,
        }) => renew(app_key, label, *delete_now, hints, frame, region),
        Dialog::RenewByKey(RenewByKeyDialog { app_key, error }) => text_step(
            &DialogFrame {
                title: text::RENEW_BY_KEY_TITLE.into(),
                destructive: false,
                width: 64,
            },
            text::RENEW_BY_KEY_INTRO,
            text::APP_KEY_FIELD,
            app_key,
            error.as_deref(),
            hints,
            frame,
            region,
        ),
        Dialog::AddExternal(AddExternalDialog {
            step,
            app_key,
            picker,
            error,
        }) => form(
            state,
            &ADD_EXTERNAL,
            *step,
            app_key,
            picker,
            error.as_deref(),
            hints,
            frame,
            region,
        ),
        Dialog::Token(token) => self::token(token, hints, frame, region),
        Dialog::Details(dialog) => details::render(state, dialog, hints, frame, region),
        Dialog::Help(dialog) => help::render(state, dialog, hints, frame, region),
        Dialog::Bulk(dialog) => super::bulk::confirm(dialog, hints, frame, region, hits),
        Dialog::BulkRoles(dialog) => bulk_roles(state, dialog, hints, frame, region),
        Dialog::BulkSummary(dialog) => super::bulk::summary(dialog, hints, frame, region),
        Dialog::Profiles(picker) => profiles::render(picker, hints, frame, region),
        Dialog::Rotate(dialog) => super::rotation::confirm(dialog, hints, frame, region, hits),
        Dialog::Insights(dialog) => insights::render(dialog, hints, frame, region),
    }
}

/// The dialog's own keys, for its footer and the key bar: its bindings in `keymap`, the
/// confirmation's accept named by its button, delete dimmed until acknowledged.
pub fn hints(dialog: &Dialog) -> Vec<Hint> {
    keymap::for_dialog(dialog)
        .iter()
        .map(|binding| {
            let command = binding.runs.first().map(|(_, command)| *command);
            let what = match (dialog, command) {
                (Dialog::Confirm(confirm), Some(Command::Accept)) => confirm.accept.to_lowercase(),
                (Dialog::Confirm(confirm), Some(Command::Press)) => match confirm.focus {
                    Focus::Action => confirm.accept.to_lowercase(),
                    Focus::Cancel => text::CANCEL.to_lowercase(),
                },
                (Dialog::DeleteKey(delete), Some(Command::Press)) => match delete.focus {
                    Focus::Action => text::DELETE.to_lowercase(),
                    Focus::Cancel => text::CANCEL.to_lowercase(),
                },
                (Dialog::Rotate(rotate), Some(Command::Press)) if rotate.focus == Focus::Cancel => {
                    text::CANCEL.to_lowercase()
                }
                (Dialog::Rotate(_), Some(Command::Press | Command::Accept)) => {
                    crate::tui::strings::rotation::ACCEPT.to_lowercase()
                }
                (Dialog::Bulk(bulk), Some(Command::Press)) if bulk.focus == Focus::Cancel => {
                    text::CANCEL.to_lowercase()
                }
                (Dialog::Bulk(bulk), Some(Command::Press | Command::Accept)) => bulk
                    .plan
                    .action
                    .as_ref()
                    .map(|action| {
                        crate::tui::strings::bulk::confirm_accept(action, bulk.plan.list)
                            .to_lowercase()
                    })
                    .unwrap_or_else(|| binding.what.to_string()),
                _ => binding.what.to_string(),
            };
            // The button an acknowledgement guards is dim until it is ticked.
            let unacknowledged = match dialog {
                Dialog::DeleteKey(delete) => !delete.understood,
                Dialog::Bulk(bulk) => bulk.needs_acknowledgement() && !bulk.understood,
                _ => false,
            };
            let focus_on_action = match dialog {
                Dialog::DeleteKey(delete) => delete.focus == Focus::Action,
                Dialog::Bulk(bulk) => bulk.focus == Focus::Action,
                _ => false,
            };
            let enabled = !(unacknowledged && focus_on_action && command == Some(Command::Press));
            Hint::new(binding.keys, &what).enabled(enabled)
        })
        .collect()
}

fn footer(hints: &[Hint], max: usize) -> Vec<Line<'static>> {
    let mut lines = vec![Line::raw("")];
    lines.extend(widgets::hint_lines(hints, max));
    lines
}

/// "vtexappkey-acme-ORYNWX (ERP integration)", or the key alone when it has no label.
fn key_and_label(app_key: &str, label: &str) -> String {
    if label.trim().is_empty() {
        clean(app_key)
    } else {
        format!("{} ({})", clean(app_key), clean(label))
    }
}

fn confirm(confirm: &Confirm, hints: &[Hint], frame: &mut Frame, region: Rect, hits: &mut Hits) {
    let spec = DialogFrame {
        title: clean(&confirm.title),
        destructive: confirm.destructive,
        width: 64,
    };
    let max = widgets::dialog_inner_width(region, spec.width);
    let mut body = widgets::wrapped(&clean_multiline(&confirm.body), theme::plain(), max);
    body.push(Line::raw(""));
    let buttons = Buttons {
        action: clean(&confirm.accept),
        destructive: confirm.destructive,
        enabled: true,
        focus: confirm.focus,
    };
    let at = body.len();
    body.push(buttons.line());
    let drawn = widgets::draw_dialog(frame, region, &spec, body, footer(hints, max));
    buttons.record(&drawn, at, hits);
}

/// Our own multi-line texts keep their line breaks; anything else is made safe.
fn clean_multiline(text: &str) -> String {
    text.split('\n').map(clean).collect::<Vec<_>>().join("\n")
}

fn delete_key(
    dialog: &DeleteKeyDialog,
    hints: &[Hint],
    frame: &mut Frame,
    region: Rect,
    hits: &mut Hits,
) {
    let DeleteKeyDialog {
        app_key,
        label,
        understood,
        focus,
        ..
    } = dialog;
    let understood = *understood;
    let spec = DialogFrame {
        title: text::DELETE_TITLE.into(),
        destructive: true,
        width: 64,
    };
    let max = widgets::dialog_inner_width(region, spec.width);
    let mut body = widgets::wrapped(
        &text::delete_body(&key_and_label(app_key, label)),
        theme::plain(),
        max,
    );
    body.push(Line::raw(""));
    let mark = if understood { "[x]" } else { "[ ]" };
    body.push(Line::from(vec![
        Span::styled(mark, theme::bold()),
        Span::raw(text::DELETE_UNDERSTOOD),
    ]));
    body.push(Line::raw(""));
    let buttons = Buttons {
        action: text::DELETE.into(),
        destructive: true,
        enabled: understood,
        focus: *focus,
    };
    let at = body.len();
    body.push(buttons.line());
    let drawn = widgets::draw_dialog(frame, region, &spec, body, footer(hints, max));
    buttons.record(&drawn, at, hits);
}

/// Step one of new key / add external key: a text field with its error.
#[allow(clippy::too_many_arguments)]
fn text_step(
    spec: &DialogFrame,
    intro: &str,
    field_label: &str,
    input: &Input,
    error: Option<&str>,
    hints: &[Hint],
    frame: &mut Frame,
    region: Rect,
) {
    let max = widgets::dialog_inner_width(region, spec.width);
    let mut body = widgets::wrapped(intro, theme::plain(), max);
    body.push(Line::raw(""));
    body.push(Line::styled(field_label.to_string(), theme::heading()));
    body.push(input_field(input, max, true));
    if let Some(error) = error {
        body.extend(widgets::wrapped(&clean(error), theme::error(), max));
    }
    widgets::draw_dialog(frame, region, spec, body, footer(hints, max));
}

fn edit_roles(
    state: &State,
    app_key: &str,
    picker: &RolePicker,
    original: &BTreeSet<i64>,
    hints: &[Hint],
    frame: &mut Frame,
    region: Rect,
) {
    let spec = DialogFrame {
        title: text::edit_roles_title(&clean(app_key)),
        destructive: false,
        width: 64,
    };
    let max = widgets::dialog_inner_width(region, spec.width);
    let intro = widgets::wrapped(text::EDIT_ROLES_INTRO, theme::plain(), max);
    let added = picker.chosen.difference(original).count();
    let removed = original.difference(&picker.chosen).count();
    let summary = if added + removed == 0 {
        Line::styled(text::NO_CHANGE, theme::dim())
    } else {
        Line::from(vec![
            Span::styled(text::roles_added(added), theme::good()),
            Span::raw("  "),
            Span::styled(text::roles_removed(removed), theme::error()),
        ])
    };
    let summary = vec![summary];
    roles_step(state, &spec, intro, picker, summary, hints, frame, region);
}

/// The roles dialog of the marked keys: the picker, and what Enter and x do.
fn bulk_roles(
    state: &State,
    dialog: &BulkRolesDialog,
    hints: &[Hint],
    frame: &mut Frame,
    region: Rect,
) {
    use crate::tui::strings::bulk;
    let spec = DialogFrame {
        title: bulk::bulk_roles_title(dialog.count),
        destructive: false,
        width: 64,
    };
    let max = widgets::dialog_inner_width(region, spec.width);
    let intro = widgets::wrapped(&bulk::bulk_roles_intro(dialog.count), theme::plain(), max);
    roles_step(
        state,
        &spec,
        intro,
        &dialog.picker,
        Vec::new(),
        hints,
        frame,
        region,
    );
}

fn renew(
    app_key: &str,
    label: &str,
    delete_now: bool,
    hints: &[Hint],
    frame: &mut Frame,
    region: Rect,
) {
    let spec = DialogFrame {
        title: text::RENEW_TITLE.into(),
        destructive: false,
        width: 70,
    };
    let max = widgets::dialog_inner_width(region, spec.width);
    let mut body = widgets::wrapped(
        &text::renew_body(&key_and_label(app_key, label)),
        theme::plain(),
        max,
    );
    body.push(Line::raw(""));
    let options = [
        (true, text::RENEW_DELETE_NOW, text::RENEW_DELETE_NOW_NOTE),
        (false, text::RENEW_KEEP_OLD, text::RENEW_KEEP_OLD_NOTE),
    ];
    for (now, title, note) in options {
        let here = now == delete_now;
        let mark = if here { "› (•) " } else { "  ( ) " };
        let line = Line::raw(widgets::pad(&format!("{mark}{title}"), max));
        body.push(if here {
            line.style(theme::selected_row())
        } else {
            line
        });
        body.extend(widgets::hanging(
            Span::raw("      "),
            note,
            theme::dim(),
            max,
        ));
    }
    widgets::draw_dialog(frame, region, &spec, body, footer(hints, max));
}

/// The words of a two-step form (a text field, then roles): new key, add external key.
struct FormTexts {
    /// "New key", "Add external key".
    title: &'static str,
    /// What the first step asks for, in the title: "label", "key".
    asks: &'static str,
    intro: &'static str,
    field: &'static str,
    /// The roles step's introduction, given what was typed.
    roles_intro: fn(&str) -> String,
}

const NEW_KEY: FormTexts = FormTexts {
    title: text::NEW_KEY_TITLE,
    asks: text::NEW_KEY_ASKS,
    intro: text::NEW_KEY_INTRO,
    field: text::NEW_KEY_FIELD,
    roles_intro: text::new_key_roles_intro,
};

const ADD_EXTERNAL: FormTexts = FormTexts {
    title: text::ADD_EXTERNAL_TITLE,
    asks: text::ADD_EXTERNAL_ASKS,
    intro: text::ADD_EXTERNAL_INTRO,
    field: text::APP_KEY_FIELD,
    roles_intro: text::add_external_roles_intro,
};

#[allow(clippy::too_many_arguments)]
fn form(
    state: &State,
    texts: &FormTexts,
    step: NewKeyStep,
    input: &Input,
    picker: &RolePicker,
    error: Option<&str>,
    hints: &[Hint],
    frame: &mut Frame,
    region: Rect,
) {
    match step {
        NewKeyStep::Label => {
            let spec = DialogFrame {
                title: text::form_first_step(texts.title, texts.asks),
                destructive: false,
                width: 64,
            };
            text_step(
                &spec,
                texts.intro,
                texts.field,
                input,
                error,
                hints,
                frame,
                region,
            );
        }
        NewKeyStep::Roles => {
            let spec = DialogFrame {
                title: text::form_roles_step(texts.title),
                destructive: false,
                width: 64,
            };
            let max = widgets::dialog_inner_width(region, spec.width);
            let mut intro = widgets::wrapped(
                &(texts.roles_intro)(&clean(input.value())),
                theme::plain(),
                max,
            );
            if let Some(error) = error {
                intro.extend(widgets::wrapped(&clean(error), theme::error(), max));
            }
            roles_step(
                state,
                &spec,
                intro,
                picker,
                chosen_count(picker, max),
                hints,
                frame,
                region,
            );
        }
    }
}

/// The token, shown once: masked until `v`, wrapped to the dialog's width.
fn token(dialog: &TokenDialog, hints: &[Hint], frame: &mut Frame, region: Rect) {
    // The key is in the title and the token comes first, so a cut-down dialog still shows
    // which key and the token itself.
    let what = if dialog.old_token.is_some() {
        text::TOKEN_RENEWED
    } else {
        text::KEY_CREATED
    };
    let spec = DialogFrame {
        title: format!("{what} · {}", key_and_label(&dialog.app_key, &dialog.label)),
        destructive: false,
        width: 108,
    };
    let max = widgets::dialog_inner_width(region, spec.width);
    let mut body: Vec<Line<'_>> = Vec::new();
    let mask = "•".repeat(MASK_LEN);
    // The secret is borrowed, never copied into a String here; the terminal buffer drops any
    // control characters it might contain.
    let (shown, style) = if dialog.revealed {
        (dialog.token.expose_secret(), theme::pending())
    } else {
        (mask.as_str(), theme::dim())
    };
    // A token has no spaces: cut it by width alone.
    body.extend(
        widgets::chunks(shown, max)
            .into_iter()
            .map(|line| Line::styled(line, style)),
    );
    if dialog.copied.is_some() || dialog.old_token.is_some() {
        body.push(Line::raw(""));
    }
    if let Some(copied) = &dialog.copied {
        body.extend(widgets::wrapped(&clean(copied), theme::good(), max));
    }
    if let Some(old) = &dialog.old_token {
        body.extend(widgets::wrapped(&clean(old), theme::plain(), max));
    }
    // The warning stays with the keys, so even a cut-down dialog says it; closing a token
    // never seen nor copied asks first, in its place.
    let mut footer = footer(hints, max);
    if dialog.closing {
        let ask = widgets::wrapped(
            text::TOKEN_CLOSE_ANYWAY,
            theme::error().patch(theme::bold()),
            max,
        );
        for (at, line) in ask.into_iter().enumerate() {
            footer.insert(1 + at, line);
        }
    } else {
        footer.insert(1, Line::styled(text::TOKEN_NOT_SHOWN_AGAIN, theme::bold()));
    }
    widgets::draw_dialog(frame, region, &spec, body, footer);
}
