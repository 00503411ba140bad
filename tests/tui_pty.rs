//! End to end in a real pseudo-terminal: the built binary on the embedded default opens,
//! filters, toggles a key, quits, and leaves the terminal restored.

mod pty_app;

use pty_app::Pty;

#[test]
fn the_binary_opens_filters_toggles_and_restores_the_terminal() {
    let dir = tempfile::tempdir().unwrap();
    let (data, config) = (dir.path().join("data"), dir.path().join("config"));
    let mut pty = Pty::spawn(&[], &data, &config);

    let screen = pty.wait_for("the populated app", |s| {
        s.contains("demo (Casa Demo) · local") && s.contains("Generated keys (61)")
    });
    assert!(
        pty.parser.lock().unwrap().screen().alternate_screen(),
        "the app runs on the alternate screen"
    );
    assert!(screen.contains("(61)"), "{screen}");

    pty.send("/");
    // Quoted: a phrase. Unquoted, the two words would also find the payment sandbox whose
    // label names Adyen further on.
    pty.send("\"Adyen payment\"");
    pty.send("\r");
    let filtered = pty.wait_for("the filtered row", |s| s.contains("(1/61)"));
    assert!(filtered.contains("Adyen"), "{filtered}");

    pty.send("t");
    pty.wait_for("the confirmation", |s| s.contains("Deactivate"));
    pty.send("\r");
    pty.wait_for("the key inactive", |s| s.contains("is inactive"));

    pty.send("q");
    pty.expect_clean_exit();
    std::thread::sleep(std::time::Duration::from_millis(200));
    let parser = pty.parser.lock().unwrap();
    assert!(
        !parser.screen().alternate_screen(),
        "back on the main screen"
    );
    assert!(
        !parser.screen().hide_cursor(),
        "the cursor is visible again"
    );
    drop(parser);
    let raw = String::from_utf8_lossy(&pty.raw.lock().unwrap()).to_string();
    assert!(raw.contains("\x1b[?1049l"), "the alternate screen was left");
    assert!(
        raw.contains("\x1b[?2004l"),
        "bracketed paste was turned off"
    );

    // The toggle reached the server: the demo database says so.
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_apikeys"))
        .args([
            "keys",
            "list",
            "--filter",
            "\"Adyen payment\"",
            "--output",
            "json",
        ])
        .env("XDG_DATA_HOME", &data)
        .env("XDG_CONFIG_HOME", &config)
        .env_remove("VTEX_APP_KEY")
        .env_remove("VTEX_APP_TOKEN")
        .output()
        .unwrap();
    let keys: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(keys[0]["isActive"], false, "{keys}");
}
