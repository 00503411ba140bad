//! A `token_command` that asks for its secret on the terminal (`op`, a script's `read
//! </dev/tty`) must be able to: the command runs in its own process group (so a timeout kills
//! all of it), and apikeys lends that group the terminal's foreground for the run. The built
//! binary runs in a real pseudo-terminal against a reference server on 127.0.0.1:0; the test
//! types the token at the command's prompt.

mod common;

use std::io::{Read, Write};
use std::time::{Duration, Instant};

use common::TestServer;
use portable_pty::{CommandBuilder, PtySize, native_pty_system};

/// A profile whose token command reads one line from the terminal.
fn write_config(dir: &std::path::Path, base_url: &str, app_key: &str) {
    let config = dir.join("apikeys");
    std::fs::create_dir_all(&config).unwrap();
    std::fs::write(
        config.join("config.toml"),
        format!(
            "default_profile = \"local\"\n\n[profiles.local]\nbase_url = \"{base_url}\"\n\
             app_key = \"{app_key}\"\n\
             token_command = \"printf 'token: ' >/dev/tty; IFS= read -r t </dev/tty; printf %s \\\"$t\\\"\"\n"
        ),
    )
    .unwrap();
}

#[tokio::test(flavor = "multi_thread")]
async fn a_token_command_may_ask_on_the_terminal() {
    let server = TestServer::start().await;
    let home = tempfile::tempdir().unwrap();
    write_config(
        &home.path().join("config"),
        &server.url(""),
        &server.admin.app_key,
    );
    let token = server.admin.token.clone();
    let home_path = home.path().to_path_buf();
    let (status, screen) = tokio::task::spawn_blocking(move || {
        let pair = native_pty_system()
            .openpty(PtySize {
                rows: 24,
                cols: 200,
                pixel_width: 0,
                pixel_height: 0,
            })
            .unwrap();
        let mut command = CommandBuilder::new(env!("CARGO_BIN_EXE_apikeys"));
        command.args(["whoami", "--output", "json"]);
        command.env("HOME", &home_path);
        command.env("XDG_CONFIG_HOME", home_path.join("config"));
        command.env("XDG_DATA_HOME", home_path.join("data"));
        command.env_remove("VTEX_APP_KEY");
        command.env_remove("VTEX_APP_TOKEN");
        command.env_remove("APIKEYS_PROFILE");
        let mut child = pair.slave.spawn_command(command).unwrap();
        drop(pair.slave);
        let mut reader = pair.master.try_clone_reader().unwrap();
        let mut writer = pair.master.take_writer().unwrap();
        let (seen_tx, seen) = std::sync::mpsc::channel::<Vec<u8>>();
        std::thread::spawn(move || {
            let mut buf = [0u8; 4096];
            while let Ok(n) = reader.read(&mut buf) {
                if n == 0 || seen_tx.send(buf[..n].to_vec()).is_err() {
                    break;
                }
            }
        });
        let mut screen = Vec::new();
        let deadline = Instant::now() + Duration::from_secs(20);
        let mut typed = false;
        let status = loop {
            while let Ok(bytes) = seen.try_recv() {
                screen.extend_from_slice(&bytes);
            }
            if !typed && String::from_utf8_lossy(&screen).contains("token: ") {
                writer.write_all(format!("{token}\n").as_bytes()).unwrap();
                writer.flush().unwrap();
                typed = true;
            }
            if let Some(status) = child.try_wait().unwrap() {
                break Some(status);
            }
            if Instant::now() > deadline {
                let _ = child.kill();
                break None;
            }
            std::thread::sleep(Duration::from_millis(50));
        };
        std::thread::sleep(Duration::from_millis(200));
        while let Ok(bytes) = seen.try_recv() {
            screen.extend_from_slice(&bytes);
        }
        // What the terminal showed, with the typed (echoed) token cut out of any failure text.
        let screen = String::from_utf8_lossy(&screen).replace(&token, "<token>");
        (status, screen)
    })
    .await
    .unwrap();
    let status =
        status.unwrap_or_else(|| panic!("apikeys was still waiting after 20 s:\n{screen}"));
    assert!(status.success(), "{status:?}:\n{screen}");
    assert!(screen.contains("\"appKey\""), "{screen}");
}
