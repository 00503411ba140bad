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
    about = "Administer the API keys of a VTEX account"
)]
pub struct Cli {
    #[command(flatten)]
    pub global: GlobalArgs,
    #[command(flatten)]
    pub tui: TuiArgs,
    #[command(subcommand)]
    pub command: Option<Command>,
}

/// The terminal app (no subcommand).
#[derive(Args, Clone)]
pub struct TuiArgs {
    /// Refuse every change: browse only.
    #[arg(long)]
    pub read_only: bool,
    /// Enable the mouse (off by default, so the terminal's own text selection works over ssh).
    #[arg(long)]
    pub mouse: bool,
    /// Refresh the lists every SECS seconds (0 turns it off).
    #[arg(long, value_name = "SECS")]
    pub refresh: Option<u64>,
}

/// Which server to talk to. Tokens never come from the command line: use VTEX_APP_TOKEN, a
/// profile's token_command, or the config file.
#[derive(Args, Clone, Default)]
pub struct GlobalArgs {
    /// Profile from the config file ($XDG_CONFIG_HOME/apikeys/config.toml).
    #[arg(long, global = true)]
    pub profile: Option<String>,
    /// VTEX account name (for `serve`: the account created in an empty database, default demo).
    #[arg(long, global = true)]
    pub account: Option<String>,
    /// VTEX environment [default: vtexcommercestable].
    #[arg(long, global = true)]
    pub environment: Option<String>,
    /// Talk to this URL instead of https://{account}.{environment}.com.br.
    #[arg(long, global = true)]
    pub base_url: Option<String>,
    /// Use the embedded demo server, whatever is configured.
    #[arg(long, global = true)]
    pub demo: bool,
    /// Where copied tokens go [default: the config file's `clipboard`, else auto].
    #[arg(long, global = true, value_enum)]
    pub clipboard: Option<apikeys::clipboard::Mode>,
    /// Give up after this many seconds: the deadline of the whole command, retries included
    /// (in the terminal app, of each action).
    #[arg(long, global = true, value_name = "SECS", default_value_t = 30.0)]
    pub timeout: f64,
}

impl GlobalArgs {
    /// What these flags ask of a session (the target, the deadline, the clipboard).
    pub fn request(&self) -> Request {
        Request {
            overrides: Overrides {
                profile: self.profile.clone(),
                account: self.account.clone(),
                environment: self.environment.clone(),
                base_url: self.base_url.clone(),
                demo: self.demo,
            },
            timeout_secs: self.timeout,
            clipboard: self.clipboard,
        }
    }
}

#[derive(Subcommand)]
pub enum Command {
    /// Run the reference API server (VTEX's API-key contract over SQLite).
    Serve(ServeArgs),
    /// Generated keys: this account's own API keys.
    #[command(subcommand)]
    Keys(KeysCommand),
    /// External keys: other accounts' keys granted access to this one.
    #[command(subcommand)]
    External(ExternalCommand),
    /// The account's roles.
    #[command(subcommand)]
    Roles(RolesCommand),
    /// Account settings (token duration).
    #[command(subcommand)]
    Settings(SettingsCommand),
    /// The audit trail, newest first.
    Audit {
        #[arg(long, default_value_t = 50)]
        limit: u32,
        /// Only the entries about this key: its id, appKey or exact label (an appKey also finds
        /// the trail of a key deleted since).
        #[arg(long, value_name = "KEY")]
        key: Option<String>,
        #[command(flatten)]
        output: OutputArg,
    },
    /// The account, key and permissions in use.
    Whoami {
        #[command(flatten)]
        output: OutputArg,
    },
    /// Print a shell completion script.
    Completions { shell: clap_complete::Shell },
}

