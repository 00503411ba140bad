//! Getting a token to the clipboard of the person at the keyboard, and off it again.
//!
//! Two ways: the desktop clipboard (arboard), or OSC 52, an escape sequence asking the terminal
//! itself to set its clipboard, which reaches the admin's own machine even over ssh. `auto`
//! picks OSC 52 over ssh or without a display, else the desktop clipboard, falling back to
//! OSC 52 when that fails. Messages claim only what is known: OSC 52 cannot be confirmed.
//! A copy may be cleared after a while: the desktop clipboard only if it still holds our token
//! (compared by hash: the token itself is not kept), OSC 52 only when `osc52_clear` is on.
//! Inside tmux, tmux is asked first whether `set-clipboard` lets OSC 52 through, and the paste
//! buffers holding our copy are deleted at the timed clear whatever `osc52_clear` says.
//! OSC 52 goes to the controlling terminal (`/dev/tty`) alone, never to stdout or stderr: those
//! may be a pipe or a log, where the sequence would hold the token in base64.

use std::io::Write;
use std::time::Duration;

use base64::Engine as _;
use secrecy::{ExposeSecret, SecretString};
use sha2::{Digest, Sha256};

mod tmux;
use tmux::SetClipboard;

/// Where copies go: `--clipboard` and the config file's `clipboard` take the same words.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Mode {
    Auto,
    Native,
    Osc52,
    Off,
}

/// The config file's `osc52_wrap`: a fixed [`Wrap`], or `auto` to decide from the environment.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum WrapSetting {
    Auto,
    Plain,
    Tmux,
    Screen,
}

impl WrapSetting {
    fn fixed(self) -> Option<Wrap> {
        match self {
            WrapSetting::Auto => None,
            WrapSetting::Plain => Some(Wrap::Plain),
            WrapSetting::Tmux => Some(Wrap::Tmux),
            WrapSetting::Screen => Some(Wrap::Screen),
        }
    }
}

/// How the OSC 52 sequence is wrapped for a terminal multiplexer in between.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Wrap {
    /// As is: terminals, and tmux with `set-clipboard on`.
    Plain,
    /// tmux passthrough (needs `allow-passthrough on`).
    Tmux,
    /// GNU screen's DCS passthrough, in chunks screen accepts.
    Screen,
}

/// The clipboard settings, from the config file and `--clipboard`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Settings {
    pub mode: Mode,
    /// `None`: never clear.
    pub clear_after: Option<Duration>,
    pub osc52_clear: bool,
    /// `None`: decide from the environment.
    pub wrap: Option<Wrap>,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            mode: Mode::Auto,
            clear_after: Some(Duration::from_secs(45)),
            osc52_clear: false,
            wrap: None,
        }
    }
}

impl Settings {
    /// From the config file's values (already checked when it was read); `clear_after_secs =
    /// 0` means never.
    pub fn from_config(config: &crate::config::Settings) -> Settings {
        let defaults = Settings::default();
        Settings {
            mode: config.clipboard.unwrap_or(defaults.mode),
            clear_after: match config.clear_after_secs {
                Some(0) => None,
                Some(secs) => Some(Duration::from_secs(secs)),
                None => defaults.clear_after,
            },
            osc52_clear: config.osc52_clear.unwrap_or(false),
            wrap: config.osc52_wrap.and_then(WrapSetting::fixed),
        }
    }
}

/// What the environment says about where we run.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Environment {
    pub ssh: bool,
    pub display: bool,
    pub tmux: bool,
    pub screen: bool,
}

impl Environment {
    pub fn detect() -> Environment {
        let set = |name: &str| std::env::var_os(name).is_some_and(|v| !v.is_empty());
        Environment {
            ssh: set("SSH_CONNECTION") || set("SSH_TTY"),
            display: set("DISPLAY") || set("WAYLAND_DISPLAY"),
            tmux: set("TMUX"),
            screen: set("STY"),
        }
    }

    /// Inside tmux plain OSC 52 works with `set-clipboard on` (tmux's default is `external`,
    /// which also forwards it); screen needs its own wrapping.
    fn wrap(self) -> Wrap {
        if !self.tmux && self.screen {
            Wrap::Screen
        } else {
            Wrap::Plain
        }
    }
}

