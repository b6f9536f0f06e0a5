//! `firedrill run SCENARIO --role R --inputs FILE`: a headless run of a trainee's
//! inputs with bots in the other roles, summarised for a person, optionally as JSON
//! and as a postmortem draft; with a drill file, a whole team drill, seat by seat.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use firedrill_core::drill;
use firedrill_core::engine::Engine;
use firedrill_core::engine::action::{Actor, Role};
use firedrill_core::history::{self, NewRun};
use firedrill_core::report::postmortem::postmortem;
use firedrill_core::run::{self, RunReport, biggest_losses};
use firedrill_core::scenario::{Duration, Scenario};
use firedrill_core::score::{Category, Measure};

use super::{CliError, branch, load, store};

pub struct RunArgs {
    pub scenario: String,
    /// Needed for a one-seat input file; a drill file names its seats.
    pub role: Option<Role>,
    pub inputs: PathBuf,
    pub seed: u64,
    pub json: Option<PathBuf>,
    pub postmortem: Option<PathBuf>,
    /// Record the run in the history under this name.
    pub trainee: Option<String>,
    pub data_dir: Option<PathBuf>,
    /// Replay the inputs up to this sim time only ([`super::branch`]).
    pub until: Option<Duration>,
    /// With `until`: play on from there with this file's actions.
    pub then: Option<PathBuf>,
}

pub fn run(args: RunArgs) -> Result<(), CliError> {
    let scenario = load::scenario(&args.scenario)?;
    if is_drill_file(&args.inputs) {
        return run_drill(&args, scenario);
    }
    let Some(role) = args.role else {
        return Err(CliError::Usage(format!(
            "{}: a one-seat input file needs --role (only a drill file names its seats)",
            args.inputs.display()
        )));
    };
    let inputs = load::inputs(&args.inputs, &scenario)?;
    if inputs.role != role {
        return Err(CliError::Invalid(format!(
            "{}: these inputs are for the {} role, but --role is {}",
            args.inputs.display(),
            inputs.role.key(),
            role.key()
        )));
    }
    match (args.until, &args.then) {
        (Some(at), None) => {
            branch::check_pause_args(&args)?;
            branch::check_until(&scenario, at)?;
            return branch::pause(&args, scenario, &inputs, at);
        }
        (Some(at), Some(then)) => {
            branch::check_until(&scenario, at)?;
            return branch::play_on(&args, scenario, &inputs, at, then);
        }
        (None, _) => {}
    }
    let started_at = history::now();
    let engine = run::play(Arc::clone(&scenario), args.seed, Some(&inputs));
    let report = run::report(&engine);
    print!("{}", summary(&scenario, &report));
    if let Some(trainee) = &args.trainee {
        let mut store = store::open(args.data_dir.as_deref())?;
        let id = store.record(&NewRun {
            scenario: &scenario,
            trainee,
            inputs: (&inputs).into(),
            report: &report,
            started_at,
            ended_at: history::now(),
            abandoned: false,
            branch_of: None,
        })?;
        println!("Recorded as run #{id} for {trainee}.");
    }
    write_extras(&args, &scenario, &engine, &report)
}

/// Writes the `--json` report and the `--postmortem` draft the arguments ask for.
pub(super) fn write_extras(
    args: &RunArgs,
    scenario: &Scenario,
    engine: &Engine,
    report: &RunReport,
) -> Result<(), CliError> {
    if let Some(path) = &args.json {
        let json = serde_json::to_string_pretty(report).expect("reports serialize");
        load::write(path, &(json + "\n"))?;
    }
    if let Some(path) = &args.postmortem {
        let draft = postmortem(scenario, engine.journal(), &report.scorecard, args.seed);
        load::write(path, &draft)?;
    }
    Ok(())
}

/// Whether the file holds a whole team drill (`Drill(...)`) rather than one seat's
/// inputs; an unreadable file is left to the one-seat loader to report.
fn is_drill_file(path: &Path) -> bool {
    firedrill_core::scenario::LoadError::read(path).is_ok_and(|text| drill::looks_like_drill(&text))
}

