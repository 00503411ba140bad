//! The token command, the file's own rules, parse errors and settings.

use super::*;

fn profile_with_command(command: &str) -> TempConfig {
    config(&format!(
        "[profiles.mystore]\naccount = \"mystore\"\napp_key = \"vtexappkey-mystore-ABCDEF\"\n\
         token_command = {}\n",
        toml_string(command)
    ))
}

fn toml_string(s: &str) -> String {
    let escaped = s.replace('\\', "\\\\").replace('"', "\\\"");
    format!("\"{escaped}\"")
}

#[cfg(unix)]
#[test]
fn token_command_output_is_the_token() {
    let file = profile_with_command("printf 'SECRET TOKENxyz\\n123\\n'");
    let r = remote(resolve(&no_overrides(), &MapEnv::default(), Some(&file.path)).unwrap());
    assert_eq!(r.app_token.expose_secret(), TOKEN);

    // VTEX_APP_TOKEN wins: the command is not even run (it would fail).
    let file = profile_with_command("exit 1");
    let r = remote(resolve(&no_overrides(), &token_env(), Some(&file.path)).unwrap());
    assert_eq!(r.app_token.expose_secret(), TOKEN);
}

#[cfg(unix)]
#[test]
fn failing_token_command_reports_status_and_stderr_never_stdout() {
    let file = profile_with_command(&format!(
        "echo {TOKEN}; echo 'gpg: decryption failed: No secret key' >&2; echo more >&2; exit 3"
    ));
    let e = err(resolve(
        &no_overrides(),
        &MapEnv::default(),
        Some(&file.path),
    ));
    assert!(matches!(e, ConfigError::TokenCommandFailed { .. }), "{e:?}");
    let text = e.to_string();
    assert!(text.contains("exit status 3"), "{text}");
    assert!(
        text.contains("gpg: decryption failed: No secret key"),
        "{text}"
    );
    assert!(!text.contains("more"), "{text}");
    assert!(text.contains("profile \"mystore\""), "{text}");
    assert!(text.contains("VTEX_APP_TOKEN"), "{text}");
    assert!(!format!("{e:?}").contains(TOKEN));

    let file = profile_with_command("exit 7");
    let text = err(resolve(
        &no_overrides(),
        &MapEnv::default(),
        Some(&file.path),
    ))
    .to_string();
    assert!(
        text.contains("exit status 7, with no error output"),
        "{text}"
    );

    let file = profile_with_command("kill -9 $$");
    let text = err(resolve(
        &no_overrides(),
        &MapEnv::default(),
        Some(&file.path),
    ))
    .to_string();
    assert!(text.contains("killed by signal 9"), "{text}");
}

#[cfg(unix)]
#[test]
fn token_command_with_empty_output_is_an_error() {
    for command in ["true", "printf '  \\n\\n'"] {
        let file = profile_with_command(command);
        let e = err(resolve(
            &no_overrides(),
            &MapEnv::default(),
            Some(&file.path),
        ));
        assert!(matches!(e, ConfigError::TokenCommandEmpty { .. }), "{e:?}");
        assert!(e.to_string().contains("standard output"));
    }
}

#[cfg(unix)]
#[test]
fn token_command_that_hangs_is_stopped() {
    let file = profile_with_command(&format!("echo {TOKEN}; exec sleep 30"));
    let started = Instant::now();
    let e = err(resolve_with_timeout(
        &no_overrides(),
        &MapEnv::default(),
        Some(&file.path),
        Duration::from_millis(300),
    ));
    assert!(started.elapsed() < Duration::from_secs(10));
    assert!(
        matches!(e, ConfigError::TokenCommandTimedOut { .. }),
        "{e:?}"
    );
    assert!(e.to_string().contains("VTEX_APP_TOKEN"));
}

#[cfg(unix)]
#[test]
fn token_command_gets_no_input() {
    // With stdin null, `cat` ends at once with nothing: an empty-output error, not a hang.
    let file = profile_with_command("cat");
    let e = err(resolve_with_timeout(
        &no_overrides(),
        &MapEnv::default(),
        Some(&file.path),
        Duration::from_secs(5),
    ));
    assert!(matches!(e, ConfigError::TokenCommandEmpty { .. }), "{e:?}");
}

