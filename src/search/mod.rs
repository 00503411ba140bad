//! Text search over listings, the same for the app's `/` and the CLI's `--filter`: text and
//! queries folded alike ([`fold`]), a query language of words, `!exclusions`, `"phrases"` and a
//! fuzzy mode ([`query`]), rows folded once into one haystack ([`haystack`]) and queries run
//! so that typing narrows the previous answer ([`narrowing`]).

pub mod fold;
pub mod haystack;
pub mod matcher;
pub mod narrowing;
pub mod query;

pub use fold::fold;
pub use haystack::Haystack;
pub use narrowing::Narrowing;
pub use query::{Mode, Parsed, describe, parse};
