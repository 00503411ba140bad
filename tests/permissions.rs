//! The permission matrix: every authenticated operation against every kind of caller.
//!
//! Rule: every endpoint but `apptoken/login` needs `X-VTEX-API-AppKey` + `X-VTEX-API-AppToken`
//! (or a login session in `VtexIdclientAutCookie`). 401 for missing, unknown or wrong
//! credentials and for an inactive key; 403 when the key's roles lack the endpoint's resource;
//! a key of another account never sees or changes this account's data (404, not 403).
//!
//! One test per operation, each on its own server. Each (operation, caller) cell acts on
//! fixtures made fresh for it (a target key holding a role, a pending renewal, an external
//! key), and compares both accounts' state before and after the call: a refused call changes
//! nothing, an allowed one changes only the caller's own account.

mod common;

use std::collections::BTreeSet;
use std::sync::atomic::{AtomicU32, Ordering};

use apikeys::permissions::Resource;
use common::{ACCOUNT, Creds, Reply, TestKey, TestServer};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

const OTHER_ACCOUNT: &str = "globex";
const LOGIN: &str = "/api/vtexid/apptoken/login";
const USER_TOKEN_HEADER: &str = "VtexIdclientAutCookie";

// ---------------------------------------------------------------------------------------------
// The table
// ---------------------------------------------------------------------------------------------

/// Whether an operation names something of the first account (an id or an appKey), or acts on
/// the caller's own account as a whole.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Scope {
    /// Names a key of the first account: a key of another account gets 404.
    Named,
    /// Acts on the caller's account: a key of another account succeeds, in its own account.
    Account,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Op {
    ListKeys,
    CreateKey,
    SetKeyStatus,
    DeleteKey,
    KeyRoles,
    AddKeyRoles,
    RemoveKeyRole,
    RoleList,
    Renew,
    FinishRenewal,
    UndoRenewal,
    SettingsGet,
    SettingsPut,
    ExternalList,
    ExternalAdd,
    ExternalStatus,
    ExternalRemove,
    Session,
    Audit,
    AccountInfo,
}

/// What a cell acts on, made by the admin just before the call.
struct Fixture {
    /// A fresh key holding "API Keys Viewer".
    target: TestKey,
    viewer_role: i64,
    renewer_role: i64,
    /// A fresh external key, for the rows that need one.
    external_id: Option<String>,
    /// An appKey of another account never added here, for external add.
    new_external_app_key: String,
    /// A token duration other than the account's current one.
    other_months: u64,
}

impl Fixture {
    fn external_id(&self) -> &str {
        self.external_id
            .as_deref()
            .expect("this row sets up an external key")
    }
}

struct Row {
    op: Op,
    method: Method,
    /// The route as the router declares it.
    route: &'static str,
    path: fn(&Fixture) -> String,
    body: fn(&Fixture) -> Option<Value>,
    needs: Resource,
    success: StatusCode,
    scope: Scope,
    /// Whether a successful call changes stored state.
    mutates: bool,
    /// Start a renewal of the target before the call.
    pending_renewal: bool,
    /// Add an external key before the call.
    external: bool,
}

fn no_body(_: &Fixture) -> Option<Value> {
    None
}

#[allow(clippy::too_many_arguments)]
fn row(
    op: Op,
    method: Method,
    route: &'static str,
    path: fn(&Fixture) -> String,
    body: fn(&Fixture) -> Option<Value>,
    needs: Resource,
    success: StatusCode,
    scope: Scope,
) -> Row {
    Row {
        mutates: method != Method::GET,
        op,
        method,
        route,
        path,
        body,
        needs,
        success,
        scope,
        pending_renewal: matches!(op, Op::FinishRenewal | Op::UndoRenewal),
        external: matches!(op, Op::ExternalStatus | Op::ExternalRemove),
    }
}

