//! A private tmux server (its own socket, no user config) running the built binary, for
//! journeys in a real terminal. Include with `#[path = "support/tmux.rs"] mod tmux;`.
#![allow(dead_code)]

use std::path::Path;
use std::process::{Command, Output};
use std::time::{Duration, Instant};

pub struct Tmux {
    socket: String,
}

impl Tmux {
    /// None when tmux is missing outside CI (CI installs it: there, missing is a failure).
    pub fn start() -> Option<Tmux> {
        if Command::new("tmux").arg("-V").output().is_err() {
            assert!(
                std::env::var_os("CI").is_none(),
                "CI must install tmux (see .ci/run)"
            );
            eprintln!("skipping: tmux is not installed");
            return None;
        }
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .subsec_nanos();
        Some(Tmux {
            socket: format!("apikeys-journey-{}-{nanos}", std::process::id()),
        })
    }

    pub fn run(&self, args: &[&str]) -> Output {
        Command::new("tmux")
            .args(["-L", &self.socket, "-f", "/dev/null"])
            .args(args)
            .output()
            .unwrap()
    }

    /// Starts the app on the embedded demo in a 120×35 window "app", its data, config and
    /// state under `home`; the pane outlives the app so its last screen can be read.
    pub fn start_app(&self, home: &Path, args: &str) {
        self.start_app_sized(home, args, 120, 35);
    }

    pub fn start_app_sized(&self, home: &Path, args: &str, width: u16, height: u16) {
        let command = format!(
            "env -u DISPLAY -u WAYLAND_DISPLAY XDG_DATA_HOME={} XDG_CONFIG_HOME={} XDG_STATE_HOME={} {} {args}; echo APP-EXITED; sleep 600",
            home.join("data").display(),
            home.join("config").display(),
            home.join("state").display(),
            env!("CARGO_BIN_EXE_apikeys")
        );
        let (width, height) = (width.to_string(), height.to_string());
        let out = self.run(&[
            "new-session",
            "-d",
            "-s",
            "app",
            "-x",
            &width,
            "-y",
            &height,
            &command,
        ]);
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }

    pub fn capture(&self) -> String {
        String::from_utf8_lossy(&self.run(&["capture-pane", "-p", "-J", "-t", "app"]).stdout)
            .to_string()
    }

    /// The pane's screen and all its scrollback.
    pub fn capture_scrollback(&self) -> String {
        let args = ["capture-pane", "-p", "-J", "-t", "app", "-S", "-"];
        String::from_utf8_lossy(&self.run(&args).stdout).to_string()
    }

    /// tmux's latest paste buffer (where an OSC 52 copy lands with `set-clipboard on`).
    pub fn buffer(&self) -> String {
        String::from_utf8_lossy(&self.run(&["show-buffer"]).stdout).to_string()
    }

    /// Every paste buffer: (name, content).
    pub fn buffers(&self) -> Vec<(String, String)> {
        let names = self.run(&["list-buffers", "-F", "#{buffer_name}"]);
        String::from_utf8_lossy(&names.stdout)
            .lines()
            .map(|name| {
                let content = self.run(&["show-buffer", "-b", name]);
                (
                    name.to_string(),
                    String::from_utf8_lossy(&content.stdout).to_string(),
                )
            })
            .collect()
    }

    pub fn wait_for(&self, what: &str, check: impl Fn(&str) -> bool) -> String {
        let deadline = Instant::now() + Duration::from_secs(30);
        loop {
            let screen = self.capture();
            if check(&screen) {
                return screen;
            }
            assert!(
                Instant::now() < deadline,
                "timed out waiting for {what}; screen:\n{screen}"
            );
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    /// Sends each key as tmux names it ("Space", "C-Space", "C-\\", "Enter", "t"), one at a
    /// time, so the app reads each alone.
    pub fn keys(&self, keys: &[&str]) {
        for key in keys {
            self.run(&["send-keys", "-t", "app", key]);
            std::thread::sleep(Duration::from_millis(200));
        }
    }
}

/// Writes the app's config file under `home` (as `start_app` points XDG_CONFIG_HOME there).
pub fn write_config(home: &Path, config: &str) {
    let dir = home.join("config/apikeys");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("config.toml"), config).unwrap();
}

impl Drop for Tmux {
    fn drop(&mut self) {
        let _ = self.run(&["kill-server"]);
    }
}