/// `run` with a drill file: the drill replayed with its own seed, then each seat's
/// summary as a one-seat run prints it, under the name of who sat in it.
fn run_drill(args: &RunArgs, scenario: Arc<Scenario>) -> Result<(), CliError> {
    if args.trainee.is_some() || args.postmortem.is_some() || args.until.is_some() {
        return Err(CliError::Usage(
            "--trainee, --postmortem and --until are for one-seat input files, not drill files"
                .into(),
        ));
    }
    let file = drill::load_file(&args.inputs, &scenario).map_err(CliError::from)?;
    let engine = drill::play(Arc::clone(&scenario), &file)
        .map_err(|e| CliError::Invalid(format!("{}: {e}", args.inputs.display())))?;
    let report = drill::report(&engine);
    println!(
        "Team drill: {} seat(s) taken, seed {} from the drill file",
        report.seats.len(),
        report.seed
    );
    for seat in &report.seats {
        println!("\n== {} · {} ==", seat.name, seat.role.title());
        print!("{}", summary(&scenario, &report.seat_run(seat)));
    }
    if let Some(path) = &args.json {
        let json = serde_json::to_string_pretty(&report).expect("reports serialize");
        load::write(path, &(json + "\n"))?;
    }
    Ok(())
}

/// A time in [`Duration`]'s words (`12m5s`), `-` when there is none.
pub(super) fn duration(secs: Option<u64>) -> String {
    Duration::words_or(secs, "-")
}

/// The short human summary: outcome, milestones, scores, the biggest lessons.
pub fn summary(scenario: &Scenario, report: &RunReport) -> String {
    let t = &report.scorecard.times;
    let role = report
        .role
        .map_or("bots only".to_string(), |r| Actor::Trainee(r).to_string());
    let end = t.resolved_s.map_or_else(String::new, |r| {
        format!(" at {} {}", scenario.clock_seconds(r), scenario.time_zone)
    });
    let mut out = format!(
        "{} · {} · seed {}\nOutcome: {}{end}\n",
        scenario.title,
        role,
        report.seed,
        report.outcome.key()
    );
    out += &format!(
        "Milestones: impact {} · detected {} · acknowledged {} · declared {} · mitigated {} · resolved {}\n",
        duration(Some(t.start_s)),
        duration(t.detected_s),
        duration(t.acknowledged_s),
        duration(t.declared_s),
        duration(t.mitigated_s),
        duration(t.resolved_s),
    );
    let figures: Vec<String> = Measure::ALL
        .into_iter()
        .map(|m| {
            let par = m
                .par(&scenario.par)
                .map_or_else(String::new, |p| format!(" (par {p})"));
            format!("{} {}{par}", m.name(), duration(m.of(t)))
        })
        .collect();
    out += &figures.join(" · ");
    out.push('\n');
    out += &format!("Scores: {}\n", scores_line(report));
    let card = &report.scorecard;
    if !card.adjustments.is_empty() {
        out += &format!(
            "The categories came to {}; taken off the total:\n",
            card.mean()
        );
        for a in &card.adjustments {
            out += &format!("  -{:<4} {} {}\n", a.lost, scenario.clock(a.at_s), a.text);
        }
    }
    let lessons = biggest_losses(&report.scorecard, report.role, 5);
    let all = biggest_losses(&report.scorecard, report.role, usize::MAX).len();
    if !lessons.is_empty() {
        out += "Where the points went (cost to the total):\n";
        let shown = lessons.len();
        for (cost, f) in lessons {
            out += &format!("  -{cost:<4.1} {} {}\n", scenario.clock(f.at_s), f.text);
        }
        if all > shown {
            out += &format!(
                "  ... and {} more: --json or --postmortem lists every finding\n",
                all - shown
            );
        }
    }
    out
}

/// "time 100 · CAN 84 (3 reports) · ... · total 91", graded categories only.
fn scores_line(report: &RunReport) -> String {
    let card = &report.scorecard;
    let mut parts: Vec<String> = Category::ALL
        .into_iter()
        .filter_map(|c| {
            let score = card.scores.get(c)?;
            let weight = c.weight(report.role);
            (weight > 0).then(|| match c {
                Category::Can => format!("CAN {score} ({} report(s))", card.can_reports.len()),
                _ => format!("{} {score}", c.title().to_lowercase()),
            })
        })
        .collect();
    parts.push(format!("total {}", card.scores.total));
    parts.join(" · ")
}
