//! The decisions category: the calls that shape an incident.
//!
//! - Incident Commander (and bots-only runs): the severity at declaration 15 and over
//!   time 25, red herrings avoided 30, evidence preserved 15, resolving only once
//!   customers had recovered 15.
//! - Technical Lead: red herrings 50, evidence 50.
//! - Communications Lead: not graded (the role makes no such calls).
//!
//! Red herrings and destructive steps count when the trainee started them. Harmful
//! steps cost the total itself, each of them (see `adjust`).

use super::{Category, Facts, Finding, Tally};
use crate::engine::action::{Action, Role};
use crate::engine::journal::Event;
use crate::scenario::{RemediationKind, Severity};

pub fn grade(facts: &Facts) -> Vec<Finding> {
    let mut tally = Tally::new(Category::Decisions);
    match facts.trainee {
        None | Some(Role::Commander) => {
            severity(facts, &mut tally);
            red_herrings(facts, 30, &mut tally);
            evidence(facts, 15, &mut tally);
            premature_resolves(facts, 15, &mut tally);
        }
        Some(Role::Tech) => {
            red_herrings(facts, 50, &mut tally);
            evidence(facts, 50, &mut tally);
        }
        Some(Role::Comms) => {}
    }
    tally.into_findings()
}

fn severity(facts: &Facts, tally: &mut Tally) {
    let Some(declared) = facts.times.declared_s else {
        let at = facts.times.acknowledged_s.unwrap_or(facts.end);
        tally.award(at, 0, 15, "The incident was never declared. Declare early and explicitly, with a severity: it opens the war room and starts everyone's clock.");
        tally.award(
            at,
            0,
            25,
            "With no declaration there was no severity to keep right.",
        );
        return;
    };
    let said = facts.declared_severity_at(declared);
    let truth = facts.true_severity_at(declared);
    let because = |t: u64| {
        facts
            .impact_evidence(t)
            .map_or_else(String::new, |e| format!(" ({e})"))
    };
    tally.check(
        declared,
        said == truth,
        15,
        format!(
            "You declared at {} at {}, the right severity for the impact then.",
            name(said),
            facts.clock(declared)
        ),
        format!(
            "You declared {} at {}; the impact then{} made it {}. Judge severity by customer impact, not by how sure you are of the cause.",
            name(said),
            facts.clock(declared),
            because(declared),
            name(truth)
        ),
    );
    let end = facts.incident_end().max(declared + 1);
    let moments = facts.severity_changes_from(declared);
    let mut right = 0;
    let mut wrong = Vec::new();
    for (i, &from) in moments.iter().enumerate() {
        if from >= end {
            break;
        }
        let to = moments.get(i + 1).copied().unwrap_or(end).min(end);
        let (said, truth) = (
            facts.declared_severity_at(from),
            facts.true_severity_at(from),
        );
        if said == truth {
            right += to - from;
        } else {
            wrong.push(format!(
                "from {} to {} it was declared {} while the impact{} made it {}",
                facts.clock(from),
                facts.clock(to),
                name(said),
                because(from),
                name(truth)
            ));
        }
    }
    let total = end - declared;
    tally.share(
        end,
        25,
        (right * 100 / total) as u32,
        100,
        if wrong.is_empty() {
            "The declared severity tracked the real impact for the whole incident.".to_string()
        } else {
            format!(
                "The declared severity was right {}% of the time: {}. Re-check severity whenever the impact changes.",
                right * 100 / total,
                wrong.join("; ")
            )
        },
    );
}

fn name(severity: Option<Severity>) -> &'static str {
    severity.map_or("no severity", Severity::name)
}

/// Half the stakes lost per red herring the trainee started.
fn red_herrings(facts: &Facts, max: u32, tally: &mut Tally) {
    let faults: Vec<(u64, String)> = facts
        .own_remediations_of(RemediationKind::RedHerring)
        .map(|(run, rem)| {
            (
                run.started,
                facts.started_with_lesson(run, rem, "a red herring"),
            )
        })
        .collect();
    tally.deduct(
        max,
        max.div_ceil(2),
        faults,
        (
            facts.end,
            "You did not chase any of the red herrings.".into(),
        ),
    );
}

/// A destructive step is fine once a preparation (a snapshot, a capture) has finished;
/// without one it destroys what the postmortem needs.
fn evidence(facts: &Facts, max: u32, tally: &mut Tally) {
    let prepared_by = |t: u64| {
        facts.remediations.iter().any(|run| {
            run.done.is_some_and(|done| done <= t)
                && facts
                    .remediation(&run.id)
                    .is_some_and(|r| r.kind == RemediationKind::Preparation)
        })
    };
    let faults: Vec<(u64, String)> = facts
        .own_remediations()
        .filter(|(run, rem)| rem.destroys_evidence && !prepared_by(run.started))
        .map(|(run, rem)| {
            (
                run.started,
                format!(
                    "At {} you started \"{}\", which destroys evidence, with nothing preserved first. Snapshot or capture the state before any destructive step: stop the bleeding, but keep what the root cause analysis needs.",
                    facts.clock(run.started),
                    rem.label
                ),
            )
        })
        .collect();
    tally.deduct(
        max,
        max,
        faults,
        (
            facts.end,
            "No evidence was destroyed before it was preserved.".into(),
        ),
    );
}

