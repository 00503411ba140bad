//! The clipboard service with a fake desktop clipboard and a terminal that records.

use super::*;
use std::sync::{Arc, Mutex};

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

fn with_fake(settings: Settings, environment: Environment, fake: &Fake, sink: &Sink) -> Clipboard {
    let fake = fake.clone();
    Clipboard::new(
        settings,
        environment,
        Ok(Box::new(sink.clone())),
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
        Ok(Box::new(sink.clone())),
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
        Ok(Box::new(Sink::default())),
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

fn without_terminal(settings: Settings, environment: Environment, fake: &Fake) -> Clipboard {
    let fake = fake.clone();
    Clipboard::new(
        settings,
        environment,
        Err("no terminal (test)".into()),
        Box::new(move || Ok(Box::new(fake.clone()) as Box<dyn Native>)),
    )
}

fn mode(mode: Mode) -> Settings {
    Settings {
        mode,
        ..Settings::default()
    }
}

#[test]
fn ready_says_up_front_whether_a_copy_can_happen() {
    let (fake, sink) = (Fake::default(), Sink::default());
    let headless = Environment::default();
    // Off: never.
    let off = with_fake(mode(Mode::Off), desktop(), &fake, &sink).ready();
    assert!(off.unwrap_err().contains("off"));
    // OSC 52 needs a terminal; the desktop clipboard needs to open.
    assert_eq!(
        with_fake(mode(Mode::Osc52), headless, &fake, &sink).ready(),
        Ok(Via::Osc52)
    );
    assert_eq!(
        with_fake(Settings::default(), desktop(), &fake, &sink).ready(),
        Ok(Via::Native)
    );
    for settings in [mode(Mode::Osc52), Settings::default()] {
        let refused = without_terminal(settings, headless, &fake).ready();
        assert!(refused.unwrap_err().contains("no terminal (test)"));
    }
    // A desktop clipboard that will not open: auto falls back to OSC 52 when it can.
    let broken = |settings: Settings, terminal: Terminal| {
        Clipboard::new(
            settings,
            desktop(),
            terminal,
            Box::new(|| Err("no X11 server".to_string())),
        )
    };
    assert_eq!(
        broken(Settings::default(), Ok(Box::new(Sink::default()))).ready(),
        Ok(Via::Osc52)
    );
    let neither = broken(Settings::default(), Err("no tty".into())).ready();
    let reason = neither.unwrap_err();
    assert!(
        reason.contains("no X11 server") && reason.contains("no tty"),
        "{reason}"
    );
    let native_only = broken(mode(Mode::Native), Ok(Box::new(Sink::default()))).ready();
    assert!(native_only.unwrap_err().contains("no X11 server"));
    assert!(sink.0.lock().unwrap().is_empty(), "ready() copies nothing");
}

#[test]
fn without_a_terminal_osc52_is_refused_not_redirected() {
    let fake = Fake::default();
    let mut clipboard = without_terminal(mode(Mode::Osc52), Environment::default(), &fake);
    let report = clipboard.copy(&SecretString::from("FAKETOKEN"));
    assert_eq!(report.via, None);
    assert!(
        report.message.contains("no terminal (test)"),
        "{}",
        report.message
    );
}
