//! Whole-screen snapshots of the terminal UI, drawn from fixed states on a `TestBackend`, and a
//! sweep over terminal sizes that must never panic.
//!
//! Update the snapshots with `INSTA_UPDATE=always cargo test --test ui_snapshots`, then read
//! every changed `.snap` file before committing it.

use std::collections::BTreeSet;
use std::time::Duration;

use apikeys::listing::{SortBy, StatusFilter};
use apikeys::permissions::{Resource, ResourceSet};
use apikeys::tui::action::{Change, Failure};
use apikeys::tui::state::Focus;
use apikeys::tui::state::{
    Access, AddExternalDialog, Confirm, Connection, DeleteKeyDialog, DetailsDialog, Dialog,
    EditRolesDialog, Header, HelpDialog, Load, MessageKind, NewKeyDialog, NewKeyStep, RenewDialog,
    RolePicker, State, StatusMessage, Tab, TokenDialog,
};
use apikeys::tui::view::{self, MIN_HEIGHT, MIN_WIDTH};
use apikeys::vtex::model::{AppKey, AuditEntry, ExternalKey, Role, RoleDetails};
use apikeys::vtex::time::Timestamp;
use chrono::{DateTime, TimeZone, Utc};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::buffer::Buffer;
use ratatui::text::Span;
use secrecy::SecretString;
use tui_input::Input;

// ---------------------------------------------------------------------------------------------
// Fixtures: a fixed clock, fake keys, fake roles. No real key or token anywhere.

fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 27, 12, 0, 0).unwrap()
}

fn at(y: i32, m: u32, d: u32) -> Option<Timestamp> {
    Some(Timestamp(Utc.with_ymd_and_hms(y, m, d, 9, 30, 0).unwrap()))
}

const ROLE_NAMES: [&str; 12] = [
    "Owner (Admin Super)",
    "User Administrator - RESTRICTED",
    "Call center operator",
    "Catalog manager",
    "OMS - Full access",
    "Logistics",
    "Checkout admin",
    "Store Front",
    "Marketing",
    "Finance reports",
    "Pricing",
    "Promotions",
];

fn role_details() -> Vec<RoleDetails> {
    ROLE_NAMES
        .iter()
        .enumerate()
        .map(|(i, name)| RoleDetails {
            id: i as i64 + 1,
            name: name.to_string(),
            is_admin: i == 0,
            role_type: 0,
            products: Vec::new(),
            api_key_resources: None,
        })
        .collect()
}

fn roles(ids: &[i64]) -> Option<Vec<Role>> {
    Some(
        ids.iter()
            .map(|&id| Role {
                id,
                name: ROLE_NAMES[id as usize - 1].into(),
            })
            .collect(),
    )
}

#[allow(clippy::too_many_arguments)]
fn key(
    id: &str,
    suffix: &str,
    label: &str,
    created: Option<Timestamp>,
    active: bool,
    role_ids: Option<&[i64]>,
    token: Option<Timestamp>,
    new_token: Option<Timestamp>,
) -> AppKey {
    AppKey {
        id: id.to_string(),
        app_key: format!("vtexappkey-acme-{suffix}"),
        label: label.to_string(),
        created_in: created,
        is_active: active,
        roles: role_ids.and_then(roles),
        creation_date_token: token,
        creation_date_new_token: new_token,
    }
}

