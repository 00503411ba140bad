//! `apikeys export`: the account's keys in a file, as the Admin's Export button makes it
//! (see `apikeys::export`). What can be refused is refused before any request: a file that
//! exists (without --force), a directory, --external outside CSV, a workbook to a terminal.

use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};

use chrono::Utc;

use apikeys::export::collect::{self, Wanted};
use apikeys::export::{self, CsvSheet, Export, Format, file};
use apikeys::timefmt::{self, Zone};
use apikeys::vtex::VtexClient;

use super::{CommandResult, Failure};
use crate::cli::ExportArgs;

/// Where the bytes go.
enum Destination {
    Stdout,
    /// A name the user gave; `replace` with --force.
    Given {
        path: PathBuf,
        replace: bool,
    },
    /// `apikeys-{account}-{date}.{ext}` in the current directory, numbered when taken.
    Default,
}

pub async fn run(client: &VtexClient, args: ExportArgs) -> CommandResult {
    let format = Format::for_output(args.format, args.out.as_deref())
        .map_err(|reason| Failure::Usage(format!("{reason}. Nothing was exported.")))?
        // --external names a CSV sheet, so alone it asks for CSV.
        .unwrap_or(if args.external {
            Format::Csv
        } else {
            Format::Xlsx
        });
    let sheet = if args.external {
        CsvSheet::External
    } else {
        CsvSheet::Generated
    };
    if args.external && format != Format::Csv {
        return Err(Failure::Usage(
            "--external chooses the sheet of a CSV file; XLSX and JSON hold both sheets. \
             Add --format csv, or leave out --external."
                .into(),
        ));
    }
    let destination = destination(&args, format)?;
    let wanted = match format {
        Format::Csv => Wanted {
            generated: sheet == CsvSheet::Generated,
            external: sheet == CsvSheet::External,
        },
        _ => Wanted::BOTH,
    };
    let mut bar = ProgressBar::on_stderr();
    let export = collect::gather(client, wanted, |done, total| bar.show(done, total)).await;
    bar.clear();
    let export = export?;
    let bytes =
        export::render(&export, format, sheet).map_err(|err| Failure::Failed(format!("{err}")))?;
    let written = match destination {
        Destination::Stdout => {
            let mut stdout = std::io::stdout().lock();
            let _ = stdout.write_all(&bytes).and_then(|()| stdout.flush());
            None
        }
        Destination::Given { path, replace } => Some(write(&path, &bytes, replace)?),
        Destination::Default => {
            let name = file::default_name(&account_name(client).await, &today(), format);
            let path = file::free_path(Path::new("."), &name);
            Some(write(&path, &bytes, false)?)
        }
    };
    announce(&export, format, sheet, written.as_deref());
    Ok(())
}

/// The destination, checked before anything is asked of the server.
fn destination(args: &ExportArgs, format: Format) -> Result<Destination, Failure> {
    let Some(path) = &args.out else {
        return Ok(Destination::Default);
    };
    if path.as_os_str() == "-" {
        if format == Format::Xlsx && std::io::stdout().is_terminal() {
            return Err(Failure::Usage(
                "a workbook is not for a terminal; redirect stdout to a file, name one with \
                 -o, or choose --format csv or json."
                    .into(),
            ));
        }
        return Ok(Destination::Stdout);
    }
    // Before the --force check: --force cannot replace a directory, so it is not offered.
    if path.is_dir() {
        return Err(Failure::Usage(format!(
            "{} is a directory; name a file with -o (for example -o {}). Nothing was exported.",
            path.display(),
            path.join(format!("keys.{}", format.extension())).display()
        )));
    }
    if file::exists(path) && !args.force {
        return Err(Failure::Usage(format!(
            "{} already exists; name another file with -o, or add --force to replace it. \
             Nothing was exported.",
            path.display()
        )));
    }
    Ok(Destination::Given {
        path: path.clone(),
        replace: args.force,
    })
}

