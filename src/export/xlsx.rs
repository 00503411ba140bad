//! XLSX by rust_xlsxwriter: the "Generated keys" sheet and, where the server lists them, the
//! "External keys" sheet; a bold, frozen header row with an autofilter, dates as real
//! spreadsheet dates (UTC), and columns as wide as their contents (within bounds). Text is
//! always written as a string, never as a formula; what looks like one also gets Excel's
//! quote prefix, so editing the cell keeps it text.

use rust_xlsxwriter::{Format, Workbook, Worksheet, XlsxError};

use super::Export;
use super::columns::{self, Cell, EXTERNAL_COLUMNS, GENERATED_COLUMNS};
use super::guard;

pub const GENERATED_SHEET: &str = "Generated keys";
pub const EXTERNAL_SHEET: &str = "External keys";

/// Excel's limit on the characters of one cell.
const CELL_MAX_CHARS: usize = 32_767;
/// Column widths, in characters.
const MIN_WIDTH: usize = 10;
const MAX_WIDTH: usize = 60;
const DATE_FORMAT: &str = "yyyy-mm-dd hh:mm:ss";
/// What a date takes on screen in [`DATE_FORMAT`].
const DATE_WIDTH: usize = 19;

struct Formats {
    header: Format,
    date: Format,
    as_text: Format,
}

pub fn workbook(export: &Export) -> Result<Vec<u8>, XlsxError> {
    let formats = Formats {
        header: Format::new().set_bold(),
        date: Format::new().set_num_format(DATE_FORMAT),
        as_text: Format::new().set_quote_prefix(),
    };
    let mut book = Workbook::new();
    if let Some(generated) = &export.generated {
        sheet(
            book.add_worksheet(),
            GENERATED_SHEET,
            &GENERATED_COLUMNS,
            generated.iter().map(columns::generated_row),
            &formats,
        )?;
    }
    if let Some(external) = &export.external {
        sheet(
            book.add_worksheet(),
            EXTERNAL_SHEET,
            &EXTERNAL_COLUMNS,
            external.iter().map(columns::external_row),
            &formats,
        )?;
    }
    book.save_to_buffer()
}

fn sheet<'a, const N: usize>(
    sheet: &mut Worksheet,
    name: &str,
    headers: &[&str; N],
    rows: impl Iterator<Item = [Cell<'a>; N]>,
    formats: &Formats,
) -> Result<(), XlsxError> {
    sheet.set_name(name)?;
    let mut widths = headers.map(str::len);
    for (column, header) in (0u16..).zip(headers) {
        sheet.write_string_with_format(0, column, *header, &formats.header)?;
    }
    let mut last_row = 0;
    for (row, cells) in (1u32..).zip(rows) {
        last_row = row;
        for ((column, cell), width) in (0u16..).zip(cells).zip(widths.iter_mut()) {
            *width = (*width).max(write_cell(sheet, row, column, cell, formats)?);
        }
    }
    sheet.set_freeze_panes(1, 0)?;
    sheet.autofilter(0, 0, last_row, N as u16 - 1)?;
    for (column, width) in (0u16..).zip(widths) {
        // Room for the autofilter's button beside the header.
        let width = (width + 2).clamp(MIN_WIDTH, MAX_WIDTH);
        sheet.set_column_width(column, width as f64)?;
    }
    Ok(())
}

/// Writes one cell; answers the characters it shows, for the column's width.
fn write_cell(
    sheet: &mut Worksheet,
    row: u32,
    column: u16,
    cell: Cell<'_>,
    formats: &Formats,
) -> Result<usize, XlsxError> {
    let text = match cell {
        Cell::Date(None) => return Ok(0),
        Cell::Date(Some(at)) => {
            sheet.write_datetime_with_format(row, column, at.naive_utc(), &formats.date)?;
            return Ok(DATE_WIDTH);
        }
        Cell::Text(text) => clipped(text).to_string(),
        Cell::Owned(text) => clipped(&text).to_string(),
    };
    if guard::looks_like_formula(&text) {
        sheet.write_string_with_format(row, column, &text, &formats.as_text)?;
    } else {
        sheet.write_string(row, column, &text)?;
    }
    Ok(text.chars().count())
}

/// `text` within Excel's limit for a cell (far beyond any label or role list).
fn clipped(text: &str) -> &str {
    text.char_indices()
        .nth(CELL_MAX_CHARS)
        .map_or(text, |(at, _)| &text[..at])
}
