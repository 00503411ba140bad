//! Getting a token to the clipboard of the person at the keyboard, and off it again.
//!
//! Two ways: the desktop clipboard (arboard), or OSC 52, an escape sequence asking the terminal
//! itself to set its clipboard, which reaches the admin's own machine even over ssh. `auto`
//! picks OSC 52 over ssh or without a display, else the desktop clipboard, falling back to
//! OSC 52 when that fails. Messages claim only what is known: OSC 52 cannot be confirmed.
//! A copy may be cleared after a while: the desktop clipboard only if it still holds our token
//! (compared by hash: the token itself is not kept), OSC 52 only when `osc52_clear` is on.

use std::io::Write;
use std::time::Duration;

use secrecy::{ExposeSecret, SecretString};
use sha2::{Digest, Sha256};

/// Where copies go.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Mode {
    Auto,
    Native,
    Osc52,
    Off,
}

impl std::str::FromStr for Mode {
    type Err = String;

    fn from_str(text: &str) -> Result<Mode, String> {
        match text.trim() {
            "auto" => Ok(Mode::Auto),
            "native" => Ok(Mode::Native),
            "osc52" => Ok(Mode::Osc52),
            "off" => Ok(Mode::Off),
            other => Err(format!(
                "clipboard must be auto, native, osc52 or off; got {other:?}"
            )),
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
    /// From the config file's values; `clear_after_secs = 0` means never.
    pub fn from_config(config: &crate::config::Settings) -> Result<Settings, String> {
        let defaults = Settings::default();
        Ok(Settings {
            mode: match &config.clipboard {
                Some(mode) => mode.parse()?,
                None => defaults.mode,
            },
            clear_after: match config.clear_after_secs {
                Some(0) => None,
                Some(secs) => Some(Duration::from_secs(secs)),
                None => defaults.clear_after,
            },
            osc52_clear: config.osc52_clear.unwrap_or(false),
            wrap: match config.osc52_wrap.as_deref().map(str::trim) {
                None | Some("auto") => None,
                Some("plain") => Some(Wrap::Plain),
                Some("tmux") => Some(Wrap::Tmux),
                Some("screen") => Some(Wrap::Screen),
                Some(other) => {
                    return Err(format!(
                        "osc52_wrap must be auto, plain, tmux or screen; got {other:?}"
                    ));
                }
            },
        })
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

const BASE64: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/// Most terminals drop longer OSC 52 payloads (xterm's default limit is close to this).
pub const MAX_OSC52_PAYLOAD: usize = 74_994;

/// Standard base64 with padding.
pub fn base64(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let b = [
            chunk[0],
            *chunk.get(1).unwrap_or(&0),
            *chunk.get(2).unwrap_or(&0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for (i, shift) in [18, 12, 6, 0].into_iter().enumerate() {
            if i <= chunk.len() {
                out.push(char::from(BASE64[((n >> shift) & 63) as usize]));
            } else {
                out.push('=');
            }
        }
    }
    out
}

/// The OSC 52 sequence setting the clipboard ("c") to `text`, wrapped for `wrap`. An empty
/// `text` clears it. Errs when the payload is too large for terminals to accept.
pub fn osc52(text: &str, wrap: Wrap) -> Result<SecretString, String> {
    let payload = base64(text.as_bytes());
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

/// One per session: keeps the desktop clipboard alive (on X11 and Wayland a copy lives only as
/// long as its owner) and remembers what it copied, by hash, for the timed clear.
pub struct Clipboard {
    settings: Settings,
    environment: Environment,
    open: Opener,
    native: Option<Box<dyn Native>>,
    terminal: Box<dyn Write + Send>,
    last: Option<(Via, [u8; 32])>,
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
        terminal: Box<dyn Write + Send>,
        open: Opener,
    ) -> Clipboard {
        Clipboard {
            settings,
            environment,
            open,
            native: None,
            terminal,
            last: None,
        }
    }

    /// The real thing: arboard when wanted, OSC 52 to `terminal`.
    pub fn system(settings: Settings, terminal: Box<dyn Write + Send>) -> Clipboard {
        Clipboard::new(
            settings,
            Environment::detect(),
            terminal,
            Box::new(open_native),
        )
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
        // One write, so nothing the app draws can land inside the sequence.
        self.terminal
            .write_all(sequence.expose_secret().as_bytes())
            .and_then(|()| self.terminal.flush())
            .map_err(|err| format!("could not write to the terminal: {err}"))
    }

    pub fn copy(&mut self, token: &SecretString) -> Report {
        let text = token.expose_secret();
        if self.settings.mode == Mode::Off {
            return Report {
                message:
                    "Copying is off (clipboard = \"off\"); select the revealed token (v) instead."
                        .into(),
                clear_in: None,
                via: None,
            };
        }
        let mut fallback_reason = None;
        if !self.prefers_osc52() {
            match self.native().and_then(|native| native.set(text)) {
                Ok(()) => {
                    self.last = Some((Via::Native, fingerprint(text)));
                    let clear_in = self.settings.clear_after;
                    let when = match clear_in {
                        Some(after) => {
                            format!("; it will be cleared in {} if still there", seconds(after))
                        }
                        None => String::new(),
                    };
                    return Report {
                        message: format!("Copied to the system clipboard{when}."),
                        clear_in,
                        via: Some(Via::Native),
                    };
                }
                Err(err) if self.settings.mode == Mode::Native => {
                    return Report {
                        message: format!("Could not copy to the system clipboard: {err}."),
                        clear_in: None,
                        via: None,
                    };
                }
                Err(err) => fallback_reason = Some(err),
            }
        }
        match self.send_osc52(text) {
            Ok(()) => {
                self.last = Some((Via::Osc52, fingerprint(text)));
                let clear_in = self
                    .settings
                    .clear_after
                    .filter(|_| self.settings.osc52_clear);
                let when = match (clear_in, self.settings.clear_after) {
                    (Some(after), _) => format!(" It will be cleared in {}.", seconds(after)),
                    (None, Some(_)) => {
                        " It is not cleared automatically (osc52_clear is off).".into()
                    }
                    (None, None) => String::new(),
                };
                let why = fallback_reason
                    .map(|err| format!(" (the system clipboard failed: {err})"))
                    .unwrap_or_default();
                Report {
                    message: format!(
                        "Sent to your terminal (OSC 52){why}; the terminal cannot confirm it, so check before relying on it.{when}"
                    ),
                    clear_in,
                    via: Some(Via::Osc52),
                }
            }
            Err(err) => Report {
                message: format!("Could not copy: {err}."),
                clear_in: None,
                via: None,
            },
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
                    forget_tmux_buffers(&fingerprint_of_copy)
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
            Via::Osc52 => None,
        }
    }
}

/// Deletes the tmux paste buffers that hold the copy with this fingerprint; returns how many.
fn forget_tmux_buffers(copied: &[u8; 32]) -> usize {
    let tmux = |args: &[&str]| {
        std::process::Command::new("tmux")
            .args(args)
            .stdin(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .output()
            .ok()
            .filter(|out| out.status.success())
            .map(|out| out.stdout)
    };
    let Some(names) = tmux(&["list-buffers", "-F", "#{buffer_name}"]) else {
        return 0;
    };
    let mut forgotten = 0;
    for name in String::from_utf8_lossy(&names).lines() {
        let holds_copy = tmux(&["show-buffer", "-b", name])
            .is_some_and(|content| Sha256::digest(&content).as_slice() == copied);
        if holds_copy && tmux(&["delete-buffer", "-b", name]).is_some() {
            forgotten += 1;
        }
    }
    forgotten
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::{Arc, Mutex};

    #[test]
    fn base64_matches_rfc4648() {
        for (plain, encoded) in [
            ("", ""),
            ("f", "Zg=="),
            ("fo", "Zm8="),
            ("foo", "Zm9v"),
            ("foobar", "Zm9vYmFy"),
        ] {
            assert_eq!(base64(plain.as_bytes()), encoded);
        }
    }

    // Hand-checked: "FAKETOKEN" is RkFLRVRPS0VO in base64.
    #[test]
    fn osc52_plain() {
        let seq = osc52("FAKETOKEN", Wrap::Plain).unwrap();
        assert_eq!(seq.expose_secret(), "\x1b]52;c;RkFLRVRPS0VO\x07");
        assert_eq!(
            osc52("", Wrap::Plain).unwrap().expose_secret(),
            "\x1b]52;c;\x07"
        );
    }

    #[test]
    fn osc52_tmux_passthrough() {
        let seq = osc52("FAKETOKEN", Wrap::Tmux).unwrap();
        assert_eq!(
            seq.expose_secret(),
            "\x1bPtmux;\x1b\x1b]52;c;RkFLRVRPS0VO\x07\x1b\\"
        );
    }

    #[test]
    fn osc52_screen_chunks() {
        let short = osc52("FAKETOKEN", Wrap::Screen).unwrap();
        assert_eq!(
            short.expose_secret(),
            "\x1bP\x1b]52;c;RkFLRVRPS0VO\x07\x1b\\"
        );
        // 100 letters → 136 base64 characters → 144-byte sequence → two pieces (76 + 68).
        let token = "A".repeat(100);
        let long = osc52(&token, Wrap::Screen).unwrap();
        let plain = osc52(&token, Wrap::Plain).unwrap();
        let expected = format!(
            "\x1bP{}\x1b\\\x1bP{}\x1b\\",
            &plain.expose_secret()[..76],
            &plain.expose_secret()[76..]
        );
        assert_eq!(long.expose_secret(), &expected);
    }

    #[test]
    fn osc52_refuses_oversized_payloads() {
        assert!(osc52(&"x".repeat(60_000), Wrap::Plain).is_err());
    }

    #[derive(Clone, Default)]
    struct Fake(Arc<Mutex<String>>);

    impl Native for Fake {
        fn set(&mut self, text: &str) -> Result<(), String> {
            *self.0.lock().unwrap() = text.to_string();
            Ok(())
        }
        fn get(&mut self) -> Result<String, String> {
            Ok(self.0.lock().unwrap().clone())
        }
        fn clear(&mut self) -> Result<(), String> {
            self.0.lock().unwrap().clear();
            Ok(())
        }
    }

    #[derive(Clone, Default)]
    struct Sink(Arc<Mutex<Vec<u8>>>);

    impl Write for Sink {
        fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
            self.0.lock().unwrap().extend_from_slice(buf);
            Ok(buf.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }

    fn desktop() -> Environment {
        Environment {
            display: true,
            ..Environment::default()
        }
    }

    fn with_fake(
        settings: Settings,
        environment: Environment,
        fake: &Fake,
        sink: &Sink,
    ) -> Clipboard {
        let fake = fake.clone();
        Clipboard::new(
            settings,
            environment,
            Box::new(sink.clone()),
            Box::new(move || Ok(Box::new(fake.clone()) as Box<dyn Native>)),
        )
    }

    const TOKEN: &str = "FAKETOKENXXXXXXXXXXXXXXXXXXXXXXX";

    #[test]
    fn native_clear_only_when_unchanged() {
        let (fake, sink) = (Fake::default(), Sink::default());
        let mut clipboard = with_fake(Settings::default(), desktop(), &fake, &sink);
        let report = clipboard.copy(&SecretString::from(TOKEN));
        assert_eq!(report.via, Some(Via::Native));
        assert_eq!(report.clear_in, Some(Duration::from_secs(45)));
        assert!(
            report
                .message
                .starts_with("Copied to the system clipboard; it will be cleared in 45 s")
        );
        assert_eq!(*fake.0.lock().unwrap(), TOKEN);
        assert!(clipboard.clear().is_some());
        assert_eq!(*fake.0.lock().unwrap(), "", "still ours: cleared");

        clipboard.copy(&SecretString::from(TOKEN));
        *fake.0.lock().unwrap() = "something the user copied later".into();
        assert_eq!(clipboard.clear(), None);
        assert_eq!(
            *fake.0.lock().unwrap(),
            "something the user copied later",
            "changed: left alone"
        );
        assert!(sink.0.lock().unwrap().is_empty(), "no OSC 52 on a desktop");
    }

    #[test]
    fn auto_uses_osc52_over_ssh_and_without_display() {
        for environment in [
            Environment {
                ssh: true,
                display: true,
                ..Environment::default()
            },
            Environment::default(),
        ] {
            let (fake, sink) = (Fake::default(), Sink::default());
            let mut clipboard = with_fake(Settings::default(), environment, &fake, &sink);
            let report = clipboard.copy(&SecretString::from("FAKETOKEN"));
            assert_eq!(report.via, Some(Via::Osc52));
            assert!(report.message.starts_with("Sent to your terminal (OSC 52)"));
            assert!(report.message.contains("not cleared automatically"));
            assert_eq!(report.clear_in, None);
            assert_eq!(
                sink.0.lock().unwrap().as_slice(),
                b"\x1b]52;c;RkFLRVRPS0VO\x07"
            );
            assert_eq!(*fake.0.lock().unwrap(), "");
        }
    }

    #[test]
    fn osc52_clear_sends_an_empty_sequence_when_enabled() {
        let (fake, sink) = (Fake::default(), Sink::default());
        let settings = Settings {
            mode: Mode::Osc52,
            osc52_clear: true,
            ..Settings::default()
        };
        let mut clipboard = with_fake(settings, desktop(), &fake, &sink);
        let report = clipboard.copy(&SecretString::from("FAKETOKEN"));
        assert_eq!(report.clear_in, Some(Duration::from_secs(45)));
        assert!(report.message.ends_with("It will be cleared in 45 s."));
        sink.0.lock().unwrap().clear();
        assert!(clipboard.clear().is_some());
        assert_eq!(sink.0.lock().unwrap().as_slice(), b"\x1b]52;c;\x07");
    }

    #[test]
    fn auto_falls_back_to_osc52_when_the_desktop_clipboard_fails() {
        let sink = Sink::default();
        let mut clipboard = Clipboard::new(
            Settings::default(),
            desktop(),
            Box::new(sink.clone()),
            Box::new(|| Err("no X11 server".to_string())),
        );
        let report = clipboard.copy(&SecretString::from("FAKETOKEN"));
        assert_eq!(report.via, Some(Via::Osc52));
        assert!(
            report
                .message
                .contains("the system clipboard failed: no X11 server")
        );
        // Explicit native mode reports the failure instead.
        let mut native_only = Clipboard::new(
            Settings {
                mode: Mode::Native,
                ..Settings::default()
            },
            desktop(),
            Box::new(Sink::default()),
            Box::new(|| Err("no X11 server".to_string())),
        );
        assert_eq!(native_only.copy(&SecretString::from("FAKETOKEN")).via, None);
    }

    #[test]
    fn off_copies_nothing_and_screen_wraps() {
        let (fake, sink) = (Fake::default(), Sink::default());
        let mut off = with_fake(
            Settings {
                mode: Mode::Off,
                ..Settings::default()
            },
            desktop(),
            &fake,
            &sink,
        );
        assert_eq!(off.copy(&SecretString::from("FAKETOKEN")).via, None);
        assert!(sink.0.lock().unwrap().is_empty());
        let screen = Environment {
            screen: true,
            ..Environment::default()
        };
        let mut wrapped = with_fake(Settings::default(), screen, &fake, &sink);
        wrapped.copy(&SecretString::from("FAKETOKEN"));
        assert!(sink.0.lock().unwrap().starts_with(b"\x1bP\x1b]52;c;"));
    }
}
