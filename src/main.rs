//! The `firedrill` binary: parses the command line and hands it to [`cli`], which runs
//! a headless command or opens the app in [`gui`]. The error a command returns is
//! printed here and turned into the exit code (0 ok, 1 bad input, 2 usage, I/O or no
//! display); clap reports bad arguments itself (exit 2). Commands print their own
//! output and warnings (`validate` each problem as it finds it), and a panic in the
//! app is explained by the hook in [`gui::display`].

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
