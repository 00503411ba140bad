//! The words of each finding: shared by `apikeys report` and the app's Insights overlay.

use super::{Kind, Missing};

pub(super) fn id(kind: Kind) -> &'static str {
    match kind {
        Kind::TokenLongOutdated => "token-long-outdated",
        Kind::RenewalPending => "renewal-pending",
        Kind::TokenOutdated => "token-outdated",
        Kind::Powerful => "admin-or-all-permissions",
        Kind::ExternalPowerful => "external-admin",
        Kind::NoRole => "no-role",
        Kind::Inactive => "inactive",
        Kind::SharedLabel => "shared-label",
        Kind::ExternalInactive => "external-inactive",
    }
}

pub(super) fn title(kind: Kind) -> &'static str {
    match kind {
        Kind::TokenLongOutdated => "Tokens 3 months or more past the duration",
        Kind::RenewalPending => "Renewals pending too long",
        Kind::TokenOutdated => "Tokens past the duration",
        Kind::Powerful => "Keys with an admin role or all four API-key permissions",
        Kind::ExternalPowerful => "External keys with an admin role",
        Kind::NoRole => "Keys with no role",
        Kind::Inactive => "Keys inactive for long",
        Kind::SharedLabel => "Keys sharing a label",
        Kind::ExternalInactive => "Inactive external keys",
    }
}

pub(super) fn why(kind: Kind) -> &'static str {
    match kind {
        Kind::TokenLongOutdated => {
            "A token this old has had months to leak, and the Admin shows it in red."
        }
        Kind::RenewalPending => {
            "The old token still works until the renewal is finished, so renewing changed nothing yet."
        }
        Kind::TokenOutdated => {
            "The account's token duration says these tokens are due for renewal."
        }
        Kind::Powerful => "A leaked token of such a key can take over the account's keys.",
        Kind::ExternalPowerful => {
            "Another account's key can administer this one: users, keys and everything else."
        }
        Kind::NoRole => "A key with no role can call nothing: it is unused or broken.",
        Kind::Inactive => "Inactive for long, these keys are likely forgotten.",
        Kind::SharedLabel => "Keys with one label cannot be told apart in an audit or a rotation.",
        Kind::ExternalInactive => "An inactive external key grants nothing and only adds clutter.",
    }
}

pub(super) fn what_to_do(kind: Kind) -> &'static str {
    match kind {
        Kind::TokenLongOutdated | Kind::TokenOutdated => {
            "Rotate them: apikeys rotate --outdated, or o on the app's Settings pane (inactive \
             keys are left out of a rotation: activate them first, or delete them)."
        }
        Kind::RenewalPending => {
            "Finish the renewals once the integrations use the new token (F), or undo them (u)."
        }
        Kind::Powerful => "Give each key only the roles its integration needs.",
        Kind::ExternalPowerful => "Grant the partner a narrower role, or remove the key.",
        Kind::NoRole => "Grant the roles it needs, or delete it.",
        Kind::Inactive => "Delete the keys nobody needs.",
        Kind::SharedLabel => "Give each key a label that names its integration.",
        Kind::ExternalInactive => "Remove the keys the partners no longer need.",
    }
}

pub(super) fn missing(missing: Missing) -> &'static str {
    match missing {
        Missing::TokenDates => "the server's listing has no token dates (VTEX's public API)",
        Missing::Audit => "the server keeps no audit trail (VTEX's public API)",
        Missing::AuditTooLong => {
            "the audit trail of the inactivity period is longer than the 2 million entries read"
        }
        Missing::ExternalKeys => "the server does not list external keys (VTEX's public API)",
        Missing::Roles => "the roles of some keys could not be read",
        Missing::RoleResources => {
            "only administrator roles and VTEX's predefined User Administrator - RESTRICTED are checked: the role list does not say which API-key permissions a custom role grants (VTEX's public API)"
        }
    }
}
