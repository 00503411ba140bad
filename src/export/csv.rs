//! CSV (RFC 4180, CRLF): one sheet, VTEX's column names, dates in RFC 3339 UTC. Every field
//! is quoted and what would start a formula is prefixed with `'` (see [`super::guard`]).

use super::columns::{self, Cell, EXTERNAL_COLUMNS, GENERATED_COLUMNS};
use super::guard;
use crate::vtex::model::{AppKey, ExternalKey};

pub fn generated(keys: &[AppKey]) -> Vec<u8> {
    write(&GENERATED_COLUMNS, keys.iter().map(columns::generated_row))
}

pub fn external(keys: &[ExternalKey]) -> Vec<u8> {
    write(&EXTERNAL_COLUMNS, keys.iter().map(columns::external_row))
}

fn write<'a, const N: usize>(
    headers: &[&str; N],
    rows: impl Iterator<Item = [Cell<'a>; N]>,
) -> Vec<u8> {
    let mut writer = ::csv::WriterBuilder::new()
        .quote_style(::csv::QuoteStyle::Always)
        .from_writer(Vec::new());
    writer
        .write_record(headers)
        .expect("writing to memory cannot fail");
    for row in rows {
        let cells = row.map(|cell| match cell {
            // Dates are written by us, never by the server: nothing to guard.
            Cell::Date(_) => cell.text(),
            cell => guard::csv_cell(&cell.text()).into_owned(),
        });
        writer
            .write_record(&cells)
            .expect("writing to memory cannot fail");
    }
    writer.into_inner().expect("writing to memory cannot fail")
}
