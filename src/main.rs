//! The `firedrill` binary: parses the command line, runs a shell (the app in [`gui`],
//! the headless commands in [`cli`]), and is the one place that prints errors and turns
//! them into exit codes (0 ok, 1 bad input, 2 usage, I/O or no display).

mod cli;
mod gui;

use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    let args = cli::Cli::parse();
    match cli::run(args) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("{error}");
            ExitCode::from(error.exit_code())
        }
    }
}