fn rows() -> Vec<Row> {
    use Resource::ViewApiKeys as View;
    use Resource::{EditApiKeys as Edit, EditApiKeysSettings as Settings, RenewApiToken as Renew};
    use Scope::{Account, Named};
    const OK: StatusCode = StatusCode::OK;
    const NO_CONTENT: StatusCode = StatusCode::NO_CONTENT;
    vec![
        row(
            Op::ListKeys,
            Method::GET,
            "/api/vlm/appkeys",
            |_| "/api/vlm/appkeys?expand=roles,token".into(),
            no_body,
            View,
            OK,
            Account,
        ),
        row(
            Op::CreateKey,
            Method::POST,
            "/api/vlm/appkeys",
            |_| "/api/vlm/appkeys".into(),
            |_| Some(json!({"label": "made in the permission matrix"})),
            Edit,
            OK,
            Account,
        ),
        row(
            Op::SetKeyStatus,
            Method::PUT,
            "/api/vlm/appkeys/{id}",
            |f| format!("/api/vlm/appkeys/{}", f.target.id),
            |_| Some(json!({"isActive": false})),
            Edit,
            OK,
            Named,
        ),
        row(
            Op::DeleteKey,
            Method::DELETE,
            "/api/vlm/appkeys/{id}",
            |f| format!("/api/vlm/appkeys/{}", f.target.id),
            no_body,
            Edit,
            NO_CONTENT,
            Named,
        ),
        row(
            Op::KeyRoles,
            Method::GET,
            "/api/license-manager/users/{userId}/roles",
            |f| format!("/api/license-manager/users/{}/roles", f.target.id),
            no_body,
            View,
            OK,
            Named,
        ),
        row(
            Op::AddKeyRoles,
            Method::PUT,
            "/api/license-manager/users/{userId}/roles",
            |f| format!("/api/license-manager/users/{}/roles", f.target.id),
            |f| Some(json!([f.renewer_role])),
            Edit,
            NO_CONTENT,
            Named,
        ),
        row(
            Op::RemoveKeyRole,
            Method::DELETE,
            "/api/license-manager/users/{userId}/roles/{roleId}",
            |f| {
                format!(
                    "/api/license-manager/users/{}/roles/{}",
                    f.target.id, f.viewer_role
                )
            },
            no_body,
            Edit,
            NO_CONTENT,
            Named,
        ),
        row(
            Op::RoleList,
            Method::GET,
            "/api/license-manager/site/pvt/roles/list/paged",
            |_| "/api/license-manager/site/pvt/roles/list/paged".into(),
            no_body,
            View,
            OK,
            Account,
        ),
        row(
            Op::Renew,
            Method::PATCH,
            "/api/vtexid/apikey/{apiKey}/apitoken/renew",
            |f| {
                format!(
                    "/api/vtexid/apikey/{}/apitoken/renew",
                    f.target.creds.app_key
                )
            },
            no_body,
            Renew,
            OK,
            Named,
        ),
        row(
            Op::FinishRenewal,
            Method::PATCH,
            "/api/vtexid/apikey/{apiKey}/apitoken/finish-renewal",
            |f| {
                format!(
                    "/api/vtexid/apikey/{}/apitoken/finish-renewal",
                    f.target.creds.app_key
                )
            },
            no_body,
            Renew,
            OK,
            Named,
        ),
        row(
            Op::UndoRenewal,
            Method::PATCH,
            "/api/vtexid/apikey/{apiKey}/apitoken/undo-renewal",
            |f| {
                format!(
                    "/api/vtexid/apikey/{}/apitoken/undo-renewal",
                    f.target.creds.app_key
                )
            },
            no_body,
            Renew,
            OK,
            Named,
        ),
        row(
            Op::SettingsGet,
            Method::GET,
            "/api/vlm/appkeys-settings",
            |_| "/api/vlm/appkeys-settings".into(),
            no_body,
            View,
            OK,
            Account,
        ),
        row(
            Op::SettingsPut,
            Method::PUT,
            "/api/vlm/appkeys-settings",
            |_| "/api/vlm/appkeys-settings".into(),
            |f| Some(json!({"tokenDurationMonths": f.other_months})),
            Settings,
            OK,
            Account,
        ),
        row(
            Op::ExternalList,
            Method::GET,
            "/api/vlm/external-appkeys",
            |_| "/api/vlm/external-appkeys?expand=roles".into(),
            no_body,
            View,
            OK,
            Account,
        ),
        row(
            Op::ExternalAdd,
            Method::POST,
            "/api/vlm/external-appkeys",
            |_| "/api/vlm/external-appkeys".into(),
            // No roles: role ids are per account, and another account's caller must succeed too.
            |f| Some(json!({"appKey": f.new_external_app_key})),
            Edit,
            OK,
            Account,
        ),
        row(
            Op::ExternalStatus,
            Method::PUT,
            "/api/vlm/external-appkeys/{id}",
            |f| format!("/api/vlm/external-appkeys/{}", f.external_id()),
            |_| Some(json!({"isActive": false})),
            Edit,
            OK,
            Named,
        ),
        row(
            Op::ExternalRemove,
            Method::DELETE,
            "/api/vlm/external-appkeys/{id}",
            |f| format!("/api/vlm/external-appkeys/{}", f.external_id()),
            no_body,
            Edit,
            NO_CONTENT,
            Named,
        ),
        row(
            Op::Session,
            Method::GET,
            "/api/vlm/session",
            |_| "/api/vlm/session".into(),
            no_body,
            View,
            OK,
            Account,
        ),
        row(
            Op::Audit,
            Method::GET,
            "/api/vlm/audit",
            |_| "/api/vlm/audit?limit=1000".into(),
            no_body,
            View,
            OK,
            Account,
        ),
        row(
            Op::AccountInfo,
            Method::GET,
            "/api/vlm/account",
            |_| "/api/vlm/account".into(),
            no_body,
            View,
            OK,
            Account,
        ),
    ]
}

