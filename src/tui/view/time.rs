//! The app's dates and times: the formatting lives in [`crate::timefmt`], shared with the CLI's
//! tables, so both show a moment the same way.

pub use crate::timefmt::{Zone, clock, date, date_time};
