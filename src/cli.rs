//! Command-line definitions (clap): the commands and their own flags; the flags shared by
//! several commands are in `flags`. The modes live elsewhere: `commands` for the scripting
//! CLI, `server` for `serve`.

use std::net::SocketAddr;
use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

use apikeys::listing::{Query, SortBy, StatusFilter};
use apikeys::output::Format;

use crate::flags::{ClientArgs, ClipboardArgs, Group, TuiArgs};

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
    /// Rotate tokens without breaking integrations: renew, hand the new token to a sink,
    /// verify it, then delete the old one (now, or after --grace).
    Rotate(Box<RotateArgs>),
    /// Export the keys to a file, as the Admin's Export button: XLSX (a sheet of generated
    /// keys, one of external keys), CSV or JSON.
    Export(Box<ExportArgs>),
    /// The account's key posture: outdated tokens, pending renewals, over-powerful keys,
    /// keys with no role, inactive keys, shared labels, external keys with admin roles.
    #[command(after_help = "Thresholds come from the config file's [posture] table \
                  (pending_days = 7, inactive_days = 90). Exit status: 0, or 1 when --fail-on \
                  is given and a finding of that severity or worse is found (for a scheduled \
                  job); 2 for a wrong command line.")]
    Report {
        /// Table for people, or json (every key of every finding) for scripts.
        #[arg(long, value_enum, default_value = "table")]
        output: ReportFormat,
        /// Exit 1 when a finding of this severity or worse is found.
        #[arg(long, value_enum, value_name = "SEVERITY")]
        fail_on: Option<FailOn>,
        #[command(flatten)]
        client: ClientArgs,
    },
    /// The audit trail, newest first.
    Audit {
        /// How many entries to show, newest first (1 to 1000).
        #[arg(long, value_name = "N", default_value_t = 50, value_parser = entry_limit)]
        limit: u32,
        /// Only the entries about this key: its id, appKey or exact label (an appKey also finds
        /// the trail of a key deleted since).
        #[arg(long, value_name = "KEY")]
        key: Option<String>,
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

/// `--limit` of `audit` and `keys show`: one parser, so both say the same about a bad count.
fn entry_limit(text: &str) -> Result<u32, String> {
    match text.trim().parse::<u32>() {
        Ok(n) if (1..=1000).contains(&n) => Ok(n),
        _ => Err("--limit must be between 1 and 1000 (entries, newest first)".into()),
    }
}

impl Command {
    /// The subcommand's name, for messages.
    pub(crate) fn name(&self) -> &'static str {
        match self {
            Command::Serve(_) => "serve",
            Command::Keys(_) => "keys",
            Command::External(_) => "external",
            Command::Roles(_) => "roles",
            Command::Settings(_) => "settings",
            Command::Rotate(_) => "rotate",
            Command::Export(_) => "export",
            Command::Report { .. } => "report",
            Command::Audit { .. } => "audit",
            Command::Whoami { .. } => "whoami",
            Command::Completions { .. } => "completions",
        }
    }

    /// The server flags given after the subcommand; `None` for those that talk to no server.
    pub(crate) fn client_args(&self) -> Option<&ClientArgs> {
        match self {
            Command::Keys(group) => Some(&group.client.0),
            Command::External(group) => Some(&group.client.0),
            Command::Roles(group) => Some(&group.client.0),
            Command::Settings(group) => Some(&group.client.0),
            Command::Rotate(args) => Some(&args.client),
            Command::Export(args) => Some(&args.client),
            Command::Report { client, .. } => Some(client),
            Command::Audit { client, .. } | Command::Whoami { client, .. } => Some(client),
            Command::Serve(_) | Command::Completions { .. } => None,
        }
    }

    /// For the commands that can copy a token, the `--clipboard` given after them.
    pub(crate) fn copy_flag(&self) -> Option<Option<apikeys::clipboard::Mode>> {
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

/// `apikeys rotate`: which keys, how the new tokens are handed on, when the old ones go.
#[derive(Args)]
#[command(
    group(clap::ArgGroup::new("which").required(true).args(["keys", "outdated", "all", "finish_due"])),
    after_help = "The sink runs through sh with the new token on its standard input (no newline \
                  after it), never in its arguments or environment; {appKey}, {label}, {id} and \
                  {account} in it are replaced, shell-quoted (do not quote them yourself). \
                  Examples: --sink 'vault kv put secret/vtex/{appKey} token=-', --sink 'aws \
                  secretsmanager put-secret-value --secret-id vtex/{appKey} --secret-string \
                  file:///dev/stdin'. Defaults come from [profiles.NAME.rotation] (sink, verify, \
                  grace, timeout_secs). Exit status: 0 when every key was rotated, 1 when one \
                  was not (the report says why and what to do), 2 for a wrong command line."
)]
pub struct RotateArgs {
    /// The keys to rotate: id, appKey or exact label.
    #[arg(value_name = "KEY")]
    pub keys: Vec<String>,
    /// Every key whose token is past the account's token duration.
    #[arg(long)]
    pub outdated: bool,
    /// Every key (your own, inactive keys and pending renewals are left out, with the reason).
    #[arg(long)]
    pub all: bool,
    /// Only settle the journal: delete the old tokens whose grace has ended (for cron).
    #[arg(long)]
    pub finish_due: bool,
    /// The command that takes each new token on its standard input.
    #[arg(long, value_name = "CMD")]
    pub sink: Option<String>,
    /// A command that checks the integration with the new token (on its standard input),
    /// after VTEX ID's login accepted it.
    #[arg(long, value_name = "CMD")]
    pub verify: Option<String>,
    /// How long the old token keeps working once the new one is verified: 0 (deleted at
    /// once, the default), 24h, 7d…
    #[arg(long, value_name = "DURATION", value_parser = apikeys::rotation::duration::parse)]
    pub grace: Option<std::time::Duration>,
    /// The time limit of each sink and verify command, in seconds [default: 60]; past it the
    /// command and everything it started are killed.
    #[arg(long, value_name = "SECS", value_parser = clap::value_parser!(u64).range(1..=3600))]
    pub sink_timeout: Option<u64>,
    /// How many keys are rotated at once.
    #[arg(long, value_name = "N", default_value_t = 4, value_parser = clap::value_parser!(u8).range(1..=16))]
    pub jobs: u8,
    /// Print what would be done (keys, sink commands, when each old token goes); change nothing.
    #[arg(long)]
    pub dry_run: bool,
    /// The report's format: table for people, json for scripts.
    #[arg(long, value_enum, default_value = "table")]
    pub output: ReportFormat,
    #[command(flatten)]
    pub client: ClientArgs,
}

