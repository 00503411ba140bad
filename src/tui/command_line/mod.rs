//! The `:` command line: parsing a line into a verb, completing the word under the cursor,
//! and the history of lines run. Pure, except `history`'s file functions, which the event loop
//! calls.

pub mod complete;
pub mod history;
pub mod parse;
pub mod table;

pub use parse::{Direction, MarkSet, Verb, parse};