// ---- OSC 52 bytes -----------------------------------------------------------------------------

/// Most terminals drop longer OSC 52 payloads (xterm's default limit is close to this).
pub const MAX_OSC52_PAYLOAD: usize = 74_994;

/// The OSC 52 sequence setting the clipboard ("c") to `text`, wrapped for `wrap`. An empty
/// `text` clears it. Errs when the payload is too large for terminals to accept.
pub fn osc52(text: &str, wrap: Wrap) -> Result<SecretString, String> {
    let payload = base64::engine::general_purpose::STANDARD.encode(text.as_bytes());
    if payload.len() > MAX_OSC52_PAYLOAD {
        return Err(format!(
            "{} bytes is more than a terminal accepts through OSC 52",
            text.len()
        ));
    }
    let plain = format!("\x1b]52;c;{payload}\x07");
    let wrapped = match wrap {
        Wrap::Plain => plain,
        // Every ESC inside tmux's passthrough is doubled.
        Wrap::Tmux => format!("\x1bPtmux;{}\x1b\\", plain.replace('\x1b', "\x1b\x1b")),
        // screen limits one DCS string, so the sequence goes in 76-byte pieces.
        Wrap::Screen => {
            let pieces: Vec<String> = plain
                .as_bytes()
                .chunks(76)
                .map(|piece| format!("\x1bP{}\x1b\\", String::from_utf8_lossy(piece)))
                .collect();
            pieces.concat()
        }
    };
    Ok(SecretString::from(wrapped))
}

// ---- the desktop clipboard ----------------------------------------------------------------------

/// A desktop clipboard. The real one is arboard; tests use a fake.
pub trait Native: Send {
    fn set(&mut self, text: &str) -> Result<(), String>;
    fn get(&mut self) -> Result<String, String>;
    fn clear(&mut self) -> Result<(), String>;
}

struct Arboard(arboard::Clipboard);

impl Native for Arboard {
    fn set(&mut self, text: &str) -> Result<(), String> {
        let set = self.0.set();
        // Keep the token out of clipboard managers' histories where the platform allows.
        #[cfg(target_os = "linux")]
        let set = arboard::SetExtLinux::exclude_from_history(set);
        set.text(text.to_string()).map_err(|err| err.to_string())
    }

    fn get(&mut self) -> Result<String, String> {
        self.0.get_text().map_err(|err| err.to_string())
    }

    fn clear(&mut self) -> Result<(), String> {
        self.0.clear().map_err(|err| err.to_string())
    }
}

/// Opens the desktop clipboard (created lazily: it may connect to a display server).
pub fn open_native() -> Result<Box<dyn Native>, String> {
    arboard::Clipboard::new()
        .map(|clipboard| Box::new(Arboard(clipboard)) as Box<dyn Native>)
        .map_err(|err| err.to_string())
}

// ---- the service ------------------------------------------------------------------------------

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Via {
    Native,
    Osc52,
}

/// What a copy did, in words that claim no more than is known.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Report {
    pub message: String,
    /// When to call [`Clipboard::clear`], if at all.
    pub clear_in: Option<Duration>,
    pub via: Option<Via>,
}

type Opener = Box<dyn FnMut() -> Result<Box<dyn Native>, String> + Send>;

/// Where OSC 52 is written, or why there is nowhere to write it.
pub type Terminal = Result<Box<dyn Write + Send>, String>;

/// The controlling terminal, opened for writing: the terminal the user sits at, even when
/// stdout and stderr are pipes. Without one (cron, `setsid`, a service) OSC 52 cannot happen.
pub fn controlling_terminal() -> Terminal {
    std::fs::OpenOptions::new()
        .write(true)
        .open("/dev/tty")
        .map(|tty| Box::new(tty) as Box<dyn Write + Send>)
        .map_err(|err| format!("there is no terminal to send OSC 52 to (/dev/tty: {err})"))
}

