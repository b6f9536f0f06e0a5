//! `firedrill run ... --until T [--then FILE]`: retry from here, headless. `--until`
//! replays the trainee's inputs up to sim time T and says where the run stands there;
//! `--then` plays on from T with another file's actions and compares the branch with
//! the run it came from.

use std::path::Path;
use std::sync::Arc;

use firedrill_core::history::{self, BranchOf, NewRun};
use firedrill_core::inputs::{self, InputFile};
use firedrill_core::report::compare::{Comparison, compare};
use firedrill_core::report::timeline::timeline;
use firedrill_core::run;
use firedrill_core::scenario::{Duration, Scenario};
use firedrill_core::session::Session;

use super::run::{RunArgs, summary, write_extras};
use super::{CliError, store};

/// How many of the latest timeline lines the pause shows.
const RECENT: usize = 8;

/// Replays `inputs` up to `at` and prints where the run stands, and how to go on.
pub fn pause(
    args: &RunArgs,
    scenario: Arc<Scenario>,
    inputs: &InputFile,
    at: Duration,
) -> Result<(), CliError> {
    let resumed = Session::branch(scenario, args.seed, inputs, at);
    let engine = resumed.session.engine();
    let scenario = engine.scenario();
    let state = engine.state();
    let replayed = resumed.session.recording().actions.len();
    let mut out = format!(
        "{} · paused at {} {} ({at} into the drill)\n",
        scenario.title,
        scenario.clock_seconds(at.as_secs()),
        scenario.time_zone
    );
    out += &format!(
        "Replayed {replayed} of the {} inputs; {} from {at} on were not played.\n",
        inputs.actions.len(),
        inputs.actions.len() - replayed
    );
    for refused in &resumed.refused {
        out += &format!("  refused {refused}\n");
    }
    out += &format!(
        "Incident: {} · severity {}\n",
        state.incident.map_or("not yet paged", |s| s.label()),
        state.severity.map_or("not declared", |s| s.name())
    );
    let firing: Vec<&str> = scenario
        .world
        .alerts
        .iter()
        .zip(&state.alerts)
        .filter(|(_, status)| status.firing)
        .map(|(rule, _)| rule.name.as_str())
        .collect();
    out += &format!(
        "Alerts firing: {}\n",
        if firing.is_empty() {
            "none".to_string()
        } else {
            firing.join(", ")
        }
    );
    let lines = timeline(scenario, engine.journal());
    out += &format!(
        "Latest in the timeline ({} of {}):\n",
        lines.len().min(RECENT),
        lines.len()
    );
    for line in &lines[lines.len().saturating_sub(RECENT)..] {
        out += &format!("  {} {}: {}\n", line.clock, line.who, line.text);
    }
    out += &format!(
        "Play on from here: write the actions from {at} on in an input file and run\n  firedrill run {} --role {} --seed {} --inputs {} --until {at} --then NEXT.ron\n",
        args.scenario,
        inputs.role.key(),
        args.seed,
        args.inputs.display()
    );
    print!("{out}");
    Ok(())
}

