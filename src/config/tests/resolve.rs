//! Which target, profile, account, URL and token a run ends up with.

use super::*;

#[test]
fn default_config_path_is_under_apikeys() {
    if let Some(path) = default_config_path() {
        assert!(path.ends_with("apikeys/config.toml"), "{}", path.display());
    }
}

#[test]
fn demo_when_nothing_configured() {
    let env = MapEnv::default();
    assert!(resolve(&no_overrides(), &env, None).unwrap().is_demo());
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("nope/config.toml");
    assert!(
        resolve(&no_overrides(), &env, Some(&missing))
            .unwrap()
            .is_demo()
    );
    // A file with settings but no profiles is still "no account configured".
    let file = config("clipboard = \"auto\"\n");
    assert!(
        resolve(&no_overrides(), &env, Some(&file.path))
            .unwrap()
            .is_demo()
    );
    // A token or an environment alone does not make an account.
    let env = MapEnv::with(&[(ENV_APP_TOKEN, TOKEN), (ENV_ACCOUNT, "mystore")]);
    let overrides = Overrides {
        environment: Some("vtexcommercebeta".into()),
        ..no_overrides()
    };
    assert!(resolve(&overrides, &env, None).unwrap().is_demo());
}

#[test]
fn explicit_demo_beats_profiles_and_flags() {
    let file = config(ONE_PROFILE);
    let overrides = Overrides {
        demo: true,
        account: Some("mystore".into()),
        profile: Some("mystore".into()),
        ..no_overrides()
    };
    let env = MapEnv::with(&[(ENV_APP_KEY, "k"), (ENV_APP_TOKEN, TOKEN)]);
    assert!(
        resolve(&overrides, &env, Some(&file.path))
            .unwrap()
            .is_demo()
    );
}

#[test]
fn a_broken_file_stops_even_the_demo() {
    // The file is read once, before anything else: its settings (clipboard) apply to the demo
    // too, as they always did for the CLI.
    let file = config("this is not toml");
    let overrides = Overrides {
        demo: true,
        ..no_overrides()
    };
    let e = err(resolve(&overrides, &MapEnv::default(), Some(&file.path)));
    assert!(matches!(e, ConfigError::Parse { .. }), "{e:?}");
}

#[test]
fn single_profile_is_selected_automatically() {
    let file = config(ONE_PROFILE);
    let r = remote(resolve(&no_overrides(), &token_env(), Some(&file.path)).unwrap());
    assert_eq!(r.profile.as_deref(), Some("mystore"));
    assert_eq!(r.account, "mystore");
    assert_eq!(r.app_key, "vtexappkey-mystore-ABCDEF");
    assert_eq!(
        r.base_url.as_str(),
        "https://mystore.vtexcommercestable.com.br/"
    );
    assert_eq!(r.app_token.expose_secret(), TOKEN);
}

#[test]
fn default_profile_selects_among_several() {
    let file = config(&format!("default_profile = \"other\"\n{TWO_PROFILES}"));
    let r = remote(resolve(&no_overrides(), &token_env(), Some(&file.path)).unwrap());
    assert_eq!(r.profile.as_deref(), Some("other"));
    assert_eq!(r.account, "other");
}

#[test]
fn several_profiles_without_a_choice_is_an_error() {
    let file = config(TWO_PROFILES);
    let e = err(resolve(&no_overrides(), &token_env(), Some(&file.path)));
    assert!(matches!(e, ConfigError::NoProfileSelected { .. }), "{e:?}");
    let text = e.to_string();
    assert!(text.contains("mystore, other"), "{text}");
    assert!(text.contains("--profile"), "{text}");
    assert!(text.contains("default_profile"), "{text}");
}

#[test]
fn profile_flag_beats_env_beats_default_profile() {
    let file = config(&format!("default_profile = \"mystore\"\n{TWO_PROFILES}"));
    let env = MapEnv::with(&[(ENV_APP_TOKEN, TOKEN), (ENV_PROFILE, "other")]);
    let r = remote(resolve(&no_overrides(), &env, Some(&file.path)).unwrap());
    assert_eq!(r.profile.as_deref(), Some("other"));

    let overrides = Overrides {
        profile: Some("mystore".into()),
        ..no_overrides()
    };
    let r = remote(resolve(&overrides, &env, Some(&file.path)).unwrap());
    assert_eq!(r.profile.as_deref(), Some("mystore"));
}

