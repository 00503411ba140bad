//! Command-line definitions (clap). The modes live elsewhere: `commands` for the scripting
//! CLI, `server` for `serve`.

use std::net::SocketAddr;
use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

use apikeys::config::Overrides;
use apikeys::listing::{Query, SortBy, StatusFilter};
use apikeys::output::Format;
use apikeys::session::Request;

#[derive(Parser)]
#[command(
    name = "apikeys",
    version,
    about = "Administer the API keys of a VTEX account: without a subcommand, the terminal app",
    after_help = "Exit status: 0 success, 1 the server or the network said no, 2 the command \
                  line is wrong (found before any change is sent)."
)]
pub struct Cli {
    #[command(flatten)]
    pub client: ClientArgs,
    #[command(flatten)]
    pub clipboard: ClipboardArgs,
    #[command(flatten)]
    pub tui: TuiArgs,
    #[command(subcommand)]
    pub command: Option<Command>,
}

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

#[derive(Subcommand)]
pub enum Command {
    /// Run the reference API server (VTEX's API-key contract over SQLite).
    Serve(ServeArgs),
    /// Generated keys: this account's own API keys.
    Keys(Group<KeysCommand>),
    /// External keys: other accounts' keys granted access to this one.
    External(Group<ExternalCommand>),
    /// The account's roles.
    Roles(Group<RolesCommand>),
    /// Account settings (token duration).
    Settings(Group<SettingsCommand>),
    /// The audit trail, newest first.
    Audit {
        /// How many entries to show, newest first (1 to 1000).
        #[arg(long, value_name = "N", default_value_t = 50, value_parser = audit_limit)]
        limit: u32,
        #[command(flatten)]
        output: OutputArg,
        #[command(flatten)]
        client: ClientArgs,
    },
    /// The account, key and permissions in use.
    Whoami {
        #[command(flatten)]
        output: OutputArg,
        #[command(flatten)]
        client: ClientArgs,
    },
    /// Print a shell completion script.
    Completions {
        /// The shell to complete for.
        shell: clap_complete::Shell,
    },
}

fn audit_limit(text: &str) -> Result<u32, String> {
    match text.trim().parse::<u32>() {
        Ok(n) if (1..=1000).contains(&n) => Ok(n),
        _ => Err("--limit must be between 1 and 1000 (entries, newest first)".into()),
    }
}

impl Command {
    /// The subcommand's name, for messages.
    fn name(&self) -> &'static str {
        match self {
            Command::Serve(_) => "serve",
            Command::Keys(_) => "keys",
            Command::External(_) => "external",
            Command::Roles(_) => "roles",
            Command::Settings(_) => "settings",
            Command::Audit { .. } => "audit",
            Command::Whoami { .. } => "whoami",
            Command::Completions { .. } => "completions",
        }
    }

    /// The server flags given after the subcommand; `None` for those that talk to no server.
    fn client_args(&self) -> Option<&ClientArgs> {
        match self {
            Command::Keys(group) => Some(&group.client.0),
            Command::External(group) => Some(&group.client.0),
            Command::Roles(group) => Some(&group.client.0),
            Command::Settings(group) => Some(&group.client.0),
            Command::Audit { client, .. } | Command::Whoami { client, .. } => Some(client),
            Command::Serve(_) | Command::Completions { .. } => None,
        }
    }

    /// For the commands that can copy a token, the `--clipboard` given after them.
    fn copy_flag(&self) -> Option<Option<apikeys::clipboard::Mode>> {
        match self {
            Command::Keys(Group {
                command:
                    KeysCommand::Create { clipboard, .. } | KeysCommand::Renew { clipboard, .. },
                ..
            }) => Some(clipboard.clipboard),
            _ => None,
        }
    }
}

#[derive(Args, Clone, Copy)]
pub struct OutputArg {
    /// Output format: table for people, json (the API's own field names) or csv.
    #[arg(long, value_enum, default_value = "table")]
    pub output: Format,
}

#[derive(clap::Args)]
pub struct ServeArgs {
    /// Address to listen on.
    #[arg(long, default_value = "127.0.0.1:8808")]
    pub bind: SocketAddr,
    /// SQLite database file [default: $XDG_DATA_HOME/apikeys/server.sqlite3].
    #[arg(long)]
    pub db: Option<PathBuf>,
    /// The VTEX account created in an empty database [default: demo].
    #[arg(long, value_name = "ACCOUNT")]
    pub account: Option<String>,
    /// Fill an empty database with a believable demo account.
    #[arg(long)]
    pub seed_demo: bool,
}

/// Which keys a listing shows and in what order: the flags of a [`Query`].
#[derive(Args, Clone)]
pub struct QueryArgs {
    /// Keep keys whose key, label, owner account or roles contain this text (any case).
    #[arg(long)]
    pub filter: Option<String>,
    /// Keep keys in this status: all, active, inactive, outdated (the token is older than
    /// the account's token duration) or pending (a renewal waits for its old token's
    /// deletion).
    #[arg(long, value_enum, default_value = "all")]
    pub status: StatusFilter,
    /// Sort by this column: name (the label), key (the appKey), created, token-age or status.
    #[arg(long, value_enum, default_value = "name")]
    pub sort: SortBy,
    /// Reverse the order of --sort.
    #[arg(long)]
    pub reverse: bool,
}

