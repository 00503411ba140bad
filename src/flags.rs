//! The flags shared by several commands, and where each applies: [`ClientArgs`] (which server,
//! how long) on the app and every command that talks to a server, [`ClipboardArgs`] where a
//! token can be copied, [`TuiArgs`] on the app alone. [`Cli::mode`] refuses a flag given before
//! a subcommand it does not apply to.

use clap::{Args, Subcommand};

use apikeys::config::Overrides;
use apikeys::session::Request;

use crate::cli::{Cli, Command, ServeArgs};

/// The terminal app (no subcommand).
#[derive(Args, Clone)]
#[command(next_help_heading = "Terminal app")]
pub struct TuiArgs {
    /// Refuse every change: browse only.
    #[arg(long)]
    pub read_only: bool,
    /// Enable the mouse (off by default, so the terminal's own text selection works over ssh).
    #[arg(long)]
    pub mouse: bool,
    /// Refresh the lists every SECS seconds (0 turns it off) [default: the config file's
    /// refresh_secs, else 30].
    #[arg(long, value_name = "SECS")]
    pub refresh: Option<u64>,
}

impl TuiArgs {
    /// The app's flags given on the command line.
    fn given(&self) -> Vec<&'static str> {
        let mut given = Vec::new();
        given.extend(self.read_only.then_some("--read-only"));
        given.extend(self.mouse.then_some("--mouse"));
        given.extend(self.refresh.map(|_| "--refresh"));
        given
    }
}

/// Which server to talk to, and for how long: the flags of the app and of every command that
/// talks to a server. Tokens never come from the command line: use VTEX_APP_TOKEN, a
/// profile's token_command, or the config file.
#[derive(Args, Clone, Debug, Default, PartialEq)]
#[command(next_help_heading = "Server")]
pub struct ClientArgs {
    /// Profile from the config file ($XDG_CONFIG_HOME/apikeys/config.toml) [default:
    /// APIKEYS_PROFILE, else the file's default_profile].
    #[arg(long, value_name = "NAME")]
    pub profile: Option<String>,
    /// VTEX account name [default: the profile's].
    #[arg(long, value_name = "ACCOUNT")]
    pub account: Option<String>,
    /// VTEX environment [default: vtexcommercestable].
    #[arg(long, value_name = "ENVIRONMENT")]
    pub environment: Option<String>,
    /// Talk to this URL instead of https://{account}.{environment}.com.br (https://, or
    /// http:// to this machine).
    #[arg(long, value_name = "URL")]
    pub base_url: Option<String>,
    /// Use the embedded demo server, whatever is configured.
    #[arg(long)]
    pub demo: bool,
    /// Give up after this many seconds (more than 0, at most 3600): the deadline of the whole
    /// command, retries included (in the terminal app, of each action) [default: 30].
    #[arg(long, value_name = "SECS", value_parser = timeout_seconds)]
    pub timeout: Option<f64>,
}

/// `--timeout` when none is given.
pub const DEFAULT_TIMEOUT_SECS: f64 = 30.0;

fn timeout_seconds(text: &str) -> Result<f64, String> {
    let secs: f64 = text
        .trim()
        .parse()
        .map_err(|_| "--timeout takes a number of seconds, such as 30 or 2.5".to_string())?;
    if !(secs.is_finite() && secs > 0.0) {
        return Err("--timeout must be more than 0 seconds".into());
    }
    if secs > 3600.0 {
        return Err("--timeout must be at most 3600 seconds (an hour)".into());
    }
    Ok(secs)
}

impl ClientArgs {
    /// These flags, each filled from `outer` where not given here: flags after a subcommand
    /// win over the same flags before it.
    pub fn or(self, outer: ClientArgs) -> ClientArgs {
        ClientArgs {
            profile: self.profile.or(outer.profile),
            account: self.account.or(outer.account),
            environment: self.environment.or(outer.environment),
            base_url: self.base_url.or(outer.base_url),
            demo: self.demo || outer.demo,
            timeout: self.timeout.or(outer.timeout),
        }
    }

