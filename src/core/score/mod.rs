//! Scores: a pure function of (scenario, journal), recomputable for any recorded run.
//!
//! This is the provisional scoring of the engine milestone: exact milestone times, a
//! CAN score that checks each report's conditions against the truth at that moment,
//! a status-update cadence score and a time score against par. Findings explain each
//! deduction.

pub mod times;

use serde::Serialize;

use crate::engine::action::{Action, Actor, CanReport, Role};
use crate::engine::journal::{Entry, Event};
use crate::scenario::{Phase, Scenario, Severity};
pub use times::Times;

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Scores {
    pub time: u32,
    pub can: u32,
    pub comms: u32,
    pub total: u32,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Finding {
    pub category: &'static str,
    pub at_s: u64,
    /// Points gained (positive) or lost (negative) within the category.
    pub points: i32,
    pub text: String,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CanGrade {
    pub at_s: u64,
    pub by: String,
    pub score: u32,
    pub findings: Vec<Finding>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Scorecard {
    pub times: Times,
    pub scores: Scores,
    pub can_reports: Vec<CanGrade>,
    pub findings: Vec<Finding>,
}

/// Scores a run for the trainee playing `trainee` (`None`: bots only, everyone graded).
/// CAN reports count when the trainee wrote them; status updates count when the
/// trainee is the Communications Lead, otherwise the team's cadence is scored.
pub fn score(scenario: &Scenario, journal: &[Entry], trainee: Option<Role>) -> Scorecard {
    let graded = |actor: &Actor| trainee.is_none() || matches!(actor, Actor::Trainee(_));
    let comms_graded =
        |actor: &Actor| trainee != Some(Role::Comms) || matches!(actor, Actor::Trainee(_));
    let times = Times::from_journal(scenario, journal);
    let mut findings = Vec::new();
    let time = time_score(scenario, &times, &mut findings);
    let can_reports: Vec<CanGrade> = journal
        .iter()
        .filter_map(|e| match &e.event {
            Event::Did {
                actor,
                action: Action::Can(report),
            } if graded(actor) => Some(grade_can(scenario, journal, e.at.as_secs(), actor, report)),
            _ => None,
        })
        .collect();
    let can = if can_reports.is_empty() {
        findings.push(Finding {
            category: "can",
            at_s: times.declared_s.unwrap_or(0),
            points: -100,
            text: "No CAN report was written: the team had no shared picture of Conditions, Actions and Needs.".into(),
        });
        0
    } else {
        can_reports.iter().map(|g| g.score).sum::<u32>() / can_reports.len() as u32
    };
    let comms = comms_score(scenario, journal, &times, &comms_graded, &mut findings);
    let total = (time + can + comms) / 3;
    Scorecard {
        times,
        scores: Scores {
            time,
            can,
            comms,
            total,
        },
        can_reports,
        findings,
    }
}

/// 100 at or under par, falling linearly to 0 at three times par; MTTA and MTTR weigh equally.
fn time_score(scenario: &Scenario, times: &Times, findings: &mut Vec<Finding>) -> u32 {
    let mut part = |actual: Option<u64>, par: u64, what: &str, at: u64| -> u32 {
        let Some(actual) = actual else {
            findings.push(Finding {
                category: "time",
                at_s: at,
                points: -50,
                text: format!("The incident was never {what}."),
            });
            return 0;
        };
        let par = par.max(1);
        let score = if actual <= par {
            100
        } else {
            100u64.saturating_sub((actual - par) * 50 / par) as u32
        };
        findings.push(Finding {
            category: "time",
            at_s: at,
            points: score as i32 / 2 - 50,
            text: format!(
                "Time to be {what}: {} against a par of {}.",
                crate::scenario::Duration::from_secs(actual),
                crate::scenario::Duration::from_secs(par)
            ),
        });
        score
    };
    let limit = scenario.time_limit.as_secs();
    let mtta = part(
        times.mtta_s,
        scenario.par.acknowledge.as_secs(),
        "acknowledged",
        times.acknowledged_s.unwrap_or(limit),
    );
    let mttr = part(
        times.mttr_s,
        scenario.par.resolve.as_secs(),
        "resolved",
        times.resolved_s.unwrap_or(limit),
    );
    (mtta + mttr) / 2
}

fn truth_severity_at(journal: &[Entry], at: u64) -> Option<Severity> {
    journal
        .iter()
        .take_while(|e| e.at.as_secs() <= at)
        .filter_map(|e| match e.event {
            Event::TrueSeverity(s) => Some(s),
            _ => None,
        })
        .last()
}

fn phase_at(journal: &[Entry], at: u64) -> Phase {
    journal
        .iter()
        .take_while(|e| e.at.as_secs() <= at)
        .filter_map(|e| match e.event {
            Event::PhaseChanged(p) => Some(p),
            _ => None,
        })
        .last()
        .unwrap_or(Phase::Investigating)
}

/// Whether `text` mentions any synonym of `term` (case-insensitive).
pub fn mentions(text: &str, term: &[String]) -> bool {
    let text = text.to_lowercase();
    term.iter()
        .any(|synonym| text.contains(&synonym.to_lowercase()))
}

fn grade_can(
    scenario: &Scenario,
    journal: &[Entry],
    at: u64,
    actor: &Actor,
    report: &CanReport,
) -> CanGrade {
    let mut findings = Vec::new();
    let mut earned = 0;
    let mut check = |ok: bool, good: String, bad: String| {
        earned += u32::from(ok);
        findings.push(Finding {
            category: "can",
            at_s: at,
            points: if ok { 20 } else { -20 },
            text: if ok { good } else { bad },
        });
    };
    let c = &report.conditions;
    check(
        mentions(&c.kind, &scenario.truth.kind),
        format!("Incident type \"{}\" is right.", c.kind),
        format!(
            "Incident type \"{}\" misses it: this is a {}.",
            c.kind, scenario.truth.kind[0]
        ),
    );
    let truth = truth_severity_at(journal, at);
    check(
        c.severity.is_some() && c.severity == truth,
        "Severity matches the impact at that moment.".into(),
        format!(
            "Severity {} did not match the impact at that moment: it was {}.",
            c.severity.map_or("missing", Severity::name),
            truth.map_or("no incident yet", Severity::name)
        ),
    );
    let phase = phase_at(journal, at);
    let expected = scenario.truth.can.iter().find(|e| e.phase == phase);
    let summary_terms = expected.map(|e| e.summary.as_slice()).unwrap_or_default();
    let missing: Vec<&str> = summary_terms
        .iter()
        .filter(|t| !mentions(&c.summary, t))
        .map(|t| t[0].as_str())
        .collect();
    check(
        missing.is_empty(),
        "The summary names the affected service and the symptom.".into(),
        format!("The summary should mention: {}.", missing.join(", ")),
    );
    let radius_ok = scenario
        .truth
        .blast_radius
        .iter()
        .any(|t| mentions(&c.blast_radius, t));
    check(
        radius_ok,
        "The blast radius says who is affected.".into(),
        format!(
            "The blast radius should say who is affected, e.g. \"{}\".",
            scenario.truth.blast_radius[0][0]
        ),
    );
    let needs_text = report.needs.join(", ");
    let expected_needs = expected.map(|e| e.needs.as_slice()).unwrap_or_default();
    let needs_ok = if expected_needs.is_empty() {
        report.needs.is_empty()
            || mentions(&needs_text, &["none".to_string(), "nothing".to_string()])
    } else {
        expected_needs.iter().all(|t| mentions(&needs_text, t))
    };
    check(
        needs_ok,
        "Needs are right.".into(),
        if expected_needs.is_empty() {
            "Nothing more was needed at that point: say \"none\".".into()
        } else {
            format!(
                "Needs should name: {}.",
                expected_needs
                    .iter()
                    .map(|t| t[0].as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            )
        },
    );
    CanGrade {
        at_s: at,
        by: match actor {
            Actor::Trainee(r) => format!("trainee ({})", r.key()),
            Actor::Bot(r) => format!("bot ({})", r.key()),
            Actor::Facilitator => "facilitator".into(),
        },
        score: earned * 20,
        findings,
    }
}

/// Share of the expected status updates (one per `status_every` from declaration to
/// the end) that were posted.
fn comms_score(
    scenario: &Scenario,
    journal: &[Entry],
    times: &Times,
    graded: &dyn Fn(&Actor) -> bool,
    findings: &mut Vec<Finding>,
) -> u32 {
    let Some(declared) = times.declared_s else {
        return 0;
    };
    let end = journal.last().map_or(declared, |e| e.at.as_secs());
    let every = scenario.par.status_every.as_secs().max(1);
    let expected = ((end - declared) / every + 1) as u32;
    let posted = journal
        .iter()
        .filter(|e| matches!(&e.event, Event::Did { actor, action: Action::StatusUpdate(_) } if graded(actor)))
        .count() as u32;
    let score = (posted.min(expected) * 100) / expected;
    if posted < expected {
        findings.push(Finding {
            category: "comms",
            at_s: end,
            points: score as i32 - 100,
            text: format!(
                "{posted} status update(s) for an incident that called for {expected} (one every {}).",
                scenario.par.status_every
            ),
        });
    }
    score
}