fn keys() -> Vec<AppKey> {
    vec![
        // Fresh: token 20 days old.
        key(
            "k01",
            "ERPSYN",
            "ERP integration",
            at(2025, 3, 2),
            true,
            Some(&[5, 4]),
            at(2026, 11, 7),
            None,
        ),
        // Orange: 130 days old, past the 3-month duration by less than 3 months.
        key(
            "k02",
            "WMSLNK",
            "Warehouse sync",
            at(2024, 6, 11),
            true,
            Some(&[6]),
            at(2026, 7, 20),
            None,
        ),
        // Red: 3 months or more past the duration.
        key(
            "k03",
            "OLDPOS",
            "Legacy POS bridge",
            at(2023, 1, 15),
            true,
            Some(&[7, 11, 12]),
            at(2026, 1, 10),
            None,
        ),
        // A renewal keeps the old token until it is deleted.
        key(
            "k04",
            "RENEWD",
            "Marketplace connector",
            at(2025, 8, 1),
            true,
            Some(&[8]),
            at(2026, 8, 25),
            at(2026, 11, 20),
        ),
        key(
            "k05",
            "QATEST",
            "QA sandbox",
            at(2026, 2, 3),
            false,
            Some(&[]),
            at(2026, 9, 1),
            None,
        ),
        // Toggled optimistically, waiting for the server.
        key(
            "k06",
            "BIEXPT",
            "BI export (nightly)",
            at(2025, 12, 12),
            true,
            Some(&[10]),
            at(2026, 10, 1),
            None,
        ),
        // A server without the listing extension: no roles yet, no token dates.
        key("k07", "NODATE", "", None, true, None, None, None),
        key(
            "k08",
            "LONGRL",
            "Reporting dashboard with a very long label that goes on and on",
            at(2025, 5, 5),
            true,
            Some(&[1, 2, 3, 4, 5, 6, 7, 8, 9]),
            at(2026, 9, 30),
            None,
        ),
        // A hostile label: the escape character must not reach the terminal.
        key(
            "k09",
            "ESCAPE",
            "\u{1b}[31mEvil label",
            at(2026, 4, 4),
            true,
            Some(&[3]),
            at(2026, 10, 20),
            None,
        ),
        key(
            "k10",
            "SEARCH",
            "Search indexer",
            at(2026, 5, 6),
            true,
            Some(&[4]),
            at(2026, 11, 1),
            None,
        ),
        key(
            "k11",
            "EMAILS",
            "Email service",
            at(2026, 6, 7),
            true,
            Some(&[9]),
            at(2026, 10, 2),
            None,
        ),
        key(
            "k12",
            "PAYREC",
            "Payments reconciliation",
            at(2026, 7, 8),
            false,
            Some(&[10, 5]),
            at(2026, 7, 8),
            None,
        ),
        key(
            "k13",
            "SUPBOT",
            "Customer support bot",
            at(2026, 8, 9),
            true,
            Some(&[3]),
            at(2026, 8, 9),
            None,
        ),
    ]
}

fn external_keys() -> Vec<ExternalKey> {
    let external =
        |id: &str, app_key: &str, account: &str, added, active, role_ids: &[i64]| ExternalKey {
            id: id.to_string(),
            app_key: app_key.to_string(),
            account: account.to_string(),
            added_on: added,
            is_active: active,
            roles: roles(role_ids),
        };
    vec![
        external(
            "x1",
            "vtexappkey-partnerco-QWERTY",
            "partnerco",
            at(2025, 10, 1),
            true,
            &[4, 11],
        ),
        external(
            "x2",
            "vtexappkey-agency42-ASDFGH",
            "agency42",
            at(2026, 2, 14),
            false,
            &[9],
        ),
        external(
            "x3",
            "vtexappkey-logisticsinc-ZXCVBN",
            "logisticsinc",
            at(2026, 6, 30),
            true,
            &[6, 5],
        ),
        external(
            "x4",
            "vtexappkey-agency42-POIUYT",
            "agency42",
            at(2026, 9, 9),
            true,
            &[],
        ),
    ]
}

fn all_permissions() -> ResourceSet {
    ResourceSet::all()
}

/// Every permission but `lacking`.
fn all_but(lacking: &[Resource]) -> ResourceSet {
    Resource::ALL
        .into_iter()
        .filter(|resource| !lacking.contains(resource))
        .collect()
}

