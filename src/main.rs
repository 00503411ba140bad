//! Parses the command line and hands over to the chosen mode; nothing else.

mod cli;

use clap::Parser;

fn main() -> std::process::ExitCode {
    let args = cli::Cli::parse();
    match cli::run(args) {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("apikeys: {err:#}");
            std::process::ExitCode::FAILURE
        }
    }
}
