//! Without a sink, a person takes each new token: it is shown once on the terminal, and the
//! rotation goes on when they say it is stored. Without a terminal nobody could, so `rotate`
//! refuses before anything is renewed.

use std::io::{BufRead, Write};
use std::sync::Arc;

use secrecy::{ExposeSecret, SecretString};

use apikeys::rotation::{Handoff, Target};

use crate::commands::Failure;

pub fn handoff() -> Result<Handoff, Failure> {
    if !super::on_terminal() {
        return Err(Failure::Usage(
            "rotate needs a sink to hand the new tokens to (--sink CMD, or `sink = \"…\"` in \
             the profile's [profiles.NAME.rotation] table); without one it shows each token on \
             a terminal, and there is none here. Nothing was renewed."
                .into(),
        ));
    }
    Ok(Handoff::Shown(Arc::new(show)))
}

/// Shows the token once, waits for Enter, then wipes the lines it was on.
fn show(target: &Target, token: &SecretString) -> Result<(), String> {
    let mut out = std::io::stdout().lock();
    let label = if target.label.is_empty() {
        String::new()
    } else {
        format!(" ({})", apikeys::output::for_terminal(&target.label, 60))
    };
    let heading = format!(
        "New token for {}{label} — shown once, store it now:",
        target.app_key
    );
    const PROMPT: &str =
        "Press Enter once it is stored (or type undo and Enter to take this renewal back): ";
    let shown = writeln!(out, "{heading}\n{}", token.expose_secret())
        .and_then(|_| write!(out, "{PROMPT}"))
        .and_then(|_| out.flush());
    if let Err(err) = shown {
        return Err(format!("the token could not be shown: {err}"));
    }
    let mut answer = String::new();
    let read = std::io::stdin().lock().read_line(&mut answer);
    // Back up over every row the three lines took (they wrap on a narrow terminal) and clear
    // to the end of the screen: the token leaves it.
    let rows = rows_of(&heading)
        + rows_of(token.expose_secret())
        + rows_of(&format!("{PROMPT}{}", answer.trim_end()));
    let _ = write!(out, "\r\x1b[{rows}A\x1b[J");
    let _ = out.flush();
    match read {
        Ok(0) => Err("the terminal closed before the token was stored".into()),
        Ok(_) if answer.trim().eq_ignore_ascii_case("undo") => {
            Err("you asked to take this renewal back".into())
        }
        Ok(_) => Ok(()),
        Err(err) => Err(format!("the answer could not be read: {err}")),
    }
}

/// How many terminal rows `line` takes at the terminal's width.
fn rows_of(line: &str) -> usize {
    let width = crossterm::terminal::size()
        .map(|(cols, _)| usize::from(cols))
        .unwrap_or(80)
        .max(1);
    let used = unicode_width::UnicodeWidthStr::width(line);
    used.div_ceil(width).max(1)
}
