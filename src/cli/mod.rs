//! The headless command-line shell: argument definitions and dispatch to one module
//! per subcommand.

mod autoplay;
mod branch;
mod history;
mod host;
mod join;
mod load;
mod new;
mod next;
mod play;
mod run;
mod store;
mod validate;

use std::path::PathBuf;

use clap::{Parser, Subcommand};
use firedrill_core::bots::Policy;
use firedrill_core::engine::action::Role;

/// firedrill: a flight simulator for incident response.
///
/// Pick a scripted incident, take the Incident Commander, Communications Lead or
/// Technical Lead role, and work it while the simulated world reacts.
///
/// Without a command, opens the app on the menu.
#[derive(Debug, Parser)]
#[command(name = "firedrill", version, about, long_about)]
pub struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
    #[command(flatten)]
    window: WindowArgs,
    /// Where the run history is kept (default: the platform data directory,
    /// ~/.local/share/firedrill on Linux).
    #[arg(long, value_name = "DIR", env = "FIREDRILL_DATA_DIR", global = true)]
    data_dir: Option<PathBuf>,
}

/// Options of the app window.
#[derive(Debug, clap::Args)]
struct WindowArgs {
    /// Save a PNG of the screen after it settles, then exit (for docs and CI).
    #[arg(long, value_name = "FILE.png")]
    screenshot: Option<PathBuf>,
    /// Folder where the debrief saves inputs, postmortems and journals.
    #[arg(long, value_name = "DIR", default_value = "firedrill-runs")]
    out_dir: PathBuf,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Open the app on a scenario: the briefing for --role, else the menu with it chosen.
    ///
    /// The trainee plays the role; bots play the others. The run's inputs are recorded
    /// and saved when the debrief opens, so `firedrill run` replays it with the same
    /// scores. With --screenshot, bots play every role: --at 12m shows the war room at
    /// that sim time, --at end the debrief, no --at the briefing; one frame is saved as
    /// PNG and the app exits. Exit code 2 when no display is available.
    Play {
        /// Scenario file, or the id of a built-in scenario (e.g. edge-waf-regex).
        scenario: String,
        /// The trainee's role (`ic` is short for commander).
        #[arg(long, value_enum, ignore_case = true)]
        role: Option<Role>,
        /// The trainee's name, kept with the recorded inputs.
        #[arg(long, value_name = "NAME")]
        trainee: Option<String>,
        /// Seed for metric noise and bot choices; same seed and inputs, same run.
        #[arg(long, default_value_t = 1)]
        seed: u64,
        /// Sim seconds per real second (the war room offers 1, 2, 5, 10).
        #[arg(long, default_value_t = 1.0)]
        speed: f64,
        /// With --screenshot: the sim time to show (e.g. 12m), or `end` for the debrief.
        #[arg(long, value_name = "DURATION|end", requires = "screenshot", value_parser = play::parse_at)]
        at: Option<crate::gui::ShotAt>,
        /// Reload the scenario file whenever it is saved (for authors): the war room
        /// plays the run again on the changed scenario to the same second with your
        /// inputs so far; a file that does not load says why and changes nothing. A
        /// timeline scrubber under the top bar jumps to any sim time.
        #[arg(long)]
        watch: bool,
        #[command(flatten)]
        window: WindowArgs,
    },
    /// Start a scenario: write a commented skeleton that validates and that the bots
    /// resolve, seeded from a postmortem timeline when given.
    ///
    /// The timeline is CSV (time,source,text) or a Markdown table copied from a
    /// postmortem; times are clock times ("14:02", "2019-07-02 13:42 UTC") or offsets
    /// ("+5m", "0:12:00"). It gives the start time, the impact start, the par times and
    /// Say/Log injects (docs/scenario-format.md, "Starting a scenario"). Exit code 1 for a
    /// bad timeline row (PATH:LINE:COL), 2 for a bad ID or zone, or when the file exists.
    New {
        /// The scenario id: a-z, 0-9 and '-' (e.g. s3-capacity-removal).
        id: String,
        /// A postmortem timeline to seed the skeleton from (CSV or a Markdown table).
        #[arg(long, value_name = "FILE")]
        from_timeline: Option<PathBuf>,
        /// IANA time zone of the war room's clocks and of timeline times that name none
        /// (default UTC).
        #[arg(long, value_name = "TZ")]
        zone: Option<String>,
        /// Where to write it (default scenarios/ID.ron); an existing file is never replaced.
        #[arg(long, value_name = "FILE")]
        out: Option<PathBuf>,
    },
    /// Check scenario files (syntax, references, times, required text) and input files.
    ///
    /// Folders are searched recursively for `*.ron` files. Input files (`Inputs(...)`,
    /// such as walkthroughs) are checked against the scenario they name. Every problem
    /// is printed as PATH:LINE:COL: message. Valid scenarios are also linted: warnings
    /// (a drill that cannot be resolved, a condition that can never hold, something
    /// nothing uses, par times the bots cannot meet, walkthroughs that no longer
    /// resolve; docs/scenario-format.md lists them) print the same way, labelled
    /// `warning:`. Exit code 0 when all are valid (warnings or not), 1 when any is not
    /// or, with --deny-warnings, when there is a warning; 2 when a path cannot be read.
    Validate {
        /// Scenario files or folders.
        #[arg(required = true, value_name = "PATH")]
        paths: Vec<PathBuf>,
        /// Fail (exit code 1) when the linter warns.
        #[arg(long)]
        deny_warnings: bool,
    },
    /// Play a scenario headless with a trainee's input file; bots take the other roles.
    /// With a drill file (a whole team drill, docs/input-format.md), every seat's score.
    ///
    /// Prints the outcome, the milestones and times (MTTA, MTTR, MTRS, TTD, TTE), the
    /// scores and the findings that cost the most points (docs/scoring.md explains them
    /// all).
    /// Exit code 1 when the scenario or the inputs are invalid.
    Run {
        /// Scenario file, or the id of a built-in scenario (e.g. edge-waf-regex).
        scenario: String,
        /// The trainee's role (`ic` is short for commander); needed for a one-seat input
        /// file, not for a drill file, which names its seats.
        #[arg(long, value_enum, ignore_case = true)]
        role: Option<Role>,
        /// Input file with the trainee's timed actions, or a drill file with a whole
        /// team drill's (see docs/input-format.md).
        #[arg(long, value_name = "FILE")]
        inputs: PathBuf,
        /// Seed for metric noise and bot choices; same seed, same run.
        #[arg(long, default_value_t = 1)]
        seed: u64,
        /// Also write the full report (times, scores, findings, timeline) as JSON.
        #[arg(long, value_name = "OUT")]
        json: Option<PathBuf>,
        /// Also write a postmortem draft in Markdown, generated from the run's timeline.
        #[arg(long, value_name = "OUT.md")]
        postmortem: Option<PathBuf>,
        /// Record the run in the history under this trainee's name (with --then: the
        /// run of --inputs and its branch, linked).
        #[arg(long, value_name = "NAME")]
        trainee: Option<String>,
        /// Retry from here: replay the inputs up to this sim time (e.g. 12m) and stop
        /// there, saying where the run stands; with --then, play on from it.
        #[arg(long, value_name = "DURATION")]
        until: Option<firedrill_core::scenario::Duration>,
        /// With --until: play on from that moment with this file's actions (all at or
        /// after it), to the end, and compare the branch with the run of --inputs.
        #[arg(long, value_name = "FILE", requires = "until")]
        then: Option<PathBuf>,
    },
    /// Join a team drill someone hosts (`firedrill host`), in a seat or to watch.
    ///
    /// With --headless --inputs FILE, plays a one-seat input file's actions through the
    /// network at their sim times, then prints that seat's debrief as `run` does (for
    /// rehearsals and scripted seats). Exit code 2 when the drill cannot be joined or is
    /// lost: a wrong code or no host, a refusal, a desync, a lost connection. Without
    /// --headless, opens the app joining the drill (its lobby once the host answers).
    Join {
        /// The host's address, HOST:PORT, as `firedrill host` prints it.
        address: String,
        /// The drill's join code (like 7KQM-X2RD-WN9F; case and dashes do not matter).
        #[arg(long, value_parser = firedrill_net::JoinCode::parse)]
        code: firedrill_net::JoinCode,
        /// Your name in the drill; join again with the same name to get your seat back.
        #[arg(long)]
        name: String,
        /// commander (or ic), comms, tech, observer or facilitator.
        #[arg(long, value_parser = join::parse_seat)]
        seat: Option<firedrill_net::drill::protocol::Seat>,
        /// Join without a window (needs --inputs).
        #[arg(long)]
        headless: bool,
        /// With --headless: the seat's actions, a one-seat input file.
        #[arg(long, value_name = "FILE", requires = "headless")]
        inputs: Option<PathBuf>,
    },
    /// Host team drills without a window: one per SCENARIO, on ports P, P+1, ...
    ///
    /// Prints each drill's address, join code and the `firedrill join` line to hand
    /// out, announces it on the LAN, then one line per join, leave, seat change and end,
    /// until every drill has ended. Bots play the seats nobody takes. Each drill is
    /// journaled to --out-dir as it runs and saved there as a drill file at the end
    /// (replay it with `firedrill run SCENARIO --inputs FILE`); after a crash,
    /// --resume JOURNAL continues it, paused, with the same code. Exit code 2 for bad
    /// arguments or a port in use, 1 for an invalid scenario.
    Host {
        /// Scenario files or built-in ids: one drill each.
        #[arg(
            value_name = "SCENARIO",
            required_unless_present = "resume",
            conflicts_with = "resume"
        )]
        scenarios: Vec<String>,
        /// The first drill's UDP port; the next drills take the following ones.
        #[arg(long, default_value_t = 47800)]
        port: u16,
        /// Seed for metric noise and bot choices; same seed and inputs, same drill.
        #[arg(long, default_value_t = 1)]
        seed: u64,
        /// Sim seconds per real second at the start (the facilitator can change it).
        #[arg(long, default_value_t = 1.0)]
        speed: f64,
        /// The join code (one scenario only); generated when not given.
        #[arg(long, value_name = "CODE")]
        code: Option<String>,
        /// How long a dropped person's seat is kept for them before its bot takes it
        /// back (real time, e.g. 60s, 2m).
        #[arg(long, value_name = "DURATION", default_value = "60s")]
        grace: firedrill_core::scenario::Duration,
        /// Start without a facilitator once N role seats are taken.
        #[arg(long, value_name = "N")]
        start_with: Option<usize>,
        /// Where drill journals and drill files go.
        #[arg(long, value_name = "DIR", default_value = "firedrill-runs")]
        out_dir: PathBuf,
        /// Continue the drill of this journal (DIR/*.drill-journal) after a crash.
        #[arg(long, value_name = "JOURNAL")]
        resume: Option<PathBuf>,
    },
    /// List recorded runs with MTTA, MTTR, MTRS, CAN score and total, and the means per
    /// trainee and role.
    History {
        /// Only this trainee's runs.
        #[arg(long, value_name = "NAME")]
        trainee: Option<String>,
        /// Only runs of this scenario id.
        #[arg(long, value_name = "ID")]
        scenario: Option<String>,
        /// One line per run as CSV, for a spreadsheet.
        #[arg(long)]
        csv: bool,
    },
    /// Suggest who takes which role next, so everyone practises every role.
    ///
    /// One trainee gets the role they have played least; a team shares the roles so
    /// nobody repeats their last one when avoidable and counts even out (docs/rotation.md).
    Next {
        /// A trainee's name; repeat for a team (--trainee ana --trainee ben).
        #[arg(long = "trainee", value_name = "NAME", required = true)]
        trainees: Vec<String>,
    },
    /// Re-score a recorded run from its stored inputs and seed.
    Replay {
        /// The run's number, as `history` lists it.
        run: i64,
        /// The scenario file, when the run's scenario is not a built-in one.
        #[arg(long, value_name = "FILE")]
        scenario: Option<String>,
    },
    /// Let bots play every role, many times, and print the spread of outcomes.
    Autoplay {
        /// Scenario file, or the id of a built-in scenario.
        scenario: String,
        /// How many runs (seeds SEED, SEED+1, ...).
        #[arg(long, default_value_t = 20, value_parser = clap::value_parser!(u32).range(1..=100_000))]
        runs: u32,
        #[arg(long, default_value_t = 1)]
        seed: u64,
        /// How the bots play: the reference path, a novice (whose runs suggest the
        /// difficulty), or random flailing.
        #[arg(long, value_enum, default_value_t)]
        policy: Policy,
        /// Threads to run on (default: one per core); the report is the same whatever.
        #[arg(long, value_name = "N", value_parser = clap::value_parser!(u16).range(1..=1024))]
        jobs: Option<u16>,
        /// Also write every run's outcome, times, wrong turns and where it got stuck as
        /// JSON.
        #[arg(long, value_name = "OUT")]
        json: Option<PathBuf>,
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
    /// The arguments do not fit together.
    #[error("firedrill: {0}")]
    Usage(String),
    /// The app cannot open a window here.
    #[error("{0}")]
    NoDisplay(String),
    /// A team drill could not be joined or was lost.
    #[error("{0}")]
    Net(String),
}