// ---------------------------------------------------------------------------------------------
// The callers
// ---------------------------------------------------------------------------------------------

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Caller {
    /// A key whose only role holds exactly this resource.
    Only(Resource),
    /// A key with no role at all.
    NoRole,
    /// A key holding all four resources, deactivated.
    Inactive,
    /// The admin's appKey with a well-formed token that is nobody's.
    WrongToken,
    /// No auth headers.
    NoHeaders,
    /// The admin's appKey with the token of another key of the account.
    OtherKeysToken,
    /// The admin key of another account, which holds all four resources there.
    OtherAccount,
}

const CALLERS: [Caller; 10] = [
    Caller::Only(Resource::ViewApiKeys),
    Caller::Only(Resource::EditApiKeys),
    Caller::Only(Resource::RenewApiToken),
    Caller::Only(Resource::EditApiKeysSettings),
    Caller::NoRole,
    Caller::Inactive,
    Caller::WrongToken,
    Caller::NoHeaders,
    Caller::OtherKeysToken,
    Caller::OtherAccount,
];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Expect {
    Success,
    Unauthorized,
    Forbidden,
    NotFound,
}

fn expected(row: &Row, caller: Caller) -> Expect {
    match caller {
        Caller::Only(resource) if resource == row.needs => Expect::Success,
        Caller::Only(_) | Caller::NoRole => Expect::Forbidden,
        Caller::Inactive | Caller::WrongToken | Caller::NoHeaders | Caller::OtherKeysToken => {
            Expect::Unauthorized
        }
        Caller::OtherAccount => match row.scope {
            Scope::Named => Expect::NotFound,
            Scope::Account => Expect::Success,
        },
    }
}

/// One server with every kind of caller.
struct World {
    server: TestServer,
    only: Vec<(Resource, Creds)>,
    no_role: Creds,
    inactive: Creds,
    wrong_token: Creds,
    other_keys_token: Creds,
    other_account: Creds,
    counter: AtomicU32,
}

impl World {
    async fn new() -> World {
        let server = TestServer::start().await;
        let mut only = Vec::new();
        for resource in Resource::ALL {
            let role = format!("only {}", resource.display_name());
            server.create_role(&role, &[resource]);
            let key = server
                .key_with_roles(&format!("holds only {}", resource.key()), &[&role])
                .await;
            only.push((resource, key.creds));
        }
        let no_role = server.key_with_roles("holds no role", &[]).await.creds;

        server.create_role("all four", &Resource::ALL);
        let inactive = server.key_with_roles("inactive", &["all four"]).await;
        let session = server.get(&inactive.creds, "/api/vlm/session").await;
        assert_eq!(session.status, StatusCode::OK, "{}", session.text);
        assert_eq!(
            session.body["resources"],
            json!(Resource::ALL.map(Resource::key)),
            "before deactivation the inactive caller holds all four resources"
        );
        let deactivated = server
            .admin_call(
                Method::PUT,
                &format!("/api/vlm/appkeys/{}", inactive.id),
                Some(json!({"isActive": false})),
            )
            .await;
        assert_eq!(deactivated.status, StatusCode::OK, "{}", deactivated.text);

        let wrong_token = Creds {
            app_key: server.admin.app_key.clone(),
            token: "Q".repeat(100),
        };
        assert_ne!(wrong_token.token, server.admin.token);
        let other_keys_token = Creds {
            app_key: server.admin.app_key.clone(),
            token: only[0].1.token.clone(),
        };
        let other_account = server.other_account(OTHER_ACCOUNT);
        assert!(
            other_account
                .app_key
                .starts_with(&format!("vtexappkey-{OTHER_ACCOUNT}-"))
        );

        World {
            server,
            only,
            no_role,
            inactive: inactive.creds,
            wrong_token,
            other_keys_token,
            other_account,
            counter: AtomicU32::new(0),
        }
    }

