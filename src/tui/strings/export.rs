//! What the app says about exports (`E`, `:export`).

use super::count_of;

/// The help's line for `:export`.
pub const EXPORT: &str = "export the marked keys, else those shown";
/// The key's line in `?` and the key bar.
pub const KEY: &str = "export the marked keys, else those shown (xlsx)";
pub const KEY_SHORT: &str = "export";

pub fn takes(word: &str) -> String {
    format!(
        ":export takes a format (xlsx, csv or json) and a file name, not {word:?}: :export csv keys.csv"
    )
}

pub const NOT_LOADED: &str = "The keys have not loaded yet; export again in a moment.";
pub const EXTERNAL_NOT_LOADED: &str = "The external keys have not loaded yet; export again in a moment (or from the Keys tab for the generated keys alone).";
pub const EXTERNAL_FAILED: &str = "The external keys could not be listed, so their sheet would be missing; R lists them again, or export the generated keys alone from the Keys tab.";
pub const NOTHING_SHOWN: &str = "Nothing to export: no key is shown.";

pub fn exporting(count: usize) -> String {
    format!("Exporting {}…", count_of(count, "key", "keys"))
}

pub fn fetching_roles(done: usize, total: usize) -> String {
    format!("Export: fetching roles {done}/{total}…")
}

pub fn exported(count: usize, path: &str, external_left_out: bool) -> String {
    let said = format!("Exported {} to {path}.", count_of(count, "key", "keys"));
    if external_left_out {
        format!("{said} External keys left out: VTEX's public API does not list them.")
    } else {
        said
    }
}

pub fn exists(path: &str) -> String {
    format!("{path} already exists; name another file (:export xlsx PATH). Nothing was exported.")
}

pub fn failed(reason: &str) -> String {
    format!("The export failed: {reason}. Nothing was written.")
}

/// The file named cannot hold the format (or names none apikeys writes).
pub fn refused(reason: &str) -> String {
    format!("Cannot export: {reason}. Nothing was exported.")
}