fn profile_with_file_token(mode: u32) -> TempConfig {
    config_with_mode(
        &format!(
            "[profiles.mystore]\naccount = \"mystore\"\napp_key = \"vtexappkey-mystore-ABCDEF\"\n\
             app_token = \"{TOKEN}\"\n"
        ),
        mode,
    )
}

#[cfg(unix)]
#[test]
fn app_token_in_file_is_refused_unless_private() {
    for mode in [0o644, 0o640, 0o604, 0o660] {
        let file = profile_with_file_token(mode);
        let e = err(resolve(
            &no_overrides(),
            &MapEnv::default(),
            Some(&file.path),
        ));
        assert!(
            matches!(e, ConfigError::TokenFileNotPrivate { .. }),
            "{e:?}"
        );
        let text = e.to_string();
        assert!(text.contains(&format!("mode {:04o}", mode)), "{text}");
        assert!(
            text.contains(&format!("chmod 600 {}", file.path.display())),
            "{text}"
        );
        assert!(text.contains("token_command"), "{text}");
        assert!(text.contains("VTEX_APP_TOKEN"), "{text}");
        assert!(text.contains("leak"), "{text}");
    }
}

#[cfg(unix)]
#[test]
fn app_token_in_file_is_accepted_when_private() {
    for mode in [0o600, 0o400] {
        let file = profile_with_file_token(mode);
        let r = remote(resolve(&no_overrides(), &MapEnv::default(), Some(&file.path)).unwrap());
        assert_eq!(r.app_token.expose_secret(), TOKEN);
    }
}

#[cfg(unix)]
#[test]
fn app_token_in_open_file_is_not_checked_when_env_provides_the_token() {
    let file = profile_with_file_token(0o644);
    let env = MapEnv::with(&[(ENV_APP_TOKEN, "OTHERTOKEN")]);
    let r = remote(resolve(&no_overrides(), &env, Some(&file.path)).unwrap());
    assert_eq!(r.app_token.expose_secret(), "OTHERTOKEN");
}

#[test]
fn unknown_keys_are_named() {
    let file = config("clipbaord = \"auto\"\n");
    let e = err(resolve(
        &no_overrides(),
        &MapEnv::default(),
        Some(&file.path),
    ));
    assert!(matches!(e, ConfigError::Parse { line: 1, .. }), "{e:?}");
    assert!(e.to_string().contains("clipbaord"), "{e}");

    let file = config(&format!("{ONE_PROFILE}app_tokn = \"{TOKEN}\"\n"));
    let e = err(resolve(
        &no_overrides(),
        &MapEnv::default(),
        Some(&file.path),
    ));
    let text = e.to_string();
    assert!(text.contains("app_tokn"), "{text}");
    assert!(text.contains("line 5"), "{text}");

    // load_settings reports it as well.
    let file = config("[profile.mystore]\naccount = \"x\"\n");
    let text = load_settings(Some(&file.path)).unwrap_err().to_string();
    assert!(text.contains("`profile`"), "{text}");
}

#[test]
fn parse_errors_never_show_the_offending_line() {
    for text in [
        format!("[profiles.mystore]\napp_token = \"{TOKEN}\n"),
        format!("[profiles.mystore]\napp_token = {TOKEN}\n"),
        format!("clear_after_secs = \"{TOKEN}\"\n"),
        format!("[profiles.mystore]\napp_token = \"{TOKEN}\" junk\n"),
        format!("[profiles.mystore]\napp_token = [\"{TOKEN}\"]\n"),
    ] {
        let file = config(&text);
        let e = err(resolve(
            &no_overrides(),
            &MapEnv::default(),
            Some(&file.path),
        ));
        assert!(matches!(e, ConfigError::Parse { .. }), "{e:?}");
        assert!(!format!("{e:?}").contains(TOKEN), "{e:?}");
        assert!(e.to_string().contains("line "), "{e}");
    }
}