#[test]
fn unknown_profile_lists_the_available_ones() {
    let file = config(TWO_PROFILES);
    let overrides = Overrides {
        profile: Some("nope".into()),
        ..no_overrides()
    };
    let e = err(resolve(&overrides, &token_env(), Some(&file.path)));
    let text = e.to_string();
    assert!(matches!(e, ConfigError::UnknownProfile { .. }), "{e:?}");
    assert!(text.contains("\"nope\""), "{text}");
    assert!(text.contains("--profile"), "{text}");
    assert!(text.contains("\"mystore\", \"other\""), "{text}");

    // Through APIKEYS_PROFILE and default_profile too.
    let env = MapEnv::with(&[(ENV_PROFILE, "ghost")]);
    let text = err(resolve(&no_overrides(), &env, Some(&file.path))).to_string();
    assert!(text.contains("APIKEYS_PROFILE"), "{text}");
    let file = config(&format!("default_profile = \"typo\"\n{TWO_PROFILES}"));
    let text = err(resolve(
        &no_overrides(),
        &MapEnv::default(),
        Some(&file.path),
    ))
    .to_string();
    assert!(text.contains("default_profile"), "{text}");
    assert!(text.contains("\"typo\""), "{text}");
}

#[test]
fn profile_flag_without_a_file_says_the_file_is_missing() {
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("config.toml");
    let overrides = Overrides {
        profile: Some("mystore".into()),
        ..no_overrides()
    };
    let text = err(resolve(&overrides, &token_env(), Some(&missing))).to_string();
    assert!(text.contains("does not exist"), "{text}");
    assert!(text.contains("[profiles.mystore]"), "{text}");
}

#[test]
fn env_and_flags_beat_the_profile() {
    let file = config(
        r#"
[profiles.mystore]
account = "mystore"
environment = "vtexcommercebeta"
app_key = "vtexappkey-mystore-ABCDEF"
app_token = "FILETOKEN"
"#,
    );
    let env = MapEnv::with(&[
        (ENV_APP_KEY, "  vtexappkey-envstore-ZZZ \n"),
        (ENV_APP_TOKEN, TOKEN),
        (ENV_ACCOUNT, "ignored"),
    ]);
    let overrides = Overrides {
        account: Some("flagstore".into()),
        environment: Some("myenv".into()),
        ..no_overrides()
    };
    let r = remote(resolve(&overrides, &env, Some(&file.path)).unwrap());
    assert_eq!(r.account, "flagstore");
    assert_eq!(r.app_key, "vtexappkey-envstore-ZZZ");
    assert_eq!(r.app_token.expose_secret(), TOKEN);
    assert_eq!(r.base_url.as_str(), "https://flagstore.myenv.com.br/");

    // Without flags, the profile's account and environment are used.
    let r = remote(resolve(&no_overrides(), &env, Some(&file.path)).unwrap());
    assert_eq!(r.account, "mystore");
    assert_eq!(
        r.base_url.as_str(),
        "https://mystore.vtexcommercebeta.com.br/"
    );
}

#[test]
fn flags_and_env_alone_make_a_remote_without_profile() {
    let env = MapEnv::with(&[
        (ENV_APP_KEY, "vtexappkey-mystore-ABC"),
        (ENV_APP_TOKEN, TOKEN),
    ]);
    let overrides = Overrides {
        account: Some("mystore".into()),
        ..no_overrides()
    };
    let r = remote(resolve(&overrides, &env, None).unwrap());
    assert_eq!(r.profile, None);
    assert_eq!(r.account, "mystore");

    // VTEX_ACCOUNT is used when nothing else names the account.
    let env = MapEnv::with(&[
        (ENV_APP_KEY, "vtexappkey-mystore-ABC"),
        (ENV_APP_TOKEN, TOKEN),
        (ENV_ACCOUNT, "envstore"),
    ]);
    let r = remote(resolve(&no_overrides(), &env, None).unwrap());
    assert_eq!(r.account, "envstore");
}

#[test]
fn app_key_without_account_asks_for_one() {
    let env = MapEnv::with(&[
        (ENV_APP_KEY, "vtexappkey-mystore-ABC"),
        (ENV_APP_TOKEN, TOKEN),
    ]);
    let e = err(resolve(&no_overrides(), &env, None));
    assert!(matches!(e, ConfigError::NoAccount { .. }), "{e:?}");
    let text = e.to_string();
    assert!(text.contains("--account"), "{text}");
    assert!(text.contains("VTEX_ACCOUNT"), "{text}");
}

