//! Inside tmux, a copy is judged by what tmux will do with it: with `set-clipboard off` the app
//! says so and what to set, instead of "sent to your terminal"; and after `clear_after_secs` the
//! paste buffers holding the token are deleted even with `osc52_clear` off (the default), while
//! the user's own buffers stay. A real tmux server on its own socket with no user config.

use std::path::Path;
use std::time::{Duration, Instant};

#[path = "support/tmux.rs"]
mod tmux;

use tmux::Tmux;

/// The 100-letter token a buffer holds, if one does.
fn token_in_buffers(tmux: &Tmux) -> Option<String> {
    tmux.buffers()
        .into_iter()
        .map(|(_, content)| content)
        .find(|content| content.len() == 100 && content.chars().all(|c| c.is_ascii_uppercase()))
}

/// Starts the app (embedded demo) in a tmux session with this config and `set-clipboard`.
fn start_app(tmux: &Tmux, home: &Path, config: &str, set_clipboard: &str) {
    tmux::write_config(home, config);
    tmux.start_app_sized(home, "--refresh 0", 200, 40);
    tmux.run(&["set", "-s", "set-clipboard", set_clipboard]);
}

/// Renews the first key (old token kept for later) and opens its token dialog.
fn renew(tmux: &Tmux) {
    tmux.wait_for("the app", |s| s.contains("Generated keys (61)"));
    tmux.keys(&["r"]);
    tmux.wait_for("the renew dialog", |s| s.contains("Renew token"));
    tmux.keys(&["Enter"]);
    tmux.wait_for("the token dialog", |s| {
        s.contains("will not be shown again")
    });
}

fn quit(tmux: &Tmux) {
    tmux.keys(&["Escape", "q"]);
    tmux.wait_for("the app to exit", |s| s.contains("APP-EXITED"));
}

#[test]
fn with_set_clipboard_off_the_app_says_so_and_what_to_set_instead_of_sending() {
    let Some(tmux) = Tmux::start() else { return };
    let home = tempfile::tempdir().unwrap();
    start_app(
        &tmux,
        home.path(),
        "clipboard = \"osc52\"\nclear_after_secs = 0\n",
        "off",
    );
    renew(&tmux);
    tmux.keys(&["c"]);
    let screen = tmux.wait_for("the copy report", |s| s.contains("set-clipboard"));
    // The sentence wraps inside the dialog: its parts, each on one line.
    for part in [
        "tmux has set-clipboard off",
        "Run `tmux set -s",
        "set-clipboard on`",
    ] {
        assert!(screen.contains(part), "{part:?} missing:\n{screen}");
    }
    assert!(!screen.contains("Sent to your terminal"), "{screen}");

    // Turned on, the next c is sent (tmux is asked again) and lands in tmux's buffer.
    tmux.run(&["set", "-s", "set-clipboard", "on"]);
    tmux.keys(&["c"]);
    tmux.wait_for("the copy sent", |s| s.contains("Sent to your terminal"));
    let deadline = Instant::now() + Duration::from_secs(10);
    while token_in_buffers(&tmux).is_none() {
        assert!(Instant::now() < deadline, "the copy did not reach tmux");
        std::thread::sleep(Duration::from_millis(100));
    }
    quit(&tmux);
}

#[test]
fn the_timed_clear_deletes_our_tmux_buffers_by_default_and_only_ours() {
    let Some(tmux) = Tmux::start() else { return };
    let home = tempfile::tempdir().unwrap();
    // osc52_clear is left at its default (off).
    start_app(
        &tmux,
        home.path(),
        "clipboard = \"osc52\"\nclear_after_secs = 2\n",
        "on",
    );
    renew(&tmux);
    tmux.run(&["set-buffer", "-b", "mine", "a buffer of the user's own"]);
    tmux.keys(&["c"]);
    let screen = tmux.wait_for("the copy report", |s| s.contains("Sent to your terminal"));
    assert!(screen.contains("deleted in 2 s"), "{screen}");
    let deadline = Instant::now() + Duration::from_secs(10);
    while token_in_buffers(&tmux).is_none() {
        assert!(Instant::now() < deadline, "the copy did not reach tmux");
        std::thread::sleep(Duration::from_millis(100));
    }
    // After the delay no buffer holds the token; the user's buffer is untouched.
    let deadline = Instant::now() + Duration::from_secs(15);
    while token_in_buffers(&tmux).is_some() {
        assert!(
            Instant::now() < deadline,
            "the token stayed in tmux's paste buffers: {:?}",
            tmux.buffers()
                .iter()
                .map(|(name, _)| name)
                .collect::<Vec<_>>()
        );
        std::thread::sleep(Duration::from_millis(200));
    }
    let buffers = tmux.buffers();
    assert!(
        buffers.contains(&("mine".to_string(), "a buffer of the user's own".to_string())),
        "{buffers:?}"
    );
    quit(&tmux);
}

#[test]
fn keys_create_copy_refuses_up_front_when_tmux_drops_osc52() {
    let Some(tmux) = Tmux::start() else { return };
    let home = tempfile::tempdir().unwrap();
    let out = home.path().join("out.txt");
    let command = format!(
        "env -u DISPLAY -u WAYLAND_DISPLAY XDG_DATA_HOME={data} XDG_CONFIG_HOME={config} sh -c 'sleep 1; {bin} keys create --label \"Copied key\" --copy --clipboard osc52 > {out} 2>&1; echo \"EXIT=$?\"; {bin} keys list --filter \"Copied key\" --output json >> {out} 2>&1; echo CLI-DONE'; sleep 600",
        data = home.path().join("data").display(),
        config = home.path().join("config").display(),
        bin = env!("CARGO_BIN_EXE_apikeys"),
        out = out.display()
    );
    tmux.run(&[
        "new-session",
        "-d",
        "-s",
        "app",
        "-x",
        "160",
        "-y",
        "20",
        &command,
    ]);
    // Set before the command runs (it waits a second first).
    tmux.run(&["set", "-s", "set-clipboard", "off"]);
    let screen = tmux.wait_for("the command to finish", |s| s.contains("CLI-DONE"));
    assert!(screen.contains("EXIT=2"), "{screen}");
    let printed = std::fs::read_to_string(&out).unwrap();
    assert!(
        printed.contains("tmux has set-clipboard off")
            && printed.contains("tmux set -s set-clipboard on"),
        "{printed}"
    );
    // Nothing was created: the listing that follows is empty.
    assert!(printed.trim_end().ends_with("[]"), "{printed}");
}
