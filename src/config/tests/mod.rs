//! Resolution and file tests on real files in temporary directories, real `sh` processes.

mod file;
mod resolve;

use super::file::{line_column, sanitize_toml_message};
use super::resolve::resolve_with_timeout as resolve_in;
use super::*;
use secrecy::ExposeSecret;
use std::collections::HashMap;
use std::io::Write;
use std::path::Path;
use std::time::{Duration, Instant};

const TOKEN: &str = "SECRETTOKENxyz123";

#[derive(Default)]
struct MapEnv(HashMap<String, String>);

impl MapEnv {
    fn with(pairs: &[(&str, &str)]) -> Self {
        MapEnv(
            pairs
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
        )
    }
}

impl Env for MapEnv {
    fn var(&self, name: &str) -> Option<String> {
        self.0.get(name).cloned()
    }
}

/// A config file in a temporary directory, with the given mode (unix).
struct TempConfig {
    _dir: tempfile::TempDir,
    path: PathBuf,
}

fn config(text: &str) -> TempConfig {
    config_with_mode(text, 0o600)
}

fn config_with_mode(text: &str, mode: u32) -> TempConfig {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("config.toml");
    let mut file = std::fs::File::create(&path).unwrap();
    file.write_all(text.as_bytes()).unwrap();
    drop(file);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(mode)).unwrap();
    }
    #[cfg(not(unix))]
    let _ = mode;
    TempConfig { _dir: dir, path }
}

fn no_overrides() -> Overrides {
    Overrides::default()
}

fn remote(target: Target) -> Remote {
    match target {
        Target::Remote(remote) => remote,
        Target::Demo => panic!("expected a remote target, got the demo"),
    }
}

/// The error, after checking that its message is a sentence without any token in it.
fn err(result: Result<Target, ConfigError>) -> ConfigError {
    let error = match result {
        Ok(target) => panic!("expected an error, got {target:?}"),
        Err(error) => error,
    };
    let text = error.to_string();
    assert!(!text.contains(TOKEN), "token leaked: {text}");
    assert!(!text.contains("SECRET"), "token leaked: {text}");
    assert!(text.ends_with('.'), "not a sentence: {text}");
    assert!(
        text.chars().next().unwrap().is_uppercase() || text.starts_with('"'),
        "not a sentence: {text}"
    );
    error
}

const ONE_PROFILE: &str = r#"
[profiles.mystore]
account = "mystore"
app_key = "vtexappkey-mystore-ABCDEF"
"#;

const TWO_PROFILES: &str = r#"
[profiles.mystore]
account = "mystore"
app_key = "vtexappkey-mystore-ABCDEF"

[profiles.other]
account = "other"
app_key = "vtexappkey-other-GHIJKL"
"#;

fn token_env() -> MapEnv {
    MapEnv::with(&[(ENV_APP_TOKEN, TOKEN)])
}

/// Reads the file, as a run does once, and resolves on a small runtime of its own.
fn resolve_with_timeout(
    overrides: &Overrides,
    env: &dyn Env,
    path: Option<&Path>,
    timeout: Duration,
) -> Result<Target, ConfigError> {
    let loaded = ConfigFile::load(path)?;
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap()
        .block_on(resolve_in(overrides, env, &loaded, timeout))
}

fn resolve(
    overrides: &Overrides,
    env: &dyn Env,
    path: Option<&Path>,
) -> Result<Target, ConfigError> {
    resolve_with_timeout(overrides, env, path, TOKEN_COMMAND_TIMEOUT)
}

fn load_settings(path: Option<&Path>) -> Result<Settings, ConfigError> {
    Ok(ConfigFile::load(path)?.settings())
}
