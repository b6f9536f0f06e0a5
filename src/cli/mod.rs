//! The headless command-line shell: argument definitions and dispatch to one module
//! per subcommand.

mod validate;

use std::path::PathBuf;

use clap::{Parser, Subcommand};

/// firedrill: a flight simulator for incident response.
///
/// Pick a scripted incident, take the Incident Commander, Communications Lead or
/// Technical Lead role, and work it while the simulated world reacts.
#[derive(Debug, Parser)]
#[command(name = "firedrill", version, about, long_about)]
pub struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Check scenario files: syntax, references, times and required text.
    ///
    /// Folders are searched recursively for `*.ron` files. Every problem is printed as
    /// PATH:LINE:COL: message. Exit code 0 when all are valid, 1 when any is not,
    /// 2 when a path cannot be read.
    Validate {
        /// Scenario files or folders.
        #[arg(required = true, value_name = "PATH")]
        paths: Vec<PathBuf>,
    },
}

/// Everything that can stop a command, with the exit code it maps to.
#[derive(Debug, thiserror::Error)]
pub enum CliError {
    /// The input is wrong: the messages were already printed.
    #[error("{0}")]
    Invalid(String),
    /// A file or folder could not be read or written.
    #[error("{0}")]
    Io(String),
}

impl CliError {
    pub fn exit_code(&self) -> u8 {
        match self {
            CliError::Invalid(_) => 1,
            CliError::Io(_) => 2,
        }
    }
}

pub fn run(cli: Cli) -> Result<(), CliError> {
    match cli.command {
        Command::Validate { paths } => validate::run(&paths),
    }
}