#[derive(Args, Clone, Copy)]
pub struct OutputArg {
    /// Output format.
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
    /// Keep keys in this status.
    #[arg(long, value_enum, default_value = "all")]
    pub status: StatusFilter,
    /// Sort by this column.
    #[arg(long, value_enum, default_value = "name")]
    pub sort: SortBy,
    /// Reverse the order.
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

/// Which external keys `external list` shows and in what order. External keys carry no label
/// and no token dates here, so the filter, statuses and sort columns are their own.
#[derive(Args, Clone)]
pub struct ExternalQueryArgs {
    /// Keep keys whose appKey, owner account or role names contain this text (any case).
    #[arg(long)]
    pub filter: Option<String>,
    /// Keep keys in this status.
    #[arg(long, value_enum, default_value = "all")]
    pub status: ExternalStatus,
    /// Sort by this column (then by owner account and appKey).
    #[arg(long, value_enum, default_value = "owner")]
    pub sort: ExternalSort,
    /// Reverse the order.
    #[arg(long)]
    pub reverse: bool,
}

/// The statuses an external key can be in.
#[derive(Clone, Copy, ValueEnum)]
pub enum ExternalStatus {
    All,
    Active,
    Inactive,
}

/// The columns external keys sort by.
#[derive(Clone, Copy, ValueEnum)]
pub enum ExternalSort {
    /// The owner account (`name` is accepted too).
    #[value(alias = "name")]
    Owner,
    Key,
    /// When the key was added (`created` is accepted too).
    #[value(alias = "created")]
    Added,
    Status,
}

impl From<ExternalQueryArgs> for Query {
    fn from(args: ExternalQueryArgs) -> Query {
        Query {
            filter: args.filter.unwrap_or_default(),
            status: match args.status {
                ExternalStatus::All => StatusFilter::All,
                ExternalStatus::Active => StatusFilter::Active,
                ExternalStatus::Inactive => StatusFilter::Inactive,
            },
            // `Query::external` sorts "name" by owner account.
            sort: match args.sort {
                ExternalSort::Owner => SortBy::Name,
                ExternalSort::Key => SortBy::Key,
                ExternalSort::Added => SortBy::Created,
                ExternalSort::Status => SortBy::Status,
            },
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
    /// Everything about one key (KEY: id, appKey or exact label), with its audit trail.
    Show {
        key: String,
        /// How many audit entries to show, newest first.
        #[arg(long, default_value_t = 50, value_parser = clap::value_parser!(u32).range(1..=1000))]
        limit: u32,
        #[command(flatten)]
        output: OutputArg,
    },
    /// Create a key; its token is printed once (or copied, with --copy).
    Create {
        #[arg(long)]
        label: String,
        /// Copy the token to the clipboard instead of printing it.
        #[arg(long)]
        copy: bool,
        /// Role name or id; repeat for several.
        #[arg(long = "role", value_name = "NAME_OR_ID")]
        roles: Vec<String>,
        #[command(flatten)]
        output: OutputArg,
    },
    /// Activate a key (KEY: id, appKey or exact label).
    Activate { key: String },
    /// Deactivate a key: integrations using it stop working.
    Deactivate { key: String },
    /// Delete a key for good.
    Delete {
        key: String,
        /// Confirm: this cannot be undone.
        #[arg(long)]
        yes: bool,
    },
    /// Show a key's roles, adding or removing some first.
    Roles {
        key: String,
        #[arg(long = "add", value_name = "ROLE")]
        add: Vec<String>,
        #[arg(long = "remove", value_name = "ROLE")]
        remove: Vec<String>,
        #[command(flatten)]
        output: OutputArg,
    },
    /// Issue a new token; printed once. The old one is deleted now, or later (both work meanwhile).
    Renew {
        key: String,
        /// Copy the new token to the clipboard instead of printing it.
        #[arg(long)]
        copy: bool,
        #[arg(long, value_enum, default_value = "later")]
        delete_old: DeleteOld,
        #[command(flatten)]
        output: OutputArg,
    },
    /// Delete the old token of a pending renewal.
    FinishRenewal { key: String },
    /// Drop the new token of a pending renewal; the old one stays.
    UndoRenewal { key: String },
}

#[derive(Subcommand)]
pub enum ExternalCommand {
    /// List external keys (sorted by owner account, then key, unless --sort says otherwise).
    List {
        #[command(flatten)]
        query: ExternalQueryArgs,
        #[command(flatten)]
        output: OutputArg,
    },
    /// Grant another account's key access to this account.
    Add {
        app_key: String,
        #[arg(long = "role", value_name = "NAME_OR_ID")]
        roles: Vec<String>,
        #[command(flatten)]
        output: OutputArg,
    },
    /// Remove an external key (KEY: id or appKey).
    Remove {
        key: String,
    },
    Activate {
        key: String,
    },
    Deactivate {
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
        #[arg(long, value_parser = clap::builder::PossibleValuesParser::new(["3", "6"]))]
        token_duration: String,
    },
}
