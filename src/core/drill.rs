//! Drill files: a whole team drill in one RON file (every seat's, the facilitator's and
//! the host's timed inputs, with the seed), checked against its scenario, played to the
//! end headless, and reported seat by seat. A networked host saves one; `firedrill run
//! SCENARIO --inputs drill.ron` replays it. `docs/input-format.md` documents it.
//!
//! One-seat input files (`Inputs(...)`, [`crate::inputs`]) are unchanged; a drill file
//! starts with `Drill(` instead.

use std::path::Path;
use std::sync::Arc;

use serde::{Deserialize, Serialize};

use crate::engine::action::{Action, Actor, Input, Role};
use crate::engine::journal::{Entry, Event, Outcome};
use crate::engine::{Engine, SubmitError};
pub use crate::inputs::InputProblem;
use crate::inputs::{self, Problems};
use crate::report::timeline::{TimelineLine, timeline};
use crate::run::{RunReport, outcome_key};
use crate::scenario::locate::Seg;
use crate::scenario::{Diagnostic, Duration, LoadError, Scenario, parse_ron};
use crate::score::{self, Scorecard};

#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
#[serde(rename = "Drill")]
pub struct DrillFile {
    /// The id of the scenario the drill was played on.
    pub scenario: String,
    /// The drill's seed: with the inputs, it determines the whole run.
    pub seed: u64,
    /// Every input of the drill in the order the host took them.
    pub inputs: Vec<DrillInput>,
}

/// One input of a drill: when, from whom, what.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct DrillInput {
    pub at: Duration,
    pub by: By,
    #[serde(rename = "do")]
    pub action: Action,
}

/// Who an input of a drill comes from.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
pub enum By {
    /// Whoever sits in the role's seat at the time.
    Seat(Role),
    Facilitator,
    Host,
    /// Someone watching, by name: they may only post.
    Observer(String),
}

impl By {
    pub fn actor(&self) -> Actor {
        match self {
            By::Seat(role) => Actor::Trainee(*role),
            By::Facilitator => Actor::Facilitator,
            By::Host => Actor::Host,
            By::Observer(name) => Actor::Observer(name.clone()),
        }
    }
}

impl DrillFile {
    /// The inputs as the engine takes them.
    pub fn engine_inputs(&self) -> impl Iterator<Item = Input> + '_ {
        self.inputs.iter().map(|i| Input {
            at: i.at,
            actor: i.by.actor(),
            action: i.action.clone(),
        })
    }

    /// RON text of this file, readable by [`parse`].
    pub fn to_ron(&self) -> String {
        crate::inputs::to_ron_text(self)
    }
}

/// Whether RON text is a drill file (`Drill(...)`).
pub fn looks_like_drill(source: &str) -> bool {
    source
        .lines()
        .map(str::trim_start)
        .find(|line| !line.is_empty() && !line.starts_with("//"))
        .is_some_and(|line| line.starts_with("Drill"))
}

/// Reads a drill file and checks it against its scenario.
pub fn load_file(path: &Path, scenario: &Scenario) -> Result<DrillFile, LoadError> {
    let source_text = LoadError::read(path)?;
    parse(&source_text, scenario).map_err(|diagnostics| LoadError::Invalid {
        path: path.to_path_buf(),
        source_text,
        diagnostics,
    })
}

/// Parses drill text and checks it: the right scenario, times inside the drill, each
/// input something its sender may do (a seat its role's actions, the host only
/// seating), known ids, and a seat acting only after someone takes it.
pub fn parse(source: &str, scenario: &Scenario) -> Result<DrillFile, Vec<Diagnostic>> {
    let file: DrillFile = parse_ron(source).map_err(|d| vec![d])?;
    let mut problems = Problems::new(source);
    problems.scenario(&file.scenario, scenario, "this drill is");
    for (i, input) in file.inputs.iter().enumerate() {
        problems.input("inputs", i, check_input(input, scenario));
        if let By::Seat(role) = input.by {
            let taken = file.inputs.iter().any(|other| {
                other.at <= input.at
                    && matches!(other.action, Action::TakeSeat { role: r, .. } if r == role)
            });
            if !taken {
                problems.report(
                    &[Seg::from("inputs"), i.into(), "by".into()],
                    format!(
                        "nobody has taken the {} seat by {}: add a TakeSeat before it",
                        role.title(),
                        input.at
                    ),
                );
            }
        }
    }
    problems.or(file)
}

/// The checks [`parse`] makes of each input alone ([`inputs::check_action`]). A host
/// runs them before it takes an input, so the drill file it saves always loads.
pub fn check_input(input: &DrillInput, scenario: &Scenario) -> Vec<InputProblem> {
    inputs::check_action(input.at, &input.by.actor(), &input.action, scenario)
}

/// Plays a drill to the end: bots in every seat until someone takes it. Fails only on
/// a seat's input with no `TakeSeat` of that seat before it, which [`parse`] rules out.
pub fn play(scenario: Arc<Scenario>, file: &DrillFile) -> Result<Engine, SubmitError> {
    let mut engine = Engine::new(scenario, file.seed, &[]);
    for input in file.engine_inputs() {
        engine.submit(input)?;
    }
    engine.run_to_end();
    Ok(engine)
}

/// One seat of a finished drill: who sat in it and its scorecard, graded with its
/// role's weights on what the people in it did.
#[derive(Debug, Clone, Serialize)]
pub struct SeatReport {
    /// The people who sat in it, in the order they first took it, joined with ", ".
    pub name: String,
    pub role: Role,
    #[serde(flatten)]
    pub scorecard: Scorecard,
}

/// Everything a finished drill reports: the `run --json` shape for a drill file.
#[derive(Debug, Clone, Serialize)]
pub struct DrillReport {
    pub scenario: String,
    pub seed: u64,
    #[serde(serialize_with = "outcome_key")]
    pub outcome: Outcome,
    /// Every seat someone took by name, in role order.
    pub seats: Vec<SeatReport>,
    pub timeline: Vec<TimelineLine>,
}

impl DrillReport {
    /// One seat's report in the one-seat shape, for summaries that print it so.
    pub fn seat_run(&self, seat: &SeatReport) -> RunReport {
        RunReport {
            scenario: self.scenario.clone(),
            seed: self.seed,
            role: Some(seat.role),
            outcome: self.outcome,
            scorecard: seat.scorecard.clone(),
            timeline: Vec::new(),
        }
    }
}

/// The people who took each role's seat by name, in role order, each listed once in
/// the order they first took it.
pub fn seats(journal: &[Entry]) -> Vec<(Role, Vec<String>)> {
    Role::ALL
        .into_iter()
        .filter_map(|role| {
            let mut names: Vec<String> = Vec::new();
            for e in journal {
                if let Event::Did {
                    action: Action::TakeSeat { role: r, by },
                    ..
                } = &e.event
                    && *r == role
                    && !names.contains(by)
                {
                    names.push(by.clone());
                }
            }
            (!names.is_empty()).then_some((role, names))
        })
        .collect()
}

/// The report of a drill played by [`play`] (or by a host).
pub fn report(engine: &Engine) -> DrillReport {
    let scenario = engine.scenario();
    let journal = engine.journal();
    DrillReport {
        scenario: scenario.id.clone(),
        seed: engine.seed(),
        outcome: engine.outcome().unwrap_or(Outcome::TimedOut),
        seats: seats(journal)
            .into_iter()
            .map(|(role, names)| SeatReport {
                name: names.join(", "),
                role,
                scorecard: score::score(scenario, journal, Some(role)),
            })
            .collect(),
        timeline: timeline(scenario, journal),
    }
}

#[cfg(test)]
mod tests;