impl CliError {
    pub fn exit_code(&self) -> u8 {
        match self {
            CliError::Invalid(_) => 1,
            CliError::Io(_) | CliError::Usage(_) | CliError::NoDisplay(_) | CliError::Net(_) => 2,
        }
    }
}

pub fn run(cli: Cli) -> Result<(), CliError> {
    let Some(command) = cli.command else {
        return play::run(play::PlayArgs {
            scenario: None,
            role: None,
            trainee: None,
            seed: 1,
            speed: 1.0,
            screenshot: cli.window.screenshot,
            at: None,
            out_dir: cli.window.out_dir,
            data_dir: cli.data_dir,
            watch: false,
        });
    };
    match command {
        Command::Play {
            scenario,
            role,
            trainee,
            seed,
            speed,
            at,
            watch,
            window,
        } => play::run(play::PlayArgs {
            scenario: Some(scenario),
            role,
            trainee,
            seed,
            speed,
            screenshot: window.screenshot,
            at,
            out_dir: window.out_dir,
            data_dir: cli.data_dir,
            watch,
        }),
        Command::New {
            id,
            from_timeline,
            zone,
            out,
        } => new::run(new::NewArgs {
            id,
            from_timeline,
            zone,
            out,
        }),
        Command::Validate {
            paths,
            deny_warnings,
        } => validate::run(&paths, deny_warnings),
        Command::Run {
            scenario,
            role,
            inputs,
            seed,
            json,
            postmortem,
            trainee,
            until,
            then,
        } => run::run(run::RunArgs {
            scenario,
            role,
            inputs,
            seed,
            json,
            postmortem,
            trainee,
            data_dir: cli.data_dir,
            until,
            then,
        }),
        Command::Join {
            address,
            code,
            name,
            seat,
            headless,
            inputs,
        } => join::run(join::JoinArgs {
            address,
            code,
            name,
            seat,
            headless,
            inputs,
            out_dir: cli.window.out_dir,
            data_dir: cli.data_dir,
        }),
        Command::Host {
            scenarios,
            port,
            seed,
            speed,
            code,
            grace,
            start_with,
            out_dir,
            resume,
        } => host::run(host::HostArgs {
            scenarios,
            port,
            seed,
            speed,
            code,
            grace,
            start_with,
            out_dir,
            resume,
            data_dir: cli.data_dir,
        }),
        Command::History {
            trainee,
            scenario,
            csv,
        } => history::list(
            &store::open(cli.data_dir.as_deref())?,
            &firedrill_core::history::Filter { trainee, scenario },
            csv,
        ),
        Command::Next { trainees } => next::run(&store::open(cli.data_dir.as_deref())?, &trainees),
        Command::Replay { run, scenario } => history::replay(
            &store::open(cli.data_dir.as_deref())?,
            run,
            scenario.as_deref(),
        ),
        Command::Autoplay {
            scenario,
            runs,
            seed,
            policy,
            jobs,
            json,
        } => autoplay::run(&scenario, runs, seed, policy, jobs.map(usize::from), json),
    }
}

#[cfg(test)]
mod tests {
    use clap::ValueEnum;

    use super::*;

    /// The names clap derives are the ones files, JSON and messages use.
    #[test]
    fn roles_and_policies_are_named_as_everywhere_else() {
        let name =
            |value: Option<clap::builder::PossibleValue>| value.map(|v| v.get_name().to_string());
        for role in Role::ALL {
            assert_eq!(name(role.to_possible_value()), Some(role.key().into()));
        }
        for policy in Policy::value_variants() {
            assert_eq!(name(policy.to_possible_value()), Some(policy.key().into()));
        }
    }

    #[test]
    fn ic_in_any_case_is_the_commander() {
        for spelling in ["ic", "IC", "Commander"] {
            let cli =
                Cli::try_parse_from(["firedrill", "play", "edge-waf-regex", "--role", spelling])
                    .expect("a valid command line");
            assert!(
                matches!(
                    cli.command,
                    Some(Command::Play {
                        role: Some(Role::Commander),
                        ..
                    })
                ),
                "{spelling}: {cli:?}"
            );
        }
    }
}