/// A connected session on the "acme" account with everything loaded.
fn populated() -> State {
    let header = Header {
        account: "acme".into(),
        profile: "production".into(),
        caller_key: "vtexappkey-acme-ADMINX".into(),
        trading_name: Some("Acme Outdoor".into()),
        insecure_http: false,
        token_source: None,
    };
    let mut state = State::new(header, now(), false, Duration::from_secs(60));
    state.connection = Connection::Online;
    state.access = Access {
        extensions: Some(true),
        permissions: Some(all_permissions()),
        read_only: false,
    };
    state.settings.token_duration = Some(3);
    state.settings.load = Load::Loaded;
    state.roles = Some(role_details());
    state.keys.rows = keys();
    state.keys.load = Load::Loaded;
    state.keys.pending_toggles.insert("k06".into(), false);
    state.external.rows = external_keys();
    state.external.load = Load::Loaded;
    state.external.pending_toggles.insert("x3".into(), true);
    state.keys.refresh_view(3, now(), 10);
    state.external.refresh_view(10);
    state
}

fn picker(chosen: &[i64], cursor: usize, offset: usize) -> RolePicker {
    let mut picker = RolePicker::new(&role_details(), chosen.iter().copied().collect());
    picker.cursor = cursor;
    picker.offset = offset;
    picker
}

fn fake_token() -> SecretString {
    SecretString::from(format!("FAKETOKEN{}", "X".repeat(91)))
}

fn audit() -> Vec<AuditEntry> {
    let entry = |id, at: Option<Timestamp>, actor: &str, action: &str, detail: &str| AuditEntry {
        id: Some(id),
        at,
        actor: actor.into(),
        action: action.into(),
        target: "vtexappkey-acme-RENEWD".into(),
        detail: detail.into(),
    };
    vec![
        entry(
            3,
            at(2026, 11, 20),
            "vtexappkey-acme-ADMINX",
            "renew",
            "old token kept until deleted",
        ),
        entry(
            2,
            at(2026, 3, 2),
            "vtexappkey-acme-ADMINX",
            "set-roles",
            "added Store Front",
        ),
        entry(
            1,
            at(2025, 8, 1),
            "vtexappkey-acme-ADMINX",
            "create",
            "label \"Marketplace connector\"",
        ),
    ]
}

// ---------------------------------------------------------------------------------------------
// Drawing