    fn creds(&self, caller: Caller) -> Option<Creds> {
        Some(match caller {
            Caller::Only(resource) => self
                .only
                .iter()
                .find(|(r, _)| *r == resource)
                .unwrap()
                .1
                .clone(),
            Caller::NoRole => self.no_role.clone(),
            Caller::Inactive => self.inactive.clone(),
            Caller::WrongToken => self.wrong_token.clone(),
            Caller::NoHeaders => return None,
            Caller::OtherKeysToken => self.other_keys_token.clone(),
            Caller::OtherAccount => self.other_account.clone(),
        })
    }

    fn next(&self) -> u32 {
        self.counter.fetch_add(1, Ordering::Relaxed)
    }

    async fn fixture(&self, row: &Row) -> Fixture {
        let server = &self.server;
        let n = self.next();
        let target = server
            .key_with_roles(&format!("target {n}"), &["API Keys Viewer"])
            .await;
        if row.pending_renewal {
            let renewed = server
                .admin_call(
                    Method::PATCH,
                    &format!("/api/vtexid/apikey/{}/apitoken/renew", target.creds.app_key),
                    None,
                )
                .await;
            assert_eq!(renewed.status, StatusCode::OK, "{}", renewed.text);
        }
        let external_id = if row.external {
            let added = server
                .admin_call(
                    Method::POST,
                    "/api/vlm/external-appkeys",
                    Some(json!({"appKey": format!("vtexappkey-initech-{}", letters(n))})),
                )
                .await;
            assert_eq!(added.status, StatusCode::OK, "{}", added.text);
            Some(added.body["id"].as_str().unwrap().to_string())
        } else {
            None
        };
        let settings = server
            .get(&server.admin.clone(), "/api/vlm/appkeys-settings")
            .await;
        let months = settings.body["tokenDurationMonths"].as_u64().unwrap();
        Fixture {
            target,
            viewer_role: server.role_id("API Keys Viewer"),
            renewer_role: server.role_id("API Token Renewer"),
            external_id,
            new_external_app_key: format!("vtexappkey-partner-{}", letters(n)),
            other_months: if months == 3 { 6 } else { 3 },
        }
    }
}

/// Six uppercase letters, distinct for each `n` below 26^6.
fn letters(mut n: u32) -> String {
    (0..6)
        .map(|_| {
            let c = char::from(b'A' + (n % 26) as u8);
            n /= 26;
            c
        })
        .collect()
}

// ---------------------------------------------------------------------------------------------
// Checking a cell
// ---------------------------------------------------------------------------------------------

/// Everything an account's admin can read about it, for before/after comparisons.
async fn snapshot(server: &TestServer, admin: &Creds) -> Vec<(&'static str, Value)> {
    let mut parts = Vec::new();
    for (name, path) in [
        ("keys", "/api/vlm/appkeys?expand=roles,token"),
        ("external keys", "/api/vlm/external-appkeys?expand=roles"),
        ("settings", "/api/vlm/appkeys-settings"),
        ("audit", "/api/vlm/audit?limit=1000"),
    ] {
        let reply = server.get(admin, path).await;
        assert_eq!(
            reply.status,
            StatusCode::OK,
            "snapshot {path}: {}",
            reply.text
        );
        parts.push((name, reply.body));
    }
    parts
}

/// The parts of two snapshots that differ.
fn changed_parts(before: &[(&str, Value)], after: &[(&str, Value)]) -> Vec<String> {
    before
        .iter()
        .zip(after)
        .filter(|((_, b), (_, a))| a != b)
        .map(|((name, _), _)| name.to_string())
        .collect()
}

/// Every id and appKey of an account, as a snapshot shows them.
fn identifiers(snapshot: &[(&str, Value)]) -> Vec<String> {
    let mut found = Vec::new();
    for (name, value) in snapshot {
        if *name == "keys" || *name == "external keys" {
            for item in value.as_array().unwrap() {
                for field in ["id", "appKey"] {
                    found.push(item[field].as_str().unwrap().to_string());
                }
            }
        }
    }
    found
}

