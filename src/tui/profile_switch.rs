//! What the state knows of profile switching (the switching itself is `update::profiles`,
//! the connecting `connector`).

/// Switching profiles: the one on screen and the latest attempt (a newer one supersedes it).
#[derive(Debug, Clone, Default)]
pub struct ProfileSwitch {
    /// The profile on screen as the picker names it; `None` when started without one.
    pub current: Option<String>,
    /// What each profile points at, when known without a token, for the picker.
    pub targets: std::collections::BTreeMap<String, String>,
    /// The attempt under way: its number and the profile asked for.
    pub pending: Option<(u64, String)>,
    /// Attempts made so far; only the answer to the latest is taken.
    pub attempts: u64,
}
