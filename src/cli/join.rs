//! `firedrill join ADDRESS --code CODE --name NAME [--seat S] [--headless --inputs FILE]`:
//! join a team drill. Headless, it plays a one-seat input file's actions through the
//! network at their sim times and prints that seat's debrief as `firedrill run` does.

use std::net::{SocketAddr, ToSocketAddrs};
use std::path::PathBuf;
use std::time::{Duration, Instant};

use firedrill_core::drill;
use firedrill_core::engine::action::Role;
use firedrill_core::inputs::{self, InputFile};
use firedrill_net::JoinCode;
use firedrill_net::drill::client::{DrillClient, DrillEvent};
use firedrill_net::drill::protocol::Seat;

use firedrill_core::history::{self, NewRun, RecordedInputs};

use super::run::summary;
use super::{CliError, store};
use crate::gui::team::JoinRequest;
use crate::gui::{self, Launch, MenuPreset};
use firedrill_core::scenario::builtin;
use std::sync::Arc;

/// How long joining waits for the host's answer.
const JOIN_WAIT: Duration = Duration::from_secs(5);
/// Time between two updates of a headless client: no busy loop.
const STEP: Duration = Duration::from_millis(15);

pub struct JoinArgs {
    pub address: String,
    pub code: JoinCode,
    pub name: String,
    pub seat: Option<Seat>,
    pub headless: bool,
    pub inputs: Option<PathBuf>,
    /// Where the app saves (without --headless).
    pub out_dir: PathBuf,
    /// This machine's run history, where the seat's run is recorded.
    pub data_dir: Option<PathBuf>,
}

/// `--seat`: a role's key (`ic` for the commander), `observer` or `facilitator`.
pub fn parse_seat(text: &str) -> Result<Seat, String> {
    match text.to_lowercase().as_str() {
        "observer" => Ok(Seat::Observer),
        "facilitator" => Ok(Seat::Facilitator),
        "ic" => Ok(Seat::Role(Role::Commander)),
        other => other.parse::<Role>().map(Seat::Role).map_err(|_| {
            format!("no seat \"{text}\": use commander, comms, tech, observer or facilitator")
        }),
    }
}

/// A seat as people read it.
fn seat_title(seat: Seat) -> &'static str {
    match seat {
        Seat::Role(role) => role.title(),
        Seat::Observer => "observer",
        Seat::Facilitator => "facilitator",
    }
}

pub fn run(args: JoinArgs) -> Result<(), CliError> {
    if !args.headless {
        return in_the_app(args);
    }
    let Some(path) = &args.inputs else {
        return Err(CliError::Usage(
            "--headless needs --inputs FILE: the seat's actions to play".into(),
        ));
    };
    let text = firedrill_core::scenario::LoadError::read(path).map_err(CliError::from)?;
    let unchecked = inputs::parse_unchecked(&text)
        .map_err(|d| CliError::Invalid(format!("{}: {}", path.display(), d.message)))?;
    let role = unchecked.role;
    match args.seat {
        None => {}
        Some(Seat::Role(seat)) if seat == role => {}
        Some(other) => {
            return Err(CliError::Usage(format!(
                "{}: these inputs are for the {} seat, but --seat is {}",
                path.display(),
                role.key(),
                seat_key(other)
            )));
        }
    }
    let addr = resolve(&args.address)?;
    let started_at = history::now();
    let mut client = DrillClient::join(
        addr,
        &args.code,
        &args.name,
        Some(Seat::Role(role)),
        env!("CARGO_PKG_VERSION"),
        JOIN_WAIT,
    )
    .map_err(|e| CliError::Net(e.to_string()))?;
    let scenario = client.replica().engine().scenario().clone();
    println!(
        "Joined \"{}\" at {} as {} ({})",
        scenario.title,
        client.replica().clock().next,
        args.name,
        seat_title(client.replica().seat())
    );
    // Checked against the scenario the host plays, which only the welcome tells.
    let inputs = inputs::parse(&text, &scenario).map_err(|diagnostics| {
        client.leave();
        let lines: Vec<String> = diagnostics.iter().map(|d| d.message.clone()).collect();
        CliError::Invalid(format!("{}: {}", path.display(), lines.join("; ")))
    })?;
    play(&mut client, &inputs)?;
    let engine = client.replica().engine();
    let report = drill::report(engine);
    let Some(seat) = report.seats.iter().find(|s| s.role == role) else {
        return Err(CliError::Net(format!(
            "the drill ended without anyone in the {} seat",
            role.title()
        )));
    };
    let seat_run = report.seat_run(seat);
    print!("{}", summary(&scenario, &seat_run));
    // Recorded on this machine under this person's name and role, so role rotation
    // counts team drills; the whole drill is kept, so `firedrill replay` scores it.
    let mut store = store::open(args.data_dir.as_deref())?;
    let id = store.record(&NewRun {
        scenario: &scenario,
        trainee: &args.name,
        inputs: RecordedInputs::Drill {
            file: client.replica().drill_file(),
            role,
        },
        report: &seat_run,
        started_at,
        ended_at: history::now(),
        abandoned: false,
        branch_of: None,
    })?;
    println!("Recorded as run #{id} for {}.", args.name);
    Ok(())
}