async fn check_cell(world: &World, row: &Row, caller: Caller, failures: &mut Vec<String>) {
    let server = &world.server;
    let fixture = world.fixture(row).await;
    let admin = server.admin.clone();
    let acme_before = snapshot(server, &admin).await;
    let globex_before = snapshot(server, &world.other_account).await;

    let creds = world.creds(caller);
    let path = (row.path)(&fixture);
    let reply = server
        .call(
            creds.as_ref(),
            row.method.clone(),
            &path,
            (row.body)(&fixture),
        )
        .await;
    let cell = format!("{:?} ({} {path}) as {caller:?}", row.op, row.method);
    let mut fail = |what: String| failures.push(format!("{cell}: {what}"));

    let expect = expected(row, caller);
    let status = match expect {
        Expect::Success => row.success,
        Expect::Unauthorized => StatusCode::UNAUTHORIZED,
        Expect::Forbidden => StatusCode::FORBIDDEN,
        Expect::NotFound => StatusCode::NOT_FOUND,
    };
    if reply.status != status {
        fail(format!(
            "expected {status} ({expect:?}), got {}: {}",
            reply.status, reply.text
        ));
        return;
    }

    match expect {
        Expect::Forbidden => check_forbidden(row.needs, &reply, &mut fail),
        Expect::Unauthorized => {
            if reply.message().is_empty() {
                fail(format!("a 401 without a Message: {}", reply.text));
            }
            if let Some(creds) = &creds
                && reply.text.contains(&creds.token)
            {
                fail("the 401 echoes the token it was sent".into());
            }
        }
        Expect::NotFound => {
            if reply.message().is_empty() {
                fail(format!("a 404 without a Message: {}", reply.text));
            }
        }
        Expect::Success if caller == Caller::OtherAccount => {
            check_foreign_success(row.op, &reply, &acme_before, world, &mut fail)
        }
        Expect::Success => check_own_success(row.op, &reply, &fixture, &creds, &mut fail),
    }

    // A refused call changes nothing; an allowed one changes only the caller's account.
    let succeeded = expect == Expect::Success;
    let foreign = caller == Caller::OtherAccount;
    let acme_after = snapshot(server, &admin).await;
    let globex_after = snapshot(server, &world.other_account).await;
    for (account, before, after, should_change) in [
        (
            ACCOUNT,
            &acme_before,
            &acme_after,
            succeeded && row.mutates && !foreign,
        ),
        (
            OTHER_ACCOUNT,
            &globex_before,
            &globex_after,
            succeeded && row.mutates && foreign,
        ),
    ] {
        let changed = changed_parts(before, after);
        if should_change && changed.is_empty() {
            fail(format!(
                "answered {} but nothing changed in account {account}",
                reply.status
            ));
        }
        if !should_change && !changed.is_empty() {
            fail(format!(
                "answered {} and changed account {account}: {}",
                reply.status,
                changed.join(", ")
            ));
        }
    }
    // Spelled out for the most destructive refusal: the key is still listed.
    if row.op == Op::DeleteKey && !succeeded {
        let listed = acme_after[0].1.as_array().unwrap();
        if !listed.iter().any(|k| k["id"] == fixture.target.id.as_str()) {
            fail("a refused delete removed the key".into());
        }
    }
}

fn check_forbidden(needs: Resource, reply: &Reply, fail: &mut impl FnMut(String)) {
    let message = reply.message();
    if !message.contains(needs.display_name()) {
        fail(format!(
            "the 403 does not name {:?}: {}",
            needs.display_name(),
            reply.text
        ));
    }
    for other in Resource::ALL {
        if other != needs
            && !needs.display_name().contains(other.display_name())
            && message.contains(other.display_name())
        {
            fail(format!(
                "the 403 names {:?}, not the missing {:?}: {}",
                other.display_name(),
                needs.display_name(),
                reply.text
            ));
        }
    }
}

