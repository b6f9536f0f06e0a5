//! Two runs side by side: a run and a branch of it, played again up to a moment of its
//! timeline and on from there differently ("retry from here"). The figures of both
//! (outcome, total, the role's categories, the measures of `docs/scoring.md`) with
//! which way each moved, and what the trainee did from the branch point on in each.
//! The debrief and `firedrill run --until T --then FILE` show the same comparison.

use serde::Serialize;

use super::words;
use crate::engine::journal::Outcome;
use crate::inputs::InputFile;
use crate::run::RunReport;
use crate::scenario::{Duration, Scenario};
use crate::score::{Category, Measure};

/// A run and its branch, compared.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Comparison {
    /// The branch point: both runs are the same before it.
    pub at_s: u64,
    /// The branch point on the scenario's wall clock, `HH:MM:SS`.
    pub clock: String,
    pub rows: Vec<Compared>,
    /// What the first run's trainee did from the branch point on, in time order.
    pub first_did: Vec<String>,
    /// What the branch's trainee did from the branch point on, in time order.
    pub branch_did: Vec<String>,
}

/// One figure of both runs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Compared {
    /// "total", "MTTR", "CAN reports".
    pub name: String,
    pub first: String,
    pub branch: String,
    pub change: Change,
}

/// Which way a figure moved in the branch, for the trainee.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Change {
    Better,
    Worse,
    Same,
}

impl Change {
    /// Higher is better.
    fn of_score(first: u32, branch: u32) -> Change {
        match branch.cmp(&first) {
            std::cmp::Ordering::Greater => Change::Better,
            std::cmp::Ordering::Less => Change::Worse,
            std::cmp::Ordering::Equal => Change::Same,
        }
    }

    /// Shorter is better; reaching a milestone at all beats not reaching it.
    fn of_time(first: Option<u64>, branch: Option<u64>) -> Change {
        match (first, branch) {
            (Some(a), Some(b)) => Change::of_score(b as u32, a as u32),
            (None, Some(_)) => Change::Better,
            (Some(_), None) => Change::Worse,
            (None, None) => Change::Same,
        }
    }

    /// "better", "worse" or "same", as the comparison prints it.
    pub fn label(self) -> &'static str {
        match self {
            Change::Better => "better",
            Change::Worse => "worse",
            Change::Same => "same",
        }
    }
}

/// The outcome in a word or two, to fit a column.
fn outcome_word(outcome: Outcome) -> &'static str {
    match outcome {
        Outcome::Resolved => "resolved",
        Outcome::TimedOut => "not resolved",
        Outcome::Stopped => "stopped early",
    }
}