fn write(path: &Path, bytes: &[u8], replace: bool) -> Result<PathBuf, Failure> {
    let written = if replace {
        file::replace(path, bytes)
    } else {
        file::write_new(path, bytes)
    };
    written.map_err(|err| {
        let hint = if err.kind() == std::io::ErrorKind::AlreadyExists {
            " (it appeared meanwhile); add --force to replace it"
        } else {
            ""
        };
        Failure::Failed(format!(
            "cannot write {}: {err}{hint}. Nothing was exported.",
            path.display()
        ))
    })?;
    Ok(path.to_path_buf())
}

/// The account, for the file's name: the session's, else VTEX's account information, else
/// the account in the caller's appKey.
async fn account_name(client: &VtexClient) -> String {
    if let Ok(capabilities) = client.capabilities().await
        && let Some(session) = capabilities.session
        && !session.account.is_empty()
    {
        return session.account;
    }
    if let Ok(account) = client.account().await
        && !account.account_name.is_empty()
    {
        return account.account_name;
    }
    apikeys::keyformat::app_key_account(client.app_key())
        .unwrap_or("account")
        .to_string()
}

/// Today in the user's zone (`TZ`), as the file is named for people.
fn today() -> String {
    timefmt::date(Utc::now(), Zone::Local)
}

/// What was written and where, on stderr; and what is missing, and why.
fn announce(export: &Export, format: Format, sheet: CsvSheet, path: Option<&Path>) {
    let generated = export.generated.as_deref().unwrap_or_default();
    let count = |n: usize, what: &str| format!("{n} {what} key{}", if n == 1 { "" } else { "s" });
    let what = match (format, sheet, &export.external) {
        (Format::Csv, CsvSheet::External, Some(external)) => count(external.len(), "external"),
        (Format::Csv, _, _) | (_, _, None) => count(generated.len(), "generated"),
        (_, _, Some(external)) => format!(
            "{} and {}",
            count(generated.len(), "generated"),
            count(external.len(), "external")
        ),
    };
    match path {
        Some(path) => eprintln!("Exported {what} to {}.", path.display()),
        None => eprintln!("Exported {what}."),
    }
    if export.external.is_none() && format != Format::Csv {
        eprintln!(
            "The external keys are left out: this server (VTEX's public API) has no \
             external-keys listing."
        );
    }
    let token_dates_unknown = generated
        .iter()
        .any(|key| key.creation_date_token.is_none());
    if token_dates_unknown && sheet == CsvSheet::Generated && format != Format::Json {
        eprintln!(
            "creationDateToken is empty where the server does not list token dates (VTEX's \
             public API does not)."
        );
    }
}

/// "Fetching roles: 40/200 keys [████░░░░░░░░]" on stderr, redrawn in place, when stderr is
/// a terminal; nothing otherwise (a script's log stays clean).
struct ProgressBar {
    on: bool,
    drawn: Option<usize>,
}

impl ProgressBar {
    const WIDTH: usize = 24;

    fn on_stderr() -> ProgressBar {
        ProgressBar {
            on: std::io::stderr().is_terminal(),
            drawn: None,
        }
    }

    fn show(&mut self, done: usize, total: usize) {
        let filled = (done * Self::WIDTH)
            .checked_div(total)
            .unwrap_or(Self::WIDTH);
        // Redrawn only when the bar or, every 1 %, the count changes: 100 000 keys, ~100 draws.
        let step = (total / 100).max(1);
        if !self.on || (self.drawn == Some(filled) && !done.is_multiple_of(step) && done != total) {
            return;
        }
        self.drawn = Some(filled);
        let bar: String = "█".repeat(filled) + &"░".repeat(Self::WIDTH - filled);
        let mut stderr = std::io::stderr().lock();
        let _ = write!(
            stderr,
            "\r\x1b[2KFetching roles: {done}/{total} keys [{bar}]"
        );
        let _ = stderr.flush();
    }

    fn clear(&mut self) {
        if self.on && self.drawn.is_some() {
            let mut stderr = std::io::stderr().lock();
            let _ = write!(stderr, "\r\x1b[2K");
            let _ = stderr.flush();
        }
    }
}