/// The other account's admin succeeded: only its own account may show through.
fn check_foreign_success(
    op: Op,
    reply: &Reply,
    acme: &[(&str, Value)],
    world: &World,
    fail: &mut impl FnMut(String),
) {
    let own_prefix = format!("vtexappkey-{ACCOUNT}-");
    if reply.text.contains(&own_prefix) {
        fail(format!("shows a key of {ACCOUNT}: {}", reply.text));
    }
    for id in identifiers(acme) {
        if reply.text.contains(&id) {
            fail(format!("shows {id} of {ACCOUNT}: {}", reply.text));
        }
    }
    let theirs = format!("vtexappkey-{OTHER_ACCOUNT}-");
    // Every item of a list answer names something of the other account.
    let all_theirs = |field: &str| {
        reply.body.as_array().is_some_and(|items| {
            !items.is_empty()
                && items
                    .iter()
                    .all(|item| item[field].as_str().unwrap_or("").starts_with(&theirs))
        })
    };
    let own_data = match op {
        Op::ListKeys => all_theirs("appKey"),
        Op::Audit => all_theirs("target"),
        Op::ExternalList => reply.body.is_array(),
        Op::Session => {
            reply.body["account"] == OTHER_ACCOUNT
                && reply.body["appKey"] == world.other_account.app_key.as_str()
        }
        Op::CreateKey => reply.body["appKey"]
            .as_str()
            .unwrap_or("")
            .starts_with(&theirs),
        _ => true,
    };
    if !own_data {
        fail(format!(
            "the answer is not about {OTHER_ACCOUNT}'s own account: {}",
            reply.text
        ));
    }
}

/// A key of the account holding the needed resource succeeded.
fn check_own_success(
    op: Op,
    reply: &Reply,
    fixture: &Fixture,
    creds: &Option<Creds>,
    fail: &mut impl FnMut(String),
) {
    let has_target = |reply: &Reply| {
        reply
            .body
            .as_array()
            .is_some_and(|keys| keys.iter().any(|k| k["id"] == fixture.target.id.as_str()))
    };
    match op {
        Op::ListKeys if !has_target(reply) => {
            fail(format!("the listing lacks the target key: {}", reply.text));
        }
        Op::KeyRoles if !reply.text.contains("API Keys Viewer") => {
            fail(format!("the target's role is not listed: {}", reply.text));
        }
        Op::Session => {
            let creds = creds.as_ref().unwrap();
            if reply.body["account"] != ACCOUNT
                || reply.body["appKey"] != creds.app_key.as_str()
                || reply.body["resources"] != json!([Resource::ViewApiKeys.key()])
            {
                fail(format!(
                    "the session does not describe the caller: {}",
                    reply.text
                ));
            }
        }
        Op::Renew => {
            let token = reply.body["newToken"].as_str().unwrap_or("");
            if token.len() != 100 {
                fail(format!("no new token: {}", reply.text));
            }
        }
        Op::CreateKey
            if !reply.body["appKey"]
                .as_str()
                .unwrap_or("")
                .starts_with(&format!("vtexappkey-{ACCOUNT}-")) =>
        {
            fail(format!("not a key of {ACCOUNT}: {}", reply.text));
        }
        _ => {}
    }
}

async fn check_row(op: Op) {
    let world = World::new().await;
    let table = rows();
    let row = table.iter().find(|r| r.op == op).unwrap();
    let mut failures = Vec::new();
    for caller in CALLERS {
        check_cell(&world, row, caller, &mut failures).await;
    }
    assert!(
        failures.is_empty(),
        "{} failure(s) in the {} cells of {op:?}:\n  {}",
        failures.len(),
        CALLERS.len(),
        failures.join("\n  ")
    );
}

macro_rules! matrix {
    ($($test:ident => $op:ident),* $(,)?) => {
        $(
            #[tokio::test]
            async fn $test() {
                check_row(Op::$op).await;
            }
        )*
    };
}

matrix! {
    matrix_list_keys => ListKeys,
    matrix_create_key => CreateKey,
    matrix_set_key_status => SetKeyStatus,
    matrix_delete_key => DeleteKey,
    matrix_key_roles => KeyRoles,
    matrix_add_key_roles => AddKeyRoles,
    matrix_remove_key_role => RemoveKeyRole,
    matrix_role_list => RoleList,
    matrix_renew => Renew,
    matrix_finish_renewal => FinishRenewal,
    matrix_undo_renewal => UndoRenewal,
    matrix_settings_get => SettingsGet,
    matrix_settings_put => SettingsPut,
    matrix_external_list => ExternalList,
    matrix_external_add => ExternalAdd,
    matrix_external_status => ExternalStatus,
    matrix_external_remove => ExternalRemove,
    matrix_session => Session,
    matrix_audit => Audit,
    matrix_account_info => AccountInfo,
}

#[test]
fn the_matrix_covers_every_routed_operation_but_login() {
    let routed: BTreeSet<(String, String)> = apikeys::server::api::operations()
        .into_iter()
        .filter(|(method, path)| !(method == "POST" && path == LOGIN))
        .collect();
    let table = rows();
    let covered: BTreeSet<(String, String)> = table
        .iter()
        .map(|r| (r.method.to_string(), r.route.to_string()))
        .collect();
    assert_eq!(
        covered.len(),
        table.len(),
        "a route appears twice in the table"
    );
    assert_eq!(covered, routed);
    assert_eq!(table.len(), 20);
}