/// One per session: keeps the desktop clipboard alive (on X11 and Wayland a copy lives only as
/// long as its owner) and remembers what it copied, by hash, for the timed clear.
pub struct Clipboard {
    settings: Settings,
    environment: Environment,
    open: Opener,
    native: Option<Box<dyn Native>>,
    terminal: Terminal,
    last: Option<(Via, [u8; 32])>,
    /// tmux answered that OSC 52 gets through (`on` or `external`): not asked again.
    tmux_forwards: bool,
}

/// Why a copy did not happen.
enum Refused {
    /// `clipboard = "native"`, and the desktop clipboard failed.
    Native(String),
    /// OSC 52 could not be sent either.
    Osc52(String),
    /// tmux has `set-clipboard off`: OSC 52 would not get through.
    TmuxOff,
}

impl Refused {
    fn report(self) -> Report {
        Report::failed(match self {
            Refused::Native(err) => format!("Could not copy to the system clipboard: {err}."),
            Refused::Osc52(err) => format!("Could not copy: {err}."),
            Refused::TmuxOff => TMUX_OFF_COPY.into(),
        })
    }
}

impl Report {
    fn failed(message: impl Into<String>) -> Report {
        Report {
            message: message.into(),
            clear_in: None,
            via: None,
        }
    }
}

/// " (the system clipboard failed: …)" after an OSC 52 copy that stood in for it.
fn fallback(reason: Option<String>) -> String {
    reason
        .map(|err| format!(" (the system clipboard failed: {err})"))
        .unwrap_or_default()
}

fn fingerprint(text: &str) -> [u8; 32] {
    Sha256::digest(text.as_bytes()).into()
}

fn seconds(duration: Duration) -> String {
    format!("{} s", duration.as_secs())
}

impl Clipboard {
    pub fn new(
        settings: Settings,
        environment: Environment,
        terminal: Terminal,
        open: Opener,
    ) -> Clipboard {
        Clipboard {
            settings,
            environment,
            open,
            native: None,
            terminal,
            last: None,
            tmux_forwards: false,
        }
    }

    /// The real thing: arboard when wanted, OSC 52 to the controlling terminal.
    pub fn system(settings: Settings) -> Clipboard {
        Clipboard::new(
            settings,
            Environment::detect(),
            controlling_terminal(),
            Box::new(open_native),
        )
    }

    /// Whether a copy can happen, and which way, decided before there is anything to copy:
    /// a caller that is about to create a token it cannot show asks first. `Err` says why not.
    /// (A desktop clipboard that opens may still refuse the copy itself; in `auto`, OSC 52
    /// then takes over if a terminal is there.)
    pub fn ready(&mut self) -> Result<Via, String> {
        if self.settings.mode == Mode::Off {
            return Err("copying is off (clipboard = \"off\")".into());
        }
        if self.prefers_osc52() {
            return self.osc52_ready().map(|()| Via::Osc52);
        }
        let native_failure = match self.native() {
            Ok(_) => return Ok(Via::Native),
            Err(err) => format!("the system clipboard cannot be opened ({err})"),
        };
        if self.settings.mode == Mode::Native {
            return Err(native_failure);
        }
        self.osc52_ready()
            .map(|()| Via::Osc52)
            .map_err(|no_terminal| format!("{native_failure} and {no_terminal}"))
    }

    /// A terminal to write OSC 52 to, and no tmux in between that drops it.
    fn osc52_ready(&mut self) -> Result<(), String> {
        self.terminal.as_ref().map(|_| ()).map_err(Clone::clone)?;
        match self.tmux_drops_osc52() {
            true => Err(TMUX_OFF.into()),
            false => Ok(()),
        }
    }

    /// Inside tmux (unless the copy goes through tmux's passthrough): whether tmux answers
    /// `set-clipboard off`. Asked until it says `on` or `external`, so a user who turns it on
    /// and copies again is believed; a tmux that cannot be asked is taken as today.
    fn tmux_drops_osc52(&mut self) -> bool {
        if !self.environment.tmux || self.wrap() == Wrap::Tmux || self.tmux_forwards {
            return false;
        }
        match tmux::set_clipboard() {
            Some(SetClipboard::Off) => true,
            Some(SetClipboard::On | SetClipboard::External) => {
                self.tmux_forwards = true;
                false
            }
            None => false,
        }
    }