/// `apikeys export`: which format, which file.
#[derive(Args)]
#[command(
    after_help = "Columns as VTEX's Admin exports them: generated keys `id, keyName, roles, \
                  label, creationDate, creationDateToken, creationDateNewToken, status`, \
                  external keys `id, keyName, roles, account, addedDate, status` (keyName is \
                  the appKey; dates in UTC). Files are created readable by you only (0600). A \
                  cell that a spreadsheet would run as a formula is written as text (in CSV, \
                  after a '). --timeout bounds each request, not the whole export (against VTEX's \
                  public API each key's roles take a request of their own). Exit status: 0 exported, 1 the server or the file said no, 2 a \
                  wrong command line or a file that exists (found before any request)."
)]
pub struct ExportArgs {
    /// The file's format [default: from the name given with -o (.csv, .json, .xlsx), else
    /// xlsx].
    #[arg(long, value_enum)]
    pub format: Option<apikeys::export::Format>,
    /// The file to write, or - for stdout [default: apikeys-{account}-{date}.{format} in the
    /// current directory, numbered -2, -3… when taken].
    #[arg(short = 'o', long, value_name = "FILE")]
    pub out: Option<PathBuf>,
    /// CSV: the external keys rather than the generated keys (alone, it means --format csv).
    #[arg(long)]
    pub external: bool,
    /// Replace the file given with -o if it exists.
    #[arg(long)]
    pub force: bool,
    #[command(flatten)]
    pub client: ClientArgs,
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ReportFormat {
    Table,
    Json,
}

/// `report --fail-on`: the least severity that fails the run.
#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum FailOn {
    Warning,
    Alert,
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
    /// Fill an empty database with N generated keys, to try the app on a big account.
    ///
    /// Labels in Portuguese, Spanish and English, 0 to 3 roles each (the demo's roles are
    /// created too), about 10 % inactive, token ages up to 400 days, about 2 % pending
    /// renewals, and N/1000 external keys (at least 3). The same N gives the same keys; their
    /// tokens are random and never shown. With --seed-demo: the demo account plus the N keys.
    /// At most 1000000.
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u32).range(1..=1_000_000))]
    pub seed_keys: Option<u32>,
    /// At most N requests a second per key (bursts of N); past it the server answers 429 with
    /// Retry-After and does nothing, as a busy VTEX may, to try how clients cope. 0: unlimited.
    #[arg(long, value_name = "N", default_value_t = 0)]
    pub rate_limit: u32,
    /// Serve only VTEX's documented operations, as a stand-in for VTEX whose tokens really
    /// work: the apikeys extensions (delete, undo renewal, settings, external keys, session,
    /// audit) answer 404 with an empty body, as VTEX does, and `expand` is ignored.
    #[arg(long)]
    pub public_api_only: bool,
}

/// Which keys a listing shows and in what order: the flags of a [`Query`].
#[derive(Args, Clone)]
pub struct QueryArgs {
    /// Keep keys whose key, label or roles hold every word of this text, ignoring case and
    /// accents (`integracao` finds "Integração"); `!word` leaves keys out, `"a phrase"` matches
    /// as written, and `-f PATTERN` matches fuzzily, best first.
    #[arg(long, allow_hyphen_values = true)]
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

/// Which external keys `external list` shows and in what order. External keys carry no label
/// and no token dates here, so the filter, statuses and sort columns are their own.
#[derive(Args, Clone)]
pub struct ExternalQueryArgs {
    /// Keep keys whose appKey, owner account or roles hold every word of this text, ignoring
    /// case and accents; `!word` leaves keys out, `"a phrase"` matches as written, and
    /// `-f PATTERN` matches fuzzily, best first.
    #[arg(long, allow_hyphen_values = true)]
    pub filter: Option<String>,
    /// Keep keys in this status: all, active or inactive.
    #[arg(long, value_enum, default_value = "all")]
    pub status: ExternalStatus,
    /// Sort by this column: owner (the owner account; `name` too), key (the appKey), added
    /// (when the key was added; `created` too) or status; then by owner account and appKey.
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

/// The columns external keys sort by. (Plain comments on the variants: a doc comment would
/// make clap print `--help` in its long, multi-line form.)
#[derive(Clone, Copy, ValueEnum)]
pub enum ExternalSort {
    // The owner account.
    #[value(alias = "name")]
    Owner,
    Key,
    // When the key was added.
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
        /// The key: its id, appKey or exact label.
        key: String,
        /// How many audit entries to show, newest first (1 to 1000).
        #[arg(long, value_name = "N", default_value_t = 50, value_parser = entry_limit)]
        limit: u32,
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
        query: ExternalQueryArgs,
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
