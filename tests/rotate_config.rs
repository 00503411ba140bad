//! `[profiles.NAME.rotation]` in the config file: sink, verify, grace and timeout_secs are the
//! defaults of `apikeys rotate` on that profile; flags override them; a value the command
//! cannot use is a usage error naming the file, before anything is renewed.

mod common;
#[path = "support/rotation.rs"]
mod rotation;

use std::os::unix::fs::PermissionsExt;
use std::process::Stdio;

use serde_json::Value;

use common::cli::Run;
use rotation::{World, outcome_of};

/// Writes a 0600 config whose profile `shop` points at the world's server with the admin key
/// and has `rotation` as its rotation table.
fn write_config(world: &World, rotation: &str) {
    let dir = world.home.path().join("config/apikeys");
    std::fs::create_dir_all(&dir).unwrap();
    let admin = &world.server.admin;
    let text = format!(
        "default_profile = \"shop\"\n\n[profiles.shop]\nbase_url = \"{}\"\napp_key = \"{}\"\n\
         app_token = \"{}\"\n\n[profiles.shop.rotation]\n{rotation}\n",
        world.server.url(""),
        admin.app_key,
        admin.token
    );
    let path = dir.join("config.toml");
    std::fs::write(&path, text).unwrap();
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600)).unwrap();
}

/// `apikeys rotate ARGS…` with credentials from the config file alone.
async fn rotate_on_profile(world: &World, args: &[&str]) -> Run {
    let home = world.home.path();
    let output = tokio::process::Command::new(env!("CARGO_BIN_EXE_apikeys"))
        .arg("rotate")
        .args(args)
        .env_clear()
        .env("HOME", home)
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("XDG_CONFIG_HOME", home.join("config"))
        .env("XDG_DATA_HOME", home.join("data"))
        .env("XDG_STATE_HOME", home.join("state"))
        .env("STORE_DIR", world.store())
        .stdin(Stdio::null())
        .kill_on_drop(true)
        .output()
        .await
        .unwrap();
    Run {
        status: output.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_profile_names_the_sink_and_the_grace_and_flags_override_them() {
    let world = World::new().await;
    write_config(
        &world,
        &format!(
            "sink = \"{}\"\ngrace = \"1h\"\ntimeout_secs = 10",
            world.sink()
        ),
    );
    let first = world.key("From the config", 0).await;
    let run = rotate_on_profile(&world, &[&first.creds.app_key, "--output", "json"]).await;
    assert_eq!(run.status, 0, "{}\n{}", run.stdout, run.stderr);
    let report: Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(
        outcome_of(&report, &first.creds.app_key)["outcome"],
        "grace"
    );
    assert!(
        world.stored(&first.creds.app_key).is_some(),
        "the config's sink ran"
    );
    assert!(
        world
            .server
            .login_works(&first.creds.app_key, &first.creds.token)
            .await
    );

    let second = world.key("Flag wins", 0).await;
    let run = rotate_on_profile(
        &world,
        &[&second.creds.app_key, "--grace", "0", "--output", "json"],
    )
    .await;
    assert_eq!(run.status, 0, "{}", run.stderr);
    let report: Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(
        outcome_of(&report, &second.creds.app_key)["outcome"],
        "rotated"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_rotation_table_the_command_cannot_use_is_refused_before_anything_is_renewed() {
    let world = World::new().await;
    let key = world.key("Untouched", 0).await;
    for (table, said) in [
        ("sink = \"true\"\ngrace = \"a year\"", "grace"),
        ("sinc = \"true\"", "sinc"),
        ("sink = \"put {appkey}\"", "{appKey}"),
    ] {
        write_config(&world, table);
        let run = rotate_on_profile(&world, &[&key.creds.app_key]).await;
        assert_eq!(run.status, 2, "{table}: {}", run.stderr);
        assert!(run.stderr.contains(said), "{table}: {}", run.stderr);
        assert!(
            run.stderr.contains("config.toml") || said == "{appKey}",
            "{}",
            run.stderr
        );
        assert!(!world.server.renewal_pending(&key.creds.app_key).await);
    }
}