/// The buffer as plain text: one line per row, no styles, trailing spaces trimmed.
fn buffer_text(buffer: &Buffer) -> String {
    let area = buffer.area;
    let mut out = String::new();
    for y in 0..area.height {
        let mut line = String::new();
        let mut skip = 0;
        for x in 0..area.width {
            if skip > 0 {
                skip -= 1;
                continue;
            }
            let symbol = buffer[(x, y)].symbol();
            line.push_str(symbol);
            skip = Span::raw(symbol).width().saturating_sub(1);
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out
}

/// Draws the state as the loop would at this size (page rows and views refreshed first).
fn draw(state: &mut State, width: u16, height: u16) -> String {
    state.size = (width, height);
    state.page_rows = view::page_rows(width, height);
    let months = state.token_months();
    state.keys.refresh_view(months, state.now, state.page_rows);
    state.external.refresh_view(state.page_rows);
    let mut terminal = Terminal::new(TestBackend::new(width, height)).unwrap();
    terminal.draw(|frame| view::render(state, frame)).unwrap();
    buffer_text(terminal.backend().buffer())
}

fn with_dialog(dialog: Dialog) -> State {
    let mut state = populated();
    state.dialog = Some(dialog);
    state
}

// ---------------------------------------------------------------------------------------------
// Panes

#[test]
fn settings_pane() {
    let mut state = populated();
    state.tab = Tab::Settings;
    state.settings.cursor_months = 6;
    state.access.permissions = Some(all_but(&[Resource::EditApiKeysSettings]));
    insta::assert_snapshot!("settings_pane", draw(&mut state, 100, 28));
}

#[test]
fn settings_pane_without_extension() {
    let mut state = populated();
    state.tab = Tab::Settings;
    state.header.profile = "demo · local".into();
    state.access = Access {
        extensions: Some(false),
        permissions: None,
        read_only: true,
    };
    state.settings.token_duration = None;
    insta::assert_snapshot!("settings_pane_without_extension", draw(&mut state, 80, 24));
}

#[test]
fn keys_pane() {
    let mut state = populated();
    state.keys.selection.selected = 1;
    insta::assert_snapshot!("keys_pane", draw(&mut state, 120, 24));
}

#[test]
fn keys_pane_80x24() {
    let mut state = populated();
    state.keys.sort = SortBy::TokenAge;
    state.keys.selection.selected = 0;
    insta::assert_snapshot!("keys_pane_80x24", draw(&mut state, 80, 24));
}

#[test]
fn keys_pane_narrow() {
    let mut state = populated();
    state.keys.selection.selected = 2;
    insta::assert_snapshot!("keys_pane_narrow_60x20", draw(&mut state, 60, 20));
}

#[test]
fn keys_pane_wide() {
    let mut state = populated();
    state.keys.sort = SortBy::Created;
    state.keys.reverse = true;
    state
        .requests
        .send(apikeys::tui::action::Call::ListKeys, None);
    insta::assert_snapshot!("keys_pane_wide_160x45", draw(&mut state, 160, 45));
}

#[test]
fn keys_pane_scrolled() {
    let mut state = populated();
    state.keys.selection.selected = 12;
    state.keys.selection.offset = 5;
    insta::assert_snapshot!("keys_pane_scrolled", draw(&mut state, 100, 16));
}

#[test]
fn keys_pane_filtered() {
    let mut state = populated();
    state.keys.filter.input = Input::new("e".into());
    state.keys.filter.editing = true;
    state.keys.status_filter = StatusFilter::Outdated;
    insta::assert_snapshot!("keys_pane_filtered", draw(&mut state, 100, 20));
}

#[test]
fn keys_pane_no_match() {
    let mut state = populated();
    state.keys.filter.input = Input::new("nothing like this".into());
    insta::assert_snapshot!("keys_pane_no_match", draw(&mut state, 80, 16));
}

#[test]
fn keys_pane_loading() {
    let header = Header {
        account: "acme".into(),
        profile: "demo · local".into(),
        caller_key: "vtexappkey-acme-DEMOKY".into(),
        trading_name: None,
        insecure_http: false,
        token_source: None,
    };
    let mut state = State::new(header, now(), false, Duration::from_secs(60));
    state.keys.load = Load::Loading;
    state
        .requests
        .send(apikeys::tui::action::Call::ListKeys, None);
    insta::assert_snapshot!("keys_pane_loading", draw(&mut state, 80, 16));
}

#[test]
fn keys_pane_failed_with_error_status() {
    let mut state = populated();
    state.keys.rows.clear();
    state.keys.visible.clear();
    state.keys.load = Load::Failed(Failure::new(
        apikeys::tui::action::FailureKind::Forbidden { permission: None },
        "Your key lacks the \"View API Keys\" permission (403). Ask an account admin for it.",
    ));
    state.connection = Connection::Offline("connection refused".into());
    state.status = Some(StatusMessage {
        text: "Could not list keys: the server answered 403 Forbidden.".into(),
        kind: MessageKind::Error,
        expires: None,
        about: None,
    });
    insta::assert_snapshot!("keys_pane_failed", draw(&mut state, 100, 16));
}

#[test]
fn external_pane() {
    let mut state = populated();
    state.tab = Tab::External;
    state.external.selection.selected = 1;
    state.status = Some(StatusMessage {
        text: "vtexappkey-agency42-ASDFGH deactivated.".into(),
        kind: MessageKind::Info,
        expires: Some(now() + chrono::Duration::seconds(3)),
        about: None,
    });
    insta::assert_snapshot!("external_pane", draw(&mut state, 100, 16));
}

#[test]
fn external_pane_without_extension() {
    let mut state = populated();
    state.tab = Tab::External;
    state.access.extensions = Some(false);
    state.external.rows.clear();
    state.external.visible.clear();
    state.external.load = Load::NotLoaded;
    insta::assert_snapshot!("external_pane_without_extension", draw(&mut state, 80, 16));
}

#[test]
fn too_small() {
    let mut state = populated();
    insta::assert_snapshot!(
        "too_small",
        draw(&mut state, MIN_WIDTH - 10, MIN_HEIGHT - 2)
    );
}

// ---------------------------------------------------------------------------------------------
// Overlays and dialogs

#[test]
fn help_overlay() {
    let mut state = with_dialog(Dialog::Help(HelpDialog::default()));
    state.access.permissions = Some(all_but(&[Resource::RenewApiToken]));
    insta::assert_snapshot!("help_overlay", draw(&mut state, 100, 34));
}

#[test]
fn confirm_dialog() {
    let mut state = with_dialog(Dialog::Confirm(Confirm {
        title: "Deactivate key".into(),
        body: "Deactivate vtexappkey-acme-ERPSYN (ERP integration)? Integrations that use it stop working until it is activated again.".into(),
        accept: "Deactivate".into(),
        destructive: true,
        change: Change::SetKeyActive {
            id: "k01".into(),
            active: false,
        },
        focus: Focus::Action,
    }));
    insta::assert_snapshot!("confirm_dialog", draw(&mut state, 80, 24));
}

fn delete_dialog(understood: bool) -> Dialog {
    Dialog::DeleteKey(DeleteKeyDialog {
        id: "k05".into(),
        app_key: "vtexappkey-acme-QATEST".into(),
        label: "QA sandbox".into(),
        understood,
        focus: Focus::Action,
    })
}

#[test]
fn delete_key_dialog() {
    let mut state = with_dialog(delete_dialog(false));
    insta::assert_snapshot!("delete_key_unchecked", draw(&mut state, 80, 24));
    let mut state = with_dialog(delete_dialog(true));
    insta::assert_snapshot!("delete_key_checked", draw(&mut state, 80, 24));
}

#[test]
fn new_key_dialog() {
    let mut state = with_dialog(Dialog::NewKey(NewKeyDialog {
        step: NewKeyStep::Label,
        label: Input::new("   ".into()),
        picker: picker(&[], 0, 0),
        error: Some("A label is required: say what the key is for.".into()),
    }));
    insta::assert_snapshot!("new_key_label_error", draw(&mut state, 80, 24));
    let mut state = with_dialog(Dialog::NewKey(NewKeyDialog {
        step: NewKeyStep::Roles,
        label: Input::new("Carrier rates".into()),
        picker: picker(&[4, 6], 11, 2),
        error: None,
    }));
    insta::assert_snapshot!("new_key_roles", draw(&mut state, 80, 24));
}

#[test]
fn edit_roles_dialog() {
    let original: BTreeSet<i64> = [5, 4].into_iter().collect();
    let mut state = with_dialog(Dialog::EditRoles(EditRolesDialog {
        id: "k01".into(),
        app_key: "vtexappkey-acme-ERPSYN".into(),
        picker: picker(&[4, 9], 3, 0),
        original,
    }));
    insta::assert_snapshot!("edit_roles", draw(&mut state, 80, 24));
}

#[test]
fn renew_dialog() {
    let mut state = with_dialog(Dialog::Renew(RenewDialog {
        app_key: "vtexappkey-acme-WMSLNK".into(),
        label: "Warehouse sync".into(),
        delete_now: false,
    }));
    insta::assert_snapshot!("renew", draw(&mut state, 80, 24));
}

#[test]
fn add_external_dialog() {
    let mut state = with_dialog(Dialog::AddExternal(AddExternalDialog {
        step: NewKeyStep::Label,
        app_key: Input::new("vtexappkey-acme-ERPSYN".into()),
        picker: picker(&[], 0, 0),
        error: Some(
            "That key belongs to this account; external keys come from other accounts.".into(),
        ),
    }));
    state.tab = Tab::External;
    insta::assert_snapshot!("add_external_key", draw(&mut state, 80, 24));
    let mut state = with_dialog(Dialog::AddExternal(AddExternalDialog {
        step: NewKeyStep::Roles,
        app_key: Input::new("vtexappkey-partnerco-LKJHGF".into()),
        picker: picker(&[3], 0, 0),
        error: None,
    }));
    state.tab = Tab::External;
    insta::assert_snapshot!("add_external_roles", draw(&mut state, 80, 24));
}

fn token_dialog(revealed: bool) -> Dialog {
    Dialog::Token(TokenDialog {
        app_key: "vtexappkey-acme-WMSLNK".into(),
        label: "Warehouse sync".into(),
        token: fake_token(),
        revealed,
        copied: revealed.then(|| {
            "Sent to your terminal's clipboard (OSC 52); your terminal must allow it.".into()
        }),
        old_token: Some("The old token was kept: it works until you delete it (F).".into()),
        seen: revealed,
        closing: false,
        after_close: None,
    })
}

#[test]
fn token_dialog_masked_and_revealed() {
    let mut state = with_dialog(token_dialog(false));
    insta::assert_snapshot!("token_masked", draw(&mut state, 80, 24));
    let mut state = with_dialog(token_dialog(true));
    insta::assert_snapshot!("token_revealed", draw(&mut state, 120, 24));
}

#[test]
fn minimum_size() {
    let mut state = populated();
    insta::assert_snapshot!("min_size_keys", draw(&mut state, MIN_WIDTH, MIN_HEIGHT));
    // A dialog taller than the screen keeps its keys and says how much it cut.
    let mut state = with_dialog(token_dialog(false));
    insta::assert_snapshot!("min_size_token", draw(&mut state, MIN_WIDTH, MIN_HEIGHT));
}

#[test]
fn details_dialog() {
    let mut state = with_dialog(Dialog::Details(DetailsDialog {
        key_id: "k04".into(),
        audit: Some(Ok(audit())),
        ..DetailsDialog::default()
    }));
    insta::assert_snapshot!("details", draw(&mut state, 100, 30));
    let mut state = with_dialog(Dialog::Details(DetailsDialog {
        key_id: "k02".into(),
        audit: Some(Err(Failure::new(
            apikeys::tui::action::FailureKind::Unavailable,
            "not found",
        ))),
        ..DetailsDialog::default()
    }));
    insta::assert_snapshot!("details_without_audit", draw(&mut state, 80, 24));
}

// ---------------------------------------------------------------------------------------------
// Never panic

fn every_dialog() -> Vec<Option<Dialog>> {
    vec![
        None,
        Some(Dialog::Help(HelpDialog::default())),
        Some(Dialog::Confirm(Confirm {
            title: "Remove external key".into(),
            body: "Remove vtexappkey-partnerco-QWERTY? It loses access to this account.".into(),
            accept: "Remove".into(),
            destructive: true,
            change: Change::RemoveExternal {
                id: "x1".into(),
                app_key: "vtexappkey-partnerco-QWERTY".into(),
            },
            focus: Focus::Action,
        })),
        Some(delete_dialog(true)),
        Some(Dialog::NewKey(NewKeyDialog {
            step: NewKeyStep::Label,
            label: Input::new("x".repeat(300)),
            picker: picker(&[], 0, 0),
            error: Some("too long".into()),
        })),
        Some(Dialog::NewKey(NewKeyDialog {
            step: NewKeyStep::Roles,
            label: Input::new("Carrier rates".into()),
            picker: picker(&[1], 11, 0),
            error: None,
        })),
        Some(Dialog::EditRoles(EditRolesDialog {
            id: "k01".into(),
            app_key: "vtexappkey-acme-ERPSYN".into(),
            picker: picker(&[5], 6, 9),
            original: [5].into_iter().collect(),
        })),
        Some(Dialog::Renew(RenewDialog {
            app_key: "vtexappkey-acme-WMSLNK".into(),
            label: "Warehouse sync".into(),
            delete_now: true,
        })),
        Some(Dialog::AddExternal(AddExternalDialog {
            step: NewKeyStep::Roles,
            app_key: Input::new("vtexappkey-partnerco-LKJHGF".into()),
            picker: RolePicker::default(),
            error: None,
        })),
        Some(token_dialog(true)),
        Some(Dialog::Details(DetailsDialog {
            key_id: "k04".into(),
            audit: Some(Ok(audit())),
            ..DetailsDialog::default()
        })),
        Some(Dialog::Details(DetailsDialog {
            key_id: "gone".into(),
            audit: None,
            ..DetailsDialog::default()
        })),
    ]
}

#[test]
fn never_panics_at_any_size() {
    for tab in Tab::ALL {
        for dialog in every_dialog() {
            let mut state = populated();
            state.tab = tab;
            state.dialog = dialog;
            state.keys.filter.input = Input::new("a".into());
            state.keys.filter.editing = tab == Tab::Keys;
            state
                .requests
                .send(apikeys::tui::action::Call::ListKeys, None);
            state.status = Some(StatusMessage {
                text: "x".repeat(400),
                kind: MessageKind::Error,
                expires: None,
                about: None,
            });
            for width in (1..=80).step_by(3).chain([MIN_WIDTH - 1, MIN_WIDTH, 81]) {
                for height in (1..=30).step_by(2).chain([MIN_HEIGHT - 1, MIN_HEIGHT]) {
                    let text = draw(&mut state, width, height);
                    let lines: Vec<&str> = text.lines().collect();
                    let what = format!("{tab:?} at {width}x{height}:\n{text}");
                    if width >= MIN_WIDTH && height >= MIN_HEIGHT {
                        // The title on the first row; the key bar (one or two rows) at
                        // the bottom, below the status line (its "xxx…" error) and below
                        // anything a dialog draws.
                        assert!(lines[0].starts_with(" apikeys"), "{what}");
                        // Title, tabs, info line, header, rows, status line, bar.
                        let bar_rows = usize::from(height) - 5 - view::page_rows(width, height);
                        let bar = &lines[lines.len() - bar_rows..];
                        assert!(bar.iter().any(|l| l.trim().len() > 2), "{what}");
                        assert!(!bar.iter().any(|l| l.contains("xxx")), "{what}");
                        assert!(!bar.iter().any(|l| l.contains(['│', '└', '┘'])), "{what}");
                    } else {
                        // Only the "too small" message, from its first word.
                        let first = text.split_whitespace().next().unwrap_or_default();
                        assert!(
                            "Terminal".starts_with(first) || first.starts_with("Terminal"),
                            "{what}"
                        );
                    }
                }
            }
        }
    }
}

#[test]
fn page_rows_match_the_drawing() {
    // Title, tabs, info line and header above the rows; status line and key bar below. The
    // key bar takes two lines when one cannot hold the widest tab's bindings.
    for (width, expected) in [(100, 9), (170, 10)] {
        let mut state = populated();
        let text = draw(&mut state, width, 16);
        let rows = view::page_rows(width, 16);
        assert_eq!(rows, expected, "at width {width}");
        let table_rows = text
            .lines()
            .skip(4)
            .take_while(|line| line.contains("vtexappkey-acme-"))
            .count();
        assert_eq!(table_rows, rows, "at width {width}:\n{text}");
    }
}
