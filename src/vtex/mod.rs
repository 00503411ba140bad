//! The remote API: VTEX's API-key endpoints and the apikeys extensions, as a typed client.

pub mod client;
pub mod error;
mod fill;
pub mod model;
pub mod origin;
pub mod retry;
pub mod time;
mod transport;

pub use client::{Capabilities, ClientOptions, Credentials, VtexClient};
pub use error::ClientError;