#[test]
fn base_url_wins_over_account_and_environment() {
    let file = config(
        r#"
[profiles.mystore]
account = "mystore"
environment = "vtexcommercebeta"
base_url = "https://proxy.example/vtex/"
app_key = "vtexappkey-mystore-ABCDEF"
"#,
    );
    let r = remote(resolve(&no_overrides(), &token_env(), Some(&file.path)).unwrap());
    assert_eq!(r.base_url.as_str(), "https://proxy.example/vtex");
    assert_eq!(r.account, "mystore");

    let overrides = Overrides {
        base_url: Some("http://127.0.0.1:8080/".into()),
        ..no_overrides()
    };
    let r = remote(resolve(&overrides, &token_env(), Some(&file.path)).unwrap());
    assert_eq!(r.base_url.as_str(), "http://127.0.0.1:8080/");
    assert_eq!(r.base_url.path(), "/");
}

#[test]
fn plain_http_to_another_machine_needs_the_profile_opt_in() {
    let file = config(
        r#"
[profiles.proxy]
base_url = "http://proxy.internal:8080"
app_key = "vtexappkey-mystore-ABCDEF"
"#,
    );
    let e = err(resolve(&no_overrides(), &token_env(), Some(&file.path)));
    assert!(matches!(e, ConfigError::CleartextHttp { .. }), "{e:?}");
    for part in ["https://", "insecure_http = true", "profile \"proxy\""] {
        assert!(e.to_string().contains(part), "{part}: {e}");
    }
    let overrides = Overrides {
        base_url: Some("http://10.1.2.3/".into()),
        ..no_overrides()
    };
    let e = err(resolve(&overrides, &token_env(), Some(&file.path)));
    assert!(e.to_string().contains("--base-url"), "{e}");

    let file = config(
        r#"
[profiles.proxy]
base_url = "http://proxy.internal:8080"
app_key = "vtexappkey-mystore-ABCDEF"
insecure_http = true
"#,
    );
    let r = remote(resolve(&no_overrides(), &token_env(), Some(&file.path)).unwrap());
    assert!(r.insecure_http);
    let overrides = Overrides {
        base_url: Some("https://proxy.example".into()),
        ..no_overrides()
    };
    let r = remote(resolve(&overrides, &token_env(), Some(&file.path)).unwrap());
    assert!(!r.insecure_http, "https is never marked insecure");
}

#[test]
fn base_url_without_account_reads_it_from_the_app_key() {
    let env = MapEnv::with(&[
        (ENV_APP_KEY, "vtexappkey-mystore-ABCDEF"),
        (ENV_APP_TOKEN, TOKEN),
    ]);
    let overrides = Overrides {
        base_url: Some("http://localhost:3000".into()),
        ..no_overrides()
    };
    let r = remote(resolve(&overrides, &env, None).unwrap());
    assert_eq!(r.account, "mystore");

    let env = MapEnv::with(&[(ENV_APP_KEY, "some-odd-key"), (ENV_APP_TOKEN, TOKEN)]);
    let e = err(resolve(&overrides, &env, None));
    assert!(
        matches!(e, ConfigError::NoAccountForBaseUrl { .. }),
        "{e:?}"
    );
    assert!(e.to_string().contains("--account"));
}

#[test]
fn account_from_app_key_parses_the_vtex_form() {
    assert_eq!(
        account_from_app_key("vtexappkey-mystore-ABCDEF").as_deref(),
        Some("mystore")
    );
    assert_eq!(account_from_app_key("vtexappkey-mystore"), None);
    assert_eq!(account_from_app_key("vtexappkey-My-ABC"), None);
    assert_eq!(account_from_app_key("other-mystore-ABC"), None);
}

#[test]
fn bad_base_urls_are_refused() {
    for bad in [
        "ftp://example.com",
        "example.com",
        "https://user:pw@example.com",
        "https://example.com/?a=1",
        "https://example.com/#x",
        "http://",
        "not a url at all",
    ] {
        let overrides = Overrides {
            base_url: Some(bad.into()),
            account: Some("mystore".into()),
            ..no_overrides()
        };
        let env = MapEnv::with(&[(ENV_APP_KEY, "k"), (ENV_APP_TOKEN, TOKEN)]);
        let e = err(resolve(&overrides, &env, None));
        assert!(
            matches!(e, ConfigError::InvalidBaseUrl { .. }),
            "{bad}: {e:?}"
        );
        assert!(e.to_string().contains("--base-url"), "{e}");
    }
}