    /// Whether the timed clear has tmux paste buffers to delete (tmux keeps every copy).
    fn clears_tmux(&self) -> bool {
        self.environment.tmux && self.settings.clear_after.is_some()
    }

    fn wrap(&self) -> Wrap {
        self.settings
            .wrap
            .unwrap_or_else(|| self.environment.wrap())
    }

    fn prefers_osc52(&self) -> bool {
        match self.settings.mode {
            Mode::Osc52 => true,
            Mode::Native | Mode::Off => false,
            Mode::Auto => self.environment.ssh || !self.environment.display,
        }
    }

    fn native(&mut self) -> Result<&mut Box<dyn Native>, String> {
        if self.native.is_none() {
            self.native = Some((self.open)()?);
        }
        Ok(self.native.as_mut().expect("just opened"))
    }

    fn send_osc52(&mut self, text: &str) -> Result<(), String> {
        let sequence = osc52(text, self.wrap())?;
        let terminal = self.terminal.as_mut().map_err(|reason| reason.clone())?;
        // One write, so nothing the app draws can land inside the sequence.
        terminal
            .write_all(sequence.expose_secret().as_bytes())
            .and_then(|()| terminal.flush())
            .map_err(|err| format!("could not write to the terminal: {err}"))
    }

    /// Puts `text` where the settings say: the desktop clipboard, else (or when it fails in
    /// `auto`) OSC 52 — unless tmux would drop it. Says which way it went and why the desktop
    /// clipboard was passed over, if it failed. `Mode::Off` is the caller's to handle.
    fn put(&mut self, text: &str) -> Result<(Via, Option<String>), Refused> {
        let mut fallback_reason = None;
        if !self.prefers_osc52() {
            match self.native().and_then(|native| native.set(text)) {
                Ok(()) => return Ok((Via::Native, None)),
                Err(err) if self.settings.mode == Mode::Native => {
                    return Err(Refused::Native(err));
                }
                Err(err) => fallback_reason = Some(err),
            }
        }
        if self.tmux_drops_osc52() {
            return Err(Refused::TmuxOff);
        }
        self.send_osc52(text)
            .map(|()| (Via::Osc52, fallback_reason))
            .map_err(Refused::Osc52)
    }

    pub fn copy(&mut self, token: &SecretString) -> Report {
        let text = token.expose_secret();
        if self.settings.mode == Mode::Off {
            return Report::failed(
                "Copying is off (clipboard = \"off\"); select the revealed token (v) instead.",
            );
        }
        let (via, fallback_reason) = match self.put(text) {
            Ok(done) => done,
            Err(refused) => return refused.report(),
        };
        self.last = Some((via, fingerprint(text)));
        if via == Via::Native {
            let clear_in = self.settings.clear_after;
            let when = match clear_in {
                Some(after) => format!("; it will be cleared in {} if still there", seconds(after)),
                None => String::new(),
            };
            return Report {
                message: format!("Copied to the system clipboard{when}."),
                clear_in,
                via: Some(Via::Native),
            };
        }
        self.sent_osc52(fallback_reason)
    }

    /// The report of an OSC 52 copy: with when (and what of it) the timed clear removes.
    fn sent_osc52(&self, fallback_reason: Option<String>) -> Report {
        let clear_in = self
            .settings
            .clear_after
            .filter(|_| self.settings.osc52_clear || self.clears_tmux());
        let when = match (clear_in, self.settings.osc52_clear) {
            (Some(after), true) => format!(" It will be cleared in {}.", seconds(after)),
            (Some(after), false) => format!(
                " Any tmux paste buffer holding it is deleted in {}; your terminal's clipboard is not cleared (osc52_clear is off).",
                seconds(after)
            ),
            (None, _) if self.settings.clear_after.is_some() => {
                " It is not cleared automatically (osc52_clear is off).".into()
            }
            (None, _) => String::new(),
        };
        Report {
            message: format!(
                "Sent to your terminal (OSC 52){}; the terminal cannot confirm it, so check before relying on it.{when}",
                fallback(fallback_reason)
            ),
            clear_in,
            via: Some(Via::Osc52),
        }
    }