#[test]
fn sanitizer_drops_quoted_values() {
    assert_eq!(
        sanitize_toml_message("invalid type: string \"hunter2\", expected u64"),
        "invalid type: string \"…\", expected u64"
    );
    assert_eq!(
        sanitize_toml_message("unknown field `app_tokn`, expected one of `account`"),
        "unknown field `app_tokn`, expected one of `account`"
    );
    assert_eq!(
        sanitize_toml_message("unterminated \"abc"),
        "unterminated \"…\""
    );
    assert_eq!(
        sanitize_toml_message("invalid basic string, expected `\"`"),
        "invalid basic string, expected `\"`"
    );
    assert_eq!(line_column("a\nbc\ndé=", 8), (3, 3));
}

#[test]
fn debug_of_remote_redacts_the_token() {
    let file = config(ONE_PROFILE);
    let target = resolve(&no_overrides(), &token_env(), Some(&file.path)).unwrap();
    let debug = format!("{target:?}");
    assert!(!debug.contains(TOKEN), "{debug}");
    assert!(debug.contains("REDACTED"), "{debug}");
    assert!(debug.contains("vtexappkey-mystore-ABCDEF"), "{debug}");
    let pretty = format!("{:#?}", remote(target));
    assert!(!pretty.contains(TOKEN), "{pretty}");
}

#[test]
fn settings_are_passed_through() {
    let file = config(&format!(
        "default_profile = \"mystore\"\nclipboard = \"osc52\"\nclear_after_secs = 45\n\
         osc52_clear = false\nrefresh_secs = 30\n{ONE_PROFILE}"
    ));
    let expected = Settings {
        clipboard: Some(crate::clipboard::Mode::Osc52),
        clear_after_secs: Some(45),
        osc52_clear: Some(false),
        osc52_wrap: None,
        refresh_secs: Some(30),
    };
    // The session reads these from the loaded file once; a profile's target does not carry them.
    assert_eq!(load_settings(Some(&file.path)).unwrap(), expected);
}

#[test]
fn settings_default_without_a_file() {
    assert_eq!(load_settings(None).unwrap(), Settings::default());
    let dir = tempfile::tempdir().unwrap();
    assert_eq!(
        load_settings(Some(&dir.path().join("missing.toml"))).unwrap(),
        Settings::default()
    );
}

#[test]
fn unreadable_config_is_an_error_with_a_sentence() {
    let dir = tempfile::tempdir().unwrap();
    let e = load_settings(Some(dir.path())).unwrap_err();
    assert!(matches!(e, ConfigError::Read { .. }), "{e:?}");
    assert!(e.to_string().ends_with('.'), "{e}");
}

#[test]
fn normalize_token_removes_all_whitespace() {
    assert_eq!(normalize_token(" a b\nc\t").as_deref(), Some("abc"));
    assert_eq!(normalize_token(" \n "), None);
}

/// The picker's line for each profile: its base URL, else its account (with a non-default
/// environment); nothing is run to find it.
#[test]
fn profile_targets_are_known_without_a_token() {
    let file = config(
        "[profiles.a]\naccount = \"acme\"\napp_key = \"k\"\ntoken_command = \"exit 1\"\n\n\
         [profiles.b]\naccount = \"acme\"\nbase_url = \"https://proxy.example\"\n\n\
         [profiles.c]\naccount = \"acme\"\nenvironment = \"vtexcommercebeta\"\n\n\
         [profiles.d]\napp_key = \"k\"\n",
    );
    let loaded = ConfigFile::load(Some(&file.path)).unwrap();
    assert_eq!(loaded.profile_names(), ["a", "b", "c", "d"]);
    assert_eq!(loaded.profile_target("a").as_deref(), Some("acme"));
    assert_eq!(
        loaded.profile_target("b").as_deref(),
        Some("https://proxy.example")
    );
    assert_eq!(
        loaded.profile_target("c").as_deref(),
        Some("acme (vtexcommercebeta)")
    );
    assert_eq!(loaded.profile_target("d"), None);
    assert_eq!(loaded.profile_target("nope"), None);
}
