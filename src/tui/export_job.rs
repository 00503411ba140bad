//! An export from the app (`E`, `:export`), carried out off the UI thread: the roles the
//! rows still lack are fetched (the status line counts them), then the file is made and
//! written (0600, never over an existing file) on a blocking thread. Every outcome comes back
//! as a sentence for the status line.

use std::path::{Path, PathBuf};

use tokio::sync::mpsc::UnboundedSender;

use super::action::Action;
use super::strings::export as text;
use crate::export::{self, CsvSheet, Export, Format, file};
use crate::vtex::VtexClient;

/// What to export and where; made by `update` (pure), carried out here.
#[derive(Debug)]
pub struct ExportJob {
    pub export: Export,
    pub format: Format,
    pub sheet: CsvSheet,
    /// As typed after `:export FORMAT`; `None`: the default name in the current directory.
    pub path: Option<PathBuf>,
    /// For the default name.
    pub account: String,
    pub today: String,
    /// Both lists were asked for (the Settings pane): a missing external sheet is said.
    pub both: bool,
}

impl ExportJob {
    fn count(&self) -> usize {
        let generated = self.export.generated.as_ref().map_or(0, Vec::len);
        let external = self.export.external.as_ref().map_or(0, Vec::len);
        match (self.format, self.sheet) {
            (Format::Csv, CsvSheet::Generated) => generated,
            (Format::Csv, CsvSheet::External) => external,
            _ => generated + external,
        }
    }
}

/// Runs `job` on a task of its own; what it did comes back as `Action::Notice`.
pub fn spawn(mut job: ExportJob, client: VtexClient, results: UnboundedSender<Action>) {
    tokio::spawn(async move {
        if let Some(keys) = job.export.generated.as_mut() {
            let progress = results.clone();
            let mut said = 0;
            let filled = client
                .fill_roles(keys, |done, total| {
                    // About twenty sentences, however many keys.
                    if done == total || done >= said + (total / 20).max(1) {
                        said = done;
                        let _ = progress.send(Action::Notice(text::fetching_roles(done, total)));
                    }
                })
                .await;
            if let Err(err) = filled {
                let _ = results.send(Action::Notice(text::failed(&err.to_string())));
                return;
            }
        }
        let said = tokio::task::spawn_blocking(move || write(&job))
            .await
            .unwrap_or_else(|_| text::failed("it stopped unexpectedly"));
        let _ = results.send(Action::Notice(said));
    });
}

/// Makes and writes the file; the sentence to say.
fn write(job: &ExportJob) -> String {
    let path = match &job.path {
        Some(path) if file::exists(path) => return text::exists(&path.display().to_string()),
        Some(path) => path.clone(),
        None => {
            let name = file::default_name(&job.account, &job.today, job.format);
            file::free_path(Path::new("."), &name)
        }
    };
    let bytes = match export::render(&job.export, job.format, job.sheet) {
        Ok(bytes) => bytes,
        Err(err) => return text::failed(&err.to_string()),
    };
    if let Err(err) = file::write_new(&path, &bytes) {
        return text::failed(&format!("cannot write {}: {err}", path.display()));
    }
    let shown = std::path::absolute(&path).unwrap_or(path);
    let left_out = job.both && job.export.external.is_none() && job.format != Format::Csv;
    text::exported(job.count(), &shown.display().to_string(), left_out)
}
