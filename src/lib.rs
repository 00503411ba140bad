//! apikeys: administer the API keys of a VTEX account.
//!
//! The crate holds the reference server (`server`), which implements VTEX's API-key contract
//! for real over SQLite, and the pieces the binary shares between its modes.

pub mod clipboard;
pub mod config;
pub mod embedded;
pub mod export;
pub mod keyformat;
pub mod listing;
pub mod output;
pub mod paths;
pub mod permissions;
pub mod posture;
pub mod rotation;
pub mod search;
pub mod server;
pub mod session;
pub mod timefmt;
pub mod tui;
pub mod vtex;
