//! What each table's columns want, measured over every row of the list once, not over the
//! rows on screen: the columns keep their places while the selection scrolls, pages or jumps,
//! and while the filter narrows the list. Measured at the first frame after the list (or its
//! roles, or the token duration) changed, then remembered until it changes again, so a frame
//! stays as cheap at 100 000 keys as at 10.

use std::sync::OnceLock;

use super::widgets::{self, clean};
use crate::tui::strings::panes as text;
use crate::vtex::model::{AppKey, ExternalKey, Role};

/// A value computed from a list on first use, and forgotten when the list changes.
#[derive(Debug, Clone)]
pub struct Memo<T>(OnceLock<T>);

impl<T> Default for Memo<T> {
    fn default() -> Self {
        Memo(OnceLock::new())
    }
}

impl<T> Memo<T> {
    pub fn get_or_init(&self, compute: impl FnOnce() -> T) -> &T {
        self.0.get_or_init(compute)
    }

    /// The list changed: measure again at the next frame.
    pub fn forget(&mut self) {
        self.0.take();
    }
}

/// The Generated keys table, in display columns; each already held to its column's cap.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct KeysBudget {
    pub key: u16,
    pub name: u16,
    pub roles: u16,
    /// The token's age with its alert ("230d !!").
    pub age: u16,
    /// Whether any key has a renewal pending (its marker then needs room).
    pub pending: bool,
}

/// The External keys table, in display columns; each already held to its column's cap.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ExternalBudget {
    pub key: u16,
    pub owner: u16,
    pub roles: u16,
}

/// Roles not loaded yet show as "loading…".
const ROLES_UNKNOWN: usize = 8;

impl KeysBudget {
    /// `age_width` measures one key's token cell; it is asked only of the oldest token,
    /// whose age and alert are the widest of the list.
    pub fn of(
        rows: &[AppKey],
        caller_key: &str,
        age_width: impl Fn(&AppKey) -> usize,
    ) -> KeysBudget {
        let you = widgets::width(text::YOU_TAG);
        let mut key = Widest::new(5, 40);
        let mut name = Widest::new(10, 40);
        let mut roles = Widest::new(8, 60);
        for row in rows {
            key.see(|| text_width(&row.app_key));
            let own = !caller_key.is_empty() && row.app_key == caller_key;
            name.see(|| text_width(&row.label) + if own { you } else { 0 });
            roles.see(|| roles_width(row.roles.as_deref()));
        }
        let oldest = rows
            .iter()
            .filter(|row| row.creation_date_token.is_some())
            .min_by_key(|row| row.creation_date_token);
        let mut age = Widest::new(7, 12);
        age.see(|| oldest.map_or(1, &age_width));
        KeysBudget {
            key: key.get(),
            name: name.get(),
            roles: roles.get(),
            age: age.get(),
            pending: rows.iter().any(AppKey::renewal_pending),
        }
    }
}

impl ExternalBudget {
    pub fn of(rows: &[ExternalKey]) -> ExternalBudget {
        let mut key = Widest::new(5, 40);
        let mut owner = Widest::new(10, 32);
        let mut roles = Widest::new(8, 60);
        for row in rows {
            key.see(|| text_width(&row.app_key));
            owner.see(|| text_width(&row.account));
            roles.see(|| roles_width(row.roles.as_deref()));
        }
        ExternalBudget {
            key: key.get(),
            owner: owner.get(),
            roles: roles.get(),
        }
    }
}

/// The widest width seen, between a floor and a cap; once at the cap, no row is measured.
struct Widest {
    widest: usize,
    floor: usize,
    cap: usize,
}

impl Widest {
    fn new(floor: usize, cap: usize) -> Widest {
        Widest {
            widest: 0,
            floor,
            cap,
        }
    }

    fn see(&mut self, width: impl FnOnce() -> usize) {
        if self.widest < self.cap {
            self.widest = self.widest.max(width());
        }
    }

    fn get(&self) -> u16 {
        self.widest.clamp(self.floor, self.cap) as u16
    }
}

/// Columns the text takes once cleaned for the terminal (`clean` turns a control character
/// into one visible replacement, which `width` alone would count as none).
fn text_width(text: &str) -> usize {
    if text.contains(char::is_control) {
        widgets::width(&clean(text))
    } else {
        widgets::width(text)
    }
}

/// Columns of the roles as the table writes them: names joined by ", ".
fn roles_width(roles: Option<&[Role]>) -> usize {
    match roles {
        None => ROLES_UNKNOWN,
        Some(roles) => {
            let names: usize = roles.iter().map(|role| text_width(&role.name)).sum();
            names + 2 * roles.len().saturating_sub(1)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_width_matches_the_measured_width() {
        for text in [
            "ERP orders",
            "Integração ERP – filial São Paulo",
            "Conciliación ñandú",
            "Integração decomposed: Integrac\u{327}a\u{303}o",
            "flags 🇧🇷 and 👩‍💻",
            "CJK 統合",
            "control \u{1b}[31m",
            "soft\u{ad}hyphen",
            "",
        ] {
            assert_eq!(text_width(text), widgets::width(&clean(text)), "{text:?}");
        }
    }
}
