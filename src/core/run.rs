//! Headless runs: a scenario played to the end as fast as the CPU allows, with a
//! trainee's input file or with bots in every role. Many runs with bots in every
//! role, and what they say about a drill, are [`crate::autoplay`]'s.

use std::sync::Arc;

use serde::{Serialize, Serializer};

use crate::engine::Engine;
use crate::engine::action::Role;
use crate::engine::journal::Outcome;
use crate::inputs::InputFile;
use crate::report::timeline::{TimelineLine, timeline};
use crate::scenario::Scenario;
use crate::score::{self, Category, Finding, Scorecard};

pub use crate::autoplay::{AutoplayRun, autoplay};

/// Plays `scenario` to the end: the trainee's inputs in their role, bots elsewhere
/// (bots everywhere when `inputs` is `None`).
pub fn play(scenario: Arc<Scenario>, seed: u64, inputs: Option<&InputFile>) -> Engine {
    let humans: Vec<Role> = inputs.map(|f| vec![f.role]).unwrap_or_default();
    let mut engine = Engine::new(scenario, seed, &humans);
    if let Some(file) = inputs {
        for input in file.inputs() {
            engine
                .submit(input)
                .expect("a fresh run accepts the trainee's inputs");
        }
    }
    engine.run_to_end();
    engine
}

/// Everything a finished run reports, in the shape of the `run --json` contract.
#[derive(Debug, Clone, Serialize)]
pub struct RunReport {
    pub scenario: String,
    pub seed: u64,
    pub role: Option<Role>,
    /// Written as its key: `resolved`, `timed_out`.
    #[serde(serialize_with = "outcome_key")]
    pub outcome: Outcome,
    #[serde(flatten)]
    pub scorecard: Scorecard,
    pub timeline: Vec<TimelineLine>,
}

pub(crate) fn outcome_key<S: Serializer>(
    outcome: &Outcome,
    serializer: S,
) -> Result<S::Ok, S::Error> {
    serializer.serialize_str(outcome.key())
}

pub fn report(engine: &Engine) -> RunReport {
    let trainee = engine.humans().first().copied();
    let scenario = engine.scenario();
    RunReport {
        scenario: scenario.id.clone(),
        seed: engine.seed(),
        role: trainee,
        outcome: engine.outcome().unwrap_or(Outcome::TimedOut),
        scorecard: score::score(scenario, engine.journal(), trainee),
        timeline: timeline(scenario, engine.journal()),
    }
}

/// The value at percentile `p` (0–100) of `values`, nearest-rank; `None` when empty.
pub fn percentile(values: &[u64], p: u32) -> Option<u64> {
    if values.is_empty() {
        return None;
    }
    let mut sorted = values.to_vec();
    sorted.sort_unstable();
    let rank = (u64::from(p.min(100)) * sorted.len() as u64)
        .div_ceil(100)
        .max(1);
    Some(sorted[rank as usize - 1])
}

/// The `n` findings that cost the total the most, with what each cost it, biggest
/// first, then in time order. A CAN report's findings count for their share of the CAN
/// category (70 points over the number of reports); every category counts for its
/// weight in the total.
pub fn biggest_losses(scorecard: &Scorecard, role: Option<Role>, n: usize) -> Vec<(f64, &Finding)> {
    let weights: u32 = Category::ALL
        .iter()
        .filter(|c| scorecard.scores.get(**c).is_some())
        .map(|c| c.weight(role))
        .sum();
    let reports = scorecard.can_reports.len().max(1) as f64;
    let cost = |f: &Finding, in_report: bool| {
        let share = if in_report { 0.7 / reports } else { 1.0 };
        f64::from(f.lost()) * share * f64::from(f.category.weight(role)) / f64::from(weights.max(1))
    };
    let mut all: Vec<(f64, &Finding)> = scorecard
        .findings
        .iter()
        .map(|f| (cost(f, false), f))
        .chain(
            scorecard
                .can_reports
                .iter()
                .flat_map(|g| &g.findings)
                .map(|f| (cost(f, true), f)),
        )
        .filter(|(_, f)| f.lost() > 0 && !f.summary)
        .collect();
    all.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.at_s.cmp(&b.1.at_s)));
    all.truncate(n);
    all
}