    /// The flags given on the command line.
    fn given(&self) -> Vec<&'static str> {
        let mut given = Vec::new();
        given.extend(self.profile.as_ref().map(|_| "--profile"));
        given.extend(self.account.as_ref().map(|_| "--account"));
        given.extend(self.environment.as_ref().map(|_| "--environment"));
        given.extend(self.base_url.as_ref().map(|_| "--base-url"));
        given.extend(self.demo.then_some("--demo"));
        given.extend(self.timeout.map(|_| "--timeout"));
        given
    }

    /// What these flags ask of a session (the target, the deadline), with `--clipboard`.
    pub fn request(self, clipboard: Option<apikeys::clipboard::Mode>) -> Request {
        Request {
            overrides: Overrides {
                profile: self.profile,
                account: self.account,
                environment: self.environment,
                base_url: self.base_url,
                demo: self.demo,
            },
            timeout_secs: self.timeout.unwrap_or(DEFAULT_TIMEOUT_SECS),
            clipboard,
        }
    }
}

/// [`ClientArgs`] on a group of commands (`keys`, `external`, `roles`, `settings`): taken after
/// the group's name or after any of its subcommands (`apikeys keys list --demo`).
#[derive(Clone, Debug, Default)]
pub struct GroupClientArgs(pub ClientArgs);

impl clap::FromArgMatches for GroupClientArgs {
    fn from_arg_matches(matches: &clap::ArgMatches) -> Result<Self, clap::Error> {
        ClientArgs::from_arg_matches(matches).map(GroupClientArgs)
    }

    fn update_from_arg_matches(&mut self, matches: &clap::ArgMatches) -> Result<(), clap::Error> {
        self.0.update_from_arg_matches(matches)
    }
}

impl Args for GroupClientArgs {
    fn augment_args(command: clap::Command) -> clap::Command {
        // The same arguments, made global within the group: clap passes them down to each
        // subcommand, and their values back up to the group.
        let template = ClientArgs::augment_args(clap::Command::new("client"));
        template.get_arguments().fold(command, |command, arg| {
            command.arg(arg.clone().global(true))
        })
    }

    fn augment_args_for_update(command: clap::Command) -> clap::Command {
        Self::augment_args(command)
    }
}

/// A group of commands that talk to a server.
#[derive(Args)]
pub struct Group<C: Subcommand> {
    #[command(flatten)]
    pub client: GroupClientArgs,
    #[command(subcommand)]
    pub command: C,
}

/// Where a copied token goes: for the app and the commands that can copy one.
#[derive(Args, Clone, Copy, Debug, Default)]
#[command(next_help_heading = "Copying")]
pub struct ClipboardArgs {
    /// Where copied tokens go [default: the config file's `clipboard`, else auto].
    #[arg(long, value_enum)]
    pub clipboard: Option<apikeys::clipboard::Mode>,
}

/// What a run is, once the flags given before the subcommand are checked against it.
pub enum Mode {
    App {
        request: Request,
        /// `--account`, for the title.
        account: Option<String>,
        tui: TuiArgs,
    },
    Serve(ServeArgs),
    Completions(clap_complete::Shell),
    Client {
        request: Request,
        command: Command,
    },
}

impl Cli {
    /// The mode asked for. Flags before a subcommand are the app's; they are taken by the
    /// subcommands they also apply to, and refused (a usage error) by the others, rather
    /// than ignored: `apikeys --read-only keys delete` must not look protected.
    pub fn mode(self) -> Result<Mode, String> {
        let Cli {
            client,
            clipboard,
            tui,
            command,
        } = self;
        let Some(command) = command else {
            return Ok(Mode::App {
                account: client.account.clone(),
                request: client.request(clipboard.clipboard),
                tui,
            });
        };
        let name = command.name();
        if let Some(flag) = tui.given().first() {
            return Err(format!(
                "{flag} does not apply to `apikeys {name}`: it is a flag of the terminal app \
                 (apikeys without a subcommand)."
            ));
        }
        let copies = command.copy_flag();
        if clipboard.clipboard.is_some() && copies.is_none() {
            return Err(format!(
                "--clipboard does not apply to `apikeys {name}`: only the terminal app, \
                 `keys create --copy` and `keys renew --copy` copy a token."
            ));
        }
        let Some(own) = command.client_args() else {
            if let Some(flag) = client.given().first() {
                return Err(format!(
                    "{flag} does not apply to `apikeys {name}`, which talks to no server; \
                     `apikeys {name} --help` lists its flags."
                ));
            }
            return Ok(match command {
                Command::Serve(args) => Mode::Serve(args),
                Command::Completions { shell } => Mode::Completions(shell),
                _ => unreachable!("every other command talks to a server"),
            });
        };
        let request = own
            .clone()
            .or(client)
            .request(copies.flatten().or(clipboard.clipboard));
        Ok(Mode::Client { request, command })
    }
}
