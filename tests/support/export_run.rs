//! Runs `apikeys export` (the built binary) in a directory of the test's, against a test
//! server, and reads back what it wrote: the workbook (calamine), the sheet XML (zip).
#![allow(dead_code)]

use std::io::Read;
use std::path::Path;
use std::time::Duration;

use calamine::{Data, Reader, Xlsx, open_workbook};

use crate::common::cli::{self, Run};
use crate::common::{Creds, TestServer};

/// `apikeys export ARGS…` as `creds`, run in `dir` (where the default file name goes).
pub async fn export_in(dir: &Path, server: &TestServer, creds: &Creds, args: &[&str]) -> Run {
    let home = tempfile::tempdir().unwrap();
    let mut all = vec!["export"];
    all.extend_from_slice(args);
    let mut command = cli::command(server, creds, home.path(), &all);
    command.current_dir(dir);
    let mut command = tokio::process::Command::from(command);
    command.kill_on_drop(true);
    let output = tokio::time::timeout(Duration::from_secs(120), command.output())
        .await
        .expect("the CLI ends")
        .unwrap();
    let run = Run {
        status: output.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
    };
    assert!(!run.stderr.contains(&creds.token), "a token on stderr");
    run
}

/// Every sheet of a workbook by name, in order: its cells, header row first.
pub fn sheets(path: &Path) -> Vec<(String, Vec<Vec<Data>>)> {
    let mut book: Xlsx<_> = open_workbook(path).expect("an xlsx file");
    let names = book.sheet_names();
    names
        .into_iter()
        .map(|name| {
            let range = book.worksheet_range(&name).unwrap();
            let rows = range.rows().map(<[Data]>::to_vec).collect();
            (name, rows)
        })
        .collect()
}

/// Every formula of a sheet (a cell with none reads as "").
pub fn formulas(path: &Path, sheet: &str) -> Vec<String> {
    let mut book: Xlsx<_> = open_workbook(path).expect("an xlsx file");
    let range = book.worksheet_formula(sheet).unwrap();
    range
        .rows()
        .flatten()
        .filter(|formula| !formula.is_empty())
        .cloned()
        .collect()
}

/// A part of the xlsx package as text (`xl/worksheets/sheet1.xml`, `xl/styles.xml`).
pub fn part(path: &Path, name: &str) -> String {
    let file = std::fs::File::open(path).unwrap();
    let mut archive = zip::ZipArchive::new(file).unwrap();
    let mut text = String::new();
    archive
        .by_name(name)
        .unwrap_or_else(|_| panic!("{name} in the package"))
        .read_to_string(&mut text)
        .unwrap();
    text
}

/// The text of a cell (a string cell, or empty).
pub fn text(cell: &Data) -> String {
    match cell {
        Data::String(text) => text.clone(),
        Data::Empty => String::new(),
        other => panic!("not a text cell: {other:?}"),
    }
}

/// The file's permission bits.
pub fn mode(path: &Path) -> u32 {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(path).unwrap().permissions().mode() & 0o777
}