/// Opens the app joining the drill: its lobby once the host answers.
fn in_the_app(args: JoinArgs) -> Result<(), CliError> {
    let address = resolve(&args.address)?;
    gui::run(Launch {
        library: builtin::all().into_iter().map(Arc::new).collect(),
        play: None,
        menu: MenuPreset {
            trainee: Some(args.name.clone()),
            ..MenuPreset::default()
        },
        screenshot: None,
        out_dir: args.out_dir,
        scenario_file: None,
        data_dir: store::data_dir(args.data_dir.as_deref()).ok(),
        join: Some(JoinRequest {
            address,
            code: args.code,
            name: args.name,
            seat: args.seat,
        }),
        watch: None,
    })
    .map_err(CliError::NoDisplay)
}

fn seat_key(seat: Seat) -> &'static str {
    match seat {
        Seat::Role(role) => role.key(),
        Seat::Observer => "observer",
        Seat::Facilitator => "facilitator",
    }
}

/// `host:port` to an address.
fn resolve(address: &str) -> Result<SocketAddr, CliError> {
    address
        .to_socket_addrs()
        .map_err(|e| CliError::Usage(format!("{address}: not an address (use HOST:PORT): {e}")))?
        .next()
        .ok_or_else(|| CliError::Usage(format!("{address}: no address found for this host")))
}

/// Sends each action once the replica's clock reaches its time (the host stamps it at
/// its next second), until the host ends the drill.
fn play(client: &mut DrillClient, inputs: &InputFile) -> Result<(), CliError> {
    let mut actions = inputs.actions.iter().peekable();
    // Joining a drill already under way (a rejoin after a crash, most likely): what the
    // file has before now was played, or missed, already; sending it now would play it
    // twice or late.
    let joined = client.replica().clock();
    if !joined.lobby {
        let mut passed = 0;
        while actions.next_if(|a| a.at < joined.next).is_some() {
            passed += 1;
        }
        if passed > 0 {
            println!(
                "Skipped {passed} action(s) timed before {}: the drill is past them.",
                joined.next
            );
        }
    }
    let mut last = Instant::now();
    loop {
        // Nothing is sent in the lobby: the drill's clock has not started.
        let clock = client.replica().clock();
        while let Some(action) = actions.next_if(|a| !clock.lobby && clock.next >= a.at) {
            client
                .act(action.action.clone())
                .map_err(|e| CliError::Net(format!("cannot send an action: {e}")))?;
        }
        std::thread::sleep(STEP);
        let now = Instant::now();
        for event in client.update(now - last) {
            match event {
                DrillEvent::Refused(reason) => eprintln!("The host refused: {reason}"),
                DrillEvent::Ended => {
                    let left = actions.count();
                    if left > 0 {
                        eprintln!("{left} action(s) not sent: the drill ended first");
                    }
                    return Ok(());
                }
                DrillEvent::Diverged(error) => return Err(CliError::Net(error.to_string())),
                DrillEvent::Disconnected(reason) => {
                    return Err(CliError::Net(format!("left the drill: {reason}")));
                }
            }
        }
        last = now;
    }
}
