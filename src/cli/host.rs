//! `firedrill host SCENARIO... [--port P] [--seed N] [--speed X] [--code CODE]
//! [--grace 60s] [--start-with N] [--out-dir DIR] [--resume FILE]`: runs drill hosts
//! without a window (firedrill-net's `DrillHost`), one per scenario on ports P, P+1,
//! ..., each with its own join code, announced on the LAN, until every drill has ended.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use firedrill_core::history::{Filter, turns};
use firedrill_core::rotation::Played;

use firedrill_core::scenario::{self, LoadError, builtin};
use firedrill_net::JoinCode;
use firedrill_net::drill::JournalError;
use firedrill_net::drill::host::{DrillConfig, DrillHost, HostError, Notice};
use firedrill_net::drill::protocol::Lobby;
use firedrill_net::drill::served::Served;

use super::{CliError, load, store};

/// Real time between two updates of the drills.
const TICK: Duration = Duration::from_millis(15);
/// How long the host goes on after the last drill ended, so its end reaches everyone.
const LINGER: Duration = Duration::from_secs(1);

pub struct HostArgs {
    pub scenarios: Vec<String>,
    pub port: u16,
    pub seed: u64,
    pub speed: f64,
    pub code: Option<String>,
    pub grace: scenario::Duration,
    pub start_with: Option<usize>,
    pub out_dir: PathBuf,
    pub resume: Option<PathBuf>,
    /// Where this machine's run history is, for the lobby's seat suggestions.
    pub data_dir: Option<PathBuf>,
}

pub fn run(args: HostArgs) -> Result<(), CliError> {
    if args.code.is_some() && args.scenarios.len() > 1 {
        return Err(CliError::Usage(
            "--code gives one drill its code: with several scenarios, each gets a generated one"
                .into(),
        ));
    }
    if args.start_with.is_some_and(|n| n == 0 || n > 3) {
        return Err(CliError::Usage(
            "--start-with counts role seats: 1, 2 or 3".into(),
        ));
    }
    let code = args
        .code
        .as_deref()
        .map(JoinCode::parse)
        .transpose()
        .map_err(|e| CliError::Usage(format!("--code: {e}")))?;
    let config = DrillConfig {
        seed: args.seed,
        speed: args.speed,
        grace: Duration::from_secs(args.grace.as_secs()),
        start_with: args.start_with,
        out_dir: args.out_dir.clone(),
        histories: histories(args.data_dir.as_deref()),
        ..DrillConfig::new(env!("CARGO_PKG_VERSION"))
    };
    let mut hosted = Vec::new();
    if let Some(journal) = &args.resume {
        let drill = DrillHost::resume(journal, bind(args.port), config).map_err(host_error)?;
        hosted.push(drill);
    } else {
        // Every scenario loads before any drill opens: a typo opens nothing.
        let mut loaded = Vec::new();
        for name in &args.scenarios {
            let scenario = load::scenario(name)?;
            loaded.push((scenario, scenario_text(name)?));
        }
        for (i, (scenario, text)) in loaded.into_iter().enumerate() {
            let code = match &code {
                Some(code) => code.clone(),
                None => JoinCode::generate().map_err(|e| CliError::Io(e.to_string()))?,
            };
            let port = u16::try_from(usize::from(args.port) + i).map_err(|_| {
                CliError::Usage(format!(
                    "--port {}: too high for {} drills",
                    args.port,
                    i + 1
                ))
            })?;
            let drill = DrillHost::open(bind(port), code, scenario, text, config.clone())
                .map_err(host_error)?;
            hosted.push(drill);
        }
    }
    let mut hosted: Vec<Served> = hosted.into_iter().map(announce).collect();
    println!("Ctrl-C stops the host; the journal is on disk and --resume FILE continues a drill.");
    serve(&mut hosted);
    Ok(())
}

/// All interfaces, so people on the LAN can dial in.
fn bind(port: u16) -> std::net::SocketAddr {
    (std::net::Ipv4Addr::UNSPECIFIED, port).into()
}