#[test]
fn invalid_account_and_environment_are_refused() {
    let env = MapEnv::with(&[(ENV_APP_KEY, "k"), (ENV_APP_TOKEN, TOKEN)]);
    for bad in ["MyStore", "my-store", "my.store", "my store", "lojá"] {
        let overrides = Overrides {
            account: Some(bad.into()),
            ..no_overrides()
        };
        let e = err(resolve(&overrides, &env, None));
        assert!(
            matches!(e, ConfigError::InvalidAccount { .. }),
            "{bad}: {e:?}"
        );
        let text = e.to_string();
        assert!(text.contains("lowercase letters and digits"), "{text}");
        assert!(text.contains("--account"), "{text}");
    }
    for bad in ["Stable", "a.b", "-x", "x/y"] {
        let overrides = Overrides {
            account: Some("mystore".into()),
            environment: Some(bad.into()),
            ..no_overrides()
        };
        let e = err(resolve(&overrides, &env, None));
        assert!(
            matches!(e, ConfigError::InvalidEnvironment { .. }),
            "{bad}: {e:?}"
        );
    }
}

#[test]
fn checks_follow_the_order_account_url_key_token() {
    // Nothing but an invalid account: the account is reported, not the missing app key.
    let overrides = Overrides {
        account: Some("My-Store".into()),
        ..no_overrides()
    };
    let e = err(resolve(&overrides, &MapEnv::default(), None));
    assert!(matches!(e, ConfigError::InvalidAccount { .. }), "{e:?}");
    // A profile with nothing in it: the account is missing first.
    let file = config("[profiles.empty]\n");
    let e = err(resolve(
        &no_overrides(),
        &MapEnv::default(),
        Some(&file.path),
    ));
    assert!(matches!(e, ConfigError::NoAccount { .. }), "{e:?}");
    assert!(e.to_string().contains("profile \"empty\""), "{e}");
}

#[test]
fn missing_app_key_names_the_profile_and_file() {
    let file = config("[profiles.mystore]\naccount = \"mystore\"\n");
    let e = err(resolve(&no_overrides(), &token_env(), Some(&file.path)));
    assert!(matches!(e, ConfigError::NoAppKey { .. }), "{e:?}");
    let text = e.to_string();
    assert!(
        text.starts_with("No app key: set VTEX_APP_KEY or app_key in profile \"mystore\" of "),
        "{text}"
    );
    assert!(text.contains(&file.path.display().to_string()), "{text}");
}

#[test]
fn missing_token_names_the_three_ways() {
    let file = config(ONE_PROFILE);
    let e = err(resolve(
        &no_overrides(),
        &MapEnv::default(),
        Some(&file.path),
    ));
    assert!(matches!(e, ConfigError::NoToken { .. }), "{e:?}");
    let text = e.to_string();
    assert!(text.contains("VTEX_APP_TOKEN"), "{text}");
    assert!(text.contains("token_command"), "{text}");
    assert!(text.contains("app_token"), "{text}");
    assert!(text.contains("chmod 600"), "{text}");
}

#[test]
fn token_with_spaces_and_line_breaks_is_normalized() {
    let file = config(ONE_PROFILE);
    let env = MapEnv::with(&[(ENV_APP_TOKEN, "  SECRET TOKEN\nxyz\t123 \r\n")]);
    let r = remote(resolve(&no_overrides(), &env, Some(&file.path)).unwrap());
    assert_eq!(r.app_token.expose_secret(), TOKEN);
}

#[test]
fn whitespace_only_token_is_an_error_and_empty_is_unset() {
    let file = config(ONE_PROFILE);
    let env = MapEnv::with(&[(ENV_APP_TOKEN, " \n\t ")]);
    let e = err(resolve(&no_overrides(), &env, Some(&file.path)));
    assert!(matches!(e, ConfigError::EmptyToken { .. }), "{e:?}");
    assert!(e.to_string().contains("VTEX_APP_TOKEN"));

    let env = MapEnv::with(&[(ENV_APP_TOKEN, "")]);
    let e = err(resolve(&no_overrides(), &env, Some(&file.path)));
    assert!(matches!(e, ConfigError::NoToken { .. }), "{e:?}");
}
