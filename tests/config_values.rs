//! A setting the app cannot use is found when the config file is read, and the message names
//! the file and the line, whatever the command.

use std::process::{Output, Stdio};

/// `apikeys --demo whoami` with `config` as the config file; nothing else of the developer's.
fn run_with_config(config: &str) -> (Output, std::path::PathBuf, tempfile::TempDir) {
    let home = tempfile::tempdir().unwrap();
    let dir = home.path().join("config").join("apikeys");
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("config.toml");
    std::fs::write(&path, config).unwrap();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_apikeys"))
        .args(["--demo", "whoami"])
        .env_clear()
        .env("HOME", home.path())
        .env("XDG_CONFIG_HOME", home.path().join("config"))
        .env("XDG_DATA_HOME", home.path().join("data"))
        .stdin(Stdio::null())
        .output()
        .unwrap();
    (out, path, home)
}

#[test]
fn a_bad_clipboard_value_names_the_file_and_line() {
    let (out, path, _home) =
        run_with_config("refresh_secs = 30\nosc52_clear = true\nclipboard = \"clipbaord\"\n");
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains(&path.display().to_string()), "{stderr}");
    assert!(stderr.contains("line 3"), "{stderr}");
    for word in ["auto", "native", "osc52", "off"] {
        assert!(stderr.contains(word), "{stderr}");
    }
}

#[test]
fn a_bad_osc52_wrap_names_the_file_and_line() {
    let (out, path, _home) = run_with_config("osc52_wrap = \"tmux-passthrough\"\n");
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains(&path.display().to_string()), "{stderr}");
    assert!(stderr.contains("line 1"), "{stderr}");
}
