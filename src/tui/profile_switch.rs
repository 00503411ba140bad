//! What the state knows of profile switching (the switching itself is `update::profiles`,
//! the connecting `connector`).

/// Switching profiles: the one on screen and the latest attempt (a newer one supersedes it).
#[derive(Debug, Default)]
pub struct ProfileSwitch {
    /// The profile on screen as the picker names it; `None` when started without one.
    pub current: Option<String>,
    /// What each profile points at, when known without a token, for the picker.
    pub targets: std::collections::BTreeMap<String, String>,
    /// The attempt under way: its number and the profile asked for.
    pub pending: Option<(u64, String)>,
    /// Attempts made so far; only the answer to the latest is taken.
    pub attempts: u64,
    /// Connected, and waiting for the changes still on their way to the old account (a bulk
    /// run, a renewal whose token is to be shown): the switch happens once they answered.
    pub ready: Option<Box<super::connector::Connected>>,
}

impl ProfileSwitch {
    /// The profile being switched to, while connecting or waiting for changes to answer.
    pub fn switching_to(&self) -> Option<&str> {
        match (&self.pending, &self.ready) {
            (Some((_, name)), _) => Some(name),
            (None, Some(ready)) => Some(&ready.name),
            (None, None) => None,
        }
    }

    /// Esc: the switch under way is given up (an answer to it is then ignored).
    pub fn cancel(&mut self) -> Option<String> {
        let name = self.switching_to().map(str::to_string);
        self.pending = None;
        self.ready = None;
        name
    }
}
