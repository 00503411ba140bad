//! Export like the Admin: the account's keys as an XLSX workbook (a sheet of generated keys and
//! one of external keys, with VTEX's column names), as CSV (one sheet) or as JSON (the API's
//! field names). One concern per file: the sheets' columns and rows, the formula guard, each
//! format, gathering the keys from the API, and writing the file.

pub mod collect;
pub mod columns;
mod csv;
pub mod file;
pub mod guard;
mod json;
mod xlsx;

use crate::vtex::model::{AppKey, ExternalKey};

/// What is exported: the generated keys and, where the server lists them, the external keys.
/// A sheet that is `None` is left out (the app exports one pane's rows).
#[derive(Debug, Clone, Default)]
pub struct Export {
    pub generated: Option<Vec<AppKey>>,
    /// `None` where the server has no external-keys listing (VTEX's public API): the sheet is
    /// left out, not written empty, so an empty sheet always means "no external keys".
    pub external: Option<Vec<ExternalKey>>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    Xlsx,
    Csv,
    Json,
}

impl Format {
    pub fn extension(self) -> &'static str {
        match self {
            Format::Xlsx => "xlsx",
            Format::Csv => "csv",
            Format::Json => "json",
        }
    }

    /// The format a file name asks for by its extension (`keys.csv`), if it names one.
    pub fn of_path(path: &std::path::Path) -> Option<Format> {
        let extension = path.extension()?.to_str()?.to_ascii_lowercase();
        [Format::Xlsx, Format::Csv, Format::Json]
            .into_iter()
            .find(|format| format.extension() == extension)
    }

    /// The format an export writes: `explicit` (`--format`, `:export csv`), else what the
    /// file's extension names, else `None` (the caller's default). A file whose extension names
    /// another format, or no format apikeys writes (`keys.txt`), is refused: a workbook saved
    /// as `.txt` or CSV text as `.xlsx` would not open as what its name says.
    pub fn for_output(
        explicit: Option<Format>,
        path: Option<&std::path::Path>,
    ) -> Result<Option<Format>, String> {
        let Some(path) = path.filter(|p| p.as_os_str() != "-") else {
            return Ok(explicit);
        };
        let named = Format::of_path(path);
        let extension = path.extension().map(|e| e.to_string_lossy().to_string());
        match (explicit, named, extension) {
            (Some(asked), Some(named), _) if asked != named => Err(format!(
                "{} names a .{} file but the format asked is {}; make them agree",
                path.display(),
                named.extension(),
                asked.extension()
            )),
            (None, None, Some(extension)) => Err(format!(
                "{} ends in .{extension}, which is none of the formats (xlsx, csv, json); name \
                 the file .xlsx, .csv or .json, or give the format",
                path.display()
            )),
            (asked, named, _) => Ok(asked.or(named)),
        }
    }

    pub fn parse(word: &str) -> Option<Format> {
        <Format as clap::ValueEnum>::from_str(word.trim(), true).ok()
    }
}

/// Which sheet a CSV file holds (a CSV file has one).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CsvSheet {
    Generated,
    External,
}

#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    #[error(
        "this server has no external-keys listing (VTEX's public API does not offer one), so \
         there are no external keys to export; export the generated keys without --external."
    )]
    NoExternalKeys,
    #[error("there are no generated keys to export.")]
    NoGeneratedKeys,
    #[error("the spreadsheet could not be made: {0}")]
    Xlsx(String),
}

/// The file's bytes in `format`. CSV holds `csv_sheet`; XLSX and JSON hold both sheets.
pub fn render(
    export: &Export,
    format: Format,
    csv_sheet: CsvSheet,
) -> Result<Vec<u8>, ExportError> {
    match format {
        Format::Xlsx => xlsx::workbook(export).map_err(|err| ExportError::Xlsx(err.to_string())),
        Format::Json => Ok(json::document(export)),
        Format::Csv => match csv_sheet {
            CsvSheet::Generated => export
                .generated
                .as_deref()
                .map(csv::generated)
                .ok_or(ExportError::NoGeneratedKeys),
            CsvSheet::External => export
                .external
                .as_deref()
                .map(csv::external)
                .ok_or(ExportError::NoExternalKeys),
        },
    }
}

#[cfg(test)]
mod format_tests {
    use super::Format;
    use std::path::Path;

    #[test]
    fn a_file_name_and_the_format_asked_agree_or_are_refused() {
        let of = |format, path: &str| Format::for_output(format, Some(Path::new(path)));
        assert_eq!(of(None, "keys.CSV"), Ok(Some(Format::Csv)));
        assert_eq!(of(Some(Format::Json), "-"), Ok(Some(Format::Json)));
        assert_eq!(
            of(None, "keys"),
            Ok(None),
            "no extension: the default format"
        );
        assert_eq!(of(Some(Format::Csv), "keys"), Ok(Some(Format::Csv)));
        let txt = of(None, "keys.txt").unwrap_err();
        assert!(
            txt.contains(".txt") && txt.contains("xlsx, csv, json"),
            "{txt}"
        );
        let mismatch = of(Some(Format::Csv), "keys.xlsx").unwrap_err();
        assert!(
            mismatch.contains(".xlsx") && mismatch.contains("csv"),
            "{mismatch}"
        );
        assert_eq!(Format::for_output(None, None), Ok(None));
    }
}