/// Plays `inputs` up to `at`, then the actions of the file `then`, to the end; prints
/// the branch's summary and how it compares with the run of `inputs` alone. Records
/// both, linked, when the arguments name a trainee.
pub fn play_on(
    args: &RunArgs,
    scenario: Arc<Scenario>,
    inputs: &InputFile,
    at: Duration,
    then: &Path,
) -> Result<(), CliError> {
    let continuation = inputs::load_continuation(then, &scenario, at)?;
    if continuation.role != inputs.role {
        return Err(CliError::Invalid(format!(
            "{}: these inputs are for the {} role, but the run being played on is the {}'s",
            then.display(),
            continuation.role.key(),
            inputs.role.key()
        )));
    }
    let mut branch = inputs.before(at);
    branch.actions.extend(continuation.actions);
    let started_at = history::now();
    let first = run::report(&run::play(Arc::clone(&scenario), args.seed, Some(inputs)));
    let engine = run::play(Arc::clone(&scenario), args.seed, Some(&branch));
    let report = run::report(&engine);
    print!("{}", summary(&scenario, &report));
    let comparison = compare(&scenario, (&first, inputs), (&report, &branch), at);
    print!("{}", comparison_text(&comparison, &args.inputs, then));
    if let Some(trainee) = &args.trainee {
        let mut store = store::open(args.data_dir.as_deref())?;
        let mut record = |inputs: &InputFile, report, branch_of| {
            store.record(&NewRun {
                scenario: &scenario,
                trainee,
                inputs: inputs.into(),
                report,
                started_at: started_at.clone(),
                ended_at: history::now(),
                abandoned: false,
                branch_of,
            })
        };
        let first_id = record(inputs, &first, None)?;
        let branch_id = record(
            &branch,
            &report,
            Some(BranchOf {
                run: first_id,
                at_s: at.as_secs(),
            }),
        )?;
        println!(
            "Recorded as run #{first_id} and its branch from {at}, run #{branch_id}, for {trainee}."
        );
    }
    write_extras(args, &scenario, &engine, &report)
}

/// The comparison as a table and two lists, for a terminal.
fn comparison_text(comparison: &Comparison, first: &Path, then: &Path) -> String {
    let mut out = format!(
        "\nCompared with the run of {} alone (the same up to {}):\n",
        first.display(),
        comparison.clock
    );
    let width = |pick: fn(&firedrill_core::report::compare::Compared) -> &str, title: &str| {
        comparison
            .rows
            .iter()
            .map(|r| pick(r).chars().count())
            .chain([title.chars().count()])
            .max()
            .unwrap_or(0)
    };
    let name_w = width(|r| &r.name, "");
    let first_w = width(|r| &r.first, "first run");
    let branch_w = width(|r| &r.branch, "this branch");
    out += &format!(
        "  {:<name_w$}  {:<first_w$}  {:<branch_w$}\n",
        "", "first run", "this branch"
    );
    for row in &comparison.rows {
        out += &format!(
            "  {:<name_w$}  {:<first_w$}  {:<branch_w$}  {}\n",
            row.name,
            row.first,
            row.branch,
            row.change.label()
        );
    }
    let list = |title: String, did: &[String]| {
        let mut text = format!("{title}:\n");
        if did.is_empty() {
            text += "  nothing\n";
        }
        for line in did {
            text += &format!("  {}\n", shortened(line));
        }
        text
    };
    out += &list(
        format!("From {} the first run did", comparison.clock),
        &comparison.first_did,
    );
    out += &list(
        format!("and this branch ({}) did", then.display()),
        &comparison.branch_did,
    );
    out
}

/// `--until` without `--then` scores nothing: the run stops before its end.
pub fn check_pause_args(args: &RunArgs) -> Result<(), CliError> {
    let scored: Vec<&str> = [
        (args.json.is_some(), "--json"),
        (args.postmortem.is_some(), "--postmortem"),
        (args.trainee.is_some(), "--trainee"),
    ]
    .into_iter()
    .filter_map(|(given, flag)| given.then_some(flag))
    .collect();
    if scored.is_empty() {
        Ok(())
    } else {
        Err(CliError::Usage(format!(
            "{}: only for a finished run; --until alone stops at that moment: add --then FILE to play on to the end",
            scored.join(", ")
        )))
    }
}

/// The time limit bounds `--until`.
pub fn check_until(scenario: &Scenario, at: Duration) -> Result<(), CliError> {
    if at >= scenario.time_limit {
        return Err(CliError::Usage(format!(
            "--until {at} is not before the scenario's time limit {}",
            scenario.time_limit
        )));
    }
    Ok(())
}

/// The longest action line the comparison prints; the debrief shows them whole.
const LINE_CHARS: usize = 140;

/// `line`, cut to [`LINE_CHARS`] characters with an ellipsis.
fn shortened(line: &str) -> String {
    match line.char_indices().nth(LINE_CHARS) {
        Some((cut, _)) => format!("{}…", &line[..cut]),
        None => line.to_string(),
    }
}