// ---------------------------------------------------------------------------------------------
// apptoken/login and its user token
// ---------------------------------------------------------------------------------------------

async fn login(server: &TestServer, app_key: &str, app_token: &str) -> Reply {
    server
        .call(
            None,
            Method::POST,
            LOGIN,
            Some(json!({"appkey": app_key, "apptoken": app_token})),
        )
        .await
}

/// Logs in and returns the user token, checking the answer is a success.
async fn session_token(server: &TestServer, creds: &Creds) -> String {
    let reply = login(server, &creds.app_key, &creds.token).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.text);
    assert_eq!(reply.body["authStatus"], "Success", "{}", reply.text);
    let token = reply.body["token"].as_str().unwrap().to_string();
    assert!(!token.is_empty());
    assert_ne!(token, creds.token, "the user token is not the app token");
    let expires = reply.body["expires"].as_i64().unwrap();
    assert!(expires > chrono_now(), "{}", reply.text);
    token
}

fn chrono_now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64
}

/// Sends a request authenticated only by a user token.
async fn with_user_token(
    server: &TestServer,
    token: &str,
    method: Method,
    path: &str,
    body: Option<Value>,
) -> Reply {
    let mut request = reqwest::Client::new()
        .request(method, server.url(path))
        .header(USER_TOKEN_HEADER, token);
    if let Some(body) = body {
        request = request.json(&body);
    }
    let response = request.send().await.unwrap();
    let status = response.status();
    let text = response.text().await.unwrap();
    let body = if text.is_empty() {
        Value::Null
    } else {
        serde_json::from_str(&text).unwrap_or_else(|_| panic!("non-JSON ({status}): {text}"))
    };
    Reply { status, text, body }
}

#[tokio::test]
async fn login_needs_no_auth_and_its_user_token_works_like_the_key() {
    let server = TestServer::start().await;
    let admin = server.admin.clone();
    let token = session_token(&server, &admin).await;

    // The listing through the session is the listing through the key.
    let by_session = with_user_token(&server, &token, Method::GET, "/api/vlm/appkeys", None).await;
    assert_eq!(by_session.status, StatusCode::OK, "{}", by_session.text);
    let by_key = server.get(&admin, "/api/vlm/appkeys").await;
    assert_eq!(by_session.body, by_key.body);

    let session = with_user_token(&server, &token, Method::GET, "/api/vlm/session", None).await;
    assert_eq!(session.status, StatusCode::OK, "{}", session.text);
    assert_eq!(session.body["account"], ACCOUNT);
    assert_eq!(session.body["appKey"], admin.app_key.as_str());
    assert_eq!(
        session.body["resources"],
        json!(Resource::ALL.map(Resource::key))
    );

    // It carries the key's rights for changes too.
    let created = with_user_token(
        &server,
        &token,
        Method::POST,
        "/api/vlm/appkeys",
        Some(json!({"label": "made through a session"})),
    )
    .await;
    assert_eq!(created.status, StatusCode::OK, "{}", created.text);

    // ...and only the key's rights: a viewer's session may list but not create.
    let viewer = server.key_with_roles("viewer", &["API Keys Viewer"]).await;
    let viewer_token = session_token(&server, &viewer.creds).await;
    let listed = with_user_token(
        &server,
        &viewer_token,
        Method::GET,
        "/api/vlm/appkeys",
        None,
    )
    .await;
    assert_eq!(listed.status, StatusCode::OK, "{}", listed.text);
    let refused = with_user_token(
        &server,
        &viewer_token,
        Method::POST,
        "/api/vlm/appkeys",
        Some(json!({"label": "not allowed"})),
    )
    .await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN, "{}", refused.text);
    assert!(
        refused.message().contains("Edit API Keys"),
        "{}",
        refused.text
    );

    // A user token that was never issued is a 401.
    let forged = with_user_token(
        &server,
        &"Z".repeat(100),
        Method::GET,
        "/api/vlm/appkeys",
        None,
    )
    .await;
    assert_eq!(forged.status, StatusCode::UNAUTHORIZED, "{}", forged.text);

    // An app token is not a user token.
    let app_token_as_cookie =
        with_user_token(&server, &admin.token, Method::GET, "/api/vlm/appkeys", None).await;
    assert_eq!(
        app_token_as_cookie.status,
        StatusCode::UNAUTHORIZED,
        "{}",
        app_token_as_cookie.text
    );
}