impl From<QueryArgs> for Query {
    fn from(args: QueryArgs) -> Query {
        Query {
            filter: args.filter.unwrap_or_default(),
            status: args.status,
            sort: args.sort,
            reverse: args.reverse,
        }
    }
}

#[derive(Clone, Copy, ValueEnum)]
pub enum DeleteOld {
    Now,
    Later,
}

#[derive(Subcommand)]
pub enum KeysCommand {
    /// List generated keys.
    List {
        #[command(flatten)]
        query: QueryArgs,
        #[command(flatten)]
        output: OutputArg,
    },
    /// Create a key; its token is printed once (or copied, with --copy).
    Create {
        /// The key's label: 1 to 200 characters, shown in the Admin and in listings.
        #[arg(long)]
        label: String,
        /// Copy the token to the clipboard instead of printing it.
        #[arg(long)]
        copy: bool,
        /// A role for the key, by name (any case) or id; repeat for several
        /// (`apikeys roles list` shows them).
        #[arg(long = "role", value_name = "NAME_OR_ID")]
        roles: Vec<String>,
        #[command(flatten)]
        output: OutputArg,
        #[command(flatten)]
        clipboard: ClipboardArgs,
    },
    /// Activate a key.
    Activate {
        /// The key: its id, appKey or exact label.
        key: String,
    },
    /// Deactivate a key: integrations using it stop working.
    Deactivate {
        /// The key: its id, appKey or exact label.
        key: String,
    },
    /// Delete a key for good.
    Delete {
        /// The key: its id, appKey or exact label.
        key: String,
        /// Confirm: this cannot be undone.
        #[arg(long)]
        yes: bool,
    },
    /// Show a key's roles, adding or removing some first.
    Roles {
        /// The key: its id, appKey or exact label.
        key: String,
        /// Give the key this role, by name (any case) or id; repeat for several.
        #[arg(long = "add", value_name = "ROLE")]
        add: Vec<String>,
        /// Take this role from the key, by name (any case) or id; repeat for several.
        #[arg(long = "remove", value_name = "ROLE")]
        remove: Vec<String>,
        #[command(flatten)]
        output: OutputArg,
    },
    /// Issue a new token; printed once. The old one is deleted now, or later (both work meanwhile).
    Renew {
        /// The key: its appKey (needs only Renew API Token), id or exact label.
        key: String,
        /// Copy the new token to the clipboard instead of printing it.
        #[arg(long)]
        copy: bool,
        /// When the old token is deleted: now, or later (both work until `keys
        /// finish-renewal`).
        #[arg(long, value_enum, default_value = "later")]
        delete_old: DeleteOld,
        #[command(flatten)]
        output: OutputArg,
        #[command(flatten)]
        clipboard: ClipboardArgs,
    },
    /// Delete the old token of a pending renewal.
    FinishRenewal {
        /// The key: its appKey, id or exact label.
        key: String,
    },
    /// Drop the new token of a pending renewal; the old one stays.
    UndoRenewal {
        /// The key: its appKey, id or exact label.
        key: String,
    },
}

#[derive(Subcommand)]
pub enum ExternalCommand {
    /// List external keys (sorted by owner account, then key, unless --sort says otherwise).
    List {
        #[command(flatten)]
        query: QueryArgs,
        #[command(flatten)]
        output: OutputArg,
    },
    /// Grant another account's key access to this account.
    Add {
        /// The other account's appKey (vtexappkey-{account}-{6 uppercase letters}).
        app_key: String,
        /// A role to grant, by name (any case) or id; repeat for several.
        #[arg(long = "role", value_name = "NAME_OR_ID")]
        roles: Vec<String>,
        #[command(flatten)]
        output: OutputArg,
    },
    /// Remove an external key: its account loses access to this one.
    Remove {
        /// The external key: its id or appKey.
        key: String,
        /// Confirm: this cannot be undone.
        #[arg(long)]
        yes: bool,
    },
    /// Activate an external key.
    Activate {
        /// The external key: its id or appKey.
        key: String,
    },
    /// Deactivate an external key: its account loses access until it is activated again.
    Deactivate {
        /// The external key: its id or appKey.
        key: String,
    },
}

#[derive(Subcommand)]
pub enum RolesCommand {
    /// List the account's roles.
    List {
        #[command(flatten)]
        output: OutputArg,
    },
}

#[derive(Subcommand)]
pub enum SettingsCommand {
    /// Show the settings.
    Get {
        #[command(flatten)]
        output: OutputArg,
    },
    /// Change the token duration (months).
    Set {
        /// Months after which a token shows as outdated: 3 or 6.
        #[arg(long, value_name = "MONTHS", value_parser = clap::builder::PossibleValuesParser::new(["3", "6"]))]
        token_duration: String,
    },
}