/// 5 of `max` lost per refused resolve.
fn premature_resolves(facts: &Facts, max: u32, tally: &mut Tally) {
    let faults: Vec<(u64, String)> = facts
        .journal
        .iter()
        // Premature: refused after the declaration and before the accepted resolve
        // (not a repeat once resolved, not a resolve with nothing declared).
        .filter_map(|e| {
            let t = e.at.as_secs();
            let Event::Refused { actor, action: Action::Resolve, reason } = &e.event else {
                return None;
            };
            (facts.is_trainee(actor)
                && facts.times.declared_s.is_some_and(|d| t >= d)
                && facts.times.resolved_s.is_none_or(|r| t < r))
            .then(|| {
                // The engine's reason says why from the truth's own condition for the
                // end of the impact, with the metrics' true values at that moment.
                (
                    t,
                    format!(
                        "At {} you declared the incident resolved, but it was refused: {reason}. MTTR kept counting. Resolve once the metrics have held healthy for a few minutes.",
                        facts.clock(t)
                    ),
                )
            })
        })
        .collect();
    tally.deduct(
        max,
        5,
        faults,
        (
            facts.times.resolved_s.unwrap_or(facts.end),
            "You declared resolved only once customers had recovered.".into(),
        ),
    );
}

#[cfg(test)]
mod tests {
    //! Decisions explained from the truth: the impact's own metrics, never another's.

    use std::sync::Arc;

    use crate::engine::Engine;
    use crate::engine::action::{Action, Actor, Input, Role};
    use crate::scenario::{self, Duration, Severity};
    use crate::score::{Category, score};

    const MINIMAL: &str = include_str!("../../../tests/fixtures/minimal.ron");

    /// The minimal fixture without noise, with text replacements applied.
    fn minimal_with(edits: &[(&str, &str)]) -> Arc<scenario::Scenario> {
        let mut text = MINIMAL.replacen("noise: 8.0", "noise: 0.0", 1);
        for (from, to) in edits {
            assert!(text.contains(from), "fixture lacks {from:?}");
            text = text.replacen(from, to, 1);
        }
        Arc::new(scenario::parse(&text).expect("valid variant"))
    }

    /// The decisions findings of an IC who declares SEV1 at 6m and resolves at 9m.
    fn decisions(scenario: Arc<scenario::Scenario>) -> Vec<String> {
        let mut engine = Engine::new(scenario, 1, &[Role::Commander]);
        for (at, action) in [(6, Action::Declare(Severity::Sev1)), (9, Action::Resolve)] {
            engine
                .submit(Input {
                    at: Duration::from_mins(at),
                    actor: Actor::Trainee(Role::Commander),
                    action,
                })
                .unwrap();
        }
        engine.run_to_end();
        score(engine.scenario(), engine.journal(), Some(Role::Commander))
            .category(Category::Decisions)
            .map(|f| f.text.clone())
            .collect()
    }

    fn finding<'a>(findings: &'a [String], start: &str) -> &'a str {
        findings
            .iter()
            .find(|f| f.starts_with(start))
            .unwrap_or_else(|| panic!("no finding starting {start:?} in {findings:#?}"))
    }

    #[test]
    fn a_metric_outside_the_impact_is_never_its_evidence() {
        // The latency (the impact) rises to 600 ms: over the 400 ms the truth asks for,
        // under its 800 ms critical line. The database CPU crosses its critical line at
        // 1m but has nothing to do with the impact.
        let scenario = minimal_with(&[
            ("to: 1500.0, over: \"1m\"", "to: 600.0, over: \"1m\""),
            (
                "critical: 800.0, min: 0.0),",
                "critical: 800.0, min: 0.0),
                (id: \"db_cpu\", service: \"cache\", name: \"Database CPU\", unit: \"%\",
                 baseline: 40.0, warning: 80.0, critical: 90.0, min: 0.0, max: 100.0),",
            ),
            (
                "injects: [",
                "injects: [(id: \"db-hot\", at: \"1m\", do: [Step(metric: \"db_cpu\", to: 97.0)]),",
            ),
        ]);
        let findings = decisions(scenario);
        assert_eq!(
            finding(&findings, "You declared SEV1"),
            "You declared SEV1 at 09:06; the impact then made it SEV3. Judge severity by customer impact, not by how sure you are of the cause."
        );
        assert_eq!(
            finding(&findings, "At 09:09"),
            "At 09:09 you declared the incident resolved, but it was refused: customers are still affected (API p99 latency is at 600.0 ms, and must be below 400 ms), so the incident stays open. MTTR kept counting. Resolve once the metrics have held healthy for a few minutes."
        );
    }

    #[test]
    fn evidence_is_the_side_of_the_line_where_customers_suffer() {
        // Success must stay above 99%: falling below its critical line is the evidence.
        let scenario = minimal_with(&[
            (
                "critical: 800.0, min: 0.0),",
                "critical: 800.0, min: 0.0),
                (id: \"api_success\", service: \"api\", name: \"API success\", unit: \"%\",
                 baseline: 99.9, warning: 99.0, critical: 95.0, min: 0.0, max: 100.0),",
            ),
            (
                "impact_ends_when: Below(metric: \"api_p99\", value: 400.0)",
                "impact_ends_when: All([Below(metric: \"api_p99\", value: 400.0), Above(metric: \"api_success\", value: 99.0)])",
            ),
            (
                "do: [Ramp(metric: \"api_p99\", to: 1500.0, over: \"1m\")]",
                "do: [Ramp(metric: \"api_p99\", to: 1500.0, over: \"1m\"), Step(metric: \"api_success\", to: 80.0)]",
            ),
        ]);
        let findings = decisions(scenario);
        assert_eq!(
            finding(&findings, "You declared SEV1"),
            "You declared SEV1 at 09:06; the impact then (API success had been below its critical line since 09:02) made it SEV3. Judge severity by customer impact, not by how sure you are of the cause."
        );
        assert!(
            finding(&findings, "At 09:09").contains(
                "customers are still affected (API p99 latency is at 1500.0 ms, and must be below 400 ms; API success is at 80.0%, and must be above 99%)"
            ),
            "{findings:#?}"
        );
    }
}
