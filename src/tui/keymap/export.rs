//! `E`: export the marked keys, else those shown (on Settings: every key), to a file. In the
//! global table, so it works on every pane; it changes nothing, so it needs no permission
//! beyond seeing the keys.

use super::{Binding, C, bind, ch};
use crate::tui::strings::export as text;

pub(super) const EXPORT: Binding = bind(
    "E",
    (text::KEY, text::KEY_SHORT),
    None,
    false,
    &[(ch('E'), C::Export)],
);