#[tokio::test]
async fn login_with_wrong_credentials_answers_wrong_credentials_and_no_token() {
    let server = TestServer::start().await;
    let admin = server.admin.clone();
    let other = server.key_with_roles("other", &["API Keys Viewer"]).await;
    let inactive = server
        .key_with_roles("inactive", &["API Keys Viewer"])
        .await;
    let off = server
        .admin_call(
            Method::PUT,
            &format!("/api/vlm/appkeys/{}", inactive.id),
            Some(json!({"isActive": false})),
        )
        .await;
    assert_eq!(off.status, StatusCode::OK, "{}", off.text);
    let globex = server.other_account(OTHER_ACCOUNT);

    let wrong = "Q".repeat(100);
    let cases: Vec<(&str, &str, &str)> = vec![
        ("a wrong token", &admin.app_key, &wrong),
        ("another key's token", &admin.app_key, &other.creds.token),
        ("an unknown appKey", "vtexappkey-acme-ZZZZZZ", &admin.token),
        (
            "an inactive key",
            &inactive.creds.app_key,
            &inactive.creds.token,
        ),
        ("another account's appKey", &globex.app_key, &admin.token),
        ("an empty token", &admin.app_key, ""),
    ];
    for (case, app_key, app_token) in cases {
        let reply = login(&server, app_key, app_token).await;
        assert_eq!(reply.status, StatusCode::OK, "{case}: {}", reply.text);
        assert_eq!(
            reply.body["authStatus"], "WrongCredentials",
            "{case}: {}",
            reply.text
        );
        assert_eq!(reply.body["token"], Value::Null, "{case}: {}", reply.text);
        if !app_token.is_empty() {
            assert!(
                !reply.text.contains(app_token),
                "{case}: the answer echoes the token"
            );
        }
    }

    // Auth headers are not what login looks at: wrong ones do not stop a right body.
    let reply = server
        .call(
            Some(&Creds {
                app_key: admin.app_key.clone(),
                token: wrong.clone(),
            }),
            Method::POST,
            LOGIN,
            Some(json!({"appkey": admin.app_key, "apptoken": admin.token})),
        )
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.text);
    assert_eq!(reply.body["authStatus"], "Success", "{}", reply.text);

    // A body that is not credentials is a 400 that does not echo the token.
    let reply = server
        .call(
            None,
            Method::POST,
            LOGIN,
            Some(json!({"appkey": admin.app_key, "token": admin.token})),
        )
        .await;
    assert_eq!(reply.status, StatusCode::BAD_REQUEST, "{}", reply.text);
    assert!(!reply.text.contains(&admin.token));
}

#[tokio::test]
async fn a_session_stops_working_when_its_key_is_deactivated_or_deleted() {
    let server = TestServer::start().await;

    let key = server.key_with_roles("ERP", &["API Keys Viewer"]).await;
    let token = session_token(&server, &key.creds).await;
    let server_ref = &server;
    let works = move |token: String| async move {
        with_user_token(server_ref, &token, Method::GET, "/api/vlm/appkeys", None).await
    };
    assert_eq!(works(token.clone()).await.status, StatusCode::OK);

    let off = server
        .admin_call(
            Method::PUT,
            &format!("/api/vlm/appkeys/{}", key.id),
            Some(json!({"isActive": false})),
        )
        .await;
    assert_eq!(off.status, StatusCode::OK, "{}", off.text);
    let refused = works(token.clone()).await;
    assert_eq!(refused.status, StatusCode::UNAUTHORIZED, "{}", refused.text);
    let login_again = login(&server, &key.creds.app_key, &key.creds.token).await;
    assert_eq!(login_again.body["authStatus"], "WrongCredentials");

    let doomed = server.key_with_roles("doomed", &["API Keys Viewer"]).await;
    let doomed_token = session_token(&server, &doomed.creds).await;
    assert_eq!(works(doomed_token.clone()).await.status, StatusCode::OK);
    let deleted = server
        .admin_call(
            Method::DELETE,
            &format!("/api/vlm/appkeys/{}", doomed.id),
            None,
        )
        .await;
    assert_eq!(deleted.status, StatusCode::NO_CONTENT, "{}", deleted.text);
    let refused = works(doomed_token).await;
    assert_eq!(refused.status, StatusCode::UNAUTHORIZED, "{}", refused.text);
}
