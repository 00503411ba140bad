//! The account's key posture: findings over the listing (with roles and the audit trail), each
//! with a severity, the keys concerned, why it matters and what to do; and the token-age
//! histogram the app draws. Pure functions; `gather` fetches what they need.

mod findings;
pub mod gather;
mod histogram;
mod text;

#[cfg(test)]
mod tests;

use serde::{Deserialize, Serialize};

pub use findings::{Inputs, assess};
pub use histogram::{ClassCounts, MonthBar, TokenAges, whole_months};

/// Thresholds of the findings, from the config file's `[posture]` table.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Thresholds {
    /// A renewal pending for more than this many days is an alert (the old token still works).
    pub pending_days: u32,
    /// An inactive key with no sign of life for more than this many days is a candidate for
    /// deletion.
    pub inactive_days: u32,
}

impl Default for Thresholds {
    fn default() -> Self {
        Thresholds {
            pending_days: 7,
            inactive_days: 90,
        }
    }
}

/// How much a finding matters; ordered, so `--fail-on` can compare.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Info,
    Warning,
    Alert,
}

impl Severity {
    /// The word shown beside a finding (so it reads without colour).
    pub fn word(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Warning => "warning",
            Severity::Alert => "alert",
        }
    }
}

/// Which list a finding's keys are in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Pane {
    Generated,
    External,
}

/// Every kind of finding, in the order they are reported (most severe first).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Kind {
    TokenLongOutdated,
    RenewalPending,
    TokenOutdated,
    Powerful,
    ExternalPowerful,
    NoRole,
    Inactive,
    SharedLabel,
    ExternalInactive,
}

impl Kind {
    pub const ALL: [Kind; 9] = [
        Kind::TokenLongOutdated,
        Kind::RenewalPending,
        Kind::TokenOutdated,
        Kind::Powerful,
        Kind::ExternalPowerful,
        Kind::NoRole,
        Kind::Inactive,
        Kind::SharedLabel,
        Kind::ExternalInactive,
    ];

    pub fn severity(self) -> Severity {
        match self {
            Kind::TokenLongOutdated | Kind::RenewalPending => Severity::Alert,
            Kind::TokenOutdated | Kind::Powerful | Kind::ExternalPowerful => Severity::Warning,
            Kind::NoRole | Kind::Inactive | Kind::SharedLabel | Kind::ExternalInactive => {
                Severity::Info
            }
        }
    }

    pub fn pane(self) -> Pane {
        match self {
            Kind::ExternalPowerful | Kind::ExternalInactive => Pane::External,
            _ => Pane::Generated,
        }
    }

    /// The stable name scripts see in JSON (`token-outdated`…).
    pub fn id(self) -> &'static str {
        text::id(self)
    }

    /// What the finding is, in a few words.
    pub fn title(self) -> &'static str {
        text::title(self)
    }

    /// Why it matters.
    pub fn why(self) -> &'static str {
        text::why(self)
    }

    /// What to do about it.
    pub fn what_to_do(self) -> &'static str {
        text::what_to_do(self)
    }
}

/// A key a finding concerns, named as the lists name it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct KeyRef {
    pub id: String,
    pub app_key: String,
    /// The label of a generated key, the owner account of an external one.
    pub label: String,
}

/// One finding: its kind and the keys it concerns (never empty).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    pub kind: Kind,
    pub keys: Vec<KeyRef>,
}

impl Finding {
    pub fn severity(&self) -> Severity {
        self.kind.severity()
    }
}

/// Why a kind of finding could not be computed against this server.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Missing {
    /// VTEX's public listing has no token dates.
    TokenDates,
    /// No audit trail (VTEX's public API).
    Audit,
    /// The audit trail within the inactivity threshold is longer than the safety cap on
    /// pages read.
    AuditTooLong,
    /// No external keys endpoint (VTEX's public API).
    ExternalKeys,
    /// Roles could not be read.
    Roles,
    /// The role list does not say which API-key permissions a role grants (VTEX's): only
    /// administrator roles and VTEX's predefined all-four role are found.
    RoleResources,
}

impl Missing {
    pub fn sentence(self) -> &'static str {
        text::missing(self)
    }
}

/// The whole assessment: the findings (most severe first) and what could not be computed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Posture {
    pub findings: Vec<Finding>,
    pub not_computed: Vec<(Kind, Missing)>,
}

impl Posture {
    /// How many findings have exactly this severity.
    pub fn count(&self, severity: Severity) -> usize {
        self.findings
            .iter()
            .filter(|f| f.severity() == severity)
            .count()
    }

    /// The most severe finding's severity.
    pub fn worst(&self) -> Option<Severity> {
        self.findings.iter().map(Finding::severity).max()
    }

    pub fn finding(&self, kind: Kind) -> Option<&Finding> {
        self.findings.iter().find(|f| f.kind == kind)
    }
}