/// The first run (its report and inputs) against its branch from `at`.
pub fn compare(
    scenario: &Scenario,
    first: (&RunReport, &InputFile),
    branch: (&RunReport, &InputFile),
    at: Duration,
) -> Comparison {
    let ((a, a_inputs), (b, b_inputs)) = (first, branch);
    let row = |name: &str, first: String, branch: String, change| Compared {
        name: name.to_string(),
        first,
        branch,
        change,
    };
    let resolved = |report: &RunReport| u32::from(report.outcome == Outcome::Resolved);
    let mut rows = vec![
        row(
            "outcome",
            outcome_word(a.outcome).to_string(),
            outcome_word(b.outcome).to_string(),
            Change::of_score(resolved(a), resolved(b)),
        ),
        row(
            "total",
            a.scorecard.scores.total.to_string(),
            b.scorecard.scores.total.to_string(),
            Change::of_score(a.scorecard.scores.total, b.scorecard.scores.total),
        ),
    ];
    for category in Category::ALL {
        if category.weight(b.role) == 0 {
            continue;
        }
        if let (Some(x), Some(y)) = (
            a.scorecard.scores.get(category),
            b.scorecard.scores.get(category),
        ) {
            rows.push(row(
                category.title(),
                x.to_string(),
                y.to_string(),
                Change::of_score(x, y),
            ));
        }
    }
    for measure in Measure::ALL {
        let (x, y) = (
            measure.of(&a.scorecard.times),
            measure.of(&b.scorecard.times),
        );
        rows.push(row(
            measure.name(),
            Duration::words_or(x, "-"),
            Duration::words_or(y, "-"),
            Change::of_time(x, y),
        ));
    }
    let did = |inputs: &InputFile| -> Vec<String> {
        inputs
            .actions
            .iter()
            .filter(|timed| timed.at >= at)
            .map(|timed| {
                format!(
                    "{} {}",
                    scenario.clock_seconds(timed.at.as_secs()),
                    words::action_text(scenario, &timed.action)
                )
            })
            .collect()
    };
    Comparison {
        at_s: at.as_secs(),
        clock: scenario.clock_seconds(at.as_secs()),
        rows,
        first_did: did(a_inputs),
        branch_did: did(b_inputs),
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use super::*;
    use crate::engine::action::Action;
    use crate::inputs::TimedAction;
    use crate::run;
    use crate::scenario::{self, Severity};

    fn walkthrough() -> (Arc<Scenario>, InputFile) {
        let scenario = Arc::new(scenario::builtin::load("edge-waf-regex").expect("built-in"));
        let text = include_str!("../../../scenarios/walkthroughs/edge-waf-regex.commander.ron");
        let inputs = crate::inputs::parse(text, &scenario).expect("the walkthrough is valid");
        (scenario, inputs)
    }

    #[test]
    fn a_branch_that_stops_resolving_is_worse_in_every_figure_that_moved() {
        let (scenario, good) = walkthrough();
        let at = Duration::from_mins(10);
        // The branch keeps the walkthrough up to 10m, then only declares again.
        let mut worse = good.before(at);
        worse.actions.push(TimedAction {
            at,
            action: Action::Declare(Severity::Sev2),
        });
        let first = run::report(&run::play(Arc::clone(&scenario), 1, Some(&good)));
        let branch = run::report(&run::play(Arc::clone(&scenario), 1, Some(&worse)));
        let comparison = compare(&scenario, (&first, &good), (&branch, &worse), at);

        assert_eq!(comparison.at_s, 600);
        let outcome = &comparison.rows[0];
        assert_eq!(
            (
                outcome.name.as_str(),
                outcome.first.as_str(),
                outcome.change
            ),
            ("outcome", "resolved", Change::Worse)
        );
        assert_eq!(outcome.branch, "not resolved");
        let total = &comparison.rows[1];
        assert_eq!(total.name, "total");
        assert_eq!(total.change, Change::Worse);
        assert!(
            branch.scorecard.scores.total <= 40,
            "an unresolved run is capped: {}",
            branch.scorecard.scores.total
        );
        let mttr = comparison
            .rows
            .iter()
            .find(|r| r.name == "MTTR")
            .expect("MTTR is compared");
        assert_eq!((mttr.branch.as_str(), mttr.change), ("-", Change::Worse));
        // MTTA was settled before the branch point: the same in both.
        let mtta = comparison.rows.iter().find(|r| r.name == "MTTA").unwrap();
        assert_eq!(mtta.change, Change::Same);
        assert_eq!(mtta.first, mtta.branch);
        // What each did from 10m on: the walkthrough's later steps, and the one declare.
        assert_eq!(
            comparison.branch_did,
            [format!(
                "{} declared a SEV2 incident",
                scenario.clock_seconds(600)
            )]
        );
        assert_eq!(
            comparison.first_did.len(),
            good.actions.iter().filter(|a| a.at >= at).count()
        );
        assert!(!comparison.first_did.is_empty());
    }

    #[test]
    fn times_compare_shorter_as_better_and_reaching_a_milestone_as_better_than_not() {
        assert_eq!(Change::of_time(Some(300), Some(200)), Change::Better);
        assert_eq!(Change::of_time(Some(200), Some(300)), Change::Worse);
        assert_eq!(Change::of_time(None, Some(900)), Change::Better);
        assert_eq!(Change::of_time(Some(900), None), Change::Worse);
        assert_eq!(Change::of_time(None, None), Change::Same);
        assert_eq!(Change::of_score(40, 83), Change::Better);
    }

    #[test]
    fn only_the_roles_graded_categories_are_compared() {
        let scenario = Arc::new(scenario::builtin::load("edge-waf-regex").expect("built-in"));
        let text = include_str!("../../../scenarios/walkthroughs/edge-waf-regex.comms.ron");
        let comms = crate::inputs::parse(text, &scenario).expect("the walkthrough is valid");
        let report = run::report(&run::play(Arc::clone(&scenario), 1, Some(&comms)));
        let comparison = compare(
            &scenario,
            (&report, &comms),
            (&report, &comms),
            Duration::ZERO,
        );
        let names: Vec<&str> = comparison.rows.iter().map(|r| r.name.as_str()).collect();
        // The Communications Lead is not graded on decisions or role discipline.
        assert_eq!(
            names,
            [
                "outcome",
                "total",
                "Time",
                "CAN reports",
                "Communications",
                "MTTA",
                "MTTR",
                "MTRS",
                "TTD",
                "TTE"
            ]
        );
        assert!(comparison.rows.iter().all(|r| r.change == Change::Same));
        assert_eq!(comparison.first_did, comparison.branch_did);
        assert_eq!(comparison.first_did.len(), comms.actions.len());
    }
}