/// The scenario's RON text, which every client plays: the file's, or the built-in's.
fn scenario_text(name: &str) -> Result<String, CliError> {
    let path = Path::new(name);
    if path.exists() {
        return LoadError::read(path).map_err(CliError::from);
    }
    builtin::source(name)
        .map(str::to_owned)
        .ok_or_else(|| CliError::Io(format!("{name}: no such scenario")))
}

fn host_error(error: HostError) -> CliError {
    match error {
        HostError::Resume(JournalError::Io { .. })
        | HostError::Net(_)
        | HostError::Journal { .. } => CliError::Io(format!("firedrill host: {error}")),
        HostError::Resume(_) | HostError::Damaged { .. } => CliError::Invalid(error.to_string()),
    }
}

/// Prints how to join the drill and announces it on the LAN.
fn announce(drill: DrillHost) -> Served {
    let scenario = drill.scenario();
    let port = drill.local_addr().port();
    let code = drill.code().to_string();
    let mut addresses = drill.dial_addresses();
    // The LAN's addresses first, loopback last.
    addresses.sort_by_key(|a| (a.ip().is_loopback(), *a));
    let dial: Vec<String> = addresses.iter().map(ToString::to_string).collect();
    println!();
    println!(
        "{} ({}, seed {})",
        scenario.title,
        scenario.id,
        drill.seed()
    );
    println!("  address: {}", dial.join(" or "));
    println!("  code:    {code}");
    let first = dial
        .first()
        .cloned()
        .unwrap_or_else(|| format!("127.0.0.1:{port}"));
    println!(
        "  join:    firedrill join {first} --code {code} --name NAME --seat commander|comms|tech|observer|facilitator"
    );
    println!("  journal: {}", drill.journal_path().display());
    let (served, problem) = Served::announce(drill);
    if let Some(problem) = problem {
        println!("  (not announced on the LAN: {problem}; people dial the address)");
    }
    served
}

/// What everyone in this machine's history played, by name, for the lobby's seat
/// suggestions; none, with a line saying why, when the history cannot be read.
fn histories(data_dir: Option<&Path>) -> BTreeMap<String, Vec<Played>> {
    let rows = store::open(data_dir).and_then(|store| {
        store
            .runs(&Filter::default())
            .map_err(|e| CliError::Io(e.to_string()))
    });
    match rows {
        Ok(rows) => turns(&rows).into_iter().collect(),
        Err(error) => {
            println!("No seat suggestions from the history: {error}");
            BTreeMap::new()
        }
    }
}

/// "rotation suggests: ana as Communications Lead, ben as Incident Commander".
fn suggestions(lobby: &Lobby) -> Option<String> {
    (!lobby.suggested.is_empty()).then(|| {
        let pairs: Vec<String> = lobby
            .suggested
            .iter()
            .map(|(name, role)| format!("{name} as {}", role.title()))
            .collect();
        format!("  rotation suggests: {}", pairs.join(", "))
    })
}

/// Updates every drill until all have ended, printing what happens, then a moment
/// longer so the last messages (the end) reach everyone.
fn serve(hosted: &mut [Served]) {
    let several = hosted.len() > 1;
    let mut last = Instant::now();
    let mut all_ended_at = None;
    while all_ended_at.is_none_or(|at: Instant| at.elapsed() < LINGER) {
        std::thread::sleep(TICK);
        let now = Instant::now();
        let elapsed = now - last;
        last = now;
        for served in hosted.iter_mut() {
            let (notices, problem) = served.update(elapsed);
            let drill = served.drill();
            for notice in notices {
                if several {
                    println!("[port {}] {notice}", drill.local_addr().port());
                } else {
                    println!("{notice}");
                }
                if matches!(notice, Notice::Joined { .. })
                    && drill.clock().lobby
                    && let Some(line) = suggestions(&drill.lobby())
                {
                    println!("{line}");
                }
            }
            if let Some(problem) = problem {
                println!("the LAN announcement could not be updated: {problem}");
            }
        }
        if all_ended_at.is_none() && hosted.iter().all(|h| h.drill().is_ended()) {
            all_ended_at = Some(Instant::now());
        }
    }
}