    /// Copies an appKey the same way as a token. An appKey is not a secret: nothing is
    /// cleared later, and the latest token's timed clear stays due (tmux's paste buffers
    /// may still hold that token; a desktop clipboard now holding the appKey is left alone).
    pub fn copy_app_key(&mut self, app_key: &str) -> Report {
        if self.settings.mode == Mode::Off {
            return Report::failed(
                "Copying is off (clipboard = \"off\"); select the appKey on the screen instead.",
            );
        }
        match self.put(app_key) {
            Ok((Via::Native, _)) => Report {
                message: format!("Copied {app_key} to the system clipboard."),
                clear_in: None,
                via: Some(Via::Native),
            },
            Ok((Via::Osc52, fallback_reason)) => Report {
                // Said on the status line: short, and still claiming no more than is known.
                message: format!(
                    "Sent {app_key} to your terminal (OSC 52; unconfirmed){}.",
                    fallback(fallback_reason)
                ),
                clear_in: None,
                via: Some(Via::Osc52),
            },
            Err(Refused::TmuxOff) => Report::failed(format!("Not copied: {TMUX_OFF}.")),
            Err(refused) => refused.report(),
        }
    }

    /// On the way out: does the timed clear now, when one was due to happen.
    pub fn clear_on_exit(&mut self) {
        if self.settings.clear_after.is_some() {
            let _ = self.clear();
        }
    }

    /// Whether the desktop clipboard still holds the last copy.
    pub fn still_ours(&mut self) -> bool {
        let Some((Via::Native, copied)) = self.last else {
            return false;
        };
        self.native()
            .and_then(|native| native.get())
            .is_ok_and(|current| fingerprint(&current) == copied)
    }

    /// The timed clear. The desktop clipboard is cleared only if it still holds what we put
    /// there; OSC 52 cannot be read back, so it is cleared blindly, and only when configured.
    pub fn clear(&mut self) -> Option<String> {
        let (via, fingerprint_of_copy) = self.last.take()?;
        match via {
            Via::Native => {
                let native = self.native().ok()?;
                match native.get() {
                    Ok(current) if fingerprint(&current) == fingerprint_of_copy => match native
                        .clear()
                    {
                        Ok(()) => Some("The token was cleared from the system clipboard.".into()),
                        Err(err) => Some(format!("Could not clear the system clipboard: {err}.")),
                    },
                    // Something else was copied since: leave it alone.
                    _ => None,
                }
            }
            Via::Osc52 if self.settings.osc52_clear => {
                let sent = self.send_osc52("");
                // tmux ignores an empty OSC 52 and keeps every copy in its paste buffers:
                // remove the ones holding our token (tmux can be asked, unlike a terminal).
                let tmux = if self.environment.tmux {
                    tmux::forget_buffers(&fingerprint_of_copy)
                } else {
                    0
                };
                Some(match (sent, tmux) {
                    (Ok(()), 0) => "Asked your terminal to clear its clipboard (OSC 52).".into(),
                    (Ok(()), _) => {
                        "Asked your terminal to clear its clipboard (OSC 52) and removed the token from tmux's paste buffers."
                            .into()
                    }
                    (Err(err), _) => format!("Could not clear the clipboard: {err}."),
                })
            }
            // The terminal is left alone (osc52_clear is off), tmux's copies are not: deleting
            // our own buffers cannot touch anything else.
            Via::Osc52 if self.clears_tmux() => match tmux::forget_buffers(&fingerprint_of_copy) {
                0 => None,
                _ => Some("Removed the token from tmux's paste buffers.".into()),
            },
            Via::Osc52 => None,
        }
    }
}

/// Why OSC 52 is not sent inside a tmux that drops it, and what to set.
const TMUX_OFF: &str = "tmux has set-clipboard off, so OSC 52 would not reach your terminal: run `tmux set -s set-clipboard on` (or put `set -s set-clipboard on` in ~/.tmux.conf)";
const TMUX_OFF_COPY: &str = "Not copied: tmux has set-clipboard off, so OSC 52 would not reach your terminal. Run `tmux set -s set-clipboard on` and press c again, or reveal the token (v) and select it.";

#[cfg(test)]
mod tests;
